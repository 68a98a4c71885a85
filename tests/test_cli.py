"""The CLI end to end on the seeds and the demo corpus (loads the model: slow)."""

import json

import pytest
from click.testing import CliRunner

from storyline.cli import main
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_extract_prints_the_documented_shape():
    result = run("extract", SEEDS / "000_bc797e76ed57cc62.txt", SEEDS / "004_12d6e5edffab1a9f.txt", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["000_bc797e76ed57cc62", "004_12d6e5edffab1a9f"]
    for row in rows:
        assert set(row) >= {"id", "title", "outlet", "url", "published", "text", "actors", "quotes", "events"}
        assert row["entities"] == row["actors"] and row["source"] == row["outlet"]  # old names, for one release
        for entity in row["entities"]:
            assert set(entity) >= {"id", "name", "type", "role", "mentions"}
            for mention in entity["mentions"]:
                assert row["text"][mention["start"] : mention["end"]] == mention["text"]
    assert rows[0]["title"].startswith("Afghanistan: Under-pressure Dominic Raab")
    assert rows[1]["title"] is None


def test_seeds_make_one_story(db):
    assert run("ingest", SEEDS, "--db", db).exit_code == 0
    page = json.loads(run("stories", "--db", db, "--format", "json").stdout)
    assert page["pagination"]["total"] == 1
    story = page["stories"][0]
    assert set(story) >= {"id", "headline", "articles", "outlets", "first", "last", "actors"}
    shown = json.loads(run("show", story["id"], "--db", db, "--format", "json").stdout)
    assert {a["id"] for a in shown["articles"]} == {"000_bc797e76ed57cc62", "004_12d6e5edffab1a9f"} and story["articles"] == 2
    raab = next(a for a in shown["actors"] if a["name"] == "Dominic Raab")
    assert raab["articles"] == 2 and "Foreign Secretary" in raab["roles"]
    (entity,) = json.loads(run("actors", "--db", db, "--q", "raab", "--format", "json").stdout)["actors"]
    assert entity["id"] == raab["id"] and entity["articles"] == 2 and entity["stories"] == 1
    assert "Foreign Secretary" in entity["roles"]
    assert {"Mr Raab", "Raab"} & set(entity["aliases"])
    assert run("actors", "--db", db).exit_code == 0


def test_bad_inputs_are_reported_and_the_rest_is_ingested(tmp_path, db):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad.jsonl").write_text('{"id": "x", "text": "Fine text about a council meeting."}\n{broken\n')
    result = run("ingest", tmp_path / "empty.txt", tmp_path / "bad.jsonl", tmp_path / "nope.txt", "--db", db)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert f"{tmp_path / 'empty.txt'}: empty file" in lines
    assert any(line.startswith(f"{tmp_path / 'bad.jsonl'}:2: invalid JSON") for line in lines)
    assert f"{tmp_path / 'nope.txt'}: no such file or folder" in lines
    assert "1 added" in lines[-1]


def test_unknown_story_is_a_clean_error(db):
    from storyline import Storyline

    Storyline(db)  # an empty store (a SQLite file exists only once it is opened)
    result = run("show", "no-such-story", "--db", db)
    assert result.exit_code == 1
    assert "Error: no story with id 'no-such-story'" in result.output


def test_feeds_are_read_by_ingest(tmp_path, db):
    feed = tmp_path / "feed.rss"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Courier</title>'
        "<link>https://courier.example.test/</link><item><title>Council backs harbour plan</title>"
        "<link>https://courier.example.test/a1</link><pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate>"
        "<description>The council voted on Tuesday to back the harbour plan, the mayor said.</description>"
        "</item></channel></rss>",
        encoding="utf-8",
    )
    (tmp_path / "page.rss").write_text("<html><body>not a feed", encoding="utf-8")
    result = run("ingest", feed, tmp_path / "page.rss", "--db", db)
    assert result.exit_code == 1
    assert f"{tmp_path / 'page.rss'}: not RSS or Atom (root <html>)" in result.stderr.splitlines()
    assert "1 added" in result.stderr


def test_outlet_is_the_name_and_source_still_works_for_one_release(tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("Council backs harbour plan\n\nThe council voted on Tuesday to back the harbour plan.", encoding="utf-8")
    given = run("extract", text, "--outlet", "Harbour Courier", "--published", "2026-04-01")
    assert given.exit_code == 0 and json.loads(given.stdout)["outlet"] == "Harbour Courier" and "warning" not in given.stderr
    old = run("extract", text, "--source", "Harbour Courier")
    assert old.exit_code == 0 and json.loads(old.stdout)["outlet"] == "Harbour Courier"
    assert "warning: --source is deprecated and will go in the next release: use --outlet" in old.stderr
