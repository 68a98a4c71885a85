"""The stories list (`storyline.pages.stories`): its query parameters, HTML, JSON and CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from ...export import story_row
from ...pages.stories import ARTICLES_LIMIT, STORIES_LIMIT, StoriesPage, stories_page
from ...records import StoryFilter
from .. import svg
from .base import csv_response, csv_twin, here, render, storyline_of
from .params import Day, Limit, Offset, Text

router = APIRouter(tags=["stories"])


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
    limit: Limit = STORIES_LIMIT,
    offset: Offset = 0,
) -> StoriesQuery:
    filters = StoryFilter.chosen(text=q, since=since, until=until, outlet=outlet, actor=actor, order=order)
    return StoriesQuery(filters=filters, limit=limit, offset=offset)


def page_of(
    request: Request,
    query: Annotated[StoriesQuery, Depends(stories_query)],
    articles_limit: Limit = ARTICLES_LIMIT,
    articles_offset: Offset = 0,
) -> StoriesPage:
    return stories_page(
        storyline_of(request), here(request), query.filters, query.limit, query.offset, articles_limit, articles_offset
    )


@router.get("/stories.json", response_model=StoriesPage, summary="Stories, filtered and paginated")
def stories_json(page: Annotated[StoriesPage, Depends(page_of)]) -> StoriesPage:
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
def stories_html(request: Request, page: Annotated[StoriesPage, Depends(page_of)]) -> HTMLResponse:
    per_day = svg.per_day([(item.day, item.articles) for item in page.per_day], f"Articles matching {page.filters.q} per day")
    return render(request, "stories.html", page, csv_url=csv_twin(request), per_day=per_day)
