"""Several writers on one store: none loses another's update (issue 15), on SQLite and on
PostgreSQL (ingest processes on several machines writing to one server: issue 17)."""

from __future__ import annotations

import json
import logging
import sqlite3
import subprocess
import sys
import threading

import pytest

from storyline.errors import StoreError
from storyline.library import Storyline, demo_corpus
from storyline.store import Repository
from tests.conftest import sql

# Two writers store halves of the demo at once. While both are at work their windows wait unplaced
# and the last one places them in publication order, as one writer would (library._store_window).
ORDER_AGREEMENT = 0.98
OPEN_STORE = "import sys; from storyline.store import Repository; Repository(sys.argv[1])"


def test_processes_creating_a_new_store_at_once_all_succeed(tmp_path):
    db = tmp_path / "new.db"
    runs = [subprocess.Popen([sys.executable, "-c", OPEN_STORE, str(db)], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [run.communicate()[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0] * 4, errors
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (b"1",)


def test_a_writer_that_must_wait_says_so_and_one_that_cannot_fails_in_one_line(tmp_path, monkeypatch, caplog):
    from storyline.store import repository

    db = tmp_path / "s.db"
    repo = Repository(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer in the middle of a window
    monkeypatch.setattr(repository, "WRITE_WAIT_SECONDS", 0.3)
    with caplog.at_level(logging.WARNING, logger="storyline.store"):
        with pytest.raises(StoreError) as refused:
            with repo.write() as session:
                repo.state_version(session)  # a session begins at its first statement
    assert "waiting for another writer" in caplog.text
    assert "another writer has held the store" in str(refused.value) and "\n" not in str(refused.value)
    holder.execute("ROLLBACK")
    with repo.write() as session:  # the lock is free again: no error left behind
        assert repo.state_version(session) == 0


def demo_rows() -> list[dict]:
    return [json.loads(line) for line in demo_corpus().read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def grouping(db) -> dict[str, str]:
    return dict(sql(db, "SELECT id, story_id FROM articles"))


def assert_consistent(db, expected_ids: set[str]) -> None:
    """Every article stored once, in a story, known to the deduper; copies in their original's story."""
    stories = grouping(db)
    assert set(stories) == expected_ids
    assert all(stories.values())
    repository = Repository(db)
    _, deduper = repository.load_grouping()
    repository.engine.dispose()
    assert set(deduper.entries) == expected_ids
    for article, original in sql(db, "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"):
        assert stories[article] == stories[original]


def agreement(first: dict[str, str], second: dict[str, str]) -> float:
    from storyline.eval.cluster import scores

    return scores(first, second)["b3_f1"]


@pytest.fixture(scope="module")
def single_writer(tmp_path_factory) -> dict[str, str]:
    db = tmp_path_factory.mktemp("single") / "s.db"
    Storyline(db, processes=1).ingest([demo_corpus()])
    return grouping(db)


@pytest.mark.slow
def test_two_ingest_processes_into_one_store_group_as_one_writer(tmp_path, db, single_writer):
    rows = demo_rows()
    halves = [tmp_path / "even.jsonl", tmp_path / "odd.jsonl"]
    write_jsonl(halves[0], rows[0::2])
    write_jsonl(halves[1], rows[1::2])
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "storyline.cli", "ingest", str(half), "--db", str(db)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for half in halves
    ]
    outputs = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert_consistent(db, {row["id"] for row in rows})
    print("two processes: B3 F1 against one writer", agreement(grouping(db), single_writer))
    assert agreement(grouping(db), single_writer) >= ORDER_AGREEMENT


@pytest.mark.slow
def test_the_same_input_twice_at_once_stores_it_once(db):
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "storyline.cli", "ingest", "--demo", "--db", str(db)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate()[1].decode() for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert not any("Traceback" in output or "IntegrityError" in output for output in outputs)
    added = [int(output.rsplit("\n", 2)[-2].split(" added")[0]) for output in outputs]
    assert sum(added) == len(demo_rows())
    assert_consistent(db, {row["id"] for row in demo_rows()})


@pytest.mark.slow
def test_two_threads_with_two_storylines_lose_no_update(tmp_path, db, monkeypatch, single_writer):
    from storyline import library

    monkeypatch.setattr(library, "ORDER_WINDOW", 3)  # many small windows, interleaved
    rows = demo_rows()
    halves = [tmp_path / "even.jsonl", tmp_path / "odd.jsonl"]
    write_jsonl(halves[0], rows[0::2])
    write_jsonl(halves[1], rows[1::2])
    writers = [Storyline(db, processes=1) for _ in halves]
    failures: list[BaseException] = []

    def run(writer, half) -> None:
        try:
            writer.ingest([half])
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in zip(writers, halves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert_consistent(db, {row["id"] for row in rows})
    print("two threads: B3 F1 against one writer", agreement(grouping(db), single_writer))
    assert agreement(grouping(db), single_writer) >= ORDER_AGREEMENT
