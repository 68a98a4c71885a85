"""Search results show the passage that matched, words marked, for stories and for articles."""

from __future__ import annotations


def test_stories_carry_their_best_passage(client):
    data = client.get("/stories.json", params={"q": '"keep the harbour open"'}).json()
    (story,) = data["stories"]
    passage = story["passage"]
    # FTS5 marks the phrase alone; PostgreSQL's ts_headline marks its words wherever they stand
    marked = [passage["text"][start:end] for start, end in passage["marks"]]
    assert "keep the harbour open" in marked
    assert passage["href"].startswith("/articles/")
    page = client.get("/stories", params={"q": '"keep the harbour open"'}).text
    assert "<mark>keep the harbour open</mark>" in page


def test_matching_articles_are_listed_with_passages(client):
    data = client.get("/stories.json", params={"q": "grandstanding OR repairs"}).json()
    assert {a["id"] for a in data["articles"]} == {"ledger-board-accuses", "post-bridge-repairs"}
    assert data["articles_page"]["total"] == 2
    page = client.get("/stories", params={"q": "grandstanding OR repairs"}).text
    assert "Articles matching" in page and "<mark>grandstanding</mark>" in page


def test_marked_text_stays_escaped():
    from storyline.web.views.base import marked

    assert str(marked("<b>a</b> harbour", [(9, 16)])) == "&lt;b&gt;a&lt;/b&gt; <mark>harbour</mark>"


def test_no_search_no_passages(client):
    data = client.get("/stories.json").json()
    assert data["articles"] == [] and data["articles_page"] is None
    assert all(story["passage"] is None for story in data["stories"])
