"""One article: its text with actors, quotes and events highlighted, each linked to the story."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from pydantic import BaseModel

from ...errors import NotFound
from ...records import Account
from ...records import StoredArticle
from .base import ActorRef, account_of, actor_href, article_href, render, story_href, storyline_of
from .story import story_actor_anchor, story_event_anchor, story_quote_anchor

router = APIRouter(tags=["articles"])


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
        who = " → ".join(party.name for party in (event.source, event.target) if party)
        found.append(
            Highlight(
                kind="event",
                start=event.trigger.start,
                end=event.trigger.end,
                text=event.trigger.text,
                label=f"{'not ' if event.negated else ''}{event.type}" + (f": {who}" if who else ""),
                href=items.href("event", event.trigger.start, f"{article_href(article_id)}#at-{event.trigger.start}"),
            )
        )
    return sorted(found, key=lambda h: (h.start, -h.end, h.kind))


def article_page(
    request: Request,
    article_id: Annotated[str, Path(max_length=500, description="an article id")],
) -> ArticlePage:
    storyline = storyline_of(request)
    stored = storyline.article(article_id)
    article = stored.article
    account = None
    if stored.story_id:
        try:
            account = account_of(request, stored.story_id)
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


# ---- the highlighted text ---------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Non-overlapping highlights, in text order; a later one overlapping an earlier is left out."""

    starts: list[int]
    items: list[Highlight]

    @classmethod
    def of(cls, highlights: list[Highlight]) -> Layer:
        kept: list[Highlight] = []
        for item in sorted(highlights, key=lambda h: (h.start, -h.end)):
            if item.end > item.start and (not kept or item.start >= kept[-1].end):
                kept.append(item)
        return cls([item.start for item in kept], kept)

    def at(self, offset: int) -> Highlight | None:
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and self.items[index].start <= offset < self.items[index].end:
            return self.items[index]
        return None


# a line break between paragraphs, however many newlines the source used: shown as a blank line
PARAGRAPH_BREAK = re.compile(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*")


def body_start(text: str, title: str | None) -> int:
    """Where the text starts after its own first line when that line is the title (a plain-text
    article keeps its headline in the text): the page shows the title once, as its heading."""
    lead = len(text) - len(text.lstrip())
    if title and text[lead:].startswith(title.strip()):
        after = lead + len(title.strip())
        if after == len(text) or text[after] == "\n":
            return after + len(text[after:]) - len(text[after:].lstrip())
    return 0


def highlighted_text(page: ArticlePage) -> Markup:
    """The article text as HTML: quotes shaded, actors and event words marked, each a link.

    Highlights can nest (an actor named inside a quote); links cannot, so the text is cut at
    every highlight boundary and each piece links to its innermost highlight, with the
    classes of all that cover it. Every place a highlight or a summary citation starts
    carries an id (`at-<offset>`) that other pages link to.
    """
    text = page.text
    body = body_start(text, page.title)
    outer = Layer.of([h for h in page.highlights if h.kind == "quote"])
    inner = Layer.of([h for h in page.highlights if h.kind != "quote"])
    anchors = {h.start for h in outer.items + inner.items} | set(page.summary_citations)
    cuts = sorted({body, len(text)} | anchors | {h.end for h in outer.items + inner.items})
    pieces: list[Markup] = []
    for start, end in zip(cuts, cuts[1:]):
        if not body <= start < end <= len(text):
            continue
        quote, mark = outer.at(start), inner.at(start)
        target = mark or quote
        identity = Markup(f' id="at-{start}"') if start in anchors else Markup("")
        content = escape(PARAGRAPH_BREAK.sub("\n\n", text[start:end]))
        if target is None:
            pieces.append(Markup(f"<span{identity}>{content}</span>") if identity else content)
            continue
        classes = " ".join(f"hl-{h.kind}" for h in (quote, mark) if h)
        pieces.append(
            Markup(f'<a class="hl {classes}" href="{escape(target.href)}" title="{escape(target.label)}"{identity}>{content}</a>')
        )
    return Markup("").join(pieces)


@router.get("/articles/{article_id:path}.json", response_model=ArticlePage, summary="One article with its highlights")
def article_json(page: Annotated[ArticlePage, Depends(article_page)]) -> ArticlePage:
    return page


@router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
def article_html(request: Request, page: Annotated[ArticlePage, Depends(article_page)]) -> HTMLResponse:
    return render(request, "article.html", page, text=highlighted_text(page))
