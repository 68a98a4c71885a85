"""Quote extraction scored against a gold file: span-overlap precision, recall and F1,
per kind, and speaker accuracy.

Gold file: JSON lines, one case each —
`{"id", "patterns": [...], "text": <article text>, "quotes": [{"text", "kind", "speaker"}]}`,
or `"article": <id>` instead of `"text"` to score an article of the demo corpus. Quote
texts are the words between the marks, listed in text order; each is located at its first
occurrence after the previous one; the parts of a quote interrupted by its attribution are
listed as quotes of their own. `speaker` is the canonical name, or null when no actor of the
text spoke it (nobody is named, or only a description: "two diplomats").

A found quote matches a gold quote when their spans overlap (one to one, largest overlap
first). Its speaker is right when the found actor is named the gold name or was mentioned
by it, or when the gold is null and the found speaker is no actor.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..records import Actor, Article, Quote

KINDS = ("direct", "mixed", "indirect")
DEMO_CORPUS = ("demo", "articles.jsonl")


@dataclass(frozen=True)
class GoldQuote:
    text: str
    start: int
    end: int
    kind: str
    speaker: str | None


@dataclass(frozen=True)
class GoldCase:
    id: str
    text: str
    patterns: tuple[str, ...]
    quotes: tuple[GoldQuote, ...]


def default_gold_path() -> Path:
    return Path(str(resources.files("storyline.data").joinpath("eval", "quotes_gold.jsonl")))


def _demo_texts() -> dict[str, str]:
    path = resources.files("storyline.data").joinpath(*DEMO_CORPUS)
    if not path.is_file():
        return {}
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {str(record["id"]): record["text"] for record in records}


def load_gold(path: Path) -> list[GoldCase]:
    """The gold cases of a file, each quote located in its text; a quote text not found is an error."""
    cases = []
    demo: dict[str, str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        if "text" in record:
            text = record["text"]
        else:
            demo = _demo_texts() if demo is None else demo
            if record["article"] not in demo:
                raise ValueError(f"{path}:{number}: demo article {record['article']!r} not in the demo corpus")
            text = demo[record["article"]]
        quotes, cursor = [], 0
        for quote in record["quotes"]:
            start = text.find(quote["text"], cursor)
            if start < 0:
                raise ValueError(f"{path}:{number}: quote {quote['text'][:40]!r} not found in case {record['id']}")
            end = start + len(quote["text"])
            quotes.append(GoldQuote(quote["text"], start, end, quote["kind"], quote["speaker"]))
            cursor = start + 1
        cases.append(GoldCase(str(record["id"]), text, tuple(record.get("patterns", ())), tuple(quotes)))
    return cases


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def match(gold: Sequence[GoldQuote], found: Sequence[Quote]) -> list[tuple[GoldQuote, Quote]]:
    """One-to-one pairs of overlapping gold and found quotes, largest overlap first."""
    scored = sorted(
        (
            (_overlap(g.start, g.end, f.start, f.end), gi, fi)
            for gi, g in enumerate(gold)
            for fi, f in enumerate(found)
            if _overlap(g.start, g.end, f.start, f.end) > 0
        ),
        reverse=True,
    )
    pairs, used_gold, used_found = [], set(), set()
    for _, gi, fi in scored:
        if gi not in used_gold and fi not in used_found:
            used_gold.add(gi)
            used_found.add(fi)
            pairs.append((gold[gi], found[fi]))
    return pairs


def _fold(name: str) -> str:
    return " ".join(name.casefold().removeprefix("the ").split())


def speaker_correct(gold: GoldQuote, found: Quote, actors: Iterable[Actor]) -> bool:
    if gold.speaker is None:
        return found.speaker.entity is None  # unnamed, or a description no actor holds ("two diplomats")
    if found.speaker.name is None:
        return False
    wanted = _fold(gold.speaker)
    if _fold(found.speaker.name) == wanted:
        return True
    actor = next((a for a in actors if a.id == found.speaker.entity), None)
    return actor is not None and any(_fold(m.text) == wanted for m in actor.mentions)


def _prf(matched: int, found: int, gold: int) -> dict[str, float | int]:
    precision = matched / found if found else 1.0
    recall = matched / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "found": found, "gold": gold, "matched": matched}


def score(results: Iterable[tuple[GoldCase, Sequence[Quote], Sequence[Actor]]]) -> dict:
    """Metrics over (case, found quotes, actors) triples."""
    totals = {"found": 0, "gold": 0, "matched": 0, "speaker_right": 0, "kind_right": 0}
    by_kind = {kind: {"found": 0, "gold": 0, "matched": 0, "speaker_right": 0} for kind in KINDS}
    by_pattern: dict[str, dict[str, int]] = {}
    errors = []
    for case, found, actors in results:
        pairs = match(case.quotes, found)
        totals["found"] += len(found)
        totals["gold"] += len(case.quotes)
        totals["matched"] += len(pairs)
        for gold, quote in pairs:
            right = speaker_correct(gold, quote, actors)
            totals["speaker_right"] += right
            totals["kind_right"] += gold.kind == quote.kind
            if not right or gold.kind != quote.kind:
                errors.append(
                    {"case": case.id, "text": gold.text[:60], "kind": [gold.kind, quote.kind], "speaker": [gold.speaker, quote.speaker.name]}
                )
        matched_ids = {id(g) for g, _ in pairs}
        matched_found = {id(q) for _, q in pairs}
        errors.extend({"case": case.id, "missed": g.text[:60]} for g in case.quotes if id(g) not in matched_ids)
        errors.extend({"case": case.id, "false": q.text[:60]} for q in found if id(q) not in matched_found)
        for kind in KINDS:
            gold_kind = [g for g in case.quotes if g.kind == kind]
            found_kind = [q for q in found if q.kind == kind]
            kind_pairs = match(gold_kind, found_kind)
            by_kind[kind]["found"] += len(found_kind)
            by_kind[kind]["gold"] += len(gold_kind)
            by_kind[kind]["matched"] += len(kind_pairs)
            by_kind[kind]["speaker_right"] += sum(speaker_correct(g, q, actors) for g, q in kind_pairs)
        for pattern in case.patterns:
            counts = by_pattern.setdefault(pattern, {"gold": 0, "matched": 0, "speaker_right": 0})
            counts["gold"] += len(case.quotes)
            counts["matched"] += len(pairs)
            counts["speaker_right"] += sum(speaker_correct(g, q, actors) for g, q in pairs)
    matched = totals["matched"]
    report = _prf(matched, totals["found"], totals["gold"])
    report["speaker_accuracy"] = totals["speaker_right"] / matched if matched else 0.0
    report["kind_accuracy"] = totals["kind_right"] / matched if matched else 0.0
    report["kinds"] = {
        kind: {
            **_prf(c["matched"], c["found"], c["gold"]),
            "speaker_accuracy": c["speaker_right"] / c["matched"] if c["matched"] else 0.0,
        }
        for kind, c in by_kind.items()
    }
    report["patterns"] = by_pattern
    report["errors"] = errors
    return report


def evaluate(gold_path: Path | None = None) -> dict:
    """Run the quotes stage (spaCy parse, actors, quotes) over the gold cases and score it.

    Returns precision, recall, f1, speaker_accuracy, kind_accuracy, per-kind numbers
    (`kinds`), per-pattern counts (`patterns`), the mismatches (`errors`) and `cases`.
    """
    from ..annotate.actors import build_actors
    from ..annotate.pipeline import load_nlp
    from ..annotate.quotes import find_quotes

    cases = load_gold(gold_path or default_gold_path())
    nlp = load_nlp()
    results = []
    for case in cases:
        doc = nlp(case.text)
        actors = build_actors(doc, Article(id=case.id, text=case.text))
        # the gold lists each part of a quote interrupted by its attribution as a quote of its own
        parts = [replace(q, text=p.text, start=p.start, end=p.end, parts=()) for q in find_quotes(doc, actors) for p in q.spans]
        results.append((case, parts, actors))
    report = score(results)
    report["cases"] = len(cases)
    return report
