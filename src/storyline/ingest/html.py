"""HTML pages: main text and metadata via trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from ..errors import IngestError
from ..records import Article
from . import register
from .common import decode_html, load_bytes, parse_datetime
from .options import IngestOptions

# meta tags that carry the publication moment with its time of day; trafilatura keeps the day only
PUBLISHED_TIME_META = re.compile(
    r"""<meta\s[^>]*(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|og:article:published_time|datePublished)["'][^>]*>""",
    re.IGNORECASE,
)
META_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
HAS_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def published_time(html: str) -> datetime | None:
    """The publication moment of a page's `article:published_time` (or `datePublished`) meta
    tag when it gives a time of day, as naive UTC; None otherwise."""
    for tag in PUBLISHED_TIME_META.finditer(html):
        content = META_CONTENT.search(tag.group())
        if content and HAS_TIME.match(content.group(1).strip()):
            moment = parse_datetime(content.group(1))
            if moment is not None:
                return moment
    return None


def _published(html: str, day: str | None) -> datetime | None:
    """The page's date as trafilatura found it, with the time of day of its meta tag where that
    tag names the same day (give or take the day a time zone can move it)."""
    dated = parse_datetime(day)
    precise = published_time(html)
    if precise is not None and (dated is None or abs((precise - dated).days) <= 1):
        return precise
    return dated


def article_from_html(html: str, source: str, article_id: str, options: IngestOptions, url: str | None = None) -> Article:
    """One article from an HTML page, or IngestError when no main text is found."""
    import trafilatura  # heavy import, only when HTML is read

    # no extensive date search: it dates undated pages from any year named in their text
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or not (document.text or "").strip():
        raise IngestError(source, "no article text found in the HTML page")
    return Article(
        id=article_id,
        text=document.text,
        title=document.title or None,
        source=options.source or document.sitename or document.hostname or None,
        url=document.url or url,
        published=_published(html, document.date) or options.published,
        author=document.author or None,
        origin=source,
    )


@register(".html", ".htm", ".html.gz", ".htm.gz")
def read_html(path: Path, options: IngestOptions) -> Iterator[Article]:
    data = load_bytes(path, options.max_bytes, decompress=path.name.lower().endswith(".gz"))
    html = decode_html(data, str(path))
    yield article_from_html(html, str(path), path.name.split(".")[0], options)
