"""JSON Lines corpora: one article object per line.

Every field is checked where it is read: `text` must be a non-empty string; `id` a string or a
number; `title`, `source`, `url` and `author` strings, numbers (kept as text) or null; any
other type refuses the line with `FILE:LINE: 'title' must be a string, not an object`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import IngestError
from ..records import Article
from . import register
from .common import field_text, json_type, parse_datetime
from .options import IngestOptions

KNOWN_FIELDS = {"id", "title", "text", "outlet", "source", "url", "published", "author"}  # outlet or source: the publisher


def article_from_object(row: object, where: str, options: IngestOptions) -> Article:
    if not isinstance(row, dict):
        raise IngestError(where, "not a JSON object")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IngestError(where, "missing or empty 'text'")
    article_id = field_text(row, "id", where)
    if article_id is None or not article_id.strip():
        raise IngestError(where, "missing 'id'")
    published = row.get("published")
    if published is not None and not isinstance(published, str):
        raise IngestError(where, f"'published' must be a date written as a string, not {json_type(published)}")
    parsed = parse_datetime(published)
    if published and parsed is None:
        raise IngestError(
            where, f"unreadable 'published' date {published[:100]!r} (give a calendar date; relative ones such as 'yesterday' are refused)"
        )
    return Article(
        id=article_id,
        text=text,
        title=field_text(row, "title", where),
        source=field_text(row, "outlet", where) or field_text(row, "source", where) or options.source,
        url=field_text(row, "url", where),
        published=parsed or options.published,
        author=field_text(row, "author", where),
        origin=where,
        extra={k: v for k, v in row.items() if k not in KNOWN_FIELDS},
    )


@register(".jsonl", ".ndjson")
def read_jsonl(path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    # A corpus may be larger than one article's limit; stream it line by line.
    if path.stat().st_size == 0:
        raise IngestError(str(path), "empty file")
    with path.open("rb") as handle:
        for number, raw in enumerate(_lines(handle, options.max_bytes), start=1):
            where = f"{path}:{number}"
            if raw is None:
                yield IngestError(where, f"line longer than the limit ({options.max_bytes / 1e6:.0f} MB)")
                continue
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
            except RecursionError:
                yield IngestError(where, "invalid JSON (nested too deeply)")
                continue
            except ValueError as error:  # e.g. an integer of more than 4300 digits
                yield IngestError(where, f"invalid JSON ({error})")
                continue
            try:
                yield article_from_object(row, where, options)
            except IngestError as error:
                yield error


def _lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes | None]:
    """Each line of the file, or None for a line over `max_bytes` (passed over, never held whole)."""
    while raw := handle.readline(max_bytes + 1):
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield raw if len(raw) <= max_bytes else None
            continue
        while (rest := handle.readline(max_bytes + 1)) and not rest.endswith(b"\n"):
            pass
        yield None
