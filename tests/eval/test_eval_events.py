import json
from pathlib import Path

import pytest

from storyline.eval.events import actor_matches, evaluate, gold_type
from storyline.records import EventActor

GSR_DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "plover" / "gsr_dev.jsonl"
TYPE_ACCURACY_FLOOR = 0.84
FULL_ACCURACY_FLOOR = 0.72
CROSS_VALIDATED_TYPE_FLOOR = 0.76
CROSS_VALIDATED_FULL_FLOOR = 0.62


def test_earlier_plover_names_map_to_plover_2021():
    assert gold_type("DEMAND") == "REQUEST"
    assert gold_type("DISAPPROVE") == "ACCUSE"
    assert gold_type("INVESTIGATE") == "ACCUSE"
    assert gold_type("FIGHT") == "ASSAULT"
    assert gold_type("agree") == "AGREE"


def test_actors_match_on_code_or_text():
    gold = [{"actorText": "Hungarian", "code": "HUN"}]
    assert actor_matches(EventActor(None, "Senior Hungarian officials", "HUN"), gold)
    assert actor_matches(EventActor(None, "the Hungarian government"), gold)  # text alone
    assert not actor_matches(EventActor(None, "Romanian officials", "ROU"), gold)
    assert not actor_matches(None, gold)
    # legacy CAMEO codes and international bodies
    assert actor_matches(EventActor(None, "Tokyo", "JPN"), [{"actorText": "Japan", "code": "JAP"}])
    assert actor_matches(EventActor(None, "G7", None, "IGO"), [{"actorText": "the summit", "code": "IGO"}])


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
def test_one_sentence_is_one_case(tmp_path):
    records = [
        {
            "text": "Chile accused Peru of violating the border treaty.",
            "event": "DISAPPROVE",
            "source": [{"actorText": "Chile", "code": "CHL"}],
            "target": [{"actorText": "Peru", "code": "PER"}],
        },
        {
            "text": "Chile and Peru signed a trade agreement on Monday.",
            "event": "SUPPORT",
            "source": [{"actorText": "Chile", "code": "CHL"}, {"actorText": "Peru", "code": "PER"}],
            "target": "",
        },
        {
            "text": "Chile praised Peru for its help.",
            "event": "ASSAULT",  # deliberately wrong type: counts against type and full
            "source": [{"actorText": "Chile", "code": "CHL"}],
            "target": [{"actorText": "Peru", "code": "PER"}],
        },
        {"text": "It rained all day.", "event": "AGREE", "source": [{"actorText": "Chile", "code": "CHL"}]},
    ]
    metrics = evaluate(_write(tmp_path / "gold.jsonl", records))
    assert metrics["sentences"] == 4
    assert metrics["no_event"] == 1
    assert metrics["type_accuracy"] == pytest.approx(2 / 4)
    assert metrics["source_accuracy"] == pytest.approx(3 / 4)
    assert metrics["target_accuracy"] == pytest.approx(3 / 4)
    assert metrics["full_accuracy"] == pytest.approx(2 / 4)


@pytest.mark.slow
def test_plover_gold_standard_floors():
    metrics = evaluate(GSR_DEV, folds=5)
    assert metrics["sentences"] == 213
    assert metrics["as_shipped_type_accuracy"] >= TYPE_ACCURACY_FLOOR, metrics
    assert metrics["as_shipped_full_accuracy"] >= FULL_ACCURACY_FLOOR, metrics
    # held out: each fold coded as if its records had never been read
    assert metrics["cross_validated_type_accuracy"] >= CROSS_VALIDATED_TYPE_FLOOR, metrics
    assert metrics["cross_validated_full_accuracy"] >= CROSS_VALIDATED_FULL_FLOOR, metrics
    assert metrics["cross_validated_type_accuracy"] > metrics["old_lexicon_type_accuracy"] + 0.05, metrics
    assert metrics["cross_validated_type_accuracy"] > 5 * metrics["majority_type_accuracy"], metrics
