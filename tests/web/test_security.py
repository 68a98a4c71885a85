"""Untrusted article text stays text; requests are bounded; writes need the token."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import TOKEN
from tests.web.fixtures import HOSTILE_ARTICLE, JAVASCRIPT_URL, PAYLOADS

HOSTILE_PAGES = [
    "/stories",
    "/stories?q=hostile",
    "/stories/hostile-story",
    "/actors/hostile-img",
    "/actors/hostile-breaker",
    f"/articles/{quote(HOSTILE_ARTICLE, safe='')}",
]
AUTH = {"authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_markup_is_escaped_on_every_page(client, path):
    html = client.get(path).text
    assert "Hostile harbour" in html or "hostile" in path
    for payload in PAYLOADS:
        assert payload not in html
    assert "<script" not in html.lower()
    assert "onerror=" not in html.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert f'href="{JAVASCRIPT_URL}' not in html


def test_hostile_markup_round_trips_unchanged_as_json(client):
    page = client.get(f"/articles/{quote(HOSTILE_ARTICLE, safe='')}.json").json()
    assert all(payload in page["text"] for payload in PAYLOADS)
    assert page["url"] == JAVASCRIPT_URL  # data, not a link: the page shows it as text


def test_pages_forbid_scripts_and_framing(client):
    response = client.get("/stories")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fapp.py",
        "/static/%2e%2e%2fapp.py",
        "/static//etc/passwd",
    ],
)
def test_no_path_traversal_out_of_static(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "[build-system]" not in response.text and "root:" not in response.text


def test_the_stylesheet_is_served(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")


def test_ingest_is_off_without_a_token(storyline):
    from storyline.web import create_app

    with TestClient(create_app(storyline)) as no_token:
        response = no_token.post("/api/articles", json={"articles": [{"id": "a", "text": "b"}]})
    assert response.status_code == 403
    assert "ingest is disabled" in response.json()["error"]["message"]


@pytest.mark.parametrize("headers", [{}, {"authorization": "Bearer wrong"}, {"authorization": "Basic !!"}])
def test_ingest_needs_the_right_token(client, headers):
    response = client.post("/api/articles", json={"articles": [{"id": "a", "text": "b"}]}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["message"].startswith("a valid token is needed")


def test_bodies_over_the_limit_are_refused_with_413(fresh_client):
    declared = fresh_client.post("/api/articles", content=b"x" * 300_000, headers={**AUTH, "content-type": "application/json"})
    assert declared.status_code == 413
    assert declared.json()["error"]["message"] == "request body too large (limit 200,000 bytes)"

    def chunks():  # no Content-Length: the size is only known while reading
        for _ in range(30):
            yield b"x" * 10_000

    streamed = fresh_client.post("/api/articles", content=chunks(), headers={**AUTH, "content-type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["error"]["status"] == 413


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"articles": []}, "articles: List should have at least 1 item"),
        ({"articles": [{"id": "x"}]}, "articles.0.text: Field required"),
        ({"articles": [{"id": "x", "text": "t", "published": "someday"}]}, "articles.0.published"),
        ({"articles": [{"id": str(n), "text": "t"} for n in range(101)]}, "at most 100 items"),
    ],
)
def test_invalid_ingest_requests_say_what_is_wrong(client, body, words):
    response = client.post("/api/articles", json=body, headers=AUTH)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == "invalid articles" and any(words in detail for detail in error["details"])


def test_ingest_wants_json_or_a_form(client):
    response = client.post("/api/articles", content=b"hello", headers={**AUTH, "content-type": "text/plain"})
    assert response.status_code == 415


def test_reads_need_the_token_beyond_loopback(storyline):
    from storyline.web import create_app

    with TestClient(create_app(storyline, token=TOKEN, reads_need_token=True)) as remote:
        for path in ("/stories.json", "/stories", "/docs", "/openapi.json", "/actors/ines-alder"):
            refused = remote.get(path)
            assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic"), path
        basic = base64.b64encode(f"reader:{TOKEN}".encode()).decode()
        assert remote.get("/stories.json", headers={"authorization": f"Basic {basic}"}).status_code == 200
        assert remote.get("/stories.json", headers=AUTH).status_code == 200


def test_serving_beyond_loopback_without_a_token_is_refused(storyline):
    from storyline.errors import StorylineError
    from storyline.web import serve

    with pytest.raises(StorylineError, match="give a token"):
        serve(storyline, host="0.0.0.0", port=8000, token=None)


@pytest.mark.slow
def test_ingest_json_then_read_it_back(fresh_client):
    article = {
        "id": "api-harbour-strike",
        "title": "Dockworkers strike at Saltmere",
        "text": "Dockworkers at the Port of Saltmere went on strike on Monday. "
        "Petar Kovac, the union leader, said: “We will not back down.”",
        "source": "Meridian Wire",
        "published": "2026-03-02T09:00:00",
    }
    response = fresh_client.post("/api/articles", json={"articles": [article]}, headers=AUTH)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["added"] == 1 and result["errors"] == []
    (stored,) = result["articles"]
    assert stored["id"] == "api-harbour-strike" and stored["story_id"]
    page = fresh_client.get(stored["href"] + ".json").json()
    assert page["text"] == article["text"] and page["outlet"] == "Meridian Wire"
    assert fresh_client.get(stored["story_href"] + ".json").status_code == 200
    again = fresh_client.post("/api/articles", json={"articles": [article]}, headers=AUTH).json()
    assert (again["added"], again["unchanged"]) == (0, 1)


@pytest.mark.slow
def test_upload_a_file_under_a_hostile_name(fresh_client, tmp_path):
    escape_to = tmp_path / "escaped.txt"
    name = f"../../../../../../{escape_to}"
    text = "Harbour talks resume\n\nMayor Ines Alder said talks would resume on Friday."
    response = fresh_client.post(
        "/api/articles",
        files={"file": (name, text.encode(), "text/plain")},
        data={"source": "Daily Ledger", "published": "2026-04-05"},
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    (stored,) = response.json()["articles"]
    assert not escape_to.exists()
    page = fresh_client.get(stored["href"] + ".json").json()
    assert page["outlet"] == "Daily Ledger" and page["text"] == text


@pytest.mark.slow
def test_an_unreadable_upload_is_a_422_naming_the_file(fresh_client):
    response = fresh_client.post("/api/articles", files={"file": ("notes.pdf", b"%PDF-1.4", "application/pdf")}, headers=AUTH)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["message"] == "no article could be ingested"
    assert error["details"][0]["source"] == "notes.pdf" and "unsupported file type" in error["details"][0]["reason"]


def test_upload_needs_a_file_field(client):
    response = client.post("/api/articles", data={"source": "x"}, files={"other": ("a.txt", b"x")}, headers=AUTH)
    assert response.status_code == 422 and "'file'" in response.json()["error"]["message"]


def test_error_bodies_are_valid_json_even_for_hostile_input(client):
    response = client.get("/stories/" + quote('<script>"', safe="") + ".json")
    assert response.status_code == 404
    assert json.loads(response.text)["error"]["message"] == "no story with id '<script>\"'"


# ---- issue 15: Host allow-list, Origin on writes, control characters, no bare 500 ----------


def assert_guarded_json(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["status"] == status
    assert response.headers["x-frame-options"] == "DENY" and "default-src 'none'" in response.headers["content-security-policy"]


@pytest.fixture(scope="module")
def loopback_app(storyline):
    from storyline.web import create_app
    from storyline.web.views.security import allowed_hosts_for

    return create_app(storyline, token=TOKEN, allowed_hosts=allowed_hosts_for("127.0.0.1", ["news.internal"]))


@pytest.mark.parametrize("base", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "http://news.internal"])
def test_the_bound_host_and_allowed_hosts_are_answered(loopback_app, base):
    with TestClient(loopback_app, base_url=base) as client:
        assert client.get("/stories.json").status_code == 200


@pytest.mark.parametrize("base", ["http://attacker.example", "http://attacker.example:8000", "http://127.0.0.1.attacker.example"])
def test_a_foreign_host_header_is_refused_against_dns_rebinding(loopback_app, base):
    with TestClient(loopback_app, base_url=base) as client:
        response = client.get("/stories.json")
    assert_guarded_json(response, 400)
    assert "is not served here" in response.json()["error"]["message"]


def test_a_write_from_another_site_is_refused_whatever_its_credentials(loopback_app):
    basic = base64.b64encode(f"anyone:{TOKEN}".encode()).decode()
    with TestClient(loopback_app, base_url="http://127.0.0.1:8000") as client:
        for headers in ({"origin": "http://attacker.example"}, {"origin": "null"}, {"sec-fetch-site": "cross-site"}):
            response = client.post(
                "/api/articles", json={"articles": [{"id": "x", "text": "y"}]},
                headers={"authorization": f"Basic {basic}", **headers},
            )
            assert_guarded_json(response, 403)
            assert "cross-site write refused" in response.json()["error"]["message"]
        # the server's own origin may write (here: the request is well-formed but empty)
        same = client.post("/api/articles", json={"articles": []}, headers={**AUTH, "origin": "http://127.0.0.1:8000"})
        assert same.status_code == 422


@pytest.mark.parametrize("query", ["q=%00", "q=harbour%00", "outlet=%1b%5b31m", "actor=a%7fb", "q=%0d%0aSet-Cookie:x"])
@pytest.mark.parametrize("path", ["/stories", "/stories.json"])
def test_control_characters_in_the_query_are_a_400(client, path, query):
    assert_guarded_json(client.get(f"{path}?{query}", headers={"accept": "application/json"}), 400)


def test_an_unexpected_failure_is_a_json_500_with_the_security_headers(storyline, monkeypatch):
    from storyline.web import create_app

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    with TestClient(create_app(storyline), raise_server_exceptions=False) as client:
        monkeypatch.setattr(storyline, "find_stories", broken)  # a fault of the server, injected
        response = client.get("/stories.json")
    assert_guarded_json(response, 500)
    assert "disk on fire" not in response.text
