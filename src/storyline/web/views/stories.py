"""The stories list: newest and biggest first, with full-text search and filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from ...records import Story
from ...records import StoryFilter
from .base import ActorRef, Pagination, actor_href, paginate, render, story_href, storyline_of
from .params import Day, Limit, Offset, Text

TOP_ACTORS = 5
MAX_OUTLETS = 200

router = APIRouter(tags=["stories"])


class StoryItem(BaseModel):
    id: str
    href: str
    headline: str | None
    articles: int
    outlets: list[str]
    first: datetime | None
    last: datetime | None
    actors: list[ActorRef]  # the most present, at most five

    @classmethod
    def of(cls, story: Story) -> StoryItem:
        return cls(
            id=story.id,
            href=story_href(story.id),
            headline=story.headline,
            articles=len(story.articles),
            outlets=list(story.outlets),
            first=story.first,
            last=story.last,
            actors=[ActorRef(id=a.id, name=a.name, href=actor_href(a.id)) for a in story.actors[:TOP_ACTORS]],
        )


class StoriesFilters(BaseModel):
    q: str | None
    since: date | None
    until: date | None
    outlet: str | None
    actor: str | None
    order: Literal["biggest", "newest", "relevance"]


class OutletCount(BaseModel):
    name: str
    articles: int


class StoriesPage(BaseModel):
    """`/stories`: one page of stories and the filters that chose them."""

    title: str
    filters: StoriesFilters
    stories: list[StoryItem]
    pagination: Pagination
    outlets: list[OutletCount]  # what the outlet filter offers, most articles first


def stories_page(
    request: Request,
    q: Annotated[Text, Query(description="words to find in the articles; every word must occur")] = None,
    since: Annotated[Day, Query(description="only stories with an article published on or after this day")] = None,
    until: Annotated[Day, Query(description="only stories with an article published on or before this day")] = None,
    outlet: Annotated[Text, Query(description="only stories with an article from this outlet")] = None,
    actor: Annotated[Text, Query(description="only stories mentioning this actor (id or name)")] = None,
    order: Annotated[
        Literal["biggest", "newest", "relevance"] | None,
        Query(description="biggest (default), newest, or relevance (default when searching)"),
    ] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> StoriesPage:
    storyline = storyline_of(request)
    chosen = order or ("relevance" if q else "biggest")
    filters = StoryFilter(text=q, since=since, until=until, outlet=outlet, actor=actor, order=chosen)
    stories, total = storyline.find_stories(filters, limit=limit, offset=offset)
    narrowed = [part for part in (q and f"“{q}”", outlet, actor and f"with {actor}") if part]
    return StoriesPage(
        title="Stories" + (f" — {', '.join(narrowed)}" if narrowed else ""),
        filters=StoriesFilters(q=q, since=since, until=until, outlet=outlet, actor=actor, order=chosen),
        stories=[StoryItem.of(story) for story in stories],
        pagination=paginate(request, total, limit, offset),
        outlets=[OutletCount(name=name, articles=count) for name, count in storyline.outlet_counts()[:MAX_OUTLETS]],
    )


@router.get("/stories.json", response_model=StoriesPage, summary="Stories, filtered and paginated")
def stories_json(page: Annotated[StoriesPage, Depends(stories_page)]) -> StoriesPage:
    return page


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_html(request: Request, page: Annotated[StoriesPage, Depends(stories_page)]) -> HTMLResponse:
    return render(request, "stories.html", page)
