"""One JSON contract: the CLI's `--format json` prints exactly what the web's `.json` twin returns.

Both print the page models of `storyline.pages`; each pair below asks for the same page with the
same parameters (in the same order, so pagination links agree too), on each back-end.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from storyline.cli import main
from tests.web.fixtures import HOSTILE_ARTICLE

PAIRS = [
    ("stories", [], "/stories.json"),
    ("stories", ["--limit", "1", "--offset", "1"], "/stories.json?limit=1&offset=1"),
    ("stories", ["--since", "2026-04-02", "--order", "newest"], "/stories.json?since=2026-04-02&order=newest"),
    ("stories", ["--outlet", "Daily Ledger", "--actor", "ines-alder"], "/stories.json?outlet=Daily+Ledger&actor=ines-alder"),
    # a search: stories with their best passage, the matching articles, their days
    ("stories", ["--q", "harbour"], "/stories.json?q=harbour"),
    ("stories", ["--q", '"harbour open" OR grandstanding', "--limit", "2"], "/stories.json?q=%22harbour+open%22+OR+grandstanding&limit=2"),
    ("show", ["harbour-vote"], "/stories/harbour-vote.json"),
    ("show", ["hostile-story", "--articles-limit", "1"], "/stories/hostile-story.json?articles_limit=1"),
    ("actors", [], "/actors.json"),
    ("actors", ["--q", "alder", "--limit", "1"], "/actors.json?q=alder&limit=1"),
    ("actor", ["ines-alder"], "/actors/ines-alder.json"),
    ("actor", ["port-board", "--quotes-limit", "1"], "/actors/port-board.json?quotes_limit=1"),
    ("article", ["courier-harbour-vote"], "/articles/courier-harbour-vote.json"),
    ("article", [HOSTILE_ARTICLE], f"/articles/{quote(HOSTILE_ARTICLE, safe='')}.json"),
    ("storylines", [], "/storylines.json"),
    ("storylines", ["harbour-vote"], "/storylines/harbour-vote.json"),
]


@pytest.mark.parametrize(("command", "options", "path"), PAIRS, ids=[f"{c} {' '.join(o)}" for c, o, _ in PAIRS])
def test_cli_json_is_the_web_json(storyline, client, command, options, path):
    web = client.get(path)
    assert web.status_code == 200, web.text
    result = CliRunner().invoke(main, [command, *options, "--db", storyline.db, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == web.json()


def test_the_contract_has_no_old_shape(storyline):
    """`stories --format json` was a list of stories with their articles; it is the web's page now."""
    result = CliRunner().invoke(main, ["stories", "--db", storyline.db, "--format", "json"], catch_exceptions=False)
    page = json.loads(result.stdout)
    assert set(page) >= {"stories", "pagination", "filters"}
    assert all(isinstance(story["articles"], int) for story in page["stories"])
    assert page["pagination"]["total"] == len(page["stories"]) == 3


def test_with_an_outlets_table_the_story_and_blind_spots_agree_too(storyline, tmp_path):
    from fastapi.testclient import TestClient

    from storyline.outlet_profiles import load_outlet_table
    from storyline.web import create_app
    from tests.test_outlet_profiles import TABLE

    table = tmp_path / "outlets.csv"
    table.write_text(TABLE, encoding="utf-8")
    with TestClient(create_app(storyline, outlets=load_outlet_table(table))) as client:
        for command, path in ((["show", "harbour-vote"], "/stories/harbour-vote.json"), (["blindspots", "--by", "country"], "/blindspots.json?by=country")):
            web = client.get(path).json()
            printed = CliRunner().invoke(main, [*command, "--outlets", table, "--db", storyline.db, "--format", "json"], catch_exceptions=False)
            assert printed.exit_code == 0, printed.output
            assert json.loads(printed.stdout) == web
        assert web["stories"] and web["by"] == "country"
