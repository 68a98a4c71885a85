"""Watch mode against feeds served on 127.0.0.1 that change between polls."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from email.utils import format_datetime
from datetime import datetime
from html import escape
from importlib.resources import files

import pytest

from storyline.errors import StorylineError
from storyline.ingest import IngestOptions
from storyline.ingest.fetch import USER_AGENT
from storyline.watch import FeedWatcher, parse_interval, read_feed_list, watch
from tests.local_server import LocalServer, QuietHandler

DEMO = files("storyline") / "data" / "demo" / "articles.jsonl"
TIMEOUT = 1.0  # an overall deadline per fetch: room for a loaded machine, short enough for /slow
LOCAL = IngestOptions(allow_private_addresses=True)  # the test server is on 127.0.0.1


@pytest.fixture(scope="module")
def rows():
    return [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line.strip()][:6]


def rss(rows, title="Demo wire") -> str:
    items = "".join(
        f"<item><title>{escape(row['title'])}</title><link>{escape(row['url'])}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(row['published']))}</pubDate>"
        f"<description>{escape(row['text'].split(chr(10))[0])}</description></item>"
        for row in rows
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title><link>https://demo.example/</link>{items}</channel></rss>'


class FeedServer(LocalServer):
    """Serves `feeds` (path -> text) with ETag and Last-Modified; /broken answers 500, /slow never in time."""

    def __init__(self):
        self.feeds: dict[str, str] = {}
        self.requests: list[tuple[str, dict[str, str], int]] = []  # path, headers, status sent
        server = self

        class Handler(QuietHandler):
            def do_GET(self):
                if self.path == "/slow":
                    time.sleep(TIMEOUT * 4)  # the client has given up by now: never answer
                    return
                status, body, headers = server.answer(self.path, self.headers)
                server.requests.append((self.path, dict(self.headers), status))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)

    def answer(self, path, headers):
        if path == "/broken":
            return 500, b"Internal Server Error", {"Content-Type": "text/plain"}
        if path == "/page":
            return 200, b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>", {"Content-Type": "text/html"}
        if path not in self.feeds:
            return 404, b"", {}
        body = self.feeds[path].encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest() + '"'
        validators = {"ETag": etag, "Last-Modified": "Mon, 02 Mar 2026 18:00:00 GMT"}
        if headers.get("If-None-Match") == etag:
            return 304, b"", validators
        return 200, body, {"Content-Type": "application/rss+xml", **validators}

    def statuses(self, path):
        return [status for seen, _, status in self.requests if seen == path]



@pytest.fixture
def server():
    running = FeedServer()
    yield running
    running.close()


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_only_new_entries_go_to_the_sink_a_304_is_honoured_and_failures_do_not_stop_the_others(tmp_path, server, rows):
    server.feeds["/a.rss"] = rss(rows[:2])
    server.feeds["/b.rss"] = rss(rows[2:3], title="Other wire")
    urls = [server.url(p) for p in ("/a.rss", "/broken", "/slow", "/page", "/b.rss")]
    batches = []
    clock = Clock()
    with FeedWatcher(urls, batches.append, every_seconds=60, state_path=tmp_path / "watch.json", timeout=TIMEOUT, clock=clock, options=LOCAL) as watcher:
        first = {r.url.removeprefix(server.base): r for r in watcher.poll_due()}
        assert [first[p].status for p in ("/a.rss", "/broken", "/slow", "/page", "/b.rss")] == ["new", "failed", "failed", "failed", "new"]
        assert str(first["/broken"]) == f"{server.url('/broken')}: HTTP 500; retrying in 60 s"
        assert first["/slow"].errors[0].reason == f"timed out after {TIMEOUT:g} s"
        assert first["/page"].errors[0].reason == "not RSS or Atom (root <html>)"
        assert [[a.title for a in batch] for batch in batches] == [[rows[0]["title"], rows[1]["title"]], [rows[2]["title"]]]

        clock.now += 60
        second = {r.url.removeprefix(server.base): r for r in watcher.poll_due()}
        assert second["/a.rss"].status == second["/b.rss"].status == "not modified"
        assert server.statuses("/a.rss") == [200, 304]
        assert second["/broken"].retry_in == 120  # backing off
        assert len(batches) == 2

        server.feeds["/a.rss"] = rss(rows[1:4])  # one entry dropped, one kept, two new
        clock.now += 60
        third = {r.url.removeprefix(server.base): r for r in watcher.poll_due()}
        assert set(third) == {"/a.rss", "/b.rss"}  # the failing feeds are not due yet
        assert third["/a.rss"].new == 2
        assert [a.title for a in batches[-1]] == [rows[2]["title"], rows[3]["title"]]
    a_requests = [headers for path, headers, _ in server.requests if path == "/a.rss"]
    assert "If-None-Match" not in a_requests[0] and a_requests[1]["If-None-Match"]
    assert all(headers["User-Agent"] == USER_AGENT for _, headers, _ in server.requests)


def test_state_survives_a_restart(tmp_path, server, rows):
    server.feeds["/a.rss"] = rss(rows[:3])
    state = tmp_path / "watch.json"
    batches = []
    with FeedWatcher([server.url("/a.rss")], batches.append, every_seconds=60, state_path=state, options=LOCAL) as watcher:
        watcher.poll_due()
    with FeedWatcher([server.url("/a.rss")], batches.append, every_seconds=60, state_path=state, options=LOCAL) as watcher:
        [report] = watcher.poll_due()
        assert report.status == "not modified"
    server.feeds["/a.rss"] = rss(rows[:3], title="Demo wire (renamed)")  # new ETag, same entries
    with FeedWatcher([server.url("/a.rss")], batches.append, every_seconds=60, state_path=state, options=LOCAL) as watcher:
        [report] = watcher.poll_due()
        assert report.status == "unchanged"
    assert len(batches) == 1 and len(batches[0]) == 3
    saved = json.loads(state.read_text(encoding="utf-8"))
    assert len(saved["feeds"][server.url("/a.rss")]["seen"]) == 3


def test_entries_the_sink_could_not_store_are_offered_again(tmp_path, server, rows):
    server.feeds["/a.rss"] = rss(rows[:2])
    taken = []

    def flaky_sink(articles):
        if not taken:
            taken.append(None)
            raise StorylineError("database is locked")
        taken.append(articles)

    clock = Clock()
    with FeedWatcher([server.url("/a.rss")], flaky_sink, every_seconds=60, clock=clock, options=LOCAL) as watcher:
        [failed] = watcher.poll_due()
        assert failed.status == "failed"
        assert failed.errors[0].reason == "could not store new entries (database is locked)"
        clock.now += failed.retry_in
        [report] = watcher.poll_due()
    assert report.status == "new" and report.new == 2
    assert server.statuses("/a.rss") == [200, 200]  # no validators were kept from the failed poll


def test_watch_polls_in_rounds_and_reports_each_feed(server, rows):
    server.feeds["/a.rss"] = rss(rows[:2])
    batches, reports = [], []
    handed = watch(
        [server.url("/a.rss"), server.url("/broken")], 0.05, batches.append, on_report=reports.append, timeout=10.0, rounds=6, options=LOCAL
    )
    assert handed == 2 and len(batches) == 1
    first, *later = [r.status for r in reports if r.url.endswith("/a.rss")]
    assert first == "new" and later and set(later) == {"not modified"}
    assert all(r.status == "failed" for r in reports if r.url.endswith("/broken"))


def test_ctrl_c_during_a_store_lets_it_finish_saves_state_and_returns(tmp_path, server, rows):
    server.feeds["/a.rss"] = rss(rows[:2])
    state = tmp_path / "watch.json"
    handler_before = signal.getsignal(signal.SIGINT)
    stored = []

    def sink_interrupted_midway(articles):
        os.kill(os.getpid(), signal.SIGINT)  # the user presses Ctrl-C while the batch is being stored
        time.sleep(0.05)
        stored.extend(articles)

    handed = watch([server.url("/a.rss")], 30, sink_interrupted_midway, state_path=state, options=LOCAL)
    assert handed == 2 and len(stored) == 2
    assert len(json.loads(state.read_text(encoding="utf-8"))["feeds"][server.url("/a.rss")]["seen"]) == 2
    assert not list(tmp_path.glob("*.tmp"))
    assert signal.getsignal(signal.SIGINT) is handler_before


def test_ctrl_c_between_polls_returns_at_once(server, rows):
    server.feeds["/a.rss"] = rss(rows[:2])
    backstop_fired = []
    stop = threading.Event()
    backstop = threading.Timer(10, lambda: (backstop_fired.append(True), stop.set()))  # never hang the suite
    interrupt = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    backstop.start()
    interrupt.start()
    try:
        watch([server.url("/a.rss")], 30, lambda articles: None, stop=stop, options=LOCAL)
    finally:
        backstop.cancel()
    assert not backstop_fired
    assert time.monotonic() - started < 5


def test_an_unreadable_state_file_is_one_clear_error(tmp_path):
    state = tmp_path / "watch.json"
    state.write_text("{not json", encoding="utf-8")
    with pytest.raises(StorylineError, match=r"watch\.json: unreadable watch state .*delete it to start afresh"):
        FeedWatcher(["http://127.0.0.1:9/feed"], print, every_seconds=60, state_path=state)


def test_feed_list_file(tmp_path):
    path = tmp_path / "feeds.txt"
    path.write_text("# my feeds\nhttps://a.example/rss\n\n  http://b.example/atom.xml  \nhttps://a.example/rss\n", encoding="utf-8")
    assert read_feed_list(path) == ["https://a.example/rss", "http://b.example/atom.xml"]
    path.write_text("https://a.example/rss\nftp://c.example/feed\n", encoding="utf-8")
    with pytest.raises(StorylineError, match=r"feeds\.txt:2: not an http\(s\) URL: 'ftp://c\.example/feed'"):
        read_feed_list(path)
    path.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(StorylineError, match="no feed URLs"):
        read_feed_list(path)


@pytest.mark.parametrize("text, seconds", [("15m", 900), ("90", 90), ("90s", 90), ("2h", 7200), ("1d", 86400), ("0.5m", 30)])
def test_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0", "15 minutes", "-5m", "m"])
def test_bad_intervals(text):
    with pytest.raises(ValueError, match="not a polling interval"):
        parse_interval(text)
