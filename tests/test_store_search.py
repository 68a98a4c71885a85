"""Article search: best passages with the matched words marked, phrases and OR, within stories;
on SQLite and on PostgreSQL."""

from __future__ import annotations

from storyline.store.repository import snippet_marks


def test_marks_are_where_the_markers_were():
    assert snippet_marks("…the \ue000harbour\ue001 stayed \ue000open\ue001") == ("…the harbour stayed open", ((5, 12), (20, 24)))


def test_a_phrase_finds_its_passage_marked(storyline):
    matches, total = storyline.search_articles('"keep the harbour open"')
    assert total == 2 and {m.story_id for m in matches} == {"harbour-vote"}
    for match in matches:
        (start, end), = match.marks
        assert match.snippet[start:end] == "keep the harbour open"


def test_or_and_story_filter(storyline):
    matches, total = storyline.search_articles("grandstanding OR repairs")
    assert total == 2 and {m.article.id for m in matches} == {"ledger-board-accuses", "post-bridge-repairs"}
    assert storyline.search_articles("grandstanding OR repairs", story_ids=["bridge-repairs"])[1] == 1
    assert storyline.search_articles("harbour", limit=1, offset=1)[0][0].article.id
    assert storyline.search_articles('" -') == ([], 0)


def test_actor_articles_per_day(storyline):
    from datetime import date

    assert storyline.actor_articles_per_day("ines-alder") == [(date(2026, 4, 1), 1), (date(2026, 4, 2), 1), (date(2026, 4, 3), 1)]
    assert storyline.actor_articles_per_day("no-one") == []


def test_search_articles_per_day(storyline):
    from datetime import date

    assert storyline.search_articles_per_day("grandstanding OR repairs") == [(date(2026, 4, 3), 1), (date(2026, 6, 10), 1)]
    assert storyline.search_articles_per_day('"') == []
