"""Context of a trigger: conditionals and questions, negation, intention, and the date and
place of its own clause."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span as SpacySpan, Token

from .. import knowledge
from ..dates import parse_date
from .lexicon import PHYSICAL_TYPES, is_cue
from .syntax import (
    DATE_ENTITY_LABELS,
    OBJECT_DEPS,
    PLACE_ENTITY_LABELS,
    doc_index,
    governing_clause,
    tree_depth,
)
from .triggers import Candidate


# clauses that say what might happen, not what did ("if he planned to resign")
HYPOTHETICAL_MARKERS = {"if", "whether", "unless"}
LOCATION_PREPOSITIONS = {"in", "at", "near", "outside", "inside"}
MAIN_CLAUSE_DEPTH = 2


def is_hypothetical(token: Token) -> bool:
    """Inside a conditional or an embedded question: "asked if he planned to resign",
    "unless you're ringing the prime minister"."""
    current = token
    while current.head.i != current.i:
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKERS for c in current.children):
            return True
        current = current.head
    return False


def is_negated(token: Token) -> bool:
    if token.head.lower_ == "without" and token.dep_ in ("pcomp", "pobj"):
        return True  # "left without speaking to journalists": no talk
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and is_cue(child, "negation")):
            return True
        if child.dep_ == "advmod" and child.lower_ == "longer" and any(is_cue(g, "negation") for g in child.children):
            return True
    return False


def governors(token: Token) -> Iterator[Token]:
    """Words that govern the trigger's mood: for a noun, the support verb carrying it
    ("plans to [use] a meeting"); for a verb, the verbs and adjectives whose complement it
    is ("hopes to [convene]", "is willing to [send]")."""
    current = token
    if token.pos_ == "NOUN":
        carrier = token.head if token.dep_ == "compound" else token
        if not (carrier.dep_ in OBJECT_DEPS and is_cue(carrier.head, "support")):
            return
        current = carrier.head
        yield current
    for _ in range(4):
        if current.dep_ not in ("xcomp", "acomp") or current.head.i == current.i:
            return
        current = current.head
        yield current


def is_intended(token: Token) -> bool:
    for word in (token, *governors(token)):
        if any(child.dep_ in ("aux", "amod") and is_cue(child, "intend") for child in word.children):
            return True
        if word.i != token.i and word.pos_ in ("VERB", "ADJ") and is_cue(word, "intend"):
            return True
    return False


def _clause_owner(token: Token, triggers: set[int]) -> Token:
    """The verb or trigger noun a date or place phrase belongs to."""
    current = token.head
    while current.i != current.head.i and current.pos_ not in ("VERB", "AUX") and current.i not in triggers:
        current = current.head
    return current


def _anchors(token: Token) -> set[int]:
    anchors = {token.i, *(g.i for g in governors(token))}
    verb = governing_clause(token) if token.pos_ == "NOUN" else None
    if verb is not None:
        anchors.add(verb.i)
    return anchors


def date_entities(sentence: SpacySpan) -> list[SpacySpan]:
    ents = doc_index(sentence.doc).ents_between(sentence.start, sentence.end)
    return [e for e in ents if e.label_ in DATE_ENTITY_LABELS and parse_date(e.text) is not None]


def clause_date(candidate: Candidate, dates: list[SpacySpan], triggers: set[int]) -> SpacySpan | None:
    anchors = _anchors(candidate.token)
    return next((d for d in dates if _clause_owner(d.root, triggers).i in anchors), None)


def main_clause_date(sentence: SpacySpan, dates: list[SpacySpan], triggers: set[int]) -> SpacySpan | None:
    """The date of the sentence's main clauses (not of an event noun or a clause deep
    inside it): what events without a date of their own happened on."""
    for date in dates:
        owner = _clause_owner(date.root, triggers)
        if owner.i not in triggers and owner.pos_ in ("VERB", "AUX") and tree_depth(owner) <= MAIN_CLAUSE_DEPTH:
            return date
    return None


def location_of(candidate: Candidate, target: Token | None, triggers: set[int]) -> str | None:
    anchors = _anchors(candidate.token)
    for ent in doc_index(candidate.token.doc).sentence_ents(candidate.token):
        if ent.label_ not in PLACE_ENTITY_LABELS or (target is not None and ent.start <= target.i < ent.end):
            continue
        prep = ent.root.head
        attached = prep.head.i in anchors or _clause_owner(prep, triggers).i in anchors
        if ent.root.dep_ == "pobj" and prep.lower_ in LOCATION_PREPOSITIONS and attached:
            return ent.text
    if (
        target is not None
        and candidate.type in PHYSICAL_TYPES
        and target.ent_type_ in PLACE_ENTITY_LABELS
        and knowledge.country_of_place(target.text)
        and not knowledge.is_country(target.text)
    ):
        return target.text
    return None
