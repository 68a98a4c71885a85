"""The inverted index from a story's heaviest terms and actors to the story.

An article looks up its own heaviest keys and scores only the stories found there. Posting
lists are capped (the least recently updated story drops out first) and stories that have
gone quiet are removed, so the work per article stays bounded however many stories pile up.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

ACTOR_KEY = "@"  # index keys of actors, apart from those of terms


class StoryIndex:
    """Posting lists (key -> story ids, most recently updated last) and each story's keys."""

    def __init__(self, posting_limit: int):
        self.posting_limit = posting_limit
        self.postings: dict[str, dict[str, None]] = {}
        self.keys: dict[str, dict[str, None]] = {}  # story id -> its keys in the index

    def add(self, story_id: str, keys: Iterable[str]) -> None:
        """Index the story under `keys`, moving it to the recent end of each posting list."""
        story_keys = self.keys.setdefault(story_id, {})
        for key in keys:
            posting = self.postings.setdefault(key, {})
            posting.pop(story_id, None)  # re-inserted last: most recently updated
            posting[story_id] = None
            story_keys[key] = None
            if len(posting) > self.posting_limit:
                evicted = next(iter(posting))
                del posting[evicted]
                self.keys[evicted].pop(key, None)

    def remove(self, story_id: str) -> None:
        for key in self.keys.pop(story_id, ()):
            posting = self.postings.get(key)
            if posting is not None:
                posting.pop(story_id, None)
                if not posting:
                    del self.postings[key]

    def candidates(self, weighted_keys: Iterable[tuple[str, float]], limit: int) -> list[str]:
        """The `limit` stories sharing the most weight of the article's keys, best first."""
        hits: dict[str, float] = {}
        for key, weight in weighted_keys:
            for story_id in self.postings.get(key, ()):
                hits[story_id] = hits.get(story_id, 0.0) + weight
        return [story_id for story_id, _ in heapq.nlargest(limit, hits.items(), key=lambda kv: kv[1])]

    def to_json(self) -> dict:
        return {key: list(posting) for key, posting in self.postings.items()}

    @classmethod
    def from_json(cls, postings: Mapping[str, list[str]], posting_limit: int) -> StoryIndex:
        index = cls(posting_limit)
        index.postings = {key: dict.fromkeys(ids) for key, ids in postings.items()}
        for key, posting in index.postings.items():
            for story_id in posting:
                index.keys.setdefault(story_id, {})[key] = None
        return index


def index_keys(vectors: list[dict[str, float]], terms: int, actors: int) -> list[tuple[str, float]]:
    """Index keys of an article: its heaviest terms and, apart, its heaviest actors (channel 1)."""
    keys = heapq.nlargest(terms, vectors[0].items(), key=lambda kv: kv[1])
    # actors too: two outlets may tell one story in different words but name the same people
    keys += [(ACTOR_KEY + actor, weight) for actor, weight in heapq.nlargest(actors, vectors[1].items(), key=lambda kv: kv[1])]
    return keys
