"""The clusterer's and deduper's state as rows (issue 15): what a window changed is saved with it,
another writer reads back only that, and a store holding the old whole-state blobs is converted."""

from __future__ import annotations

import json
import zlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from storyline.cluster import ClusterItem, ClusterSettings, StoryAssigner, StoryClusterer
from storyline.dedupe import Deduper
from storyline.store import Repository
from storyline.store.state_rows import load, save

WORDS = ["harbour", "strike", "dockers", "vote", "bridge", "council", "repairs", "flood", "river", "minister", "budget", "school"]


def items(count: int) -> list[tuple[ClusterItem, str]]:
    """Articles on a few topics over many days (so quiet stories are forgotten), some verbatim copies."""
    start = datetime(2024, 1, 1)
    made = []
    for number in range(count):
        topic = number % 4
        terms = tuple(WORDS[(topic * 3 + k) % len(WORDS)] for k in range(3)) + (f"detail{number % 7}",)
        item = ClusterItem(
            article_id=f"a{number:03d}",
            terms=terms * 3,
            title_terms=terms[:2],
            actors=(f"person-{topic}",),
            published=start + timedelta(days=number // 3),
            source=f"outlet{number % 3}",
        )
        text = " ".join(terms * 10) + f" told the {topic} reporters on day {number // 3} of the week"
        made.append((item, text))
    return made


def canonical(clusterer: StoryClusterer, deduper: Deduper) -> dict:
    state = json.loads(zlib.decompress(clusterer.dumps()))
    state["stories"] = sorted(state["stories"], key=lambda story: story["id"])
    state["dedupe"] = {key: (e.position, e.original, e.size, e.signature.tolist()) for key, e in deduper.entries.items()}
    return state


def place(assigner: StoryAssigner, batch) -> None:
    for item, text in batch:
        assigner.place(item, text)


@pytest.fixture
def repo(db):
    """An empty store on each back-end."""
    repository = Repository(db)
    yield repository
    repository.engine.dispose()


def test_saved_rows_load_back_as_the_same_state(repo):
    # short memory, frequent sweeps: stories are forgotten (their rows marked) along the way
    assigner = StoryAssigner(StoryClusterer(settings=ClusterSettings(max_quiet_days=3, expire_every=5)), Deduper())
    corpus = items(60)
    for version, start in enumerate(range(0, 60, 12), start=1):  # a window of 12 at a time
        place(assigner, corpus[start : start + 12])
        with repo.write() as session:
            save(session, assigner.clusterer, assigner.deduper, version)
    assert assigner.deduper.original_of("a004") is None and any(e.original for e in assigner.deduper.entries.values())
    with repo.write() as session:
        clusterer, deduper = load(session)
        forgotten = session.execute(text("SELECT count(*) FROM cluster_stories WHERE state IS NULL")).scalar()
    assert forgotten > 0
    assert canonical(clusterer, deduper) == canonical(assigner.clusterer, assigner.deduper)
    assert clusterer.settings.max_quiet_days == 3
    # and it goes on as the original does (the stories of earlier articles are the store's to tell)
    more = items(72)[60:]
    resumed = StoryAssigner(clusterer, deduper)
    resumed.stories = dict(assigner.stories)
    place(assigner, more)
    place(resumed, more)
    assert canonical(resumed.clusterer, resumed.deduper) == canonical(assigner.clusterer, assigner.deduper)


def test_a_writer_reads_only_the_rows_saved_since_its_copy_and_then_agrees(repo):
    corpus = items(48)
    first = StoryAssigner(StoryClusterer(settings=ClusterSettings(max_quiet_days=3, expire_every=5)), Deduper())
    place(first, corpus[:24])
    with repo.write() as session:
        save(session, first.clusterer, first.deduper, 1)
        clusterer, deduper = load(session)  # a second writer's copy at version 1
    place(first, corpus[24:])
    with repo.write() as session:
        written = save(session, first.clusterer, first.deduper, 2)
        kept = session.execute(text("SELECT count(*) FROM dedupe_signatures WHERE saved = 1")).scalar()
        total = sum(
            session.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("cluster_stories", "cluster_postings", "cluster_terms", "dedupe_signatures")
        )
        load(session, clusterer, deduper, since=1)
    assert kept == 24 and written < total  # the second window saved what it changed, not all
    assert canonical(clusterer, deduper) == canonical(first.clusterer, first.deduper)


def test_a_store_holding_the_old_blobs_is_converted_to_rows(db):
    """A store saved by the version before rows (blobs under meta 'clusterer' and 'deduper',
    Alembic at 0001) upgrades in place: the same state, now as rows, and the blobs are gone."""
    from storyline.store.schema import ScriptDirectory, MIGRATIONS

    assigner = StoryAssigner(StoryClusterer(), Deduper())
    place(assigner, items(30))
    made = Repository(db)
    with made.engine.begin() as old:  # as the version before rows left it
        for table in ("cluster_stories", "cluster_postings", "cluster_terms", "dedupe_signatures", "writers"):
            old.execute(text(f"DROP TABLE {table}"))
        old.execute(text("DELETE FROM meta WHERE key LIKE '%_rows'"))
        old.execute(
            text("INSERT INTO meta (key, value) VALUES ('clusterer', :clusterer), ('deduper', :deduper), ('state_version', :version)"),
            {"clusterer": assigner.clusterer.dumps(), "deduper": assigner.deduper.dumps(), "version": b"7"},
        )
        old.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    made.engine.dispose()
    repo = Repository(db)
    with repo.engine.connect() as upgraded:
        assert upgraded.execute(text("SELECT version_num FROM alembic_version")).scalar() == ScriptDirectory(str(MIGRATIONS)).get_current_head()
        assert upgraded.execute(text("SELECT count(*) FROM meta WHERE key IN ('clusterer', 'deduper')")).scalar() == 0
        assert tuple(upgraded.execute(text("SELECT min(saved), count(*) FROM dedupe_signatures")).one()) == (7, 30)
    clusterer, deduper = repo.load_grouping()
    assert canonical(clusterer, deduper) == canonical(assigner.clusterer, assigner.deduper)
    repo.engine.dispose()


def test_a_read_only_store_of_an_earlier_schema_is_read_as_it_is(tmp_path):
    """Reading needs no upgrade: a store made before the state rows, opened read-only, is read."""
    import shutil
    from urllib.parse import quote

    from tests.store.test_schema import OLD_STORE

    db = tmp_path / "old.db"
    shutil.copy(OLD_STORE, db)
    before = db.read_bytes()
    repo = Repository(f"sqlite:///file:{quote(str(db))}?mode=ro&uri=true")
    assert repo.count_stories() == 7
    repo.engine.dispose()
    assert db.read_bytes() == before


def test_processes_upgrading_an_old_store_at_once_all_succeed(tmp_path):
    import shutil
    import sqlite3
    import subprocess
    import sys

    from tests.store.test_schema import OLD_STORE

    db = tmp_path / "old.db"
    shutil.copy(OLD_STORE, db)
    opening = "import sys; from storyline.store import Repository; Repository(sys.argv[1])"
    runs = [subprocess.Popen([sys.executable, "-c", opening, str(db)], stderr=subprocess.PIPE) for _ in range(3)]
    errors = [run.communicate()[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0] * 3, errors
    with sqlite3.connect(db) as upgraded:
        assert upgraded.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
        # the old deduper state became rows; the old model's clusterer state stays, for `recluster`
        assert upgraded.execute("SELECT count(*) FROM dedupe_signatures").fetchone() == (35,)
        assert upgraded.execute("SELECT key FROM meta WHERE key IN ('clusterer', 'deduper')").fetchall() == [("clusterer",)]
