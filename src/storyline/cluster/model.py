"""The link model: the probability that an article belongs to a candidate story.

A logistic regression over the cosine similarity of each channel (`features.CHANNELS`),
shipped in `storyline/data/cluster_model.json` and refitted with
`python -m storyline.eval.cluster train`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache

from ..lexicons import data_text
from .features import CHANNELS


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


def sigmoid(log_odds: float) -> float:
    return 1.0 / (1.0 + math.exp(-log_odds)) if log_odds > -50 else 0.0
