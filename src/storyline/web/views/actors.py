"""One actor across the store: roles, stories, quotes and events over time."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from pydantic import BaseModel

from ...records import StoryFilter
from .. import svg
from .base import ArticleRef, DayCount, Pagination, article_href, paginate, render, storyline_of
from .corrections import CorrectionsPanel, actor_panel
from .params import Limit, Offset
from .stories import StoryItem
from .story import day_of

router = APIRouter(tags=["actors"])


class ActorQuoteItem(BaseModel):
    text: str
    kind: str
    article: ArticleRef
    href: str  # the quote, highlighted in its article


class ActorEventItem(BaseModel):
    type: str
    mode: str | None
    negated: bool
    source: str | None
    target: str | None
    date: str | None  # the event's own resolved date, when the article gives one
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
    corrections: CorrectionsPanel  # the analyst's corrections of the actor


def actor_page(
    request: Request,
    actor_id: Annotated[str, Path(max_length=200, description="an actor id, e.g. dominic-raab")],
    stories_limit: Limit = 20,
    stories_offset: Offset = 0,
    quotes_limit: Limit = 20,
    quotes_offset: Offset = 0,
    events_limit: Limit = 50,
    events_offset: Offset = 0,
) -> ActorPage:
    storyline = storyline_of(request)
    actor = storyline.actor(actor_id)
    stories, story_total = storyline.find_stories(StoryFilter(actor=actor.id, order="newest"), stories_limit, stories_offset)
    quotes, quote_total = storyline.actor_quotes(actor.id, quotes_limit, quotes_offset)
    events, event_total = storyline.actor_events(actor.id, events_limit, events_offset)
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
        stories_page=paginate(request, story_total, stories_limit, stories_offset, "stories_offset"),
        quotes=[
            ActorQuoteItem(
                text=item.quote.text,
                kind=item.quote.kind,
                article=ArticleRef.of(item.article),
                href=f"{article_href(item.article.id)}#at-{item.quote.start}",
            )
            for item in quotes
        ],
        quotes_page=paginate(request, quote_total, quotes_limit, quotes_offset, "quotes_offset"),
        events=[
            ActorEventItem(
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
        events_page=paginate(request, event_total, events_limit, events_offset, "events_offset"),
        per_day=[DayCount(day=day, articles=number) for day, number in storyline.actor_articles_per_day(actor.id)],
        corrections=actor_panel(request, actor.id),
    )


def events_picture(page: ActorPage) -> Markup:
    """This page's events on a date axis, one lane per event type."""
    marks = []
    for item in page.events:
        own_day = day_of(item.date)
        day = own_day or (item.article.published.date() if item.article.published else None)
        if day is None:
            continue
        who = " → ".join(name for name in (item.source, item.target) if name)
        marks.append(
            svg.Mark(day=day, lane=item.type, label=f"{item.type} {who}: “{item.trigger}”", href=item.href, dated=own_day is not None)
        )
    return svg.timeline(marks, f"Events of {page.name} over time")


@router.get("/actors/{actor_id}.json", response_model=ActorPage, summary="One actor across all stories")
def actor_json(page: Annotated[ActorPage, Depends(actor_page)]) -> ActorPage:
    return page


@router.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
def actor_html(request: Request, page: Annotated[ActorPage, Depends(actor_page)]) -> HTMLResponse:
    per_day = svg.per_day([(item.day, item.articles) for item in page.per_day], f"Articles mentioning {page.name} per day")
    return render(request, "actor.html", page, events_picture=events_picture(page), per_day=per_day)
