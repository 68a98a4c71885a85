"""The trigger lexicon: CAMEO-derived entries, hand entries first, nouns of event verbs."""

import importlib.util
import json
from pathlib import Path

import pytest

from storyline.annotate.events.lexicon import (
    NO_EVENT,
    cameo_entries_withheld,
    hand_entries_withheld,
    trigger_lexicon,
)
from storyline.lexicons import data_text

REPO = Path(__file__).resolve().parents[2]
PETRARCH = REPO.parent / "shared" / "data" / "petrarch2" / "CAMEO.2.0.txt"
CAMEO2PLOVER = REPO.parent / "shared" / "data" / "plover" / "CAMEO2PLOVER-2021.txt"


def _build_script():
    spec = importlib.util.spec_from_file_location("build_event_lexicon", REPO / "scripts" / "build_event_lexicon.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_shipped_cameo_lexicon_is_what_the_script_builds():
    built = _build_script().build(PETRARCH, CAMEO2PLOVER)
    shipped = [json.loads(line) for line in data_text("cameo_triggers.jsonl").splitlines() if line and not line.startswith("#")]
    assert shipped == built
    assert len(shipped) > 5000


def test_cameo_codes_map_through_the_plover_table():
    script = _build_script()
    table = {"173": ("COERCE", "arrest"), "17": ("COERCE", None), "03": ("AGREE", None)}
    assert script.plover_of("173", table) == ("COERCE", "arrest")
    assert script.plover_of("1731", table) == ("COERCE", "arrest")  # nearest listed ancestor
    assert script.plover_of("037:037", table) == ("AGREE", None)
    assert script.plover_of("---", table) is None
    assert script.plover_of("0214", table) == ("REQUEST", None)  # appeals: not in the table
    assert script.plover_of("010", table) is None  # public statements are no events


def test_patterns_keep_one_preposition_or_one_object():
    script = _build_script()
    synsets = {"&CEASEFIRE": ["ceasefire", "truce"]}
    assert script.read_pattern(" * (TO &CEASEFIRE) ", synsets) == {"prep": "to", "object": ["ceasefire", "truce"]}
    assert script.read_pattern(" * {FINANCIAL AID} ", synsets) == {"object": ["aid"]}
    assert script.read_pattern(" * (WITH) ", synsets) == {"prep": "with"}
    assert script.read_pattern(" OCCUPATION * BLOW ", synsets) is None  # words before the verb
    assert script.read_pattern(" * NOT EXTEND DEADLINE ", synsets) is None


def test_hand_entries_come_first_and_cameo_answers_for_other_words():
    lexicon = trigger_lexicon()
    assert {t.type for t in lexicon[("agree", "VERB")]} <= {"AGREE", NO_EVENT}  # the hand entry, not CAMEO's
    assert lexicon[("expel", "VERB")]  # both
    assert any(t.type == "ASSAULT" for t in lexicon[("bludgeon", "VERB")])  # CAMEO only
    with cameo_entries_withheld():
        assert ("bludgeon", "VERB") not in trigger_lexicon()
    with hand_entries_withheld({"agree"}):
        assert all(t.type != "AGREE" or t.prep or t.objects for t in trigger_lexicon()[("agree", "VERB")])
    assert trigger_lexicon()[("agree", "VERB")][0].type == "AGREE"  # restored
