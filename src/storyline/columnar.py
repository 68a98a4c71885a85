"""Annotated articles as table rows: one row per article, its annotation in nested columns.

`row_from_pair(article, annotation)` and `pair_from_row(row)` turn the records of
`records.py` into plain nested dicts and back, losslessly; the columns follow the records'
own fields (read from their type hints), so a field added to a record is a column at once.
`SPARK_SCHEMA` is the same layout for Spark, and `read_annotated(folder)` streams rows
back from the Parquet files `storyline spark-ingest` writes, in the order they were written.

Layout: the fields of `Article` (its `extra` as a JSON string), then those of `Annotation`
but `article_id` (the row's `id`).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from .records import Annotation, Article

ROW_BATCH = 256  # rows decoded at a time: reading holds one batch and one row group in memory


@cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)


def _article_fields() -> list[str]:
    return [f.name for f in dataclasses.fields(Article)]


def _annotation_fields() -> list[str]:
    return [f.name for f in dataclasses.fields(Annotation) if f.name != "article_id"]


def _optional(hint: Any) -> Any:
    """`X | None` -> X; any other hint unchanged."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        arguments = [a for a in typing.get_args(hint) if a is not type(None)]
        return arguments[0] if len(arguments) == 1 else hint
    return hint


def _to_cell(value: Any, hint: Any) -> Any:
    hint = _optional(hint)
    if value is None:
        return None
    if dataclasses.is_dataclass(hint):
        return {name: _to_cell(getattr(value, name), field_hint) for name, field_hint in _hints(hint).items()}
    if typing.get_origin(hint) is tuple:
        item_hint = typing.get_args(hint)[0]
        return [_to_cell(item, item_hint) for item in value]
    return value


def _from_cell(value: Any, hint: Any) -> Any:
    hint = _optional(hint)
    if value is None:
        return None
    if dataclasses.is_dataclass(hint):
        return hint(**{name: _from_cell(value[name], field_hint) for name, field_hint in _hints(hint).items()})
    if typing.get_origin(hint) is tuple:
        item_hint = typing.get_args(hint)[0]
        return tuple(_from_cell(item, item_hint) for item in value)
    if hint is datetime and value.tzinfo is not None:  # Parquet readers may say UTC explicitly
        return value.replace(tzinfo=None)
    return value


def row_from_pair(article: Article, annotation: Annotation) -> dict[str, Any]:
    """One row: the article's fields and its annotation's, nested records as dicts and lists."""
    row = {name: _to_cell(getattr(article, name), _hints(Article)[name]) for name in _article_fields()}
    row["extra"] = json.dumps(article.extra, ensure_ascii=False, sort_keys=True)
    for name in _annotation_fields():
        row[name] = _to_cell(getattr(annotation, name), _hints(Annotation)[name])
    return row


def pair_from_row(row: dict[str, Any]) -> tuple[Article, Annotation]:
    fields = {name: _from_cell(row[name], _hints(Article)[name]) for name in _article_fields() if name != "extra"}
    article = Article(**fields, extra=json.loads(row["extra"]) if row.get("extra") else {})
    annotation = Annotation(
        article_id=article.id, **{name: _from_cell(row[name], _hints(Annotation)[name]) for name in _annotation_fields()}
    )
    return article, annotation


# ---- Spark's column types, from the same hints ------------------------------------

_SPARK_SCALARS = {str: "STRING", int: "INT", bool: "BOOLEAN", float: "DOUBLE", datetime: "TIMESTAMP_NTZ"}


def _spark_type(hint: Any) -> str:
    hint = _optional(hint)
    if dataclasses.is_dataclass(hint):
        return _spark_struct(_hints(hint))
    if typing.get_origin(hint) is tuple:
        return f"ARRAY<{_spark_type(typing.get_args(hint)[0])}>"
    return _SPARK_SCALARS[hint]


def _spark_struct(fields: dict[str, Any]) -> str:
    return "STRUCT<" + ", ".join(f"`{name}`: {_spark_type(hint)}" for name, hint in fields.items()) + ">"


def spark_schema() -> str:
    """The row layout as a Spark DDL string (`extra` is a JSON string)."""
    columns = {name: _hints(Article)[name] for name in _article_fields()}
    columns["extra"] = str
    columns.update({name: _hints(Annotation)[name] for name in _annotation_fields()})
    return ", ".join(f"`{name}` {_spark_type(hint)}" for name, hint in columns.items())


# ---- reading back ------------------------------------------------------------------


def parquet_files(folder: str | Path) -> list[Path]:
    """The Parquet parts of a `spark-ingest` output, in the order their rows were written."""
    return sorted(path for path in Path(folder).rglob("*.parquet") if not path.name.startswith((".", "_")))


def count_annotated(folder: str | Path) -> int:
    """Rows in a `spark-ingest` output, from the Parquet footers alone."""
    import pyarrow.parquet as parquet

    return sum(parquet.ParquetFile(path).metadata.num_rows for path in parquet_files(folder))


def read_annotated(folder: str | Path) -> Iterator[tuple[Article, Annotation]]:
    """Every (article, annotation) pair of a `spark-ingest` output, in stored order, streamed a
    batch of rows at a time: memory holds one row group, whatever the corpus size."""
    import pyarrow.parquet as parquet

    for path in parquet_files(folder):
        for batch in parquet.ParquetFile(path).iter_batches(batch_size=ROW_BATCH):
            for row in batch.to_pylist():
                yield pair_from_row(row)
