"""The stories list: newest and biggest first, with full-text search and filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from ...export import story_row
from ...records import ArticleMatch, Story, StoryFilter
from .. import svg
from .base import (
    ActorRef, ArticleRef, DayCount, Pagination, actor_href, article_href, csv_response, csv_twin, paginate, render, story_href,
    storyline_of,
)
from .params import Day, Limit, Offset, Text

TOP_ACTORS = 5
MAX_OUTLETS = 200

router = APIRouter(tags=["stories"])


class Passage(BaseModel):
    """Where a search matched: the article's best passage, the matched words at `marks`."""

    text: str
    marks: list[tuple[int, int]]  # [start, end) within `text`
    href: str  # the article page


class StoryItem(BaseModel):
    id: str
    href: str
    headline: str | None
    articles: int
    outlets: list[str]
    first: datetime | None
    last: datetime | None
    actors: list[ActorRef]  # the most present, at most five
    passage: Passage | None = None  # when searching: the best-matching passage of its articles

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


class ArticleHit(ArticleRef):
    story: str | None  # its story's page
    passage: Passage


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
    articles: list[ArticleHit]  # when searching: the matching articles, best first
    articles_page: Pagination | None
    per_day: list[DayCount]  # when searching: matching articles published each day


class StoriesQuery(BaseModel):
    filters: StoryFilter
    limit: int
    offset: int


def stories_query(
    q: Annotated[Text, Query(description='words to find in the articles: every word must occur; "a phrase", OR, -word')] = None,
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
) -> StoriesQuery:
    chosen = order or ("relevance" if q else "biggest")
    filters = StoryFilter(text=q, since=since, until=until, outlet=outlet, actor=actor, order=chosen)
    return StoriesQuery(filters=filters, limit=limit, offset=offset)


def passage_of(match: ArticleMatch) -> Passage:
    return Passage(text=match.snippet, marks=list(match.marks), href=article_href(match.article.id))


def stories_page(
    request: Request,
    query: Annotated[StoriesQuery, Depends(stories_query)],
    articles_limit: Limit = 10,
    articles_offset: Offset = 0,
) -> StoriesPage:
    storyline = storyline_of(request)
    filters, limit, offset = query.filters, query.limit, query.offset
    stories, total = storyline.find_stories(filters, limit=limit, offset=offset)
    items = [StoryItem.of(story) for story in stories]
    hits, articles_page, per_day = [], None, []
    if filters.text:
        per_day = [DayCount(day=day, articles=number) for day, number in storyline.search_articles_per_day(filters.text)]
        # each story's best passage (its best-ranked matching article), then the articles themselves
        best: dict[str, Passage] = {}
        for match in storyline.search_articles(filters.text, limit=10 * len(items), story_ids=[s.id for s in items])[0]:
            best.setdefault(match.story_id, passage_of(match))
        items = [item.model_copy(update={"passage": best.get(item.id)}) for item in items]
        matches, found = storyline.search_articles(filters.text, limit=articles_limit, offset=articles_offset)
        hits = [
            ArticleHit(
                **ArticleRef.of(match.article).model_dump(),
                story=story_href(match.story_id) if match.story_id else None,
                passage=passage_of(match),
            )
            for match in matches
        ]
        articles_page = paginate(request, found, articles_limit, articles_offset, "articles_offset")
    q, outlet, actor = filters.text, filters.outlet, filters.actor
    narrowed = [part for part in (q and f"“{q}”", outlet, actor and f"with {actor}") if part]
    return StoriesPage(
        title="Stories" + (f" — {', '.join(narrowed)}" if narrowed else ""),
        filters=StoriesFilters(q=q, since=filters.since, until=filters.until, outlet=outlet, actor=actor, order=filters.order),
        stories=items,
        pagination=paginate(request, total, limit, offset),
        outlets=[OutletCount(name=name, articles=count) for name, count in storyline.outlet_counts()[:MAX_OUTLETS]],
        articles=hits,
        articles_page=articles_page,
        per_day=per_day,
    )


@router.get("/stories.json", response_model=StoriesPage, summary="Stories, filtered and paginated")
def stories_json(page: Annotated[StoriesPage, Depends(stories_page)]) -> StoriesPage:
    return page


@router.get(
    "/stories.csv",
    response_class=Response,
    summary="The same stories as CSV (columns: docs/export.md)",
    responses={200: {"content": {"text/csv": {}}}},
)
def stories_csv(request: Request, query: Annotated[StoriesQuery, Depends(stories_query)]) -> Response:
    stories, _ = storyline_of(request).find_stories(query.filters, limit=query.limit, offset=query.offset)
    return csv_response("stories", map(story_row, stories), "stories.csv")


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
def stories_html(request: Request, page: Annotated[StoriesPage, Depends(stories_page)]) -> HTMLResponse:
    per_day = svg.per_day([(item.day, item.articles) for item in page.per_day], f"Articles matching {page.filters.q} per day")
    return render(request, "stories.html", page, csv_url=csv_twin(request), per_day=per_day)
