"""The web UI and HTTP API: one FastAPI app around one `Storyline`.

Routes (each HTML page has a JSON twin at the same path plus `.json`):

    /                         redirects to /stories
    /stories[.json]           stories, newest and biggest first; search and filters
    /stories/{id}[.json]      one story's account: summary, timeline, network, quotes, coverage
    /storylines[.json]        storylines (stories that continue one another), most recent first
    /storylines/{id}[.json]   one storyline: its stories on one timeline
    /actors[.json|.csv]       actors across the store, most articles first
    /actors/{id}[.json]       one actor across stories: roles, stories, quotes, events
    /articles/{id}[.json]     one article, its text highlighted
    /blindspots[.json|.csv]   stories only one side (lean, country) reported, with an outlets table
    /docs, /openapi.json      the API, described
    POST /api/articles        ingest (needs the token)
    /static/…                 the stylesheet
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import NotFound, StorylineError
from .views import actors, articles, blindspots, docs, ingest, stories, story, storylines
from ..pages.common import AccountCache
from .views.base import templates
from .views.security import Guard, allowed_hosts_for, error_body, read_access

if TYPE_CHECKING:
    from ..library import Storyline
    from ..outlet_profiles import OutletTable

STATIC = Path(__file__).resolve().parent / "static"
DEFAULT_MAX_BODY_BYTES = 20_000_000
LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def wants_html(request: Request) -> bool:
    """Browsers reading pages get an HTML error page; the JSON API always gets JSON."""
    path = request.url.path
    machine = path.endswith(".json") or path.startswith("/api/")
    return not machine and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, message: str, details: list | None = None, headers=None) -> Response:
    if wants_html(request):
        page = templates.get_template("error.html").render(status=status, message=message, json_url=None)
        return Response(page, status_code=status, media_type="text/html", headers=headers)
    return JSONResponse(error_body(status, message, details), status_code=status, headers=headers)


def validation_message(error: dict) -> str:
    where = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    return f"{'.'.join(where) or 'request'}: {error.get('msg', 'invalid')}"


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        detail = error.detail
        if isinstance(detail, dict):
            return error_response(request, error.status_code, detail["message"], detail.get("errors"), error.headers)
        return error_response(request, error.status_code, str(detail), headers=error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = [validation_message(e) for e in error.errors()]
        return error_response(request, 422, "; ".join(problems), problems)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> Response:
        return error_response(request, 404, str(error))

    @app.exception_handler(StorylineError)
    async def refused(request: Request, error: StorylineError) -> Response:
        return error_response(request, 400, str(error))


def create_app(
    storyline: Storyline,
    token: str | None = None,
    reads_need_token: bool = False,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    allowed_hosts: Iterable[str] | None = None,
    outlets: OutletTable | None = None,
) -> FastAPI:
    """The app serving `storyline`. Without `token`, ingest is off; with `reads_need_token`
    (a server reachable beyond this machine), every page needs the token as well. With
    `allowed_hosts`, a request naming any other host in its Host header is refused. `outlets`
    (the user's outlets table) adds coverage by lean and country and the blind-spots page."""
    app = FastAPI(
        title="storyline",
        version=__version__,
        summary="News stories, actors, quotes and events, each with its source.",
        # /docs and /openapi.json are the app's own routes (views/docs.py): no CDN, and
        # behind the same access rule as every page
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(read_access)],
    )
    app.state.storyline = storyline
    app.state.token = token
    app.state.reads_need_token = reads_need_token
    app.state.ingest_lock = threading.Lock()
    app.state.accounts = AccountCache()
    app.state.outlet_table = outlets
    add_error_handlers(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/stories")

    # a JSON twin's route comes first: `/stories/{id}` would otherwise take "x.json" as an id
    for view in (stories, story, storylines, actors, articles, blindspots, ingest, docs):
        app.include_router(view.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            body = ingest.ArticlesIn.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(body.pop("$defs", {}))
            components["ArticlesIn"] = body
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
    hosts = None if allowed_hosts is None else frozenset(allowed_hosts)
    app.add_middleware(Guard, max_body_bytes=max_body_bytes, allowed_hosts=hosts)
    return app


def serve(
    storyline: Storyline,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    allowed_hosts: Iterable[str] = (),
    outlets: OutletTable | None = None,
) -> None:
    """Run the app with uvicorn until interrupted; it answers only requests whose Host header
    names `host` (or, on loopback, any loopback name) or one of `allowed_hosts`."""
    import uvicorn

    if not is_loopback(host) and not token:
        raise StorylineError(f"serving on {host} opens the store to the network: give a token (STORYLINE_TOKEN)")
    app = create_app(
        storyline,
        token=token,
        reads_need_token=not is_loopback(host),
        allowed_hosts=allowed_hosts_for(host, allowed_hosts),
        outlets=outlets,
    )
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
