"""Rendering an account: rich tables for the terminal, Markdown for a report, and `storyline show`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rich.console import Console

from storyline.render import drift_table, render, to_markdown
from tests.test_synthesise import SEEDS, account_of, actor, quote, stored, strike_story, three_reports


@pytest.fixture(scope="module")
def drifting():
    return account_of(*three_reports("We did not choose this fight"))


def test_markdown_report_cites_every_summary_sentence_and_numbers_its_sources():
    a, b, copy = strike_story()
    report = to_markdown(account_of(a, b, copy, sentences=3))
    lines = report.splitlines()

    assert lines[0].startswith("# ")
    summary = lines[lines.index("## Summary") + 2 : lines.index("## Sources") - 1]
    assert len(summary) == 3
    assert all(line.startswith("- ") and line.endswith("])*") for line in summary)
    sources = lines[lines.index("## Sources") + 2 : lines.index("## Actors") - 1]
    assert sources[0].startswith("1. **Courier**, 2026-03-02: Saltmere dockworkers walk out")
    assert sources[2].endswith("syndicated copy of [1]")
    assert "3 articles from 3 outlets (2 independent sources, 1 syndicated copy)" in report


def test_markdown_shows_quote_drift_side_by_side_with_the_differences_marked(drifting):
    report = to_markdown(drifting)
    drift = report[report.index("### Quote drift") : report.index("## Timeline")]
    rows = [line for line in drift.splitlines() if line.startswith("| ") and not line.startswith(("| Source", "| ---"))]
    assert [row.split(" | ")[0] for row in rows] == ["| Courier [1]", "| Wire [2]", "| Ledger [3]"]
    assert "~~and we will not be the ones who walk away from the table.~~" in rows[1]
    assert rows[1].endswith("| truncated (direct) |")
    assert "**drift: truncated**" in report


def test_markdown_coverage_matrix_and_only_in_lists():
    a, b, copy = strike_story()
    report = to_markdown(account_of(a, b, copy))
    assert "| Item | Courier | Wire | Ledger |" in report
    assert "| actor: Petar Kovac | ✓ |  | c |" in report
    only_wire = report[report.index("### Only in Wire") :].splitlines()
    assert only_wire[2:4] == ["- Actors:", "  - Anna Kovac"]


def test_markdown_cells_cannot_break_the_tables():
    text = "Kovac said: “Rates | fees *will* rise_now”"
    kovac = actor(text, "Kovac")
    article = stored("a", text, "Wire | Online", 2, actors=(kovac,), quotes=(quote(text, "Rates | fees *will* rise_now", kovac),))
    report = to_markdown(account_of(article))
    assert "Rates \\| fees \\*will\\* rise\\_now" in report
    assert "| Item | Wire \\| Online |" in report


def test_notebooks_show_an_account_as_its_report(drifting):
    assert drifting._repr_markdown_() == to_markdown(drifting)


def test_terminal_rendering_prints_every_section(drifting):
    console = Console(record=True, width=200)
    render(drifting, console)
    text = console.export_text()
    for heading in ("Sources", "Actors", "Quotes", "Timeline", "Coverage"):
        assert heading in text
    assert "Petar Kovac: drift (truncated)" in text


def test_terminal_drift_table_has_a_column_per_report_with_omitted_words_struck(drifting):
    table = drift_table(drifting.quotes[0], {"a": 1, "b": 2, "c": 3})
    assert [column.header.splitlines()[0] for column in table.columns] == ["Courier [1]", "Wire [2]", "Ledger [3]"]
    truncated = table.columns[1]._cells[0]
    struck = [truncated.plain[span.start : span.end] for span in truncated.spans if "strike" in str(span.style)]
    assert struck == ["and we will not be the ones who walk away from the table."]


@pytest.mark.slow
def test_show_prints_the_account_as_table_json_and_markdown(tmp_path):
    from storyline.cli import main

    db = tmp_path / "seeds.db"

    def run(*args):
        result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    run("ingest", SEEDS / "000_bc797e76ed57cc62.txt", "--outlet", "BBC", "--db", db)
    run("ingest", SEEDS / "004_12d6e5edffab1a9f.txt", "--outlet", "The National", "--db", db)
    stories = json.loads(run("stories", "--db", db, "--format", "json"))["stories"]
    articles = {story["id"]: [a["id"] for a in json.loads(run("show", story["id"], "--db", db, "--format", "json"))["articles"]] for story in stories}
    story_id = next(story for story, ids in articles.items() if "000_bc797e76ed57cc62" in ids)

    shown = json.loads(run("show", story_id, "--db", db, "--format", "json", "--sentences", "3"))
    listed = next(story for story in stories if story["id"] == story_id)
    # the story page keeps the story list's keys and their meaning, its headline included
    assert {key: shown[key] for key in ("id", "outlets", "first", "last")} == {key: listed[key] for key in ("id", "outlets", "first", "last")}
    assert shown["headline"] == listed["headline"] and len(shown["articles"]) == listed["articles"]
    assert {"id", "name", "type", "roles", "articles", "mentions"} <= set(shown["actors"][0])
    assert {"quotes", "events", "timeline", "coverage", "summary"} <= set(shown)
    assert len(shown["summary"]) == 3

    report = run("show", story_id, "--db", db, "--format", "markdown")
    assert report.startswith("# ") and "## Summary" in report and "## Coverage" in report

    table = run("show", story_id, "--db", db)
    assert "Dominic Raab" in table and "Coverage" in table
