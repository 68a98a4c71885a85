"""Pages speak as the CLI does: counts with their plural, actor types and countries as words."""


def test_story_page_counts_and_types_in_words(client):
    page = client.get("/stories/harbour-vote").text
    assert "3 articles from 3 outlets" in page
    assert ">organisation<" in page and ">ORG<" not in page
    assert client.get("/stories/harbour-vote.json").json()["overview"] == "3 articles from 3 outlets"


def test_actor_page_in_words(client):
    page = client.get("/actors/tomas-brandt").text
    assert ">person<" in page and "1 mention in 1 article" in page


def test_api_docs_render_code_spans_not_backticks(client):
    page = client.get("/docs").text
    assert "`" not in page
    assert "<code>next</code> and <code>previous</code>" in page


def test_code_spans_escape_everything_else():
    from storyline.web.views.base import code_spans

    assert str(code_spans("run `<b>` now")) == "run <code>&lt;b&gt;</code> now"
    assert str(code_spans("a lone ` tick")) == "a lone ` tick"


def test_story_articles_link_out_to_their_source_safely(client):
    page = client.get("/stories/harbour-vote").text
    assert 'href="https://courier.example/harbour-vote" rel="noopener noreferrer nofollow">at The Harbour Courier ↗</a>' in page
    assert "javascript:" not in client.get("/stories/hostile-story").text.split('class="articles"')[1]
