"""The link model: the probability that an article belongs to a candidate story.

A logistic regression over named features of an (article, story) pair (`FEATURES`):
the cosine of every TF-IDF channel (`features.CHANNELS`), the cosine of their semantic
vectors, time (days between the article and the story's span, and the span the story would have), and whether
the article's outlet already reported the story.

Two of them (`StoryModel`): one for links where both the article and the story are dated,
fitted on a real dated stream (time and outlets say much there), and one for undated links,
fitted on undated reports (words alone must tell one event from its sibling). Shipped in
`storyline/data/cluster_model.json`, refitted with `python -m storyline.eval.cluster train`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from ..lexicons import data_text
from .features import CHANNELS

FEATURES = (
    *(f"cos_{channel}" for channel in CHANNELS),
    "cos_semantic",  # wordllama vectors of headline and lead (semantic.py)
    "gap_days",  # days between the article and the story's span (0 inside it, or undated)
    "span_days",  # days the story would span with the article: its age, in publication order (0 undated)
    "same_outlet",  # the article's outlet already reported the story
)


@dataclass(frozen=True)
class LinkModel:
    """Logistic regression over named pair features: P(article belongs to story)."""

    weights: Mapping[str, float]  # feature name -> weight; features not named weigh nothing
    bias: float
    threshold: float  # join when the probability reaches this

    def log_odds(self, features: Mapping[str, float]) -> float:
        return self.bias + sum(weight * features.get(name, 0.0) for name, weight in self.weights.items())

    def probability(self, features: Mapping[str, float]) -> float:
        return sigmoid(self.log_odds(features))

    def to_json(self) -> dict:
        return {"weights": dict(self.weights), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: Mapping) -> LinkModel:
        unknown = set(data["weights"]) - set(FEATURES)
        if unknown:
            raise ValueError(f"link model names unknown features: {sorted(unknown)}")
        return cls(weights=dict(data["weights"]), bias=float(data["bias"]), threshold=float(data["threshold"]))


@dataclass(frozen=True)
class StoryModel:
    """The link models for dated links (article and story both dated) and for the others."""

    dated: LinkModel
    undated: LinkModel

    @classmethod
    def of(cls, model: LinkModel | StoryModel) -> StoryModel:
        """A story model; one link model serves both kinds of link."""
        return model if isinstance(model, StoryModel) else cls(model, model)

    def to_json(self) -> dict:
        return {"dated": self.dated.to_json(), "undated": self.undated.to_json()}

    @classmethod
    def from_json(cls, data: Mapping) -> StoryModel:
        return cls(LinkModel.from_json(data["dated"]), LinkModel.from_json(data["undated"]))


@cache
def shipped_model() -> StoryModel:
    """The trained models shipped in storyline/data/cluster_model.json."""
    return StoryModel.from_json(json.loads(data_text("cluster_model.json")))


@dataclass(frozen=True)
class Link:
    """A candidate story considered for an article: its pair features and probability."""

    story_id: str
    features: Mapping[str, float]
    probability: float
    threshold: float  # of the link model that weighed it: joined when the probability reaches it


def sigmoid(log_odds: float) -> float:
    if log_odds < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-log_odds))
