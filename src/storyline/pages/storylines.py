"""Storylines: stories that continue one another, listed, and each on one timeline."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..records import Arc
from .common import ArticleRef, Here, Pagination, paginate, story_href, storyline_href
from .stories import StoryItem

if TYPE_CHECKING:
    from ..library import Storyline

STORYLINES_LIMIT = 20


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


def storyline_ref(storyline: Storyline, story_id: str) -> StorylineRef | None:
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


def storylines_page(storyline: Storyline, here: Here, limit: int = STORYLINES_LIMIT, offset: int = 0) -> StorylinesPage:
    return StorylinesPage(
        title="Storylines",
        storylines=[StorylineItem.of(arc) for arc in storyline.storylines(limit=limit, offset=offset)],
        pagination=paginate(here, storyline.count_storylines(), limit, offset),
    )


def storyline_page(storyline: Storyline, storyline_id: str) -> StorylinePage:
    arc = storyline.storyline(storyline_id)
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
