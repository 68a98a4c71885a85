"""JSON Lines corpora: one article object per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import IngestError
from ..records import Article
from . import register
from .common import load_bytes, parse_datetime
from .options import IngestOptions

KNOWN_FIELDS = {"id", "title", "text", "source", "url", "published", "author"}


def article_from_object(row: object, where: str, options: IngestOptions) -> Article:
    if not isinstance(row, dict):
        raise IngestError(where, "not a JSON object")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(where, "missing or empty 'text'")
    article_id = row.get("id")
    if article_id is None or str(article_id).strip() == "":
        raise IngestError(where, "missing 'id'")
    published = row.get("published")
    parsed = parse_datetime(published)
    if published and parsed is None:
        raise IngestError(where, f"unreadable 'published' date {published!r} (give a calendar date; relative ones such as 'yesterday' are refused)")
    return Article(
        id=str(article_id),
        text=text,
        title=row.get("title") or None,
        source=row.get("source") or options.source,
        url=row.get("url") or None,
        published=parsed or options.published,
        author=row.get("author") or None,
        origin=where,
        extra={k: v for k, v in row.items() if k not in KNOWN_FIELDS},
    )


@register(".jsonl", ".ndjson")
def read_jsonl(path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    # A corpus may be larger than one article's limit; stream it line by line.
    if path.stat().st_size == 0:
        raise IngestError(str(path), "empty file")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                row = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                yield IngestError(where, f"invalid UTF-8 at byte {error.start}")
                continue
            except json.JSONDecodeError as error:
                yield IngestError(where, f"invalid JSON ({error.msg} at column {error.colno})")
                continue
            try:
                yield article_from_object(row, where, options)
            except IngestError as error:
                yield error
