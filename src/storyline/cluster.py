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
  that have gone quiet are removed, so the work per article stays bounded as stories pile up.
- **Decision.** For each candidate the cosine similarity of every channel goes into a
  logistic-regression model (`data/cluster_model.json`, trained on ECB+; see
  `storyline.eval.cluster`). The article joins the best candidate when its probability
  passes the model's threshold, else it starts a story whose id is its own id.
- **Splits.** Without dates, a story can swallow a second event of the same kind (two
  earthquakes in one region, two arrests of one player): once its first report of the other
  event joins, the centroid draws the rest in. So while an undated story is young, it
  remembers its members (each vector trimmed to its heaviest terms) and, each time it has
  grown by a good part, looks for the best way to cut them in two (spectral normalised cut over the link model's
  probabilities between members). A clean cut splits the story: the part without its first
  article becomes a story of its own, and `last_moves` lists the articles that changed story.
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
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import cache
from operator import attrgetter
from typing import TypeVar

from .lexicons import data_text

CHANNELS = ("terms", "actors", "names", "numbers", "lead")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
STATE_VERSION = 3
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
    max_candidates: int = 5  # stories scored per article (ECB+ B3 F1 with 10: 0.931, 5: 0.932, 3: 0.936)
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
    # siblings, so the bar for a dated link is at most this: on ECB+ given synthetic dates (events
    # years apart, reports over 3 days) B3 F1 rose from ~0.95 at a threshold of 0.18 to ~0.97 at 0.05
    # (and 0.987 at the model's 0.02).
    dated_threshold: float = 0.05
    # Splits (module docstring), measured on ECB+ (docs/clustering.md). With splits the link
    # model's best join threshold falls (0.25 -> 0.04: join freely, split what falls apart),
    # and with it the best cut rises: at 0.04, cuts below 0.35 / 0.45 / 0.5 gave B3 F1 0.927 /
    # 0.929 / 0.931 (shuffled 0.936 / 0.945 / 0.944). Members keep their 64 heaviest terms per
    # channel: 32 scored lower (0.913 against 0.924, at the older threshold), untrimmed no better.
    split_below_ncut: float = 0.45  # a story splits when its best two-way cut scores below this
    split_first_check: int = 6  # members before the first look for a cut
    split_growth: float = 1.4  # then a look each time the story has grown by this factor
    split_min_part: int = 3  # members each part of a split needs
    split_settled_size: int = 64  # a story this large is settled: its members are forgotten (so is a dated one)
    member_terms: int = 64


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


@dataclass
class _Member:
    """What a young story remembers of one of its articles, to be able to split."""

    article_id: str
    day: float | None
    vectors: list[Vector]  # trimmed to the heaviest `member_terms` per channel


@dataclass(eq=False)
class _Story:
    id: str
    centroids: list[Vector]
    norms2: list[float]
    size: int = 0
    first: float | None = None  # days since the epoch
    last: float | None = None
    keys: dict[str, None] = field(default_factory=dict)  # its terms in the index
    members: list[_Member] | None = field(default_factory=list)  # None once settled
    next_check: int = 0  # size at which to look for a split next

    def similarities(self, vectors: list[Vector]) -> tuple[float, ...]:
        values = []
        for vector, centroid, norm2 in zip(vectors, self.centroids, self.norms2):
            if not vector or norm2 <= 0.0:
                values.append(0.0)
                continue
            values.append(_dot(vector, centroid) / math.sqrt(norm2))
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

    def leave(self, members: list[_Member]) -> None:
        """Take `members` out (a split): their vectors come off the centroids."""
        gone = {member.article_id for member in members}
        for member in members:
            for centroid, vector in zip(self.centroids, member.vectors):
                for term, weight in vector.items():
                    left = centroid.get(term, 0.0) - weight
                    if left > 1e-9:
                        centroid[term] = left
                    else:
                        centroid.pop(term, None)
        self.norms2 = [sum(w * w for w in centroid.values()) for centroid in self.centroids]
        self.members = [member for member in self.members if member.article_id not in gone]
        self.size -= len(members)
        days = [member.day for member in self.members if member.day is not None]
        self.first, self.last = (min(days), max(days)) if days else (None, None)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "size": self.size,
            "first": self.first,
            "last": self.last,
            "norms2": self.norms2,
            "centroids": self.centroids,
            "members": None if self.members is None else [[m.article_id, m.day, m.vectors] for m in self.members],
            "next_check": self.next_check,
        }

    @classmethod
    def from_json(cls, data: Mapping) -> _Story:
        members = data["members"]
        return cls(
            id=data["id"],
            centroids=[dict(c) for c in data["centroids"]],
            norms2=list(data["norms2"]),
            size=data["size"],
            first=data["first"],
            last=data["last"],
            members=None if members is None else [_Member(i, day, [dict(v) for v in vectors]) for i, day, vectors in members],
            next_check=data["next_check"],
        )


def two_way_cut(similarity: Sequence[Sequence[float]], min_part: int) -> tuple[float, list[int], list[int]] | None:
    """The best cut of a similarity graph in two (normalised cut, one side, the other side).

    Spectral: members are ordered by the second eigenvector of the normalised graph
    Laplacian and the cut is the split point of that order with the lowest normalised cut
    (cut weight over each side's volume, summed): 0 for two unconnected groups, near 1 or
    more when there is no good cut. None when the graph is too small or has an isolated member.
    """
    import numpy as np
    from threadpoolctl import threadpool_limits

    weights = np.asarray(similarity, dtype=float)
    size = len(weights)
    degree = weights.sum(axis=1)
    if size < 2 * min_part or (degree <= 0.0).any():
        return None
    scale = 1.0 / np.sqrt(degree)
    laplacian = np.eye(size) - scale[:, None] * weights * scale[None, :]
    # one thread: for graphs this small, BLAS threads cost 15x the work (1.9 ms against 0.12 ms)
    with threadpool_limits(1, user_api="blas"):
        _, vectors = np.linalg.eigh(laplacian)
    order = np.argsort(scale * vectors[:, 1], kind="stable")
    best = None
    for cut_at in range(min_part, size - min_part + 1):
        side, other = order[:cut_at], order[cut_at:]
        cut = weights[np.ix_(side, other)].sum()
        score = cut / degree[side].sum() + cut / degree[other].sum()
        if best is None or score < best[0]:
            best = (float(score), sorted(side.tolist()), sorted(other.tolist()))
    return best


def _dot(a: Vector, b: Vector) -> float:
    shared = a.keys() & b.keys()  # set intersection in C: most terms are not shared
    # fsum: exact, so the result does not depend on the set's (hash-seeded) order
    return math.fsum(a[term] * b[term] for term in shared)


def _sigmoid(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-log_odds)) if log_odds > -50 else 0.0


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
        self.last_moves: dict[str, str] = {}  # earlier articles the latest split moved: id -> new story

    # ---- public --------------------------------------------------------------

    def add(self, item: ClusterItem, story: str | None = None) -> str:
        """The id of the story the article joins (or starts).

        `story` overrides the decision (for training and replay): an existing story id
        to join, or the article's own id to start a story.
        """
        vectors = self._vectors(item)
        day = _day(item.published)
        index_terms = self._index_terms(vectors)
        self.last_links = self._links(vectors, index_terms, day)
        self.last_moves = {}
        if story is None:
            best = self.last_links[0] if self.last_links else None
            threshold = self.model.threshold
            if best is not None and best.dated:
                threshold = min(threshold, self.settings.dated_threshold)
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
        return self._remember(target, item.article_id, day, vectors)

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

    def _index_terms(self, vectors: list[Vector]) -> list[tuple[str, float]]:
        """Index keys of an article: its heaviest terms and, apart, its heaviest actors."""
        keys = heapq.nlargest(self.settings.index_terms, vectors[0].items(), key=lambda kv: kv[1])
        # actors too: two outlets may tell one story in different words but name the same people
        keys += [
            (ACTOR_KEY + actor, weight)
            for actor, weight in heapq.nlargest(self.settings.index_actors, vectors[1].items(), key=lambda kv: kv[1])
        ]
        return keys

    def _remember(self, story: _Story, article_id: str, day: float | None, vectors: list[Vector]) -> str:
        """Keep the article among a young story's members and split the story if it is time; the article's story."""
        settings = self.settings
        if story.members is None:
            return story.id
        if story.size > settings.split_settled_size or story.first is not None:
            story.members = None  # settled, or dated: then the quiet-time penalty keeps events apart
            return story.id
        trimmed = [
            {
                sys.intern(t): w
                for t, w in (
                    heapq.nlargest(settings.member_terms, vector.items(), key=lambda kv: kv[1])
                    if len(vector) > settings.member_terms
                    else vector.items()
                )
            }
            for vector in vectors
        ]
        story.members.append(_Member(article_id, day, trimmed))
        if story.size < max(story.next_check, settings.split_first_check):
            return story.id
        story.next_check = math.ceil(story.size * settings.split_growth)
        new = self._split(story)
        if new is None:
            return story.id
        self.last_moves = {m.article_id: new.id for m in new.members if m.article_id != article_id}
        article_moved = any(m.article_id == article_id for m in new.members)
        return new.id if article_moved else story.id

    def _split(self, story: _Story) -> _Story | None:
        """Cut a story in two if its members fall apart cleanly; the new story, or None."""
        members = story.members
        similarity = [[0.0] * len(members) for _ in members]
        for i, first in enumerate(members):
            for j in range(i + 1, len(members)):
                dots = tuple(_dot(a, b) for a, b in zip(first.vectors, members[j].vectors))
                similarity[i][j] = similarity[j][i] = _sigmoid(self.model.log_odds(dots))
        cut = two_way_cut(similarity, self.settings.split_min_part)
        if cut is None or cut[0] >= self.settings.split_below_ncut:
            return None
        _, side, other = cut
        leaving = [members[i] for i in (other if 0 in side else side)]  # the founder's side keeps the id
        story.leave(leaving)
        new = _Story(id=leaving[0].article_id, centroids=[{} for _ in CHANNELS], norms2=[0.0] * len(CHANNELS))
        for member in leaving:
            new.join(member.vectors, member.day, self.settings.centroid_terms)
            self._index(new, self._index_terms(member.vectors))
        new.members = leaving
        new.next_check = math.ceil(new.size * self.settings.split_growth)
        self.stories[new.id] = new
        return new

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
            probability = _sigmoid(log_odds)
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
    return assign_stories(publication_order(items), texts, model, settings)


def assign_stories(
    items: Iterable[ClusterItem],
    texts: Mapping[str, str] | None = None,
    model: LinkModel | None = None,
    settings: ClusterSettings | None = None,
) -> dict[str, str]:
    """{article id: story id} for items fed in the order given (`cluster_corpus` sorts them first)."""
    from .dedupe import Deduper

    clusterer = StoryClusterer(model, settings)
    deduper = Deduper() if texts is not None else None
    stories: dict[str, str] = {}
    copies: dict[str, list[str]] = {}
    for item in items:
        original = deduper.add(item.article_id, texts[item.article_id]) if deduper is not None else None
        if original is not None:
            stories[item.article_id] = stories[original]
            copies.setdefault(original, []).append(item.article_id)
            continue
        stories[item.article_id] = clusterer.add(item)
        for moved, story in clusterer.last_moves.items():  # a split: the moved and their copies
            for article_id in (moved, *copies.get(moved, ())):
                stories[article_id] = story
    return stories
