"""Storyline figures against a broad label: purity, pair precision, how many stories are linked."""

import pytest

from storyline.eval.storylines import storyline_scores


def test_purity_counts_articles_and_pair_precision_counts_stories():
    stories = {"a1": "A", "a2": "A", "b1": "B", "c1": "C", "c2": "C", "c3": "C", "d1": "D"}
    topics = {"a1": "war", "a2": "war", "b1": "war", "c1": "health", "c2": "health", "c3": "health", "d1": "war"}
    # one storyline of A, B and C: 3 war articles and 3 health ones; D alone
    figures = storyline_scores({"A": "A", "B": "A", "C": "A"}, stories, topics)
    assert figures["stories"] == 4 and figures["storylines"] == 1
    assert figures["linked"] == 0.75 and figures["stories_per_storyline"] == 3.0
    assert figures["purity"] == 0.5  # 3 of its 6 articles share its most common topic
    assert figures["pair_precision"] == pytest.approx(1 / 3, abs=1e-4)  # A-B agree; A-C and B-C do not


def test_no_storyline_links_nothing_and_mixes_nothing():
    stories = {"a1": "A", "b1": "B"}
    figures = storyline_scores({}, stories, {"a1": "war", "b1": "health"})
    assert (figures["linked"], figures["purity"], figures["storylines"]) == (0.0, 1.0, 0)
