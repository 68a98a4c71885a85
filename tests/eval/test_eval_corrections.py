"""The simulated analyst on neus-dev (eval/corrections.py), and learning from a store's corrections."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from storyline.cli import main
from storyline.cluster.constraints import GroupingConstraints, Link
from storyline.eval.cluster import load_corpus
from storyline.eval.corrections import simulate
from storyline.library import Storyline, demo_corpus

NEUS_DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "neus-dev" / "articles.jsonl"
pytestmark = pytest.mark.slow


def test_constraints_join_and_part_articles_through_their_groups():
    constraints = GroupingConstraints([Link("a", "b", 1), Link("b", "c", 2)], [Link("c", "x", 3), Link("y", "z", 4)])
    assert constraints.partners("a") == ["b", "c"] and constraints.pinned_by("c") == 2
    assert constraints.forbidden("a") == {"x": 3}  # through its group
    assert constraints.forbidden("q") == {} and not GroupingConstraints()


def test_twenty_corrected_stories_are_fixed_without_costing_the_others():
    """Measured 2026-12 with the 700-character semantic vectors: later uncorrected articles
    0.906 -> 0.904 (constraints), 0.904 (refitted model); named articles 0.683 -> 1.000 (with
    the previous model the later ones gained +0.003: not a stable gain, so not asserted). Floors:
    the corrections fix what they name and cost the others no more than a few articles' worth."""
    figures = simulate(load_corpus(NEUS_DEV, processes=1), worst=20, past_share=0.5)
    assert figures["stories_corrected"] == 20 and figures["later_articles"] > 300
    assert figures["corrections_later_b3_f1"] >= figures["baseline_later_b3_f1"] - 0.005
    assert figures["corrections_others_b3_f1"] >= figures["baseline_others_b3_f1"] - 0.005
    assert figures["corrections_named_b3_f1"] >= 0.95 > figures["baseline_named_b3_f1"]
    assert figures["pairs_against_after"] <= figures["pairs_against_before"]


def test_recluster_learns_from_the_stores_corrections_and_a_plain_one_forgets(tmp_path):
    db = tmp_path / "learn.db"
    store = Storyline(db, processes=1)
    store.ingest([demo_corpus()])
    store.merge_stories("meridian-0315-dunmore-mill-fire", "northgate-0318-dunmore-owner-arrested", author="Ana")
    store.split_story("meridian-0317-rivena-floods", ["observer-0318-brandt-flood-visit"], author="Ana")
    report = store.learn_from_corrections()
    assert report.examples >= 4 and 0 < report.positives < report.examples
    assert report.against_after <= report.against_before
    result = CliRunner().invoke(main, ["recluster", "--learn", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"Learned from {report.examples} corrected links" in result.stderr
    with store.repo.read() as session:
        assert store._link_model(session) == report.model
    assert store.article("northgate-0318-dunmore-owner-arrested").story_id == store.article("meridian-0315-dunmore-mill-fire").story_id
    store.recluster()
    with store.repo.read() as session:
        assert store._link_model(session) is None
