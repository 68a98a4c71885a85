"""What every page model shares: references to stories, actors and articles, links, pagination.

A page is built from the library (`Storyline`) and `Here`, where it was asked for (its path and
query parameters, from which the links to its neighbouring pages are made). Nothing here knows
of HTTP: the web's JSON twins and the CLI's `--format json` print the same models.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from pydantic import BaseModel

from ..records import Account, AccountArticle, StoryArticle

if TYPE_CHECKING:
    from ..library import Storyline

MAX_PAGE_SIZE = 100


# ---- links -------------------------------------------------------------------------
# Ids come from article files and may hold any character; they are quoted into URLs.


def story_href(story_id: str) -> str:
    return f"/stories/{quote(story_id, safe='')}"


def article_href(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


def actor_href(actor_id: str) -> str:
    return f"/actors/{quote(actor_id, safe='')}"


def storyline_href(storyline_id: str) -> str:
    return f"/storylines/{quote(storyline_id, safe='')}"


def anchor(kind: str, *parts: object) -> str:
    """A fragment id for one item of a story page that other pages can link to.

    Built from the article-level item (article id and offset), so the article page links
    to the same place without loading the whole story.
    """
    digest = hashlib.sha1("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:12]
    return f"{kind}-{digest}"


@dataclass(frozen=True)
class Here:
    """Where a page was asked for: its path (URL-encoded, as in a link) and its query
    parameters in the order given. Pagination links keep every other parameter."""

    path: str
    query: tuple[tuple[str, str], ...] = ()


# ---- shared page parts ---------------------------------------------------------------


class ActorRef(BaseModel):
    id: str
    name: str
    href: str


class ArticleRef(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: datetime | None
    url: str | None  # where it was published
    href: str  # its page here

    @classmethod
    def of(cls, article: StoryArticle | AccountArticle) -> ArticleRef:
        return cls(
            id=article.id,
            title=article.title,
            outlet=article.source,
            published=article.published,
            url=article.url,
            href=article_href(article.id),
        )


class EventFacts(BaseModel):
    """What an event is, however a page lists it."""

    description: str  # in plain words: "Halvaria expelled a Vestrian trade attaché (13 March 2026)"
    code: str  # its PLOVER coding, shown beside the words: "SANCTION · expel", "REJECT · intend · negated"
    type: str
    mode: str | None
    negated: bool
    source: str | None  # who acted
    target: str | None  # on whom
    date: str | None  # the event's own resolved date, when the report gives one


class DayCount(BaseModel):
    """Articles published on one day: a bar of a coverage-over-time chart."""

    day: date
    articles: int


def day_counts(pairs) -> list[DayCount]:
    return [DayCount(day=day, articles=number) for day, number in pairs]


class Pagination(BaseModel):
    """Where a list stands: `next` and `previous` are links to the neighbouring pages."""

    total: int
    limit: int
    offset: int
    next: str | None
    previous: str | None

    @property
    def shown(self) -> str:
        if not self.total:
            return "none"
        return f"{self.offset + 1}–{min(self.offset + self.limit, self.total)} of {self.total}"


def paginate(here: Here, total: int, limit: int, offset: int, parameter: str = "offset") -> Pagination:
    """Links to the pages around this one, keeping every other query parameter."""

    def page_at(value: int) -> str:
        query = [(key, item) for key, item in here.query if key != parameter]
        if value:
            query.append((parameter, str(value)))
        return here.path + (f"?{urlencode(query)}" if query else "")

    return Pagination(
        total=total,
        limit=limit,
        offset=offset,
        next=page_at(offset + limit) if offset + limit < total else None,
        previous=page_at(max(0, offset - limit)) if offset > 0 else None,
    )


class AccountCache:
    """The accounts of recently viewed stories, each kept while its story is unchanged.

    Synthesising a big story is the slowest part of a page; a story is read far more often
    than it changes, and the story page and every article page of it need the same account.
    """

    def __init__(self, size: int = 128):
        self.size = size
        self.entries: OrderedDict[str, tuple[str, Account]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, storyline: Storyline, story_id: str) -> Account:
        version = storyline.story_version(story_id)
        with self.lock:
            if story_id in self.entries and self.entries[story_id][0] == version:
                self.entries.move_to_end(story_id)
                return self.entries[story_id][1]
        account = storyline.account(story_id)
        with self.lock:
            self.entries[story_id] = (version, account)
            self.entries.move_to_end(story_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return account


def account_getter(storyline: Storyline, accounts: AccountCache | None):
    """story id -> its account, through `accounts` when given (a server), else built anew."""
    if accounts is None:
        return storyline.account
    return lambda story_id: accounts.get(storyline, story_id)
