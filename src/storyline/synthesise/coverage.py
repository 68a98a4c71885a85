"""Which outlets carry which actor, quote and event, and what only one outlet reported."""

from __future__ import annotations

from collections.abc import Sequence

from ..records import AccountActor, AccountEvent, AccountQuote, Coverage, CoverageRow, OnlyIn, Syndication
from .corpus import Corpus


def build_coverage(
    corpus: Corpus, actors: Sequence[AccountActor], quotes: Sequence[AccountQuote], events: Sequence[AccountEvent]
) -> Coverage:
    rows = [CoverageRow("actor", a.id, a.name, a.outlets, corpus.sources_of(a.articles)) for a in actors]
    rows += [CoverageRow("quote", q.id, q.label, q.outlets, corpus.sources_of(q.articles)) for q in quotes]
    rows += [CoverageRow("event", e.id, e.label, e.outlets, corpus.sources_of(e.articles)) for e in events]
    independent = corpus.outlets_of(a for a in corpus.ids() if not corpus.is_copy(a))
    only_in = []
    if len(independent) > 1:
        for outlet in independent:
            alone = [row for row in rows if row.sources == (outlet,)]
            only_in.append(
                OnlyIn(
                    outlet,
                    actors=tuple(r.id for r in alone if r.kind == "actor"),
                    quotes=tuple(r.id for r in alone if r.kind == "quote"),
                    events=tuple(r.id for r in alone if r.kind == "event"),
                )
            )
    syndicated = tuple(
        Syndication(a, corpus.by_id[a].article.source, corpus.origin(a), corpus.by_id[corpus.origin(a)].article.source)
        for a in corpus.ids()
        if corpus.is_copy(a)
    )
    return Coverage(
        outlets=corpus.outlets_of(corpus.ids()),
        rows=tuple(rows),
        only_in=tuple(only_in),
        independent_sources=len(independent),
        syndicated=syndicated,
    )
