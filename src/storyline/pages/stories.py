"""The stories list: biggest or newest first, with full-text search and filters."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from ..records import ArticleMatch, Story, StoryFilter
from ..wording import articles_and_outlets
from .common import ActorRef, ArticleRef, DayCount, Here, Pagination, actor_href, article_href, day_counts, paginate, story_href

if TYPE_CHECKING:
    from ..library import Storyline

TOP_ACTORS = 5
MAX_OUTLETS = 200
STORIES_LIMIT = 20  # a page's default size, on the web and in the CLI
ARTICLES_LIMIT = 10


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
    overview: str  # "3 articles from 2 outlets (1 of unknown outlet)", "2 articles, outlets unknown"
    outlets: list[str]
    unknown_outlets: int  # articles whose outlet is not known
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
            overview=articles_and_outlets(article.source for article in story.articles),
            outlets=list(story.outlets),
            unknown_outlets=sum(1 for article in story.articles if not article.source),
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


def passage_of(match: ArticleMatch) -> Passage:
    return Passage(text=match.snippet, marks=list(match.marks), href=article_href(match.article.id))


def stories_page(
    storyline: Storyline,
    here: Here,
    filters: StoryFilter,
    limit: int = STORIES_LIMIT,
    offset: int = 0,
    articles_limit: int = ARTICLES_LIMIT,
    articles_offset: int = 0,
) -> StoriesPage:
    """One page of the stories matching `filters`; when searching, each story's best passage and
    the matching articles themselves."""
    stories, total = storyline.find_stories(filters, limit=limit, offset=offset)
    items = [StoryItem.of(story) for story in stories]
    hits, articles_page, per_day = [], None, []
    if filters.text:
        per_day = day_counts(storyline.search_articles_per_day(filters.text))
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
        articles_page = paginate(here, found, articles_limit, articles_offset, "articles_offset")
    q, outlet, actor = filters.text, filters.outlet, filters.actor
    narrowed = [part for part in (q and f"“{q}”", outlet, actor and f"with {actor}") if part]
    return StoriesPage(
        title="Stories" + (f" — {', '.join(narrowed)}" if narrowed else ""),
        filters=StoriesFilters(q=q, since=filters.since, until=filters.until, outlet=outlet, actor=actor, order=filters.order),
        stories=items,
        pagination=paginate(here, total, limit, offset),
        outlets=[OutletCount(name=name, articles=count) for name, count in storyline.outlet_counts()[:MAX_OUTLETS]],
        articles=hits,
        articles_page=articles_page,
        per_day=per_day,
    )
