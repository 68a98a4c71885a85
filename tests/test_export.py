"""`storyline export`: documented columns, CSV that Python's csv module reads, provenance that points at the text."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.export import COLUMNS
from tests.conftest import REPO
from tests.web.fixtures import STORIES


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def store(storyline):
    """(the hand-made store's URL or file, the library over it), on each back-end in turn."""
    return storyline.db, storyline


@pytest.mark.parametrize("table", list(COLUMNS))
def test_csv_opens_in_the_csv_module_with_the_documented_columns(store, table):
    db, _ = store
    result = run("export", table, "--db", db)
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames) == COLUMNS[table]
    rows = list(reader)
    assert rows
    assert re.fullmatch(rf"{len(rows)} rows? of {table} exported\n", result.stderr)


def test_offsets_point_at_the_words_in_the_article(store):
    db, storyline = store
    texts = {draft.article.id: draft.article.text for make in STORIES.values() for draft in make()}
    for table, column in (("actors", "mention"), ("quotes", "quote"), ("events", "trigger")):
        for row in csv.DictReader(io.StringIO(run("export", table, "--db", db).stdout)):
            assert texts[row["article_id"]][int(row["start"]) : int(row["end"])] == row[column]


def test_jsonl_for_one_story_with_provenance(store, tmp_path):
    db, _ = store
    out = tmp_path / "quotes.jsonl"
    assert run("export", "quotes", "--db", db, "--story", "harbour-vote", "--format", "jsonl", "-o", out).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {row["story_id"] for row in rows} == {"harbour-vote"}
    assert {row["outlet"] for row in rows} == {"The Harbour Courier", "Meridian Wire"}
    assert "https://courier.example/harbour-vote" in {row["url"] for row in rows}


def test_unknown_story_is_one_line(store):
    db, _ = store
    result = run("export", "events", "--db", db, "--story", "nope")
    assert result.exit_code == 1 and result.output.strip() == "Error: no story with id 'nope'"


def test_every_column_is_documented():
    text = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    missing = [f"{table}.{column}" for table, columns in COLUMNS.items() for column in columns if f"`{column}`" not in text]
    assert not missing, f"undocumented in docs/export.md: {missing}"
