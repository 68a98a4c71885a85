"""An extractive summary of the story and its headline, every sentence cited."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from ..lexicons import word_set
from ..records import AccountActor, AccountEvent, AccountQuote, SummarySentence
from .corpus import Corpus

SUMMARY_MIN_WORDS = 8
SUMMARY_MAX_WORDS = 60
# Lead sentences carry a news story; looking further into long articles only costs time.
MAX_CANDIDATES_PER_ARTICLE = 25
LEXRANK_DAMPING = 0.85
LEXRANK_ITERATIONS = 100
LEXRANK_TOLERANCE = 1e-6
# Later sentences count for 1 / (1 + decay * position).
POSITION_DECAY = 0.1
FACT_WEIGHT = 0.5  # a sentence's share of facts the summary has not told yet
NEW_SOURCE_WEIGHT = 0.3  # a sentence from an outlet the summary does not cite yet
NEAR_REPEAT = 0.5  # tf-idf cosine at which a sentence repeats one already chosen
SAME_SENTENCE = 0.8  # cosine at which another article carries the same sentence

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
# "SALTMERE, Vestria (Meridian Wire) - ", "LONDON (Reuters) — ": where a report was filed, not what happened
_DATELINE = re.compile(r"^[A-Z][A-Z'’ .-]*[A-Z](?:,\s[^-–—()\n]{1,40}?)?(?:\s\([^)\n]{1,40}\))?\s[-–—]+\s")


@cache
def _abbreviations() -> frozenset[str]:
    return word_set("quote_abbreviations.txt")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets by punctuation, one paragraph (line) at a time; no parser needed."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
            before = re.search(r"([\w.]+)[.!?…]*$", text[start : end.start() + 1])
            word = before.group(1).lower().rstrip(".") if before else ""
            if text[end.start()] == "." and (word in _abbreviations() or (len(word) == 1 and word.isalpha())):
                continue
            spans.append((start, end.end()))
            start = end.end()
        spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            trimmed.append((start + left, start + right))
    return trimmed


@dataclass
class _Sentence:
    article_id: str
    start: int
    end: int
    text: str
    position: int = 0  # index among its article's candidate sentences
    facts: frozenset[str] = frozenset()


def _sentences(corpus: Corpus) -> list[_Sentence]:
    result = []
    for article_id, stored in corpus.by_id.items():
        text = stored.article.text
        for start, end in stored.annotation.sentences or split_sentences(text):
            dateline = _DATELINE.match(text, start, end)
            start = dateline.end() if dateline else start
            result.append(_Sentence(article_id, start, end, " ".join(text[start:end].split())))
    return result


def _is_candidate(sentence: _Sentence, corpus: Corpus) -> bool:
    if corpus.is_copy(sentence.article_id):
        return False  # its original's sentence stands for it, and cites it
    words = len(sentence.text.split())
    title = corpus.by_id[sentence.article_id].article.title
    return (
        SUMMARY_MIN_WORDS <= words <= SUMMARY_MAX_WORDS
        and bool(_TERMINAL.search(sentence.text))
        and not sentence.text[:1].islower()
        and sentence.text != (" ".join(title.split()) if title else None)
    )


def _fact_mentions(actors: Sequence[AccountActor], quotes: Sequence[AccountQuote], events: Sequence[AccountEvent]):
    """Every mention of a fact of the story as (citation, fact key): who, what was said, what happened."""
    for actor in actors:
        for citation in actor.citations:
            yield citation, f"actor:{actor.id}"
    for quote in quotes:
        for version in quote.versions:
            yield version.citation, f"quote:{quote.id}"
    for item in events:
        for mention in item.mentions:
            yield mention.trigger, f"event:{item.id}"


def _attach_facts(candidates: list[_Sentence], actors, quotes, events) -> dict[str, float]:
    """Give each sentence the facts inside it; returns each fact's salience, log(1 + its mentions)."""
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    counts: Counter = Counter()
    for citation, key in _fact_mentions(actors, quotes, events):
        mentions[citation.article_id].append((citation.start, citation.end, key))
        counts[key] += 1
    for sentence in candidates:
        sentence.facts = frozenset(
            key for start, end, key in mentions[sentence.article_id] if start < sentence.end and end > sentence.start
        )
    return {key: float(np.log1p(count)) for key, count in counts.items()}


def _lexrank(similarity: np.ndarray) -> np.ndarray:
    n = len(similarity)
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, weights / np.where(sums > 0, sums, 1.0), 1.0 / n)
    incoming = np.ascontiguousarray(transition.T)
    rank = np.full(n, 1.0 / n)
    for _ in range(LEXRANK_ITERATIONS):
        previous, rank = rank, (1 - LEXRANK_DAMPING) / n + LEXRANK_DAMPING * incoming @ rank
        if np.abs(rank - previous).sum() < LEXRANK_TOLERANCE:
            break
    return rank / rank.max()


def _select(
    candidates: list[_Sentence], corpus: Corpus, base: np.ndarray, similarity: np.ndarray, salience: dict[str, float], length: int
) -> list[int]:
    """Greedy choice: each step takes the best sentence for what the summary still lacks."""
    chosen: list[int] = []
    told: set[str] = set()
    cited: set[str] = set()
    blocked = np.zeros(len(candidates), dtype=bool)
    while len(chosen) < length and not blocked.all():
        news = np.array([sum(salience[k] for k in s.facts - told) for s in candidates])
        fact_share = news / news.max() if news.max() > 0 else news
        fresh_outlet = np.array([corpus.outlet(s.article_id) not in cited for s in candidates], dtype=float)
        gain = np.where(blocked, -np.inf, base + FACT_WEIGHT * fact_share + NEW_SOURCE_WEIGHT * fresh_outlet)
        best = int(np.argmax(gain))
        chosen.append(best)
        told |= candidates[best].facts
        cited.add(corpus.outlet(candidates[best].article_id))
        blocked |= similarity[best] >= NEAR_REPEAT
        blocked[best] = True
    return chosen


def summarise(
    corpus: Corpus,
    actors: Sequence[AccountActor],
    quotes: Sequence[AccountQuote],
    events: Sequence[AccountEvent],
    length: int,
) -> tuple[tuple[SummarySentence, ...], str | None]:
    """An extractive summary of `length` sentences and a story headline.

    Sentences are chosen one at a time for centrality (LexRank over tf-idf, leads first),
    salient facts not yet told (actors, quotes, events inside the sentence) and outlets
    not yet cited; a sentence too close to one already chosen is never taken.
    """
    everything = _sentences(corpus)
    candidates = []
    positions: Counter = Counter()
    for sentence in filter(lambda s: _is_candidate(s, corpus), everything):
        sentence.position = positions[sentence.article_id]
        positions[sentence.article_id] += 1
        if sentence.position < MAX_CANDIDATES_PER_ARTICLE:
            candidates.append(sentence)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform([s.text for s in candidates])
    except ValueError:  # no candidates, or nothing in them but stop words
        return (), None
    similarity = (vectors @ vectors.T).toarray()
    lead = np.array([1.0 / (1.0 + POSITION_DECAY * s.position) for s in candidates])
    base = _lexrank(similarity) * lead
    headline = _headline(corpus, vectorizer, vectors) or candidates[int(np.argmax(base))].text
    salience = _attach_facts(candidates, actors, quotes, events)
    chosen = _select(candidates, corpus, base, similarity, salience, length)

    # cite every article carrying the chosen sentence, syndicated copies included
    everywhere = vectorizer.transform([s.text for s in everything])
    summary = []
    for index in sorted(chosen, key=lambda i: (corpus.order[candidates[i].article_id], candidates[i].start)):
        sentence = candidates[index]
        closeness = (everywhere @ vectors[index].T).toarray().ravel()
        best_elsewhere: dict[str, tuple[float, _Sentence]] = {}
        for other, score in zip(everything, closeness):
            if other.article_id != sentence.article_id and score >= SAME_SENTENCE:
                if score > best_elsewhere.get(other.article_id, (0.0, other))[0]:
                    best_elsewhere[other.article_id] = (score, other)
        citations = [corpus.cite(sentence.article_id, sentence.start, sentence.end)]
        for article_id in corpus.in_order(best_elsewhere):
            other = best_elsewhere[article_id][1]
            citations.append(corpus.cite(article_id, other.start, other.end))
        summary.append(SummarySentence(sentence.text, tuple(citations)))
    return tuple(summary), headline


def _headline(corpus: Corpus, vectorizer: TfidfVectorizer, vectors) -> str | None:
    """The article title closest to what the whole story says."""
    titles = [" ".join(s.article.title.split()) for s in corpus.by_id.values() if s.article.title]
    if not titles:
        return None
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    scores = vectorizer.transform(titles) @ centroid
    return titles[int(np.argmax(scores))]
