"""Correcting in a real browser (Debian's Chromium, headless, Playwright): the forms on a story's
and an actor's page post with the token typed in, no script runs, and the history shows and undoes.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from tests.web.conftest import TOKEN
from tests.web.test_browser import browser, page, server, shot  # noqa: F401 - the same server and browser

pytestmark = pytest.mark.slow

FIRE = "meridian-0315-dunmore-mill-fire"
ARREST = "northgate-0318-dunmore-owner-arrested"


def sign(form, author: str = "Ana Analyst", token: str = TOKEN) -> None:
    form.locator("input[name=author]").fill(author)
    form.locator("input[name=token]").fill(token)


def test_merge_two_stories_then_undo_from_the_history(page):
    page.goto(f"/stories/{FIRE}")
    articles_before = page.locator("#articles ol.articles > li").count()
    page.locator("#corrections details.correct-forms > summary").click()
    form = page.locator("form#form-merge-stories")
    form.locator("input[name=second]").fill(ARREST)
    form.locator("input[name=note]").fill("one fire, one story")
    sign(form)
    form.locator("button").click()
    page.wait_for_url(f"**/stories/{FIRE}?corrected=*#corrections")
    assert page.locator("#articles ol.articles > li").count() == articles_before + 2
    history = page.locator("#corrections ol.history > li")
    assert history.count() == 1
    assert "merged the story of" in history.first.inner_text() and "one fire, one story" in history.first.inner_text()
    shot(page, "20-story-corrected")

    history.first.locator("details.undo > summary").click()
    undo = history.first.locator("form")
    sign(undo, "Bo Editor")
    undo.locator("button").click()
    page.wait_for_url(f"**/stories/{FIRE}?corrected=*#corrections")
    assert page.locator("#articles ol.articles > li").count() == articles_before
    assert page.locator("#corrections ol.history > li.undone").count() == 1
    assert page.locator("#corrections ol.history > li.in-force").count() == 1  # the undo itself
    shot(page, "21-story-undone")
    assert page.outside_requests == [] and page.dialogs == [] and page.errors == []


def test_correct_a_quote_and_rename_and_a_wrong_token_is_refused(page):
    page.goto(f"/stories/{FIRE}")
    page.locator("#corrections details.correct-forms > summary").click()
    rename = page.locator("form#form-rename-story")
    rename.locator("input[name=headline]").fill("The Dunmore mill fire")
    sign(rename, token="not-the-token")
    rename.locator("button").click()
    assert "valid token" in page.locator("main").inner_text()
    page.go_back()
    page.goto(f"/stories/{FIRE}")
    assert page.locator("h1").inner_text() != "The Dunmore mill fire"

    page.locator("#corrections details.correct-forms > summary").click()
    rename = page.locator("form#form-rename-story")
    rename.locator("input[name=headline]").fill("The Dunmore mill fire")
    sign(rename)
    rename.locator("button").click()
    page.wait_for_url(f"**/stories/{FIRE}?corrected=*")
    assert page.locator("h1").inner_text() == "The Dunmore mill fire"

    page.locator("#corrections details.correct-forms > summary").click()
    quote = page.locator("form#form-quote")
    chosen = quote.locator("select[name=quote] option").first.get_attribute("value")
    quote.locator("select[name=kind]").select_option("reject-quote")
    sign(quote)
    quote.locator("button").click()
    page.wait_for_url(f"**/stories/{FIRE}?corrected=*")
    assert f"is no quote" in page.locator("#corrections ol.history").inner_text()
    assert page.locator(f"form#form-quote select[name=quote] option[value='{chosen}']").count() == 0
    assert page.outside_requests == [] and page.dialogs == [] and page.errors == []


def test_merge_actors_on_the_actor_page(page):
    page.goto("/actors/vestria")
    page.locator("#corrections details.correct-forms > summary").click()
    form = page.locator("form#form-merge-actors")
    form.locator("input[name=merge]").fill("vestria-2")
    sign(form)
    form.locator("button").click()
    page.wait_for_url("**/actors/vestria?corrected=*#corrections")
    assert "merged actor vestria-2" in page.locator("#corrections ol.history").inner_text()
    shot(page, "22-actor-corrected")
    page.goto("/corrections")
    assert page.locator("table.corrections tbody tr").count() >= 1
    assert page.outside_requests == [] and page.errors == []
