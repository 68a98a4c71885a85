"""WARC archives (warcio), streamed record by record: HTML pages become articles.

Only one record is held in memory at a time, so archive size does not matter (CC-News
files are ~1 GB). A `response` record with a 2xx HTML page (or a `resource` record of
HTML) becomes an article whose URL is the WARC-Target-URI and whose date is the page's
own, else the WARC-Date (the capture time). Every other record is skipped and counted.

Damage is reported, never fatal: a corrupt or truncated record, bad gzip data or a
Content-Length that does not match the record gives one `IngestError` naming the byte
offset (`file.warc.gz@12345`) and the reason; the reader then scans forward to the next
record start (a gzip member, or a `WARC/1.x` line) and goes on from there.

Counts: `iter_warc(path, options, stats)` fills a `WarcStats` the caller owns; the
registered reader, which `ingest.read` calls, keeps its own and logs `stats.summary()` at
INFO on the `storyline.ingest.warc` logger when the file is done.

Article ids hash the target URI and the extracted text: re-reading an archive gives the
same ids, and two captures of a page that changed are two articles.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import ChunkedDataException, DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from ..errors import IngestError
from ..records import Article
from . import register
from .common import decode_html, parse_datetime
from .html import article_from_html
from .options import IngestOptions

logger = logging.getLogger(__name__)

GZIP_MEMBER_START = b"\x1f\x8b\x08"
WARC_RECORD_START = b"\nWARC/1."  # a version line at the start of a line
SCAN_CHUNK_BYTES = 1 << 20
HTML_MEDIA_TYPES = ("text/html", "application/xhtml+xml")
ARTICLE_RECORD_TYPES = ("response", "resource")
WARC_RECORD_TYPES = ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")
ID_HEX_DIGITS = 16


class _GzipDataError(Exception):
    """Bad deflate data inside a gzip member."""


# What damaged bytes make warcio (or the zlib under it) raise while framing a record;
# AttributeError comes from warcio reading a header cut before its WARC-Target-URI.
WARC_DAMAGE = (_GzipDataError, StatusAndHeadersParserException, ChunkedDataException, zlib.error, EOFError, ValueError, AttributeError)
# What a record's HTTP body can raise when its transfer or content encoding is broken.
BODY_DAMAGE = (ChunkedDataException, zlib.error, EOFError, ValueError)


@dataclass
class WarcStats:
    """What one or more WARC files held: records read, articles made, what was skipped and why."""

    records: int = 0
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> records
    errors: int = 0  # damaged stretches reported as IngestError
    damaged_bytes: int = 0  # bytes passed over to reach the next readable record

    def summary(self) -> str:
        """'120 records: 80 articles, 38 skipped (request 30, not HTML 8), 2 errors (1234 bytes passed over)'."""
        reasons = ", ".join(f"{reason} {count}" for reason, count in self.skipped.most_common())
        skipped = sum(self.skipped.values())
        text = f"{self.records} records: {self.articles} articles, {skipped} skipped"
        if reasons:
            text += f" ({reasons})"
        text += f", {self.errors} errors"
        if self.damaged_bytes:
            text += f" ({self.damaged_bytes} bytes passed over)"
        return text


@register(".warc", ".warc.gz")
def read_warc(path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    stats = WarcStats()
    yield from iter_warc(path, options, stats)
    logger.info("%s: %s", path, stats.summary())


def iter_warc(path: Path, options: IngestOptions, stats: WarcStats) -> Iterator[Article | IngestError]:
    """Articles from the HTML pages in the WARC at `path`, and one IngestError per damaged stretch."""
    size = path.stat().st_size
    if size == 0:
        raise IngestError(str(path), "empty file")
    with path.open("rb") as handle:
        # the name decides when the first member's magic bytes are themselves damaged
        gzipped = handle.read(2) == GZIP_MEMBER_START[:2] or path.name.lower().endswith(".gz")
        scanner = _Resync(handle, path, size, GZIP_MEMBER_START if gzipped else WARC_RECORD_START, stats)
        start: int | None = 0
        while start is not None:
            handle.seek(start)
            try:
                for offset, result in _framed_records(handle, path, size, options):
                    scanner.found_record = True
                    if error := scanner.resumed_at(offset):
                        yield error
                    if counted := _tally(result, stats):
                        yield counted
                break
            except _Damage as damage:
                scanner.damaged(damage.offset, damage.reason)
            except _SingleGzipStream:
                # one gzip stream around the whole file: readable, but only straight through
                yield from _iter_single_gzip(path, options, stats, done=stats.records)
                return
            start = scanner.next_start()
        if error := scanner.resumed_at(None):
            yield error


def _framed_records(handle: BinaryIO, path: Path, size: int, options: IngestOptions) -> Iterator[tuple[int, Article | str]]:
    """(offset, article or skip reason) per record from the handle's position; raises _Damage at the first damage."""
    iterator = _StrictArchiveIterator(handle)
    records = iter(iterator)
    while True:
        offset = iterator.offset
        try:
            record = next(records, None)
        except ArchiveLoadFailed as error:
            if "non-chunked gzip" in str(error):
                raise _SingleGzipStream from None
            raise _Damage(offset, "corrupt record (no valid WARC header)") from None
        except WARC_DAMAGE as error:
            raise _Damage(offset, _damage_reason(error)) from None
        if record is None:
            if iterator.offset < size:
                raise _Damage(iterator.offset, "incomplete record (file truncated?)")
            return
        offset = iterator.offset
        declared = record.rec_headers.get_header("Content-Length")
        if not (declared or "").strip().isdigit():
            # without a length warcio would take the rest of the file as this record's content
            raise _Damage(offset, f"record without a valid Content-Length ({declared!r})")
        errors_before = iterator.err_count
        try:
            result = _record_result(record, f"{path}@{offset}", options)
            iterator.get_record_length()  # reads to the end of the record
        except WARC_DAMAGE as error:
            raise _Damage(offset, _damage_reason(error)) from None
        if iterator.err_count > errors_before or getattr(record.raw_stream, "limit", 0) > 0:
            raise _Damage(offset, f"record does not match its Content-Length ({declared})")
        yield offset, result


def _tally(result: Article | IngestError | str, stats: WarcStats) -> Article | IngestError | None:
    """Count one record's result; what to yield for it, if anything."""
    stats.records += 1
    if isinstance(result, str):
        stats.skipped[result] += 1
        return None
    if isinstance(result, IngestError):
        stats.errors += 1
    else:
        stats.articles += 1
    return result


def _damage_reason(error: BaseException) -> str:
    if isinstance(error, (zlib.error, _GzipDataError)):
        return f"gzip error ({_one_line(error)})"
    if isinstance(error, EOFError):
        return "truncated gzip data"
    if isinstance(error, AttributeError):
        return "corrupt record (incomplete WARC header)"
    return f"corrupt record ({_one_line(error) or type(error).__name__})"


class _Damage(Exception):
    def __init__(self, offset: int, reason: str):
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


class _SingleGzipStream(Exception):
    """The file is one gzip stream, not one gzip member per record."""


class _StrictReader(DecompressingBufferedReader):
    # warcio prints a mid-member decompression error to stderr and reads on as if the data had
    # ended, and takes bad data at the start of a member for an uncompressed file; raising
    # instead lets the damaged record be reported as what it is, and skipped.
    def _decompress(self, data: bytes) -> bytes:
        member_start = not self.num_block_read and data[:3] == GZIP_MEMBER_START
        if self.decompressor and data and (self.num_block_read or member_start):
            try:
                return self.decompressor.decompress(data)
            except zlib.error as error:
                raise _GzipDataError(str(error)) from None
        return super()._decompress(data)


class _StrictArchiveIterator(ArchiveIterator):
    # warcio prints a wrong Content-Length to stderr; it is reported as an IngestError instead.
    INC_RECORD = ""

    def __init__(self, fileobj: BinaryIO):
        super().__init__(fileobj)
        self.reader = _StrictReader(self.fh, block_size=self.reader.block_size)


class _Resync:
    """Finds where to read on after damage, and words the one error line for each damaged stretch."""

    def __init__(self, handle: BinaryIO, path: Path, size: int, marker: bytes, stats: WarcStats):
        self.handle, self.path, self.size, self.marker, self.stats = handle, path, size, marker, stats
        self.pending: tuple[int, str] | None = None  # first damaged offset and why, until reading resumes
        self.scan_from = 0
        self.found_record = False

    def damaged(self, offset: int, reason: str) -> None:
        if self.pending is None:
            self.pending = (offset, reason)
        self.scan_from = offset + 1

    def next_start(self) -> int | None:
        """Offset of the next candidate record start after the damage, or None at the end of the file."""
        self.handle.seek(self.scan_from)
        position, tail = self.scan_from, b""
        skip = 1 if self.marker.startswith(b"\n") else 0  # the record starts after the newline
        while chunk := self.handle.read(SCAN_CHUNK_BYTES):
            window = tail + chunk
            found = window.find(self.marker)
            if found >= 0:
                return position - len(tail) + found + skip
            tail = window[-(len(self.marker) - 1) :]
            position += len(chunk)
        return None

    def resumed_at(self, offset: int | None) -> IngestError | None:
        """The error for the pending damage, if any, now that reading resumed at `offset` (None: never)."""
        if self.pending is None:
            return None
        damaged_at, reason = self.pending
        self.pending = None
        end = self.size if offset is None else offset
        self.stats.errors += 1
        if not self.found_record:
            self.stats.damaged_bytes += end
            return IngestError(str(self.path), "not a WARC file (no WARC record found)")
        self.stats.damaged_bytes += end - damaged_at
        if offset is None:
            where = f"nothing readable in the last {end - damaged_at} bytes"
        else:
            where = f"skipped {end - damaged_at} bytes to the next record at {offset}"
        return IngestError(f"{self.path}@{damaged_at}", f"{reason}; {where}")


def _iter_single_gzip(path: Path, options: IngestOptions, stats: WarcStats, done: int) -> Iterator[Article | IngestError]:
    """A WARC gzipped as one stream: read straight through (no resync), past the `done` records already read."""
    with gzip.open(path, "rb") as stream:
        iterator = _StrictArchiveIterator(stream)
        number = 0
        try:
            for number, record in enumerate(iterator, start=1):
                if number <= done:
                    continue
                result = _record_result(record, f"{path}#record{number}", options)
                if counted := _tally(result, stats):
                    yield counted
        except (ArchiveLoadFailed, *WARC_DAMAGE, OSError) as error:
            stats.errors += 1
            yield IngestError(f"{path}#record{number + 1}", f"unreadable from here on ({_one_line(error) or type(error).__name__})")


def _record_result(record: ArcWarcRecord, where: str, options: IngestOptions) -> Article | IngestError | str:
    """The article in a record, an error for a record that is not valid WARC, or why it is skipped."""
    if record.rec_type not in WARC_RECORD_TYPES:
        return IngestError(where, f"corrupt record (unknown WARC-Type {_one_line(record.rec_type)!r})")
    if record.rec_type not in ARTICLE_RECORD_TYPES:
        return record.rec_type
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        if not status.startswith("2"):
            return f"HTTP {status[:1]}xx" if status[:1].isdigit() else "no HTTP status"
        media_type = record.http_headers.get_header("Content-Type") or ""
    elif record.rec_type == "response":
        return "response without HTTP headers"
    else:
        media_type = record.rec_headers.get_header("Content-Type") or ""
    if not media_type.lower().startswith(HTML_MEDIA_TYPES):
        return "not HTML"
    try:
        body = record.content_stream().read(options.max_bytes + 1)
    except BODY_DAMAGE:
        return "undecodable HTTP body"
    if len(body) > options.max_bytes:
        return "over the size limit"
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        html = _decode(body, media_type, where)
        article = article_from_html(html, where, "", options, url=url)
    except IngestError:
        return "no article text"
    capture_date = record.rec_headers.get_header("WARC-Date")
    key = f"{url}\n{article.text}"
    return replace(
        article,
        id=hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS],
        url=url or article.url,
        published=article.published or parse_datetime(capture_date),
        extra={"warc_record_id": record.rec_headers.get_header("WARC-Record-ID"), "warc_date": capture_date},
    )


def _decode(body: bytes, media_type: str, where: str) -> str:
    """Page text in the charset its HTTP headers declare, else as `decode_html` finds it."""
    for parameter in media_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            try:
                return body.decode(value.strip().strip("\"'"))
            except (LookupError, UnicodeDecodeError):
                break
    return decode_html(body, where)


def _one_line(error: BaseException) -> str:
    """An exception message on one printable line, without binary junk from the damaged bytes."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = "".join(ch for ch in text if ch.isprintable())
    return text[:100]
