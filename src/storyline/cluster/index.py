"""The inverted index from a story's heaviest terms and actors to the story.

An article looks up its own heaviest keys and scores only the stories found there. Posting
lists are capped (the least recently updated story drops out first) and stories that have
gone quiet are removed, so the work per article stays bounded however many stories pile up.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping

import numpy as np

ACTOR_KEY = "@"  # index keys of actors, apart from those of terms


class StoryIndex:
    """Posting lists (key -> story ids, most recently updated last) and each story's keys."""

    def __init__(self, posting_limit: int):
        self.posting_limit = posting_limit
        self.postings: dict[str, dict[str, None]] = {}
        self.keys: dict[str, dict[str, None]] = {}  # story id -> its keys in the index
        self.changed: set[str] = set()  # keys whose posting list changed since the index was last saved

    def add(self, story_id: str, keys: Iterable[str]) -> None:
        """Index the story under `keys`, moving it to the recent end of each posting list."""
        story_keys = self.keys.setdefault(story_id, {})
        for key in keys:
            posting = self.postings.setdefault(key, {})
            posting.pop(story_id, None)  # re-inserted last: most recently updated
            posting[story_id] = None
            story_keys[key] = None
            self.changed.add(key)
            if len(posting) > self.posting_limit:
                evicted = next(iter(posting))
                del posting[evicted]
                self.keys[evicted].pop(key, None)

    def remove(self, story_id: str) -> None:
        for key in self.keys.pop(story_id, ()):
            posting = self.postings.get(key)
            if posting is not None:
                posting.pop(story_id, None)
                self.changed.add(key)
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


class SemanticIndex:
    """Stories' semantic vectors in one matrix, for the nearest stories to an article by cosine.

    Words alone miss reports of one event told in other words; the nearest stories by meaning
    join the inverted index's candidates. Rows are unit vectors, updated when a story grows.
    """

    def __init__(self, dimensions: int):
        self.matrix = np.zeros((64, dimensions), dtype=np.float32)
        self.ids: list[str] = []
        self.row: dict[str, int] = {}

    def update(self, story_id: str, vector: np.ndarray) -> None:
        norm = float(np.linalg.norm(vector))
        if norm <= 0.0:
            return
        row = self.row.get(story_id)
        if row is None:
            row = len(self.ids)
            if row == len(self.matrix):
                self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
            self.ids.append(story_id)
            self.row[story_id] = row
        self.matrix[row] = vector / norm

    def remove(self, story_id: str) -> None:
        row = self.row.pop(story_id, None)
        if row is None:
            return
        last = len(self.ids) - 1
        if row != last:  # the last row takes the removed one's place
            moved = self.ids[last]
            self.matrix[row] = self.matrix[last]
            self.ids[row] = moved
            self.row[moved] = row
        self.ids.pop()

    def nearest(self, vector: np.ndarray | None, limit: int) -> list[str]:
        """Up to `limit` story ids, most similar first."""
        if vector is None or not self.ids or limit <= 0:
            return []
        similarity = self.matrix[: len(self.ids)] @ vector.astype(np.float32)
        if len(self.ids) > limit:
            top = np.argpartition(-similarity, limit - 1)[:limit]
        else:
            top = np.arange(len(self.ids))
        top = top[np.argsort(-similarity[top], kind="stable")]
        return [self.ids[row] for row in top]
