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


def test_actor_list_has_json_and_csv_twins_and_the_cli_prints_the_same_rows(client, storyline):
    from click.testing import CliRunner

    from storyline.cli import main

    page = client.get("/actors?q=a&limit=3")
    assert page.status_code == 200
    assert 'href="/actors.csv?q=a&amp;limit=3"' in page.text and 'href="/actors.json?q=a&amp;limit=3"' in page.text
    listed = client.get("/actors.json?q=a&limit=3").json()
    columns, rows = read_csv(client.get("/actors.csv?q=a&limit=3"))
    assert columns == COLUMNS["actor_list"]
    assert [row["actor_id"] for row in rows] == [actor["id"] for actor in listed["actors"]] and len(rows) == 3
    assert listed["pagination"]["total"] > 3 and listed["pagination"]["next"] == "/actors.json?q=a&limit=3&offset=3"
    for actor in listed["actors"]:
        assert actor["href"] in page.text and "a" in actor["name"].lower()
    printed = CliRunner().invoke(main, ["actors", "--q", "a", "--limit", "3", "--db", storyline.db, "--format", "csv"])
    assert printed.exit_code == 0 and printed.stdout == client.get("/actors.csv?q=a&limit=3").text
