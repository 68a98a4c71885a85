"""Story grouping: incremental, time-aware assignment of articles to stories.

- `features`: what grouping sees of an article (`ClusterItem`, `cluster_item`) and its TF-IDF channels;
- `model`: the link model, P(article belongs to a candidate story), and its shipped weights;
- `index`: the inverted index that offers candidate stories, bounded and expiring;
- `split`: the two-way cut that splits a story which swallowed a second event;
- `state`: what is remembered of each story, and the versioned saved state;
- `clusterer`: `StoryClusterer`, which puts those together for one article at a time;
- `assign`: `StoryAssigner.place`, the one place that decides an article's original, story
  and the moves of a split, and the batch drivers `cluster_corpus` / `assign_stories`.
"""

from .assign import Placement, StoryAssigner, assign_stories, cluster_corpus, publication_order
from .clusterer import ClusterSettings, StoryClusterer
from .features import CHANNELS, LEAD_TERMS, ClusterItem, cluster_item, numbers_in
from .index import ACTOR_KEY
from .model import Link, LinkModel, shipped_model
from .split import two_way_cut
from .state import STATE_VERSION

__all__ = [
    "ACTOR_KEY",
    "CHANNELS",
    "LEAD_TERMS",
    "STATE_VERSION",
    "ClusterItem",
    "ClusterSettings",
    "Link",
    "LinkModel",
    "Placement",
    "StoryAssigner",
    "StoryClusterer",
    "assign_stories",
    "cluster_corpus",
    "cluster_item",
    "numbers_in",
    "publication_order",
    "shipped_model",
    "two_way_cut",
]
