"""The store through the library: idempotent ingest, versions, and crash consistency."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from storyline.ingest import IngestOptions

pytestmark = pytest.mark.slow


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def make_rows(count, prefix="n"):
    topics = ["harbour strike", "council budget", "border talks", "flood defences"]
    return [
        {
            "id": f"{prefix}{i}",
            "title": f"Report {i} on the {topics[i % 4]}",
            "text": f"Minister Lena Varga spoke on Tuesday about the {topics[i % 4]}. "
            f"Officials said item {i} would be reviewed by the committee next week.",
            "source": ["Northgate Post", "Daily Ledger"][i % 2],
            "url": f"https://example.test/{prefix}/{i}",
            "published": f"2026-03-{1 + i % 20:02d}T09:00:00",
        }
        for i in range(count)
    ]


def test_reingest_is_a_no_op_and_new_text_is_a_version(tmp_path, db):
    from storyline import Storyline

    corpus = tmp_path / "a.jsonl"
    write_jsonl(corpus, make_rows(3))
    store = Storyline(db, processes=1)
    first = store.ingest([corpus])
    assert (first.added, first.unchanged) == (3, 0)
    again = store.ingest([corpus])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)

    rows = make_rows(3)
    rows[1]["text"] += " A correction was appended later."
    write_jsonl(corpus, rows)
    changed = store.ingest([corpus])
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 2)
    stored = store.article("n1")
    assert stored.version == 2 and stored.article.text.endswith("appended later.")
    assert store.repo.count_articles() == 3


def test_store_survives_kill_9_mid_ingest_and_a_rerun_completes(tmp_path):
    corpus = tmp_path / "big.jsonl"
    total = 300
    write_jsonl(corpus, make_rows(total, prefix="k"))
    db = tmp_path / "crash.db"
    command = [sys.executable, "-m", "storyline.cli", "ingest", str(corpus), "--db", str(db)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    stored = 0
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.2)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as connection:
                    stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                continue
            if stored > 0:
                break
    assert process.poll() is None, "ingest finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count, unassigned = connection.execute(
            "SELECT count(*), sum(story_id IS NULL) FROM articles"
        ).fetchone()
        assert 0 < count < total and not unassigned
        orphans = connection.execute(
            "SELECT count(*) FROM article_actors WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0]
        assert orphans == 0

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{total - count} added" in rerun.stderr and f"{count} unchanged" in rerun.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*), sum(story_id IS NULL) FROM articles").fetchone() == (total, 0)


def test_a_story_split_moves_stored_articles_and_their_copies(tmp_path, monkeypatch, db):
    from storyline import Storyline
    from storyline.cluster import StoryClusterer

    rows = make_rows(3)
    # published with n0: of articles of the same time, the first by id is the original
    rows.insert(1, {**rows[0], "id": "n0-copy", "source": "Courier", "url": "https://example.test/copy"})
    corpus = tmp_path / "a.jsonl"
    write_jsonl(corpus, rows)
    real_add = StoryClusterer.add

    def add_then_split(self, item, story=None):
        story_id = real_add(self, item, story)
        if item.article_id == "n2":  # as if this article made its story fall apart: n0 leaves
            self.last_moves = {"n0": "split-off"}
        return story_id

    monkeypatch.setattr(StoryClusterer, "add", add_then_split)
    store = Storyline(db, processes=1)
    assert store.ingest([corpus]).added == 4
    assert store.article("n0").story_id == "split-off"
    assert store.article("n0-copy").duplicate_of == "n0"
    assert store.article("n0-copy").story_id == "split-off"  # a copy follows its original
    assert store.article("n1").story_id != "split-off"
