"""The article page's text: the headline once, paragraphs apart, spaces kept around highlights."""

from __future__ import annotations

from storyline.web.views.articles import ArticlePage, Highlight, body_start, highlighted_text

TEXT = "Council backs harbour plan\n\nThe council ordered two inquiries.\nThe mayor said nothing."


def page(text: str, title: str | None, highlights=()) -> ArticlePage:
    return ArticlePage(
        id="a", title=title, outlet=None, published=None, author=None, url=None, version=1, story=None,
        copy_of=None, copy_of_href=None, text=text, actors=[], highlights=list(highlights), summary_citations=[],
    )


def test_the_title_line_is_not_repeated_in_the_text():
    assert body_start(TEXT, "Council backs harbour plan") == TEXT.index("The council")
    assert body_start(TEXT, "Another title") == 0
    assert body_start("Council backs harbour plans today.", "Council backs harbour plan") == 0  # not a whole line
    html = str(highlighted_text(page(TEXT, "Council backs harbour plan")))
    assert "Council backs harbour plan" not in html and html.startswith("The council")


def test_paragraphs_stay_apart_and_words_keep_their_spaces():
    start = TEXT.index("ordered")
    marked = Highlight(kind="event", start=start, end=start + 7, text="ordered", label="COERCE", href="#e")
    html = str(highlighted_text(page(TEXT, "Council backs harbour plan", [marked])))
    assert '>ordered</a> two inquiries.' in html  # the space after a highlight stays
    assert "inquiries.\n\nThe mayor" in html  # a single newline between paragraphs shown as a blank line
