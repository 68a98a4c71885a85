"""Search syntax: phrases, OR, AND, NOT and -word become FTS5; no input makes SQLite fail."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.search_syntax import fts_query


def test_phrases_and_operators():
    assert fts_query("raab taliban") == '"raab" AND "taliban"'
    assert fts_query('"foreign secretary" OR Raab') == '"foreign secretary" OR "Raab"'
    assert fts_query("Taliban AND Raab") == '"Taliban" AND "Raab"'
    assert fts_query("harbour -strike") == '"harbour" NOT "strike"'
    assert fts_query("harbour NOT strike") == '"harbour" NOT "strike"'
    assert fts_query("OR harbour OR") == '"harbour"'
    assert fts_query('"unclosed phrase') == '"unclosed phrase"'
    assert fts_query("-only NOT") == ""
    assert fts_query('" " -- ""') == ""


def database():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE docs USING fts5(text)")
    connection.executemany(
        "INSERT INTO docs VALUES (?)",
        [("The foreign secretary met Raab.",), ("Taliban took Kabul.",), ("Raab spoke of the Taliban.",), ("Harbour strike ends.",)],
    )
    return connection


def found(connection, text: str) -> set[int]:
    query = fts_query(text)
    return {row[0] for row in connection.execute("SELECT rowid FROM docs WHERE docs MATCH ?", (query,))} if query else set()


def test_queries_find_what_they_say():
    connection = database()
    assert found(connection, '"foreign secretary"') == {1}
    assert found(connection, '"secretary foreign"') == set()
    assert found(connection, "Kabul OR harbour") == {2, 4}
    assert found(connection, "Taliban AND Raab") == {3}
    assert found(connection, "Taliban -Raab") == {2}


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "-*():^+ORANDNOT\t.')) | st.characters(), max_size=40))
def test_no_input_makes_the_query_fail(text):
    found(database(), text)
