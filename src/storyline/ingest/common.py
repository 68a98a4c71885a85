"""Helpers shared by the readers: bounded file loading, decoding, date parsing, and the
checks every article passes at the reader boundary (`checked`)."""

from __future__ import annotations

import codecs
import gzip
import zlib
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path

from ..errors import IngestError
from ..records import Article

BINARY_SNIFF_BYTES = 8192
MAX_DATE_CHARS = 100  # a date written longer than this is not a date
# spaCy parses at most this many characters at once (its E088); a longer article is refused
# whole, never cut, so every stored article is annotated the same way from end to end
MAX_TEXT_CHARS = 1_000_000
# longest metadata a record may carry, in characters; the HTTP API's model uses the same bounds
FIELD_LIMITS = {"id": 500, "title": 2000, "source": 200, "url": 4000, "author": 500}
MAX_EXTRA_DEPTH = 20  # nesting of the extra fields kept from a JSON record
# byte-order marks, longest first (UTF-32 LE starts with the UTF-16 LE mark)
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def load_bytes(path: Path, max_bytes: int, *, decompress: bool = False) -> bytes:
    """The file's bytes; refuses empty and oversized files with a reason."""
    size = path.stat().st_size
    if size == 0:
        raise IngestError(str(path), "empty file")
    if size > max_bytes:
        raise IngestError(str(path), f"file too large ({size / 1e6:.1f} MB; limit {max_bytes / 1e6:.0f} MB)")
    if not decompress:
        return path.read_bytes()
    # streamed: a small file that inflates to gigabytes is refused after `max_bytes`, not read whole
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise IngestError(str(path), f"not valid gzip ({error})") from None
    if len(data) > max_bytes:
        raise IngestError(str(path), f"decompressed content too large (limit {max_bytes / 1e6:.0f} MB)")
    return data


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of `data` declares, if any."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    return None


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (or UTF-16/32 with a byte-order mark), or a reason: binary content and
    invalid UTF-8 are refused."""
    encoding = bom_encoding(data) or "utf-8-sig"
    if encoding == "utf-8-sig" and b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise IngestError(source, "binary file (NUL bytes), not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise IngestError(source, f"invalid {name} at byte {error.start}") from None
    if not text.strip():
        raise IngestError(source, "no text (only white space)")
    return text


def parse_datetime(value: object) -> datetime | None:
    """A naive UTC datetime from ISO strings, dates or free text ("19 August 2021"); None if unparseable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if not text or len(text) > MAX_DATE_CHARS:
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            import dateparser  # slow to import; only for free-text dates

            try:
                moment = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first"})
            except (ValueError, OverflowError, TypeError, LookupError):
                return None  # dateparser raises on some odd texts instead of returning None
            if moment is None:
                return None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        except OverflowError:  # an offset past year 9999 or before year 1
            return None
    return moment


def decode_html(data: bytes, source: str) -> str:
    """HTML bytes as text: as its byte-order mark says, else UTF-8 when valid, else the charset
    the page declares, else Latin-1."""
    encoding = bom_encoding(data)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            raise IngestError(source, f"invalid {encoding.upper()} at byte {error.start}") from None
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


def json_type(value: object) -> str:
    """What a JSON value is, in JSON's words: for messages."""
    names = {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), type(value).__name__)


def field_text(row: dict, name: str, where: str) -> str | None:
    """A JSON record's text field: strings kept, numbers written as text, null or "" absent;
    any other type refused with a reason."""
    value = row.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise IngestError(where, f"'{name}' must be a string, not {json_type(value)}")
    return value if isinstance(value, str) else str(value)


def checked(article: Article) -> Article:
    """The article, if it can be annotated and stored: text within `MAX_TEXT_CHARS`, metadata
    within `FIELD_LIMITS`, every text valid Unicode, extra fields plain and shallow JSON.
    Otherwise IngestError(origin, reason): one bad article never reaches the pipeline."""
    where = article.origin or article.id or "article"
    if not isinstance(article.text, str) or not article.text.strip():
        raise IngestError(where, "no text")
    if len(article.text) > MAX_TEXT_CHARS:
        raise IngestError(where, f"text too long ({len(article.text):,} characters; limit {MAX_TEXT_CHARS:,})")
    for field in fields(Article):
        value = getattr(article, field.name)
        if field.name in ("published", "extra") or value is None:
            continue
        if not isinstance(value, str):
            raise IngestError(where, f"'{field.name}' must be a string, not {json_type(value)}")
        limit = FIELD_LIMITS.get(field.name)
        if limit is not None and len(value) > limit:
            raise IngestError(where, f"'{field.name}' too long ({len(value):,} characters; limit {limit:,})")
        if not _is_unicode(value):
            raise IngestError(where, f"'{field.name}' is not valid Unicode (an unpaired surrogate)")
    if article.published is not None and not isinstance(article.published, datetime):
        raise IngestError(where, f"'published' must be a date, not {json_type(article.published)}")
    if not isinstance(article.extra, dict) or _depth(article.extra) > MAX_EXTRA_DEPTH:
        raise IngestError(where, f"extra fields nested deeper than {MAX_EXTRA_DEPTH} levels")
    return article


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _depth(value: object) -> int:
    """How deeply lists and objects nest in a JSON value (a scalar is 0); iterative, so any depth is safe."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, (list, tuple)):
            deepest = max(deepest, level + 1)
            if deepest > MAX_EXTRA_DEPTH:
                return deepest
            stack.extend((child, level + 1) for child in item)
    return deepest
