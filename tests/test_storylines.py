"""Storylines: a story's follow-ups join its storyline; a concurrent unrelated story does not."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from storyline.cluster import ClusterItem
from storyline.storylines import StorylineLinker, StorylineSettings, link_stories

CORPUS = Path(__file__).parent / "data" / "storyline_corpus.jsonl"
DAY = datetime(2026, 4, 1, 9)
FILLER = [f"filler{i}" for i in range(40)]


def item(article_id: str, day: int, words: str, actors: str) -> ClusterItem:
    return ClusterItem(
        article_id=article_id,
        published=DAY + timedelta(days=day),
        terms=tuple(words.split()),
        title_terms=tuple(words.split()[:3]),
        actors=tuple(actors.split()),
    )


def background(count: int) -> list[ClusterItem]:
    """Unrelated articles, so that frequencies mean something; every one names `government`."""
    return [item(f"bg{i}", 0, f"{FILLER[i % 40]} {FILLER[(i * 7) % 40]} topic{i}", f"government person{i}") for i in range(count)]


def link(items: list[ClusterItem], stories: dict[str, str], settings: StorylineSettings | None = None) -> dict[str, str]:
    return link_stories({**{i.article_id: i.article_id for i in items}, **stories}, items, settings)


STRIKE = "nurse strike pay union hospital minister walk picket"
STRIKE_ACTORS = "marta-ilves nurses-union tomas-reyk"


def test_a_follow_up_joins_its_storyline_and_a_concurrent_unrelated_story_does_not():
    items = background(60) + [
        item("strike-1", 1, STRIKE, STRIKE_ACTORS),
        item("fire-1", 1, "wildfire evacuation village forest firefighter blaze wind", "anders-holm karst-valley government"),
        item("offer-2", 8, "nurse pay offer union reject minister strike vote", STRIKE_ACTORS),
        item("deal-3", 15, "nurse strike end arbitrator award pay union", STRIKE_ACTORS),
    ]
    storylines = link(items, {})
    assert storylines["offer-2"] == storylines["deal-3"] == storylines["strike-1"] == "strike-1"
    assert "fire-1" not in storylines
    assert not any(key.startswith("bg") for key in storylines)


def test_a_story_quiet_for_longer_than_the_window_is_not_continued():
    settings = StorylineSettings()
    items = background(60) + [
        item("strike-1", 1, STRIKE, STRIKE_ACTORS),
        item("strike-again", 1 + int(settings.window_days) + 5, STRIKE, STRIKE_ACTORS),
    ]
    assert link(items, {}, settings) == {}


def test_an_actor_named_everywhere_links_nothing_by_itself():
    # `government` is in every background article: two stories sharing only it stay apart
    items = background(60) + [
        item("budget", 1, "budget tax spending deficit", "government finance-ministry"),
        item("flood", 2, "budget tax spending deficit", "government"),
    ]
    assert link(items, {}) == {}


def test_a_saved_linker_decides_as_the_one_that_never_stopped():
    items = background(30) + [
        item("strike-1", 1, STRIKE, STRIKE_ACTORS),
        item("offer-2", 8, "nurse pay offer union reject minister strike vote", STRIKE_ACTORS),
    ]
    whole = StorylineLinker()
    resumed = StorylineLinker()
    first = [whole.add(i.article_id, i) for i in items]
    halfway = len(items) - 1
    second = [resumed.add(i.article_id, i) for i in items[:halfway]]
    resumed = StorylineLinker.loads(resumed.dumps())
    second += [resumed.add(i.article_id, i) for i in items[halfway:]]
    assert first == second and first[-1]


def read_corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_on_annotated_reports_the_nurses_follow_ups_join_and_the_wildfire_does_not():
    from storyline.cluster import cluster_item, publication_order
    from storyline.library import extract

    rows = {row["id"]: row for row in read_corpus()}
    items = publication_order([cluster_item(article, annotation) for article, annotation in extract([CORPUS])])
    storylines = link_stories({i: row["story"] for i, row in rows.items()}, items)
    assert storylines.get("offer") == storylines.get("deal") == storylines.get("strike") == "strike"
    assert "fire" not in storylines


@pytest.mark.slow
def test_stored_storylines_keep_the_arc_and_leave_the_wildfire_out(db):
    from storyline import Storyline

    store = Storyline(db, processes=1)
    store.ingest([CORPUS])
    story_of = {row["id"]: store.article(row["id"]).story_id for row in read_corpus()}
    # the follow-ups are in the strike's story (a model that joins them) or in its storyline
    link = store.story_storyline(story_of["strike-1a"])
    arc = {story.id for story in store.storyline(link.storyline_id).stories} if link else {story_of["strike-1a"]}
    assert {story_of[i] for i in ("strike-1a", "offer-2a", "deal-3a")} <= arc
    assert story_of["fire-1a"] not in arc and store.story_storyline(story_of["fire-1a"]) is None
    # re-grouping the store finds the same stories and storylines
    report = store.recluster()
    assert report.articles == len(story_of) and report.moved == 0
    assert (report.storylines_before, report.stories_before) == (report.storylines_after, report.stories_after)
