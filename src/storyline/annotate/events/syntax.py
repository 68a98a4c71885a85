"""Dependency-parse helpers the event components share, and the document's entities and
sentences indexed once (`doc_index`), so no look-up walks the whole document."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from spacy.tokens import Doc, Span as SpacySpan, Token

from .. import knowledge
from .lexicon import is_cue


ACTOR_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_ENTITY_LABELS = {"GPE", "LOC", "FAC"}
DATE_ENTITY_LABELS = {"DATE", "TIME"}
QUANTITY_ENTITY_LABELS = {"CARDINAL", "QUANTITY", "DATE", "TIME", "PERCENT", "MONEY"}
IMPERSONAL_PRONOUNS = {"it", "this", "that"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs"}
PERSONAL_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "we", "us", "i", "me", "you"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
CLAUSE_DEPS = {"xcomp", "ccomp"}
PREPOSITION_DEPS = {"prep", "agent", "dative"}
PARTICLE_DEPS = {"prt", "advmod", "prep"}


class _DocIndex:
    """A parsed article's entities and sentences as sorted lists, built once per document: a
    sentence's entities are then a bisection away (spaCy's `Span.ents` walks all the
    document's entities on every call, which made annotation quadratic in article length)."""

    def __init__(self, doc: Doc):
        self.ents = list(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.sents = list(doc.sents)
        self._sent_starts = [s.start for s in self.sents]

    def ents_between(self, start: int, end: int) -> list[SpacySpan]:
        """Entities starting in the token range [start, end)."""
        return self.ents[bisect_left(self._ent_starts, start) : bisect_left(self._ent_starts, end)]

    def sentence_ents(self, token: Token) -> list[SpacySpan]:
        sentence = self.sentence_of(token)
        return self.ents_between(sentence.start, sentence.end)

    def sentence_of(self, token: Token) -> SpacySpan:
        return self.sents[bisect_right(self._sent_starts, token.i) - 1]

    def sentences_between(self, start: int, end: int) -> list[SpacySpan]:
        """Sentences starting in the token range [start, end)."""
        return self.sents[bisect_left(self._sent_starts, start) : bisect_left(self._sent_starts, end)]


def doc_index(doc: Doc) -> _DocIndex:
    index = doc.user_data.get(_DocIndex.__name__)
    if index is None:
        index = doc.user_data[_DocIndex.__name__] = _DocIndex(doc)
    return index


def children_with(token: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [child for child in token.children if child.dep_ in deps]


def is_passive(verb: Token) -> bool:
    """A passive clause, or a passive participle modifying a noun ("a meeting chaired by")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return any(child.dep_ == "agent" for child in verb.children)
    return any(child.dep_ in PASSIVE_SUBJECT_DEPS or child.dep_ == "auxpass" for child in verb.children)


def child_preposition(token: Token, word: str) -> Token | None:
    """The child preposition `word`, or the same word marking a child clause ("called
    for him to go")."""
    for child in token.children:
        if child.dep_ in PREPOSITION_DEPS | {"mark"} and child.lower_ == word:
            return child
        if child.dep_ in CLAUSE_DEPS | {"advcl"} and child.i > token.i:
            marker = next((m for m in child.children if m.dep_ == "mark" and m.lower_ == word), None)
            if marker is not None:
                return marker
    return None


def through_quantity(token: Token) -> Token:
    """The counted thing of a quantity phrase ("thousands of refugees", "10 days of war
    games", "a group of leaders"); the token itself otherwise."""
    for _ in range(3):
        if not (token.like_num or token.ent_type_ in QUANTITY_ENTITY_LABELS or is_cue(token, "collective")):
            return token
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next(iter(children_with(of, {"pobj"})), None) if of is not None else None
        if pobj is None:
            return token
        token = pobj
    return token


def path_to(inner: Token, outer: Token) -> list[str] | None:
    """Dependency labels from `inner` up to its ancestor `outer`, or None."""
    deps = []
    token = inner
    while token.i != outer.i:
        if token.head.i == token.i:
            return None
        deps.append(token.dep_)
        token = token.head
    return deps


def path_top(inner: Token, outer: Token) -> Token:
    """The child of `outer` on the way down to `inner`."""
    token = inner
    while token.head.i != outer.i:
        token = token.head
    return token


def is_purpose(clause: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children) or any(
        c.dep_ == "mark" and c.lower_ == "for" for c in clause.children
    )


def is_actor_like(token: Token) -> bool:
    """Whether a noun phrase head can be a source or target: a name, a pronoun, a role or
    group noun, or a common noun modified by a country or body ("Cambodian refugee camp").
    An adjective is one only as a nationality ("the Turkish and Greek sides")."""
    if token.ent_type_ in DATE_ENTITY_LABELS or token.like_num:
        return False
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    if token.pos_ == "ADJ":
        return token.ent_type_ in ACTOR_ENTITY_LABELS or knowledge.lookup(token.text) is not None
    if token.ent_type_ in ACTOR_ENTITY_LABELS or token.pos_ == "PROPN":
        return True
    if token.pos_ != "NOUN" or is_cue(token, "collective"):
        return False
    if knowledge.sector_of(token.lower_) is not None or knowledge.lookup(token.text):
        return True
    return any(
        child.dep_ in ("compound", "amod", "nmod")
        and (child.ent_type_ in ACTOR_ENTITY_LABELS or knowledge.lookup(child.text) is not None)
        for child in token.children
    )


def conjuncts_of(token: Token) -> list[Token]:
    return [token, *(c for c in token.conjuncts if c.i > token.i and c.pos_ in ("NOUN", "PROPN", "PRON"))]


def governing_clause(token: Token) -> Token | None:
    """The verb whose clause `token` sits in, climbing out of noun phrases."""
    head = token.head
    while head.i != head.head.i and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    return head if head.i != token.i and head.pos_ in ("VERB", "AUX") else None


def tree_depth(token: Token) -> int:
    steps = 0
    while token.head.i != token.i:
        token, steps = token.head, steps + 1
    return steps
