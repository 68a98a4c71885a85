import pytest
from spacy.tokens import Doc

from storyline.annotate.actors import ActorIndex, build_actors, normalise_case, slug, strip_article
from storyline.records import Actor, Span


def test_slug_and_case():
    assert slug("Dominic Raab") == "dominic-raab"
    assert slug("Élysée Palace") == "elysee-palace"
    assert normalise_case("BORIS Johnson") == "Boris Johnson"
    assert normalise_case("NATO") == "NATO"


def test_actor_index_prefers_the_closest_mention():
    wide = Actor("angela-rayner", "Angela Rayner", "PERSON", mentions=(Span(0, 34, "Labour deputy leader Angela Rayner"),))
    party = Actor("labour", "Labour", "ORG", mentions=(Span(0, 6, "Labour"),))
    index = ActorIndex([wide, party])
    assert index.at(28, 34) is wide
    assert index.at(0, 6) is party
    assert index.at(40, 45) is None


@pytest.mark.slow
@pytest.mark.parametrize("article_id", ["000_bc797e76ed57cc62", "004_12d6e5edffab1a9f"])
def test_seed_actors_match_expected(nlp, expected, seed_articles, article_id):
    from storyline.lexicons import country_code

    article = seed_articles[article_id]
    actors = {a.name: a for a in build_actors(nlp(article.text), article)}
    for gold in expected["articles"][article_id]["actors"]:
        assert gold["name"] in actors, f"{gold['name']} not found among {sorted(actors)}"
        actor = actors[gold["name"]]
        assert actor.type == gold["type"], gold["name"]
        if "role" in gold:
            assert actor.role and actor.role.lower() == gold["role"].lower(), (gold["name"], actor.role)
        if "country" in gold:
            assert actor.country == country_code(gold["country"]), (gold["name"], actor.country)
        # "the Security Council" and "Security Council" name the same mention
        mention_texts = {strip_article(m.text) for m in actor.mentions}
        for alias in gold.get("aliases", []):
            assert strip_article(alias) in mention_texts, f"{alias!r} is not a mention of {gold['name']}: {sorted(mention_texts)}"
        for mention in actor.mentions:
            assert article.text[mention.start : mention.end] == mention.text


@pytest.mark.slow
def test_namesakes_stay_apart(nlp):
    from storyline.records import Article

    text = (
        "Labour Minister Anna Kovac met union leader Petar Kovac on Monday. "
        "Ms Kovac said the talks were useful. Mr Kovac said the strike would go on. "
        "She added that a deal was close."
    )
    actors = {a.name: a for a in build_actors(nlp(text), Article(id="t", text=text))}
    anna = {m.text for m in actors["Anna Kovac"].mentions}
    petar = {m.text for m in actors["Petar Kovac"].mentions}
    assert "Ms Kovac" in anna and "Mr Kovac" in petar
    assert "She" in anna and "She" not in petar


@pytest.mark.slow
def test_the_dateline_names_no_actor(nlp):
    from storyline.records import Article

    text = "BRENNFORD, Halvaria (Meridian Wire) - Halvaria's foreign minister Ada Lind said on Monday the talks would go on."
    actors = {a.id for a in build_actors(nlp(text), Article(id="t", text=text))}
    assert "ada-lind" in actors and "halvaria" in actors  # named again in the story itself
    assert not any("brennford" in actor or "meridian" in actor for actor in actors), actors


@pytest.mark.slow
def test_places_and_portfolios_are_not_bodies_and_a_name_has_one_type(nlp):
    from storyline.annotate.actors import build_actors

    text = (
        "Transport Secretary Grant Shapps visited Dunmore on Monday after the River Wend flooded Harbour Street.\n\n"
        "Shapps met volunteers from the Red Cross in Paris Road. Officials in Paris said aid would follow.\n\n"
        "Paris has sent two teams, and Paris will send more, the French government said."
    )
    doc = nlp(text)
    actors = build_actors(doc)
    names = {actor.name: actor.type for actor in actors}
    assert "Transport" not in names and "River Wend" not in names and "Harbour Street" not in names
    assert [actor.type for actor in actors if actor.name == "Paris"] == ["GPE"]


def test_actor_index_answers_as_a_scan_of_every_mention_would():
    """The index reads only the mentions that can reach a stretch; the answer is the full scan's."""
    import random

    generator = random.Random(7)
    actors = [
        Actor(f"a{n}", f"A{n}", "PERSON", mentions=tuple(
            Span(start, start + generator.randint(1, 40), "x") for start in sorted(generator.sample(range(2000), 12))
        ))
        for n in range(15)
    ]

    def scan(start, end):
        best = None
        for m_start, m_end, actor in sorted(((m.start, m.end, a) for a in actors for m in a.mentions), key=lambda i: i[0]):
            overlap = min(end, m_end) - max(start, m_start)
            if overlap > 0 and (best is None or (overlap, m_start - m_end) > best[:2]):
                best = (overlap, m_start - m_end, actor)
        return best[2] if best else None

    index = ActorIndex(actors)
    for _ in range(500):
        start = generator.randint(0, 2050)
        end = start + generator.randint(1, 60)
        assert index.at(start, end) is scan(start, end)


def test_surname_skips_generational_suffixes():
    from storyline.annotate.actors import surname

    assert surname("Luther Stan Pate IV") == "pate"
    assert surname("Martin Luther King Jr.") == "king"
    assert surname("Ada Lovelace") == "lovelace"


@pytest.mark.slow
def test_a_president_named_in_an_attribution_is_an_actor_with_his_role(nlp):
    text = (
        "\"We will not sign this treaty,\" said President Arvid Lenko of Dravonia on Monday.\n\n"
        "Mr Lenko spoke after talks with the Ostmark Pact."
    )
    lenko = next(a for a in build_actors(nlp(text)) if a.name == "Arvid Lenko")
    assert lenko.type == "PERSON" and lenko.role == "President"
    assert {m.text for m in lenko.mentions} >= {"Mr Lenko"}
