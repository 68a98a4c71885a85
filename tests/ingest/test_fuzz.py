"""Issue 15: property-based tests of every reader. Whatever bytes a file holds, reading it gives
checked articles or one-line errors, never an exception and never a reader's internal error.

Deterministic (derandomized, no example database) and bounded (a few dozen examples each), so
the suite stays quick and repeatable; raise FUZZ_EXAMPLES to search longer by hand.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, checked, read
from storyline.records import Article

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first HTML example imports trafilatura
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OPTIONS = IngestOptions(max_bytes=200_000)


def read_as(data: bytes, name: str) -> list[Article | IngestError]:
    """Read `data` as a file called `name`; every result must be a checked article or a one-line error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        results = list(read([path], OPTIONS))
    for result in results:
        if isinstance(result, IngestError):
            assert "\n" not in str(result), str(result)
            assert not result.reason.startswith("internal error"), str(result)
        else:
            assert isinstance(result, Article)
            assert checked(result) is result
    return results


# ---- strategies ----------------------------------------------------------------------------

words = st.text(st.characters(codec="utf-8"), max_size=60)
any_text = st.text(max_size=300)  # any code point, surrogates included
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
offsets = st.sampled_from([timezone(timedelta(hours=hours)) for hours in (-12, -1, 0, 1, 14)])
dates = st.datetimes(timezones=offsets).map(datetime.isoformat)  # the edges of the calendar included
fields = ("id", "title", "text", "source", "url", "published", "author")
records = st.dictionaries(st.sampled_from(fields) | any_text, json_values | dates, max_size=8)
deep_json = st.integers(1, 200_000).map(lambda depth: "[" * depth + "]" * depth)


@st.composite
def encoded_text(draw) -> bytes:
    text = draw(any_text)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252"]))
    mark = draw(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF32_BE]))
    return mark + text.encode(encoding, "replace" if encoding in ("latin-1", "cp1252") else "surrogatepass")


@st.composite
def html_pages(draw) -> bytes:
    tags = ["p", "div", "article", "h1", "title", "meta", "script", "style", "a", "br", "table", "td", "html", "body", "head"]
    parts = draw(st.lists(st.tuples(st.sampled_from(tags), words, st.booleans()), max_size=25))
    body = "".join(f"<{tag}>{text}" + (f"</{tag}>" if closed else "") for tag, text, closed in parts)
    return draw(st.sampled_from(["", "<!DOCTYPE html>", '<?xml version="1.0"?>', "\ufeff"])).encode() + body.encode("utf-8", "surrogatepass")


@st.composite
def feeds(draw) -> bytes:
    def field(name: str) -> str:
        return f"<{name}>{draw(words)}</{name}>" if draw(st.booleans()) else ""

    items = "".join(
        f"<item>{field('title')}{field('link')}{field('description')}{field('pubDate')}{field('guid')}{field('author')}</item>"
        for _ in range(draw(st.integers(0, 4)))
    )
    atom = draw(st.booleans())
    if atom:
        document = f'<feed xmlns="http://www.w3.org/2005/Atom">{field("title")}' + items.replace("item>", "entry>") + "</feed>"
    else:
        document = f'<rss version="2.0"><channel>{field("title")}{items}</channel></rss>'
    cut = draw(st.integers(0, len(document)))
    document = document[:cut] if draw(st.booleans()) else document  # truncated XML half the time
    return b'<?xml version="1.0" encoding="utf-8"?>' + document.encode("utf-8", "surrogatepass")


@st.composite
def warc_files(draw) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=draw(st.booleans()))
    for _ in range(draw(st.integers(1, 3))):
        payload = draw(st.binary(max_size=400)) if draw(st.booleans()) else draw(html_pages())
        status = draw(st.sampled_from(["200 OK", "404 Not Found", "301 Moved"]))
        media = draw(st.sampled_from(["text/html", "text/html; charset=latin-1", "text/html; charset=nope", "image/png"]))
        headers = StatusAndHeaders(status, [("Content-Type", media)], protocol="HTTP/1.1")
        kind = draw(st.sampled_from(["response", "resource", "metadata"]))
        uri = "https://example.test/" + draw(st.text("abc/?#%", max_size=10))
        record = writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), http_headers=headers if kind == "response" else None)
        writer.write_record(record)
    data = bytearray(out.getvalue())  # its length varies with the record ids and dates warcio writes
    for _ in range(draw(st.integers(0, 3))):  # damage: flipped bytes, then perhaps a cut
        data[draw(st.integers(0, 1 << 20)) % len(data)] ^= draw(st.integers(1, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, 1 << 20)) % (len(data) + 1)]
    return bytes(data)


# ---- one property per reader ------------------------------------------------------------------


@FUZZ
@given(st.one_of(encoded_text(), st.binary(max_size=600)))
def test_text_reader(data):
    read_as(data, "fuzz.txt")


@FUZZ
@given(st.one_of(html_pages(), st.binary(max_size=600)), st.booleans())
def test_html_reader(data, gzipped):
    if gzipped:
        import gzip

        data = gzip.compress(data)
    read_as(data, "fuzz.html.gz" if gzipped else "fuzz.html")


@FUZZ
@given(st.lists(st.one_of(records.map(json.dumps), json_values.map(json.dumps), deep_json, st.text(max_size=80)), max_size=6))
def test_jsonl_reader(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    results = read_as(data, "fuzz.jsonl")
    assert all(":" in str(result) for result in results if isinstance(result, IngestError))


@FUZZ
@given(st.one_of(feeds(), st.binary(max_size=600)))
def test_feed_reader(data):
    read_as(data, "fuzz.rss")


@FUZZ
@given(warc_files())
def test_warc_reader(data):
    read_as(data, "fuzz.warc.gz" if data[:2] == b"\x1f\x8b" else "fuzz.warc")
