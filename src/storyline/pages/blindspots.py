"""Blind spots: the stories that outlets of only one side (lean, country, ...) reported.

Needs the user's outlets table (`storyline serve --outlets FILE`); without one the page says
how to give it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from ...export import story_row
from ...outlet_profiles import blind_spots
from .base import Pagination, csv_response, csv_twin, outlet_table_of, paginate, render, storyline_of
from .params import Limit, Offset
from .stories import StoryItem

router = APIRouter(tags=["stories"])

Side = Literal["lean", "country", "language", "ownership"]


class BlindSpotItem(BaseModel):
    side: str  # the only lean (or country, ...) whose outlets reported the story
    story: StoryItem


class BlindSpotsPage(BaseModel):
    """`/blindspots`: stories one side alone reported, biggest first."""

    title: str
    by: str
    described: bool  # whether the server has an outlets table at all
    sides: list[str]  # the values the outlets table gives, e.g. left, centre, right
    stories: list[BlindSpotItem]
    pagination: Pagination


class BlindSpotsQuery(BaseModel):
    by: Side
    limit: int
    offset: int


def blind_spots_query(
    by: Annotated[Side, Query(description="which column of the outlets table to compare")] = "lean",
    limit: Limit = 50,
    offset: Offset = 0,
) -> BlindSpotsQuery:
    return BlindSpotsQuery(by=by, limit=limit, offset=offset)


def found_blind_spots(request: Request, by: Side) -> list:
    table = outlet_table_of(request)
    return blind_spots(storyline_of(request), table, by) if table else []


def blind_spots_page(request: Request, query: Annotated[BlindSpotsQuery, Depends(blind_spots_query)]) -> BlindSpotsPage:
    table, by = outlet_table_of(request), query.by
    found = found_blind_spots(request, by)
    sides = sorted({value for profile in table.profiles.values() if (value := getattr(profile, by))}) if table else []
    return BlindSpotsPage(
        title=f"Blind spots by {by}",
        by=by,
        described=table is not None,
        sides=sides,
        stories=[BlindSpotItem(side=side, story=StoryItem.of(story)) for side, story in found[query.offset : query.offset + query.limit]],
        pagination=paginate(request, len(found), query.limit, query.offset),
    )


@router.get("/blindspots.json", response_model=BlindSpotsPage, summary="Stories only one side reported")
def blind_spots_json(page: Annotated[BlindSpotsPage, Depends(blind_spots_page)]) -> BlindSpotsPage:
    return page


@router.get(
    "/blindspots.csv",
    response_class=Response,
    summary="The same stories as CSV: side, then the stories columns of docs/export.md",
    responses={200: {"content": {"text/csv": {}}}},
)
def blind_spots_csv(request: Request, query: Annotated[BlindSpotsQuery, Depends(blind_spots_query)]) -> Response:
    found = found_blind_spots(request, query.by)[query.offset : query.offset + query.limit]
    return csv_response("stories", ({"side": side, **story_row(story)} for side, story in found), "blindspots.csv", ("side",))


@router.get("/blindspots", response_class=HTMLResponse, include_in_schema=False)
def blind_spots_html(request: Request, page: Annotated[BlindSpotsPage, Depends(blind_spots_page)]) -> HTMLResponse:
    return render(request, "blindspots.html", page, csv_url=csv_twin(request))
