"""Event coding accuracy on PLOVER gold-standard records (e.g. shared gsr_dev.jsonl).

One coded sentence is one case: storyline codes the sentence's main event
(`code_sentence`) and it is compared with the record's event type, source actors
and target actors.

- Types compare in PLOVER 2021 terms: the records' earlier names are mapped to the ones
  that replaced them, and a reported intention counts as PLOVER codes it
  (`events.plover_type`).
- An actor matches a gold actor when their codes agree (ISO-3 country, or IGO/NGO for
  international bodies) or one's text contains the other's.
- A record without target actors (no target, or a compound actor coded SRC/TAR) accepts
  no target, or one of its own source actors as the target.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..annotate.actors import build_actors
from ..annotate.events import find_events, plover_type, primary_event
from ..annotate.events.lexicon import cameo_entries_withheld, hand_entries_withheld, lemma_variants
from ..annotate.knowledge import IGO, NGO
from ..annotate.pipeline import load_nlp
from ..records import Event, EventActor

EVENT_MARKUP = re.compile(r"\(EVT: ([^)]*)\)")
# event types of earlier PLOVER drafts -> the PLOVER 2021 type that absorbed them
TYPE_ALIASES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
# CAMEO-era country codes in the records -> ISO 3166-1 alpha-3
CODE_ALIASES = {"JAP": "JPN", "ITL": "ITA"}


def code_sentence(text: str, published: datetime | None = None) -> Event | None:
    """The main PLOVER event of one sentence (a coder's unit), through the full pipeline."""
    doc = load_nlp()(text)
    return primary_event(find_events(doc, build_actors(doc), published), doc)


def gold_type(name: str) -> str:
    return TYPE_ALIASES.get(name.upper(), name.upper())


def _normal_text(text: str) -> str:
    text = re.sub(r"[^\w\s]", " ", text.lower())
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ")


def _code(actor: EventActor) -> str | None:
    if actor.country:
        return actor.country
    return actor.sector if actor.sector in (IGO, NGO) else None


def actor_matches(actor: EventActor | None, gold: list[dict]) -> bool:
    if actor is None:
        return False
    code = _code(actor)
    name = _normal_text(actor.name)
    for entry in gold:
        gold_code = CODE_ALIASES.get(entry.get("code", ""), entry.get("code", ""))
        gold_text = _normal_text(entry.get("actorText", ""))
        if code and code == gold_code:
            return True
        if name and gold_text and (gold_text in name or name in gold_text):
            return True
    return False


def _actors(value) -> list[dict]:
    return value if isinstance(value, list) else []


@dataclass
class _Case:
    """One gold record, its parse, and the event storyline codes for it."""

    id: str
    expected: str
    sources: list[dict]
    targets: list[dict]
    doc: object  # the parsed sentence (a spaCy Doc: only annotate/ names spaCy)
    actors: list
    trigger_lemmas: frozenset[str]  # lemmas of the words the coder marked as the event (EVT)
    event: Event | None = None

    def code(self) -> Event | None:
        return primary_event(find_events(self.doc, self.actors, None), self.doc)


def read_cases(path: Path) -> list[_Case]:
    nlp = load_nlp()
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        doc = nlp(record["text"])
        marked = {w.lower() for phrase in EVENT_MARKUP.findall(record.get("textInfo", {}).get("markup", "")) for w in phrase.split()}
        case = _Case(
            id=record.get("id", str(len(cases))),
            expected=gold_type(record["event"]),
            sources=_actors(record.get("source")),
            targets=_actors(record.get("target")),
            doc=doc,
            actors=build_actors(doc),
            trigger_lemmas=frozenset(lemma for t in doc if t.lower_ in marked for lemma in lemma_variants(t)),
        )
        case.event = case.code()
        cases.append(case)
    return cases


def _score(cases: Iterable[tuple[_Case, Event | None]]) -> dict:
    counts: Counter[str] = Counter()
    missed_types: Counter[str] = Counter()
    for case, event in cases:
        counts["sentences"] += 1
        if event is None:
            counts["no_event"] += 1
            missed_types[case.expected] += 1
            continue
        type_ok = plover_type(event) == case.expected
        source_ok = actor_matches(event.source, case.sources)
        if case.targets:
            target_ok = actor_matches(event.target, case.targets)
        else:
            target_ok = event.target is None or actor_matches(event.target, case.sources)
        counts["type"] += type_ok
        counts["source"] += source_ok
        counts["target"] += target_ok
        counts["full"] += type_ok and source_ok and target_ok
        if not type_ok:
            missed_types[case.expected] += 1
    total = counts["sentences"] or 1
    return {
        "sentences": counts["sentences"],
        "type_accuracy": counts["type"] / total,
        "source_accuracy": counts["source"] / total,
        "target_accuracy": counts["target"] / total,
        "full_accuracy": counts["full"] / total,
        "no_event": counts["no_event"],
        "type_errors_by_gold_type": dict(missed_types.most_common()),
    }


def _fold_of(case: _Case, folds: int) -> int:
    """A record's fold, from a hash of its id: stable, and independent of the file's order."""
    return int(hashlib.sha256(case.id.encode()).hexdigest(), 16) % folds


def evaluate(path: Path, folds: int | None = None) -> dict:
    """Type, source, target and full source-type-target accuracy over the records, as shipped.

    With `folds`, each fold in turn is coded as if its records had never been read: the hand
    lexicon, written while reading these records, loses its entries for the words coders
    marked as events in this fold and in no other, and the CAMEO-derived entries answer for
    them. That is the "cross_validated" figure, what to expect on records never seen; beside
    it the same for the old hand lexicon alone ("old_lexicon") and the majority type of the
    other folds ("majority_type_accuracy"), the simple baseline."""
    cases = read_cases(path)
    metrics = _score((case, case.event) for case in cases)
    if not folds:
        return metrics
    held_out, old, majority_right = [], [], 0
    for fold in range(folds):
        training = [c for c in cases if _fold_of(c, folds) != fold]
        testing = [c for c in cases if _fold_of(c, folds) == fold]
        seen = frozenset().union(*(c.trigger_lemmas for c in training))
        unseen = frozenset().union(*(c.trigger_lemmas for c in testing)) - seen
        majority = Counter(c.expected for c in training).most_common(1)[0][0]
        with hand_entries_withheld(unseen):
            held_out += [(case, case.code()) for case in testing]
            with cameo_entries_withheld():
                old += [(case, case.code()) for case in testing]
        majority_right += sum(case.expected == majority for case in testing)
    cross_validated, old_lexicon = _score(held_out), _score(old)
    return {
        "folds": folds,
        **{f"cross_validated_{k}": v for k, v in cross_validated.items() if k != "sentences"},
        **{f"old_lexicon_{k}": old_lexicon[k] for k in ("type_accuracy", "full_accuracy")},
        "majority_type_accuracy": majority_right / (len(cases) or 1),
        **{f"as_shipped_{k}": metrics[k] for k in ("type_accuracy", "full_accuracy")},
        "sentences": len(cases),
    }
