"""What the clusterer remembers of each story, and how its whole state is saved and read back.

A story keeps the sum of its articles' vectors per channel (its centroid), trimmed to its
heaviest terms so that its size and comparison cost stay bounded, the span of its dates and,
while it is young and undated, its members (to be able to split). The clusterer's state is
zlib-compressed JSON carrying `STATE_VERSION`; a state of another version is refused with
`StateVersionError` (re-group the store with the current model instead).
"""

from __future__ import annotations

import base64
import heapq
import json
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..errors import StateVersionError
from .features import Vector, dot

STATE_VERSION = 4


@dataclass
class Member:
    """What a young story remembers of one of its articles, to be able to split."""

    article_id: str
    day: float | None
    vectors: list[Vector]  # trimmed to the heaviest `member_terms` per channel
    semantic: np.ndarray | None = None
    outlet: str | None = None


@dataclass(eq=False)
class StoryState:
    id: str
    centroids: list[Vector]
    norms2: list[float]
    size: int = 0
    first: float | None = None  # days since the epoch
    last: float | None = None
    members: list[Member] | None = field(default_factory=list)  # None once settled
    next_check: int = 0  # size at which to look for a split next
    semantic: np.ndarray | None = None  # sum of its articles' semantic vectors
    outlets: dict[str, int] = field(default_factory=dict)  # articles per outlet
    # an analyst merged it into another story (or pinned its articles there): it keeps its own
    # centroid, so what would have joined it still does, and its articles are that story's
    alias_of: str | None = None

    def semantic_cosine(self, vector: np.ndarray | None) -> float:
        if vector is None or self.semantic is None:
            return 0.0
        norm = float(np.linalg.norm(self.semantic))
        return float(vector @ self.semantic) / norm if norm > 0.0 else 0.0

    @classmethod
    def empty(cls, story_id: str, channels: int) -> StoryState:
        return cls(id=story_id, centroids=[{} for _ in range(channels)], norms2=[0.0] * channels)

    def similarities(self, vectors: list[Vector]) -> tuple[float, ...]:
        values = []
        for vector, centroid, norm2 in zip(vectors, self.centroids, self.norms2):
            if not vector or norm2 <= 0.0:
                values.append(0.0)
                continue
            values.append(dot(vector, centroid) / math.sqrt(norm2))
        return tuple(values)

    def quiet_days(self, day: float | None) -> float:
        """Days between the article and the story's span (0 inside it or when either is undated)."""
        if day is None or self.first is None:
            return 0.0
        return max(0.0, day - self.last, self.first - day)

    def join(
        self, vectors: list[Vector], day: float | None, centroid_terms: int, semantic: np.ndarray | None = None, outlet: str | None = None
    ) -> None:
        if semantic is not None:
            self.semantic = semantic.astype(np.float64) if self.semantic is None else self.semantic + semantic
        if outlet:
            self.outlets[outlet] = self.outlets.get(outlet, 0) + 1
        for channel, vector in enumerate(vectors):
            centroid = self.centroids[channel]
            get = centroid.get
            product = 0.0
            for term, weight in vector.items():
                old = get(term, 0.0)
                product += weight * old
                centroid[term] = old + weight
            self.norms2[channel] += 2.0 * product + sum(w * w for w in vector.values())
            if len(centroid) > 2 * centroid_terms:
                kept = heapq.nlargest(centroid_terms, centroid.items(), key=lambda kv: kv[1])
                self.centroids[channel] = dict(kept)
                self.norms2[channel] = sum(w * w for _, w in kept)
        self.size += 1
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)

    def leave(self, members: list[Member]) -> None:
        """Take `members` out (a split): their vectors come off the centroids."""
        gone = {member.article_id for member in members}
        for member in members:
            if member.semantic is not None and self.semantic is not None:
                self.semantic = self.semantic - member.semantic
            if member.outlet in self.outlets:
                self.outlets[member.outlet] -= 1
                if not self.outlets[member.outlet]:
                    del self.outlets[member.outlet]
            for centroid, vector in zip(self.centroids, member.vectors):
                for term, weight in vector.items():
                    left = centroid.get(term, 0.0) - weight
                    if left > 1e-9:
                        centroid[term] = left
                    else:
                        centroid.pop(term, None)
        self.norms2 = [sum(w * w for w in centroid.values()) for centroid in self.centroids]
        self.size -= len(members)
        if self.members is None:  # a settled story keeps its span: its members' days are forgotten
            return
        self.members = [member for member in self.members if member.article_id not in gone]
        days = [member.day for member in self.members if member.day is not None]
        self.first, self.last = (min(days), max(days)) if days else (None, None)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "size": self.size,
            "first": self.first,
            "last": self.last,
            "norms2": self.norms2,
            "centroids": self.centroids,
            "members": None if self.members is None else [[m.article_id, m.day, m.vectors, _listed(m.semantic), m.outlet] for m in self.members],
            "next_check": self.next_check,
            "semantic": _listed(self.semantic),
            "outlets": self.outlets,
            **({"alias_of": self.alias_of} if self.alias_of else {}),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> StoryState:
        members = data["members"]
        return cls(
            id=data["id"],
            centroids=[dict(c) for c in data["centroids"]],
            norms2=list(data["norms2"]),
            size=data["size"],
            first=data["first"],
            last=data["last"],
            members=None if members is None else [Member(i, day, [dict(v) for v in vectors], _array(e), o) for i, day, vectors, e, o in members],
            next_check=data["next_check"],
            semantic=_array(data["semantic"]),
            outlets=dict(data["outlets"]),
            alias_of=data.get("alias_of"),
        )


def _listed(vector: np.ndarray | None) -> str | None:
    """A semantic vector as base64 float32: a quarter of the size of its numbers written out."""
    return None if vector is None else base64.b64encode(vector.astype("<f4").tobytes()).decode("ascii")


def _array(encoded: str | None) -> np.ndarray | None:
    return None if encoded is None else np.frombuffer(base64.b64decode(encoded), dtype="<f4").astype(np.float64)


def encode_state(state: Mapping) -> bytes:
    """The clusterer's state, versioned, as saved in the store."""
    return zlib.compress(json.dumps({"version": STATE_VERSION, **state}, separators=(",", ":")).encode("utf-8"), 6)


def decode_state(data: bytes) -> dict:
    """A saved state read back; `StateVersionError` when another version wrote it."""
    state = json.loads(zlib.decompress(data).decode("utf-8"))
    if state.get("version") != STATE_VERSION:
        raise StateVersionError("clusterer", state.get("version"), STATE_VERSION)
    return state
