"""Ingest: read article files of any supported kind into `Article` records.

Public entry point: `read(paths, options)`, which yields an `Article` or an
`IngestError` per input record, so one bad file never stops a batch.
Readers register themselves by file suffix in `READERS`; built-in readers join
the registry exactly as a plug-in reader would.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import IngestError
from ..records import Article
from .common import checked
from .options import IngestOptions

logger = logging.getLogger(__name__)

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


def expand(paths: str | Path | Iterable[str | Path], skipped: list[Path] | None = None) -> Iterator[Path | IngestError]:
    """Files named by `paths`: files themselves, folders (recursively, sorted) and globs.

    A single string or Path is one path, never a sequence of one-letter paths. Symbolic links
    to folders are not followed inside a folder or a `**` pattern, so a link loop costs nothing.
    Files in a folder that no reader takes (`.pdf`, `.md`, ...) are added to `skipped`.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    elif isinstance(paths, (bytes, bytearray)):
        raise TypeError("paths must be a path or an iterable of paths, not bytes")
    for raw in paths:
        text = str(raw)
        if any(ch in text for ch in "*?[") and not Path(text).exists():
            matches = glob_paths(text)
            if not matches:
                yield IngestError(text, "no file matches this pattern")
            for match in matches:
                yield from expand([match], skipped)
            continue
        path = Path(text)
        if path.is_dir():
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    candidate = Path(root) / name
                    if name.startswith("."):
                        continue
                    if reader_for(candidate):
                        found = True
                        yield candidate
                    elif skipped is not None:
                        skipped.append(candidate)
            if not found:
                yield IngestError(text, "folder holds no readable article files")
        elif path.exists():
            yield path
        else:
            yield IngestError(text, "no such file or folder")


def glob_paths(pattern: str) -> list[Path]:
    """Files and folders matching a glob (`**` for any depth), sorted; walks the tree once without
    following symbolic links to folders (Python's glob follows them, and loops on a link cycle)."""
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if any(ch in part for ch in "*?[")), len(parts))
    base = Path(*parts[:fixed]) if fixed else Path(".")
    if not base.is_dir():
        return []
    rest = parts[fixed:]
    regex = ""
    for number, part in enumerate(rest, start=1):
        last = number == len(rest)
        if part == "**":
            regex += ".*" if last else "(?:[^/]+/)*"
        else:
            regex += _segment_pattern(part) + ("" if last else "/")
    wanted = re.compile(regex + r"\Z", re.DOTALL)
    matches = []
    for root, dirs, files in os.walk(base):
        relative = Path(root).relative_to(base)
        names = dirs + files
        # without `**` the pattern says how deep to look
        deeper = "**" in rest or len(relative.parts) + 1 < len(rest)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if deeper else []
        for name in names:
            if not name.startswith(".") and wanted.match((relative / name).as_posix()):
                matches.append(base / relative / name if fixed else relative / name)
    return sorted(matches)


def _segment_pattern(part: str) -> str:
    """A regular expression for one glob path segment: `*`, `?` and `[...]` as glob reads them."""
    pieces, position = [], 0
    while position < len(part):
        ch = part[position]
        end = part.find("]", position + 2) if ch == "[" else -1
        if ch == "*":
            pieces.append("[^/]*")
        elif ch == "?":
            pieces.append("[^/]")
        elif end > 0:
            body = part[position + 1 : end]
            negated = body.startswith("!")
            body = body[negated:].replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
            pieces.append("[" + "^" * negated + body + "]")
            position = end
        else:
            pieces.append(re.escape(ch))
        position += 1
    return "".join(pieces)


def read(
    paths: str | Path | Iterable[str | Path], options: IngestOptions | None = None, skipped: list[Path] | None = None
) -> Iterator[Article | IngestError]:
    """Every article in `paths`, or an `IngestError` for each input that could not be read.

    Each article passes `checked` (text length, field types and sizes) before it is yielded.
    Files in folders that no reader takes are listed in `skipped` when it is given.
    """
    options = options or IngestOptions()
    done: set[Path] = set()  # a file named twice (a folder and a glob over it) is read once
    for item in expand(paths, skipped):
        if isinstance(item, IngestError):
            yield item
            continue
        if item.resolve() in done:
            continue
        done.add(item.resolve())
        reader = reader_for(item)
        if reader is None:
            yield IngestError(str(item), f"unsupported file type (supported: {', '.join(sorted(READERS))})")
            continue
        yield from _read_one(reader, item, options)


def _read_one(reader: Reader, path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    try:
        for result in reader(path, options):
            if isinstance(result, Article):
                try:
                    result = checked(result)
                except IngestError as error:
                    result = error
            yield result
    except IngestError as error:
        yield error
    except PermissionError:
        yield IngestError(str(path), "permission denied")
    except OSError as error:
        yield IngestError(str(path), error.strerror or str(error))
    except RecursionError:
        yield IngestError(str(path), "nested too deeply to read")
    except Exception as error:  # noqa: BLE001 - a reader's bug ends this file, never the batch
        logger.exception("%s: reader failed", path)
        yield IngestError(str(path), f"internal error while reading ({type(error).__name__}: {error})"[:300])


# Built-in readers register on import.
from . import html, jsonl, rss, text, warc  # noqa: E402,F401

__all__ = ["READERS", "IngestOptions", "checked", "expand", "glob_paths", "read", "reader_for", "register"]
