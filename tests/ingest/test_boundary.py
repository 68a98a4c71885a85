"""Issue 15: every record is checked where it is read, and no input costs more than its limit.

Each test here failed on the main branch before the fix: a traceback, a lost batch, or a cost
without bound (memory, time).
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, checked, expand, read
from storyline.ingest.common import MAX_TEXT_CHARS, decode_html
from storyline.records import Article
from tests.conftest import REPO


def split(results):
    results = list(results)
    return [r for r in results if isinstance(r, IngestError)], [r for r in results if isinstance(r, Article)]


def write_jsonl(path, rows):
    path.write_text("\n".join(row if isinstance(row, str) else json.dumps(row) for row in rows) + "\n", encoding="utf-8")


def test_jsonl_fields_of_the_wrong_type_are_refused_or_coerced_with_file_and_line(tmp_path):
    path = tmp_path / "typed.jsonl"
    write_jsonl(path, [
        {"id": "a1", "text": "Body one.", "title": {"nested": "object"}},
        {"id": "a2", "text": "Body two.", "source": 42, "url": 7, "title": 3.5},
        {"id": "a3", "text": "Body three.", "author": ["Ann", "Bo"]},
        {"id": 4, "text": "Body four.", "published": 20210819},
        {"id": {"x": 1}, "text": "Body five."},
        {"id": "a6", "text": "Body six.", "source": True},
        {"id": "a7", "text": "Body seven.", "title": "\ud800 lone surrogate"},
        {"id": "a8", "text": "Body eight.", "title": "T" * 2001},
    ])
    errors, articles = split(read([path]))
    assert [(a.id, a.source, a.url, a.title) for a in articles] == [("a2", "42", "7", "3.5")]
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:1", "'title' must be a string, not an object"),
        (f"{path}:3", "'author' must be a string, not a list"),
        (f"{path}:4", "'published' must be a date written as a string, not a number"),
        (f"{path}:5", "'id' must be a string, not an object"),
        (f"{path}:6", "'source' must be a string, not true/false"),
        (f"{path}:7", "'title' is not valid Unicode (an unpaired surrogate)"),
        (f"{path}:8", "'title' too long (2,001 characters; limit 2,000)"),
    ]


def test_json_nested_100000_deep_is_one_line_and_the_file_goes_on(tmp_path):
    path = tmp_path / "deep.jsonl"
    deep_extra = '{"id": "d2", "text": "Deep extra.", "extra": ' + "[" * 50 + "]" * 50 + "}"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + deep_extra + '\n{"id": "ok", "text": "Fine."}\n', encoding="utf-8")
    errors, articles = split(read([path]))
    assert [a.id for a in articles] == ["ok"]
    assert [(e.source, e.reason) for e in errors] == [
        (f"{path}:1", "invalid JSON (nested too deeply)"),
        (f"{path}:2", "extra fields nested deeper than 20 levels"),
    ]


def test_an_article_over_the_parse_limit_is_refused_and_the_folder_goes_on(tmp_path):
    for number in range(10):
        (tmp_path / f"small-{number}.txt").write_text(f"Headline {number}\n\nA short body {number}.", encoding="utf-8")
    (tmp_path / "huge.txt").write_text("word " * 240_000, encoding="utf-8")  # 1.2 MB
    errors, articles = split(read([tmp_path]))
    assert len(articles) == 10
    assert [(e.source, e.reason) for e in errors] == [
        (str(tmp_path / "huge.txt"), f"text too long (1,200,000 characters; limit {MAX_TEXT_CHARS:,})")
    ]


def test_records_built_in_python_are_checked_too():
    with pytest.raises(IngestError, match="text too long"):
        checked(Article(id="big", text="x" * (MAX_TEXT_CHARS + 1), origin="api"))
    with pytest.raises(IngestError, match="'source' must be a string, not a number"):
        checked(Article(id="n", text="Body.", source=5))  # type: ignore[arg-type]
    fine = Article(id="ok", text="Body.", title="T", published=datetime(2026, 1, 1))
    assert checked(fine) is fine


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_decoded(tmp_path, encoding):
    body = "Harbour talks resume\n\nMayor Ines Alder said “talks resume on Friday”."
    marks = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}
    (tmp_path / "wide.txt").write_bytes(marks.get(encoding, b"") + body.encode(encoding))
    errors, [text] = split(read([tmp_path / "wide.txt"]))
    assert not errors and text.text == body and text.title == "Harbour talks resume"
    page = f"<html><body><p>{body}</p></body></html>"
    assert decode_html(marks.get(encoding, b"") + page.encode(encoding), "wide.html") == page


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    path = tmp_path / "bomb.html.gz"
    member = gzip.compress(b"<p>" + b"\0" * (1 << 20), compresslevel=9)  # 1 MB in about 1 kB
    path.write_bytes(member * 500)  # gzip members one after another: 500 MB inflated
    assert path.stat().st_size < 600_000
    tracemalloc.start()
    try:
        errors, articles = split(read([path], IngestOptions(max_bytes=2_000_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert not articles and errors[0].reason == "decompressed content too large (limit 2 MB)"
    assert peak < 10_000_000, f"peak {peak / 1e6:.0f} MB"


def test_a_glob_over_a_symlink_loop_ends_quickly(tmp_path):
    (tmp_path / "news" / "deep").mkdir(parents=True)
    (tmp_path / "news" / "a.txt").write_text("Head a\n\nBody a.", encoding="utf-8")
    (tmp_path / "news" / "deep" / "b.txt").write_text("Head b\n\nBody b.", encoding="utf-8")
    os.symlink("..", tmp_path / "news" / "deep" / "up")
    os.symlink("../..", tmp_path / "news" / "deep" / "upper")
    pattern = str(tmp_path / "news" / "**" / "*.txt")
    script = "import sys; from storyline.ingest import expand; print(sorted(str(p) for p in expand([sys.argv[1]])))"
    started = time.monotonic()
    # a subprocess, so that a glob that loops is stopped by the timeout instead of hanging the suite
    result = subprocess.run(
        [sys.executable, "-c", script, pattern], capture_output=True, text=True, timeout=30,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
    )
    assert result.returncode == 0, result.stderr
    assert eval(result.stdout) == [str(tmp_path / "news" / "a.txt"), str(tmp_path / "news" / "deep" / "b.txt")]
    assert time.monotonic() - started < 10


def test_a_string_is_one_path_never_its_characters(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Head\n\nBody.", encoding="utf-8")
    (tmp_path / "news" / "notes.md").write_text("# notes", encoding="utf-8")
    skipped = []
    errors, articles = split(read("news", skipped=skipped))
    assert not errors and [a.id for a in articles] == ["a"]
    assert skipped == [Path("news") / "notes.md"]
    with pytest.raises(TypeError, match="not bytes"):
        list(expand(b"news"))


def test_files_no_reader_takes_are_listed_as_skipped(tmp_path):
    for name in ("a.txt", "b.pdf", "c.docx", "d.md"):
        (tmp_path / name).write_text("Head\n\nBody.", encoding="utf-8")
    skipped = []
    errors, articles = split(read([tmp_path], skipped=skipped))
    assert not errors and [a.id for a in articles] == ["a"]
    assert [p.name for p in skipped] == ["b.pdf", "c.docx", "d.md"]


def test_dates_that_overflow_or_ramble_are_unreadable_not_fatal(tmp_path):
    path = tmp_path / "dates.jsonl"
    write_jsonl(path, [
        {"id": "a", "text": "Body.", "published": "9999-12-31T23:59:59-01:00"},
        {"id": "b", "text": "Body.", "published": "0001-01-01T00:00:00+01:00"},
        {"id": "c", "text": "Body.", "published": "x" * 10_000},
    ])
    errors, articles = split(read([path]))
    assert not articles
    assert [e.reason.split(" date")[0] for e in errors] == ["unreadable 'published'"] * 3


def test_an_error_crosses_to_and_from_worker_processes_whole():
    import pickle

    error = pickle.loads(pickle.dumps(IngestError("news/a.txt", "annotation failed (ValueError: x)")))
    assert (error.source, error.reason, str(error)) == ("news/a.txt", "annotation failed (ValueError: x)", "news/a.txt: annotation failed (ValueError: x)")
