"""Plain-text articles: the file's text is kept exactly as decoded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..records import Article
from . import register
from .common import decode_text, load_bytes
from .options import IngestOptions

HEADLINE_MAX_CHARS = 200
HEADLINE_MAX_WORDS = 25
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")


def headline_of(text: str) -> str | None:
    """The first line when it looks like a headline: short, followed by more text, no final full stop."""
    first, sep, rest = text.lstrip("\ufeff").partition("\n")
    first = first.strip()
    if not first or not sep or not rest.strip():
        return None
    if len(first) > HEADLINE_MAX_CHARS or len(first.split()) > HEADLINE_MAX_WORDS:
        return None
    if _SENTENCE_END.search(first):
        return None
    return first


@register(".txt", ".text")
def read_text(path: Path, options: IngestOptions) -> Iterator[Article]:
    text = decode_text(load_bytes(path, options.max_bytes), str(path))
    yield Article(
        id=path.name.split(".")[0],
        text=text,
        title=headline_of(text),
        source=options.source,
        published=options.published,
        origin=str(path),
    )
