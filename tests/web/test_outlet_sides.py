"""With an outlets table the story page groups coverage by lean and country, and /blindspots lists one-sided stories."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.test_outlet_profiles import TABLE


@pytest.fixture(scope="module")
def sided(storyline, tmp_path_factory):
    from storyline.outlet_profiles import load_outlet_table
    from storyline.web import create_app

    path = tmp_path_factory.mktemp("sides") / "outlets.csv"
    path.write_text(TABLE, encoding="utf-8")
    with TestClient(create_app(storyline, outlets=load_outlet_table(path))) as client:
        yield client


def test_story_page_groups_coverage_by_lean_and_country(sided):
    data = sided.get("/stories/harbour-vote.json").json()["coverage_by"]
    assert [(g["value"], g["articles"]) for g in data["lean"]] == [("left", 2), ("right", 1)]
    page = sided.get("/stories/harbour-vote").text
    assert "Articles by the outlets’ lean" in page and "<th>left</th>" in page


def test_blindspots_page_json_and_csv(sided):
    data = sided.get("/blindspots.json").json()
    assert [(item["side"], item["story"]["id"]) for item in data["stories"]] == [("right", "bridge-repairs")]
    assert data["sides"] == ["left", "right"]
    page = sided.get("/blindspots").text
    assert "only right" in page and 'href="/blindspots.csv"' in page
    assert sided.get("/blindspots.csv").text.splitlines()[1].startswith("right,bridge-repairs,")


def test_without_a_table_the_page_says_how_to_give_one(client):
    assert "storyline serve --outlets" in client.get("/blindspots").text
    assert client.get("/stories/harbour-vote.json").json()["coverage_by"] == {}
