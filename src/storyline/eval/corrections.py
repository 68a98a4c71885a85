"""What an analyst's corrections are worth to the stories nobody corrected: a simulation.

On a labelled, dated stream (neus-dev), in publication order:

1. the analyst sees the first `past_share` of the stream as the model grouped it, and corrects
   its `worst` stories (most B-cubed error against the gold stories): each of the gold stories
   mixed in a corrected story is made one story (must-links among its reports so far) and kept
   apart from the others it was mixed with (cannot-links) — what `merge-stories`, `split-story`
   and `same-story` / `never-same` record;
2. the whole stream is grouped in the same run without corrections (the baseline), under the
   corrections as constraints, and under them with the link model refitted on the corrections'
   pairs (`cluster.learn`, what `storyline recluster --learn` does; its prior strength is chosen
   by the same simulation run on the past alone, `choose_strength`, never on what is scored);
3. B-cubed is scored on the articles no correction names: all of them, and those published
   after the corrections were made (`later`: the honest, held-out figure).
"""

from __future__ import annotations

from collections import defaultdict

from ..cluster import assign_stories, publication_order, shipped_model
from ..cluster.constraints import GroupingConstraints, Link
from ..cluster.learn import PRIOR_STRENGTH, learn
from .cluster import Corpus, _f1, article_b3, scores, subset


def article_errors(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """1 - the article's B-cubed F1, per article of `gold`."""
    return {article_id: 1.0 - _f1(*b3) for article_id, b3 in article_b3(predicted, gold).items()}


def analyst_corrections(corpus: Corpus, past: list, worst: int) -> tuple[GroupingConstraints, set[str], int]:
    """The constraints an analyst records correcting the `worst` stories of the past as the
    model grouped it; the articles they name; the number of stories corrected."""
    gold = {item.article_id: corpus.gold[item.article_id] for item in past}
    seen = assign_stories(past, corpus.texts)
    errors = article_errors(seen, gold)
    by_story: dict[str, list[str]] = defaultdict(list)
    for article_id, story in seen.items():
        by_story[story].append(article_id)
    ranked = sorted(by_story, key=lambda story: (-sum(errors[a] for a in by_story[story]), story))
    chosen = [story for story in ranked[:worst] if sum(errors[a] for a in by_story[story]) > 0]
    reports: dict[str, list[str]] = defaultdict(list)
    for item in past:
        reports[gold[item.article_id]].append(item.article_id)
    must, cannot, named = [], [], set()
    for number, story in enumerate(chosen, 1):
        labels = sorted({gold[a] for a in by_story[story]})
        for label in labels:
            group = reports[label]
            named.update(group)
            must.extend(Link(group[0], other, number) for other in group[1:])
        heads = [reports[label][0] for label in labels]
        cannot.extend(Link(a, b, number) for i, a in enumerate(heads) for b in heads[i + 1:])
    return GroupingConstraints(must, cannot), named, len(chosen)


STRENGTHS = (1.0, 10.0, 100.0, 1000.0)


def choose_strength(corpus: Corpus, past: list, worst: int, past_share: float) -> tuple[float, dict[float, float]]:
    """The prior strength whose learned model does best on the later part of the past, when the
    simulation is run on the past alone (half as many stories corrected)."""
    inner = subset(corpus, {item.article_id for item in past})
    found = {s: simulate(inner, max(1, worst // 2), past_share, s)["corrections_learned_later_b3_f1"] for s in STRENGTHS}
    return max(STRENGTHS, key=lambda s: (found[s], s)), found


def simulate(corpus: Corpus, worst: int = 20, past_share: float = 0.5, strength: float | None = None) -> dict:
    """The figures of the simulation (module docstring); `strength` None: chosen on the past."""
    order = publication_order(corpus.items)
    cut = int(len(order) * past_share)
    past = order[:cut]
    chosen_on_past = None
    if strength is None:
        strength, chosen_on_past = choose_strength(corpus, past, worst, past_share)
    constraints, named, corrected = analyst_corrections(corpus, past, worst)
    report = learn(order, constraints, shipped_model(), strength)
    runs = {
        "baseline": assign_stories(order, corpus.texts),
        "corrections": assign_stories(order, corpus.texts, constraints=constraints),
        "corrections_learned": assign_stories(order, corpus.texts, model=report.model, constraints=constraints),
        "learned_only": assign_stories(order, corpus.texts, model=report.model),
    }
    past_ids = {item.article_id for item in past}
    others = {a: g for a, g in corpus.gold.items() if a not in named}
    later = {a: g for a, g in others.items() if a not in past_ids}
    figures = {
        "prior_strength": strength,
        "strength_choice_on_past": chosen_on_past,
        "articles": len(order),
        "stories_corrected": corrected,
        "articles_named": len(named),
        "training_pairs": report.examples,
        "pairs_against_before": report.against_before,
        "pairs_against_after": report.against_after,
        "other_articles": len(others),
        "later_articles": len(later),
    }
    for name, predicted in runs.items():
        figures[f"{name}_others_b3_f1"] = round(scores(predicted, others)["b3_f1"], 4)
        figures[f"{name}_later_b3_f1"] = round(scores(predicted, later)["b3_f1"], 4)
        figures[f"{name}_named_b3_f1"] = round(scores(predicted, {a: corpus.gold[a] for a in named})["b3_f1"], 4) if named else None
    figures["learned_model"] = report.model.to_json()
    return figures
