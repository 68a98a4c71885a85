"""One article: its text with what was found in it (actors, quotes, events), each linked to its story's item."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel

from ..errors import NotFound
from ..records import Account, StoredArticle
from ..wording import event_code, event_sentence
from .common import AccountCache, ActorRef, account_getter, actor_href, article_href, story_href
from .story import story_actor_anchor, story_event_anchor, story_quote_anchor

if TYPE_CHECKING:
    from ..library import Storyline


class Highlight(BaseModel):
    kind: str  # actor | quote | event
    start: int
    end: int
    text: str
    label: str
    href: str  # the story-level item it belongs to


class StoryLink(BaseModel):
    id: str
    headline: str | None
    href: str


class ArticlePage(BaseModel):
    """`/articles/{id}`: the text as stored, with what was found in it."""

    id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    author: str | None
    url: str | None
    version: int
    story: StoryLink | None
    copy_of: str | None  # the article this one is a syndicated copy of
    copy_of_href: str | None
    text: str
    actors: list[ActorRef]  # each links to the actor's page across stories
    highlights: list[Highlight]
    summary_citations: list[int]  # offsets of sentences the story's summary cites


class StoryItems:
    """Finds the story-level item (merged actor, quote or event) of a place in this article."""

    def __init__(self, account: Account | None, article_id: str):
        self.account = account
        self.actors: dict[int, str] = {}
        self.quotes: dict[int, str] = {}
        self.events: dict[int, str] = {}
        if account is None:
            return
        for actor in account.actors:
            self.actors.update((c.start, actor.id) for c in actor.citations if c.article_id == article_id)
        for quote in account.quotes:
            self.quotes.update(
                (v.citation.start, quote.id) for v in quote.versions if v.citation.article_id == article_id
            )
        for item in account.events:
            self.events.update(
                (m.trigger.start, item.id) for m in item.mentions if m.trigger.article_id == article_id
            )

    def href(self, kind: str, start: int, fallback: str) -> str:
        if self.account is None:
            return fallback
        found = {"actor": self.actors, "quote": self.quotes, "event": self.events}[kind].get(start)
        anchors = {"actor": story_actor_anchor, "quote": story_quote_anchor, "event": story_event_anchor}
        section = {"actor": "actors", "quote": "quotes", "event": "events"}[kind]
        return f"{story_href(self.account.id)}#{anchors[kind](found) if found else section}"


def highlights_of(stored: StoredArticle, items: StoryItems) -> list[Highlight]:
    annotation, article_id = stored.annotation, stored.article.id
    found: list[Highlight] = []
    for actor in annotation.actors:
        for mention in actor.mentions:
            found.append(
                Highlight(
                    kind="actor",
                    start=mention.start,
                    end=mention.end,
                    text=mention.text,
                    label=actor.name + (f", {actor.role}" if actor.role else ""),
                    href=items.href("actor", mention.start, actor_href(actor.id)),
                )
            )
    for quote in annotation.quotes:
        found.append(
            Highlight(
                kind="quote",
                start=quote.start,
                end=quote.end,
                text=quote.text,
                label=f"{quote.kind} quote" + (f" by {quote.speaker.name}" if quote.speaker.name else ""),
                href=items.href("quote", quote.start, f"{article_href(article_id)}#at-{quote.start}"),
            )
        )
    for event in annotation.events:
        found.append(
            Highlight(
                kind="event",
                start=event.trigger.start,
                end=event.trigger.end,
                text=event.trigger.text,
                label=f"{event_sentence(event, stored.article.text)} ({event_code(event)})",
                href=items.href("event", event.trigger.start, f"{article_href(article_id)}#at-{event.trigger.start}"),
            )
        )
    return sorted(found, key=lambda h: (h.start, -h.end, h.kind))


def article_page(storyline: Storyline, article_id: str, accounts: AccountCache | None = None) -> ArticlePage:
    stored = storyline.article(article_id)
    article = stored.article
    account = None
    if stored.story_id:
        try:
            account = account_getter(storyline, accounts)(stored.story_id)
        except NotFound:
            account = None
    items = StoryItems(account, article.id)
    return ArticlePage(
        id=article.id,
        title=article.title,
        outlet=article.source,
        published=article.published,
        author=article.author,
        url=article.url,
        version=stored.version,
        story=StoryLink(id=account.id, headline=account.headline, href=story_href(account.id)) if account else None,
        copy_of=stored.duplicate_of,
        copy_of_href=article_href(stored.duplicate_of) if stored.duplicate_of else None,
        text=article.text,
        actors=[ActorRef(id=actor.id, name=actor.name, href=actor_href(actor.id)) for actor in stored.annotation.actors],
        highlights=highlights_of(stored, items),
        summary_citations=sorted(
            {c.start for s in account.summary for c in s.citations if c.article_id == article.id} if account else set()
        ),
    )
