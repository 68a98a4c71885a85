"""The user's outlets table: its format, coverage by lean and country, blind spots."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.errors import StorylineError
from storyline.outlet_profiles import coverage_by, is_profile_table, load_outlet_table
from tests.web.fixtures import write_stories

TABLE = """# sides of the fixture outlets, for the tests
outlet,country,language,lean,ownership,domains,names
The Harbour Courier,VST,en,left,Courier Trust,courier.example,Courier
Meridian Wire,VST,en,left,,,
Daily Ledger,KRV,en,right,Ledger Media,,
Northgate Post,KRV,en,right,,,
"""


@pytest.fixture
def table_file(tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from storyline import Storyline

    path = tmp_path_factory.mktemp("outlets") / "o.db"
    write_stories(Storyline(path, processes=1).repo)
    return path


def test_table_reads_profiles_and_site_mapping(table_file, tmp_path):
    table = load_outlet_table(table_file)
    assert is_profile_table(table_file)
    assert table.profiles["Daily Ledger"].lean == "right" and table.profiles["Daily Ledger"].ownership == "Ledger Media"
    assert table.profiles["Meridian Wire"].ownership is None
    assert table.mapping == {"courier.example": "The Harbour Courier", "Courier": "The Harbour Courier"}
    tsv = tmp_path / "outlets.tsv"
    tsv.write_text("outlet\tlean\nDaily Ledger\tright\n", encoding="utf-8")
    assert load_outlet_table(tsv).profiles["Daily Ledger"].lean == "right"


def test_bad_tables_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("outlet,lean,colour\nA,left,red\n", encoding="utf-8")
    with pytest.raises(StorylineError, match=r"bad.csv:1: unknown columns \['colour'\]"):
        load_outlet_table(bad)
    bad.write_text("outlet,lean\nA,left\n,right\n", encoding="utf-8")
    with pytest.raises(StorylineError, match=r"bad.csv:3: a row without an outlet"):
        load_outlet_table(bad)


def test_coverage_by_lean_counts_articles_and_keeps_unknown_last(table_file):
    groups = coverage_by(load_outlet_table(table_file), ["Daily Ledger", "Meridian Wire", "Northgate Post", None, "Other"], "lean")
    assert [(g.value, g.articles, g.outlets) for g in groups] == [
        ("right", 2, ("Daily Ledger", "Northgate Post")),
        ("left", 1, ("Meridian Wire",)),
        ("unknown", 2, ("Other",)),
    ]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_blindspots_command_lists_one_sided_stories(db, table_file):
    result = run("blindspots", "--db", db, "--outlets", table_file, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [(row["side"], row["story"]["id"]) for row in json.loads(result.stdout)["stories"]] == [("right", "bridge-repairs")]
    by_country = json.loads(run("blindspots", "--db", db, "--outlets", table_file, "--by", "country", "--format", "json").stdout)
    assert [(row["side"], row["story"]["id"]) for row in by_country["stories"]] == [("KRV", "bridge-repairs")]


def test_show_gives_coverage_by_lean(db, table_file):
    out = run("show", "harbour-vote", "--db", db, "--outlets", table_file).stdout
    assert "Coverage by lean: left 2 articles (Meridian Wire, The Harbour Courier) · right 1 article (Daily Ledger)" in out


def test_ingest_takes_the_site_mapping_from_either_format(table_file, tmp_path):
    from storyline.cli import _outlet_mapping

    assert _outlet_mapping(table_file)["courier.example"] == "The Harbour Courier"
    legacy = tmp_path / "map.tsv"
    legacy.write_text("Daily Ledger\tdailyledger.example\tThe Ledger\n", encoding="utf-8")
    assert _outlet_mapping(legacy)["dailyledger.example"] == "Daily Ledger"
