"""RSS and Atom feeds built at test time from the demo corpus: entries, summaries, --fetch, broken feeds."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape
from importlib.resources import files
from pathlib import Path

import pytest

from storyline.errors import IngestError
from storyline.ingest import IngestOptions, read
from storyline.ingest.fetch import USER_AGENT
from storyline.ingest.rss import fragment_text, root_element
from tests.local_server import LocalServer, QuietHandler

DEMO = files("storyline") / "data" / "demo" / "articles.jsonl"


@pytest.fixture(scope="module")
def demo_rows():
    rows = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 6
    return rows


def paragraphs_html(text: str) -> str:
    return "".join(f"<p>{escape(block)}</p>" for block in text.split("\n\n") if block.strip())


def first_paragraph(text: str) -> str:
    return text.split("\n\n")[0].strip()


def utc(row) -> datetime:
    return datetime.fromisoformat(row["published"]).astimezone(timezone.utc).replace(tzinfo=None)


def rss_feed(rows, *, full_every: int = 2, link_base: str | None = None) -> str:
    """RSS 2.0: every `full_every`-th item (none when 0) carries content:encoded, the others only a description."""
    items = []
    for number, row in enumerate(rows):
        link = f"{link_base}/{row['id']}" if link_base else row["url"]
        content = (
            f"<content:encoded><![CDATA[{paragraphs_html(row['text'])}]]></content:encoded>" if full_every and number % full_every == 0 else ""
        )
        items.append(
            f"<item><title>{escape(row['title'])}</title><link>{escape(link)}</link>"
            f"<guid isPermaLink=\"false\">{escape(row['id'])}</guid>"
            f"<pubDate>{format_datetime(datetime.fromisoformat(row['published']))}</pubDate>"
            f"<dc:creator>{escape(row['author'] or '')}</dc:creator>"
            f"<description>{escape(first_paragraph(row['text']))}</description>{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>Demo wire - All stories</title><link>https://demo.example/</link>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    )


def atom_feed(rows) -> str:
    entries = "\n".join(
        f'<entry><title type="html">{escape(escape(row["title"]))}</title><link href="{escape(row["url"])}"/>'
        f"<id>urn:demo:{row['id']}</id><updated>{row['published']}</updated>"
        f"<author><name>{escape(row['author'] or 'Staff')}</name></author>"
        f"<summary>{escape(first_paragraph(row['text']))}</summary>"
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{paragraphs_html(row["text"])}</div></content>'
        "</entry>"
        for row in rows
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>Demo Atom</title>'
        '<link href="https://demo.example/"/><id>urn:demo</id><updated>2026-03-14T00:00:00Z</updated>\n'
        + entries
        + "\n</feed>\n"
    )


def split(results):
    results = list(results)
    return [r for r in results if isinstance(r, IngestError)], [r for r in results if not isinstance(r, IngestError)]


def test_rss_entries_become_articles_with_full_content_or_a_marked_summary(tmp_path, demo_rows):
    path = tmp_path / "wire.rss"
    path.write_text(rss_feed(demo_rows), encoding="utf-8")
    errors, articles = split(read([path]))
    assert not errors
    assert len(articles) == len(demo_rows)
    for number, (article, row) in enumerate(zip(articles, demo_rows)):
        assert article.title == row["title"]
        assert article.url == row["url"]
        assert article.published == utc(row)
        assert article.author == (row["author"] or None)
        assert article.source == "Demo wire - All stories"
        assert article.origin == f"{path}#{number + 1}"
        if number % 2 == 0:
            assert article.text == "\n\n".join(" ".join(p.split()) for p in row["text"].split("\n\n") if p.strip())
            assert article.extra == {}
        else:
            assert article.text == first_paragraph(row["text"])
            assert article.extra == {"summary_only": True}


def test_atom_entries_with_xhtml_content(tmp_path, demo_rows):
    path = tmp_path / "wire.atom"
    path.write_text(atom_feed(demo_rows[:3]), encoding="utf-8")
    errors, articles = split(read([path]))
    assert not errors
    assert [a.title for a in articles] == [row["title"] for row in demo_rows[:3]]
    assert all(not a.extra for a in articles)
    assert articles[0].text.split("\n\n")[0] == first_paragraph(demo_rows[0]["text"])
    assert articles[0].published == utc(demo_rows[0])


def test_ids_are_stable_and_distinct_across_reads_and_suffixes(tmp_path, demo_rows):
    feed = rss_feed(demo_rows)
    (tmp_path / "a.xml").write_text(feed, encoding="utf-8")
    (tmp_path / "b.feed").write_text(feed, encoding="utf-8")
    first = [a.id for a in read([tmp_path / "a.xml"])]
    second = [a.id for a in read([tmp_path / "b.feed"])]
    assert first == second
    assert len(set(first)) == len(demo_rows)


def test_a_truncated_feed_keeps_what_came_before_the_break(tmp_path, demo_rows):
    feed = rss_feed(demo_rows[:4])
    cut = feed.index("<item>", feed.index("<item>", feed.index("<item>") + 1) + 1) + 40  # inside the third item
    path = tmp_path / "cut.rss"
    path.write_text(feed[:cut], encoding="utf-8")
    errors, articles = split(read([path]))
    assert [a.title for a in articles][:2] == [demo_rows[0]["title"], demo_rows[1]["title"]]
    [error] = errors
    assert error.source == str(path)
    assert error.reason.startswith("malformed XML at line ")
    assert "entries recovered" in error.reason
    assert "\n" not in str(error)


def test_not_a_feed_names_the_root_element(tmp_path):
    (tmp_path / "page.xml").write_text("<!DOCTYPE html>\n<html><head><title>News</title></head><body><p>Hi</p></body></html>", encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><!-- map --><urlset><url><loc>https://x.example/</loc></url></urlset>', encoding="utf-8")
    (tmp_path / "junk.rss").write_bytes(b"\x00\x01\x02 this is not xml")
    (tmp_path / "empty.atom").write_bytes(b"")
    errors, articles = split(read([tmp_path]))
    assert not articles
    reasons = {Path(e.source).name: e.reason for e in errors}
    assert reasons == {
        "page.xml": "not RSS or Atom (root <html>)",
        "sitemap.xml": "not RSS or Atom (root <urlset>)",
        "junk.rss": reasons["junk.rss"],
        "empty.atom": "empty file",
    }
    assert reasons["junk.rss"].startswith(("malformed XML", "not RSS or Atom"))


def test_an_entry_without_text_is_reported_and_the_others_are_read(tmp_path, demo_rows):
    feed = rss_feed(demo_rows[:3], full_every=0)
    second = demo_rows[1]
    feed = feed.replace(f"<description>{escape(first_paragraph(second['text']))}</description>", "")
    path = tmp_path / "gaps.rss"
    path.write_text(feed, encoding="utf-8")
    errors, articles = split(read([path]))
    assert [a.title for a in articles] == [demo_rows[0]["title"], demo_rows[2]["title"]]
    assert [str(e) for e in errors] == [f"{path}#2: entry has no text (neither content nor summary)"]


def test_helpers():
    assert root_element(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c --><!DOCTYPE rss><rss version="2.0">') == "rss"
    assert root_element(b"no markup here") is None
    assert fragment_text("<p>One &amp; <b>two</b></p><script>bad()</script><ul><li>three</li></ul>") == "One & two\n\nthree"


class PageServer(LocalServer):
    """Pages served on 127.0.0.1: path -> (status, body); records the User-Agent of each request."""

    def __init__(self, pages: dict[str, tuple[int, str]]):
        self.pages = pages
        self.user_agents: list[str] = []
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                server.user_agents.append(self.headers.get("User-Agent", ""))
                status, body = server.pages.get(self.path, (404, "<html><body>Not found</body></html>"))
                data = body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler)


def article_page(row) -> str:
    return (
        f"<html><head><title>{escape(row['title'])}</title></head><body><nav>Home | World | Business</nav>"
        f"<article><h1>{escape(row['title'])}</h1>{paragraphs_html(row['text'])}</article>"
        "<footer>Copyright Demo</footer></body></html>"
    )


def test_fetch_replaces_summaries_with_the_linked_page_when_it_can(tmp_path, demo_rows):
    rows = demo_rows[:4]
    server = PageServer({f"/{row['id']}": (200, article_page(row)) for row in rows[:2]})
    try:
        feed = rss_feed(rows, full_every=0, link_base=server.base)  # all summary-only
        feed = feed.replace(f"{server.base}/{rows[3]['id']}", "http://127.0.0.1:9/unreachable")
        path = tmp_path / "links.rss"
        path.write_text(feed, encoding="utf-8")
        errors, articles = split(read([path], IngestOptions(fetch=True, allow_private_addresses=True)))
    finally:
        server.close()
    assert not errors
    fetched, fetched_too, missing, unreachable = articles
    for article, row in ((fetched, rows[0]), (fetched_too, rows[1])):
        assert article.extra == {"fetched": True}
        assert first_paragraph(row["text"]) in article.text
        assert len(article.text) > len(first_paragraph(row["text"]))
        assert article.title == row["title"] and article.published == utc(row)
    assert missing.extra == {"summary_only": True, "fetch_error": "HTTP 404"}
    assert missing.text == first_paragraph(rows[2]["text"])
    assert unreachable.extra["summary_only"] is True
    assert unreachable.extra["fetch_error"].startswith("cannot connect")
    assert server.user_agents and all(agent == USER_AGENT for agent in server.user_agents)
    assert USER_AGENT.startswith("storyline/")


def test_without_fetch_no_request_is_made(tmp_path, demo_rows):
    server = PageServer({})
    try:
        path = tmp_path / "links.rss"
        path.write_text(rss_feed(demo_rows[:2], full_every=0, link_base=server.base), encoding="utf-8")
        errors, articles = split(read([path]))
    finally:
        server.close()
    assert not errors and all(a.extra == {"summary_only": True} for a in articles)
    assert server.user_agents == []
