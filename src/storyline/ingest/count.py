"""How many articles a set of paths holds, counted before reading them, for progress totals.

Only where counting is cheap: one article per text or HTML file, one per non-blank line of
JSONL. Feeds and web archives must be parsed to be counted, so with one of them the total
is unknown (None) and progress shows a running count instead.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path

from . import expand, reader_for

ONE_PER_FILE = (".txt", ".text", ".html", ".htm", ".html.gz", ".htm.gz")
ONE_PER_LINE = (".jsonl", ".ndjson")


def count_lines(path: Path) -> int:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as lines:
        return sum(1 for line in lines if line.strip())


def count_articles(paths: Iterable[str | Path]) -> int | None:
    """The number of articles in `paths` (bad paths count none), or None when it needs parsing."""
    total = 0
    for item in expand(paths):
        if isinstance(item, Exception) or reader_for(item) is None:
            continue
        name = item.name.lower()
        if name.endswith(ONE_PER_LINE):
            try:
                total += count_lines(item)
            except OSError:
                continue
        elif name.endswith(ONE_PER_FILE):
            total += 1
        else:
            return None
    return total
