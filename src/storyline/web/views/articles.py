"""One article (`storyline.pages.articles`): its text highlighted as HTML, and its JSON twin."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from ...pages.articles import ArticlePage, Highlight, article_page
from .base import accounts_of, render, storyline_of

router = APIRouter(tags=["articles"])


def page_of(request: Request, article_id: Annotated[str, Path(max_length=500, description="an article id")]) -> ArticlePage:
    return article_page(storyline_of(request), article_id, accounts_of(request))


# ---- the highlighted text ---------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Non-overlapping highlights, in text order; a later one overlapping an earlier is left out."""

    starts: list[int]
    items: list[Highlight]

    @classmethod
    def of(cls, highlights: list[Highlight]) -> Layer:
        kept: list[Highlight] = []
        for item in sorted(highlights, key=lambda h: (h.start, -h.end)):
            if item.end > item.start and (not kept or item.start >= kept[-1].end):
                kept.append(item)
        return cls([item.start for item in kept], kept)

    def at(self, offset: int) -> Highlight | None:
        index = bisect_right(self.starts, offset) - 1
        if index >= 0 and self.items[index].start <= offset < self.items[index].end:
            return self.items[index]
        return None


# a line break between paragraphs, however many newlines the source used: shown as a blank line
PARAGRAPH_BREAK = re.compile(r"[ \t]*\n(?:[ \t]*\n)*[ \t]*")


def body_start(text: str, title: str | None) -> int:
    """Where the text starts after its own first line when that line is the title (a plain-text
    article keeps its headline in the text): the page shows the title once, as its heading."""
    lead = len(text) - len(text.lstrip())
    if title and text[lead:].startswith(title.strip()):
        after = lead + len(title.strip())
        if after == len(text) or text[after] == "\n":
            return after + len(text[after:]) - len(text[after:].lstrip())
    return 0


def highlighted_text(page: ArticlePage) -> Markup:
    """The article text as HTML: quotes shaded, actors and event words marked, each a link.

    Highlights can nest (an actor named inside a quote); links cannot, so the text is cut at
    every highlight boundary and each piece links to its innermost highlight, with the
    classes of all that cover it. Every place a highlight or a summary citation starts
    carries an id (`at-<offset>`) that other pages link to.
    """
    text = page.text
    body = body_start(text, page.title)
    outer = Layer.of([h for h in page.highlights if h.kind == "quote"])
    inner = Layer.of([h for h in page.highlights if h.kind != "quote"])
    anchors = {h.start for h in outer.items + inner.items} | set(page.summary_citations)
    cuts = sorted({body, len(text)} | anchors | {h.end for h in outer.items + inner.items})
    pieces: list[Markup] = []
    for start, end in zip(cuts, cuts[1:]):
        if not body <= start < end <= len(text):
            continue
        quote, mark = outer.at(start), inner.at(start)
        target = mark or quote
        identity = Markup(f' id="at-{start}"') if start in anchors else Markup("")
        content = escape(PARAGRAPH_BREAK.sub("\n\n", text[start:end]))
        if target is None:
            pieces.append(Markup(f"<span{identity}>{content}</span>") if identity else content)
            continue
        classes = " ".join(f"hl-{h.kind}" for h in (quote, mark) if h)
        pieces.append(
            Markup(f'<a class="hl {classes}" href="{escape(target.href)}" title="{escape(target.label)}"{identity}>{content}</a>')
        )
    return Markup("").join(pieces)


@router.get("/articles/{article_id:path}.json", response_model=ArticlePage, summary="One article with its highlights")
def article_json(page: Annotated[ArticlePage, Depends(page_of)]) -> ArticlePage:
    return page


@router.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
def article_html(request: Request, page: Annotated[ArticlePage, Depends(page_of)]) -> HTMLResponse:
    return render(request, "article.html", page, text=highlighted_text(page))
