"""Learning from an analyst's grouping corrections: extra training pairs for the link model.

The articles are replayed in publication order under the corrections (`GroupingConstraints`).
For each article a correction names, every candidate story the index offers is one example of
the link model's own pair features: a story holding an article it must share a story with is a
positive, one holding an article it may never share one with a negative (other candidates say
nothing). `decisions` counts the examples the model decides against the analyst (joining when it
must not, or not joining when it must); `learned` refits the link models on the examples, held
near the shipped weights by a Gaussian prior (the corrections are few; the shipped model was
fitted on thousands of links), so the model generalises the corrections to stories nobody
corrected.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .assign import StoryAssigner
from .clusterer import ClusterSettings, StoryClusterer
from .constraints import GroupingConstraints
from .features import ClusterItem
from .model import LinkModel, StoryModel, shipped_model

PRIOR_STRENGTH = 100.0  # weight of the prior (squared distance from the shipped weights); chosen on the past half of neus-dev (docs/corrections.md)
STEPS = 500
STEP_SIZE = 0.5


@dataclass(frozen=True)
class Example:
    features: dict[str, float]
    label: int  # 1: the article belongs to the candidate story, by a correction; 0: it may not
    dated: bool  # weighed by the dated link model


@dataclass(frozen=True)
class LearnReport:
    examples: int
    positives: int
    against_before: int  # examples the model decided against the analyst
    against_after: int  # the same, with the learned model
    model: StoryModel


def correction_examples(
    items: Iterable[ClusterItem], constraints: GroupingConstraints, model: StoryModel | None = None, settings: ClusterSettings | None = None
) -> list[Example]:
    """The labelled links of the articles the corrections name, replayed in the order given."""
    model = StoryModel.of(model or shipped_model())
    assigner = StoryAssigner(StoryClusterer(model, settings))
    examples: list[Example] = []
    for item in items:
        partners = constraints.partners(item.article_id)
        forbidden = constraints.forbidden(item.article_id)
        assigner.place(item, constraints=constraints)
        if not partners and not forbidden:
            continue
        wanted = {assigner.stories.get(partner) for partner in partners} - {None}
        unwanted = {assigner.stories.get(other) for other in forbidden} - {None} - wanted
        for link in assigner.clusterer.last_links:
            story = assigner.clusterer.story_of(link.story_id)
            if story in wanted or story in unwanted:
                # the two models' thresholds tell which one weighed the link
                examples.append(Example(dict(link.features), int(story in wanted), link.threshold == model.dated.threshold))
    return examples


def decisions(model: StoryModel, examples: Iterable[Example]) -> int:
    """How many examples the model decides against the analyst."""
    against = 0
    for example in examples:
        link = model.dated if example.dated else model.undated
        joins = link.probability(example.features) >= link.threshold
        against += joins != bool(example.label)
    return against


def refit(link: LinkModel, examples: list[Example], strength: float = PRIOR_STRENGTH) -> LinkModel:
    """The link model's weights and bias moved to fit the examples, held near where they were
    (maximum a posteriori: log loss plus `strength` times the squared distance); same threshold."""
    if not examples:
        return link
    names = sorted(link.weights)
    start = np.array([link.bias] + [link.weights[name] for name in names])
    matrix = np.array([[1.0] + [example.features.get(name, 0.0) for name in names] for example in examples])
    labels = np.array([example.label for example in examples], dtype=float)
    weights = start.copy()
    step = STEP_SIZE / (1.0 + strength / len(labels))  # the prior's curvature bounds a stable step
    for _ in range(STEPS):
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(matrix @ weights, -50, 50)))
        gradient = matrix.T @ (probabilities - labels) / len(labels) + strength * (weights - start) / len(labels)
        weights -= step * gradient
    return LinkModel({name: round(float(w), 4) for name, w in zip(names, weights[1:])}, round(float(weights[0]), 4), link.threshold)


def learned(model: StoryModel, examples: list[Example], strength: float = PRIOR_STRENGTH) -> StoryModel:
    if model.dated is model.undated:
        return StoryModel.of(refit(model.dated, examples, strength))
    return StoryModel(
        refit(model.dated, [e for e in examples if e.dated], strength),
        refit(model.undated, [e for e in examples if not e.dated], strength),
    )


def learn(
    items: Iterable[ClusterItem], constraints: GroupingConstraints, model: StoryModel | None = None, strength: float = PRIOR_STRENGTH
) -> LearnReport:
    """Replay, count the model's decisions against the corrections, refit, count again."""
    model = StoryModel.of(model or shipped_model())
    examples = correction_examples(items, constraints, model)
    better = learned(model, examples, strength)
    return LearnReport(len(examples), sum(e.label for e in examples), decisions(model, examples), decisions(better, examples), better)
