"""The event components on hand-built parses (no statistical model), as spaCy tests its own
components: each Doc is given its words, parts of speech, lemmas and dependency tree."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from storyline.annotate.events.arguments import ArticleActors, event_actor, sources_of
from storyline.annotate.events.context import is_intended, is_negated
from storyline.annotate.events.extract import find_events
from storyline.annotate.events.lexicon import plover_type
from storyline.annotate.events.triggers import find_candidates, match_trigger


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


def parse(vocab, rows: list[tuple[str, str, str, str, int]]) -> Doc:
    """rows: (word, part of speech, lemma, dependency, head index); the root is its own head."""
    words, pos, lemmas, deps, heads = zip(*rows)
    return Doc(vocab, words=list(words), pos=list(pos), lemmas=list(lemmas), deps=list(deps), heads=list(heads))


def expelled(vocab) -> Doc:
    return parse(
        vocab,
        [
            ("Valdoria", "PROPN", "Valdoria", "nsubj", 1),
            ("expelled", "VERB", "expel", "ROOT", 1),
            ("two", "NUM", "two", "nummod", 3),
            ("diplomats", "NOUN", "diplomat", "dobj", 1),
            (".", "PUNCT", ".", "punct", 1),
        ],
    )


def test_a_lexicon_verb_is_a_trigger_with_its_subject_as_source(vocab):
    doc = expelled(vocab)
    candidate = match_trigger(doc[1])
    assert candidate is not None and candidate.type in ("COERCE", "SANCTION")
    assert [t.text for t in sources_of(candidate)] == ["Valdoria"]
    assert match_trigger(doc[3]) is None  # "diplomats" is who, not what


def test_the_by_agent_of_a_passive_is_the_source_and_its_subject_the_target(vocab):
    doc = parse(
        vocab,
        [
            ("Diplomats", "NOUN", "diplomat", "nsubjpass", 2),
            ("were", "AUX", "be", "auxpass", 2),
            ("expelled", "VERB", "expel", "ROOT", 2),
            ("by", "ADP", "by", "agent", 2),
            ("Valdoria", "PROPN", "Valdoria", "pobj", 3),
        ],
    )
    events = find_events(doc, [], None)
    assert [(e.source.name, e.target.name) for e in events] == [("Valdoria", "Diplomats")]


def test_without_negates_the_act_it_governs(vocab):
    doc = parse(
        vocab,
        [
            ("He", "PRON", "he", "nsubj", 1),
            ("left", "VERB", "leave", "ROOT", 1),
            ("without", "ADP", "without", "prep", 1),
            ("speaking", "VERB", "speak", "pcomp", 2),
            ("to", "ADP", "to", "prep", 3),
            ("journalists", "NOUN", "journalist", "pobj", 4),
        ],
    )
    assert is_negated(doc[3])
    assert not is_negated(doc[1])


def test_a_vow_to_retaliate_is_a_threat_not_an_agreement(vocab):
    doc = parse(
        vocab,
        [
            ("Tessalia", "PROPN", "Tessalia", "nsubj", 1),
            ("vowed", "VERB", "vow", "ROOT", 1),
            ("to", "PART", "to", "aux", 3),
            ("retaliate", "VERB", "retaliate", "xcomp", 1),
        ],
    )
    events = find_events(doc, [], None)
    assert [plover_type(e) for e in events] == ["THREATEN"]
    assert is_intended(doc[3]) or events[0].type == "THREATEN"


def test_a_noun_of_an_event_verb_is_a_trigger_but_a_body_is_not(vocab):
    doc = parse(
        vocab,
        [
            ("The", "DET", "the", "det", 1),
            ("government", "NOUN", "government", "nsubj", 2),
            ("held", "VERB", "hold", "ROOT", 2),
            ("negotiations", "NOUN", "negotiation", "dobj", 2),
        ],
    )
    found = {c.token.text: c.type for c in find_candidates(doc[:])}
    assert "CONSULT" in (found.get("held"), found.get("negotiations"))  # "held negotiations", or the noun alone
    assert "government" not in found
    assert match_trigger(doc[3]).type == "CONSULT"  # "negotiation" -> "negotiate"


def test_what_is_not_an_actor_is_no_source(vocab):
    doc = parse(
        vocab,
        [
            ("The", "DET", "the", "det", 1),
            ("dispute", "NOUN", "dispute", "nsubj", 2),
            ("blocked", "VERB", "block", "ROOT", 2),
            ("trade", "NOUN", "trade", "dobj", 2),
        ],
    )
    assert find_events(doc, [], None) == []
    assert event_actor(doc[1], ArticleActors([])).name == "dispute"  # a phrase, but not one that acts


def test_a_happening_needs_no_actor(vocab):
    doc = parse(
        vocab,
        [
            ("A", "DET", "a", "det", 2),
            ("freight", "NOUN", "freight", "compound", 2),
            ("train", "NOUN", "train", "nsubj", 3),
            ("derailed", "VERB", "derail", "ROOT", 3),
        ],
    )
    events = find_events(doc, [], None)
    assert [(e.type, e.source.name, e.lemma) for e in events] == [("ACCIDENT", "freight train", "derail")]
