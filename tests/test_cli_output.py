"""The CLI's human output on a hand-made store (no model): piped rows stay whole and plain."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from storyline.cli import main
from tests.web.fixtures import write_stories


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from storyline import Storyline

    path = tmp_path_factory.mktemp("cli") / "cli.db"
    write_stories(Storyline(path, processes=1).repo)
    return path


def test_piped_stories_are_whole_plain_rows(db):
    result = run("stories", "--db", db)
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout  # no colour codes in a log
    row = next(line for line in result.stdout.splitlines() if "harbour-vote" in line)
    # every cell on one line, no word broken across lines
    assert "Mayor meets Port Board over harbour future" in row
    assert "Daily Ledger, Meridian Wire, The Harbour Courier" in row
    assert "2026-04-01 → 2026-04-03" in row


def test_piped_show_prints_one_line_per_row(db):
    result = run("show", "harbour-vote", "--db", db)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("We will keep the harbour open to every ship, whatever the board decides." in line for line in lines)
    assert len(lines) < 90, len(lines)


@pytest.mark.parametrize("command", [["stories"], ["show", "harbour-vote"]])
def test_reading_a_mistyped_store_fails_and_creates_nothing(tmp_path, command):
    typo = tmp_path / "nosuch.db"
    result = run(*command, "--db", typo)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"Error: {typo}: no such store (`storyline ingest PATH --db {typo}` creates one)"]
    assert list(tmp_path.iterdir()) == []


def test_pace_gives_rate_and_time_left():
    from storyline.cli import pace

    assert pace(50, 150, 10.0) == "5.0 articles/s, 20 s left"
    assert pace(50, None, 10.0) == "5.0 articles/s"
    assert pace(0, 150, 0.0) == ""
