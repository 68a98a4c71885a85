"""Every HTML page links its JSON twin, and shows what the twin holds."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from tests.web.fixtures import HOSTILE_ARTICLE, STORIES


class Page(HTMLParser):
    """What a test needs of an HTML page: links, ids, the JSON alternate, and the text."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.ids: set[str] = set()
        self.alternate: str | None = None
        self.text_parts: list[str] = []
        self._open_links: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "link" and attributes.get("rel") == "alternate" and attributes.get("type") == "application/json":
            self.alternate = attributes["href"]
        if tag == "a" and "href" in attributes:
            self._open_links.append([attributes["href"], ""])

    def handle_endtag(self, tag):
        if tag == "a" and self._open_links:
            self.links.append(tuple(self._open_links.pop()))

    def handle_data(self, data):
        self.text_parts.append(data)
        for link in self._open_links:
            link[1] += data

    @property
    def text(self) -> str:
        return "".join(self.text_parts)

    @property
    def hrefs(self) -> set[str]:
        return {href for href, _ in self.links}


def both(client, path: str) -> tuple[Page, dict]:
    html = client.get(path)
    assert html.status_code == 200, html.text
    assert html.headers["content-type"].startswith("text/html")
    page = Page(html.text)
    twin = client.get(page.alternate)
    assert twin.status_code == 200 and twin.headers["content-type"] == "application/json"
    return page, twin.json()


PAGES = [
    "/stories",
    "/stories?q=harbour&outlet=Daily+Ledger",
    "/stories?limit=1&offset=1",
    *[f"/stories/{story_id}" for story_id in STORIES],
    "/storylines",
    "/storylines/harbour-vote",
    "/actors",
    "/actors?q=alder",
    "/actors/ines-alder",
    "/actors/hostile-img",
    "/articles/courier-harbour-vote",
    f"/articles/{quote(HOSTILE_ARTICLE, safe='')}",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_links_its_json_twin(client, path):
    page, _ = both(client, path)
    expected = path.split("?")[0] + ".json" + (f"?{path.split('?')[1]}" if "?" in path else "")
    assert page.alternate == expected


@pytest.mark.parametrize("path", ["/stories", "/stories?q=harbour", "/stories?order=newest&limit=2"])
def test_stories_page_shows_the_twin(client, path):
    page, data = both(client, path)
    shown = dict(page.links)
    for story in data["stories"]:
        assert shown[story["href"]].strip() == (story["headline"] or "(untitled story)")
        for actor in story["actors"]:
            assert actor["href"] in page.hrefs
        assert f"{story['articles']} article" in page.text
    for link in ("next", "previous"):
        if data["pagination"][link]:
            assert data["pagination"][link].replace(".json", "") in page.hrefs


@pytest.mark.parametrize("story_id", list(STORIES))
def test_story_page_shows_the_twin(client, story_id):
    page, data = both(client, f"/stories/{story_id}")
    assert data["headline"] in page.text
    for sentence in data["summary"]:
        assert sentence["text"] in page.text
        assert {c["href"] for c in sentence["citations"]} <= page.hrefs
    for actor in data["actors"]:
        assert actor["anchor"] in page.ids and actor["href"] in page.hrefs
    for group in data["quotes"]:
        assert group["name"] in page.text
        for item in group["quotes"]:
            assert item["anchor"] in page.ids and item["text"] in page.text
            assert all(drift in page.text for drift in item["drift"])
    for item in data["events"]:
        assert item["anchor"] in page.ids
    for article in data["articles"]:
        assert article["href"] in page.hrefs
    for entry in data["timeline"]:
        if entry["href"] and entry["when"]:
            assert entry["href"] in page.hrefs  # a dot on the timeline picture


@pytest.mark.parametrize("actor_id", ["ines-alder", "port-board", "hostile-img"])
def test_actor_page_shows_the_twin(client, actor_id):
    page, data = both(client, f"/actors/{actor_id}")
    assert data["name"] in page.text
    for role in data["roles"]:
        assert role in page.text
    for story in data["stories"]:
        assert story["href"] in page.hrefs
    for item in data["quotes"]:
        assert (item["href"], item["text"]) in page.links
    for item in data["events"]:
        assert item["href"] in page.hrefs


@pytest.mark.parametrize("article_id", ["courier-harbour-vote", "wire-harbour-open", HOSTILE_ARTICLE])
def test_article_page_shows_the_twin(client, article_id):
    page, data = both(client, f"/articles/{quote(article_id, safe='')}")
    assert page.text.count(data["text"][:40]) == 1
    for highlight in data["highlights"]:
        assert highlight["href"] in page.hrefs
        assert f"at-{highlight['start']}" in page.ids


def test_article_highlights_land_on_story_items(client):
    """Each highlight's link goes to an element that exists on the story page."""
    article = client.get("/articles/courier-harbour-vote.json").json()
    story = Page(client.get("/stories/harbour-vote").text)
    for highlight in article["highlights"]:
        path, _, fragment = highlight["href"].partition("#")
        assert path == "/stories/harbour-vote"
        assert fragment in story.ids, highlight


def test_a_story_page_links_its_storyline_and_the_storyline_shows_its_stories_on_one_timeline(client):
    page, twin = both(client, "/stories/hostile-story")
    assert twin["storyline"]["id"] == "harbour-vote" and twin["storyline"]["continues"] == "harbour-vote"
    assert "/storylines/harbour-vote" in page.hrefs
    page, twin = both(client, "/storylines/harbour-vote")
    assert [story["id"] for story in twin["stories"]] == ["harbour-vote", "hostile-story"]
    assert twin["stories"][1]["continues"] == "harbour-vote" and twin["stories"][1]["shared_actors"] == ["ines-alder"]
    html = client.get("/storylines/harbour-vote").text
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 1 and "<script" not in html.split("<svg", 1)[1]
    for story in twin["stories"]:
        assert story["href"] in page.hrefs
        assert {article["href"] for article in story["reports"]} <= page.hrefs  # every dot links its article


def test_a_story_in_no_storyline_says_so_and_an_unknown_storyline_is_404(client):
    _, twin = both(client, "/stories/bridge-repairs")
    assert twin["storyline"] is None
    assert client.get("/storylines/no-such.json").status_code == 404
    _, listing = both(client, "/storylines")
    assert [item["id"] for item in listing["storylines"]] == ["harbour-vote"] and listing["pagination"]["total"] == 1
