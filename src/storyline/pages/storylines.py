"""Storylines: stories that continue one another, listed, and each on one timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from pydantic import BaseModel

from ...records import Arc
from .. import svg
from .base import ArticleRef, Pagination, paginate, render, story_href, storyline_of
from .params import Limit, Offset
from .stories import StoryItem

router = APIRouter(tags=["storylines"])
LANE_HEADLINE = 19  # characters of a story's headline naming its row of the timeline


def storyline_href(storyline_id: str) -> str:
    return f"/storylines/{quote(storyline_id, safe='')}"


class StorylineRef(BaseModel):
    """The storyline a story belongs to, as its page names it."""

    id: str
    href: str
    headline: str | None
    stories: int
    continues: str | None  # the earlier story this one continues (None for the first)
    continues_href: str | None
    shared_actors: list[str]


class StorylineItem(BaseModel):
    id: str
    href: str
    headline: str | None  # its biggest story's
    stories: int
    articles: int
    first: datetime | None
    last: datetime | None

    @classmethod
    def of(cls, arc: Arc) -> StorylineItem:
        return cls(
            id=arc.id,
            href=storyline_href(arc.id),
            headline=arc.headline,
            stories=len(arc.stories),
            articles=sum(len(story.articles) for story in arc.stories),
            first=arc.first,
            last=arc.last,
        )


class StorylineStory(StoryItem):
    continues: str | None  # the earlier story of the storyline this one continues
    continues_href: str | None
    similarity: float | None  # of the two stories' profiles
    shared_actors: list[str]  # salient actors of both
    reports: list[ArticleRef]  # its articles, as the timeline shows them


class StorylinesPage(BaseModel):
    """`/storylines`: storylines, the most recently active first."""

    title: str
    storylines: list[StorylineItem]
    pagination: Pagination


class StorylinePage(BaseModel):
    """`/storylines/{id}`: a storyline's stories, in the order they began."""

    title: str
    storyline: StorylineItem
    stories: list[StorylineStory]


def storyline_ref(request: Request, story_id: str) -> StorylineRef | None:
    storyline = storyline_of(request)
    link = storyline.story_storyline(story_id)
    if link is None:
        return None
    arc = storyline.storyline(link.storyline_id)
    return StorylineRef(
        id=arc.id,
        href=storyline_href(arc.id),
        headline=arc.headline,
        stories=len(arc.stories),
        continues=link.continues if link.continues != story_id else None,
        continues_href=story_href(link.continues) if link.continues != story_id else None,
        shared_actors=list(link.shared_actors),
    )


def storylines_page(request: Request, limit: Limit = 20, offset: Offset = 0) -> StorylinesPage:
    storyline = storyline_of(request)
    return StorylinesPage(
        title="Storylines",
        storylines=[StorylineItem.of(arc) for arc in storyline.storylines(limit=limit, offset=offset)],
        pagination=paginate(request, storyline.repo.count_storylines(), limit, offset),
    )


def storyline_page(
    request: Request,
    storyline_id: Annotated[str, Path(max_length=200, description="a storyline id from /storylines.json")],
) -> StorylinePage:
    arc = storyline_of(request).storyline(storyline_id)
    links = {link.story_id: link for link in arc.links}
    stories = []
    for story in arc.stories:
        link = links[story.id]
        first = link.continues == story.id
        stories.append(
            StorylineStory(
                **StoryItem.of(story).model_dump(),
                continues=None if first else link.continues,
                continues_href=None if first else story_href(link.continues),
                similarity=None if first else link.similarity,
                shared_actors=list(link.shared_actors),
                reports=[ArticleRef.of(article) for article in story.articles],
            )
        )
    return StorylinePage(title=arc.headline or f"Storyline {arc.id}", storyline=StorylineItem.of(arc), stories=stories)


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
def storylines_json(page: Annotated[StorylinesPage, Depends(storylines_page)]) -> StorylinesPage:
    return page


@router.get("/storylines", response_class=HTMLResponse, include_in_schema=False)
def storylines_html(request: Request, page: Annotated[StorylinesPage, Depends(storylines_page)]) -> HTMLResponse:
    return render(request, "storylines.html", page)


@router.get("/storylines/{storyline_id}.json", response_model=StorylinePage, summary="One storyline's stories")
def storyline_json(page: Annotated[StorylinePage, Depends(storyline_page)]) -> StorylinePage:
    return page


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
def storyline_html(request: Request, page: Annotated[StorylinePage, Depends(storyline_page)]) -> HTMLResponse:
    return render(request, "storyline.html", page, timeline=timeline_picture(page))
