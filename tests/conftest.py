"""Shared fixtures: paths to ../shared and the spaCy pipeline loaded once per test session."""

from __future__ import annotations

import json
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
