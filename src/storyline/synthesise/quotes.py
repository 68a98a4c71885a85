"""Quotes across a story's articles: the same speaker saying the same words is one quote, and
how each version departs from the fullest direct one is its drift."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cached_property

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..records import AccountQuote, DiffPart, Quote, QuoteVersion
from .actors import StoryActors
from .corpus import Corpus, join_best, most_common, stable_id, unique

# Quotes shorter than this ("No.") merge only when word-for-word equal.
MIN_QUOTE_WORDS = 3
# Share of the shorter quote's words found, in order, in the other: a truncation.
CONTAINED_QUOTE = 0.8
# difflib ratio over words above which two wordings are one quote, altered.
ALTERED_QUOTE = 0.6
# Reported speech against a quote: share of the fewer content words in common, and a floor.
PARAPHRASE_OVERLAP = 0.6
PARAPHRASE_MIN_WORDS = 3
# Without a resolved speaker on both sides, only a near-verbatim long quote is the same quote.
UNATTRIBUTED_MATCH = 0.9
UNATTRIBUTED_MIN_WORDS = 6

KIND_RANK = {"direct": 0, "mixed": 1, "indirect": 2}
_WORD = re.compile(r"\S+")


def _normal_word(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower().replace("’", "'").replace("'", ""))


@dataclass
class _QuoteItem:
    article_id: str
    quote: Quote
    speaker: str | None
    display: list[str]  # the words as written
    words: list[str]  # the same words folded for comparison

    @classmethod
    def of(cls, article_id: str, quote: Quote, speaker: str | None) -> _QuoteItem:
        pairs = [(w, _normal_word(w)) for w in _WORD.findall(quote.text)]
        pairs = [(display, word) for display, word in pairs if word]
        return cls(article_id, quote, speaker, [d for d, _ in pairs], [w for _, w in pairs])

    @cached_property
    def content(self) -> set[str]:
        return {w for w in self.words if w not in ENGLISH_STOP_WORDS}

    @cached_property
    def counts(self) -> Counter:
        return Counter(self.words)


def _matched_words(a: _QuoteItem, b: _QuoteItem) -> int:
    """How many words of the two quotes match in order (0 when they cannot match enough to count)."""
    shorter = min(len(a.words), len(b.words))
    # the words in common bound the words matched in order; most pairs stop at this cheap test
    common = sum((a.counts & b.counts).values())
    if common < CONTAINED_QUOTE * shorter and 2 * common < ALTERED_QUOTE * (len(a.words) + len(b.words)):
        return 0
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def quote_match(a: _QuoteItem, b: _QuoteItem) -> float | None:
    """How surely two quotes are one thing said (0..1), or None when they are not."""
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return None
    same_speaker = bool(a.speaker) and a.speaker == b.speaker
    shorter = min(len(a.words), len(b.words))
    if shorter < MIN_QUOTE_WORDS:
        return 1.0 if same_speaker and a.words == b.words else None
    matched = _matched_words(a, b)
    contained = matched / shorter  # a truncation keeps (nearly) all its words in order
    if not same_speaker:
        return contained if contained >= UNATTRIBUTED_MATCH and shorter >= UNATTRIBUTED_MIN_WORDS else None
    if contained >= CONTAINED_QUOTE:
        return contained
    similarity = 2 * matched / (len(a.words) + len(b.words))  # difflib's ratio
    if similarity >= ALTERED_QUOTE:
        return similarity
    if "indirect" in (a.quote.kind, b.quote.kind):
        shared = len(a.content & b.content)
        fewer = min(len(a.content), len(b.content))
        if shared >= PARAPHRASE_MIN_WORDS and shared / fewer >= PARAPHRASE_OVERLAP:
            return shared / fewer
    return None


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


def quote_drift(version: _QuoteItem, reference: _QuoteItem) -> str:
    if version is reference:
        return "reference"
    if version.words == reference.words:
        return "verbatim"
    if len(version.words) < len(reference.words) and _is_subsequence(version.words, reference.words):
        return "truncated"
    if version.quote.kind == "indirect" and reference.quote.kind != "indirect":
        return "paraphrased"
    return "altered"


def quote_differences(version: _QuoteItem, reference: _QuoteItem) -> tuple[DiffPart, ...]:
    matcher = SequenceMatcher(None, reference.words, version.words, autojunk=False)
    names = {"equal": "same", "delete": "omitted", "insert": "added", "replace": "changed"}
    return tuple(
        DiffPart(names[op], " ".join(reference.display[i1:i2]), " ".join(version.display[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def merge_quotes(corpus: Corpus, actors: StoryActors) -> tuple[AccountQuote, ...]:
    groups: list[list[_QuoteItem]] = []
    # only quotes sharing a word can match, so each is compared with the groups that share one
    groups_with: dict[str, set[int]] = defaultdict(set)
    for article_id, stored in corpus.by_id.items():
        for quote in sorted(stored.annotation.quotes, key=lambda q: q.start):
            item = _QuoteItem.of(article_id, quote, actors.resolve(article_id, quote.speaker.entity, quote.speaker.name))
            if not item.words:
                continue
            keys = item.content or set(item.words)
            nearby = set().union(*(groups_with[key] for key in keys))
            joined = join_best(groups, item, {index: _group_score(item, groups[index]) for index in nearby})
            for key in keys:
                groups_with[key].add(joined)
    used: set[str] = set()
    return tuple(_quote_record(group, corpus, actors, used) for group in groups)


def _group_score(item: _QuoteItem, group: list[_QuoteItem]) -> float | None:
    """How well a quote fits a group of versions: its best match with any of them."""
    speakers = {member.speaker for member in group if member.speaker}
    if item.speaker and speakers and item.speaker not in speakers:
        return None
    scores = []
    for member in group:
        if member.article_id == item.article_id:
            if member.words != item.words:
                return None  # one article giving two wordings is reporting two things said
            scores.append(1.0)
            continue
        score = quote_match(item, member)
        if score is not None:
            scores.append(score)
    return max(scores, default=None)


def _quote_record(group: list[_QuoteItem], corpus: Corpus, actors: StoryActors, used: set[str]) -> AccountQuote:
    reference = min(group, key=lambda q: (KIND_RANK.get(q.quote.kind, 3), -len(q.words), corpus.order[q.article_id], q.quote.start))
    speaker = most_common(q.speaker for q in group if q.speaker)
    speaker_name = actors.names[speaker] if speaker else most_common(q.quote.speaker.name for q in group if q.quote.speaker.name)
    versions = []
    for item in sorted(group, key=lambda q: (corpus.order[q.article_id], q.quote.start)):
        matcher = SequenceMatcher(None, reference.words, item.words, autojunk=False)
        versions.append(
            QuoteVersion(
                citation=corpus.cite(item.article_id, item.quote.start, item.quote.end),
                kind=item.quote.kind,
                speaker_name=item.quote.speaker.name,
                drift=quote_drift(item, reference),
                similarity=round(matcher.ratio(), 3),
                differences=() if item is reference else quote_differences(item, reference),
                parts=tuple(corpus.cite(item.article_id, part.start, part.end) for part in item.quote.spans),
            )
        )
    article_ids = corpus.in_order(q.article_id for q in group)
    drift = tuple(sorted({v.drift for v in versions} - {"reference", "verbatim"}))
    return AccountQuote(
        id=unique(stable_id("q", speaker or speaker_name, " ".join(reference.words)), used),
        speaker=speaker,
        speaker_name=speaker_name,
        text=reference.quote.text,
        kind=reference.quote.kind,
        articles=article_ids,
        outlets=corpus.outlets_of(article_ids),
        drift=drift,
        versions=tuple(versions),
    )
