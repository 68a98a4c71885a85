"""Watch mode: poll feed URLs and hand only their new entries to a sink.

Polite by default: one HTTP client with a User-Agent naming storyline, a timeout on
every request, conditional GET (ETag / Last-Modified, so an unchanged feed costs a
304), and exponential backoff for a feed that keeps failing (a Retry-After header is
honoured). One failing feed is reported and retried later; the others go on.

State (each feed's validators and the ids of the entries already handed over) lives in
a small JSON file the caller names, e.g. beside the database. A feed's state is saved
only after the sink has taken its new entries, and the file is replaced atomically, so
stopping at any moment leaves either the old or the new state, never half of one; an
entry is at worst handed over twice, and the store's upserts make that harmless.
Ctrl-C (SIGINT) lets the current feed finish, then `watch` returns; a second Ctrl-C
interrupts at once.

`FeedWatcher.poll_due()` does one round without any loop, so watch mode is testable
without the CLI or the clock.
"""

from __future__ import annotations

import json
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from .errors import IngestError, StorylineError
from .ingest.options import IngestOptions
from .ingest.fetch import fetch_bytes, http_client
from .ingest.rss import entry_results, parse_feed
from .records import Article

DEFAULT_TIMEOUT_SECONDS = 20.0
MAX_BACKOFF_SECONDS = 6 * 3600.0
SEEN_IDS_PER_FEED = 5000  # more than any feed lists at once, so an entry is never seen as new twice
STATE_FORMAT = 1
_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

Sink = Callable[[list[Article]], object]


@dataclass
class FeedState:
    """What is remembered about one feed between polls (and between runs, in the state file)."""

    etag: str | None = None
    last_modified: str | None = None
    seen: list[str] = field(default_factory=list)  # article ids handed to the sink, oldest first
    failures: int = 0  # consecutive failed polls (not saved: a new run retries at once)
    due: float = 0.0  # clock time of the next poll (not saved)


@dataclass(frozen=True)
class PollReport:
    """The outcome of polling one feed; `str()` gives the one line to show a user."""

    url: str
    status: str  # "new", "unchanged", "not modified" or "failed"
    new: int = 0
    errors: tuple[IngestError, ...] = ()  # why the feed failed, or entries that could not be read
    retry_in: float | None = None  # seconds until a failed feed is tried again

    def __str__(self) -> str:
        if self.status == "failed":
            reason = self.errors[0].reason if self.errors else "failed"
            return f"{self.url}: {reason}; retrying in {format_interval(self.retry_in or 0)}"
        if self.status == "new":
            return f"{self.url}: {self.new} new"
        return f"{self.url}: {self.status}"


class WatchState:
    """Every feed's `FeedState`, saved to `path` (when given) as JSON."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.feeds: dict[str, FeedState] = {}
        if path is not None and path.exists():
            self.feeds = _load_state(path)

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState())

    def save(self) -> None:
        """Write the state file atomically: a reader sees the old file or the new one."""
        if self.path is None:
            return
        document = {
            "format": STATE_FORMAT,
            "feeds": {
                url: {"etag": state.etag, "last_modified": state.last_modified, "seen": state.seen}
                for url, state in self.feeds.items()
            },
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=self.path.name, suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


class FeedWatcher:
    """Polls a list of feeds; `poll_due()` polls those whose time has come and reports on each."""

    def __init__(
        self,
        feed_urls: Sequence[str],
        sink: Sink,
        *,
        every_seconds: float,
        state_path: Path | None = None,
        options: IngestOptions | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.feed_urls = list(dict.fromkeys(feed_urls))
        self.sink = sink
        self.every = every_seconds
        self.state = WatchState(state_path)
        self.options = options or IngestOptions()
        self.clock = clock
        self.client = http_client(timeout)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> FeedWatcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def seconds_until_due(self) -> float:
        now = self.clock()
        return max(0.0, min((self.state.feed(url).due for url in self.feed_urls), default=now) - now)

    def poll_due(self, stop: threading.Event | None = None) -> list[PollReport]:
        """Poll every feed that is due, one after the other; stop early (between feeds) when `stop` is set."""
        reports = []
        for url in self.feed_urls:
            if stop is not None and stop.is_set():
                break
            if self.state.feed(url).due <= self.clock():
                reports.append(self.poll(url))
        return reports

    def poll(self, url: str) -> PollReport:
        """Fetch one feed; hand its new entries to the sink; save its state."""
        state = self.state.feed(url)
        headers = {}
        if state.etag:
            headers["If-None-Match"] = state.etag
        if state.last_modified:
            headers["If-Modified-Since"] = state.last_modified
        try:
            response, body = fetch_bytes(
                self.client, url, self.options.max_bytes, headers, allow_private=self.options.allow_private_addresses
            )
        except IngestError as error:
            return self._failed(url, state, error)
        if response.status_code == 304:
            return self._succeeded(url, state, "not modified")
        if not response.is_success:
            return self._failed(url, state, IngestError(url, f"HTTP {response.status_code}"), _retry_after(response))
        try:
            feed = parse_feed(body, url, url=str(response.url))
        except IngestError as error:
            return self._failed(url, state, error)
        seen = set(state.seen)
        results = list(entry_results(feed, url, self.options, skip=seen, client=self.client))
        articles = [result for _, result in results if isinstance(result, Article)]
        errors = tuple(result for _, result in results if isinstance(result, IngestError))
        if articles:
            try:
                self.sink(articles)
            except StorylineError as error:
                # nothing is marked seen, so the same entries are offered again next time
                return self._failed(url, state, IngestError(url, f"could not store new entries ({error})"))
        state.seen = (state.seen + [article_id for article_id, _ in results if article_id is not None])[-SEEN_IDS_PER_FEED:]
        state.etag = response.headers.get("ETag")
        state.last_modified = response.headers.get("Last-Modified")
        return self._succeeded(url, state, "new" if articles else "unchanged", len(articles), errors)

    def _succeeded(
        self, url: str, state: FeedState, status: str, new: int = 0, errors: tuple[IngestError, ...] = ()
    ) -> PollReport:
        state.failures = 0
        state.due = self.clock() + self.every
        self.state.save()
        return PollReport(url, status, new, errors)

    def _failed(self, url: str, state: FeedState, error: IngestError, retry_after: float | None = None) -> PollReport:
        state.failures += 1
        delay = min(self.every * 2 ** (state.failures - 1), max(self.every, MAX_BACKOFF_SECONDS))
        if retry_after is not None:
            delay = max(delay, retry_after)
        state.due = self.clock() + delay
        return PollReport(url, "failed", errors=(error,), retry_in=delay)


def watch(
    feed_urls: Sequence[str],
    every_seconds: float,
    sink: Sink,
    *,
    state_path: Path | None = None,
    options: IngestOptions | None = None,
    on_report: Callable[[PollReport], object] | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    rounds: int | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Poll `feed_urls` every `every_seconds` until Ctrl-C, `stop` is set, or `rounds` rounds are done.

    `sink` receives each feed's new articles as one list (e.g. `Storyline.add_articles`);
    `on_report` receives a `PollReport` per feed polled. Returns how many articles the
    sink received.
    """
    if every_seconds <= 0:
        raise ValueError("the polling interval must be positive")
    if not feed_urls:
        raise ValueError("no feed URLs to watch")
    stop = stop or threading.Event()
    handed_over = 0
    done = 0
    with FeedWatcher(
        feed_urls, sink, every_seconds=every_seconds, state_path=state_path, options=options, timeout=timeout
    ) as watcher, _interrupt_sets(stop):
        while not stop.is_set():
            for report in watcher.poll_due(stop):
                handed_over += report.new
                if on_report is not None:
                    on_report(report)
            done += 1
            if rounds is not None and done >= rounds:
                break
            stop.wait(watcher.seconds_until_due())
    return handed_over


def read_feed_list(path: str | Path) -> list[str]:
    """Feed URLs from a file: one per line; blank lines and '#' comments ignored; duplicates once."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise StorylineError(f"{path}: no such feeds file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise StorylineError(f"{path}: cannot read feeds file ({error})") from None
    urls: list[str] = []
    for number, line in enumerate(lines, start=1):
        url = line.strip()
        if not url or url.startswith("#"):
            continue
        if not url.lower().startswith(("http://", "https://")):
            raise StorylineError(f"{path}:{number}: not an http(s) URL: {url!r}")
        urls.append(url)
    if not urls:
        raise StorylineError(f"{path}: no feed URLs in the file")
    return list(dict.fromkeys(urls))


def parse_interval(text: str) -> float:
    """Seconds in '90', '90s', '15m', '2h' or '1d'; ValueError naming the text otherwise."""
    match = _INTERVAL.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"not a polling interval: {text!r} (use e.g. 90s, 15m, 2h, 1d)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


def format_interval(seconds: float) -> str:
    """'45 s', '15 min', '2 h': for messages."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@contextmanager
def _interrupt_sets(stop: threading.Event) -> Iterator[None]:
    """While inside, a first Ctrl-C sets `stop` (the current feed finishes); a second one interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return

    def on_interrupt(signum: int, frame: object) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        # None: the previous handler was not set from Python; the default one is the closest
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429/503 answer asks us to wait (Retry-After as seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _load_state(path: Path) -> dict[str, FeedState]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        feeds = document["feeds"]
        return {
            url: FeedState(etag=entry.get("etag"), last_modified=entry.get("last_modified"), seen=list(entry.get("seen", [])))
            for url, entry in feeds.items()
        }
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
        raise StorylineError(f"{path}: unreadable watch state ({error}); delete it to start afresh") from None
