"""Reported speech without quote marks, judged by a learned model.

The rules of `quotes.py` find the common forms (`X said that ...`, `according to X`). Reported
speech and attitude have a long tail (`the poll shows ...`, `he declined to say whether ...`,
`she announced her resignation`, `critics accused him of ...`): every word with a clause or an
object under it is a candidate (the word is the cue, the clause or object the content), and a
logistic model over the cue's lemma, the relation, the kind of subject and the shape of the
content says how likely it is to be an attribution.

The weights are fitted on the PolNeAR train split by `scripts/build_attribution_model.py` and
ship as `data/attribution_model.json` with the acceptance threshold chosen there by
cross-validation on train (never on dev).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from ..lexicons import data_text

MODEL_FILE = "attribution_model.json"
# relations under a cue whose subtree is what was said, believed or shown
VERB_CONTENT_DEPS = ("ccomp", "xcomp", "dobj")
NOUN_CONTENT_DEPS = ("ccomp", "acl")
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
PERSON_PRONOUNS = {"i", "we", "he", "she", "they", "you"}
MIN_CONTENT_WORDS = 1


@dataclass(frozen=True)
class Reported:
    """A cue and the stretch it reports, with what the model reads of them."""

    cue: Token
    start: int
    end: int
    features: tuple[str, ...]


def _subject(cue: Token) -> Token | None:
    """The cue's own subject, or its head's when a subjectless verb shares it (`..., adding ...`)."""
    for verb in (cue, cue.head):
        found = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if found is not None:
            return found
        if cue.dep_ not in {"xcomp", "advcl", "conj", "acl"}:
            break
    return None


def _subject_kind(subject: Token | None) -> str:
    if subject is None:
        return "none"
    if subject.lower_ in PERSON_PRONOUNS:
        return "pron-" + subject.lower_
    if subject.ent_type_:
        return "ent-" + subject.ent_type_
    return subject.pos_


def _bucket(words: int) -> str:
    return "1" if words <= 1 else "2-3" if words <= 3 else "4-8" if words <= 8 else "9-20" if words <= 20 else "21+"


def _content_span(root: Token) -> tuple[int, int, int] | None:
    tokens = list(root.subtree)
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens = tokens[:-1]
    words = sum(1 for t in tokens if not t.is_punct)
    if words < MIN_CONTENT_WORDS:
        return None
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1]), words


def features(cue: Token, root: Token, words: int) -> tuple[str, ...]:
    lemma = cue.lemma_.lower()
    relation = root.dep_
    subject = _subject(cue)
    subject_kind = _subject_kind(subject)
    subject_word = subject.lemma_.lower() if subject is not None and subject.pos_ == "NOUN" else "-"
    content_subject = any(c.dep_ in SUBJECT_DEPS | {"expl", "csubj"} for c in root.children)
    mark = next((c.lower_ for c in root.children if c.dep_ in {"mark", "aux"} and c.i < root.i), "-")
    negated = any(c.dep_ == "neg" for c in cue.children)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in cue.children)
    return (
        "bias",
        f"lemma={lemma}",
        f"rel={relation}",
        f"lemma|rel={lemma}|{relation}",
        f"pos={cue.pos_}",
        f"tag={cue.tag_}",
        f"lemma|tag={lemma}|{cue.tag_}",
        f"cue_dep={cue.dep_}",
        f"rel|cue_dep={relation}|{cue.dep_}",
        f"subject={subject_kind}",
        f"lemma|subject={lemma}|{subject_kind}",
        f"rel|subject={relation}|{subject_kind}",
        f"subject_word={subject_word}",
        f"content_subject={content_subject}",
        f"lemma|content_subject={lemma}|{content_subject}",
        f"mark={mark}",
        f"lemma|mark={lemma}|{mark}",
        f"content_pos={root.pos_}",
        f"rel|content_pos={relation}|{root.pos_}",
        f"words={_bucket(words)}",
        f"rel|words={relation}|{_bucket(words)}",
        f"negated={negated}",
        f"passive={passive}",
        f"lemma|passive={lemma}|{passive}",
    )


def _reports(clause: Token) -> bool:
    """A clause under a noun that says what the noun holds: `calls to resign`, `a claim that ...`."""
    return any(c.dep_ in {"aux", "mark"} and c.lower_ in {"to", "that"} for c in clause.children)


def candidates(doc: Doc) -> Iterator[Reported]:
    """Every cue with a clause or object under it, and the stretch that clause or object covers."""
    for token in doc:
        if token.pos_ == "VERB":
            relations = VERB_CONTENT_DEPS
        elif token.pos_ == "NOUN":
            relations = NOUN_CONTENT_DEPS
        else:
            continue
        for root in token.children:
            if root.dep_ not in relations or root.i < token.i and root.dep_ != "ccomp":
                continue
            if root.dep_ == "acl" and not _reports(root):
                continue  # `promises made in Doha` describes the promises, it does not say them
            span = _content_span(root)
            if span is None:
                continue
            start, end, words = span
            yield Reported(token, start, end, features(token, root, words))


@dataclass(frozen=True)
class AttributionModel:
    weights: dict[str, float]
    threshold: float

    def probability(self, features: tuple[str, ...]) -> float:
        score = sum(self.weights.get(name, 0.0) for name in features)
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))


@cache
def attribution_model() -> AttributionModel:
    data = json.loads(data_text(MODEL_FILE))
    return AttributionModel(weights=data["weights"], threshold=data["threshold"])


def select(pool: list[Reported], probabilities: list[float], threshold: float) -> list[Reported]:
    """The candidates at or above the threshold, likeliest first, none overlapping another."""
    kept: list[Reported] = []  # disjoint, in text order
    starts: list[int] = []
    for probability, candidate in sorted(zip(probabilities, pool), key=lambda item: -item[0]):
        if probability < threshold:
            break
        k = bisect_right(starts, candidate.start)
        if (k > 0 and kept[k - 1].end > candidate.start) or (k < len(kept) and kept[k].start < candidate.end):
            continue
        kept.insert(k, candidate)
        starts.insert(k, candidate.start)
    return kept
