"""Story grouping: incremental, time-aware assignment of articles to stories.

Each article is compared with the stories it could belong to and joins the likeliest,
or starts a story of its own. How it works:

- **Representation.** An article is five sparse TF-IDF vectors (sublinear term
  frequency, inverse document frequency learned online from everything seen so far):
  content lemmas (with the headline's), canonical actor ids, the words of those ids
  (so "w-mark-felt" still meets "mark-felt"), the numbers in the text, and the lemmas of
  the headline and lead alone, where a report says which event it is about. A story keeps
  the sum of its articles' vectors per channel (its centroid), trimmed to its heaviest
  terms so that its size and comparison cost stay bounded.
- **Candidates.** An inverted index maps each story's heaviest terms to the story;
  an article looks up its own heaviest terms and scores only the stories found there.
  Posting lists are capped (least recently updated stories drop out first) and stories
  that have gone quiet are removed, so the cost per article stays flat as stories pile up.
- **Decision.** For each candidate the cosine similarity of every channel goes into a
  logistic-regression model (`data/cluster_model.json`, trained on ECB+; see
  `storyline.eval.cluster`). The article joins the best candidate when its probability
  passes the model's threshold, else it starts a story whose id is its own id.
- **Time.** A story is measured against the article by the gap between the article's
  date and the story's span: a story that is still receiving articles keeps attracting
  more however long it runs, while one that has been quiet for more than a few days is
  penalised and after `max_quiet_days` leaves the index altogether. Undated articles
  carry no time evidence either way.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import cache
from operator import attrgetter
from typing import TypeVar

from .lexicons import data_text

CHANNELS = ("terms", "actors", "names", "numbers", "lead")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STATE_VERSION = 2
ACTOR_KEY = "@"  # index keys of actors, apart from those of terms
# content lemmas counted as the lead: about two sentences. Measured on ECB+ by topic-fold
# cross-validation: B3 F1 0.882 -> 0.893 (shuffled orders 0.892 -> 0.897) over the four other channels
LEAD_TERMS = 40
T = TypeVar("T")


@dataclass(frozen=True)
class ClusterItem:
    """What story grouping needs to know of one article."""

    article_id: str
    published: datetime | None
    terms: tuple[str, ...]  # content lemmas of the text, in order
    title_terms: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()  # canonical actor ids ("dominic-raab")
    source: str | None = None
    numbers: tuple[str, ...] = ()  # numbers written in the text (`numbers_in`)


def numbers_in(text: str) -> tuple[str, ...]:
    """The numbers written in a text ("23", "2,000", "5.6"): figures that tell one event from another."""
    return tuple(NUMBER.findall(text))


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of retrieval, memory and time (defaults measured with bench/bench_cluster.py)."""

    index_terms: int = 12  # heaviest terms of an article used to look up and to index stories
    index_actors: int = 16  # and heaviest actors, looked up and indexed the same way
    max_candidates: int = 10  # stories scored per article
    posting_limit: int = 256  # stories kept per index term, most recently updated first
    centroid_terms: int = 400  # a story keeps at most this many terms per channel (x2 before trimming)
    grace_days: float = 3.0  # quiet days a story may have before the time penalty starts
    quiet_penalty_per_day: float = 0.5  # log-odds lost per quiet day beyond the grace
    max_quiet_days: float = 21.0  # a story quiet for longer leaves the index
    expire_every: int = 512  # articles between sweeps for quiet stories
    # pseudo-documents added to the IDF's document count: without them the first articles
    # weigh every shared word near zero (two reports of one story share most of their words,
    # so they would never meet); with 10, the two seed reports join and ECB+ B3 F1 rises 0.876 -> 0.881
    idf_prior_documents: float = 10.0
    # The model's threshold is tuned on undated ECB+, where an article must be told from its
    # topic's sibling event by words alone. With dates, the quiet-time penalty separates such
    # siblings, so a lower bar applies: on ECB+ given synthetic dates (events years apart, reports
    # over 3 days) B3 F1 rose from ~0.95 at the model threshold to ~0.97 at 0.05.
    dated_threshold: float = 0.05


@dataclass(frozen=True)
class LinkModel:
    """Logistic regression over channel similarities: P(article belongs to story)."""

    weights: tuple[float, ...]  # one per CHANNELS entry, cosine of that channel
    bias: float
    threshold: float  # join when the probability reaches this

    def log_odds(self, similarities: tuple[float, ...]) -> float:
        return self.bias + sum(w * s for w, s in zip(self.weights, similarities))

    def to_json(self) -> dict:
        return {"features": [f"cos_{c}" for c in CHANNELS], **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping) -> LinkModel:
        return cls(weights=tuple(data["weights"]), bias=float(data["bias"]), threshold=float(data["threshold"]))


@cache
def shipped_model() -> LinkModel:
    """The trained model shipped in storyline/data/cluster_model.json."""
    return LinkModel.from_json(json.loads(data_text("cluster_model.json")))


@dataclass(frozen=True)
class Link:
    """A candidate story considered for an article: its similarities and probability."""

    story_id: str
    similarities: tuple[float, ...]
    quiet_days: float
    probability: float
    dated: bool = False  # both the article and the story have dates: time evidence was weighed


Vector = dict[str, float]


@dataclass(eq=False)
class _Story:
    id: str
    centroids: list[Vector]
    norms2: list[float]
    size: int = 0
    first: float | None = None  # days since the epoch
    last: float | None = None
    keys: dict[str, None] = field(default_factory=dict)  # its terms in the index

    def similarities(self, vectors: list[Vector]) -> tuple[float, ...]:
        values = []
        for vector, centroid, norm2 in zip(vectors, self.centroids, self.norms2):
            if not vector or norm2 <= 0.0:
                values.append(0.0)
                continue
            shared = vector.keys() & centroid.keys()  # set intersection in C: most terms are not shared
            # fsum: exact, so the result does not depend on the set's (hash-seeded) order
            values.append(math.fsum(vector[term] * centroid[term] for term in shared) / math.sqrt(norm2))
        return tuple(values)

    def quiet_days(self, day: float | None) -> float:
        """Days between the article and the story's span (0 inside it or when either is undated)."""
        if day is None or self.first is None:
            return 0.0
        return max(0.0, day - self.last, self.first - day)

    def join(self, vectors: list[Vector], day: float | None, centroid_terms: int) -> None:
        for channel, vector in enumerate(vectors):
            centroid = self.centroids[channel]
            get = centroid.get
            dot = 0.0
            for term, weight in vector.items():
                old = get(term, 0.0)
                dot += weight * old
                centroid[term] = old + weight
            self.norms2[channel] += 2.0 * dot + sum(w * w for w in vector.values())
            if len(centroid) > 2 * centroid_terms:
                kept = heapq.nlargest(centroid_terms, centroid.items(), key=lambda kv: kv[1])
                self.centroids[channel] = dict(kept)
                self.norms2[channel] = sum(w * w for _, w in kept)
        self.size += 1
        if day is not None:
            self.first = day if self.first is None else min(self.first, day)
            self.last = day if self.last is None else max(self.last, day)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "size": self.size,
            "first": self.first,
            "last": self.last,
            "norms2": self.norms2,
            "centroids": self.centroids,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> _Story:
        return cls(
            id=data["id"],
            centroids=[dict(c) for c in data["centroids"]],
            norms2=list(data["norms2"]),
            size=data["size"],
            first=data["first"],
            last=data["last"],
        )


def _day(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp() / 86400.0


def _channel_tokens(item: ClusterItem) -> list[Iterable[str]]:
    actors = tuple(dict.fromkeys(item.actors))
    names = [word for actor in actors for word in actor.split("-") if word]
    return [item.terms + item.title_terms, actors, names, item.numbers, item.title_terms + item.terms[:LEAD_TERMS]]


class StoryClusterer:
    """Incremental story assignment; `add` each article in publication order.

    The state survives between runs through `dumps()` / `loads()`. Story ids are the id
    of the story's first article, so the same input gives the same ids.
    """

    def __init__(self, model: LinkModel | None = None, settings: ClusterSettings | None = None):
        self.model = model or shipped_model()
        self.settings = settings or ClusterSettings()
        self.documents = 0
        self.document_frequency: list[dict[str, int]] = [{} for _ in CHANNELS]
        self.stories: dict[str, _Story] = {}
        self.postings: dict[str, dict[str, None]] = {}
        self.newest: float | None = None  # latest publication day seen
        self.since_sweep = 0
        self.last_links: list[Link] = []  # candidates weighed for the latest article

    # ---- public --------------------------------------------------------------

    def add(self, item: ClusterItem, story: str | None = None) -> str:
        """The id of the story the article joins (or starts).

        `story` overrides the decision (for training and replay): an existing story id
        to join, or the article's own id to start a story.
        """
        vectors = self._vectors(item)
        day = _day(item.published)
        index_terms = heapq.nlargest(self.settings.index_terms, vectors[0].items(), key=lambda kv: kv[1])
        # actors too: two outlets may tell one story in different words but name the same people
        index_terms += [
            (ACTOR_KEY + actor, weight)
            for actor, weight in heapq.nlargest(self.settings.index_actors, vectors[1].items(), key=lambda kv: kv[1])
        ]
        self.last_links = self._links(vectors, index_terms, day)
        if story is None:
            best = self.last_links[0] if self.last_links else None
            threshold = self.settings.dated_threshold if best is not None and best.dated else self.model.threshold
            if best is not None and best.probability >= threshold:
                story = best.story_id
        target = self.stories.get(story) if story is not None else None
        if target is None:
            target = _Story(id=item.article_id, centroids=[{} for _ in CHANNELS], norms2=[0.0] * len(CHANNELS))
            self.stories[target.id] = target
        target.join(vectors, day, self.settings.centroid_terms)
        self._index(target, index_terms)
        if day is not None:
            self.newest = day if self.newest is None else max(self.newest, day)
        self.since_sweep += 1
        if self.since_sweep >= self.settings.expire_every:
            self.expire()
        return target.id

    def expire(self) -> list[str]:
        """Forget stories quiet for longer than `max_quiet_days`; their ids."""
        self.since_sweep = 0
        if self.newest is None:
            return []
        horizon = self.newest - self.settings.max_quiet_days
        gone = [s.id for s in self.stories.values() if s.last is not None and s.last < horizon]
        for story_id in gone:
            story = self.stories.pop(story_id)
            for term in story.keys:
                posting = self.postings.get(term)
                if posting is not None:
                    posting.pop(story_id, None)
                    if not posting:
                        del self.postings[term]
        return gone

    def dumps(self) -> bytes:
        state = {
            "version": STATE_VERSION,
            "settings": asdict(self.settings),
            "documents": self.documents,
            "document_frequency": self.document_frequency,
            "newest": self.newest,
            "since_sweep": self.since_sweep,
            "stories": [story.to_json() for story in self.stories.values()],
            "postings": {term: list(posting) for term, posting in self.postings.items()},
        }
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def loads(cls, data: bytes, model: LinkModel | None = None) -> StoryClusterer:
        state = json.loads(zlib.decompress(data).decode("utf-8"))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"clusterer state version {state.get('version')!r}, expected {STATE_VERSION}")
        clusterer = cls(model, ClusterSettings(**state["settings"]))
        clusterer.documents = state["documents"]
        clusterer.document_frequency = [dict(df) for df in state["document_frequency"]]
        clusterer.newest = state["newest"]
        clusterer.since_sweep = state["since_sweep"]
        clusterer.stories = {s["id"]: _Story.from_json(s) for s in state["stories"]}
        clusterer.postings = {term: dict.fromkeys(ids) for term, ids in state["postings"].items()}
        for term, posting in clusterer.postings.items():
            for story_id in posting:
                clusterer.stories[story_id].keys[term] = None
        return clusterer

    # ---- internals -----------------------------------------------------------

    def _vectors(self, item: ClusterItem) -> list[Vector]:
        """Unit TF-IDF vector per channel; counts the article into the document frequencies first."""
        self.documents += 1
        documents = self.documents + 1.0 + self.settings.idf_prior_documents
        vectors = []
        for tokens, frequency in zip(_channel_tokens(item), self.document_frequency):
            counts = Counter(tokens)
            vector = {}
            for token, count in counts.items():
                df = frequency.get(token, 0) + 1
                frequency[token] = df
                vector[token] = (1.0 + math.log(count)) * math.log(documents / (df + 0.5))
            norm = math.sqrt(sum(w * w for w in vector.values()))
            vectors.append({t: w / norm for t, w in vector.items()} if norm > 0.0 else {})
        return vectors

    def _links(self, vectors: list[Vector], index_terms: list[tuple[str, float]], day: float | None) -> list[Link]:
        """Candidate stories from the index, scored, likeliest first."""
        hits: dict[str, float] = {}
        for term, weight in index_terms:
            for story_id in self.postings.get(term, ()):
                hits[story_id] = hits.get(story_id, 0.0) + weight
        candidates = heapq.nlargest(self.settings.max_candidates, hits.items(), key=lambda kv: kv[1])
        links = []
        settings = self.settings
        for story_id, _ in candidates:
            story = self.stories[story_id]
            quiet = story.quiet_days(day)
            if quiet > settings.max_quiet_days:
                continue  # gone quiet: no longer a candidate, whether or not swept yet
            similarities = story.similarities(vectors)
            log_odds = self.model.log_odds(similarities)
            log_odds -= settings.quiet_penalty_per_day * max(0.0, quiet - settings.grace_days)
            probability = 1.0 / (1.0 + math.exp(-log_odds)) if log_odds > -50 else 0.0
            links.append(Link(story_id, similarities, quiet, probability, dated=day is not None and story.first is not None))
        links.sort(key=lambda link: -link.probability)
        return links

    def _index(self, story: _Story, index_terms: list[tuple[str, float]]) -> None:
        limit = self.settings.posting_limit
        for term, _ in index_terms:
            posting = self.postings.setdefault(term, {})
            posting.pop(story.id, None)  # re-inserted last: most recently updated
            posting[story.id] = None
            story.keys[term] = None
            if len(posting) > limit:
                evicted = next(iter(posting))
                del posting[evicted]
                self.stories[evicted].keys.pop(term, None)


def publication_order(items: Iterable[T], published: Callable[[T], datetime | None] = attrgetter("published")) -> list[T]:
    """Items sorted by publication time; an undated item keeps its place after the dated item before it."""
    keyed = []
    anchor = float("-inf")
    for position, item in enumerate(items):
        day = _day(published(item))
        if day is not None:
            anchor = day
        keyed.append((anchor if day is None else day, position, item))
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in keyed]


def cluster_corpus(
    items: Iterable[ClusterItem],
    texts: Mapping[str, str] | None = None,
    model: LinkModel | None = None,
    settings: ClusterSettings | None = None,
) -> dict[str, str]:
    """{article id: story id} for a corpus processed in publication order.

    With `texts` (article id -> text), syndicated copies are found first: a copy takes
    its original's story instead of being clustered.
    """
    from .dedupe import Deduper

    clusterer = StoryClusterer(model, settings)
    deduper = Deduper() if texts is not None else None
    stories: dict[str, str] = {}
    for item in publication_order(items):
        original = deduper.add(item.article_id, texts[item.article_id]) if deduper is not None else None
        stories[item.article_id] = stories[original] if original is not None else clusterer.add(item)
    return stories

