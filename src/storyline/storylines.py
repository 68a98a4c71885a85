"""Storylines: stories that continue one another over days or weeks.

A story is one news event (the fall of Kabul); a storyline links the stories of one long
arc (the US withdrawal from Afghanistan: the Bagram handover, the fall of Kabul, the
airlift). Stories stay tight; the storyline carries the arc. How it works:

- **Profile.** Each story keeps a profile: the sum of its articles' unit TF-IDF vectors of
  content lemmas (headline lemmas counted twice: the headline names the event) and of
  actor ids, inverse document frequencies learned online from every article seen, each
  profile trimmed to its heaviest terms.
- **Candidates.** An index maps each story's most salient actors to the story; a story
  looks for the stories it may continue among those sharing one of its salient actors and
  active within the last `window_days` before it began.
- **Decision.** While a story is young and in no storyline, each article it receives makes
  it look again: it joins the storyline of the best candidate whose profile similarity
  (`similarity`) reaches `min_similarity`, or starts a storyline with it. A story stays in
  the storyline it joined, so storylines only grow, like stories; each story is in at most one.

Decided as stories grow, in the same transaction as the articles (`library.Storyline`).
Store-free: the state survives through `dumps()` / `loads()`.
"""

from __future__ import annotations

import heapq
import json
import math
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from .cluster import ClusterItem
from .cluster.features import day_of, dot
from .records import StoryLink

STATE_VERSION = 1
Vector = dict[str, float]


@dataclass(frozen=True)
class StorylineSettings:
    """Knobs, tuned on the earlier weeks of neus-dev (docs/storylines.md)."""

    window_days: float = 21.0  # a story continues one active at most this long before it began
    min_similarity: float = 0.50  # of the profiles (`similarity`) for a story to continue another: as tuned (eval/storylines.py)
    actor_weight: float = 0.3  # share of the similarity from actors (the rest from words)
    salient_actors: int = 4  # a story's heaviest actors, indexed and looked up
    # a storyline needs a shared actor named in at most this share of all articles: Biden, the
    # United States or Congress appear in stories of every kind and link nothing by themselves
    specific_actor_share: float = 0.05
    specific_actor_floor: int = 10  # while a store is small, an actor in this many articles is still specific
    profile_terms: int = 60  # a profile keeps this many terms per channel
    young_articles: int = 4  # a story looks for its storyline while it has at most this many articles
    posting_limit: int = 128  # stories kept per actor in the index, most recently active first
    idf_prior_documents: float = 10.0  # keeps the first articles' shared words from weighing nothing


@dataclass(eq=False)
class _Profile:
    id: str
    terms: Vector = field(default_factory=dict)
    actors: Vector = field(default_factory=dict)
    size: int = 0
    first: float | None = None  # days since the epoch
    last: float | None = None
    storyline: str | None = None
    keys: tuple[str, ...] = ()  # its actors in the index
    order: int = 0  # stories in the order they started

    def to_json(self) -> list:
        return [self.id, self.terms, self.actors, self.size, self.first, self.last, self.storyline, list(self.keys), self.order]

    @classmethod
    def from_json(cls, data: list) -> _Profile:
        story_id, terms, actors, size, first, last, storyline, keys, order = data
        return cls(story_id, dict(terms), dict(actors), size, first, last, storyline, tuple(keys), order)


def _cosine(a: Vector, b: Vector) -> float:
    if not a or not b:
        return 0.0
    return dot(a, b) / math.sqrt(math.fsum(w * w for w in a.values()) * math.fsum(w * w for w in b.values()))


def _trimmed(vector: Vector, count: int) -> Vector:
    """The vector's `count` heaviest terms once it holds twice as many (trimming now and then is cheaper)."""
    return dict(heapq.nlargest(count, vector.items(), key=lambda kv: kv[1])) if len(vector) > 2 * count else vector


class StorylineLinker:
    """Incremental storylines: `add` each article with the story it was placed in, in publication order."""

    def __init__(self, settings: StorylineSettings | None = None):
        self.settings = settings or StorylineSettings()
        self.documents = 0
        self.term_frequency: dict[str, int] = {}
        self.actor_frequency: dict[str, int] = {}
        self.profiles: dict[str, _Profile] = {}
        self.postings: dict[str, dict[str, None]] = {}
        self.newest: float | None = None
        self.started = 0  # stories seen

    # ---- public --------------------------------------------------------------

    def add(self, story_id: str, item: ClusterItem) -> list[StoryLink]:
        """Count an article into its story's profile; the links made (the story, and the story it
        continues when that one starts a storyline now), or none."""
        terms, actors = self._vectors(item)
        day = day_of(item.published)
        profile = self.profiles.get(story_id)
        if profile is None:
            self.started += 1
            profile = self.profiles[story_id] = _Profile(story_id, order=self.started)
        for total, vector in ((profile.terms, terms), (profile.actors, actors)):
            for key, weight in vector.items():
                total[key] = total.get(key, 0.0) + weight
        profile.terms = _trimmed(profile.terms, self.settings.profile_terms)
        profile.actors = _trimmed(profile.actors, self.settings.profile_terms)
        profile.size += 1
        if day is not None:
            profile.first = day if profile.first is None else min(profile.first, day)
            profile.last = day if profile.last is None else max(profile.last, day)
            self.newest = day if self.newest is None else max(self.newest, day)
        links = self._link(profile) if profile.storyline is None and profile.size <= self.settings.young_articles else []
        self._index(profile)
        return links

    def storyline_of(self, story_id: str) -> str | None:
        profile = self.profiles.get(story_id)
        return profile.storyline if profile else None

    def candidates(self, story_id: str) -> list[tuple[float, str, tuple[str, ...]]]:
        """(similarity, story id, shared salient actors) of the stories `story_id` may continue, best first."""
        profile = self.profiles[story_id]
        found: dict[str, None] = {}
        for actor in self._salient(profile):
            found.update(self.postings.get(actor, {}))
        scored = []
        for other_id in found:
            other = self.profiles.get(other_id)
            if other is None or other is profile or not self._may_continue(profile, other):
                continue
            shared = tuple(sorted(set(self._salient(profile)) & set(self._salient(other))))
            if not any(self._specific(actor) for actor in shared):
                continue
            scored.append((self.similarity(profile, other), other_id, shared))
        return sorted(scored, key=lambda entry: (-entry[0], entry[1]))

    def similarity(self, first: _Profile, second: _Profile) -> float:
        weight = self.settings.actor_weight
        return (1.0 - weight) * _cosine(first.terms, second.terms) + weight * _cosine(first.actors, second.actors)

    def expire(self) -> None:
        """Forget stories too old to be continued: their storylines live on in the store."""
        if self.newest is None:
            return
        horizon = self.newest - 2 * self.settings.window_days
        for story_id in [p.id for p in self.profiles.values() if p.last is not None and p.last < horizon]:
            profile = self.profiles.pop(story_id)
            for actor in profile.keys:
                posting = self.postings.get(actor)
                if posting is not None:
                    posting.pop(story_id, None)
                    if not posting:
                        del self.postings[actor]

    def dumps(self) -> bytes:
        self.expire()
        state = {
            "version": STATE_VERSION,
            "settings": asdict(self.settings),
            "documents": self.documents,
            "term_frequency": self.term_frequency,
            "actor_frequency": self.actor_frequency,
            "newest": self.newest,
            "started": self.started,
            "profiles": [profile.to_json() for profile in self.profiles.values()],
        }
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 6)

    @classmethod
    def loads(cls, data: bytes) -> StorylineLinker:
        state = json.loads(zlib.decompress(data).decode("utf-8"))
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"storyline state version {state.get('version')!r}, expected {STATE_VERSION}")
        linker = cls(StorylineSettings(**state["settings"]))
        linker.documents = state["documents"]
        linker.term_frequency = state["term_frequency"]
        linker.actor_frequency = state["actor_frequency"]
        linker.newest = state["newest"]
        linker.started = state["started"]
        for data_row in state["profiles"]:
            profile = _Profile.from_json(data_row)
            linker.profiles[profile.id] = profile
            for actor in profile.keys:
                linker.postings.setdefault(actor, {})[profile.id] = None
        return linker

    # ---- internals -----------------------------------------------------------

    def _link(self, profile: _Profile) -> list[StoryLink]:
        candidates = self.candidates(profile.id)
        if not candidates or candidates[0][0] < self.settings.min_similarity:
            return []
        similarity, other_id, shared = candidates[0]
        other = self.profiles[other_id]
        links = []
        if other.storyline is None:
            other.storyline = other.id  # a storyline is named after its first story
            links.append(StoryLink(other.id, other.id, other.id, 1.0, ()))
        profile.storyline = other.storyline
        links.append(StoryLink(profile.id, other.storyline, other.id, round(similarity, 4), shared))
        return links

    def _may_continue(self, story: _Profile, earlier: _Profile) -> bool:
        """Whether `earlier` started before `story` and, both dated, was active within the window before it."""
        if earlier.order > story.order:
            return False
        if story.first is None or earlier.last is None:
            return True  # no time evidence either way
        return earlier.last >= story.first - self.settings.window_days

    def _specific(self, actor: str) -> bool:
        settings = self.settings
        return self.actor_frequency.get(actor, 0) <= max(settings.specific_actor_share * self.documents, settings.specific_actor_floor)

    def _salient(self, profile: _Profile) -> list[str]:
        return [actor for actor, _ in heapq.nlargest(self.settings.salient_actors, profile.actors.items(), key=lambda kv: kv[1])]

    def _index(self, profile: _Profile) -> None:
        salient = tuple(self._salient(profile))
        for actor in set(profile.keys) - set(salient):
            posting = self.postings.get(actor)
            if posting is not None:
                posting.pop(profile.id, None)
        for actor in salient:
            posting = self.postings.setdefault(actor, {})
            posting.pop(profile.id, None)  # re-inserted last: most recently active
            posting[profile.id] = None
            if len(posting) > self.settings.posting_limit:
                evicted = next(iter(posting))
                del posting[evicted]
                evicted_profile = self.profiles.get(evicted)
                if evicted_profile is not None:
                    evicted_profile.keys = tuple(key for key in evicted_profile.keys if key != actor)
        profile.keys = salient

    def _vectors(self, item: ClusterItem) -> tuple[Vector, Vector]:
        """Unit TF-IDF vectors of the article's words and actors; counts it into the frequencies first."""
        self.documents += 1
        documents = self.documents + 1.0 + self.settings.idf_prior_documents
        words = Counter(item.terms) + Counter(item.title_terms) + Counter(item.title_terms)
        actors = Counter(item.actors)
        return self._weigh(words, self.term_frequency, documents), self._weigh(actors, self.actor_frequency, documents)

    @staticmethod
    def _weigh(counts: Mapping[str, int], frequency: dict[str, int], documents: float) -> Vector:
        vector = {}
        for key, count in counts.items():
            seen = frequency.get(key, 0) + 1
            frequency[key] = seen
            vector[key] = (1.0 + math.log(count)) * math.log(documents / (seen + 0.5))
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {key: w / norm for key, w in vector.items() if w > 0.0} if norm > 0.0 else {}


def link_stories(stories: Mapping[str, str], items: Iterable[ClusterItem], settings: StorylineSettings | None = None) -> dict[str, str]:
    """{story id: storyline id} for a corpus already grouped (`stories`: article id -> story id),
    its items in publication order; stories in no storyline are left out."""
    linker = StorylineLinker(settings)
    storylines: dict[str, str] = {}
    for item in items:
        for link in linker.add(stories[item.article_id], item):
            storylines[link.story_id] = link.storyline_id
    return storylines
