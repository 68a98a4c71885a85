"""An analyst's word on grouping, as constraints `StoryAssigner.place` obeys.

Corrections (`storyline.corrections`) say which articles must share a story (a merge, a move, a
split's moved articles, "same story") and which never may (a split's two sides, "never the
same"). Must-links join articles into groups (union-find); a cannot-link between two articles
keeps their whole groups apart. Each link remembers the correction that made it, so a conflict
with the model's evidence can name it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """Two articles the correction `correction` says must (or must never) share a story."""

    first: str
    second: str
    correction: int


class GroupingConstraints:
    """Must-link groups and cannot-links between articles; empty (and false) without corrections."""

    def __init__(self, must: Iterable[Link] = (), cannot: Iterable[Link] = ()):
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}  # root -> its group, in the order articles were linked
        self._pinned_by: dict[str, int] = {}  # article -> the latest correction linking it to its group
        self._cannot: dict[str, dict[str, int]] = {}
        for link in must:
            self._union(link.first, link.second)
            for article_id in (link.first, link.second):
                self._pinned_by[article_id] = link.correction
        for link in cannot:
            self._cannot.setdefault(link.first, {})[link.second] = link.correction
            self._cannot.setdefault(link.second, {})[link.first] = link.correction

    def __bool__(self) -> bool:
        return bool(self._parent or self._cannot)

    def _root(self, article_id: str) -> str:
        root = article_id
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while article_id != root:  # path compression
            self._parent[article_id], article_id = root, self._parent[article_id]
        return root

    def _union(self, first: str, second: str) -> None:
        for article_id in (first, second):
            if article_id not in self._parent:
                self._parent[article_id] = article_id
                self._members[article_id] = [article_id]
        a, b = self._root(first), self._root(second)
        if a != b:
            self._parent[b] = a
            self._members[a].extend(self._members.pop(b))

    def partners(self, article_id: str) -> list[str]:
        """The other articles that must share this one's story."""
        if article_id not in self._parent:
            return []
        return [other for other in self._members[self._root(article_id)] if other != article_id]

    def pinned_by(self, article_id: str) -> int | None:
        return self._pinned_by.get(article_id)

    def forbidden(self, article_id: str) -> dict[str, int]:
        """Articles this one may never share a story with (through its group too), each with the
        correction that says so."""
        found: dict[str, int] = {}
        for member in (article_id, *self.partners(article_id)):
            for other, correction in self._cannot.get(member, {}).items():
                found.setdefault(other, correction)
                for partner in self.partners(other):
                    found.setdefault(partner, correction)
        return found
