"""Blind spots: the stories that outlets of only one side (lean, country, ...) reported.

Needs the user's outlets table (`storyline serve --outlets FILE`, `storyline blindspots
--outlets FILE`); without one the page says how to give it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from ..outlet_profiles import OutletTable, blind_spots
from .common import Here, Pagination, paginate
from .stories import StoryItem

if TYPE_CHECKING:
    from ..library import Storyline

Side = Literal["lean", "country", "language", "ownership"]
BLIND_SPOTS_LIMIT = 50


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


def found_blind_spots(storyline: Storyline, table: OutletTable | None, by: Side) -> list:
    return blind_spots(storyline, table, by) if table else []


def blind_spots_page(
    storyline: Storyline, here: Here, table: OutletTable | None, by: Side = "lean", limit: int = BLIND_SPOTS_LIMIT, offset: int = 0
) -> BlindSpotsPage:
    found = found_blind_spots(storyline, table, by)
    sides = sorted({value for profile in table.profiles.values() if (value := getattr(profile, by))}) if table else []
    return BlindSpotsPage(
        title=f"Blind spots by {by}",
        by=by,
        described=table is not None,
        sides=sides,
        stories=[BlindSpotItem(side=side, story=StoryItem.of(story)) for side, story in found[offset : offset + limit]],
        pagination=paginate(here, len(found), limit, offset),
    )
