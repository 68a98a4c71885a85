"""The UI in a real browser: Debian's Chromium, headless, driven by Playwright.

A uvicorn server on a free loopback port serves a store holding the demo corpus (run through
the real pipeline) and the hand-made stories, on SQLite and then on PostgreSQL; hostile
articles are added through the API.
Screenshots go to test-artifacts/. Without Chromium the tests are skipped, except in CI
(CI=true), where they must run.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import BACKENDS, REPO, fresh_store
from tests.web.conftest import TOKEN
from tests.web.fixtures import HOSTILE_ARTICLE, IFRAME, IMG, SCRIPT, SVG, write_stories

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts"


def require_browser():
    reason = None
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright is not installed (make install)"
    if reason and os.environ.get("CI"):
        pytest.fail(f"the browser tests must run in CI: {reason}")
    if reason:
        pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, tmp_path_factory):
    """The app under uvicorn in a thread of this process, so the spaCy model loads once; its
    store on each back-end in turn."""
    require_browser()
    with fresh_store(request.param, tmp_path_factory.mktemp("browser")) as url:
        yield from serve(url)


def serve(url: str):
    """The demo corpus and the hand-made stories stored at `url`, served; yields the address."""
    import uvicorn

    from storyline import Storyline
    from storyline.library import demo_corpus
    from storyline.web import create_app

    store = Storyline(url, processes=1)
    report = store.ingest([demo_corpus()])
    assert report.ok and report.added > 0
    write_stories(store.repo)
    link_the_port_dispute(store)
    port = free_port()
    config = uvicorn.Config(create_app(store, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    store.repo.engine.dispose()


PORT_DISPUTE = "anna-kovac"  # the demo's port dispute runs over weeks: a storyline


def link_the_port_dispute(store) -> None:
    """The demo's port-dispute stories as one storyline, unless the pipeline made one of them
    already (this release's linker makes none on the demo: docs/storylines.md)."""
    from storyline.records import StoryFilter, StoryLink

    stories, _ = store.find_stories(StoryFilter(actor=PORT_DISPUTE, order="newest"), limit=10)
    stories = sorted(stories, key=lambda story: story.first)
    if len(stories) < 2 or any(store.story_storyline(story.id) for story in stories):
        return
    first = stories[0].id
    links = [StoryLink(first, first, first, 1.0, ())]
    links += [StoryLink(later.id, first, earlier.id, 0.5, (PORT_DISPUTE,)) for earlier, later in zip(stories, stories[1:])]
    with store.repo.write() as session:
        store.repo.save_story_links(session, links)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A fresh page that may reach nothing but the server, and records what it tried."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    tab = context.new_page()
    tab.outside_requests = []
    tab.dialogs = []
    tab.errors = []

    def only_this_server(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            tab.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_read_a_story_from_search_to_article(page):
    page.goto("/stories")
    assert page.locator("ol.stories > li").count() >= 7
    shot(page, "01-stories")

    page.locator("header form.search input[name=q]").fill("ceasefire")
    page.locator("header form.search button").click()
    page.wait_for_url("**/stories?q=ceasefire")
    assert page.locator("form.filters input[name=q]").input_value() == "ceasefire"
    # the biggest story that mentions it: the one with most to draw
    page.locator("form.filters select[name=order]").select_option("biggest")
    page.locator("form.filters button").click()
    page.wait_for_url("**/stories?q=ceasefire*order=biggest*")
    results = page.locator("ol.stories > li a.headline")
    assert results.count() >= 1
    shot(page, "02-search")

    results.first.click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text()
    # the pictures are drawn: dots on the timeline, actors and links in the network, heat-map cells
    assert page.locator("#timeline svg.timeline circle.mark").count() >= 2
    assert page.locator("#actors svg.network circle.node").count() >= 2
    assert page.locator("#actors svg.network line.edge").count() >= 1
    assert page.locator("#coverage svg.heatmap rect.cell").count() >= 2
    timeline_box = page.locator("#timeline svg").bounding_box()
    assert timeline_box["width"] > 400 and timeline_box["height"] > 60
    shot(page, "03-story")

    page.locator("#articles ol.articles a").first.click()
    page.wait_for_url("**/articles/*")
    highlights = page.locator(".text a.hl")
    assert highlights.count() >= 3
    assert page.locator(".text a.hl-actor").count() >= 1
    shot(page, "04-article")

    highlight = page.locator(".text a.hl-actor").first
    highlight.click()
    page.wait_for_url("**/stories/*#actor-*")
    target = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{target}']").count() == 1

    assert page.outside_requests == [] and page.dialogs == [] and page.errors == []


def test_actor_page_and_docs(page):
    page.goto("/stories")
    page.locator("ol.stories .actors a.chip").first.click()
    page.wait_for_url("**/actors/*")
    assert page.locator("#stories ol.stories > li").count() >= 1
    shot(page, "05-actor")

    page.goto("/docs")
    assert page.locator("section.operation").count() >= 5
    assert page.get_by_text("/stories/{story_id}.json").count() >= 1
    shot(page, "06-docs")
    assert page.outside_requests == []


def test_hostile_articles_run_nothing(page, server):
    """Markup in article text, titles, outlets, actor names, quotes and events stays text."""
    posted = httpx.post(
        f"{server}/api/articles",
        headers={"authorization": f"Bearer {TOKEN}"},
        json={
            "articles": [
                {
                    "id": "posted-hostile",
                    "title": f"Harbour row {SCRIPT}",
                    "source": f"Outlet {IMG}",
                    "url": "javascript:window.__pwned='link'",
                    "published": "2026-05-02T10:00:00",
                    "text": f"Minister Ines Alder {IMG} said: “{SCRIPT} we will act {SVG}.” "
                    f"The Port Board {IFRAME} rejected the plan on Tuesday.",
                }
            ]
        },
        timeout=120,
    )
    assert posted.status_code == 200, posted.text
    (stored,) = posted.json()["articles"]
    pages = [
        stored["href"],
        stored["story_href"],
        "/stories?q=harbour",
        f"/articles/{quote(HOSTILE_ARTICLE, safe='')}",
        "/stories/hostile-story",
        "/actors/hostile-img",
        "/actors/hostile-breaker",
    ]
    for number, path in enumerate(pages):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("script, iframe, img, body[onload]").count() == 0, path
        assert page.locator("svg[onload]").count() == 0, path
        if number == 0:
            shot(page, "07-hostile-article")
            assert page.get_by_text(SCRIPT).count() >= 1  # shown, as text
            assert page.locator("a[href^='javascript']").count() == 0
    assert page.dialogs == [] and page.errors == [] and page.outside_requests == []


# ---- what a first day needs: complete heat-maps, spacing, exports, charts, search -------------

SCREENSHOTS = REPO / "docs" / "screenshots"
FLOODS = "/stories/meridian-0317-rivena-floods"


def test_heatmap_rows_are_complete_or_say_how_many_more(page):
    page.goto(FLOODS)
    rows = page.request.get(f"{FLOODS}.json").json()["coverage"]["rows"]
    captions = page.locator("#coverage svg.heatmap text").all_text_contents()
    for kind in ("actor", "quote", "event"):
        total = sum(1 for row in rows if row["kind"] == kind)
        more = total - 12
        if more > 0:
            assert f"and {more} more {kind}s" in captions
            page.locator(f"#coverage svg.heatmap a[href='#all-{kind}s']").click()
            # the fragment opens the full table, every row in it
            assert page.locator(f"[id=all-{kind}s] tbody tr").count() == total
            assert page.locator(f"[id=all-{kind}s] tbody tr").first.is_visible()
    # no label is cut off at the picture's left edge
    left = page.locator("#coverage svg.heatmap").bounding_box()["x"]
    for caption in page.locator("#coverage svg.heatmap text[text-anchor='end']").all():
        assert caption.bounding_box()["x"] >= left - 0.5


def test_highlighted_words_keep_their_spaces(page):
    page.goto(FLOODS)
    for sentence in page.locator("#events .sentence").all()[:12]:
        text = sentence.inner_text()
        mark = sentence.locator("mark").inner_text()
        at = text.index(mark) + len(mark)
        # a marked word is followed by a space or punctuation, never glued to the next word
        assert at == len(text) or not text[at].isalnum(), text
    article = page.request.get(f"{FLOODS}.json").json()["articles"][0]
    page.goto(article["href"])
    shown = " ".join(page.locator(".text").inner_text().split())
    stored = " ".join(page.request.get(f"{article['href']}.json").json()["text"].split())
    assert stored.endswith(shown) and len(shown) > 0.8 * len(stored)  # the text itself, headline shown once
    assert page.locator("h1").inner_text() not in shown[:200]


def test_export_links_give_csv(page):
    page.goto("/stories?q=floods")
    href = page.locator("footer a.csv").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text().splitlines()[0].startswith("story_id,headline,articles")
    page.goto(FLOODS)
    for table in ("articles", "actors", "quotes", "events"):
        link = page.locator(f"#{table} h2 a.export")
        assert link.is_visible()
        rows = page.request.get(link.get_attribute("href")).text().splitlines()
        assert rows[0].startswith("story_id,article_id,outlet,url,published") and len(rows) > 1


def test_coverage_over_time_chart(page):
    page.goto(FLOODS)
    days = page.request.get(f"{FLOODS}.json").json()["per_day"]
    chart = page.locator("#coverage-over-time svg.per-day")
    assert chart.locator("rect.bar").count() == len(days) >= 2
    counts = chart.locator("text.count").all_text_contents()
    assert sorted(map(int, counts)) == sorted(day["articles"] for day in days)
    box = chart.bounding_box()
    for label in chart.locator("text.day").all():
        inside = label.bounding_box()
        assert box["x"] <= inside["x"] and inside["x"] + inside["width"] <= box["x"] + box["width"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "story.png"))


def search(page, words: str) -> None:
    page.goto("/stories")
    page.locator("header form.search input[name=q]").fill(words)
    page.locator("header form.search button").click()
    page.wait_for_load_state("load")


def test_search_results_show_the_matching_passage(page):
    search(page, "ceasefire")
    passages = page.locator("ol.stories .passage mark")
    assert passages.count() >= 1 and all(word.lower() == "ceasefire" for word in passages.all_inner_texts())
    assert page.locator("#matching-articles .article-hits li .passage mark").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"))


def test_phrase_and_or_search(page):
    def found(words: str) -> set[str]:
        search(page, words)
        return {href.rsplit("/", 1)[1] for href in page.locator("ol.stories a.headline").evaluate_all("links => links.map(a => a.getAttribute('href'))")}

    phrase = found('"emergency law"')
    assert phrase == {"courier-0302-dockers-walk-out"}
    assert found('"law emergency"') == set()
    assert page.locator("p.empty").inner_text() == "No story matches."
    sanctions = found("sanctions")
    either = found('"emergency law" OR sanctions')
    assert either == phrase | sanctions and len(either) > max(len(phrase), len(sanctions))
    marks = page.locator("ol.stories .passage mark").all_inner_texts()
    assert {mark.lower() for mark in marks} <= {"emergency law", "sanctions"}


def test_storyline_page_draws_its_stories_day_by_day(page):
    page.goto("/storylines")
    port = [href for href in page.locator("ol.stories a.headline").evaluate_all("links => links.map(a => a.getAttribute('href'))") if "harbour-vote" not in href]
    assert port, "the port dispute's storyline is listed"
    page.goto(port[0])
    twin = page.request.get(f"{port[0]}.json").json()
    assert len(twin["stories"]) >= 2
    timeline = page.locator("svg.timeline")
    assert timeline.locator("circle.mark").count() == sum(len(story["reports"]) for story in twin["stories"])
    lanes = timeline.locator("text[text-anchor='end']")
    assert lanes.count() == len(twin["stories"])
    left = timeline.bounding_box()["x"]
    for number, lane in enumerate(lanes.all(), start=1):
        assert lane.text_content().startswith(f"{number}. ")  # "1. Saltmere dockworkers…"
        assert lane.bounding_box()["x"] >= left - 0.5  # not cut off at the picture's left edge
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "storyline.png"), full_page=True)
    assert page.outside_requests == [] and page.errors == []


def test_events_read_in_plain_words_beside_their_code(page):
    page.goto(FLOODS)
    events = page.request.get(f"{FLOODS}.json").json()["events"]
    first = page.locator("#events table.events tbody tr").first
    assert first.locator(".what").inner_text() == events[0]["description"]
    assert first.locator(".badge.event").inner_text() == events[0]["code"]
    # the timeline's events are listed in words under the picture: nothing needs hovering
    listed = page.locator("#timeline ol.timeline-list li")
    assert listed.count() >= 3 and listed.first.is_visible()
    shown = page.locator("#timeline").inner_text()
    for jargon in ("(intend)", "not REJECT", "(date of report)", " GPE", " NORP", "00:00"):
        assert jargon not in shown, jargon
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#timeline").screenshot(path=str(SCREENSHOTS / "story-timeline.png"))
    page.goto("/actors")
    assert page.locator("table.actors tbody tr").count() >= 10
    assert page.locator("footer a.csv").get_attribute("href") == "/actors.csv"
