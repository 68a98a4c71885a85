"""The story's timeline: events by their resolved dates, articles by publication."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import AccountEvent, TimelineEntry
from .corpus import Corpus


def build_timeline(corpus: Corpus, events: Sequence[AccountEvent]) -> tuple[TimelineEntry, ...]:
    """Events by resolved date and articles by publication. An event without a date of its own
    comes right after its first report, in the order that report tells them; articles and
    events without any date come last, article by article."""

    def place(when: str | None, rank: int, article_id: str, offset: int) -> tuple:
        if when is None:
            return (1, corpus.order[article_id], rank, offset)
        return (0, when, rank, corpus.order[article_id], offset)

    keyed = []
    for article_id, stored in corpus.by_id.items():
        article = stored.article
        published = article.published.isoformat() if article.published else None
        label = article.title or "(untitled report)"
        if corpus.is_copy(article_id):
            label += f" (syndicated copy of {corpus.origin(article_id)})"
        entry = TimelineEntry(published, "publication" if published else "undated", "publication", label, (article_id,), (corpus.outlet(article_id),))
        keyed.append((place(published, 1, article_id, 0), entry))
    for item in events:
        if item.negated:
            continue  # what did not happen has no place in time ("left without speaking to journalists")
        first = item.mentions[0].trigger
        published = corpus.by_id[first.article_id].article.published
        when = item.date or (published.isoformat() if published else None)
        dated_by = "event" if item.date else ("article" if when else "undated")
        entry = TimelineEntry(when, dated_by, "event", item.label, item.articles, item.outlets, item.id)
        # an event's own date goes before a publication that day; one placed by its report, after it
        keyed.append((place(when, 0 if item.date else 2, first.article_id, first.start), entry))
    return tuple(entry for _, entry in sorted(keyed, key=lambda pair: pair[0]))
