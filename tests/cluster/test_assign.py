from storyline.cluster import Placement, StoryAssigner, StoryClusterer, cluster_corpus, publication_order

from .helpers import flood, trial

TEXT = " ".join(f"word{n}" for n in range(80))


def test_publication_order_keeps_undated_items_after_their_predecessor():
    a, b, c = flood("a", 2.0), flood("b", published=False), flood("c", 1.0)
    assert [i.article_id for i in publication_order([a, b, c])] == ["c", "a", "b"]
    undated = [flood(x, published=False) for x in "xyz"]
    assert [i.article_id for i in publication_order(undated)] == ["x", "y", "z"]


def test_copies_take_their_originals_story():
    items = [flood("orig"), trial("copy", 0.1)]  # the copy's terms alone would start a story
    stories = cluster_corpus(items, texts={"orig": TEXT, "copy": TEXT})
    assert stories == {"orig": "orig", "copy": "orig"}


def test_place_records_original_story_and_moves():
    assigner = StoryAssigner()
    assert assigner.place(flood("f1"), TEXT) == Placement("f1", "f1", None, {})
    assert assigner.place(trial("t1", 0.1), "other words " * 30) == Placement("t1", "t1", None, {})
    copy = assigner.place(trial("c1", 0.2), TEXT)
    assert (copy.story_id, copy.original, copy.moves) == ("f1", "f1", {})
    assert assigner.clusterer.stories["f1"].size == 1  # a copy adds no evidence


def test_place_asks_the_caller_for_an_originals_story():
    assigner = StoryAssigner(StoryClusterer())
    assigner.place(flood("f1"), TEXT)
    asked = []
    copy = assigner.place(trial("c1", 0.1), TEXT, story_of=lambda a: asked.append(a) or "stored-story")
    assert asked == ["f1"] and copy.story_id == "stored-story"
    # an original whose story is unknown: the copy is clustered like any article
    lost = assigner.place(trial("c2", 0.2), TEXT, story_of=lambda a: None)
    assert lost.original == "f1" and lost.story_id == "c2"


def test_without_text_no_copies_are_looked_for():
    assigner = StoryAssigner()
    assigner.place(flood("f1"), None)
    assert assigner.place(trial("t1"), None).original is None and not assigner.deduper.entries
