"""HTML pages: main text and metadata via trafilatura."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import IngestError
from ..records import Article
from . import register
from .common import decode_html, load_bytes, parse_datetime
from .options import IngestOptions


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
        published=parse_datetime(document.date) or options.published,
        author=document.author or None,
        origin=source,
    )


@register(".html", ".htm", ".html.gz", ".htm.gz")
def read_html(path: Path, options: IngestOptions) -> Iterator[Article]:
    data = load_bytes(path, options.max_bytes, decompress=path.name.lower().endswith(".gz"))
    html = decode_html(data, str(path))
    yield article_from_html(html, str(path), path.name.split(".")[0], options)
