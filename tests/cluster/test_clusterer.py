import json
import zlib

import pytest

from storyline.cluster import ClusterSettings, StoryClusterer, cluster_corpus
from storyline.errors import StateVersionError

from .helpers import FLOOD, flood, item, trial

def test_articles_join_their_story_and_ids_are_first_articles():
    stories = cluster_corpus(
        [flood("f1"), trial("t1", 0.1), flood("f2", 0.2, ("dam",)), trial("t2", 0.3, ("appeal",)), flood("f3", 0.4)]
    )
    assert stories == {"f1": "f1", "t1": "t1", "f2": "f1", "t2": "t1", "f3": "f1"}


def test_same_input_same_stories():
    items = [flood(f"f{n}", n / 10, (f"w{n}",)) for n in range(5)] + [trial(f"t{n}", n / 7) for n in range(5)]
    assert cluster_corpus(items) == cluster_corpus(list(reversed(items)))  # sorted by publication first


def test_state_round_trip_continues_identically():
    first = [flood("f1"), trial("t1", 0.1), flood("f2", 0.5, ("dam",))]
    later = [trial("t2", 1.0, ("appeal",)), flood("f3", 1.2), item("q1", ("election", "ballot", "vote", "poll"), day=1.3)]
    straight = StoryClusterer()
    expected = [straight.add(i) for i in first + later]
    resumed = StoryClusterer()
    got = [resumed.add(i) for i in first]
    resumed = StoryClusterer.loads(resumed.dumps())
    got += [resumed.add(i) for i in later]
    assert got == expected
    assert StoryClusterer.loads(resumed.dumps()).dumps() == resumed.dumps()


def test_long_running_story_keeps_growing():
    # an article every five days for eight weeks: never quiet long enough to be dropped
    items = [flood(f"f{n}", day=5.0 * n, extra=(f"update{n}",)) for n in range(12)]
    assert set(cluster_corpus(items).values()) == {"f0"}


def test_quiet_story_stops_attracting_articles():
    settings = ClusterSettings()
    stories = cluster_corpus([flood("f1"), flood("f2", 1.0), flood("later", 1.0 + settings.max_quiet_days + 5)])
    assert stories["f2"] == "f1"
    assert stories["later"] == "later"


def test_quiet_days_lower_the_probability_before_expiry():
    clusterer = StoryClusterer()
    clusterer.add(flood("f1"))
    clusterer.add(flood("f2", 0.5))
    clusterer.add(trial("t1", 1.0))
    soon = StoryClusterer.loads(clusterer.dumps())
    soon.add(flood("f3", 2.0, ("dam",)))
    late = StoryClusterer.loads(clusterer.dumps())
    late.add(flood("f3", 14.0, ("dam",)))
    assert late.last_links[0].quiet_days == pytest.approx(13.5)
    assert late.last_links[0].probability < soon.last_links[0].probability


def test_expiry_removes_quiet_stories_from_the_index():
    clusterer = StoryClusterer(settings=ClusterSettings(expire_every=1))
    clusterer.add(flood("f1"))
    clusterer.add(trial("t1", 30.0))
    assert set(clusterer.stories) == {"t1"}
    assert all("f1" not in posting for posting in clusterer.index.postings.values())


def test_candidates_and_postings_stay_bounded():
    settings = ClusterSettings(posting_limit=20, max_candidates=5)
    clusterer = StoryClusterer(settings=settings)
    # 200 stories that all share the same heavy terms, each with a distinguishing name
    for n in range(200):
        clusterer.add(item(f"s{n}", FLOOD[:3] + (f"unique{n}", f"other{n}"), published=False), story=f"s{n}")
    clusterer.add(item("probe", FLOOD[:3], published=False))
    assert len(clusterer.last_links) <= settings.max_candidates
    assert max(len(posting) for posting in clusterer.index.postings.values()) <= settings.posting_limit


def test_forced_story_starts_or_joins():
    clusterer = StoryClusterer()
    assert clusterer.add(flood("f1"), story="f1") == "f1"
    assert clusterer.add(trial("t1"), story="f1") == "f1"  # joined although unlike
    assert clusterer.stories["f1"].size == 2


def test_state_of_another_version_is_refused():
    state = json.loads(zlib.decompress(StoryClusterer().dumps()))
    state["version"] = 0
    with pytest.raises(StateVersionError, match="version 0"):
        StoryClusterer.loads(zlib.compress(json.dumps(state).encode()))


# Two earthquakes: a few words any earthquake report has, and each its own place, people and figures.
QUAKE = ("earthquake", "magnitude", "quake", "tremor")
CASTELMAR = ("castelmar", "vineyard", "winery", "cellar", "hillside", "olive", "terrace", "chapel")
BRENN = ("brenn", "harbour", "ferry", "pier", "dock", "crane", "quay", "tanker")


def quake_a(n):
    actors = ("anna-berg", "castelmar-council", "geological-survey")
    return item(f"a{n}", QUAKE + CASTELMAR + (f"detail{n}",), actors, numbers=("4.4", "9"), published=False)


def quake_b(n):
    actors = ("tomas-lind", "brenn-port", "geological-survey")
    return item(f"b{n}", QUAKE + BRENN + (f"detail{n}",), actors, numbers=("5.1", "3"), published=False)


@pytest.mark.parametrize("splits", [True, False])
def test_a_story_that_swallowed_a_second_event_splits(splits):
    clusterer = StoryClusterer(settings=ClusterSettings() if splits else ClusterSettings(split_below_ncut=0.0))
    stories = {i.article_id: clusterer.add(i) for i in (quake_a(1), quake_a(2), quake_a(3))}
    stories["b1"] = clusterer.add(quake_b(1), story="a1")  # the first report of the second quake joins wrongly
    moves = {}
    for i in (quake_a(4), quake_b(2), quake_b(3), quake_a(5), quake_b(4), quake_b(5), quake_a(6), quake_b(6)):
        stories[i.article_id] = clusterer.add(i)
        moves.update(clusterer.last_moves)
        stories.update(clusterer.last_moves)
    by_event = {event: {stories[a] for a in stories if a.startswith(event)} for event in "ab"}
    if splits:
        assert by_event == {"a": {"a1"}, "b": {"b1"}}
        assert moves == {"b1": "b1", "b2": "b1", "b3": "b1"}  # moved when the story fell apart
        state = StoryClusterer.loads(clusterer.dumps())  # members survive a round trip
        assert [m.article_id for m in state.stories["b1"].members] == [m.article_id for m in clusterer.stories["b1"].members]
    else:
        assert by_event == {"a": {"a1"}, "b": {"a1"}} and not moves


def test_dated_stories_keep_no_members_to_split():
    clusterer = StoryClusterer()
    for n in range(8):
        clusterer.add(flood(f"f{n}", n / 10))
    assert clusterer.stories["f0"].members is None  # time keeps dated events apart instead
