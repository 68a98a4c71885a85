"""Storylines scored against a broad gold label (neus-dev's AllSides `topic`), with a time split.

A storyline should not mix topics, and should link as many stories as it can without
doing so. `evaluate(path)` annotates a dated JSONL corpus, groups it into stories (the
model's, or with `stories="gold"` the corpus's own story labels, to judge the linking
alone), and splits it in time: on the earlier part (`tune_share` of the articles) it picks
the loosest `min_similarity` whose storylines keep `TARGET_PURITY`, and it reports the
later part, which the choice never saw, with that setting. The baseline, computed the
same way: link a story to the latest story of the last three weeks with the same most
salient actor.

Reported for each part: `stories`, `storylines` (of two stories or more), `linked` (the
share of stories in a storyline), `stories_per_storyline`, `purity` (the share of the
articles in storylines whose topic is their storyline's most common one) and
`pair_precision` (the share of pairs of stories in one storyline whose most common topics agree).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..cluster import ClusterItem, cluster_corpus, publication_order
from ..storylines import StorylineSettings, link_stories
from .cluster import load_corpus

TARGET_PURITY = 0.8
SIMILARITIES = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
# the baseline: any earlier story whose most salient actor is the story's own continues it
BASELINE = StorylineSettings(salient_actors=1, min_similarity=0.0, actor_weight=0.0, specific_actor_share=1.0)


def storyline_scores(storylines: Mapping[str, str], stories: Mapping[str, str], topics: Mapping[str, str]) -> dict:
    """Figures of `storylines` (story id -> storyline id) over stories (article id -> story id)
    against topics (article id -> topic)."""
    story_topics: dict[str, Counter] = defaultdict(Counter)
    for article_id, story_id in stories.items():
        story_topics[story_id][topics[article_id]] += 1
    members: dict[str, list[str]] = defaultdict(list)
    for story_id, storyline_id in storylines.items():
        members[storyline_id].append(story_id)
    members = {key: value for key, value in members.items() if len(value) > 1}
    articles = majority = pairs = agreeing = 0
    for story_ids in members.values():
        counts = sum((story_topics[story_id] for story_id in story_ids), Counter())
        articles += sum(counts.values())
        majority += counts.most_common(1)[0][1]
        leads = [story_topics[story_id].most_common(1)[0][0] for story_id in story_ids]
        for i, lead in enumerate(leads):
            pairs += len(leads) - i - 1
            agreeing += sum(other == lead for other in leads[i + 1 :])
    linked = sum(len(story_ids) for story_ids in members.values())
    return {
        "stories": len(story_topics),
        "storylines": len(members),
        "linked": round(linked / len(story_topics), 4) if story_topics else 0.0,
        "stories_per_storyline": round(linked / len(members), 2) if members else 0.0,
        "purity": round(majority / articles, 4) if articles else 1.0,
        "pair_precision": round(agreeing / pairs, 4) if pairs else 1.0,
    }


def _part(items: Sequence[ClusterItem], texts, gold_stories: Mapping[str, str] | None) -> dict[str, str]:
    if gold_stories is not None:
        return {item.article_id: gold_stories[item.article_id] for item in items}
    return cluster_corpus(items, texts={item.article_id: texts[item.article_id] for item in items})


def tune(items, stories, topics, settings: StorylineSettings) -> tuple[StorylineSettings, dict]:
    """The loosest threshold whose storylines keep TARGET_PURITY on these items, and its figures."""
    best = None
    for threshold in SIMILARITIES:
        candidate = replace(settings, min_similarity=threshold)
        figures = storyline_scores(link_stories(stories, items, candidate), stories, topics)
        if figures["purity"] >= TARGET_PURITY and (best is None or figures["linked"] > best[1]["linked"]):
            best = (candidate, figures)
    if best is None:  # nothing pure enough: the strictest
        candidate = replace(settings, min_similarity=SIMILARITIES[-1])
        best = (candidate, storyline_scores(link_stories(stories, items, candidate), stories, topics))
    return best


def evaluate(path: Path, gold_field: str = "topic", stories: str = "model", story_field: str = "story", tune_share: float = 0.5) -> dict:
    corpus = load_corpus(path, gold_field=gold_field, group_field=story_field)
    topics = corpus.gold
    gold_stories = dict(corpus.groups) if stories == "gold" else None
    ordered = publication_order(corpus.items)
    cut = int(len(ordered) * tune_share)
    earlier, later = ordered[:cut], ordered[cut:]
    earlier_stories, later_stories = _part(earlier, corpus.texts, gold_stories), _part(later, corpus.texts, gold_stories)
    results: dict = {"stories_from": stories}
    for name, settings in (("", StorylineSettings()), ("baseline_", BASELINE)):
        if name:
            chosen, tuned = settings, storyline_scores(link_stories(earlier_stories, earlier, settings), earlier_stories, topics)
        else:
            chosen, tuned = tune(earlier, earlier_stories, topics, settings)
            results["tuned_min_similarity"] = chosen.min_similarity
        tested = storyline_scores(link_stories(later_stories, later, chosen), later_stories, topics)
        results.update({f"{name}tune_{key}": value for key, value in tuned.items()})
        results.update({f"{name}test_{key}": value for key, value in tested.items()})
    results["tune_days"] = _span(earlier)
    results["test_days"] = _span(later)
    return results


def _span(items: Sequence[ClusterItem]) -> str:
    dates = [item.published.date().isoformat() for item in items if item.published]
    return f"{min(dates)}..{max(dates)}" if dates else "undated"
