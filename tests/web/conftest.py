"""Web fixtures: a client for the hand-made store (`storyline`, tests/conftest.py), shared across the web tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.fixtures import write_stories

TOKEN = "test-token-1234"


@pytest.fixture(scope="session")
def client(storyline):
    from storyline.web import create_app

    with TestClient(create_app(storyline, token=TOKEN)) as test_client:
        yield test_client


@pytest.fixture
def fresh_client(db):
    """A client over a store of its own, for tests that write."""
    from storyline import Storyline
    from storyline.web import create_app

    store = Storyline(db, processes=1)
    write_stories(store.repo)
    with TestClient(create_app(store, token=TOKEN, max_body_bytes=200_000)) as test_client:
        yield test_client
    store.repo.engine.dispose()
