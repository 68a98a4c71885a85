"""Helpers shared by the readers: safe file loading, decoding and date parsing."""

from __future__ import annotations

import gzip
import zlib
from datetime import datetime, timezone
from pathlib import Path

from ..errors import IngestError

BINARY_SNIFF_BYTES = 8192


def load_bytes(path: Path, max_bytes: int, *, decompress: bool = False) -> bytes:
    """The file's bytes; refuses empty and oversized files with a reason."""
    size = path.stat().st_size
    if size == 0:
        raise IngestError(str(path), "empty file")
    if size > max_bytes:
        raise IngestError(str(path), f"file too large ({size / 1e6:.1f} MB; limit {max_bytes / 1e6:.0f} MB)")
    data = path.read_bytes()
    if decompress:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            raise IngestError(str(path), f"not valid gzip ({error})") from None
        if len(data) > max_bytes:
            raise IngestError(str(path), f"decompressed content too large (limit {max_bytes / 1e6:.0f} MB)")
    return data


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text, or a reason: binary content and invalid UTF-8 are refused."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise IngestError(source, "binary file (NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IngestError(source, f"invalid UTF-8 at byte {error.start}") from None
    if not text.strip():
        raise IngestError(source, "no text (only white space)")
    return text


# two reference moments far apart: a date read the same against both does not depend on "now"
CLOCK_PROBES = (datetime(2001, 3, 7, 11, 0), datetime(2013, 10, 22, 17, 0))


def parse_datetime(value: object) -> datetime | None:
    """A naive UTC datetime from ISO strings, dates or free text ("19 August 2021"); None if
    unparseable or relative ("yesterday", "last thursday")."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            import dateparser  # slow to import; only for free-text dates

            moment = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": CLOCK_PROBES[0]})
            # a relative date ("yesterday", "last thursday", "19 August" without a year) moves with
            # the reference it is read against: refused, never guessed from this machine's clock
            if moment is None or moment != dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": CLOCK_PROBES[1]}):
                return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def decode_html(data: bytes, source: str) -> str:
    """HTML bytes as text: UTF-8 when valid, else the charset the page declares, else Latin-1."""
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise IngestError(source, "binary file (NUL bytes), not HTML")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    head = data[:2048].decode("ascii", "ignore").lower()
    marker = head.find("charset=")
    if marker >= 0:
        charset = head[marker + 8 :].strip("\"' ").split('"')[0].split("'")[0].split(";")[0].split(">")[0].strip()
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("latin-1")
