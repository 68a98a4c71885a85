"""Blind spots (`storyline.pages.blindspots`): stories only one side reported, as HTML, JSON and CSV."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from ...export import story_row
from ...pages.blindspots import BLIND_SPOTS_LIMIT, BlindSpotsPage, Side, blind_spots_page, found_blind_spots
from .base import csv_response, csv_twin, here, outlet_table_of, render, storyline_of
from .params import Limit, Offset

router = APIRouter(tags=["stories"])


class BlindSpotsQuery(BaseModel):
    by: Side
    limit: int
    offset: int


def blind_spots_query(
    by: Annotated[Side, Query(description="which column of the outlets table to compare")] = "lean",
    limit: Limit = BLIND_SPOTS_LIMIT,
    offset: Offset = 0,
) -> BlindSpotsQuery:
    return BlindSpotsQuery(by=by, limit=limit, offset=offset)


def page_of(request: Request, query: Annotated[BlindSpotsQuery, Depends(blind_spots_query)]) -> BlindSpotsPage:
    return blind_spots_page(storyline_of(request), here(request), outlet_table_of(request), query.by, query.limit, query.offset)


@router.get("/blindspots.json", response_model=BlindSpotsPage, summary="Stories only one side reported")
def blind_spots_json(page: Annotated[BlindSpotsPage, Depends(page_of)]) -> BlindSpotsPage:
    return page


@router.get(
    "/blindspots.csv",
    response_class=Response,
    summary="The same stories as CSV: side, then the stories columns of docs/export.md",
    responses={200: {"content": {"text/csv": {}}}},
)
def blind_spots_csv(request: Request, query: Annotated[BlindSpotsQuery, Depends(blind_spots_query)]) -> Response:
    found = found_blind_spots(storyline_of(request), outlet_table_of(request), query.by)[query.offset : query.offset + query.limit]
    return csv_response("stories", ({"side": side, **story_row(story)} for side, story in found), "blindspots.csv", ("side",))


@router.get("/blindspots", response_class=HTMLResponse, include_in_schema=False)
def blind_spots_html(request: Request, page: Annotated[BlindSpotsPage, Depends(page_of)]) -> HTMLResponse:
    return render(request, "blindspots.html", page, csv_url=csv_twin(request))
