"""Coverage over time: articles per day as SVG bars with their counts and dates written out."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from datetime import date

from storyline.web import svg

SVG = "{http://www.w3.org/2000/svg}"


def texts(markup) -> list[str]:
    return [t.text for t in ElementTree.fromstring(str(markup)).iter(f"{SVG}text")]


def test_days_with_counts_and_dates_as_text():
    picture = svg.per_day([(date(2026, 3, 17), 2), (date(2026, 3, 20), 3)], "Articles")
    root = ElementTree.fromstring(str(picture))
    assert len(root.findall(f".//{SVG}rect")) == 2  # the empty days between have no bar
    words = texts(picture)
    assert words[0] == "articles per day"
    assert {"2", "3", "17 Mar", "18 Mar", "19 Mar", "20 Mar", "2026"} <= set(words)


def test_long_spans_become_weeks_then_months():
    assert texts(svg.per_day([(date(2026, 1, 1), 1), (date(2026, 4, 1), 1)], "a"))[0].startswith("articles per week")
    assert texts(svg.per_day([(date(2020, 1, 1), 1), (date(2026, 4, 1), 1)], "a"))[0] == "articles per month"
    assert svg.per_day([], "none") == ""


def test_story_and_actor_pages_draw_it(client):
    data = client.get("/stories/harbour-vote.json").json()["per_day"]
    assert data == [{"day": "2026-04-01", "articles": 1}, {"day": "2026-04-02", "articles": 1}, {"day": "2026-04-03", "articles": 1}]
    for path in ("/stories/harbour-vote", "/actors/ines-alder"):
        page = client.get(path).text
        assert 'class="per-day"' in page and ">articles per day<" in page and ">1 Apr<" in page
    assert client.get("/actors/ines-alder.json").json()["per_day"][0] == {"day": "2026-04-01", "articles": 1}


def test_a_search_charts_its_matching_articles_per_day(client):
    data = client.get("/stories.json", params={"q": "grandstanding OR repairs"}).json()
    assert data["per_day"] == [{"day": "2026-04-03", "articles": 1}, {"day": "2026-06-10", "articles": 1}]
    page = client.get("/stories", params={"q": "grandstanding OR repairs"}).text
    assert 'class="per-day"' in page and ">articles per week" in page
    assert client.get("/stories.json").json()["per_day"] == []
