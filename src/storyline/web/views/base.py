"""What every view shares: the page models' common parts, links, pagination and rendering.

A view builds one pydantic page model; the HTML route renders it with a template and the
`.json` route returns it as is (it is also the route's `response_model`), so the two
cannot drift apart.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel

from ... import wording
from ...records import Account, AccountArticle, StoryArticle

if TYPE_CHECKING:  # the library is what the app serves; views only call it
    from ...library import Storyline
    from ...outlet_profiles import OutletTable

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
MAX_PAGE_SIZE = 100

templates = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"], default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def external_url(url: str | None) -> str | None:
    """A link out only for http(s) addresses: an article's URL is untrusted (`javascript:`)."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


templates.filters["external"] = external_url
def code_spans(text: str | None) -> Markup:
    """Text with its Markdown code spans (`like this`) as <code>; everything else escaped."""
    parts = str(escape(text or "")).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick stays a backtick
        parts[-2:] = ["`".join(parts[-2:])]
    return Markup("".join(f"<code>{part}</code>" if index % 2 else part for index, part in enumerate(parts)))


templates.filters["code_spans"] = code_spans


def marked(text: str, marks) -> Markup:
    """`text` with the [start, end) spans of `marks` in <mark>, the rest escaped."""
    pieces, at = [], 0
    for start, end in sorted(marks):
        if at <= start < end <= len(text):
            pieces += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
            at = end
    pieces.append(escape(text[at:]))
    return Markup("").join(pieces)


templates.filters["marked"] = marked
# the same plain words as the CLI: "1 article", actor types and countries as words
templates.filters["count"] = wording.count
templates.filters["actor_type"] = wording.actor_type
templates.filters["country"] = wording.country


def storyline_of(request: Request) -> Storyline:
    return request.app.state.storyline


def outlet_table_of(request: Request) -> OutletTable | None:
    """The user's outlets table (country, lean, ...), when the server was given one."""
    return request.app.state.outlet_table


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


def account_of(request: Request, story_id: str) -> Account:
    return request.app.state.accounts.get(storyline_of(request), story_id)


# ---- links -------------------------------------------------------------------------
# Ids come from article files and may hold any character; they are quoted into URLs.


def story_href(story_id: str) -> str:
    return f"/stories/{quote(story_id, safe='')}"


def article_href(article_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}"


def actor_href(actor_id: str) -> str:
    return f"/actors/{quote(actor_id, safe='')}"


def anchor(kind: str, *parts: object) -> str:
    """A fragment id for one item of a story page that other pages can link to.

    Built from the article-level item (article id and offset), so the article page links
    to the same place without loading the whole story.
    """
    digest = hashlib.sha1("\x1f".join(str(part) for part in parts).encode("utf-8")).hexdigest()[:12]
    return f"{kind}-{digest}"


def actor_anchor(actor_id: str) -> str:
    return anchor("actor", actor_id)


def quote_anchor(article_id: str, start: int) -> str:
    return anchor("quote", article_id, start)


def event_anchor(article_id: str, start: int) -> str:
    return anchor("event", article_id, start)


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


class DayCount(BaseModel):
    """Articles published on one day: a bar of a coverage-over-time chart."""

    day: date
    articles: int


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


def paginate(request: Request, total: int, limit: int, offset: int, parameter: str = "offset") -> Pagination:
    """Links to the pages around this one, keeping every other query parameter."""

    def page_at(value: int) -> str:
        query = [(key, item) for key, item in request.query_params.multi_items() if key != parameter]
        if value:
            query.append((parameter, str(value)))
        return path_as_sent(request) + (f"?{urlencode(query)}" if query else "")

    return Pagination(
        total=total,
        limit=limit,
        offset=offset,
        next=page_at(offset + limit) if offset + limit < total else None,
        previous=page_at(max(0, offset - limit)) if offset > 0 else None,
    )


def path_as_sent(request: Request) -> str:
    """The request path still URL-encoded, as it must be in a link (ids may hold any character)."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else quote(request.url.path)


def json_twin(request: Request) -> str:
    path = path_as_sent(request).rstrip("/") or "/"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{path}.json{query}"


def csv_twin(request: Request) -> str:
    return json_twin(request).replace(".json", ".csv", 1)


def csv_response(table: str, found, filename: str, first_columns: tuple[str, ...] = ()) -> Response:
    """Rows of an export table as a CSV download (the columns of docs/export.md)."""
    from ...export import to_csv

    return Response(
        to_csv(table, found, first_columns),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'inline; filename="{filename}"'},
    )


def render(
    request: Request,
    template: str,
    page: BaseModel,
    status_code: int = 200,
    json_url: str | None = None,
    csv_url: str | None = None,
    **pictures: Markup,
) -> HTMLResponse:
    """The page model as HTML, linked to its JSON twin (and CSV twin, for a list); `pictures` are
    SVGs drawn from the same model."""
    context: dict[str, Any] = {
        "page": page, "json_url": json_url or json_twin(request), "csv_url": csv_url, "request": request, **pictures,
    }
    return HTMLResponse(templates.get_template(template).render(context), status_code=status_code)
