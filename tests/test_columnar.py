"""Annotated articles as table rows: every record field survives the row, and a Parquet file."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.columnar import pair_from_row, read_annotated, row_from_pair, spark_schema
from storyline.records import Actor, Annotation, Article, Event, EventActor, Offsets, Quote, Speaker, Span

ARTICLE = Article(
    id="harbour-1",
    text="Port officials said on Monday: \"We will reopen the eastern gate.\" Police arrested two strikers.",
    title="Port to reopen gate",
    source="Saltmere Courier",
    url="https://courier.example/harbour-1",
    published=datetime(2026, 3, 2, 6, 30),
    author="A. Writer",
    origin="corpus.jsonl:7",
    extra={"summary_only": True, "tags": ["port", "strike"], "rank": 2.5},
)
ANNOTATION = Annotation(
    article_id="harbour-1",
    actors=(
        Actor("port-officials", "Port officials", "ORG", role="officials", country="GBR", sector="government",
              mentions=(Span(0, 14, "Port officials"),)),
        Actor("police", "Police", "ORG", mentions=(Span(67, 73, "Police"), Span(67, 73, "Police"))),
    ),
    quotes=(
        Quote("We will reopen the eastern gate.", 32, 64, "direct", Speaker("port-officials", "Port officials", 0, 14), Span(15, 19, "said")),
        Quote("reopen", 40, 46, "indirect", Speaker(None, None, None, None), None),
    ),
    events=(
        Event("ARREST", "detain", EventActor("police", "Police", "GBR", "police"), EventActor(None, "two strikers"),
              Span(74, 82, "arrested"), Offsets(67, 96), date="2026-03-02", date_text="Monday", location="Saltmere", negated=False),
        Event("RETREAT", None, None, None, Span(26, 32, "reopen"), Offsets(0, 66), negated=True),
    ),
    terms=("port", "official", "reopen", "gate"),
    title_terms=("port", "reopen"),
    sentences=((0, 66), (67, 96)),
)
BARE = (Article(id="bare", text="Just text."), Annotation(article_id="bare"))


@pytest.mark.parametrize("pair", [(ARTICLE, ANNOTATION), BARE], ids=["full", "bare"])
def test_a_row_gives_back_the_same_records(pair):
    row = row_from_pair(*pair)
    assert row["id"] == pair[0].id and "article_id" not in row
    assert pair_from_row(row) == pair


def test_rows_survive_a_parquet_file_in_order(tmp_path):
    pyarrow = pytest.importorskip("pyarrow")
    from pyarrow import parquet

    pairs = [(ARTICLE, ANNOTATION), BARE]
    # two files, named so that their order is the rows' order
    for number, pair in enumerate(pairs):
        parquet.write_table(pyarrow.Table.from_pylist([row_from_pair(*pair)]), tmp_path / f"part-{number:05d}.parquet")
    (tmp_path / "_SUCCESS").write_text("")
    assert list(read_annotated(tmp_path)) == pairs


def test_the_spark_schema_names_every_column_with_nested_records():
    schema = spark_schema()
    for column in ("`id` STRING", "`published` TIMESTAMP_NTZ", "`extra` STRING", "`sentences` ARRAY<ARRAY<INT>>"):
        assert column in schema
    assert "`actors` ARRAY<STRUCT<`id`: STRING" in schema and "`mentions`: ARRAY<STRUCT<`start`: INT, `end`: INT, `text`: STRING>>" in schema
    assert "`negated`: BOOLEAN" in schema and "`article_id`" not in schema
