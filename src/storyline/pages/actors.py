"""Actors across the store: the list, and one actor's roles, stories, quotes and events over time."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..records import ActorSummary, StoryFilter
from ..wording import event_code, event_sentence
from .common import ArticleRef, DayCount, EventFacts, Here, Pagination, actor_href, article_href, day_counts, paginate
from .stories import StoryItem

if TYPE_CHECKING:
    from ..library import Storyline

ACTORS_LIMIT = 20
STORIES_LIMIT = 20
QUOTES_LIMIT = 20
EVENTS_LIMIT = 50


class ActorQuoteItem(BaseModel):
    text: str
    kind: str
    article: ArticleRef
    href: str  # the quote, highlighted in its article


class ActorEventItem(EventFacts):
    trigger: str
    article: ArticleRef
    href: str  # the event's words, highlighted in its article


class RoleSpellItem(BaseModel):
    role: str
    first: str | None  # ISO date of the first article giving the role
    last: str | None
    articles: int


class ActorPage(BaseModel):
    """`/actors/{id}`: one actor, with its stories, quotes and events a page at a time."""

    id: str
    name: str
    type: str
    names: list[str]
    aliases: list[str]  # how articles refer to it: "Mr Raab", "the foreign secretary"
    roles: list[str]
    role_history: list[RoleSpellItem]
    country: str | None
    sector: str | None
    articles: int
    mentions: int
    stories: list[StoryItem]
    stories_page: Pagination
    quotes: list[ActorQuoteItem]
    quotes_page: Pagination
    events: list[ActorEventItem]
    events_page: Pagination
    per_day: list[DayCount]  # articles mentioning the actor, per day of publication


def actor_page(
    storyline: Storyline,
    here: Here,
    actor_id: str,
    stories_limit: int = STORIES_LIMIT,
    stories_offset: int = 0,
    quotes_limit: int = QUOTES_LIMIT,
    quotes_offset: int = 0,
    events_limit: int = EVENTS_LIMIT,
    events_offset: int = 0,
) -> ActorPage:
    actor = storyline.actor(actor_id)
    stories, story_total = storyline.find_stories(StoryFilter(actor=actor.id, order="newest"), stories_limit, stories_offset)
    quotes, quote_total = storyline.actor_quotes(actor.id, quotes_limit, quotes_offset)
    events, event_total = storyline.actor_events(actor.id, events_limit, events_offset)
    texts = cache(lambda article_id: storyline.article(article_id).article.text)  # for the events' own words
    return ActorPage(
        id=actor.id,
        name=actor.name,
        type=actor.type,
        names=list(actor.names),
        aliases=list(actor.aliases),
        roles=list(actor.roles),
        role_history=[
            RoleSpellItem(
                role=spell.role,
                first=spell.first.date().isoformat() if spell.first else None,
                last=spell.last.date().isoformat() if spell.last else None,
                articles=spell.articles,
            )
            for spell in actor.role_history
        ],
        country=actor.country,
        sector=actor.sector,
        articles=actor.articles,
        mentions=actor.mentions,
        stories=[StoryItem.of(story) for story in stories],
        stories_page=paginate(here, story_total, stories_limit, stories_offset, "stories_offset"),
        quotes=[
            ActorQuoteItem(
                text=item.quote.text,
                kind=item.quote.kind,
                article=ArticleRef.of(item.article),
                href=f"{article_href(item.article.id)}#at-{item.quote.start}",
            )
            for item in quotes
        ],
        quotes_page=paginate(here, quote_total, quotes_limit, quotes_offset, "quotes_offset"),
        events=[
            ActorEventItem(
                description=event_sentence(item.event, texts(item.article.id)),
                code=event_code(item.event),
                type=item.event.type,
                mode=item.event.mode,
                negated=item.event.negated,
                source=item.event.source.name if item.event.source else None,
                target=item.event.target.name if item.event.target else None,
                date=item.event.date,
                trigger=item.event.trigger.text,
                article=ArticleRef.of(item.article),
                href=f"{article_href(item.article.id)}#at-{item.event.trigger.start}",
            )
            for item in events
        ],
        events_page=paginate(here, event_total, events_limit, events_offset, "events_offset"),
        per_day=day_counts(storyline.actor_articles_per_day(actor.id)),
    )


class ActorItem(BaseModel):
    id: str
    href: str
    name: str
    type: str
    country: str | None
    aliases: list[str]  # how articles refer to it, at most six
    roles: list[str]
    articles: int
    stories: int
    mentions: int

    @classmethod
    def of(cls, actor: ActorSummary) -> ActorItem:
        return cls(
            id=actor.id, href=actor_href(actor.id), name=actor.name, type=actor.type, country=actor.country,
            aliases=list(actor.aliases[:6]), roles=list(actor.roles), articles=actor.articles, stories=actor.stories,
            mentions=actor.mentions,
        )


class ActorsPage(BaseModel):
    """`/actors`: actors across the store (people and bodies told apart from their namesakes), most articles first."""

    title: str
    q: str | None  # only actors whose name holds these words
    actors: list[ActorItem]
    pagination: Pagination


def actors_page(storyline: Storyline, here: Here, q: str | None = None, limit: int = ACTORS_LIMIT, offset: int = 0) -> ActorsPage:
    found, total = storyline.find_actors(q, limit=limit, offset=offset)
    return ActorsPage(
        title="Actors" + (f" — “{q}”" if q else ""),
        q=q,
        actors=[ActorItem.of(actor) for actor in found],
        pagination=paginate(here, total, limit, offset),
    )
