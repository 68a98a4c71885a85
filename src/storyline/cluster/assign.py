"""The one place that decides an article's story: `StoryAssigner.place`.

Ingest (`Storyline._store_window`), `storyline cluster`, `recluster` and `storyline eval
cluster` all place articles through it, in publication order (`publication_order`):

    assigner = StoryAssigner(clusterer, deduper)        # saved states, or fresh ones
    placement = assigner.place(item, text, story_of=...)
    placement.original   # id of the article this one copies (syndicated copy), or None
    placement.story_id   # the story it belongs to
    placement.moves      # {earlier article id: new story id} when a split moved them

- `item` is the article's `ClusterItem` (`cluster_item(article, annotation)`); `text` its
  text for finding syndicated copies (None: do not look).
- `story_of(article_id)` answers the current story of an earlier article (a store looks it
  up; by default the assigner remembers the stories it placed itself). A copy takes its
  original's story and is not clustered, so it never inflates a story's evidence; if the
  original's story is unknown the copy is clustered like any article.
- `moves` lists the clustered articles a split moved; their copies move with them (the
  caller moves them, as `assign_stories` does and a store's `move_to_stories` does).

The assigner holds no store: the caller saves `assigner.clusterer` and `assigner.deduper`
with the articles (a store as rows, `store/state_rows.py`; or whole, `dumps()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import TypeVar

from ..dedupe import Deduper
from .clusterer import ClusterSettings, StoryClusterer
from .features import ClusterItem, day_of
from .model import LinkModel, StoryModel

T = TypeVar("T")


@dataclass(frozen=True)
class Placement:
    """Where one article went: its story, the article it copies, and what a split moved."""

    article_id: str
    story_id: str
    original: str | None = None  # the earlier article this one is a syndicated copy of
    moves: Mapping[str, str] = field(default_factory=dict)  # earlier clustered articles moved: id -> story


class StoryAssigner:
    """Copies first, then incremental clustering; see the module docstring."""

    def __init__(self, clusterer: StoryClusterer | None = None, deduper: Deduper | None = None):
        self.clusterer = clusterer or StoryClusterer()
        self.deduper = deduper or Deduper()
        self.stories: dict[str, str] = {}  # placed here: article id -> story (the default `story_of`)

    def place(self, item: ClusterItem, text: str | None = None, story_of: Callable[[str], str | None] | None = None) -> Placement:
        """Decide the article's original, story and the moves of a split (see the module docstring)."""
        story_of = story_of or self.stories.get
        original = self.deduper.add(item.article_id, text) if text is not None else None
        story_id = story_of(original) if original is not None else None
        moves: dict[str, str] = {}
        if story_id is None:
            story_id = self.clusterer.add(item)
            moves = dict(self.clusterer.last_moves)
        self.stories[item.article_id] = story_id
        self.stories.update(moves)
        return Placement(item.article_id, story_id, original, moves)


def publication_order(items: Iterable[T], published: Callable[[T], datetime | None] = attrgetter("published")) -> list[T]:
    """Items sorted by publication time; an undated item keeps its place after the dated item before it."""
    keyed = []
    anchor = float("-inf")
    for position, item in enumerate(items):
        day = day_of(published(item))
        if day is not None:
            anchor = day
        keyed.append((anchor if day is None else day, position, item))
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in keyed]


def cluster_corpus(
    items: Iterable[ClusterItem],
    texts: Mapping[str, str] | None = None,
    model: StoryModel | LinkModel | None = None,
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
    model: StoryModel | LinkModel | None = None,
    settings: ClusterSettings | None = None,
) -> dict[str, str]:
    """{article id: story id} for items fed in the order given (`cluster_corpus` sorts them first)."""
    assigner = StoryAssigner(StoryClusterer(model, settings))
    copies: dict[str, list[str]] = {}
    stories: dict[str, str] = {}
    for item in items:
        placement = assigner.place(item, texts[item.article_id] if texts is not None else None)
        stories[item.article_id] = placement.story_id
        if placement.original is not None:
            copies.setdefault(placement.original, []).append(item.article_id)
        for moved, story in placement.moves.items():  # a split: the moved and their copies
            for article_id in (moved, *copies.get(moved, ())):
                stories[article_id] = story
    return stories
