"""Coding a parsed article's events: triggers, then their arguments and context, per sentence.

A lexicon of trigger words (`data/plover_triggers.jsonl`: a verb or noun, sometimes with
the particle, preposition or object that makes it an event, e.g. "call for", "hold talks",
"impose a curfew") is matched over the dependency parse. For each trigger:

- **source** is the subject (the "by" agent of a passive; for an event noun its
  possessor, agent, or the subject of the verb that carries it: "held talks"), and
  **target** the nearest actor-like object: indirect or direct object, a preposition's
  object, the subject of a demanded clause ("called for him to go"), or an actor named
  inside a non-actor object ("rejected an Indian proposal"). Actors are the article's
  canonical actors where a mention overlaps; otherwise the noun phrase itself, coded with
  `knowledge.code_phrase` (country, sector).
- **frames**: the complement of a demand, refusal, promise, threat or accusation is what
  is demanded, refused, promised..., not something that happened, so triggers inside it
  are not events of their own ("declined to call" is one REJECT, no CONSULT).
- **mode** is the PLOVER mode of the trigger, or "intend" for a reported intention
  ("hopes to convene a meeting", "will visit"); `plover_type` gives the code PLOVER
  itself uses for an intention (AGREE for a cooperative one, THREATEN for a hostile one).
- **negation** ("has not officially recognised") sets `negated`; a trigger whose negation
  is an event of its own changes type instead ("will not accept" is a REJECT).
- Triggers inside a conditional or an embedded question ("asked if he planned to resign",
  "unless you resign") are not events. A mutual trigger ("agreed", "held talks", "signed")
  with coordinated subjects and no target gives one event each way.
- In what someone says, "X must / should do Y" is a REQUEST of the speaker to X; a quoted
  imperative ("Clear your desk") is a REQUEST of its speaker too.
- **date**: the date expression attached to the trigger's clause, else the one of the
  sentence's main clause, resolved against the publication date by `dates.parse_date`;
  never one from another sentence: an event without one is undated (the timeline shows it
  on its article's date, marked so). **location**: a place the trigger's clause is "in", "at" or "near",
  else a physical event's target place that is not a country.
"""


from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from spacy.tokens import Doc, Span as SpacySpan, Token

from ...records import Actor, Event, EventActor, Offsets, Quote, Span
from .. import knowledge
from ..dates import parse_date
from .arguments import (
    ArticleActors,
    event_actor,
    noun_phrase,
    object_actor,
    participant,
    place_actor,
    place_of,
    resolve_pronoun,
    search_targets,
    sources_of,
)
from .context import (
    clause_date,
    date_entities,
    governors,
    is_hypothetical,
    is_intended,
    is_negated,
    location_of,
    main_clause_date,
)
from .lexicon import HAPPENING_TYPES, IMPERATIVE_TRIGGER, INTEND, OBLIGATION_TRIGGER, PHYSICAL_TYPES, STATE_ACTS, entries_for
from .syntax import PERSONAL_PRONOUNS, conjuncts_of, doc_index, is_passive, tree_depth
from .triggers import Candidate, absorb_frames, find_candidates, imperative_quote, is_mere_warning

UNATTRIBUTED = "unattributed"  # the claimant of an event in a quote without a known speaker
NESTED_QUOTES = 3


def find_events(
    doc: Doc, actors: Sequence[Actor], published: datetime | None, quotes: Sequence[Quote] = ()
) -> list[Event]:
    """PLOVER events of a parsed article, in text order. `actors` are the article's
    canonical actors (`actors.build_actors`); phrases no actor covers are coded from the
    knowledge files."""
    index = ArticleActors(actors)
    events: list[Event] = []
    for sentence in doc_index(doc).sents:
        candidates = find_candidates(sentence)
        absorb_frames(candidates)
        dates = date_entities(sentence)
        # a date is never taken from another sentence: an event without one of its own is
        # undated, and the timeline shows it as reported on its article's date
        own = main_clause_date(sentence, dates, {c.token.i for c in candidates})
        events.extend(_sentence_events(sentence, candidates, index, dates, own.text if own else None, published))
    ordered = sorted(quotes, key=lambda q: q.start)
    starts = [q.start for q in ordered]
    return [_as_claimed(event, ordered, starts) for event in events]


def _as_claimed(event: Event, quotes: Sequence[Quote], starts: list[int]) -> Event:
    """An event told inside a quote or reported speech is its speaker's claim."""
    before = bisect_right(starts, event.trigger.start)
    # the quotes that open last before the trigger (a quote holds at most a few others)
    quote = next((q for q in reversed(quotes[max(0, before - NESTED_QUOTES) : before]) if event.trigger.end <= q.end), None)
    if quote is None:
        return event
    return replace(event, claimed_by=EventActor(quote.speaker.entity, quote.speaker.name or UNATTRIBUTED))


def _sentence_events(
    sentence: SpacySpan,
    candidates: list[Candidate],
    index: ArticleActors,
    dates: list[SpacySpan],
    sentence_date: str | None,
    published: datetime | None,
) -> list[Event]:
    imperative = []
    for token in sentence:
        bidden = imperative_quote(token)
        if bidden is None or any(c.token.i == token.i for c in candidates):
            continue
        imperative.append(Candidate(token, IMPERATIVE_TRIGGER))
        for inner in candidates:  # what is bidden is the request's content
            inner.absorbed = inner.absorbed or bidden[0] < inner.token.i < bidden[1]
    triggers = {c.token.i for c in candidates}
    events = []
    for candidate in (*candidates, *imperative):
        if candidate.absorbed or is_hypothetical(candidate.token) or is_mere_warning(candidate, candidates):
            continue
        events.extend(_events_of(candidate, index, dates, triggers, sentence_date, published))
    return sorted(events, key=lambda e: e.trigger.start)


def _events_of(
    candidate: Candidate,
    index: ArticleActors,
    dates: list[SpacySpan],
    triggers: set[int],
    sentence_date: str | None,
    published: datetime | None,
) -> list[Event]:
    token = candidate.token
    source_tokens = [t for s in sources_of(candidate) for t in conjuncts_of(s)]
    happening = candidate.type in HAPPENING_TYPES
    source_tokens = [r for r in (resolve_pronoun(t, index) for t in source_tokens) if r is not None]
    excluded = {t.i for s in source_tokens for t in noun_phrase(s)} | {token.i}
    target_token = search_targets(candidate, excluded) if candidate.trigger.quote is None else None
    target_tokens = [resolve_pronoun(t, index) for t in conjuncts_of(target_token)] if target_token is not None else []
    if happening:
        sources = _dedupe([participant(t, index) for t in source_tokens])
    else:
        sources = _dedupe([a for t in source_tokens if (a := event_actor(t, index)) is not None and not _acts_not(t, a)])
    targets = _dedupe([object_actor(t, index) for t in target_tokens if t is not None])
    if not sources and candidate.type in STATE_ACTS and token.pos_ == "VERB" and is_passive(token):
        place = place_of(token)
        if place is not None and place.root.i != (target_token.i if target_token is not None else -1):
            sources = [place_actor(place)]
    if candidate.trigger is IMPERATIVE_TRIGGER and not targets:
        speaker = sources[0].entity if sources else None
        addressee = index.most_salient_person(other_than=speaker)
        if addressee is not None:
            targets = [EventActor(addressee.id, addressee.name, addressee.country, addressee.sector)]
    targets = [t for t in targets if all(t != s for s in sources)]
    if not sources and not targets and not happening:
        return []

    # "X must not do Y" demands that Y not be done: the negation is the demand's content, and the
    # demand is negated only by its speaker's verb ("did not say that X must")
    negated_word = token.head if candidate.trigger is OBLIGATION_TRIGGER else token
    event_type = candidate.type
    negated = is_negated(negated_word) or any(is_negated(g) for g in governors(negated_word) if g.pos_ != "NOUN")
    mode = INTEND if is_intended(token) else candidate.trigger.mode
    if event_type == "COERCE" and mode == "deport" and targets and all(t.sector in (knowledge.IGO, knowledge.NGO) for t in targets):
        event_type, mode = "SANCTION", "expel"  # expelling a mission or an aid agency reduces relations
    if negated and candidate.trigger.negated:
        event_type, negated = candidate.trigger.negated, False
    own_date = clause_date(candidate, dates, triggers)
    date_text = own_date.text if own_date is not None else sentence_date
    date = parse_date(date_text).resolve(published) if date_text else None
    lemma = candidate.trigger.lemma or token.lemma_.lower()
    parts = [token, *candidate.parts]
    first, last = min(parts, key=lambda t: t.i), max(parts, key=lambda t: t.i)
    start, end = first.idx, last.idx + len(last)
    trigger = Span(start, end, token.doc[first.i : last.i + 1].text)
    sentence = Offsets(token.sent.start_char, token.sent.end_char)
    location = location_of(candidate, target_token, triggers)
    if location and candidate.type in PHYSICAL_TYPES:
        # "arrested activists in Harare": the people acted on are from where it happened
        place_country = knowledge.country_of_place(location)
        targets = [t if t.country or t.sector in (knowledge.IGO, knowledge.NGO) else replace(t, country=place_country) for t in targets]

    def event(source: EventActor | None, target: EventActor | None) -> Event:
        return Event(
            type=event_type,
            mode=mode,
            source=source,
            target=target,
            trigger=trigger,
            sentence=sentence,
            date=date,
            date_text=date_text,
            location=location,
            negated=negated,
            lemma=lemma,
        )

    if not targets and len(sources) > 1 and candidate.trigger.mutual:
        return [event(s, t) for s in sources for t in sources if s is not t]
    return [event(s, t) for s in (sources or [None]) for t in (targets or [None])]


def _acts_not(token: Token, actor: EventActor) -> bool:
    """"The dispute", "Mr Raab's call", "someone": an event or an indefinite pronoun as subject,
    with nobody named or coded in it, is no source."""
    if actor.entity or actor.country or actor.sector:
        return False
    if token.pos_ == "PRON":
        return token.lower_ not in PERSONAL_PRONOUNS
    return token.pos_ == "NOUN" and bool(entries_for(token, "NOUN"))


def _dedupe(items: list[EventActor | None]) -> list[EventActor]:
    seen: list[EventActor] = []
    for item in items:
        if item is not None and item not in seen:
            seen.append(item)
    return seen


def primary_event(events: Sequence[Event], doc: Doc) -> Event | None:
    """The event a one-sentence report is about: a sourced event whose trigger is nearest
    the root of the parse (as a coder codes the main clause), an affirmed one first."""

    def depth(event: Event) -> int:
        span = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        return min(tree_depth(token) for token in span) if span is not None else len(doc)

    ranked = sorted(events, key=lambda e: (e.source is None, e.type in HAPPENING_TYPES, e.negated, depth(e), e.trigger.start))
    return ranked[0] if ranked else None
