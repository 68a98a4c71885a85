import json
import random
from datetime import datetime
from pathlib import Path

import pytest

from storyline.cluster import ClusterItem
from storyline.eval.cluster import Corpus, evaluate, headlines_only, scores, shuffled_within_day, spread, tfidf_baseline, time_blocks

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
ECBPLUS = SHARED / "ecbplus" / "articles.jsonl"
NEUS_DEV = SHARED / "neus-dev" / "articles.jsonl"
# ECB+ (undated): we measure 0.943 with the undated model; the floor leaves a point for
# floating-point differences between machines (the spectral cuts of splits go through LAPACK).
B3_F1_FLOOR = 0.93
# neus-dev, the whole stream with the shipped model: measured 0.887 (baseline 0.818), headlines
# alone 0.847 (baseline 0.817). In-sample for the dated model: the held-out figure is the
# time-blocked cross-validation (docs/clustering.md), 0.888.
NEUS_B3_F1_FLOOR = 0.87
NEUS_HEADLINES_B3_F1_FLOOR = 0.83


def test_perfect_clustering_scores_one():
    gold = {"a": "x", "b": "x", "c": "y"}
    result = scores({"a": "1", "b": "1", "c": "2"}, gold)
    assert result["b3_f1"] == result["pairwise_f1"] == 1.0
    assert (result["stories"], result["gold_stories"], result["articles"]) == (2, 2, 3)


def test_everything_in_one_story():
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    result = scores(dict.fromkeys(gold, "s"), gold)
    assert result["b3_precision"] == pytest.approx(0.5)
    assert result["b3_recall"] == 1.0
    assert result["pairwise_precision"] == pytest.approx(2 / 6)
    assert result["pairwise_recall"] == 1.0


def test_all_singletons():
    gold = {"a": "x", "b": "x", "c": "x"}
    result = scores({"a": "1", "b": "2", "c": "3"}, gold)
    assert result["b3_precision"] == 1.0
    assert result["b3_recall"] == pytest.approx(1 / 3)
    assert result["pairwise_recall"] == 0.0
    assert result["pairwise_f1"] == 0.0


def test_shuffles_stay_within_a_day():
    items = [
        ClusterItem(f"{day}-{n}", datetime(2024, 5, day, n), ("word",)) for day in (3, 1, 2) for n in range(4)
    ]
    order = shuffled_within_day(items, random.Random(1))
    assert [item.published.day for item in order] == [1] * 4 + [2] * 4 + [3] * 4
    assert [item.article_id for item in order] != [item.article_id for item in sorted(items, key=lambda i: i.published)]


@pytest.mark.slow
def test_ecbplus_b3_f1_reaches_the_floor():
    result = evaluate(ECBPLUS, gold_field="story")
    assert result["articles"] == 982
    assert result["gold_stories"] == 86
    assert result["b3_f1"] >= B3_F1_FLOOR


def test_spread_of_shuffled_runs():
    result = spread([{"b3_f1": 0.8, "pairwise_f1": 0.6}, {"b3_f1": 0.9, "pairwise_f1": 0.7}])
    assert result["shuffled_b3_f1_mean"] == pytest.approx(0.85)
    assert (result["shuffled_b3_f1_min"], result["shuffled_b3_f1_max"]) == (0.8, 0.9)
    assert result["shuffled_pairwise_f1_sd"] == pytest.approx(0.05)


@pytest.mark.slow
def test_neus_dev_beats_the_baseline_and_reaches_the_floor():
    result = evaluate(NEUS_DEV, gold_field="story", baseline="tfidf")
    assert result["articles"] == 731
    assert result["b3_f1"] >= NEUS_B3_F1_FLOOR
    assert result["b3_f1"] >= result["baseline_b3_f1"] + 0.05


@pytest.mark.slow
def test_headlines_alone_group_sensibly():
    result = evaluate(NEUS_DEV, gold_field="story", headlines=True)
    assert result["b3_f1"] >= NEUS_HEADLINES_B3_F1_FLOOR
    assert result["stories"] < 0.6 * result["articles"]  # not one story per headline


def test_time_blocks_are_consecutive_stories():
    items = [ClusterItem(f"{story}{n}", datetime(2024, 5, day), ("w",)) for story, day in zip("abcd", (4, 1, 3, 2)) for n in range(2)]
    corpus = Corpus(tuple(items), {}, {i.article_id: i.article_id[0] for i in items}, {})
    block = time_blocks(corpus, 2)
    assert {a[0]: b for a, b in block.items()} == {"b": 0, "d": 0, "c": 1, "a": 1}


def test_baseline_joins_within_three_days_at_cosine():
    texts = {"a": "senate passes the roads bill", "b": "senate passes the roads bill again", "c": "senate passes the roads bill", "d": "storm hits coast"}
    days = {"a": 1, "b": 2, "c": 9, "d": 2}
    items = tuple(ClusterItem(a, datetime(2024, 5, days[a]), (), title="") for a in "abcd")
    stories = tfidf_baseline(Corpus(items, texts, dict.fromkeys(texts, "x"), {}))
    assert stories == {"a": "a", "b": "a", "d": "d", "c": "c"}  # c comes a week later


def test_headlines_only_copy(tmp_path):
    source = tmp_path / "in" / "a.jsonl"
    source.parent.mkdir()
    source.write_text(json.dumps({"id": "1", "title": "Senate votes", "text": "Long body."}) + "\n\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    copy = headlines_only(source, tmp_path / "out")
    assert [json.loads(line)["text"] for line in copy.read_text(encoding="utf-8").splitlines()] == ["Senate votes"]
