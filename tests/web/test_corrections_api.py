"""Corrections over HTTP: token-guarded JSON and form POSTs, the history on story and actor
pages (and their JSON twins), and the /corrections list; on both back-ends."""

from __future__ import annotations

from tests.web.conftest import TOKEN

AUTH = {"authorization": f"Bearer {TOKEN}"}
HTML = {"accept": "text/html"}
QUOTE = "courier-harbour-vote:"  # the mayor's quote, named by its article and where it starts


def quote_reference(client) -> str:
    quotes = client.get("/stories/harbour-vote.json").json()["corrections"]["quotes"]
    return next(choice["value"] for choice in quotes if choice["value"].startswith(QUOTE))


def test_json_corrections_need_the_token_and_answer_the_record(fresh_client):
    body = {"kind": "rename-story", "author": "Ana", "note": "plainer", "arguments": {"story": "harbour-vote", "headline": "Harbour stays open"}}
    assert fresh_client.post("/api/corrections", json=body).status_code == 401
    assert fresh_client.post("/api/corrections", json=body, headers={"authorization": "Bearer wrong"}).status_code == 401
    made = fresh_client.post("/api/corrections", json=body, headers=AUTH)
    assert made.status_code == 200, made.text
    assert made.json()["summary"] == "the story of courier-harbour-vote is headlined “Harbour stays open”"
    assert fresh_client.get("/stories/harbour-vote.json").json()["headline"] == "Harbour stays open"

    undone = fresh_client.post(f"/api/corrections/{made.json()['id']}/undo", json={"author": "Bo"}, headers=AUTH)
    assert undone.json()["kind"] == "undo"
    assert fresh_client.get("/stories/harbour-vote.json").json()["headline"] == "Mayor meets Port Board over harbour future"
    listed = fresh_client.get("/corrections.json").json()
    assert [(c["kind"], c["in_force"]) for c in listed["corrections"]] == [("rename-story", False), ("undo", True)]
    assert listed["conflicts"] == []

    refused = fresh_client.post("/api/corrections", json={"kind": "merge-stories", "author": "Ana", "arguments": {"first": "harbour-vote", "second": "nope"}}, headers=AUTH)
    assert refused.status_code == 404 and "no story with id 'nope'" in refused.json()["error"]["message"]
    unknown = fresh_client.post("/api/corrections", json={"kind": "rewrite", "author": "Ana"}, headers=AUTH)
    assert unknown.status_code == 400 and "no kind of correction" in unknown.json()["error"]["message"]


def test_forms_post_with_the_token_and_return_to_the_page(fresh_client):
    reference = quote_reference(fresh_client)
    form = {"kind": "set-speaker", "quote": reference, "actor": "port-board", "author": "Ana", "token": TOKEN, "back": "/stories/harbour-vote"}
    answer = fresh_client.post("/corrections", data=form, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/stories/harbour-vote?corrected=1#corrections")
    page = fresh_client.get("/stories/harbour-vote.json").json()
    assert [item["kind"] for item in page["corrections"]["history"]] == ["set-speaker"]
    assert [group["speaker"]["id"] for group in page["quotes"] if group["speaker"]][0] == "port-board"
    html = fresh_client.get("/stories/harbour-vote", headers=HTML).text
    assert 'id="corrections"' in html and "said the quote at courier-harbour-vote" in html
    assert 'action="/corrections/1/undo"' in html and 'name="token" type="password"' in html

    # the actor's page lists it too, and takes its own corrections
    actor = fresh_client.get("/actors/port-board.json").json()
    assert [item["id"] for item in actor["corrections"]["history"]] == [1]
    merge = {"kind": "merge-actors", "keep": "ines-alder", "merge": "port-board", "author": "Ana", "token": TOKEN, "back": "https://elsewhere.example/x"}
    answer = fresh_client.post("/corrections", data=merge, follow_redirects=False)
    assert answer.headers["location"].startswith("/corrections?corrected=2")  # never off this site
    assert fresh_client.get("/actors/port-board.json").status_code == 404

    undo = fresh_client.post("/corrections/2/undo", data={"author": "Bo", "token": TOKEN, "back": "/actors/port-board"}, follow_redirects=False)
    assert undo.status_code == 303 and undo.headers["location"].startswith("/actors/port-board?corrected=3")
    assert fresh_client.get("/actors/port-board.json").json()["corrections"]["history"][-1]["kind"] == "undo"


def test_a_form_without_the_right_token_changes_nothing(fresh_client):
    form = {"kind": "rename-story", "story": "harbour-vote", "headline": "Hijacked", "author": "Eve", "back": "/stories/harbour-vote"}
    for token in (None, "wrong"):
        answer = fresh_client.post("/corrections", data={**form, **({"token": token} if token else {})}, headers=HTML, follow_redirects=False)
        assert answer.status_code == 401 and "text/html" in answer.headers["content-type"]
    assert fresh_client.get("/corrections.json").json()["corrections"] == []
    for headers in ({"origin": "https://evil.example"}, {"origin": "null", "sec-fetch-site": "cross-site"}, {"origin": "null"}):
        assert fresh_client.post("/corrections", data={**form, "token": TOKEN}, headers=headers).status_code == 403
    # a page of this site (sent with no-referrer) posts its forms as Origin null, same-origin
    same_site = fresh_client.post("/corrections", data={**form, "headline": "Kept"}, headers={"origin": "null", "sec-fetch-site": "same-origin"})
    assert same_site.status_code == 401  # past the origin check: only the token is missing
    assert fresh_client.get("/stories/harbour-vote.json").json()["headline"] != "Hijacked"
