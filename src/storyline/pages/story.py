"""One story, told from all its reports: the page of a story's `Account`."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..outlet_profiles import OutletTable, coverage_by
from ..records import Account, AccountArticle, AccountQuote
from ..wording import articles_and_outlets
from .common import (
    AccountCache, ActorRef, ArticleRef, DayCount, EventFacts, Here, Pagination, account_getter, actor_href, anchor, article_href,
    day_counts, paginate, story_href,
)
from .storylines import StorylineRef, storyline_ref

if TYPE_CHECKING:
    from ..library import Storyline

ARTICLES_LIMIT = 50
EXPORT_TABLES = ("articles", "actors", "quotes", "events")


class CitationItem(BaseModel):
    article_id: str
    outlet: str | None
    start: int
    end: int
    text: str
    href: str  # the article page, at the cited place


class SummaryItem(BaseModel):
    text: str
    citations: list[CitationItem]


class StoryActorItem(BaseModel):
    id: str
    anchor: str
    name: str
    type: str
    roles: list[str]
    names: list[str]
    country: str | None
    sector: str | None
    mentions: int
    articles: int
    outlets: list[str]
    href: str  # the actor's page across all stories


class DiffItem(BaseModel):
    op: str  # same | omitted | added | changed
    reference: str
    version: str


class QuoteVersionItem(BaseModel):
    citation: CitationItem
    kind: str
    drift: str  # reference | verbatim | truncated | altered | paraphrased
    similarity: float
    differences: list[DiffItem]


class QuoteItem(BaseModel):
    id: str
    anchor: str
    text: str
    kind: str
    outlets: list[str]
    drift: list[str]  # empty when every outlet gives the same words
    versions: list[QuoteVersionItem]


class SpeakerQuotes(BaseModel):
    speaker: ActorRef | None  # None when the speaker is not resolved to an actor
    name: str
    quotes: list[QuoteItem]


class EventMentionItem(BaseModel):
    trigger: CitationItem
    sentence: CitationItem
    date: str | None
    claimed_by: str | None = None


class EventItem(EventFacts):
    id: str
    anchor: str
    location: str | None
    outlets: list[str]
    mentions: list[EventMentionItem]
    differences: list[str] = []  # where the outlets disagree: "date: 2026-03-08 (Daily Ledger) / ..."


class TimelineItem(BaseModel):
    when: str | None
    dated_by: str  # event | article | publication | undated
    kind: str  # event | publication
    type: str | None  # the PLOVER type of an event
    code: str | None  # an event's PLOVER coding, shown beside its label: "SANCTION · expel"
    label: str  # an event in plain words, or a report's title
    outlets: list[str]
    href: str | None


class NetworkEdge(BaseModel):
    source: str  # actor ids
    target: str
    kind: str  # event | quote
    label: str
    count: int


class CoverageRowItem(BaseModel):
    kind: str  # actor | quote | event
    id: str
    label: str
    href: str
    outlets: list[str]
    sources: list[str]
    articles: list[int]  # how many articles of each outlet (the matrix columns) carry it


class OnlyInItem(BaseModel):
    outlet: str
    items: list[CoverageRowItem]


class CoverageItem(BaseModel):
    outlets: list[str]
    rows: list[CoverageRowItem]
    only_in: list[OnlyInItem]
    independent_sources: int


class SideItem(BaseModel):
    """Coverage under one value (a lean, a country) of the user's outlets table."""

    value: str
    articles: int
    outlets: list[str]


class StoryArticleItem(ArticleRef):
    copy_of: str | None  # the article this one is a syndicated copy of


class StoryPage(BaseModel):
    """`/stories/{id}`: the story's account, with its articles one page at a time."""

    id: str
    headline: str | None
    overview: str  # "3 articles from 2 outlets", "2 articles, outlets unknown"
    first: datetime | None
    last: datetime | None
    outlets: list[str]
    summary: list[SummaryItem]
    actors: list[StoryActorItem]
    quotes: list[SpeakerQuotes]
    events: list[EventItem]
    timeline: list[TimelineItem]
    network: list[NetworkEdge]
    coverage: CoverageItem
    articles: list[StoryArticleItem]
    articles_page: Pagination
    exports: dict[str, str]  # table -> its CSV (articles, actors, quotes, events; docs/export.md)
    coverage_by: dict[str, list[SideItem]]  # lean, country -> articles (empty without an outlets table)
    per_day: list[DayCount]  # articles published each day, the undated left out
    storyline: StorylineRef | None  # the storyline the story belongs to, if any


def citation_item(citation) -> CitationItem:
    return CitationItem(
        article_id=citation.article_id,
        outlet=citation.outlet,
        start=citation.start,
        end=citation.end,
        text=citation.text,
        href=f"{article_href(citation.article_id)}#at-{citation.start}",
    )


def story_actor_anchor(actor_id: str) -> str:
    return anchor("actor", actor_id)


def story_quote_anchor(quote_id: str) -> str:
    return anchor("quote", quote_id)


def story_event_anchor(event_id: str) -> str:
    return anchor("event", event_id)


def quote_item(quote: AccountQuote) -> QuoteItem:
    return QuoteItem(
        id=quote.id,
        anchor=story_quote_anchor(quote.id),
        text=quote.text,
        kind=quote.kind,
        outlets=list(quote.outlets),
        drift=list(quote.drift),
        versions=[
            QuoteVersionItem(
                citation=citation_item(version.citation),
                kind=version.kind,
                drift=version.drift,
                similarity=round(version.similarity, 3),
                differences=[DiffItem(op=d.op, reference=d.reference, version=d.version) for d in version.differences],
            )
            for version in quote.versions
        ],
    )


def quotes_by_speaker(account: Account) -> list[SpeakerQuotes]:
    """Quotes grouped under their speaker, the most quoted first and the unattributed last;
    within a speaker, quotes whose wording drifted, then those most widely reported, first."""
    names = {actor.id: actor.name for actor in account.actors}
    groups: dict[tuple[str | None, str], list[QuoteItem]] = defaultdict(list)
    for quote in account.quotes:
        name = names.get(quote.speaker or "", quote.speaker_name or "Unattributed")
        groups[quote.speaker if quote.speaker in names else None, name].append(quote_item(quote))
    ordered = sorted(groups.items(), key=lambda group: (group[0][0] is None, -len(group[1])))
    return [
        SpeakerQuotes(
            speaker=ActorRef(id=speaker, name=name, href=f"#{story_actor_anchor(speaker)}") if speaker else None,
            name=name,
            quotes=sorted(quotes, key=lambda quote: (not quote.drift, -len(quote.outlets))),
        )
        for (speaker, name), quotes in ordered
    ]


def network_edges(account: Account) -> list[NetworkEdge]:
    return [NetworkEdge(source=e.source, target=e.target, kind=e.kind, label=e.label, count=e.count) for e in account.network]


def timeline_items(account: Account) -> list[TimelineItem]:
    events = {item.id: item for item in account.events}
    return [
        TimelineItem(
            when=entry.when,
            type=events[entry.event_id].type if entry.event_id in events else None,
            code=events[entry.event_id].code if entry.event_id in events else None,
            dated_by=entry.dated_by,
            kind=entry.kind,
            label=entry.label,
            outlets=list(entry.outlets),
            href=f"#{story_event_anchor(entry.event_id)}"
            if entry.event_id
            else (article_href(entry.articles[0]) if entry.articles else None),
        )
        for entry in account.timeline
    ]


def coverage_item(account: Account) -> CoverageItem:
    hrefs = {"actor": story_actor_anchor, "quote": story_quote_anchor, "event": story_event_anchor}
    # an article without an outlet is a column of its own, as in the account
    column_of = {article.id: article.source or article.id for article in account.articles}
    carried_by = {
        **{("actor", a.id): a.articles for a in account.actors},
        **{("quote", q.id): q.articles for q in account.quotes},
        **{("event", e.id): e.articles for e in account.events},
    }

    def per_column(kind: str, item_id: str) -> list[int]:
        columns = [column_of.get(article, article) for article in carried_by.get((kind, item_id), ())]
        return [columns.count(outlet) for outlet in account.coverage.outlets]

    rows = [
        CoverageRowItem(
            kind=row.kind,
            id=row.id,
            label=row.label,
            href=f"#{hrefs[row.kind](row.id)}" if row.kind in hrefs else "",
            outlets=list(row.outlets),
            sources=list(row.sources),
            articles=per_column(row.kind, row.id),
        )
        for row in account.coverage.rows
    ]
    by_id = {(row.kind, row.id): row for row in rows}
    only_in = [
        OnlyInItem(
            outlet=only.outlet,
            items=[
                by_id[kind, item]
                for kind, items in (("actor", only.actors), ("quote", only.quotes), ("event", only.events))
                for item in items
                if (kind, item) in by_id
            ],
        )
        for only in account.coverage.only_in
    ]
    return CoverageItem(
        outlets=list(account.coverage.outlets),
        rows=rows,
        only_in=only_in,
        independent_sources=account.coverage.independent_sources,
    )


def article_item(article: AccountArticle) -> StoryArticleItem:
    return StoryArticleItem(**ArticleRef.of(article).model_dump(), copy_of=article.duplicate_of)


def story_page(
    storyline: Storyline,
    here: Here,
    story_id: str,
    articles_limit: int = ARTICLES_LIMIT,
    articles_offset: int = 0,
    outlets: OutletTable | None = None,
    accounts: AccountCache | None = None,
    sentences: int | None = None,
) -> StoryPage:
    """The story's account, its articles a page at a time; with the user's `outlets` table,
    its coverage by lean and country. `sentences`: the summary's length, when not the usual."""
    account = storyline.account(story_id, sentences) if sentences is not None else account_getter(storyline, accounts)(story_id)
    return StoryPage(
        id=account.id,
        headline=account.headline,
        overview=articles_and_outlets(article.source for article in account.articles),
        first=account.first,
        last=account.last,
        outlets=list(account.outlets),
        summary=[
            SummaryItem(text=sentence.text, citations=[citation_item(c) for c in sentence.citations])
            for sentence in account.summary
        ],
        actors=[
            StoryActorItem(
                id=actor.id,
                anchor=story_actor_anchor(actor.id),
                name=actor.name,
                type=actor.type,
                roles=list(actor.roles),
                names=list(actor.names),
                country=actor.country,
                sector=actor.sector,
                mentions=actor.mentions,
                articles=len(actor.articles),
                outlets=list(actor.outlets),
                href=actor_href(actor.id),
            )
            for actor in account.actors
        ],
        quotes=quotes_by_speaker(account),
        events=[
            EventItem(
                id=item.id,
                anchor=story_event_anchor(item.id),
                description=item.label,
                code=item.code,
                type=item.type,
                mode=item.mode,
                negated=item.negated,
                source=item.source.name if item.source else None,
                target=item.target.name if item.target else None,
                date=item.date,
                location=item.location,
                outlets=list(item.outlets),
                mentions=[
                    EventMentionItem(
                        trigger=citation_item(mention.trigger),
                        sentence=citation_item(mention.sentence),
                        date=mention.date,
                        claimed_by=mention.claimed_by,
                    )
                    for mention in item.mentions
                ],
                differences=[d.label for d in item.disagreements],
            )
            for item in account.events
        ],
        timeline=timeline_items(account),
        network=network_edges(account),
        coverage=coverage_item(account),
        articles=[article_item(a) for a in account.articles[articles_offset : articles_offset + articles_limit]],
        articles_page=paginate(here, len(account.articles), articles_limit, articles_offset, "articles_offset"),
        exports={table: f"{story_href(account.id)}/{table}.csv" for table in EXPORT_TABLES},
        coverage_by=sides_of(outlets, account),
        per_day=day_counts(sorted(Counter(a.published.date() for a in account.articles if a.published).items())),
        storyline=storyline_ref(storyline, account.id),
    )


def sides_of(table: OutletTable | None, account: Account) -> dict[str, list[SideItem]]:
    if table is None:
        return {}
    return {
        field: [
            SideItem(value=group.value, articles=group.articles, outlets=list(group.outlets))
            for group in coverage_by(table, (article.source for article in account.articles), field)
        ]
        for field in ("lean", "country")
    }
