"""What every view shares: the request's place (`Here`), the store, and rendering.

A view asks `storyline.pages` for one pydantic page model; the HTML route renders it with a
template and the `.json` route returns it as is (it is also the route's `response_model`), so
the two cannot drift apart, and the CLI's `--format json` prints the same model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import BaseModel

from ... import wording
from ...pages.common import AccountCache, Here

if TYPE_CHECKING:  # the library is what the app serves; views only call it
    from ...library import Storyline
    from ...outlet_profiles import OutletTable

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"

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
templates.filters["when"] = wording.when


def storyline_of(request: Request) -> Storyline:
    return request.app.state.storyline


def outlet_table_of(request: Request) -> OutletTable | None:
    """The user's outlets table (country, lean, ...), when the server was given one."""
    return request.app.state.outlet_table


def accounts_of(request: Request) -> AccountCache:
    return request.app.state.accounts


def here(request: Request) -> Here:
    """Where the request asked: its path as sent and its query parameters, for a page's links."""
    return Here(path_as_sent(request), tuple(request.query_params.multi_items()))


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
