"""Two stories that share actors and most of their words over the same days (tests/data/senate_votes.jsonl,
our own writing): a Senate vote on an infrastructure bill and, a day later, a filibustered voting rights
bill, each reported by the same three outlets. Reports of each join; the two stay apart."""

from pathlib import Path

import pytest

from storyline.eval.cluster import load_corpus, score_orders

SENATE_VOTES = Path(__file__).resolve().parents[1] / "data" / "senate_votes.jsonl"


@pytest.mark.slow
def test_two_senate_votes_a_day_apart_stay_apart_and_their_reports_join():
    corpus = load_corpus(SENATE_VOTES, processes=1)
    assert len(corpus.items) == 6
    result = score_orders(corpus, shuffles=4)
    assert result["b3_f1"] == 1.0
    assert result["shuffled_b3_f1_min"] == 1.0  # whatever the order within each day
