"""Storylines (`storyline.pages.storylines`): the list, and one storyline on one timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ...pages.storylines import STORYLINES_LIMIT, StorylinePage, StorylinesPage, storyline_page, storylines_page
from .. import svg
from .base import here, render, storyline_of
from .params import Limit, Offset

router = APIRouter(tags=["storylines"])
LANE_HEADLINE = 30  # characters of a story's headline naming its row of the timeline


def list_of(request: Request, limit: Limit = STORYLINES_LIMIT, offset: Offset = 0) -> StorylinesPage:
    return storylines_page(storyline_of(request), here(request), limit, offset)


def page_of(
    request: Request,
    storyline_id: Annotated[str, Path(max_length=200, description="a storyline id from /storylines.json")],
) -> StorylinePage:
    return storyline_page(storyline_of(request), storyline_id)


def timeline_picture(page: StorylinePage) -> Markup:
    """One row per story, one dot per article on the day it was published."""
    marks = []
    for number, story in enumerate(page.stories, start=1):
        lane = f"{number}. {svg.shorten(story.headline or story.id, LANE_HEADLINE)}"
        for article in story.reports:
            if article.published:
                label = f"{article.outlet or 'unknown outlet'}: {article.title or article.id}"
                marks.append(svg.Mark(day=article.published.date(), lane=lane, label=label, href=article.href))
    return svg.timeline(marks, f"The stories of {page.title}, day by day")


@router.get("/storylines.json", response_model=StorylinesPage, summary="Storylines, the most recently active first")
def storylines_json(page: Annotated[StorylinesPage, Depends(list_of)]) -> StorylinesPage:
    return page


@router.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
def storylines_html(request: Request, page: Annotated[StorylinesPage, Depends(list_of)]) -> HTMLResponse:
    return render(request, "storylines.html", page)


@router.get("/storylines/{storyline_id}.json", response_model=StorylinePage, summary="One storyline's stories")
def storyline_json(page: Annotated[StorylinePage, Depends(page_of)]) -> StorylinePage:
    return page


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
def storyline_html(request: Request, page: Annotated[StorylinePage, Depends(page_of)]) -> HTMLResponse:
    return render(request, "storyline.html", page, timeline=timeline_picture(page))
