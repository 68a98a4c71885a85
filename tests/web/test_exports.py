"""Every list page has a CSV twin beside its JSON twin, linked from the page."""

from __future__ import annotations

import csv
import io

from storyline.export import COLUMNS


def read_csv(response):
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    reader = csv.DictReader(io.StringIO(response.text))
    return tuple(reader.fieldnames), list(reader)


def test_stories_csv_is_the_json_twins_page(client):
    query = "?q=harbour&limit=2"
    columns, rows = read_csv(client.get(f"/stories.csv{query}"))
    assert columns == COLUMNS["stories"]
    assert [row["story_id"] for row in rows] == [story["id"] for story in client.get(f"/stories.json{query}").json()["stories"]]
    assert f'href="/stories.csv{query.replace("&", "&amp;")}"' in client.get(f"/stories{query}").text


def test_story_page_links_a_csv_per_table(client):
    page = client.get("/stories/harbour-vote").text
    for table in ("articles", "actors", "quotes", "events"):
        href = f"/stories/harbour-vote/{table}.csv"
        assert f'href="{href}"' in page
        columns, rows = read_csv(client.get(href))
        assert columns == COLUMNS[table] and rows
        assert {row["story_id"] for row in rows} == {"harbour-vote"}
    assert client.get("/stories/no-such/quotes.csv").status_code == 404
    assert client.get("/stories/harbour-vote/secrets.csv").status_code == 422
