"""Who acted on whom (events) and who spoke about whom (actors named inside a speaker's quotes)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..records import AccountActor, AccountEvent, AccountQuote, NetworkEdge


def build_network(
    actors: Sequence[AccountActor], quotes: Sequence[AccountQuote], events: Sequence[AccountEvent]
) -> tuple[NetworkEdge, ...]:
    acted: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in events:
        if item.source and item.target and item.source.id and item.target.id and item.source.id != item.target.id:
            acted[item.source.id, item.target.id].append(item.type)
    mentions_at: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for actor in actors:
        for citation in actor.citations:
            mentions_at[citation.article_id].append((citation.start, actor.id))
    spoke: dict[tuple[str, str], int] = defaultdict(int)
    for quote in quotes:
        if not quote.speaker:
            continue
        about: set[str] = set()
        for version in quote.versions:
            for part in version.parts or (version.citation,):
                about.update(actor for start, actor in mentions_at[part.article_id] if part.start <= start < part.end)
        for actor in sorted(about - {quote.speaker}):
            spoke[quote.speaker, actor] += 1
    edges = [
        NetworkEdge(source, target, "event", ", ".join(sorted(set(types))), len(types))
        for (source, target), types in acted.items()
    ]
    edges += [NetworkEdge(source, target, "quote", "spoke about", count) for (source, target), count in spoke.items()]
    return tuple(edges)
