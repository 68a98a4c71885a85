"""The UI in a real browser: Debian's Chromium, headless, driven by Playwright.

A uvicorn server on a free loopback port serves a store holding the demo corpus (run through
the real pipeline) and the hand-made stories; hostile articles are added through the API.
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

from tests.conftest import REPO
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app under uvicorn in a thread of this process, so the spaCy model loads once."""
    require_browser()
    import uvicorn

    from storyline import Storyline
    from storyline.library import demo_corpus
    from storyline.web import create_app

    store = Storyline(tmp_path_factory.mktemp("browser") / "browser.db", processes=1)
    report = store.ingest([demo_corpus()])
    assert report.ok and report.added > 0
    write_stories(store.repo)
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
