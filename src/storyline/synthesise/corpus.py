"""The story's articles as the synthesis sees them, and helpers every part of it shares."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from ..records import Citation, StoredArticle


class Corpus:
    """The story's articles in publication order, with outlet labels and originals of copies."""

    def __init__(self, articles: Sequence[StoredArticle]):
        self.stored = sorted(articles, key=lambda s: moment(s.article.published))
        self.by_id = {s.article.id: s for s in self.stored}
        self.order = {article_id: index for index, article_id in enumerate(self.by_id)}

    def ids(self) -> list[str]:
        return list(self.by_id)

    def outlet(self, article_id: str) -> str:
        """The outlet column an article counts under; an article without an outlet stands for itself."""
        return self.by_id[article_id].article.source or article_id

    def origin(self, article_id: str) -> str:
        """The article whose reporting this is: a syndicated copy's original when the story has it."""
        original = self.by_id[article_id].duplicate_of
        return original if original in self.by_id else article_id

    def is_copy(self, article_id: str) -> bool:
        return self.origin(article_id) != article_id

    def cite(self, article_id: str, start: int, end: int) -> Citation:
        article = self.by_id[article_id].article
        return Citation(article_id, article.source, start, end, article.text[start:end])

    def outlets_of(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.outlet(a) for a in sorted(set(article_ids), key=self.order.__getitem__)))

    def sources_of(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        return self.outlets_of(self.origin(a) for a in article_ids)

    def in_order(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(set(article_ids), key=self.order.__getitem__))


def moment(published: datetime | None) -> tuple[bool, datetime]:
    """A sort key for publication times that may or may not carry a time zone; undated last."""
    if published is None:
        return True, datetime.min
    return False, published.astimezone(timezone.utc).replace(tzinfo=None) if published.tzinfo else published


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def unique(candidate: str, used: set[str]) -> str:
    result, counter = candidate, 2
    while result in used:
        result, counter = f"{candidate}-{counter}", counter + 1
    used.add(result)
    return result


def join_best(groups: list[list], item, scores: dict[int, float | None]) -> int:
    """Add `item` to the group (by index) it fits best, or start a group when none fits or two
    fit equally well; returns the index of the group it is in."""
    fitting = sorted(((score, index) for index, score in scores.items() if score is not None), reverse=True)
    if fitting and (len(fitting) == 1 or fitting[0][0] > fitting[1][0]):
        groups[fitting[0][1]].append(item)
        return fitting[0][1]
    groups.append([item])
    return len(groups) - 1


def most_common(values: Iterable):
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None
