"""Actor identity across the store: namesakes stay apart, evidence links, ids are stable."""

from __future__ import annotations

from datetime import datetime

import pytest

from storyline.entities import EntityProfile, evidence, link
from storyline.records import Actor, Annotation, Article, Quote, Span, Speaker
from storyline.store import Repository


def person(name: str, role: str | None = None, country: str | None = None, actor_id: str | None = None) -> Actor:
    return Actor(actor_id or name.lower().replace(" ", "-"), name, "PERSON", role, country, None, (Span(0, len(name), name),))


def body(name: str, type: str = "ORG") -> Actor:
    return Actor(name.lower().replace(" ", "-"), name, type, None, None, None, (Span(0, len(name), name),))


def profile(entity_id: str, roles=(), stories=(), companions=(), countries=()) -> EntityProfile:
    return EntityProfile(entity_id, "PERSON", frozenset(countries), frozenset(roles), frozenset(stories), frozenset(companions))


def test_a_name_alone_never_links_two_people():
    marsh = person("Elena Marsh")
    assert link(marsh, [profile("elena-marsh")], "story-2", frozenset()) is None
    assert link(marsh, [profile("elena-marsh", stories={"story-2"})], "story-2", frozenset()) == "elena-marsh"
    assert link(marsh, [profile("elena-marsh", companions={"halvaria"})], "story-9", frozenset({"halvaria"})) == "elena-marsh"


def test_role_links_to_the_right_namesake_and_rules_out_the_other():
    minister = person("Elena Marsh", role="Foreign Minister")
    baker, diplomat = profile("elena-marsh", roles={"Baker"}), profile("elena-marsh-2", roles={"Foreign Minister"})
    assert evidence(minister, baker, None, frozenset()) is None
    assert link(minister, [baker, diplomat], None, frozenset()) == "elena-marsh-2"
    assert link(person("Elena Marsh", role="minister"), [diplomat], None, frozenset()) == "elena-marsh-2"
    # a different country rules an entity out whatever else agrees
    assert link(person("Elena Marsh", country="FRA"), [profile("x", stories={"s"}, countries={"DEU"})], "s", frozenset()) is None


def test_two_equally_likely_namesakes_leave_the_actor_apart():
    marsh = person("Elena Marsh")
    both = [profile("elena-marsh", stories={"s"}), profile("elena-marsh-2", stories={"s"})]
    assert link(marsh, both, "s", frozenset()) is None


def test_bodies_link_by_name():
    council = body("Saltmere Council")
    entity = EntityProfile("saltmere-council", "ORG", frozenset(), frozenset(), frozenset(), frozenset())
    assert link(council, [entity], None, frozenset()) == "saltmere-council"


def _store(repo: Repository, article_id: str, story_id: str, actors: list[Actor], day: int) -> Annotation:
    text = " ".join(actor.name for actor in actors) + " said it would rain."
    speaker = actors[0]
    quote = Quote("it would rain", text.index("it would"), len(text) - 1, "indirect", Speaker(speaker.id, speaker.name, 0, 5), None)
    annotation = Annotation(article_id, actors=tuple(actors), quotes=(quote,))
    article = Article(article_id, text, title=article_id, source="Ledger", published=datetime(2026, 3, day))
    with repo.write() as session:
        repo.save_article(session, article, annotation, story_id, None)
    return repo.stored_article(article_id).annotation


def test_namesakes_in_unrelated_stories_stay_two_entities_and_a_role_links_the_third(tmp_path):
    repo = Repository(tmp_path / "store.db")
    baker = _store(repo, "bakery", "story-flood", [person("Elena Marsh", role="Baker"), body("Dunmore Bakery")], 1)
    minister = _store(repo, "summit", "story-summit", [person("Elena Marsh", role="Foreign Minister"), body("Halvaria", "GPE")], 2)
    baker_id, minister_id = baker.actors[0].id, minister.actors[0].id
    assert baker_id != minister_id
    assert minister.quotes[0].speaker.entity == minister_id  # speakers follow their actors
    later = _store(repo, "talks", "story-talks", [person("Elena Marsh", role="foreign minister"), body("Vestria", "GPE")], 3)
    assert later.actors[0].id == minister_id
    again = _store(repo, "bakery-2", "story-flood", [person("Elena Marsh"), body("Dunmore Bakery")], 4)
    assert again.actors[0].id == baker_id  # the same story is evidence enough
    summary = repo.actor_summary(minister_id)
    assert summary.articles == 2 and {spell.role for spell in summary.role_history} == {"Foreign Minister", "foreign minister"}
    assert repo.actor_summary(baker_id).roles == ("Baker",)
    found = repo.entities("marsh")
    assert {entity.id for entity in found} == {baker_id, minister_id}
    # a store built again in the same order gives the same ids
    rebuilt = Repository(tmp_path / "again.db")
    ids = [
        _store(rebuilt, "bakery", "story-flood", [person("Elena Marsh", role="Baker"), body("Dunmore Bakery")], 1).actors[0].id,
        _store(rebuilt, "summit", "story-summit", [person("Elena Marsh", role="Foreign Minister"), body("Halvaria", "GPE")], 2).actors[0].id,
    ]
    assert ids == [baker_id, minister_id]


NAMESAKE_STORY = {
    "id": "extra-varga-bakery",
    "title": "Flood leaves Dunmore bakery under water",
    "source": "Dunmore Gazette",
    "published": "2026-03-20T09:00:00+00:00",
    "text": (
        "Lena Varga, a baker in the market town of Dunmore, spent Friday shovelling mud out of her shop "
        "after the River Wend burst its banks overnight.\n\n"
        "\u201cMy ovens are full of mud,\u201d Ms Varga said. \u201cWe will bake again, but not this month.\u201d\n\n"
        "The town council said volunteers would help shopkeepers clear the high street over the weekend."
    ),
}


@pytest.mark.slow
def test_demo_with_a_namesake_story_shows_two_actor_pages(tmp_path):
    import json

    from storyline import Storyline
    from storyline.library import demo_corpus

    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps(NAMESAKE_STORY) + "\n", encoding="utf-8")
    store = Storyline(tmp_path / "demo.db", processes=1)
    store.ingest([demo_corpus(), extra])
    vargas = [entity for entity in store.actors("Lena Varga") if entity.name == "Lena Varga"]
    assert len(vargas) == 2
    minister, baker = sorted(vargas, key=lambda entity: -entity.articles)
    assert minister.articles >= 5 and "Foreign Minister" in minister.roles
    assert baker.articles == 1 and "Foreign Minister" not in baker.roles
    quotes, _ = store.actor_quotes(baker.id)
    assert any("ovens are full of mud" in item.quote.text for item in quotes)
    assert not any("ovens" in item.quote.text for item in store.actor_quotes(minister.id)[0])
