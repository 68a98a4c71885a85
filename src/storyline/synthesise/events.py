"""Events across a story's articles: reports merge only when every pair of them agrees.

Two reports agree when their type, negation and mode match, their dates do not contradict and a
party is known on both sides and the same (numbers left out: "two diplomats" and "three
diplomats" are one party, and the story event shows that the outlets differ on the number). A
happening (an accident, a death...) may have no party: reports of one agree on their word
("derails", "derailment"). Dates two days apart or less do not split reports that agree on both
parties; the story event lists the dates with their outlets instead. Precision first: a report
that fits two story events equally joins neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from ..entities import name_key
from ..lexicons import word_set
from ..records import HAPPENING_TYPES, AccountEvent, AccountParty, Disagreement, Event, EventActor, EventMention, Variant
from .actors import StoryActors
from .corpus import Corpus, join_best, most_common, stable_id, unique

INTENDED_MODE = "intend"  # the events stage's mode for a reported intention ("will visit")
# Two reports of one trigger agree more than any two reports with two parties and a date can.
SAME_TRIGGER = 4
MAX_DAYS_APART = 2  # reports that differ on the day by more are of different events
ISO_DAY_LENGTH = len("2026-03-09")
NUMBER_WORDS = {
    w: str(i) for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}  # fmt: skip


@dataclass
class _EventItem:
    article_id: str
    event: Event
    source: str | None  # account actor id, or "name:<key>" for a party that is not an actor
    target: str | None


def _party_key(actors: StoryActors, article_id: str, party: EventActor | None) -> str | None:
    if party is None:
        return None
    return actors.resolve(article_id, party.entity, party.name) or f"name:{name_key(_without_numbers(party.name))}"


def _without_numbers(name: str) -> str:
    return " ".join(word for word in name.split() if not _number_of(word)) or name


def _number_of(word: str) -> str | None:
    word = word.lower().strip(",.")
    if word.replace(",", "").isdigit():
        return word.replace(",", "")
    return NUMBER_WORDS.get(word)


def _numbers(party: EventActor | None) -> tuple[str, ...]:
    return tuple(n for n in (_number_of(w) for w in party.name.split()) if n) if party else ()


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _days_apart(a: str | None, b: str | None) -> int | None:
    if not (a and b and len(a) == len(b) == ISO_DAY_LENGTH):
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _same_word(a: Event, b: Event) -> bool:
    """One word or its derivative ("derail", "derailment")."""
    return bool(a.lemma and b.lemma) and (a.lemma.startswith(b.lemma) or b.lemma.startswith(a.lemma))


def _modes_agree(a: str | None, b: str | None) -> bool:
    """Equal modes, or a mode refining an unmoded report ("call" for "spoke with"); an intention never
    agrees with a deed."""
    return a == b or (a is None and b != INTENDED_MODE) or (b is None and a != INTENDED_MODE)


@cache
def _mutual_types() -> frozenset[str]:
    return frozenset(word.upper() for word in word_set("mutual_event_types.txt"))


def _parties_agree(pairs: Iterable[tuple[str | None, str | None]]) -> int | None:
    """How many parties are known on both sides and equal; None when one differs."""
    agreed = 0
    for mine, theirs in pairs:
        if mine and theirs:
            if mine != theirs:
                return None
            agreed += 1
    return agreed


def events_agree(a: _EventItem, b: _EventItem) -> int | None:
    """How many facts two event reports share (parties, date), or None when any contradicts."""
    if a.article_id == b.article_id and a.event.trigger == b.event.trigger and (a.source, a.target) == (b.target, b.source):
        return SAME_TRIGGER  # one trigger read both ways: "Johnson and Merkel agreed"
    if (a.event.type, a.event.negated) != (b.event.type, b.event.negated) or not _modes_agree(a.event.mode, b.event.mode):
        return None
    agreed = _parties_agree(((a.source, b.source), (a.target, b.target)))
    if agreed is None and a.event.type in _mutual_types():
        agreed = _parties_agree(((a.source, b.target), (a.target, b.source)))
    if not _dates_agree(a.event.date, b.event.date):
        apart = _days_apart(a.event.date, b.event.date)
        # outlets differing on the day of one event: only when both parties and the word agree
        if not (agreed == 2 and _same_word(a.event, b.event) and apart is not None and apart <= MAX_DAYS_APART):
            return None
        return agreed
    if not agreed:
        if a.event.type in HAPPENING_TYPES and agreed == 0 and _same_word(a.event, b.event):
            return 1  # "the derailment" and "a freight train derailed"
        return None  # without a known party in common they may be any two events of a type
    return agreed + (1 if a.event.date and a.event.date == b.event.date else 0)


def merge_events(corpus: Corpus, actors: StoryActors) -> tuple[AccountEvent, ...]:
    groups: list[list[_EventItem]] = []
    groups_of_kind: dict[tuple, list[int]] = defaultdict(list)
    for article_id, stored in corpus.by_id.items():
        for event in sorted(stored.annotation.events, key=lambda e: e.trigger.start):
            item = _EventItem(article_id, event, _party_key(actors, article_id, event.source), _party_key(actors, article_id, event.target))
            kind = (event.type, event.negated)
            # every report in a group must agree with this one, so chains never join two events
            scores = {index: [events_agree(item, member) for member in groups[index]] for index in groups_of_kind[kind]}
            joined = join_best(groups, item, {index: None if None in s else min(s) for index, s in scores.items()})
            if joined not in groups_of_kind[kind]:
                groups_of_kind[kind].append(joined)
    used: set[str] = set()
    return tuple(_event_record(group, corpus, actors, used) for group in groups)


def _party(actors: StoryActors, items: list[_EventItem], side: str) -> AccountParty | None:
    keys = [getattr(item, side) for item in items if getattr(item, side)]
    key = most_common(keys)
    if key is None:
        return None
    if not key.startswith("name:"):
        return AccountParty(key, actors.names[key])
    party = next(getattr(i.event, side) for i in items if getattr(i, side) == key)
    return AccountParty(None, party.name)


def _event_record(group: list[_EventItem], corpus: Corpus, actors: StoryActors, used: set[str]) -> AccountEvent:
    first = group[0]
    dates = [item.event.date for item in group if item.event.date]
    article_ids = corpus.in_order(item.article_id for item in group)
    source, target = _party(actors, group, "source"), _party(actors, group, "target")
    if source == target:
        target = None  # reports of a mutual event that name the same party on either side
    return AccountEvent(
        id=unique(
            stable_id("e", first.event.type, source and source.name, target and target.name, first.article_id, first.event.trigger.start),
            used,
        ),
        type=first.event.type,
        mode=most_common(item.event.mode for item in group if item.event.mode),
        negated=first.event.negated,
        source=source,
        target=target,
        date=max(dates, key=len) if dates else None,
        location=most_common(item.event.location for item in group if item.event.location),
        articles=article_ids,
        outlets=corpus.outlets_of(article_ids),
        mentions=tuple(
            EventMention(
                trigger=corpus.cite(item.article_id, item.event.trigger.start, item.event.trigger.end),
                sentence=corpus.cite(item.article_id, item.event.sentence.start, item.event.sentence.end),
                date=item.event.date,
                date_text=item.event.date_text,
                claimed_by=item.event.claimed_by.name if item.event.claimed_by else None,
            )
            for item in sorted(group, key=lambda i: (corpus.order[i.article_id], i.event.trigger.start))
        ),
        disagreements=_disagreements(group, corpus),
    )


def _disagreements(group: list[_EventItem], corpus: Corpus) -> tuple[Disagreement, ...]:
    """Where the outlets reporting one event differ: its date, the numbers in its parties."""
    found = []
    for field, values in (
        ("date", lambda item: [item.event.date] if item.event.date else []),
        ("number", lambda item: list(_numbers(item.event.source) + _numbers(item.event.target))),
    ):
        outlets_by_value: dict[str, list[str]] = defaultdict(list)
        for item in group:
            for value in values(item):
                outlets_by_value[value].append(item.article_id)
        if len(outlets_by_value) > 1:
            variants = tuple(Variant(value, corpus.outlets_of(corpus.in_order(ids))) for value, ids in sorted(outlets_by_value.items()))
            found.append(Disagreement(field, variants))
    return tuple(found)
