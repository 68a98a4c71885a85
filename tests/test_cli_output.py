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


@pytest.mark.parametrize(
    "command",
    [["stories"], ["show", "harbour-vote"], ["actors"], ["actor", "ines-alder"], ["article", "x"], ["storylines"], ["export", "stories"]],
)
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


def test_relative_dates_are_refused_never_read_against_the_clock(tmp_path):
    from storyline.ingest.common import parse_datetime

    for relative in ("last thursday", "yesterday", "2 days ago", "19 August"):
        assert parse_datetime(relative) is None, relative
    assert str(parse_datetime("Thursday, 19 August 2021")) == "2021-08-19 00:00:00"
    result = run("ingest", tmp_path / "a.txt", "--published", "last thursday", "--db", tmp_path / "r.db")
    assert result.exit_code == 2
    assert "'last thursday' is not a calendar date" in result.output
    assert not (tmp_path / "r.db").exists()


def test_relative_jsonl_date_is_a_one_line_error(tmp_path):
    from storyline.ingest import read

    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "The council met.", "published": "yesterday"}\n', encoding="utf-8")
    (error,) = read([path])
    assert error.source == f"{path}:1" and "relative ones such as 'yesterday' are refused" in error.reason


def test_counts_say_one_article_and_unknown_outlets():
    from storyline.wording import articles_and_outlets, count

    assert count(1, "article") == "1 article" and count(1, "syndicated copy") == "1 syndicated copy"
    assert count(3, "syndicated copy") == "3 syndicated copies" and count(2, "story") == "2 stories"
    assert articles_and_outlets([None, None]) == "2 articles, outlets unknown"
    assert articles_and_outlets(["BBC", None, "BBC"]) == "3 articles from 1 outlet (1 of unknown outlet)"


def test_stories_says_the_true_total_and_show_the_same_headline(db):
    listed = run("stories", "--db", db, "--limit", "2")
    assert listed.stdout.splitlines()[0].strip() == "showing 1–2 of 3 stories"
    row = next(line for line in listed.stdout.splitlines() if "harbour-vote" in line)
    shown = run("show", "harbour-vote", "--db", db).stdout.splitlines()[0]
    headline = "Mayor meets Port Board over harbour future"
    assert headline in row and shown.startswith(headline)


def test_show_speaks_plainly(db):
    out = run("show", "harbour-vote", "--db", db).stdout
    assert "3 articles from 3 outlets" in out
    assert "organisation" in out and " ORG " not in out  # actor types as words
    assert "(date of report)" not in out and "00:00" not in out
    assert "reported 2026-04-01" in out or "2026-03-30" in out


def test_stories_filters_match_the_web(db):
    import json

    def listed(*options):
        result = run("stories", "--db", db, *options, "--format", "json")
        assert result.exit_code == 0, result.output
        return [story["id"] for story in json.loads(result.stdout)["stories"]]

    assert listed("--outlet", "Northgate Post") == ["bridge-repairs"]
    assert listed("--q", "grandstanding") == ["harbour-vote"]
    assert listed("--since", "2026-04-03", "--until", "2026-04-03") == ["harbour-vote"]
    assert listed("--actor", "Ines Alder", "--order", "newest") == ["harbour-vote"]


def test_actor_command_mirrors_the_actor_page(db):
    import json

    out = run("actor", "ines-alder", "--db", db).stdout
    assert out.splitlines()[0].startswith("Ines Alder") and "person" in out and "Roles: Mayor" in out
    assert "Articles per day: 2026-04-01 1, 2026-04-02 1, 2026-04-03 1" in out
    data = json.loads(run("actor", "ines-alder", "--db", db, "--format", "json").stdout)
    assert [story["id"] for story in data["stories"]] == ["harbour-vote"] and data["quotes_page"]["total"] == 2
    first = json.loads(run("actor", "ines-alder", "--db", db, "--format", "json", "--quotes-limit", "1").stdout)
    assert len(first["quotes"]) == 1 and first["quotes_page"]["next"] == "/actors/ines-alder.json?quotes_limit=1&quotes_offset=1"
    missing = run("actor", "nobody", "--db", db)
    assert missing.exit_code == 1 and missing.output.strip() == "Error: no actor with id 'nobody'"


def test_article_command_lists_what_was_found_with_offsets(db):
    import json

    out = run("article", "courier-harbour-vote", "--db", db).stdout
    assert "The Harbour Courier · 2026-04-01 · https://courier.example/harbour-vote · story harbour-vote" in out
    assert "Found in it: 2 actors (4 mentions), 1 quote, 2 events" in out
    data = json.loads(run("article", "courier-harbour-vote", "--db", db, "--format", "json").stdout)
    assert data["story"]["id"] == "harbour-vote" and data["outlet"] == "The Harbour Courier" and data["copy_of"] is None
    for highlight in data["highlights"]:
        assert data["text"][highlight["start"] : highlight["end"]] == highlight["text"]


def test_events_are_said_in_plain_words_with_their_code_beside(db):
    """No "not REJECT (intend)": the parties, the report's own words and the date; the PLOVER code in its own column."""
    out = run("show", "harbour-vote", "--db", db).stdout
    row = next(line for line in out.splitlines() if "Port Board rejected" in line and "│" in line)
    assert "│ The Port Board rejected the plan " in row and "│ REJECT " in row
    assert "Ines Alder met the Port Board (30 March 2026)" in out
    assert "Port Board REJECT" not in out and "ORG" not in out
    markdown = run("show", "harbour-vote", "--db", db, "--format", "markdown").stdout
    assert "| Date | What happened | PLOVER code |" in markdown
    assert "| The Port Board accused Ines Alder (1 April 2026) | ACCUSE |" in markdown


def test_progress_lines_for_logs(monkeypatch):
    from storyline import cli

    lines = []
    monkeypatch.setattr(cli.click, "echo", lambda text, err=False: lines.append(text))
    clock = iter([100.0, 100.1, 100.2, 111.0, 122.0])
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    progress = cli.ProgressLines("Ingesting", 100, "articles")  # created at 100.0
    progress()  # 100.1: the first batch
    progress()  # 100.2: still the first batch
    progress(52, 100)  # 111.0: 50 more in 10.9 s, a line is due
    assert lines == ["Ingesting: 52/100 articles, 4.6 articles/s, 10 s left"]  # 48 left at 4.59/s
    progress(100, 100)  # 122.0: done, a last line
    assert lines[-1].startswith("Ingesting: 100/100 articles")


def test_articles_of_unknown_outlets_are_never_counted_as_outlets_or_sources(tmp_path):
    from storyline import Storyline
    from tests.web.fixtures import article

    db = tmp_path / "unknown.db"
    drafts = [
        article("u1", "The council voted to back the harbour plan.", "Council backs plan", None, "2026-04-01T09:00:00"),
        article("u2", "Councillors backed the harbour plan on Tuesday.", "Plan backed", None, "2026-04-02T09:00:00"),
    ]
    write_stories(Storyline(db, processes=1).repo, {"unknown-story": lambda: drafts})
    shown = run("show", "unknown-story", "--db", db).stdout.splitlines()[1]
    assert shown.startswith("2 articles, outlets unknown,") and "outlets unknown (" not in shown and "source" not in shown
    row = next(line for line in run("stories", "--db", db).stdout.splitlines() if "unknown-story" in line)
    assert " unknown " in row and "2 outlets" not in row
    page = __import__("json").loads(run("stories", "--db", db, "--format", "json").stdout)
    assert page["stories"][0]["overview"] == "2 articles, outlets unknown" and page["stories"][0]["unknown_outlets"] == 2
