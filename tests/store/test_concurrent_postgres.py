"""Writers on several machines share one PostgreSQL store: two processes creating it and storing
at once lose nothing (schema creation and each write transaction hold advisory locks, so they
take turns)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from tests.conftest import REPO, fresh_store

WRITER = """
import sys
from datetime import datetime, timedelta
from storyline import Storyline
from storyline.records import Annotation, Article

url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = Storyline(url, processes=1)
topics = ["harbour strike", "council budget", "border talks", "flood defences"]
for start in range(0, count, 5):  # five articles a call: many windows, interleaved with the other writer
    pairs = []
    for number in range(start, start + 5):
        topic = topics[number % 4]
        article = Article(
            id=f"{name}-{number}", text=f"{name} reports item {number} on the {topic}.", title=f"{topic} {number}",
            source=name, url=f"https://{name}.example/{number}", published=datetime(2026, 3, 1) + timedelta(hours=number),
        )
        pairs.append((article, Annotation(article.id, terms=tuple(topic.split()) + (name,), title_terms=tuple(topic.split()))))
    assert store.add_annotated(pairs).added == 5
"""


def test_two_writers_at_once_lose_nothing(tmp_path):
    from storyline.store import Repository
    from storyline.store.models import ArticleRow

    with fresh_store("postgresql", tmp_path) as url:
        writers = [
            subprocess.Popen([sys.executable, "-c", WRITER, url, name, "40"], cwd=REPO, stderr=subprocess.PIPE, text=True)
            for name in ("north", "south")
        ]
        for writer in writers:
            assert writer.wait(timeout=300) == 0, writer.stderr.read()
        repository = Repository(url)
        with repository.read() as session:
            total, unassigned = session.execute(
                select(func.count(ArticleRow.id), func.count(ArticleRow.id).filter(ArticleRow.story_id.is_(None)))
            ).one()
        assert (total, unassigned) == (80, 0)
        repository.engine.dispose()
