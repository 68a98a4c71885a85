"""Schema creation and upgrades: a store made by storyline 0.1.0 (main before migrations) is
upgraded in place, keeps every article and story, and takes new ones."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from sqlalchemy import inspect

from storyline.store.models import Base
from tests.conftest import REPO

OLD_STORE = REPO / "tests" / "data" / "main-0.1.0-demo.db"  # `storyline ingest --demo` by 0.1.0


def test_a_store_made_before_migrations_is_upgraded_in_place(tmp_path):
    from storyline import Storyline

    db = tmp_path / "old.db"
    shutil.copy(OLD_STORE, db)
    with sqlite3.connect(db) as old:
        tables = {name for (name,) in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "alembic_version" not in tables and "articles_fts" in tables
        stories_before = old.execute("SELECT count(DISTINCT story_id), count(*) FROM articles").fetchone()
    store = Storyline(db, processes=1)
    inspector = inspect(store.repo.engine)
    for table in Base.metadata.sorted_tables:  # every table and column of today's models
        assert {c.name for c in table.columns} <= {c["name"] for c in inspector.get_columns(table.name)}, table.name
    with sqlite3.connect(db) as upgraded:
        from storyline.store.schema import ScriptDirectory, MIGRATIONS

        head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert upgraded.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
    assert (store.repo.count_stories(), store.repo.count_articles()) == stories_before == (7, 35)
    assert [s.id for s in store.search('"eastern basin"')] == ["courier-0302-dockers-walk-out"]
    biggest = store.stories()[0]
    assert len(biggest.articles) == 6 and store.account(biggest.id).actors
    # its saved grouping state is of the older model: adding more says to regroup first, and after
    # `recluster` it goes on working: a copy of a stored article lands as a syndicated copy, in its story
    original = store.article("courier-0302-dockers-walk-out")
    from dataclasses import replace

    from storyline.errors import StateVersionError

    copy = replace(original.article, id="wire-copy", url="https://wire.example/copy", source="Wire")
    with pytest.raises(StateVersionError, match="recluster"):
        store.add_annotated([(copy, replace(original.annotation, article_id="wire-copy"))])
    assert store.recluster().articles == 35
    original = store.article("courier-0302-dockers-walk-out")
    report = store.add_annotated([(copy, replace(original.annotation, article_id="wire-copy"))])
    assert (report.added, report.duplicates) == (1, 1)
    assert store.article("wire-copy").story_id == original.story_id


def test_opening_twice_changes_nothing(db):
    from storyline.store import Repository

    first = Repository(db)
    tables = set(inspect(first.engine).get_table_names())
    second = Repository(db)
    assert set(inspect(second.engine).get_table_names()) == tables >= set(Base.metadata.tables) | {"alembic_version"}
    for repository in (first, second):
        repository.engine.dispose()
