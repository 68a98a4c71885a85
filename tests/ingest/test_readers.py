"""Text, HTML and JSONL readers: byte-exact text, metadata, and one clear error per bad input."""

import gzip
import json
from datetime import datetime

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, read
from storyline.ingest.text import headline_of


def errors_and_articles(paths, options=None):
    results = list(read(paths, options))
    return [r for r in results if isinstance(r, IngestError)], [r for r in results if not isinstance(r, IngestError)]


def test_headline_rule():
    assert headline_of("Raab ignores calls to quit\n\nBody text here.") == "Raab ignores calls to quit"
    assert headline_of("Johnson hopes to convene a meeting of world leaders.\n\nMore.") is None
    assert headline_of("Only one line") is None


def test_text_is_kept_exactly(tmp_path):
    body = "Headline here\r\n\r\nFirst “quoted” paragraph — with ünïcode.\n"
    path = tmp_path / "story-1.txt"
    path.write_bytes(body.encode("utf-8"))
    errors, [article] = errors_and_articles([path], IngestOptions(source="Outlet", published=datetime(2021, 8, 19)))
    assert not errors
    assert article.text == body
    assert article.id == "story-1" and article.title == "Headline here"
    assert article.source == "Outlet" and article.published == datetime(2021, 8, 19)


def test_bad_inputs_each_get_one_reason_and_the_batch_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (tmp_path / "latin.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "big.txt").write_bytes(b"a" * 2_000)
    (tmp_path / "good.txt").write_text("A fine headline\n\nAnd a body.", encoding="utf-8")
    (tmp_path / "bad.gz.html.gz").write_bytes(b"not gzip at all")
    errors, articles = errors_and_articles([tmp_path, tmp_path / "missing.txt"], IngestOptions(max_bytes=1_000))
    reasons = {e.source.split("/")[-1]: e.reason for e in errors}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.txt"].startswith("binary file")
    assert reasons["latin.txt"] == "invalid UTF-8 at byte 3"
    assert reasons["big.txt"].startswith("file too large")
    assert reasons["missing.txt"] == "no such file or folder"
    assert reasons["bad.gz.html.gz"].startswith("not valid gzip")
    assert [a.id for a in articles] == ["good"]


def test_unreadable_file(tmp_path):
    import os

    path = tmp_path / "locked.txt"
    path.write_text("Headline\n\nBody.", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything; the reason cannot be provoked here
        return
    errors, _ = errors_and_articles([path])
    assert errors[0].reason == "permission denied"


def test_jsonl_rows_and_malformed_lines(tmp_path):
    path = tmp_path / "corpus.jsonl"
    rows = [
        json.dumps({"id": "a1", "title": "T", "text": "Body one.", "source": "Wire", "url": "https://x.test/1",
                    "published": "2026-03-14T08:30:00+01:00", "story": "s1"}),
        "{not json",
        json.dumps({"id": "a2", "text": ""}),
        json.dumps({"id": "a3", "text": "Body three.", "published": "not a date at all, really"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a4", "text": "Body four."}),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    errors, articles = errors_and_articles([path])
    assert [a.id for a in articles] == ["a1", "a4"]
    assert articles[0].published == datetime(2026, 3, 14, 7, 30)  # normalised to UTC
    assert articles[0].extra == {"story": "s1"}
    assert [e.source for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:4", f"{path}:5"]
    assert errors[0].reason.startswith("invalid JSON")
    assert errors[1].reason == "missing or empty 'text'"
    assert errors[2].reason.startswith("unreadable 'published' date")
    assert errors[3].reason == "not a JSON object"


def test_html_with_trafilatura(tmp_path):
    paragraphs = "".join(
        f"<p>Paragraph {i} of the report says the council met on Tuesday to discuss the harbour budget in detail.</p>"
        for i in range(6)
    )
    html = (
        "<html><head><title>Council backs harbour plan</title>"
        '<meta property="og:site_name" content="The Harbour Courier">'
        '<meta name="date" content="2026-03-10"></head>'
        f"<body><nav>Home | News</nav><article><h1>Council backs harbour plan</h1>{paragraphs}</article></body></html>"
    )
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(html.encode()))
    errors, [article] = errors_and_articles([tmp_path / "page.html.gz"])
    assert not errors
    assert article.title == "Council backs harbour plan"
    assert article.source == "The Harbour Courier"
    assert article.published == datetime(2026, 3, 10)
    assert "Paragraph 5 of the report" in article.text and "Home | News" not in article.text


def test_glob_and_unsupported(tmp_path):
    (tmp_path / "a.txt").write_text("Head\n\nBody.", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    errors, articles = errors_and_articles([str(tmp_path / "*.txt"), tmp_path / "notes.pdf", str(tmp_path / "*.none")])
    assert [a.id for a in articles] == ["a"]
    assert errors[0].reason.startswith("unsupported file type")
    assert errors[1].reason == "no file matches this pattern"


def test_html_keeps_the_time_of_day_of_its_published_time_meta(tmp_path):
    paragraphs = "".join(f"<p>Paragraph {i}: the ferry service resumed on the northern route after the storm passed.</p>" for i in range(6))
    head = '<meta property="article:published_time" content="2026-03-10T17:05:00+01:00">'
    html = f"<html><head><title>Ferries resume</title>{head}</head><body><article><h1>Ferries resume</h1>{paragraphs}</article></body></html>"
    (tmp_path / "timed.html").write_text(html, encoding="utf-8")
    (tmp_path / "day.html").write_text(html.replace(head, '<meta name="date" content="2026-03-10">'), encoding="utf-8")
    errors, articles = errors_and_articles([tmp_path / "timed.html", tmp_path / "day.html"])
    assert not errors
    published = {article.id: article.published for article in articles}
    assert published == {"timed": datetime(2026, 3, 10, 16, 5), "day": datetime(2026, 3, 10)}


def test_jsonl_names_the_publisher_outlet_or_source(tmp_path):
    path = tmp_path / "corpus.jsonl"
    rows = [{"id": "a", "text": "The council met.", "outlet": "Harbour Courier"}, {"id": "b", "text": "The board met.", "source": "Daily Ledger"}]
    path.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    errors, articles = errors_and_articles([path])
    assert not errors and [(a.source, a.extra) for a in articles] == [("Harbour Courier", {}), ("Daily Ledger", {})]
