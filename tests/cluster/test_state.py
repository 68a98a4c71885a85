import json
import zlib

import pytest

from storyline.cluster.state import STATE_VERSION, Member, StoryState, decode_state, encode_state
from storyline.errors import StateVersionError


def test_a_story_sums_its_articles_and_a_split_takes_them_off():
    story = StoryState.empty("s", channels=1)
    story.join([{"a": 1.0}], day=10.0, centroid_terms=10)
    story.join([{"a": 0.6, "b": 0.8}], day=12.0, centroid_terms=10)
    assert story.centroids == [{"a": 1.6, "b": 0.8}] and story.norms2[0] == pytest.approx(1.6**2 + 0.8**2)
    assert story.similarities([{"b": 1.0}])[0] == pytest.approx(0.8 / (1.6**2 + 0.8**2) ** 0.5)
    assert (story.quiet_days(11.0), story.quiet_days(15.0), story.quiet_days(None)) == (0.0, 3.0, 0.0)
    story.members = [Member("x", 10.0, [{"a": 1.0}]), Member("y", 12.0, [{"a": 0.6, "b": 0.8}])]
    story.leave([story.members[1]])
    assert story.centroids[0] == pytest.approx({"a": 1.0}) and (story.size, story.first, story.last) == (1, 10.0, 10.0)


def test_a_centroid_keeps_its_heaviest_terms():
    story = StoryState.empty("s", channels=1)
    story.join([{f"t{n}": n / 10 for n in range(1, 8)}], day=None, centroid_terms=3)
    assert set(story.centroids[0]) == {"t5", "t6", "t7"}


def test_story_round_trip():
    story = StoryState.empty("s", channels=2)
    story.join([{"a": 1.0}, {}], day=3.0, centroid_terms=10)
    story.members = [Member("s", 3.0, [{"a": 1.0}, {}])]
    assert StoryState.from_json(json.loads(json.dumps(story.to_json()))).to_json() == story.to_json()


def test_state_of_another_version_is_refused_with_a_typed_error():
    assert decode_state(encode_state({"x": 1})) == {"version": STATE_VERSION, "x": 1}
    old = zlib.compress(json.dumps({"version": STATE_VERSION - 1}).encode())
    with pytest.raises(StateVersionError, match=f"version {STATE_VERSION - 1}.*reads {STATE_VERSION}"):
        decode_state(old)
