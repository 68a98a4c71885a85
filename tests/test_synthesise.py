"""The story account: merging actors, quotes and events across outlets; timeline, coverage, summary.

Unit tests build records by hand; the end-to-end tests ingest the seeds and the demo
corpus into a temporary store and are marked slow.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from storyline.records import (
    Actor,
    Annotation,
    Article,
    Event,
    EventActor,
    Offsets,
    Quote,
    Speaker,
    Span,
    Story,
    to_jsonable,
)
from storyline.render import to_markdown
from storyline.records import StoredArticle
from storyline.synthesise import account, name_key, split_sentences

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# ---- hand-built records ---------------------------------------------------------------


def find(text: str, phrase: str, occurrence: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


def actor(
    text: str, name: str, *phrases: str, type: str = "PERSON", role: str | None = None, country: str | None = None, gender: str | None = None
) -> Actor:
    """An actor mentioned by every occurrence of each phrase (the name itself when none given)."""
    spans = []
    for phrase in phrases or (name,):
        for occurrence in range(text.count(phrase)):
            start, end = find(text, phrase, occurrence)
            spans.append(Span(start, end, phrase))
    return Actor(name_key(name), name, type, role, country, None, tuple(sorted(spans, key=lambda s: s.start)), gender)


def quote(text: str, words: str, speaker: Actor | None, kind: str = "direct") -> Quote:
    start, end = find(text, words)
    return Quote(words, start, end, kind, Speaker(speaker.id if speaker else None, speaker.name if speaker else None, None, None), None)


def event(text: str, trigger: str, type: str, source: Actor | None, target: Actor | None, date: str | None = None) -> Event:
    start, end = find(text, trigger)
    sentence_start = text.rfind(". ", 0, start) + 2 if ". " in text[:start] else 0
    sentence_end = text.find(".", end) + 1 or len(text)
    return Event(type, None, party(source), party(target), Span(start, end, trigger), Offsets(sentence_start, sentence_end), date)


def party(of: Actor | None) -> EventActor | None:
    return EventActor(of.id, of.name) if of else None


def stored(
    article_id: str,
    text: str,
    source: str | None,
    day: int | None = None,
    actors: tuple[Actor, ...] = (),
    quotes: tuple[Quote, ...] = (),
    events: tuple[Event, ...] = (),
    title: str | None = None,
    duplicate_of: str | None = None,
) -> StoredArticle:
    published = datetime(2026, 3, day, 9, 0) if day else None
    article = Article(article_id, text, title=title, source=source, published=published)
    return StoredArticle(article, Annotation(article_id, actors, quotes, events), "story", duplicate_of, 1)


def story_of(articles: list[StoredArticle]) -> Story:
    dates = [s.article.published for s in articles if s.article.published]
    outlets = tuple(sorted({s.article.source for s in articles if s.article.source}))
    return Story("story", None, (), outlets, min(dates, key=naive, default=None), max(dates, key=naive, default=None), ())


def naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def account_of(*articles: StoredArticle, sentences: int = 5):
    return account(story_of(list(articles)), list(articles), summary_sentences=sentences)


def by_name(result, name: str):
    matches = [a for a in result.actors if a.name == name]
    assert len(matches) == 1, [a.name for a in result.actors]
    return matches[0]


# ---- actors -----------------------------------------------------------------------------


def test_actors_merge_across_outlets_with_roles_outlets_and_provenance():
    text_a = "Dominic Raab spoke to reporters. Mr Raab said the Taliban must keep their word."
    text_b = "Foreign Secretary Dominic Raab said the Taliban had never kept a promise."
    raab_a = actor(text_a, "Dominic Raab", "Dominic Raab", "Mr Raab", role="Foreign Secretary", country="GBR")
    raab_b = actor(text_b, "Dominic Raab", "Foreign Secretary Dominic Raab", role="foreign secretary")
    a = stored("a", text_a, "BBC", 19, actors=(raab_a, actor(text_a, "Taliban", type="ORG")))
    b = stored("b", text_b, "The National", 20, actors=(raab_b, actor(text_b, "Taliban", type="ORG")))

    result = account_of(a, b)

    raab = by_name(result, "Dominic Raab")
    assert raab.id == "dominic-raab"
    assert raab.articles == ("a", "b") and raab.outlets == ("BBC", "The National")
    assert raab.roles == ("Foreign Secretary",)  # one role, however it is capitalised
    assert raab.country == "GBR"
    assert raab.mentions == 3
    texts = {"a": text_a, "b": text_b}
    for citation in raab.citations:
        assert texts[citation.article_id][citation.start : citation.end] == citation.text
    assert by_name(result, "Taliban").outlets == ("BBC", "The National")


def test_a_surname_alone_joins_the_one_person_of_the_story_with_that_surname():
    text_a = "Interior minister Anna Kovac threatened emergency powers."
    text_b = "Kovac said the law was ready."
    a = stored("a", text_a, "Courier", 2, actors=(actor(text_a, "Anna Kovac", role="Interior Minister"),))
    b = stored("b", text_b, "Wire", 3, actors=(actor(text_b, "Kovac"),))

    result = account_of(a, b)

    kovac = by_name(result, "Anna Kovac")
    assert kovac.articles == ("a", "b")
    assert kovac.names == ("Anna Kovac", "Kovac")
    assert [a.name for a in result.actors if "Kovac" in a.name] == ["Anna Kovac"]


def test_namesakes_stay_apart_and_a_surname_goes_only_where_the_facts_point():
    text_a = "Union leader Petar Kovac rejected the ultimatum from interior minister Anna Kovac."
    text_b = "Mrs Kovac repeated her warning to the union."
    text_c = "Kovac spoke to the crowd at the gate."
    # genders as the actors stage gives them (first names, "Mrs", "her")
    petar = actor(text_a, "Petar Kovac", role="union leader", gender="m")
    anna = actor(text_a, "Anna Kovac", role="interior minister", gender="f")
    a = stored("a", text_a, "Courier", 2, actors=(petar, anna))
    b = stored("b", text_b, "Wire", 3, actors=(actor(text_b, "Kovac", "Mrs Kovac", "her", gender="f"),))
    c = stored("c", text_c, "Ledger", 4, actors=(actor(text_c, "Kovac"),))

    result = account_of(a, b, c)

    assert by_name(result, "Petar Kovac").articles == ("a",)
    assert by_name(result, "Anna Kovac").articles == ("a", "b")  # "Mrs Kovac ... her": not Petar
    assert by_name(result, "Kovac").articles == ("c",)  # nothing says which Kovac: kept apart


def test_a_surname_whose_role_or_country_contradicts_the_full_name_stays_apart():
    text_a = "Striker Luka Modric scored twice."
    text_b = "Prime minister Modric opened parliament."
    text_c = "Modric, the French ambassador, left."
    a = stored("a", text_a, "Sport", 2, actors=(actor(text_a, "Luka Modric", role="striker", country="HRV"),))
    b = stored("b", text_b, "Politics", 3, actors=(actor(text_b, "Modric", role="Prime Minister"),))
    c = stored("c", text_c, "Diplomacy", 4, actors=(actor(text_c, "Modric", country="FRA"),))

    result = account_of(a, b, c)

    assert by_name(result, "Luka Modric").articles == ("a",)


def test_two_actors_of_one_article_are_never_merged():
    # the annotator kept "Kovac" apart from Anna Kovac in its own article; the story respects that
    text_a = "Anna Kovac spoke. Later Kovac, her cousin, disagreed."
    text_b = "Anna Kovac left for the capital."
    a = stored("a", text_a, "Courier", 2, actors=(actor(text_a, "Anna Kovac"), actor(text_a, "Kovac", "Kovac,")))
    b = stored("b", text_b, "Wire", 3, actors=(actor(text_b, "Anna Kovac"),))

    result = account_of(a, b)

    assert by_name(result, "Anna Kovac").articles == ("a", "b")
    assert by_name(result, "Kovac").articles == ("a",)


def test_a_body_named_by_another_articles_mention_merges_with_it():
    text_a = "The United Nations Security Council (UNSC) will meet. The UNSC has five permanent members."
    text_b = "The UNSC met on Monday."
    council = actor(text_a, "United Nations Security Council", "United Nations Security Council", "UNSC", type="ORG")
    a = stored("a", text_a, "Wire", 2, actors=(council,))
    b = stored("b", text_b, "Ledger", 3, actors=(actor(text_b, "UNSC", type="ORG"),))

    result = account_of(a, b)

    assert by_name(result, "United Nations Security Council").articles == ("a", "b")


# ---- quotes -----------------------------------------------------------------------------

FULL = "We did not choose this fight, and we will not be the ones who walk away from the table."


def three_reports(truncated: str, third_kind: str = "direct", third: str = FULL):
    texts = [f"Petar Kovac said: “{FULL}”", f"Kovac said: “{truncated}”", f"Petar Kovac said {third}"]
    ids, outlets = ["a", "b", "c"], ["Courier", "Wire", "Ledger"]
    articles = []
    for index, text in enumerate(texts):
        kovac = actor(text, "Petar Kovac" if "Petar" in text else "Kovac")
        words = [FULL, truncated, third][index]
        kind = third_kind if index == 2 else "direct"
        articles.append(stored(ids[index], text, outlets[index], index + 2, actors=(kovac,), quotes=(quote(text, words, kovac, kind),)))
    return articles


def test_a_truncated_quote_is_one_quote_with_its_drift_marked():
    truncated = "We did not choose this fight"
    result = account_of(*three_reports(truncated))

    assert len(result.quotes) == 1
    merged = result.quotes[0]
    assert merged.speaker == "petar-kovac"
    assert merged.text == FULL
    assert merged.outlets == ("Courier", "Wire", "Ledger")
    assert merged.drift == ("truncated",)
    drifts = {v.citation.article_id: v.drift for v in merged.versions}
    assert drifts == {"a": "reference", "b": "truncated", "c": "verbatim"}
    cut = next(v for v in merged.versions if v.drift == "truncated")
    assert [p.op for p in cut.differences] == ["same", "omitted"]
    assert cut.differences[1].reference.startswith("and we will not")
    assert by_name(result, "Petar Kovac").quotes == (merged.id,)


def test_an_altered_and_a_paraphrased_quote_are_the_same_quote_with_their_drift():
    altered = "We did not choose this battle, and we will not be the ones who walk away from the table."
    paraphrase = "that the union had not chosen the fight and would not walk away from the table"
    result = account_of(*three_reports(altered, third_kind="indirect", third=paraphrase))

    assert len(result.quotes) == 1
    drifts = {v.citation.article_id: v.drift for v in result.quotes[0].versions}
    assert drifts == {"a": "reference", "b": "altered", "c": "paraphrased"}
    changed = [p for p in result.quotes[0].versions[1].differences if p.op == "changed"]
    assert [(p.reference, p.version) for p in changed] == [("fight,", "battle,")]


def test_quotes_of_different_speakers_or_different_words_stay_apart():
    text_a = "Anna Kovac said: “We will not be the ones who walk away from the table.” She added: “No.”"
    text_b = "Petar Kovac said: “We will not be the ones who walk away from the table.” He added: “No way.”"
    anna, petar = actor(text_a, "Anna Kovac"), actor(text_b, "Petar Kovac")
    a = stored("a", text_a, "Courier", 2, actors=(anna,), quotes=(quote(text_a, "We will not be the ones who walk away from the table.", anna), quote(text_a, "No.", anna)))
    b = stored("b", text_b, "Wire", 3, actors=(petar,), quotes=(quote(text_b, "We will not be the ones who walk away from the table.", petar), quote(text_b, "No way.", petar)))

    result = account_of(a, b)

    assert len(result.quotes) == 4
    assert all(len(q.versions) == 1 and not q.drift for q in result.quotes)


# ---- events -----------------------------------------------------------------------------


def test_one_event_reported_by_two_outlets_is_one_event_with_both_mentions():
    text_a = "Petar Kovac met David Achterberg yesterday."
    text_b = "Union leader Kovac held talks with David Achterberg on Monday."
    kovac_a, achterberg_a = actor(text_a, "Petar Kovac"), actor(text_a, "David Achterberg")
    kovac_b, achterberg_b = actor(text_b, "Kovac"), actor(text_b, "David Achterberg")
    a = stored("a", text_a, "Courier", 10, actors=(kovac_a, achterberg_a), events=(event(text_a, "met", "CONSULT", kovac_a, achterberg_a, "2026-03-09"),))
    b = stored("b", text_b, "Wire", 11, actors=(kovac_b, achterberg_b), events=(event(text_b, "held talks", "CONSULT", kovac_b, achterberg_b, "2026-03"),))

    result = account_of(a, b)

    assert len(result.events) == 1
    merged = result.events[0]
    assert (merged.source.id, merged.target.id) == ("petar-kovac", "david-achterberg")
    assert merged.date == "2026-03-09"  # the most precise of the agreeing dates
    assert [m.trigger.text for m in merged.mentions] == ["met", "held talks"]
    assert merged.outlets == ("Courier", "Wire")
    assert merged.id in by_name(result, "Petar Kovac").events


def test_a_report_that_fits_two_events_equally_joins_neither():
    text_a = "Raab spoke with Wang Yi. Raab spoke with Marise Payne."
    text_b = "Raab made calls to counterparts."
    raab_a, wang, payne = actor(text_a, "Dominic Raab", "Raab"), actor(text_a, "Wang Yi"), actor(text_a, "Marise Payne")
    raab_b = actor(text_b, "Dominic Raab", "Raab")
    calls = (event(text_a, "spoke with Wang", "CONSULT", raab_a, wang), event(text_a, "spoke with Marise", "CONSULT", raab_a, payne))
    a = stored("a", text_a, "BBC", 19, actors=(raab_a, wang, payne), events=calls)
    b = stored("b", text_b, "Wire", 20, actors=(raab_b,), events=(event(text_b, "made calls", "CONSULT", raab_b, None),))

    result = account_of(a, b)

    assert sorted((e.target.name if e.target else "-", e.articles) for e in result.events) == [
        ("-", ("b",)),
        ("Marise Payne", ("a",)),
        ("Wang Yi", ("a",)),
    ]


def test_reports_join_an_event_only_if_they_agree_with_every_report_of_it():
    text_a = "Raab spoke with Wang Yi."
    text_b = "Raab made a call in July."
    text_c = "Raab spoke with Wang Yi on Thursday."
    raab_a, wang_a = actor(text_a, "Dominic Raab", "Raab"), actor(text_a, "Wang Yi")
    raab_b = actor(text_b, "Dominic Raab", "Raab")
    raab_c, wang_c = actor(text_c, "Dominic Raab", "Raab"), actor(text_c, "Wang Yi")
    a = stored("a", text_a, "BBC", 19, actors=(raab_a, wang_a), events=(event(text_a, "spoke with", "CONSULT", raab_a, wang_a),))
    b = stored("b", text_b, "Wire", 20, actors=(raab_b,), events=(event(text_b, "made a call", "CONSULT", raab_b, None, "2021-07"),))
    c = stored("c", text_c, "Ledger", 21, actors=(raab_c, wang_c), events=(event(text_c, "spoke with", "CONSULT", raab_c, wang_c, "2021-08-19"),))

    result = account_of(a, b, c)

    # b agrees with a, c agrees with a, but b (July) and c (19 August) cannot be one event
    assert sorted(e.articles for e in result.events) == [("a", "b"), ("c",)]


def consult(text: str, trigger: str, source: Actor, target: Actor, mode: str | None = None, type: str = "CONSULT") -> Event:
    return replace(event(text, trigger, type, source, target), mode=mode)


def test_a_call_and_a_meeting_reported_either_way_round_are_one_event_but_an_attack_is_not():
    text_a = "Raab spoke with Wang. Raab attacked Wang."
    text_b = "Wang took a call from Raab. Wang attacked Raab."
    raab_a, wang_a = actor(text_a, "Dominic Raab", "Raab"), actor(text_a, "Wang Yi", "Wang")
    raab_b, wang_b = actor(text_b, "Dominic Raab", "Raab"), actor(text_b, "Wang Yi", "Wang")
    a = stored("a", text_a, "BBC", 19, actors=(raab_a, wang_a), events=(
        consult(text_a, "spoke with", raab_a, wang_a), consult(text_a, "attacked", raab_a, wang_a, type="ASSAULT")))
    b = stored("b", text_b, "Wire", 20, actors=(raab_b, wang_b), events=(
        consult(text_b, "took a call", wang_b, raab_b, mode="phone"), consult(text_b, "attacked", wang_b, raab_b, type="ASSAULT")))

    result = account_of(a, b)

    calls = [e for e in result.events if e.type == "CONSULT"]
    assert len(calls) == 1 and calls[0].articles == ("a", "b")
    assert calls[0].mode == "phone"  # the more precise report says how
    assert sorted(e.articles for e in result.events if e.type == "ASSAULT") == [("a",), ("b",)]


def test_an_intention_is_not_the_deed_and_one_trigger_with_two_targets_is_two_events():
    text = "Raab spoke with Wang and Payne. Raab will meet Wang."
    raab, wang, payne = actor(text, "Dominic Raab", "Raab"), actor(text, "Wang Yi", "Wang"), actor(text, "Marise Payne", "Payne")
    one_trigger = (consult(text, "spoke with", raab, wang), consult(text, "spoke with", raab, payne))
    both_ways = (consult(text, "spoke with", wang, raab),)  # "Raab and Wang spoke": the trigger read both ways
    planned = consult(text, "meet", raab, wang, mode="intend")
    a = stored("a", text, "BBC", 19, actors=(raab, wang, payne), events=(*one_trigger, *both_ways, planned))

    result = account_of(a)

    summary = sorted((e.target.name, e.mode or "-", len(e.mentions)) for e in result.events)
    assert summary == [("Marise Payne", "-", 1), ("Wang Yi", "-", 2), ("Wang Yi", "intend", 1)]


# ---- timeline, coverage -----------------------------------------------------------------


def test_timeline_orders_events_by_date_and_places_undated_ones_by_their_article():
    text_a = "Dockworkers walked out. Police detained strikers."
    text_b = "The union marched yesterday."
    union_a, police = actor(text_a, "Dockworkers", type="ORG"), actor(text_a, "Police", type="ORG")
    union_b = actor(text_b, "union", type="ORG")
    a = stored(
        "a", text_a, "Courier", 2, title="Walk-out",
        actors=(union_a, police),
        events=(event(text_a, "walked out", "PROTEST", union_a, None, "2026-03-02"), event(text_a, "detained", "COERCE", police, union_a)),
    )
    b = stored("b", text_b, "Wire", 6, title="March", actors=(union_b,), events=(event(text_b, "marched", "PROTEST", union_b, None, "2026-03-05"),))

    result = account_of(a, b)

    order = [(entry.kind, entry.dated_by, entry.label) for entry in result.timeline]
    assert order == [
        ("event", "event", "Dockworkers walked out (2 March 2026)"),
        ("publication", "publication", "Walk-out"),
        ("event", "article", "Police detained strikers"),
        ("event", "event", "The union marched yesterday (5 March 2026)"),
        ("publication", "publication", "March"),
    ]


def test_undated_reports_keep_their_events_with_them_in_the_order_told():
    text_a = "Police detained strikers. The union marched."
    text_b = "Talks began."
    police, union = actor(text_a, "Police", type="ORG"), actor(text_a, "union", type="ORG")
    talks = actor(text_b, "Talks", type="ORG")
    a = stored("a", text_a, "Courier", title="First", actors=(police, union),
               events=(event(text_a, "detained", "COERCE", police, union), event(text_a, "marched", "PROTEST", union, None)))
    b = stored("b", text_b, "Wire", title="Second", actors=(talks,), events=(event(text_b, "began", "CONSULT", talks, None),))

    result = account_of(a, b)

    assert [(entry.label, entry.dated_by) for entry in result.timeline] == [
        ("First", "undated"),
        ("Police detained strikers", "undated"),
        ("The union marched", "undated"),
        ("Second", "undated"),
        ("Talks began", "undated"),
    ]


def test_coverage_collapses_syndicated_copies_and_lists_what_only_one_outlet_has():
    text_a = "Petar Kovac led the strike. The Port of Saltmere stopped."
    text_b = "Anna Kovac warned the union. Petar Kovac refused."
    text_copy = text_a
    a = stored("a", text_a, "Courier", 2, actors=(actor(text_a, "Petar Kovac"), actor(text_a, "Port of Saltmere", type="ORG")))
    b = stored("b", text_b, "Wire", 3, actors=(actor(text_b, "Anna Kovac"), actor(text_b, "Petar Kovac")))
    copy = stored("copy", text_copy, "Ledger", 4, actors=a.annotation.actors, duplicate_of="a")

    result = account_of(a, b, copy)
    coverage = result.coverage

    assert coverage.outlets == ("Courier", "Wire", "Ledger")
    assert coverage.independent_sources == 2
    assert [(s.article_id, s.copy_of, s.copy_of_outlet) for s in coverage.syndicated] == [("copy", "a", "Courier")]
    port = next(row for row in coverage.rows if row.label == "Port of Saltmere")
    assert port.outlets == ("Courier", "Ledger") and port.sources == ("Courier",)
    only = {o.outlet: o for o in coverage.only_in}
    assert set(only) == {"Courier", "Wire"}  # a syndicating outlet has nothing of its own
    assert only["Courier"].actors == ("port-of-saltmere",)
    assert only["Wire"].actors == ("anna-kovac",)


# ---- summary ----------------------------------------------------------------------------

STRIKE_A = (
    "Thousands of dockworkers at the Port of Saltmere walked out today over an automation plan. "
    "Picket lines formed at both gates of the Eastern Basin before dawn on Monday morning. "
    "Petar Kovac, the union general secretary, addressed strikers from the back of a lorry. "
    "The terminal operator said it regretted the decision of the dockworkers union to strike."
)
STRIKE_B = (
    "Dockworkers at the Port of Saltmere walked out today in protest at an automation plan. "
    "Interior minister Anna Kovac threatened emergency legislation to end the port strike quickly. "
    "Shipping lines began diverting container vessels to other ports along the coast this week."
)


def strike_story():
    a = stored("a", STRIKE_A, "Courier", 2, title="Saltmere dockworkers walk out", actors=(actor(STRIKE_A, "Petar Kovac"),))
    b = stored("b", STRIKE_B, "Wire", 3, title="Minister threatens law to end port strike", actors=(actor(STRIKE_B, "Anna Kovac"),))
    copy = stored("copy", STRIKE_A, "Ledger", 3, actors=a.annotation.actors, duplicate_of="a")
    return a, b, copy


def test_summary_sentences_cite_their_articles_and_do_not_repeat_each_other():
    a, b, copy = strike_story()
    result = account_of(a, b, copy, sentences=3)

    assert len(result.summary) == 3
    texts = {"a": STRIKE_A, "b": STRIKE_B, "copy": STRIKE_A}
    for sentence in result.summary:
        assert sentence.citations
        for citation in sentence.citations:
            assert texts[citation.article_id][citation.start : citation.end] == citation.text
        assert sentence.citations[0].article_id != "copy"  # a copy is cited, never the source
    cited = {c.outlet for s in result.summary for c in s.citations}
    assert {"Courier", "Wire"} <= cited
    walked_out = [s for s in result.summary if "walked out today" in s.text]
    assert len(walked_out) == 1  # the two outlets' near-identical leads are one sentence
    copy_cited = [s for s in result.summary if any(c.article_id == "copy" for c in s.citations)]
    assert all(s.citations[0].article_id == "a" for s in copy_cited) and copy_cited
    assert result.headline in {"Saltmere dockworkers walk out", "Minister threatens law to end port strike"}


def test_summary_length_is_the_number_asked_for_or_all_there_is():
    a, b, copy = strike_story()
    assert len(account_of(a, b, sentences=1).summary) == 1
    assert account_of(a, b, sentences=0).summary == ()
    assert 1 <= len(account_of(a, b, sentences=50).summary) <= 7


def test_articles_are_ordered_by_publication_whatever_their_time_zone_and_undated_last():
    from datetime import timedelta, timezone

    late = stored("late", "Late report.", "Wire", 2)
    early_aware = stored("early", "Early report.", "Courier")
    plus_two = timezone(timedelta(hours=2))
    early_aware = replace(early_aware, article=replace(early_aware.article, published=datetime(2026, 3, 2, 10, 0, tzinfo=plus_two)))
    undated = stored("undated", "Undated report.", "Ledger")

    result = account_of(undated, late, early_aware)

    assert [a.id for a in result.articles] == ["early", "late", "undated"]


def test_summary_sentences_leave_out_the_dateline_and_still_cite_exact_offsets():
    text = "SALTMERE, Vestria (Meridian Wire) - Dockworkers at the Port of Saltmere walked out today over automation."
    result = account_of(stored("a", text, "Meridian Wire", 2), sentences=1)
    (sentence,) = result.summary
    assert sentence.text == "Dockworkers at the Port of Saltmere walked out today over automation."
    citation = sentence.citations[0]
    assert text[citation.start : citation.end] == sentence.text


def test_a_story_with_nothing_found_in_it_still_has_an_account():
    result = account_of(stored("a", "Brief.", None, title="Brief"))
    assert (result.actors, result.quotes, result.events, result.summary) == ((), (), (), ())
    assert result.headline == "Brief"  # nothing to summarise: the story keeps its own headline
    assert result.coverage.outlets == ("a",) and result.coverage.independent_sources == 1
    assert to_markdown(result).startswith("# Brief")


def test_sentences_split_on_punctuation_but_not_after_abbreviations_or_initials():
    text = "Headline without a stop\n\nMr. Kovac met J. Smith at 6 p.m. on Monday. “We agreed,” he said. Talks go on!\nNew paragraph"
    pieces = [text[s:e] for s, e in split_sentences(text)]
    assert pieces == [
        "Headline without a stop",
        "Mr. Kovac met J. Smith at 6 p.m. on Monday.",
        "“We agreed,” he said.",
        "Talks go on!",
        "New paragraph",
    ]


def test_account_json_keeps_every_story_key_for_older_readers():
    a, b, copy = strike_story()
    result = to_jsonable(account_of(a, b, copy))
    json.dumps(result)
    assert {"id", "headline", "articles", "outlets", "first", "last", "actors"} <= set(result)
    assert {"id", "title", "source", "published", "url"} <= set(result["articles"][0])
    assert {"id", "name", "type", "roles", "articles", "mentions"} <= set(result["actors"][0])
    assert isinstance(result["actors"][0]["mentions"], int)
    assert result["articles"][2]["duplicate_of"] == "a"


# ---- end to end -------------------------------------------------------------------------


SEED_OUTLETS = {"000_bc797e76ed57cc62": "BBC", "004_12d6e5edffab1a9f": "The National"}


@pytest.fixture(scope="module")
def seed_library(tmp_path_factory):
    from storyline import Storyline
    from storyline.ingest import IngestOptions

    library = Storyline(tmp_path_factory.mktemp("seeds") / "seeds.db", processes=1)
    for article_id, outlet in SEED_OUTLETS.items():
        report = library.ingest([SEEDS / f"{article_id}.txt"], IngestOptions(source=outlet))
        assert report.ok and report.added == 1
    return library


@pytest.fixture(scope="module")
def seed_account(seed_library):
    """The account of both seed articles as stored, whichever stories clustering gave them."""
    stored = [seed_library.article(article_id) for article_id in SEED_OUTLETS]
    return account(seed_library.story(stored[0].story_id), stored)


@pytest.mark.slow
def test_seeds_make_one_story_and_its_account(seed_library):
    stories = seed_library.stories()
    assert len(stories) == 1
    result = seed_library.account(stories[0].id)
    assert [a.id for a in result.articles] == list(SEED_OUTLETS)
    assert result.outlets == ("BBC", "The National")


@pytest.mark.slow
def test_seeds_share_their_main_actors(seed_account, expected):
    shared = {a.name for a in seed_account.actors if a.outlets == ("BBC", "The National")}
    assert set(expected["story"]["shared_actors"]) <= shared


@pytest.mark.slow
def test_seeds_only_in_lists_match_what_a_reader_finds(seed_account, expected):
    result = seed_account
    names = {a.id: a.name for a in result.actors}
    only = {o.outlet: {names[i] for i in o.actors} for o in result.coverage.only_in}
    assert set(expected["story"]["only_in_000"]) <= only["BBC"]
    assert set(expected["story"]["only_in_004"]) <= only["The National"]
    shared = set(expected["story"]["shared_actors"])
    assert not shared & (only["BBC"] | only["The National"])


@pytest.mark.slow
def test_seeds_raab_quotes_from_both_articles_sit_under_one_actor(seed_account):
    result = seed_account
    raab = next(a for a in result.actors if a.name == "Dominic Raab")
    quotes = [q for q in result.quotes if q.id in raab.quotes]
    assert {q.speaker for q in quotes} == {raab.id}
    assert {article for q in quotes for article in q.articles} == {"000_bc797e76ed57cc62", "004_12d6e5edffab1a9f"}


@pytest.mark.slow
def test_seeds_summary_cites_both_outlets(seed_account):
    result = seed_account
    assert len(result.summary) == 5
    assert {c.outlet for s in result.summary for c in s.citations} == {"BBC", "The National"}


@pytest.mark.slow
def test_demo_corpus_flags_the_quote_one_outlet_truncates(tmp_path):
    from storyline import Storyline
    from storyline.library import demo_corpus

    rows = [json.loads(line) for line in demo_corpus().read_text(encoding="utf-8").splitlines() if line.strip()]
    groups: dict[str, set[str]] = {}
    for row in rows:
        if row.get("drift_group"):
            groups.setdefault(row["drift_group"], set()).add(row["id"])
    assert groups, "the demo corpus marks the articles of its quote-drift story with drift_group"
    library = Storyline(tmp_path / "demo.db", processes=1)
    assert library.ingest([demo_corpus()]).ok
    for article_ids in groups.values():
        story_id = library.article(next(iter(article_ids))).story_id
        result = library.account(story_id)
        drifted = [q for q in result.quotes if "truncated" in q.drift and len(set(q.articles) & article_ids) >= 2]
        assert drifted, [(q.speaker_name, q.outlets, q.drift) for q in result.quotes]


def test_a_quote_of_two_parts_merges_with_its_whole_version_and_the_network_skips_the_attribution():
    split = "“Vestria will pay,” Oskar Lind told Halvaria Radio, “for every tonne of steel.”"
    whole = "Oskar Lind said: “Vestria will pay for every tonne of steel.”"
    lind_a, radio = actor(split, "Oskar Lind"), actor(split, "Halvaria Radio", type="ORG")
    vestria_a, vestria_b = actor(split, "Vestria", type="GPE"), actor(whole, "Vestria", type="GPE")
    lind_b = actor(whole, "Oskar Lind")
    first, second = find(split, "Vestria will pay,"), find(split, "for every tonne of steel.")
    parts = (Span(*first, split[first[0] : first[1]]), Span(*second, split[second[0] : second[1]]))
    speaker = Speaker(lind_a.id, lind_a.name, None, None)
    joined = Quote(" ".join(p.text for p in parts), first[0], second[1], "direct", speaker, None, parts)
    result = account_of(
        stored("a", split, "Ledger", 1, (lind_a, radio, vestria_a), (joined,)),
        stored("b", whole, "Courier", 2, (lind_b, vestria_b), (quote(whole, "Vestria will pay for every tonne of steel.", lind_b),)),
    )
    (said,) = result.quotes
    assert len(said.versions) == 2 and said.drift == ()
    assert [p.text for p in said.versions[0].parts] == ["Vestria will pay,", "for every tonne of steel."]
    spoke = {(e.source, e.target) for e in result.network if e.kind == "quote"}
    assert spoke == {("oskar-lind", "vestria")}  # the radio named in the attribution is not spoken about
