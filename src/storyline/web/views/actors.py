"""Actors (`storyline.pages.actors`): the list with its CSV twin, and one actor's page with pictures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ...export import actor_list_row
from ...pages.actors import (
    ACTORS_LIMIT, EVENTS_LIMIT, QUOTES_LIMIT, STORIES_LIMIT, ActorPage, ActorsPage, actor_page, actors_page,
)
from .. import svg
from .base import csv_response, csv_twin, here, render, storyline_of
from .params import Limit, Offset, Text
from .story import day_of

router = APIRouter(tags=["actors"])


def list_of(
    request: Request,
    q: Annotated[Text, Query(description="only actors whose name holds these words (any case)")] = None,
    limit: Limit = ACTORS_LIMIT,
    offset: Offset = 0,
) -> ActorsPage:
    return actors_page(storyline_of(request), here(request), q, limit, offset)


def page_of(
    request: Request,
    actor_id: Annotated[str, Path(max_length=200, description="an actor id, e.g. dominic-raab")],
    stories_limit: Limit = STORIES_LIMIT,
    stories_offset: Offset = 0,
    quotes_limit: Limit = QUOTES_LIMIT,
    quotes_offset: Offset = 0,
    events_limit: Limit = EVENTS_LIMIT,
    events_offset: Offset = 0,
) -> ActorPage:
    return actor_page(
        storyline_of(request), here(request), actor_id, stories_limit, stories_offset, quotes_limit, quotes_offset,
        events_limit, events_offset,
    )


def events_picture(page: ActorPage) -> Markup:
    """This page's events on a date axis, one lane per event type, each dot saying what happened."""
    marks = []
    for item in page.events:
        own_day = day_of(item.date)
        day = own_day or (item.article.published.date() if item.article.published else None)
        if day is None:
            continue
        marks.append(svg.Mark(day=day, lane=item.type, label=item.description, href=item.href, dated=own_day is not None))
    return svg.timeline(marks, f"Events of {page.name} over time")


@router.get("/actors.json", response_model=ActorsPage, summary="Actors across the store, most articles first")
def actors_json(page: Annotated[ActorsPage, Depends(list_of)]) -> ActorsPage:
    return page


@router.get(
    "/actors.csv",
    response_class=Response,
    summary="The same actors as CSV (columns: docs/export.md, actor list)",
    responses={200: {"content": {"text/csv": {}}}},
)
def actors_csv(page: Annotated[ActorsPage, Depends(list_of)]) -> Response:
    return csv_response("actor_list", map(actor_list_row, page.actors), "actors.csv")


@router.get("/actors", response_class=HTMLResponse, include_in_schema=False)
def actors_html(request: Request, page: Annotated[ActorsPage, Depends(list_of)]) -> HTMLResponse:
    return render(request, "actors.html", page, csv_url=csv_twin(request))


@router.get("/actors/{actor_id}.json", response_model=ActorPage, summary="One actor across all stories")
def actor_json(page: Annotated[ActorPage, Depends(page_of)]) -> ActorPage:
    return page


@router.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
def actor_html(request: Request, page: Annotated[ActorPage, Depends(page_of)]) -> HTMLResponse:
    per_day = svg.per_day([(item.day, item.articles) for item in page.per_day], f"Articles mentioning {page.name} per day")
    return render(request, "actor.html", page, events_picture=events_picture(page), per_day=per_day)
