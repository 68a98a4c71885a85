"""Quotes scored against PolNeAR, political news with every attribution annotated (brat standoff).

Layout: `<split>/text/<article>.txt` and `<split>/attributions/<article>_<annotator>.ann`; an
article annotated by several annotators is scored against the first annotator in sorted order.
An attribution is a brat event (`Attribution` or `Attribution-no-source`) with a cue, an optional
source and one or more content spans (several `Content` arguments, or one discontinuous span
`315 448;463 553`): all its content spans together are one attribution, so a quote interrupted
by its attribution counts once.

- quoted (direct + mixed): a gold attribution whose content holds a double quote mark, against
  the found quotes of kind direct or mixed;
- all attributions: every gold attribution against every found quote, indirect speech included.

A found quote matches a gold attribution when the characters they share are at least half of
the shorter of the two (one to one, largest share first). A matched quote's speaker is right
when its mention overlaps the gold source, one of its actor's mentions does, or the gold source
names the actor (its full name or last word); pairs whose gold has no source are not counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..records import Actor, Article, Quote, Speaker

MIN_SHARE = 0.5
BASELINE_MIN_WORDS = 4
SPLITS = ("train", "dev")
_QUOTE_MARK = re.compile(r"[“”\"]|``|''")
_SPAN = re.compile(r"^(\d+) (\d+)$")


@dataclass(frozen=True)
class Attribution:
    parts: tuple[tuple[int, int], ...]  # content spans, in text order
    source: tuple[int, int] | None
    source_text: str | None
    quoted: bool  # the content holds quote marks: a direct or mixed quote


@dataclass(frozen=True)
class PolnearArticle:
    id: str
    text: str
    attributions: tuple[Attribution, ...]


@dataclass(frozen=True)
class _TextBound:
    type: str
    spans: tuple[tuple[int, int], ...]


def _text_bound(fields: list[str]) -> _TextBound:
    type_name, _, offsets = fields[1].partition(" ")
    spans = []
    for fragment in offsets.split(";"):
        found = _SPAN.match(fragment.strip())
        if found is None:
            raise ValueError(f"bad offsets {offsets!r}")
        spans.append((int(found.group(1)), int(found.group(2))))
    return _TextBound(type_name, tuple(spans))


def read_annotations(path: Path, text: str) -> tuple[list[Attribution], list[str]]:
    """The attributions of one `.ann` file, and a one-line error for each line it cannot read."""
    bounds: dict[str, _TextBound] = {}
    events: list[tuple[int, list[tuple[str, str]]]] = []
    errors = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split("\t")
        try:
            if re.match(r"T\d+$", fields[0]):
                bounds[fields[0]] = _text_bound(fields)
            elif re.match(r"E\d+$", fields[0]):
                arguments = [tuple(item.split(":", 1)) for item in fields[1].split()]
                events.append((number, [a for a in arguments if len(a) == 2]))
        except (IndexError, ValueError) as error:
            errors.append(f"{path}:{number}: {error}")
    attributions = []
    for number, arguments in events:
        if not arguments or not arguments[0][0].startswith("Attribution"):
            continue
        parts: list[tuple[int, int]] = []
        source = None
        for role, bound_id in arguments[1:]:
            bound = bounds.get(bound_id)
            if bound is None:
                errors.append(f"{path}:{number}: {bound_id} is not defined")
                continue
            if role.startswith("Content"):
                parts.extend(bound.spans)
            elif role.startswith("Source"):
                source = (bound.spans[0][0], bound.spans[-1][1])
        if not parts:
            continue
        parts.sort()
        quoted = any(_QUOTE_MARK.search(text[start:end]) for start, end in parts)
        source_text = text[source[0] : source[1]] if source else None
        attributions.append(Attribution(tuple(parts), source, source_text, quoted))
    return attributions, errors


def load_polnear(folder: Path, split: str) -> tuple[list[PolnearArticle], list[str]]:
    """The articles of a split with their attributions, and errors for what could not be read."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    root = folder / split
    annotations: dict[str, Path] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        article_id = path.stem.rsplit("_", 1)[0]
        annotations.setdefault(article_id, path)
    articles, errors = [], []
    for article_id, path in annotations.items():
        text_path = root / "text" / f"{article_id}.txt"
        if not text_path.is_file():
            errors.append(f"{path}: no text file {text_path.name}")
            continue
        text = text_path.read_text(encoding="utf-8")
        attributions, problems = read_annotations(path, text)
        errors.extend(problems)
        articles.append(PolnearArticle(article_id, text, tuple(attributions)))
    return articles, errors


def quote_parts(quote: Quote) -> tuple[tuple[int, int], ...]:
    return tuple((part.start, part.end) for part in quote.spans)


def _length(parts: Iterable[tuple[int, int]]) -> int:
    return sum(end - start for start, end in parts)


def shared_characters(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    return sum(max(0, min(a_end, b_end) - max(a_start, b_start)) for a_start, a_end in a for b_start, b_end in b)


def match(gold: Sequence[Attribution], found: Sequence[Quote]) -> list[tuple[Attribution, Quote]]:
    """One-to-one pairs sharing at least half of the shorter one's characters, largest share first."""
    scored = []
    for gi, attribution in enumerate(gold):
        for fi, quote in enumerate(found):
            parts = quote_parts(quote)
            shared = shared_characters(attribution.parts, parts)
            shorter = min(_length(attribution.parts), _length(parts))
            if shorter and shared >= MIN_SHARE * shorter:
                scored.append((shared / shorter, shared, gi, fi))
    pairs, used_gold, used_found = [], set(), set()
    for _, _, gi, fi in sorted(scored, reverse=True):
        if gi not in used_gold and fi not in used_found:
            used_gold.add(gi)
            used_found.add(fi)
            pairs.append((gold[gi], found[fi]))
    return pairs


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def speaker_correct(gold: Attribution, quote: Quote, actors: Sequence[Actor]) -> bool:
    if gold.source is None:
        raise ValueError("an attribution without a source has no speaker to compare")
    speaker = quote.speaker
    if speaker.name is None and speaker.entity is None:
        return False
    start, end = gold.source
    if speaker.start is not None and speaker.end is not None and speaker.start < end and start < speaker.end:
        return True
    actor = next((a for a in actors if a.id == speaker.entity), None)
    if actor is not None and any(m.start < end and start < m.end for m in actor.mentions):
        return True
    source_words = f" {_fold(gold.source_text or '')} "
    name = _fold(speaker.name or "")
    return bool(name) and (f" {name} " in source_words or f" {name.split()[-1]} " in source_words)


def _prf(matched: int, found: int, gold: int) -> dict[str, float | int]:
    precision = matched / found if found else 1.0
    recall = matched / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3), "found": found, "gold": gold, "matched": matched}


def score(results: Iterable[tuple[PolnearArticle, Sequence[Quote], Sequence[Actor]]]) -> dict:
    """Quoted (direct + mixed) and all-attribution precision, recall, F1, and speaker accuracy."""
    counts = {"quoted": [0, 0, 0], "all": [0, 0, 0]}  # matched, found, gold
    speakers = {"quoted": [0, 0], "all": [0, 0]}  # right, judged
    for article, found, actors in results:
        selections = {
            "quoted": ([a for a in article.attributions if a.quoted], [q for q in found if q.kind != "indirect"]),
            "all": (list(article.attributions), list(found)),
        }
        for name, (gold, mine) in selections.items():
            pairs = match(gold, mine)
            counts[name][0] += len(pairs)
            counts[name][1] += len(mine)
            counts[name][2] += len(gold)
            judged = [(g, q) for g, q in pairs if g.source is not None]
            speakers[name][0] += sum(speaker_correct(g, q, actors) for g, q in judged)
            speakers[name][1] += len(judged)
    report = {}
    for name in counts:
        report[name] = _prf(*counts[name])
        right, judged = speakers[name]
        report[name]["speaker_accuracy"] = round(right / judged, 3) if judged else 0.0
    return report


def marks_baseline(text: str, actors: Sequence[Actor]) -> list[Quote]:
    """Every quoted stretch of BASELINE_MIN_WORDS words or more is a direct quote by the person
    mentioned nearest to it in its paragraph; nothing else is a quote."""
    from ..annotate.layout import find_quoted_stretches, paragraph_spans

    paragraphs = paragraph_spans(text)
    people = sorted((m.start, m.end, a) for a in actors if a.type == "PERSON" for m in a.mentions)
    quotes = []
    for stretch in find_quoted_stretches(text):
        if len(text[stretch.start : stretch.end].split()) < BASELINE_MIN_WORDS:
            continue
        p_start, p_end = next(((s, e) for s, e in paragraphs if s <= stretch.open_at < e), (stretch.open_at, stretch.end))
        near = [
            (min(abs(m_start - stretch.end), abs(stretch.open_at - m_end)), m_start, m_end, actor)
            for m_start, m_end, actor in people
            if p_start <= m_start < p_end and not stretch.open_at <= m_start < stretch.end
        ]
        speaker = Speaker(None, None, None, None)
        if near:
            _, m_start, m_end, actor = min(near, key=lambda item: item[0])
            speaker = Speaker(actor.id, actor.name, m_start, m_end)
        quotes.append(Quote(text[stretch.start : stretch.end], stretch.start, stretch.end, "direct", speaker, None))
    return quotes


def evaluate(folder: Path, split: str = "dev", limit: int | None = None) -> dict:
    """The quotes stage (spaCy parse, actors, quotes) over a PolNeAR split, beside a baseline
    that takes every quoted stretch of a sentence or more as a quote by the nearest person named
    before it in its paragraph."""
    from ..annotate.actors import build_actors
    from ..annotate.pipeline import load_nlp
    from ..annotate.quotes import find_quotes

    articles, errors = load_polnear(folder, split)
    articles = articles[:limit] if limit else articles
    nlp = load_nlp()
    mine, baseline = [], []
    for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=8)):
        actors = build_actors(doc, Article(id=article.id, text=article.text))
        mine.append((article, find_quotes(doc, actors), actors))
        baseline.append((article, marks_baseline(article.text, actors), actors))
    return {
        "split": split,
        "articles": len(articles),
        "attributions": sum(len(a.attributions) for a in articles),
        "storyline": score(mine),
        "baseline": score(baseline),
        "unreadable": errors,
    }
