"""Ingest: read article files of any supported kind into `Article` records.

Public entry point: `read(paths, options)`, which yields an `Article` or an
`IngestError` per input record, so one bad file never stops a batch.
Readers register themselves by file suffix in `READERS`; built-in readers join
the registry exactly as a plug-in reader would.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import IngestError
from ..records import Article
from .options import IngestOptions

Reader = Callable[[Path, IngestOptions], Iterator[Article | IngestError]]
READERS: dict[str, Reader] = {}


def register(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register a reader for file names ending in any of `suffixes` (lower case, with dot)."""

    def add(reader: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix] = reader
        return reader

    return add


def reader_for(path: Path) -> Reader | None:
    name = path.name.lower()
    # longest suffix first, so ".warc.gz" wins over ".gz"
    for suffix in sorted(READERS, key=len, reverse=True):
        if name.endswith(suffix):
            return READERS[suffix]
    return None


def expand(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    """Files named by `paths`: files themselves, folders (recursively, sorted) and globs."""
    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield IngestError(text, "no file matches this pattern")
            for match in matches:
                yield from expand([match])
            continue
        path = Path(text)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if not name.startswith(".") and reader_for(candidate):
                        found = True
                        yield candidate
            if not found:
                yield IngestError(text, "folder holds no readable article files")
        elif path.exists():
            yield path
        else:
            yield IngestError(text, "no such file or folder")


def read(paths: Iterable[str | Path], options: IngestOptions | None = None) -> Iterator[Article | IngestError]:
    """Every article in `paths`, or an `IngestError` for each input that could not be read."""
    options = options or IngestOptions()
    for item in expand(paths):
        if isinstance(item, IngestError):
            yield item
            continue
        reader = reader_for(item)
        if reader is None:
            yield IngestError(str(item), f"unsupported file type (supported: {', '.join(sorted(READERS))})")
            continue
        try:
            yield from reader(item, options)
        except IngestError as error:
            yield error
        except PermissionError:
            yield IngestError(str(item), "permission denied")
        except OSError as error:
            yield IngestError(str(item), error.strerror or str(error))


# Built-in readers register on import.
from . import html, jsonl, rss, text, warc  # noqa: E402,F401

__all__ = ["READERS", "IngestOptions", "expand", "read", "reader_for", "register"]
