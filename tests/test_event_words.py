"""Events in plain words: the acting party, the report's own verb group and clause, the date."""

from __future__ import annotations

from storyline.records import Event, EventActor, Offsets, Span
from storyline.wording import event_code, event_date, event_sentence


def event(text: str, trigger: str, type: str, source: str | None, target: str | None = None, **fields) -> Event:
    start = text.index(trigger)
    return Event(
        type=type, mode=fields.pop("mode", None), source=EventActor(None, source) if source else None,
        target=EventActor(None, target) if target else None, trigger=Span(start, start + len(trigger), trigger),
        sentence=Offsets(0, len(text)), **fields,
    )


def test_the_party_the_verb_and_what_it_was_done_to():
    text = "Halvaria on Tuesday expelled a Vestrian trade attaché, the ministry said."
    found = event(text, "expelled", "SANCTION", "Halvaria", "Vestrian trade attaché", mode="expel", date="2026-03-13")
    assert event_sentence(found, text) == "Halvaria on Tuesday expelled a Vestrian trade attaché (13 March 2026)"
    assert event_code(found) == "SANCTION · expel"


def test_negation_and_intention_are_kept_in_words():
    text = "The Port Board did not reject the plan, and Ines Alder will visit the harbour next week."
    rejected = event(text, "reject", "REJECT", "Port Board", "plan", negated=True)
    assert event_sentence(rejected, text) == "The Port Board did not reject the plan"
    assert event_code(rejected) == "REJECT · negated"
    visit = event(text, "visit", "CONSULT", "Ines Alder", "harbour", mode="intend")
    assert event_sentence(visit, text) == "Ines Alder will visit the harbour"


def test_a_claim_says_whose_and_a_negation_without_words_says_so():
    text = "Troops opened fire on the crowd, the interior ministry said."
    claimed = event(text, "opened fire", "ASSAULT", "Troops", "crowd", claimed_by=EventActor(None, "The interior ministry"))
    assert event_sentence(claimed, text) == "Troops opened fire on the crowd, according to the interior ministry"
    denied = event(text, "opened fire", "ASSAULT", "Troops", None, negated=True)
    assert event_sentence(denied, text).endswith("(reported as not happening)")


def test_numbers_are_not_clause_breaks_and_long_clauses_stop():
    text = "Vestria deployed 1,500 soldiers to the flooded Rivena valley on Tuesday after the river burst its banks overnight."
    deployed = event(text, "deployed", "MOBILIZE", "Vestria")
    assert event_sentence(deployed, text) == "Vestria deployed 1,500 soldiers to the flooded Rivena valley on Tuesday"


def test_a_dash_ends_the_clause():
    text = "Leaders will hold a meeting of the G7 early next week - the first since the fall of Kabul."
    assert event_sentence(event(text, "meeting", "CONSULT", "Leaders", mode="intend"), text) == "Leaders will hold a meeting of the G7 early next week"


def test_without_the_text_the_parties_and_the_trigger():
    text = "Halvaria summoned the Vestrian ambassador."
    assert event_sentence(event(text, "summoned", "CONSULT", "Halvaria", "Vestria")) == "Halvaria summoned Vestria"


def test_dates_read_as_dates():
    assert event_date("2026-05-12") == "12 May 2026"
    assert event_date("2026-05") == "May 2026"
    assert event_date("2011") == "2011"
    assert event_date(None) == ""
