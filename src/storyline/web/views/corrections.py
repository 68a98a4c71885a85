"""Corrections on the web: the list, each story's and actor's history with its forms, and the
token-guarded writes (corrections.py does the work).

    /corrections[.json]               every correction (in force or undone) and the conflicts
    POST /api/corrections             JSON {"kind", "author", "note", "arguments": {...}}
    POST /api/corrections/{id}/undo   JSON {"author", "note"}
    POST /corrections                 the pages' forms (the token typed into the form): back to the page
    POST /corrections/{id}/undo       the history's undo buttons

Forms need no script (the CSP allows none): each is a plain POST carrying the token as a field.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ...corrections import KINDS, arguments_of
from ...pages.corrections import CorrectionItem, CorrectionsPage, corrections_page
from ...records import Correction
from .base import render, storyline_of
from .security import ErrorBody, require_token

router = APIRouter(tags=["corrections"])
WRITE_RESPONSES = {400: {"model": ErrorBody}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 404: {"model": ErrorBody}}


class CorrectionIn(BaseModel):
    kind: Annotated[str, Field(description=f"one of {', '.join(KINDS)}")]
    author: Annotated[str, Field(min_length=1, max_length=200)]
    note: Annotated[str | None, Field(max_length=2000)] = None
    arguments: dict[str, str | list[str] | None] = Field(
        default_factory=dict, description="as the CLI's: story, articles, into, article, first, second, keep, merge, actor, quote, event, headline"
    )


class UndoIn(BaseModel):
    author: Annotated[str, Field(min_length=1, max_length=200)]
    note: Annotated[str | None, Field(max_length=2000)] = None


@router.get("/corrections.json", response_model=CorrectionsPage, summary="Every correction, and the conflicts")
def corrections_json(request: Request) -> CorrectionsPage:
    return corrections_page(storyline_of(request))


@router.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
def corrections_html(request: Request) -> HTMLResponse:
    return render(request, "corrections.html", corrections_page(storyline_of(request)))


def correcting(request: Request, change) -> Correction:
    """Run a correction alone (one writer at a time, as ingest does)."""
    with request.app.state.ingest_lock:
        return change(storyline_of(request))


@router.post("/api/corrections", response_model=CorrectionItem, summary="Make a correction (needs the server's token)", responses=WRITE_RESPONSES)
async def correct_json(request: Request, body: CorrectionIn) -> CorrectionItem:
    require_token(request, what="correcting")
    arguments = arguments_of(body.kind, body.arguments)
    made = await run_in_threadpool(correcting, request, lambda store: store.correct(body.kind, body.author, body.note, **arguments))
    return CorrectionItem.of(made)


@router.post("/api/corrections/{correction_id}/undo", response_model=CorrectionItem, summary="Undo a correction (needs the server's token)", responses=WRITE_RESPONSES)
async def undo_json(request: Request, correction_id: Annotated[int, Path(ge=1)], body: UndoIn) -> CorrectionItem:
    require_token(request, what="correcting")
    made = await run_in_threadpool(correcting, request, lambda store: store.undo(correction_id, body.author, body.note))
    return CorrectionItem.of(made)


async def form_fields(request: Request) -> dict[str, list[str]]:
    """A form's fields (each a list of its values), once its token is checked."""
    form = await request.form(max_files=0, max_fields=60)
    fields: dict[str, list[str]] = {}
    for name, value in form.multi_items():
        if isinstance(value, str):
            fields.setdefault(name, []).append(value)
    require_token(request, given=first(fields, "token"), what="correcting")
    return fields


def first(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0]


def back_to(fields: dict[str, list[str]], correction: Correction) -> RedirectResponse:
    """Back to the page the form was on (a path of this site only), at its history."""
    back = first(fields, "back")
    parts = urlsplit(back)
    path = parts.path if back.startswith("/") and not back.startswith("//") and not (parts.scheme or parts.netloc) else "/corrections"
    return RedirectResponse(f"{path}?corrected={correction.id}#corrections", status_code=303)


@router.post("/corrections", include_in_schema=False)
async def correct_form(request: Request) -> RedirectResponse:
    fields = await form_fields(request)
    kind = first(fields, "kind")
    arguments = arguments_of(kind, fields)
    made = await run_in_threadpool(
        correcting, request, lambda store: store.correct(kind, first(fields, "author"), first(fields, "note") or None, **arguments)
    )
    return back_to(fields, made)


@router.post("/corrections/{correction_id}/undo", include_in_schema=False)
async def undo_form(request: Request, correction_id: Annotated[int, Path(ge=1)]) -> RedirectResponse:
    fields = await form_fields(request)
    made = await run_in_threadpool(correcting, request, lambda store: store.undo(correction_id, first(fields, "author"), first(fields, "note") or None))
    return back_to(fields, made)
