"""Pages speak as the CLI does: counts with their plural, actor types and countries as words."""


def test_story_page_counts_and_types_in_words(client):
    page = client.get("/stories/harbour-vote").text
    assert "3 articles from 3 outlets" in page
    assert ">organisation<" in page and ">ORG<" not in page
    assert client.get("/stories/harbour-vote.json").json()["overview"] == "3 articles from 3 outlets"


def test_actor_page_in_words(client):
    page = client.get("/actors/tomas-brandt").text
    assert ">person<" in page and "1 mention in 1 article" in page
