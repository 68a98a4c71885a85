from storyline.cluster.index import ACTOR_KEY, StoryIndex, index_keys


def test_candidates_share_the_most_key_weight():
    index = StoryIndex(posting_limit=10)
    index.add("flood", ["river", "levee", ACTOR_KEY + "maria-lopez"])
    index.add("trial", ["jury", "river"])
    assert index.candidates([("river", 0.5), ("levee", 0.4)], limit=5) == ["flood", "trial"]
    assert index.candidates([("river", 0.5), ("levee", 0.4)], limit=1) == ["flood"]


def test_postings_are_capped_and_the_evicted_story_forgets_the_key():
    index = StoryIndex(posting_limit=2)
    for story in ("s1", "s2", "s3"):
        index.add(story, ["vote"])
    assert list(index.postings["vote"]) == ["s2", "s3"]  # least recently updated went first
    assert "vote" not in index.keys["s1"]
    index.add("s2", ["vote"])  # updated again: now the most recent
    assert list(index.postings["vote"]) == ["s3", "s2"]


def test_removing_a_story_empties_its_postings():
    index = StoryIndex(posting_limit=5)
    index.add("s1", ["vote", "bill"])
    index.add("s2", ["bill"])
    index.remove("s1")
    assert index.postings == {"bill": {"s2": None}} and "s1" not in index.keys


def test_round_trip_rebuilds_each_storys_keys():
    index = StoryIndex(posting_limit=5)
    index.add("s1", ["vote", "bill"])
    index.add("s2", ["bill"])
    again = StoryIndex.from_json(index.to_json(), 5)
    assert again.postings == index.postings and again.keys == index.keys


def test_index_keys_take_heaviest_terms_and_actors_apart():
    vectors = [{"a": 0.9, "b": 0.1, "c": 0.5}, {"biden": 0.7, "cdc": 0.2}]
    assert index_keys(vectors, terms=2, actors=1) == [("a", 0.9), ("c", 0.5), (ACTOR_KEY + "biden", 0.7)]
