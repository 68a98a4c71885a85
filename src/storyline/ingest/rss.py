"""RSS and Atom feeds (feedparser): each entry becomes an article.

An entry carrying full content (`content:encoded`, Atom `<content>`) keeps it; an entry
with only a summary is ingested from the summary and marked `extra["summary_only"]`.
With `IngestOptions.fetch`, the linked page of each summary-only entry is fetched and
its main text extracted (trafilatura); when the network does not allow it the summary
stays and `extra["fetch_error"]` says why. Fetching is bounded and refuses private
addresses unless allowed (see `fetch.py`).

A file that is not a feed fails with one line naming its root element; malformed XML
that feedparser's lenient parser reads past yields the entries it recovered and one
line naming where the XML broke.

Article ids hash the entry's link (else its guid or title and date, scoped by the feed),
so re-reading a feed, or polling it again in watch mode, gives the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx

from ..errors import IngestError
from ..records import Article
from . import register
from .common import decode_html, load_bytes, parse_datetime
from .fetch import fetch_bytes, http_client, is_http_url
from .html import article_from_html
from .options import IngestOptions

FEED_ROOTS = {"rss", "feed", "rdf:rdf"}
# feedparser flags these but reads the feed correctly anyway
BENIGN_PARSE_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
HTML_TYPES = {"text/html", "application/xhtml+xml"}
ID_HEX_DIGITS = 16

_ROOT_ELEMENT = re.compile(rb"<([A-Za-z_][\w:.-]*)")
_LEADING_MARKUP = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Feed:
    """A parsed feed: its title and link, its entries, and the XML problem read past, if any."""

    title: str | None
    link: str | None
    entries: tuple[Any, ...]  # feedparser entry dicts
    malformed: str | None = None  # where and why the XML broke, when feedparser recovered


def parse_feed(data: bytes, source: str, *, url: str | None = None) -> Feed:
    """The feed in `data`, or IngestError(source, reason) when it is not RSS or Atom."""
    headers = {"content-location": url} if url else None  # base for relative links
    parsed = feedparser.parse(data, response_headers=headers)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(problem, BENIGN_PARSE_PROBLEMS):
        problem = None
    if not parsed.version:
        root = root_element(data)
        if root is not None and root.lower() not in FEED_ROOTS:
            raise IngestError(source, f"not RSS or Atom (root <{root}>)")
        if problem is not None:
            raise IngestError(source, f"malformed XML {_describe(problem)}")
        raise IngestError(source, "not RSS or Atom (no feed element found)")
    return Feed(
        title=_plain(parsed.feed.get("title"), parsed.feed.get("title_detail")) or None,
        link=parsed.feed.get("link") or url,
        entries=tuple(parsed.entries),
        malformed=_describe(problem) if problem is not None else None,
    )


def root_element(data: bytes) -> str | None:
    """Name of the first element, past the XML declaration, comments and doctype."""
    position = 0
    head = data[:65536].lstrip(b"\xef\xbb\xbf")
    while match := _LEADING_MARKUP.match(head, position):
        position = match.end()
    found = _ROOT_ELEMENT.match(head, position) or _ROOT_ELEMENT.search(head, position)
    return found.group(1).decode("ascii", "replace") if found else None


def entry_results(
    feed: Feed,
    source: str,
    options: IngestOptions,
    *,
    skip: Collection[str] = frozenset(),
    client: httpx.Client | None = None,
) -> Iterator[tuple[str | None, Article | IngestError]]:
    """(article id, Article or IngestError) per entry whose id is not in `skip`.

    A malformed feed ends with (None, IngestError) naming where the XML broke and how many
    entries were recovered; its entries without text are covered by that line. With
    `options.fetch`, pages are fetched with `client` (one is made when not given).
    """
    fetcher = _PageFetcher(client, options) if options.fetch else None
    recovered = 0
    try:
        for number, entry in enumerate(feed.entries, start=1):
            where = f"{source}#{number}"
            article_id = entry_id(entry, feed, source)
            if article_id in skip:
                continue
            try:
                article = _article(entry, article_id, feed, where, options)
            except IngestError as error:
                if feed.malformed is None:
                    yield article_id, error
                continue
            if fetcher is not None and article.extra.get("summary_only") and article.url:
                article = fetcher.full_article(article)
            recovered += 1
            yield article_id, article
    finally:
        if fetcher is not None:
            fetcher.close()
    if feed.malformed is not None:
        yield None, IngestError(source, f"malformed XML {feed.malformed}; {recovered} of {len(feed.entries)} entries recovered")


def entry_id(entry: Any, feed: Feed, source: str) -> str:
    """Stable article id of an entry: its link, else its guid or title and date within the feed."""
    link = entry.get("link")
    if link:
        key = link.split("#")[0]
    else:
        scope = feed.link or source
        local = entry.get("id") or f"{entry.get('title', '')}\n{entry.get('published') or entry.get('updated') or ''}"
        key = f"{scope}\n{local}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:ID_HEX_DIGITS]


@register(".rss", ".atom", ".xml", ".feed")
def read_feed(path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    data = load_bytes(path, options.max_bytes)
    feed = parse_feed(data, str(path))
    for _, result in entry_results(feed, str(path), options):
        yield result


def _article(entry: Any, article_id: str, feed: Feed, where: str, options: IngestOptions) -> Article:
    content = _content_text(entry)
    summary = _plain(entry.get("summary"), entry.get("summary_detail"))
    text = content or summary
    if not text:
        raise IngestError(where, "entry has no text (neither content nor summary)")
    detail = entry.get("author_detail") or {}
    return Article(
        id=article_id,
        text=text,
        title=_plain(entry.get("title"), entry.get("title_detail")) or None,
        source=options.source or feed.title,
        url=entry.get("link") or None,
        published=_entry_date(entry) or options.published,
        author=detail.get("name") or entry.get("author") or None,
        origin=where,
        extra={} if content else {"summary_only": True},
    )


def _content_text(entry: Any) -> str:
    """The longest full-content block of an entry, as text."""
    texts = [_plain(block.get("value"), block) for block in entry.get("content") or ()]
    return max(texts, key=len, default="")


def _plain(value: str | None, detail: Any) -> str:
    """A feed text field as plain text: HTML and XHTML are reduced to their text."""
    if not value:
        return ""
    if detail and detail.get("type") in HTML_TYPES:
        return fragment_text(value)
    return value.strip()


def _entry_date(entry: Any) -> datetime | None:
    for field in ("published", "updated", "created"):
        moment = entry.get(f"{field}_parsed")
        if moment:  # feedparser gives a UTC struct_time; records hold naive UTC
            return datetime(*moment[:6])
        if entry.get(field):
            parsed = parse_datetime(entry.get(field))
            if parsed:
                return parsed
    return None


def _describe(problem: Exception) -> str:
    """'at line 3, column 63 (unclosed token)' from a SAX error; the message otherwise."""
    line = getattr(problem, "getLineNumber", None)
    column = getattr(problem, "getColumnNumber", None)
    message = getattr(problem, "getMessage", None)
    if callable(line) and callable(column) and callable(message):
        return f"at line {line()}, column {column()} ({message()})"
    return f"({problem})"


class _TextCollector(HTMLParser):
    """Text of an HTML fragment, with blank lines between blocks and no scripts or styles."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "section", "article", "figure", "figcaption", "hr"}
    HIDDEN = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line, spaces collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    blocks = ("".join(collector.parts)).split("\n\n")
    return "\n\n".join(" ".join(block.split()) for block in blocks if block.strip())


class _PageFetcher:
    """Fetches linked pages for summary-only entries; gives up on a host it cannot reach."""

    def __init__(self, client: httpx.Client | None, options: IngestOptions):
        self.options = options
        self.own_client = client is None
        self.client = client or http_client()
        self.unreachable: dict[str, str] = {}

    def full_article(self, article: Article) -> Article:
        """The article with the page's main text, or with `fetch_error` when that failed."""
        host = urlsplit(article.url or "").hostname or ""
        reason = self.unreachable.get(host)
        if reason is None:
            try:
                page = self._page(article)
            except IngestError as error:
                reason = error.reason
                if reason.startswith(("cannot connect", "timed out")):
                    self.unreachable[host] = reason
            else:
                # the feed's own title, date and author are authoritative; the page fills gaps
                return replace(
                    article,
                    text=page.text,
                    title=article.title or page.title,
                    source=article.source or page.source,
                    published=article.published or page.published,
                    author=article.author or page.author,
                    extra={"fetched": True},
                )
        return replace(article, extra={**article.extra, "fetch_error": reason})

    def _page(self, article: Article) -> Article:
        url = article.url or ""
        if not is_http_url(url):
            raise IngestError(url, "not an http(s) link")
        response, body = fetch_bytes(self.client, url, self.options.max_bytes, allow_private=self.options.allow_private_addresses)
        if not response.is_success:
            raise IngestError(url, f"HTTP {response.status_code}")
        if "html" not in response.headers.get("content-type", "html"):
            raise IngestError(url, f"not an HTML page ({response.headers['content-type']})")
        html = _decode(body, response, url)
        return article_from_html(html, url, article.id, self.options, url=str(response.url))

    def close(self) -> None:
        if self.own_client:
            self.client.close()


def _decode(body: bytes, response: httpx.Response, source: str) -> str:
    charset = response.charset_encoding
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_html(body, source)
