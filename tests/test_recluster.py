"""Re-grouping a store: `Storyline.recluster` and `storyline recluster`, `storylines` and `show`,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.library import Storyline, demo_corpus
from storyline.records import StoryLink
from tests.conftest import sql

pytestmark = pytest.mark.slow


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def grouping(db) -> dict[str, str]:
    return dict(sql(db, "SELECT id, story_id FROM articles"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    db = tmp_path_factory.mktemp("fresh") / "fresh.db"
    Storyline(db, processes=1).ingest([demo_corpus()])
    return grouping(db)


def test_an_old_store_without_features_and_with_stale_stories_is_grouped_as_new(db, fresh):
    Storyline(db, processes=1).ingest([demo_corpus()])
    # as a store of an earlier version, grouped by an older model
    sql(db, "DELETE FROM article_features")
    sql(db, "UPDATE articles SET story_id = 'one-big-story', duplicate_of = NULL")
    ticks = []
    report = Storyline(db, processes=1).recluster(on_progress=lambda done, total: ticks.append((done, total)))
    assert grouping(db) == fresh
    assert (report.articles, report.stories_before, report.stories_after) == (len(fresh), 1, len(set(fresh.values())))
    assert report.moved == sum(story != "one-big-story" for story in fresh.values())
    assert ticks[-1] == (len(fresh), len(fresh)) and len(ticks) == len(fresh)
    assert sql(db, "SELECT count(*) FROM article_features") == [(len(fresh),)]
    assert sql(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL") == [(3,)]
    # the saved state is the re-grouped one: the next ingest goes on from it
    again = Storyline(db, processes=1).ingest([demo_corpus()])
    assert (again.added, again.unchanged) == (0, len(fresh))


def test_the_cli_regroups_with_progress_and_names_a_storys_storyline(db, fresh):
    assert run("ingest", "--demo", "--db", db).exit_code == 0
    result = run("recluster", "--db", db)
    assert result.exit_code == 0, result.output
    assert f"Re-grouping: {len(fresh)}/{len(fresh)} articles" in result.stderr
    stories = len(set(fresh.values()))
    assert f"{len(fresh)} articles re-grouped: 0 changed story; stories {stories} -> {stories}" in result.stderr

    first, second = sorted(set(fresh.values()))[:2]
    store = Storyline(db, processes=1)
    with store.repo.write() as session:  # a storyline, written as the linker would
        store.repo.save_story_links(session, [StoryLink(first, first, first, 1.0, ()), StoryLink(second, first, first, 0.5, ("vestria",))])
    listed = json.loads(run("storylines", "--db", db, "--format", "json").stdout)["storylines"]
    assert [arc["id"] for arc in listed] == [first] and listed[0]["stories"] == 2
    assert "1 storyline\n" in run("storylines", "--db", db).stdout
    shown = json.loads(run("show", second, "--db", db, "--format", "json").stdout)
    assert shown["storyline"]["id"] == first and shown["storyline"]["continues"] == first
    assert shown["storyline"]["shared_actors"] == ["vestria"]
    assert f"Storyline {first}" in run("show", second, "--db", db, "--format", "markdown").stdout
    others = [story for story in set(fresh.values()) if story not in (first, second)]
    assert "In no storyline." in run("show", others[0], "--db", db, "--format", "markdown").stdout
