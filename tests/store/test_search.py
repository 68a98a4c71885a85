"""One search syntax on both back-ends: parsed once, rendered for FTS5 and for tsquery, and giving
the same stories on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from storyline.records import StoryFilter
from storyline.store import Repository
from storyline.store.search import Query, Term, fts5, parse, term_marks, tsquery
from tests.web.fixtures import write_stories

QUERIES = [
    "harbour",
    "HARBOUR board",
    '"port board"',
    '"board port"',
    "ship OR bridge",
    "harbour -ship",
    "harbour NOT ship",
    "harb*",
    "harbour AND ship",
    'unbalanced "quote',
    "-ship",
    '" OR NOT *',
    "nothing-like-this",
]


def test_the_syntax():
    assert parse("port strike OR walkout -ferry dock*") == Query(
        groups=((Term(("port",)),), (Term(("strike",)), Term(("walkout",))), (Term(("dock",), prefix=True),)),
        excluded=(Term(("ferry",)),),
    )
    assert parse('"Eastern  Basin" AND gate') == Query(((Term(("eastern", "basin")),), (Term(("gate",)),)))
    assert not parse('OR NOT - *') and not parse("-only")  # nothing to look for
    assert parse('ship OR "x', syntax=False) == Query(((Term(("ship",)),), (Term(("or",)),), (Term(("x",)),)))


def test_renderings_quote_every_word():
    query = parse('harbour OR "port board" -ship dock*')
    assert fts5(query) == '("harbour" OR "port board") AND ("dock"*) NOT "ship"'
    assert tsquery(query) == "(('harbour') | ('port' <-> 'board')) & (('dock':*)) & !('ship')"


def spans(text: str, *pieces: str) -> tuple[tuple[int, int], ...]:
    """Where each piece is in `text`, the first not yet used from left to right."""
    found, start = [], 0
    for piece in pieces:
        start = text.index(piece, start)
        found.append((start, start + len(piece)))
        start += len(piece)
    return tuple(found)


def test_marks_word_by_word_become_the_query_s_phrases_and_words():
    text = "the harbour. We will keep the harbour, open: the dock opens"
    # ts_headline marks every query word wherever it is
    every_word = spans(text, "the", "harbour", "keep", "the", "harbour", "open", "the")
    phrase = spans(text, "keep the harbour, open")
    assert term_marks(parse('"keep the harbour open"'), text, every_word) == phrase
    assert term_marks(parse('harbour "keep the"'), text, every_word) == spans(text, "harbour", "keep the", "harbour")
    assert term_marks(parse("open*"), text, spans(text, "open", "opens")) == spans(text, "open", "opens")
    assert term_marks(parse("harbour open"), text, spans(text, "harbour", "open")) == spans(text, "harbour", "open")


def test_the_same_stories_on_both_back_ends(db, tmp_path):
    stores = []
    for url in (db, tmp_path / "reference.db"):
        repository = Repository(url)
        write_stories(repository)
        stores.append(repository)
    tested, reference = stores
    for query in QUERIES:
        assert set(tested.search(query)) == set(reference.search(query)), query
    assert tested.search("harbour") and not tested.search("-ship")
    for words in ["harbour board", "Harbour", 'ship "x', "mayor OR"]:
        found = [tested.find_stories(StoryFilter(text=words, order=order), limit=10) for order in ("biggest", "relevance")]
        expected = reference.find_stories(StoryFilter(text=words, order="biggest"), limit=10)
        assert [s.id for s in found[0][0]] == [s.id for s in expected[0]] and found[0][1] == expected[1], words
        assert {s.id for s in found[1][0]} == {s.id for s in expected[0]}  # rankings differ: BM25 vs ts_rank
    tested.engine.dispose()


@pytest.mark.parametrize("query", ["harbour", '"port board"'])
def test_search_uses_the_index_on_postgresql(query, tmp_path):
    from tests.conftest import fresh_store

    with fresh_store("postgresql", tmp_path) as url:
        repository = Repository(url)
        write_stories(repository)
        from sqlalchemy import text

        from storyline.store.schema import SEARCH_DOCUMENT

        with repository.engine.connect() as connection:
            connection.execute(text("SET enable_seqscan = off"))  # a tiny table: make the planner show it can
            plan = "\n".join(
                row[0] for row in connection.execute(
                    text(f"EXPLAIN SELECT id FROM articles WHERE {SEARCH_DOCUMENT} @@ to_tsquery('simple', :q)"),
                    {"q": tsquery(parse(query))},
                )
            )
        assert "articles_search" in plan
        repository.engine.dispose()
