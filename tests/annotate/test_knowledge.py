"""Offline knowledge: generic agents derived from PETRARCH2 give sectors; storyline's own table wins."""

from importlib.resources import files

from storyline.annotate.knowledge import sector_of


def test_generic_agents_give_sectors():
    assert sector_of("riot police").sector == "police"
    assert sector_of("the insurgent group").sector == "rebels"
    assert sector_of("county fire service").sector == "government"


def test_storylines_own_table_wins_and_the_licence_ships():
    assert sector_of("union leader").sector == "labour"
    assert sector_of("officials").weak  # a generic head of storyline's table, not overridden
    assert "MIT License" in files("storyline.data").joinpath("agent_sectors.LICENSE").read_text(encoding="utf-8")
