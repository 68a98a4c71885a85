"""WARC archives built at test time from the demo corpus: pages become articles, the rest is counted, damage is survived."""

from __future__ import annotations

import gzip
import io
import json
import logging
import re
from collections import Counter
from datetime import datetime
from html import escape
from importlib.resources import files
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, read
from storyline.ingest.warc import WarcStats, iter_warc

DEMO = files("storyline") / "data" / "demo" / "articles.jsonl"
UNDATED_URL = "https://demo.example/undated-page"
UNDATED_CAPTURE = "2026-03-20T12:00:00Z"


@pytest.fixture(scope="module")
def demo_rows():
    """Seven demo articles, then one whose text names no year: it is archived without a date."""
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    undated = next(row for row in rows[7:] if not re.search(r"\b(19|20)\d\d\b", row["text"]))
    return rows[:7] + [undated]


def page(row, *, dated: bool = True) -> bytes:
    date = f'<meta property="article:published_time" content="{row["published"]}">' if dated else ""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in row["text"].split("\n\n") if p.strip())
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(row["title"])}</title>'
        f'<meta property="og:site_name" content="{escape(row["source"])}">{date}</head>'
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{escape(row['title'])}</h1>"
        f"{paragraphs}</article><footer>All rights reserved</footer></body></html>"
    ).encode("utf-8")


class Archive:
    """WARC records serialised one by one, so a test can damage the record it means to."""

    def __init__(self, compress: bool):
        self.compress = compress
        self.records: list[bytes] = []
        self.kinds: list[str] = []

    def add(self, kind: str, build) -> None:
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=self.compress)
        writer.write_record(build(writer))
        self.records.append(out.getvalue())
        self.kinds.append(kind)

    def offset(self, index: int) -> int:
        return sum(len(record) for record in self.records[:index])

    def article_indexes(self) -> list[int]:
        return [i for i, kind in enumerate(self.kinds) if kind == "article"]

    def bytes(self) -> bytes:
        return b"".join(self.records)

    def write(self, path: Path) -> Path:
        path.write_bytes(self.bytes())
        return path


def http_response(status: str, media_type: str) -> StatusAndHeaders:
    return StatusAndHeaders(status, [("Content-Type", media_type)], protocol="HTTP/1.1")


def demo_archive(rows, *, compress: bool) -> Archive:
    """warcinfo, then a request and a response per row (the last one undated), then records that are not articles."""
    archive = Archive(compress)
    archive.add("warcinfo", lambda w: w.create_warcinfo_record("demo.warc", {"software": "storyline tests"}))
    for number, row in enumerate(rows):
        dated = number < len(rows) - 1
        url = row["url"] if dated else UNDATED_URL
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "demo.example")], is_http_request=True)
        archive.add("request", lambda w, url=url: w.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=request))
        body = page(row, dated=dated)
        archive.add(
            "article",
            lambda w, url=url, body=body: w.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=http_response("200 OK", "text/html; charset=utf-8"),
                warc_headers_dict={"WARC-Date": UNDATED_CAPTURE},
            ),
        )
    archive.add(
        "metadata",
        lambda w: w.create_warc_record(rows[0]["url"], "metadata", payload=io.BytesIO(b"outlinks: none\r\n"), warc_content_type="application/warc-fields"),
    )
    archive.add(
        "image",
        lambda w: w.create_warc_record("https://demo.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)), http_headers=http_response("200 OK", "image/png")),
    )
    archive.add(
        "not found",
        lambda w: w.create_warc_record("https://demo.example/gone", "response", payload=io.BytesIO(b"<html><body>Gone</body></html>"), http_headers=http_response("404 Not Found", "text/html")),
    )
    archive.add(
        "revisit",
        lambda w: w.create_revisit_record(rows[0]["url"], "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", rows[0]["url"], UNDATED_CAPTURE),
    )
    return archive


def split(results):
    results = list(results)
    return [r for r in results if isinstance(r, IngestError)], [r for r in results if not isinstance(r, IngestError)]


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_become_articles_and_the_rest_is_counted(tmp_path, demo_rows, compress):
    archive = demo_archive(demo_rows, compress=compress)
    path = archive.write(tmp_path / ("demo.warc.gz" if compress else "demo.warc"))
    stats = WarcStats()
    errors, articles = split(iter_warc(path, IngestOptions(), stats))
    assert not errors
    assert [a.url for a in articles] == [row["url"] for row in demo_rows[:-1]] + [UNDATED_URL]
    for article, row, index in zip(articles, demo_rows, archive.article_indexes()):
        assert article.title == row["title"]
        assert article.source == row["source"]
        assert row["text"].split("\n\n")[0] in article.text
        assert article.origin == f"{path}@{archive.offset(index)}"
    for article, row in zip(articles[:-1], demo_rows):
        assert article.published.date() == datetime.fromisoformat(row["published"]).date()  # the page's own date
    assert articles[-1].published == datetime(2026, 3, 20, 12, 0)  # no date on the page: the capture date
    assert len({a.id for a in articles}) == len(articles)
    assert stats.records == len(archive.records)
    assert stats.articles == len(demo_rows) and stats.errors == 0
    assert stats.skipped == Counter({"request": len(demo_rows), "warcinfo": 1, "metadata": 1, "not HTML": 1, "HTTP 4xx": 1, "revisit": 1})


def test_ids_are_stable_across_reads_and_compression(tmp_path, demo_rows):
    plain = demo_archive(demo_rows, compress=False).write(tmp_path / "a.warc")
    packed = demo_archive(demo_rows, compress=True).write(tmp_path / "a.warc.gz")
    assert [a.id for a in read([plain])] == [a.id for a in read([packed])] == [a.id for a in read([plain])]


def test_the_reader_logs_a_summary_of_each_file(tmp_path, demo_rows, caplog):
    path = demo_archive(demo_rows, compress=True).write(tmp_path / "demo.warc.gz")
    with caplog.at_level(logging.INFO, logger="storyline.ingest.warc"):
        list(read([path]))
    [message] = [r.getMessage() for r in caplog.records if r.name == "storyline.ingest.warc"]
    n = len(demo_rows)
    assert message.startswith(f"{path}: {2 * n + 5} records: {n} articles, {n + 5} skipped (request {n}, ")
    assert message.endswith(", 0 errors")


def test_an_archive_larger_than_the_file_limit_is_streamed(tmp_path, demo_rows):
    path = demo_archive(demo_rows, compress=False).write(tmp_path / "big.warc")
    largest_record = max(len(page(row)) for row in demo_rows)
    options = IngestOptions(max_bytes=largest_record + 1000)
    assert path.stat().st_size > 4 * options.max_bytes
    errors, articles = split(read([path], options))
    assert not errors and len(articles) == len(demo_rows)


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
def test_a_truncated_archive_keeps_every_complete_record(tmp_path, demo_rows, compress):
    archive = demo_archive(demo_rows, compress=compress)
    last = archive.article_indexes()[-1]
    cut = archive.offset(last) + len(archive.records[last]) // 2
    path = tmp_path / ("cut.warc.gz" if compress else "cut.warc")
    path.write_bytes(archive.bytes()[:cut])
    errors, articles = split(read([path]))
    assert len(articles) == len(demo_rows) - 1
    [error] = errors
    assert error.source == f"{path}@{archive.offset(last)}"
    assert error.reason.endswith(f"nothing readable in the last {cut - archive.offset(last)} bytes")


def test_corrupt_gzip_data_loses_one_record_only(tmp_path, demo_rows):
    archive = demo_archive(demo_rows, compress=True)
    damaged = archive.article_indexes()[2]
    member = bytearray(archive.records[damaged])
    middle = len(member) // 2
    member[middle : middle + 40] = bytes(b ^ 0xA5 for b in member[middle : middle + 40])
    archive.records[damaged] = bytes(member)
    path = archive.write(tmp_path / "corrupt.warc.gz")
    errors, articles = split(read([path]))
    assert [a.url for a in articles] == [row["url"] for i, row in enumerate(demo_rows[:-1]) if i != 2] + [UNDATED_URL]
    [error] = errors
    assert error.source == f"{path}@{archive.offset(damaged)}"
    assert error.reason.startswith("gzip error (Error -3 while decompressing data")
    assert error.reason.endswith(f"skipped {len(member)} bytes to the next record at {archive.offset(damaged + 1)}")


def test_gzip_errors_in_member_headers_and_a_gz_file_that_is_not_gzip(tmp_path, demo_rows):
    archive = demo_archive(demo_rows, compress=True)
    damaged = archive.article_indexes()[0]
    archive.records[damaged] = b"\x1f\x8b\x08garbage" + archive.records[damaged][11:]
    path = archive.write(tmp_path / "badheader.warc.gz")
    errors, articles = split(read([path]))
    assert len(articles) == len(demo_rows) - 1
    assert [e.source for e in errors] == [f"{path}@{archive.offset(damaged)}"]
    (tmp_path / "plain.warc.gz").write_text("just some words\nin a file\n", encoding="utf-8")
    errors, articles = split(read([tmp_path / "plain.warc.gz"]))
    assert not articles
    assert [str(e) for e in errors] == [f"{tmp_path / 'plain.warc.gz'}: not a WARC file (no WARC record found)"]


@pytest.mark.parametrize("compress", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("change", [-150, +150], ids=["shorter", "longer"])
def test_a_wrong_declared_length_is_reported_and_reading_goes_on(tmp_path, demo_rows, compress, change):
    archive = demo_archive(demo_rows, compress=compress)
    damaged = archive.article_indexes()[1]
    record = gzip.decompress(archive.records[damaged]) if compress else archive.records[damaged]
    head, sep, rest = record.partition(b"Content-Length: ")
    declared, _, tail = rest.partition(b"\r\n")
    wrong = int(declared) + change
    record = head + sep + str(wrong).encode() + b"\r\n" + tail
    archive.records[damaged] = gzip.compress(record) if compress else record
    path = archive.write(tmp_path / ("length.warc.gz" if compress else "length.warc"))
    errors, articles = split(read([path]))
    assert [a.url for a in articles] == [row["url"] for i, row in enumerate(demo_rows[:-1]) if i != 1] + [UNDATED_URL]
    [error] = errors
    assert error.source == f"{path}@{archive.offset(damaged)}"
    assert error.reason.startswith(f"record does not match its Content-Length ({wrong})")


def test_garbage_between_records_is_skipped(tmp_path, demo_rows):
    archive = demo_archive(demo_rows, compress=False)
    where = archive.article_indexes()[3]
    archive.records.insert(where, b"this is not a record\r\n" * 5)
    archive.kinds.insert(where, "garbage")
    path = archive.write(tmp_path / "garbage.warc")
    errors, articles = split(read([path]))
    assert len(articles) == len(demo_rows)
    assert [str(e) for e in errors] == [
        f"{path}@{archive.offset(where)}: corrupt record (no valid WARC header); "
        f"skipped {len(archive.records[where])} bytes to the next record at {archive.offset(where + 1)}"
    ]


def test_a_warc_gzipped_as_one_stream_is_read_straight_through(tmp_path, demo_rows):
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(demo_archive(demo_rows, compress=False).bytes()))
    errors, articles = split(read([path]))
    assert not errors and len(articles) == len(demo_rows)


def test_files_that_are_not_archives(tmp_path):
    (tmp_path / "empty.warc").write_bytes(b"")
    (tmp_path / "notes.warc").write_text("WARC is a file format\nbut this is prose\n", encoding="utf-8")
    errors, articles = split(read([tmp_path]))
    assert not articles
    assert sorted(str(e) for e in errors) == [
        f"{tmp_path / 'empty.warc'}: empty file",
        f"{tmp_path / 'notes.warc'}: not a WARC file (no WARC record found)",
    ]
