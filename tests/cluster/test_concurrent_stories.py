"""Two stories that share actors and most of their words over the same days (tests/data/senate_votes.jsonl,
our own writing): a Senate vote on an infrastructure bill and, a day later, a filibustered voting rights
bill, each reported by the same three outlets; and a week later the House vote on the infrastructure
bill. Reports of each join; the two Senate votes stay apart; the House vote is a story of its own in
the infrastructure vote's storyline, and the voting rights bill is not."""

from pathlib import Path

import pytest

from storyline.cluster import cluster_corpus, publication_order
from storyline.eval.cluster import load_corpus, score_orders
from storyline.storylines import link_stories

SENATE_VOTES = Path(__file__).resolve().parents[1] / "data" / "senate_votes.jsonl"


@pytest.mark.slow
def test_two_senate_votes_a_day_apart_stay_apart_and_a_follow_up_joins_its_storyline():
    corpus = load_corpus(SENATE_VOTES, processes=1)
    assert len(corpus.items) == 8
    result = score_orders(corpus, shuffles=4)
    assert result["b3_f1"] == 1.0
    assert result["shuffled_b3_f1_min"] == 1.0  # whatever the order within each day
    stories = cluster_corpus(corpus.items, corpus.texts)
    storylines = link_stories(stories, publication_order(corpus.items))
    arc = storylines.get(stories["inf-left"])
    assert arc is not None and storylines.get(stories["inf-house-left"]) == arc
    assert storylines.get(stories["vot-left"]) != arc
