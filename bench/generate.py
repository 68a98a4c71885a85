"""A generated news corpus of realistic shape, for benchmarks (no real text involved).

Words are made-up syllable strings. Function words and a Zipf-distributed general
vocabulary make up most of each ~500-word article; the rest comes from its topic's
vocabulary (shared by many stories), its story's own words, actors and places, and
numbers. Stories run from a day to several weeks, most are small and a few large; the
articles of a story are spread over its days and over some thirty outlets.

    python bench/generate.py 1000 > corpus.jsonl

`articles(n)` yields JSONL-ready dicts (id, title, text, source, published, story);
`cluster_items(articles)` turns them into `ClusterItem`s without spaCy: terms are the
content words, actors the slugs of the names the generator used.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone

import numpy as np

from storyline.cluster import ClusterItem, numbers_in
from storyline.cluster.features import LEAD_CHARACTERS, semantic_text
from storyline.cluster.semantic import embed

ARTICLE_WORDS = 500
ARTICLES_PER_DAY = 2000
TOPICS = 300
GENERAL_WORDS = 20000
FUNCTION_WORDS = (
    "the of and to a in that is was he for it with as his on be at by i this had not are but from or have an "
    "they which one you were her all she there would their we him been has when who will more no if out so said "
    "what up its about into than them can only other new some could time these two may then do first any my now "
    "such like our over man me even most made after also did many before must through back years where much your "
    "way well down should because each just those people how too little state good very make world still own see "
    "men work long get here between both life being under never day same another know while last might us great"
).split()
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in "aeiou"] + ["ka", "ro", "el", "an", "is", "or", "un"]
EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)


def _words(rng: np.random.Generator, count: int, syllables: tuple[int, int]) -> list[str]:
    seen: set[str] = set()
    words = []
    while len(words) < count:
        n = rng.integers(syllables[0], syllables[1] + 1)
        word = "".join(SYLLABLES[i] for i in rng.integers(0, len(SYLLABLES), n))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class _Vocabulary:
    def __init__(self, rng: np.random.Generator):
        self.general = np.array(_words(rng, GENERAL_WORDS, (2, 4)))
        zipf = 1.0 / np.arange(1, GENERAL_WORDS + 1)
        self.general_p = zipf / zipf.sum()
        self.topics = [np.array(_words(rng, 60, (2, 4))) for _ in range(TOPICS)]
        self.outlets = [" ".join(w.capitalize() for w in _words(rng, 2, (2, 3))) for _ in range(30)]


def _story(rng: np.random.Generator, vocabulary: _Vocabulary, start_day: float) -> dict:
    long_running = rng.random() < 0.05
    names = [" ".join(w.capitalize() for w in _words(rng, 2, (2, 3))) for _ in range(rng.integers(2, 6))]
    return {
        "topic": int(rng.integers(0, TOPICS)),
        "words": np.array(_words(rng, 40, (3, 4))),
        "names": names,
        "places": [w.capitalize() for w in _words(rng, 2, (2, 3))],
        "numbers": [str(int(x)) for x in rng.integers(2, 5000, 4)],
        "start": start_day,
        "days": float(rng.uniform(10, 40) if long_running else rng.exponential(1.5)),
        "size": int(rng.integers(40, 200) if long_running else min(60, int(rng.zipf(1.8)))),
    }


def _sentences(rng: np.random.Generator, words: list[str]) -> str:
    sentences, position = [], 0
    while position < len(words):
        length = int(rng.integers(12, 26))
        chunk = words[position : position + length]
        position += length
        chunk[0] = chunk[0][:1].upper() + chunk[0][1:]
        sentences.append(" ".join(chunk) + ".")
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


def articles(count: int, seed: int = 0) -> Iterator[dict]:
    """`count` generated articles in publication order."""
    rng = np.random.default_rng(seed)
    vocabulary = _Vocabulary(rng)
    span = count / ARTICLES_PER_DAY
    pending = []  # (day, story number)
    stories = []
    # a steady stream: stories start before and during the span, only articles inside it are kept
    while len(pending) < count:
        story = _story(rng, vocabulary, 0.0)
        story["start"] = float(rng.uniform(-story["days"], span))
        stories.append(story)
        days = story["start"] + rng.uniform(0, story["days"], story["size"])
        pending.extend((float(day), len(stories) - 1) for day in days if 0 <= day < span)
    pending.sort()
    for number, (day, story_number) in enumerate(pending[:count]):
        story = stories[story_number]
        yield _article(rng, vocabulary, story, f"g{number:07d}", f"s{story_number:06d}", day)


def _article(rng: np.random.Generator, vocabulary: _Vocabulary, story: dict, article_id: str, story_id: str, day: float) -> dict:
    kinds = rng.choice(5, ARTICLE_WORDS, p=[0.45, 0.33, 0.1, 0.07, 0.05])
    topic = vocabulary.topics[story["topic"]]
    general = rng.choice(vocabulary.general, int((kinds == 1).sum()), p=vocabulary.general_p)
    pools = {
        0: iter(rng.choice(FUNCTION_WORDS, int((kinds == 0).sum()))),
        1: iter(general),
        2: iter(rng.choice(topic, int((kinds == 2).sum()))),
        3: iter(rng.choice(story["words"], int((kinds == 3).sum()))),
    }
    specifics = story["names"] + story["places"] + story["numbers"]
    words = [next(pools[k]) if k < 4 else specifics[rng.integers(0, len(specifics))] for k in kinds]
    title_words = list(rng.choice(story["words"], 3)) + list(rng.choice(topic, 2)) + [story["names"][0]]
    rng.shuffle(title_words)
    return {
        "id": article_id,
        "title": " ".join(title_words).capitalize(),
        "text": _sentences(rng, words),
        "source": vocabulary.outlets[int(rng.integers(0, len(vocabulary.outlets)))],
        "published": (EPOCH + timedelta(days=day)).isoformat(),
        "story": story_id,
    }


NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+")
WORD = re.compile(r"[a-z]+")
_FUNCTION = frozenset(FUNCTION_WORDS)


def cluster_items(rows: Iterable[dict]) -> Iterator[ClusterItem]:
    """ClusterItems of generated articles: content words as terms, two-word names as actors, semantic vectors."""
    for row in rows:
        text = row["text"]
        (vector,) = embed([semantic_text(row["title"], text)])
        yield ClusterItem(
            article_id=row["id"],
            published=datetime.fromisoformat(row["published"]),
            terms=tuple(w for w in WORD.findall(text.lower()) if w not in _FUNCTION),
            title_terms=tuple(w for w in WORD.findall(row["title"].lower()) if w not in _FUNCTION),
            actors=tuple(dict.fromkeys(n.lower().replace(" ", "-") for n in NAME.findall(text))),
            source=row["source"],
            numbers=numbers_in(text),
            title=row["title"],
            lead=text[:LEAD_CHARACTERS],
            semantic=vector,
        )


if __name__ == "__main__":
    for article in articles(int(sys.argv[1]) if len(sys.argv) > 1 else 1000):
        sys.stdout.write(json.dumps(article) + "\n")
