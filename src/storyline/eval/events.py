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

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

from ..annotate.actors import build_actors
from ..annotate.events import find_events, plover_type, primary_event
from ..annotate.knowledge import IGO, NGO
from ..annotate.pipeline import load_nlp
from ..records import Event, EventActor

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


def evaluate(path: Path) -> dict:
    """Type, source, target and full source-type-target accuracy over the records."""
    counts: Counter[str] = Counter()
    missed_types: Counter[str] = Counter()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        event = code_sentence(record["text"])
        sources, targets = _actors(record.get("source")), _actors(record.get("target"))
        expected = gold_type(record["event"])
        counts["sentences"] += 1
        if event is None:
            counts["no_event"] += 1
            missed_types[expected] += 1
            continue
        type_ok = plover_type(event) == expected
        source_ok = actor_matches(event.source, sources)
        if targets:
            target_ok = actor_matches(event.target, targets)
        else:
            target_ok = event.target is None or actor_matches(event.target, sources)
        counts["type"] += type_ok
        counts["source"] += source_ok
        counts["target"] += target_ok
        counts["full"] += type_ok and source_ok and target_ok
        if not type_ok:
            missed_types[expected] += 1
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
