"""`StoryClusterer`: incremental, time-aware assignment of articles to stories.

For each article the index (`index.py`) offers candidate stories; the cosine of every
channel (`features.py`) goes into the link model (`model.py`), time lowers the odds of a
story that has been quiet for a while, and the article joins the likeliest candidate when its
probability passes the model's threshold, else starts a story whose id is its own id. Young
undated stories remember their members and split when they fall apart (`split.py`). The
state is saved whole (`dumps`, `state.py`) or, by a store, as rows: the clusterer notes what
changed since it was last saved (`changed_stories`, `changed_terms`, the index's `changed`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .features import CHANNELS, ClusterItem, TermWeights, Vector, channel_tokens, day_of, dot
from .index import SemanticIndex, StoryIndex, index_keys
from .semantic import DIMENSIONS
from .model import Link, LinkModel, StoryModel, shipped_model
from .split import trimmed, two_way_cut
from .state import Member, StoryState, decode_state, encode_state


@dataclass(frozen=True)
class ClusterSettings:
    """Knobs of retrieval, memory and time (defaults measured with bench/bench_cluster.py)."""

    index_terms: int = 12  # heaviest terms of an article used to look up and to index stories
    index_actors: int = 16  # and heaviest actors, looked up and indexed the same way
    max_candidates: int = 5  # stories scored per article from the inverted index
    semantic_candidates: int = 5  # and from the nearest by semantic vector
    posting_limit: int = 256  # stories kept per index term, most recently updated first
    centroid_terms: int = 400  # a story keeps at most this many terms per channel (x2 before trimming)
    max_quiet_days: float = 21.0  # a story quiet for longer leaves the index
    expire_every: int = 512  # articles between sweeps for quiet stories
    idf_prior_documents: float = 10.0  # see features.TermWeights
    # Splits (split.py), measured on ECB+ (docs/clustering.md): cuts below 0.35 / 0.45 / 0.5 gave
    # B3 F1 0.927 / 0.929 / 0.931. Members keep their 64 heaviest terms per channel.
    split_below_ncut: float = 0.45  # a story splits when its best two-way cut scores below this
    split_first_check: int = 6  # members before the first look for a cut
    split_growth: float = 1.4  # then a look each time the story has grown by this factor
    split_min_part: int = 3  # members each part of a split needs
    split_settled_size: int = 64  # a story this large is settled: its members are forgotten (so is a dated one)
    member_terms: int = 64


class StoryClusterer:
    """Incremental story assignment; `add` each article in publication order.

    The state survives between runs through `dumps()` / `loads()`. Story ids are the id
    of the story's first article, so the same input gives the same ids.
    """

    def __init__(self, model: StoryModel | LinkModel | None = None, settings: ClusterSettings | None = None):
        self.model = StoryModel.of(model or shipped_model())
        self.settings = settings or ClusterSettings()
        self.weights = TermWeights(self.settings.idf_prior_documents)
        self.stories: dict[str, StoryState] = {}
        self.index = StoryIndex(self.settings.posting_limit)
        self.semantic_index = SemanticIndex(DIMENSIONS)
        self.newest: float | None = None  # latest publication day seen
        self.since_sweep = 0
        self.last_links: list[Link] = []  # candidates weighed for the latest article
        self.last_moves: dict[str, str] = {}  # earlier articles the latest split moved: id -> new story
        # since the state was last saved: stories joined, split or forgotten; terms counted per channel
        self.changed_stories: set[str] = set()
        self.changed_terms: list[set[str]] = [set() for _ in CHANNELS]

    # ---- public --------------------------------------------------------------

    def add(self, item: ClusterItem, story: str | None = None) -> str:
        """The id of the story the article joins (or starts).

        `story` overrides the decision (for training and replay): an existing story id
        to join, or the article's own id to start a story.
        """
        vectors = self.weights.vectors(item)
        for changed, tokens in zip(self.changed_terms, channel_tokens(item)):
            changed.update(tokens)
        day = day_of(item.published)
        keys = index_keys(vectors, self.settings.index_terms, self.settings.index_actors)
        self.last_links = self._links(item, vectors, keys, day)
        self.last_moves = {}
        if story is None and self.last_links and self.last_links[0].probability >= self.last_links[0].threshold:
            story = self.last_links[0].story_id
        target = self.stories.get(story) if story is not None else None
        if target is None:
            target = StoryState.empty(item.article_id, len(CHANNELS))
            self.stories[target.id] = target
        target.join(vectors, day, self.settings.centroid_terms, item.semantic, item.source)
        self.changed_stories.add(target.id)
        self.index.add(target.id, (key for key, _ in keys))
        if target.semantic is not None:
            self.semantic_index.update(target.id, target.semantic)
        if day is not None:
            self.newest = day if self.newest is None else max(self.newest, day)
        self.since_sweep += 1
        if self.since_sweep >= self.settings.expire_every:
            self.expire()
        return self._remember(target, item, day, vectors)

    def expire(self) -> list[str]:
        """Forget stories quiet for longer than `max_quiet_days`; their ids."""
        self.since_sweep = 0
        if self.newest is None:
            return []
        horizon = self.newest - self.settings.max_quiet_days
        gone = [s.id for s in self.stories.values() if s.last is not None and s.last < horizon]
        self.changed_stories.update(gone)
        for story_id in gone:
            del self.stories[story_id]
            self.index.remove(story_id)
            self.semantic_index.remove(story_id)
        return gone

    def dumps(self) -> bytes:
        return encode_state(
            {
                "settings": asdict(self.settings),
                "documents": self.weights.documents,
                "document_frequency": self.weights.frequency,
                "newest": self.newest,
                "since_sweep": self.since_sweep,
                "stories": [story.to_json() for story in self.stories.values()],
                "postings": self.index.to_json(),
            }
        )

    @classmethod
    def loads(cls, data: bytes, model: StoryModel | LinkModel | None = None) -> StoryClusterer:
        state = decode_state(data)
        clusterer = cls(model, ClusterSettings(**state["settings"]))
        clusterer.weights = TermWeights(
            clusterer.settings.idf_prior_documents, state["documents"], [dict(df) for df in state["document_frequency"]]
        )
        clusterer.newest = state["newest"]
        clusterer.since_sweep = state["since_sweep"]
        clusterer.stories = {s["id"]: StoryState.from_json(s) for s in state["stories"]}
        clusterer.index = StoryIndex.from_json(state["postings"], clusterer.settings.posting_limit)
        for story in clusterer.stories.values():
            if story.semantic is not None:
                clusterer.semantic_index.update(story.id, story.semantic)
        return clusterer

    # ---- internals -----------------------------------------------------------

    def _remember(self, story: StoryState, item: ClusterItem, day: float | None, vectors: list[Vector]) -> str:
        """Keep the article among a young story's members and split the story if it is time; the article's story."""
        settings = self.settings
        article_id = item.article_id
        if story.members is None:
            return story.id
        if story.size > settings.split_settled_size or story.first is not None:
            story.members = None  # settled, or dated: then the quiet-time penalty keeps events apart
            return story.id
        story.members.append(Member(article_id, day, trimmed(vectors, settings.member_terms), item.semantic, item.source))
        if story.size < max(story.next_check, settings.split_first_check):
            return story.id
        story.next_check = math.ceil(story.size * settings.split_growth)
        new = self._split(story)
        if new is None:
            return story.id
        self.last_moves = {m.article_id: new.id for m in new.members if m.article_id != article_id}
        article_moved = any(m.article_id == article_id for m in new.members)
        return new.id if article_moved else story.id

    def _split(self, story: StoryState) -> StoryState | None:
        """Cut a story in two if its members fall apart cleanly; the new story, or None."""
        members = story.members
        similarity = [[0.0] * len(members) for _ in members]
        for i, first in enumerate(members):
            for j in range(i + 1, len(members)):
                similarity[i][j] = similarity[j][i] = self.model.undated.probability(pair_features(first, members[j]))
        cut = two_way_cut(similarity, self.settings.split_min_part)
        if cut is None or cut[0] >= self.settings.split_below_ncut:
            return None
        _, side, other = cut
        leaving = [members[i] for i in (other if 0 in side else side)]  # the founder's side keeps the id
        story.leave(leaving)
        new = StoryState.empty(leaving[0].article_id, len(CHANNELS))
        for member in leaving:
            new.join(member.vectors, member.day, self.settings.centroid_terms, member.semantic, member.outlet)
            keys = index_keys(member.vectors, self.settings.index_terms, self.settings.index_actors)
            self.index.add(new.id, (key for key, _ in keys))
        new.members = leaving
        for side in (story, new):
            if side.semantic is not None:
                self.semantic_index.update(side.id, side.semantic)
        new.next_check = math.ceil(new.size * self.settings.split_growth)
        self.stories[new.id] = new
        self.changed_stories.add(new.id)
        return new

    def _links(self, item: ClusterItem, vectors: list[Vector], keys: list[tuple[str, float]], day: float | None) -> list[Link]:
        """Candidate stories from the index, scored, likeliest first."""
        links = []
        candidates = self.index.candidates(keys, self.settings.max_candidates)
        candidates += self.semantic_index.nearest(item.semantic, self.settings.semantic_candidates)
        for story_id in dict.fromkeys(candidates):
            story = self.stories[story_id]
            if story.quiet_days(day) > self.settings.max_quiet_days:
                continue  # gone quiet: no longer a candidate, whether or not swept yet
            features = link_features(story, item, vectors, day)
            model = self.model.dated if day is not None and story.first is not None else self.model.undated
            links.append(Link(story_id, features, model.probability(features), model.threshold))
        links.sort(key=lambda link: -link.probability)
        return links


def link_features(story: StoryState, item: ClusterItem, vectors: list[Vector], day: float | None) -> dict[str, float]:
    """The link model's features (model.FEATURES) of an article and a candidate story."""
    features = {f"cos_{channel}": value for channel, value in zip(CHANNELS, story.similarities(vectors))}
    features["cos_semantic"] = story.semantic_cosine(item.semantic)
    features["gap_days"] = story.quiet_days(day)
    # the story's span were the article to join: its age for an article in publication order, and
    # still a cost for one arriving late from before the story began (the gap alone would attract it)
    features["span_days"] = max(story.last, day) - min(story.first, day) if day is not None and story.first is not None else 0.0
    features["same_outlet"] = float(bool(item.source) and item.source in story.outlets)
    return features


def pair_features(a: Member, b: Member) -> dict[str, float]:
    """The link model's features of two members of one story (to cut it): content alone."""
    features = {f"cos_{channel}": dot(x, y) for channel, x, y in zip(CHANNELS, a.vectors, b.vectors)}
    if a.semantic is not None and b.semantic is not None:
        features["cos_semantic"] = float(a.semantic @ b.semantic)
    return features
