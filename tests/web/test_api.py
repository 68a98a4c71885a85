"""The JSON API: every read endpoint, its filters and pagination, and its errors."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.web.fixtures import HOSTILE_ARTICLE, article, write_stories


def ids(page: dict) -> list[str]:
    return [story["id"] for story in page["stories"]]


def test_stories_biggest_first_with_top_actors(client):
    page = client.get("/stories.json").json()
    # equal sizes: the newest first
    assert ids(page) == ["harbour-vote", "bridge-repairs", "hostile-story"]
    first = page["stories"][0]
    assert first["articles"] == 3
    assert first["outlets"] == ["Daily Ledger", "Meridian Wire", "The Harbour Courier"]
    assert {actor["id"] for actor in first["actors"]} == {"ines-alder", "port-board"}
    assert first["href"] == "/stories/harbour-vote"
    assert page["pagination"]["total"] == 3
    assert {outlet["name"] for outlet in page["outlets"]} >= {"Meridian Wire", "Northgate Post"}


def test_stories_newest_first(client):
    page = client.get("/stories.json", params={"order": "newest"}).json()
    assert ids(page) == ["bridge-repairs", "hostile-story", "harbour-vote"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "grandstanding"}, ["harbour-vote"]),
        ({"q": "old bridge"}, ["bridge-repairs"]),
        ({"q": "harbour"}, None),  # several: checked below
        ({"q": 'bridge" OR (AND'}, None),  # stray quotes and brackets are plain text (bridge OR and), never an error
        ({"q": '"old bridge"'}, ["bridge-repairs"]),  # a phrase
        ({"q": '"bridge old"'}, []),  # ... in its order
        ({"q": "grandstanding OR repairs", "order": "newest"}, ["bridge-repairs", "harbour-vote"]),
        ({"q": "harbour -grandstanding"}, None),
        ({"since": "2026-06-01"}, ["bridge-repairs"]),
        ({"until": "2026-04-02"}, ["harbour-vote"]),
        ({"since": "2026-04-02", "until": "2026-04-02"}, ["harbour-vote"]),
        ({"outlet": "Northgate Post"}, ["bridge-repairs"]),
        ({"actor": "ines-alder"}, ["harbour-vote"]),
        ({"actor": "tomas brandt"}, ["bridge-repairs"]),  # a name, in any case
        ({"q": "harbour", "outlet": "Daily Ledger"}, ["harbour-vote"]),
        ({"q": "", "since": "", "outlet": ""}, None),  # an HTML form's empty fields filter nothing
    ],
)
def test_stories_filters(client, params, expected):
    response = client.get("/stories.json", params=params)
    assert response.status_code == 200, response.text
    page = response.json()
    if expected is None:
        assert len(ids(page)) >= 2
    else:
        assert ids(page) == expected
        assert page["pagination"]["total"] == len(expected)


def test_search_by_relevance_is_the_default_order(client):
    page = client.get("/stories.json", params={"q": "harbour"}).json()
    assert page["filters"]["order"] == "relevance"
    assert set(ids(page)) == {"harbour-vote", "hostile-story"}


def test_stories_pagination_links_keep_the_filters(client):
    first = client.get("/stories.json", params={"limit": 1, "order": "newest"}).json()
    assert len(first["stories"]) == 1 and first["pagination"]["previous"] is None
    assert first["pagination"]["next"] == "/stories.json?limit=1&order=newest&offset=1"
    second = client.get(first["pagination"]["next"]).json()
    assert ids(second) == ["hostile-story"]
    assert second["pagination"]["previous"] == "/stories.json?limit=1&order=newest"
    last = client.get(second["pagination"]["next"]).json()
    assert ids(last) == ["harbour-vote"] and last["pagination"]["next"] is None


def test_story_account(client):
    page = client.get("/stories/harbour-vote.json").json()
    assert page["headline"]
    assert [a["id"] for a in page["articles"]] == ["courier-harbour-vote", "wire-harbour-open", "ledger-board-accuses"]
    assert {a["id"] for a in page["actors"]} == {"ines-alder", "port-board"}
    assert page["summary"] and all(sentence["citations"] for sentence in page["summary"])
    # the Meridian Wire cut the mayor's quote short: one quote, two versions, drift marked
    (alder,) = [group for group in page["quotes"] if group["name"] == "Ines Alder"]
    (said,) = alder["quotes"]
    assert set(said["outlets"]) == {"The Harbour Courier", "Meridian Wire"}
    assert "truncated" in said["drift"]
    assert {version["citation"]["article_id"] for version in said["versions"]} == {"courier-harbour-vote", "wire-harbour-open"}
    assert {e["type"] for e in page["events"]} == {"CONSULT", "REJECT", "ACCUSE"}
    edges = {(e["source"], e["target"], e["kind"]) for e in page["network"]}
    assert ("ines-alder", "port-board", "event") in edges and ("port-board", "ines-alder", "event") in edges
    kinds = {entry["kind"] for entry in page["timeline"]}
    assert kinds == {"event", "publication"}
    coverage = page["coverage"]
    assert coverage["outlets"] and len(coverage["rows"]) >= 5
    for row in coverage["rows"]:
        assert len(row["articles"]) == len(coverage["outlets"])
        assert {o for o, n in zip(coverage["outlets"], row["articles"]) if n} == set(row["outlets"])


def test_a_story_page_follows_changes_to_its_story(fresh_client):
    assert len(fresh_client.get("/stories/harbour-vote.json").json()["articles"]) == 3
    late = article(
        "post-harbour-late",
        "The Port Board met Ines Alder again on Thursday.",
        "Board and mayor meet again",
        "Northgate Post",
        "2026-04-04T09:00:00",
    ).actor("port-board", "Port Board", "ORG", "Port Board")
    write_stories(fresh_client.app.state.storyline.repo, {"harbour-vote": lambda: [late]})
    page = fresh_client.get("/stories/harbour-vote.json").json()
    assert [a["id"] for a in page["articles"]][-1] == "post-harbour-late"
    assert "Northgate Post" in page["outlets"]


def test_story_articles_are_paginated(client):
    page = client.get("/stories/harbour-vote.json", params={"articles_limit": 2, "articles_offset": 2}).json()
    assert [a["id"] for a in page["articles"]] == ["ledger-board-accuses"]
    assert page["articles_page"] == {
        "total": 3,
        "limit": 2,
        "offset": 2,
        "next": None,
        "previous": "/stories/harbour-vote.json?articles_limit=2",
    }


def test_actor(client):
    page = client.get("/actors/ines-alder.json").json()
    assert page["name"] == "Ines Alder" and page["type"] == "PERSON"
    assert page["roles"] == ["Mayor"]
    assert page["articles"] == 3 and page["mentions"] == 4
    assert [s["id"] for s in page["stories"]] == ["harbour-vote"]
    assert {q["article"]["id"] for q in page["quotes"]} == {"courier-harbour-vote", "wire-harbour-open"}
    assert [e["type"] for e in page["events"]] == ["CONSULT", "ACCUSE"]  # in date order
    assert page["events"][0]["href"].startswith("/articles/courier-harbour-vote#at-")


def test_actor_lists_are_paginated(client):
    page = client.get("/actors/ines-alder.json", params={"quotes_limit": 1}).json()
    assert len(page["quotes"]) == 1
    assert page["quotes_page"]["total"] == 2
    assert page["quotes_page"]["next"] == "/actors/ines-alder.json?quotes_limit=1&quotes_offset=1"


def test_article_highlights_point_into_the_story(client):
    page = client.get("/articles/courier-harbour-vote.json").json()
    assert page["story"]["id"] == "harbour-vote"
    kinds = {h["kind"] for h in page["highlights"]}
    assert kinds == {"actor", "quote", "event"}
    for highlight in page["highlights"]:
        assert page["text"][highlight["start"] : highlight["end"]] == highlight["text"]
        assert highlight["href"].startswith("/stories/harbour-vote#")


def test_ids_with_any_character_round_trip(client):
    response = client.get(f"/articles/{quote(HOSTILE_ARTICLE, safe='')}.json")
    assert response.status_code == 200
    assert response.json()["id"] == HOSTILE_ARTICLE


def test_openapi_describes_every_json_route(client):
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/stories.json", "/stories/{story_id}.json", "/actors/{actor_id}.json", "/articles/{article_id}.json", "/api/articles"} <= paths
    assert not any(path.endswith("}") and not path.startswith("/api") for path in paths), "HTML routes stay out of the schema"
    assert "ArticlesIn" in schema["components"]["schemas"]
    fields = schema["components"]["schemas"]["ArticleIn"]["properties"]
    assert "outlet" in fields and fields["source"]["deprecated"] is True  # the publisher's name settles as outlet
    assert {"description", "code"} <= set(schema["components"]["schemas"]["EventItem"]["properties"])
    assert "/actors.json" in paths and "/actors.csv" in paths


def test_docs_page_needs_nothing_from_outside(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "/stories.json" in response.text and "ArticlesIn" in response.text
    assert "cdn" not in response.text.lower() and "<script" not in response.text
    assert client.get("/redoc").status_code == 404


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/stories/no-such-story.json", 404, "no story with id 'no-such-story'"),
        ("/actors/nobody.json", 404, "no actor with id 'nobody'"),
        ("/articles/missing.json", 404, "no article with id 'missing'"),
        ("/stories.json?limit=1000", 422, "limit: Input should be less than or equal to 100"),
        ("/stories.json?offset=-1", 422, "offset"),
        ("/stories.json?since=yesterday", 422, "since"),
        ("/stories.json?order=random", 422, "order"),
        (f"/stories.json?q={'x' * 201}", 422, "q: String should have at most 200 characters"),
        ("/nowhere", 404, "Not Found"),
    ],
)
def test_errors_are_json_with_a_clear_message(client, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["status"] == status and words in error["message"]


def test_a_browser_gets_an_html_error_page(client):
    response = client.get("/stories/no-such-story", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no story with id" in response.text


def test_wrong_method_is_a_json_405(client):
    response = client.delete("/stories.json")
    assert response.status_code == 405 and response.json()["error"]["status"] == 405


def test_home_leads_to_the_stories(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (302, 307) and response.headers["location"] == "/stories"
