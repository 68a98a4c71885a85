"""Writers at work at once place their windows together, in publication order (issue 15): while
another writer is at work a window waits unplaced, and the writer that finds itself alone places
everything waiting, so the store groups as one writer given all the articles would."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from storyline import Storyline
from storyline.records import Actor, Annotation, Article

TOPICS = ["harbour strike", "council budget", "border talks", "flood defences"]


def pairs(numbers) -> list[tuple[Article, Annotation]]:
    made = []
    for number in numbers:
        topic = TOPICS[number % 4]
        article = Article(
            id=f"a{number:02d}", text=f"Item {number} on the {topic}, told by the {topic} desk.", title=f"{topic} {number}",
            source=f"outlet{number % 3}", url=f"https://news.example/{number}", published=datetime(2026, 3, 1) + timedelta(hours=3 * number),
        )
        actor = Actor(id=f"{topic.split()[0]}-chief", name=f"{topic.split()[0].title()} Chief", type="PERSON", mentions=())
        made.append((article, Annotation(article.id, actors=(actor,), terms=tuple(topic.split()) * 3, title_terms=tuple(topic.split()))))
    return made


def grouping(store: Storyline) -> dict[str, str | None]:
    with store.repo.read() as session:
        return dict(session.execute(text("SELECT id, story_id FROM articles")).all())


@pytest.fixture
def store(db):
    store = Storyline(db, processes=1)
    yield store
    store.repo.engine.dispose()


def single_writer(tmp_path) -> dict[str, str | None]:
    alone = Storyline(tmp_path / "alone.db", processes=1)
    alone.add_annotated(pairs(range(24)))
    return grouping(alone)


def test_windows_stored_while_another_writer_works_wait_and_are_placed_together(store, tmp_path):
    other = store.repo.writer_started()  # another writer, at work in this (live) process
    late, early = pairs(range(12, 24)), pairs(range(12))
    store.add_annotated(late)  # the later news first, as a concurrent writer may deliver it
    store.add_annotated(early)
    assert set(grouping(store).values()) == {None}  # waiting
    with store.repo.write() as session:
        store.repo.writer_seen(session, other, done=True)
    report = store.add_annotated([])  # a writer alone places what waits
    assert report.added == 0
    placed = grouping(store)
    assert None not in placed.values()
    assert placed == single_writer(tmp_path)  # as one writer given all of it in publication order
    with store.repo.read() as session:  # each actor stored once, linked to a store-wide entity
        linked = session.execute(text("SELECT count(*) FROM article_actors JOIN entities ON entities.id = article_actors.actor_id")).scalar()
        assert linked == 24
        assert session.execute(text("SELECT count(*) FROM writers")).scalar() == 0
    _, deduper = store.repo.load_grouping()
    assert len(deduper.entries) == 24


def test_a_writer_whose_process_is_gone_is_not_waited_for(store):
    from storyline.store.models import WriterRow

    with store.repo.write() as session:
        session.add(WriterRow(id="dead", host=__import__("socket").gethostname(), pid=2**22 + 12345, seen=0.0))
    store.add_annotated(pairs(range(6)))
    assert None not in grouping(store).values()


def test_articles_wait_no_longer_than_the_placement_wait(store, monkeypatch):
    from storyline import library

    store.repo.writer_started()
    monkeypatch.setattr(library, "PLACEMENT_WAIT_SECONDS", 0.0)
    store.add_annotated(pairs(range(6)))
    store.add_annotated(pairs(range(6, 8)))  # the first window has waited long enough: all placed now
    assert None not in grouping(store).values()


def test_articles_of_the_same_time_are_placed_the_same_whatever_order_they_come_in(tmp_path):
    same_day = [(replace(article, published=datetime(2026, 3, 1)), annotation) for article, annotation in pairs(range(12))]
    groupings = []
    for name, order in (("forward", same_day), ("backward", same_day[::-1])):
        store = Storyline(tmp_path / f"{name}.db", processes=1)
        store.add_annotated(order)
        groupings.append(grouping(store))
    assert groupings[0] == groupings[1]  # the same stories, under the same ids
