"""Shared fixtures: paths to ../shared and the spaCy pipeline loaded once per test session."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from storyline.annotate.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def expected():
    return json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_articles():
    from storyline.ingest import read

    return {article.id: article for article in read([SEEDS])}


# ---- stores on both back-ends -----------------------------------------------------------
# The store, library, CLI and web tests run on SQLite and on a real PostgreSQL server, named by
# STORYLINE_TEST_POSTGRES_URL (an admin URL, e.g. from `bash .ci/postgres`); each test gets a
# database of its own. Without the variable, or when the server cannot be reached, the
# PostgreSQL half is skipped, saying why; CI sets STORYLINE_REQUIRE_POSTGRES=1 so it fails instead.

POSTGRES_URL = os.environ.get("STORYLINE_TEST_POSTGRES_URL")
BACKENDS = ("sqlite", "postgresql")


def _postgres_unavailable(reason: str):
    if os.environ.get("STORYLINE_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required here (STORYLINE_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(f"PostgreSQL half skipped: {reason}")


def _admin():
    if not POSTGRES_URL:
        _postgres_unavailable("STORYLINE_TEST_POSTGRES_URL is not set (start a server with `bash .ci/postgres`)")
    import psycopg

    try:
        return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        _postgres_unavailable(f"cannot connect to {POSTGRES_URL}: {str(error).strip()}")


@contextmanager
def fresh_store(backend: str, folder: Path) -> Iterator[str]:
    """The URL (or file) of an empty store on `backend`, dropped afterwards on PostgreSQL."""
    if backend == "sqlite":
        yield str(folder / "store.db")
        return
    from sqlalchemy.engine import make_url

    name = f"storyline_test_{uuid.uuid4().hex[:12]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=BACKENDS)
def storyline(request, tmp_path_factory):
    """The hand-made stories of tests/web/fixtures.py in a store read by many tests, on each
    back-end in turn. Tests that write take a store of their own."""
    from storyline import Storyline
    from tests.web.fixtures import write_stories

    with fresh_store(request.param, tmp_path_factory.mktemp("hand-made")) as url:
        store = Storyline(url, processes=1)
        write_stories(store.repo)
        yield store
        store.repo.engine.dispose()


def sql(db: str | Path, statement: str) -> list[tuple]:
    """The rows of one SQL statement run on a store, committed; through the store's own engine,
    so on either back-end."""
    from sqlalchemy import text

    from storyline.store import Repository

    engine = Repository(str(db)).engine
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path) -> Iterator[str]:
    """An empty store for one test, on each back-end in turn."""
    with fresh_store(request.param, tmp_path) as url:
        yield url


BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BACKEND_PARAMETER = re.compile(r"\[(?:[^\]]*-)?(sqlite|postgresql)(?:-[^\]]*)?\]$")


def pytest_terminal_summary(terminalreporter):
    """One line per back-end counting its tests by outcome, so a log shows both halves ran."""
    outcomes: dict[str, dict[str, set[str]]] = {backend: {} for backend in BACKENDS}
    for outcome in ("passed", "failed", "error", "skipped", "xfailed"):
        for report in terminalreporter.stats.get(outcome, []):
            found = BACKEND_PARAMETER.search(getattr(report, "nodeid", ""))
            if found:
                outcomes[found.group(1)].setdefault(outcome, set()).add(report.nodeid)
    if any(outcomes.values()):
        for backend, counted in outcomes.items():
            line = ", ".join(f"{len(ids)} {outcome}" for outcome, ids in counted.items()) or "none"
            terminalreporter.write_line(f"{BACKEND_NAMES[backend]} half: {line}")
