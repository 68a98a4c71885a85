"""Arguments: who does it (source) and to whom (target), found in the trigger's clause, and the
actor each names: an article actor where a mention covers it, else the noun phrase coded from
the knowledge files."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from ...lexicons import table
from ...records import Actor, EventActor
from .. import knowledge
from .context import LOCATION_PREPOSITIONS
from .lexicon import (
    GATHERING_TYPES,
    OBLIGATION_TRIGGER,
    PLACELESS_TYPES,
    is_cue,
    lemma_variants,
    trigger_lexicon,
)
from .syntax import (
    ACTOR_ENTITY_LABELS,
    CLAUSE_DEPS,
    DATE_ENTITY_LABELS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    PLACE_ENTITY_LABELS,
    PLURAL_PRONOUNS,
    PREPOSITION_DEPS,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    child_preposition,
    children_with,
    doc_index,
    governing_clause,
    is_actor_like,
    is_passive,
    is_purpose,
    through_quantity,
)
from .triggers import Candidate


# a noun phrase's name leaves these out
NAME_EXCLUDED_DEPS = {"relcl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "acl", "case"}
NAME_PREPOSITIONS = {"of", "in", "from", "at"}
QUOTATION_MARKS = re.compile(r'["“”]')
# an event noun after these shares the subject of the verb it hangs on ("during a call")
PARTICIPATION_PREPOSITIONS = {"during", "in", "at", "amid", "for"}
DEFAULT_TARGET_PREPOSITIONS = ("to", "with", "against", "on", "upon", "at", "toward", "towards", "into", "from", "as", "between")
INSIDE_OBJECT_PREPOSITIONS = ("of", "by", "to", "with", "from", "against", "on", "for", "toward", "towards", "between", "as")
PRONOUN_TARGET_COST_PENALTY = 0.5
MAX_SEARCH_COST = 8.0
PLURAL_NOUN_TAGS = {"NNS", "NNPS"}


def _owned_by_pronoun(token: Token) -> bool:
    """"its troops", "their countries": the source's own people or things, not a target;
    a person's relation stays one ("his counterparts")."""
    if not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children):
        return False
    sector = knowledge.sector_of(token.lower_)
    return sector is None or not sector.weak


def noun_phrase(head: Token, excluded: set[str] = NAME_EXCLUDED_DEPS, described: bool = False) -> list[Token]:
    """The words that name an actor: the head and its modifiers, with its "of", "in",
    "from" or "at" phrase, without clauses, appositions or coordinated phrases;
    `described` keeps every prepositional phrase."""
    keep = [head]
    for child in head.children:
        if child.dep_ in excluded or (child.dep_ == "prep" and not described and child.lower_ not in NAME_PREPOSITIONS):
            continue
        keep.extend(child.subtree)
    keep.sort(key=lambda t: t.i)
    while keep and (keep[0].dep_ == "det" or keep[0].is_punct or keep[0].is_quote):
        keep.pop(0)
    while keep and (keep[-1].is_punct or keep[-1].is_bracket or keep[-1].is_quote or keep[-1].dep_ == "case"):
        keep.pop()
    return keep or [head]


def _text(tokens: Sequence[Token]) -> str:
    """The text from the first to the last token, without quotation marks."""
    text = tokens[0].doc[tokens[0].i : tokens[-1].i + 1].text  # a span's text, not the whole doc's
    return " ".join(QUOTATION_MARKS.sub(" ", text).split())


class ArticleActors:
    """The article's actors: the one a word mentions, and the most mentioned person."""

    def __init__(self, actors: Sequence[Actor]):
        self._salience = {a.id: len(a.mentions) for a in actors}
        self._actors = list(actors)
        self._by_token: dict[int, Actor] | None = None

    def at_token(self, token: Token) -> Actor | None:
        """The actor whose mention overlaps the token most (the shorter mention on a tie)."""
        if self._by_token is None:
            self._by_token = self._token_map(token.doc)
        return self._by_token.get(token.i)

    def _token_map(self, doc: Doc) -> dict[int, Actor]:
        """Each token's actor, from one pass over the mentions (a look-up per token, not a scan)."""
        starts = [t.idx for t in doc]
        best: dict[int, tuple[tuple[int, int], Actor]] = {}
        mentions = sorted(((m, actor) for actor in self._actors for m in actor.mentions), key=lambda pair: pair[0].start)
        for mention, actor in mentions:
            i = max(bisect_right(starts, mention.start) - 1, 0)
            while i < len(doc) and starts[i] < mention.end:
                token_end = starts[i] + len(doc[i])
                overlap = min(token_end, mention.end) - max(starts[i], mention.start)
                key = (overlap, -(mention.end - mention.start))
                if overlap > 0 and (i not in best or key > best[i][0]):
                    best[i] = (key, actor)
                i += 1
        return {i: actor for i, (_, actor) in best.items()}

    def person_before(self, pronoun: Token, other_than: set[str]) -> Actor | None:
        """The person a pronoun refers to when it cannot be the one the article's actors gave it
        ("Marsh urged her": not Marsh): the person of its gender mentioned last before it."""
        gender = _pronoun_genders().get(pronoun.lower_)
        latest: tuple[int, Actor] | None = None
        for actor in self._actors:
            if actor.type != "PERSON" or actor.id in other_than or (gender and actor.gender not in (None, gender)):
                continue
            last = max((m.start for m in actor.mentions if m.end <= pronoun.idx), default=None)
            if last is not None and (latest is None or last > latest[0]):
                latest = (last, actor)
        return latest[1] if latest else None

    def most_salient_person(self, other_than: str | None) -> Actor | None:
        people = [a for a in self._actors if a.type == "PERSON" and a.id != other_than]
        return max(people, key=lambda a: self._salience[a.id], default=None)


@cache
def _pronoun_genders() -> dict[str, str]:
    return {word: gender for word, gender in table("pronoun_genders.tsv")}


def _article_actor(token: Token, actors: ArticleActors) -> Actor | None:
    """The article actor a phrase stands for: the one its head mentions, else a body
    named as its modifier ("G7 ministers", "Taliban fighters"); a nationality modifier
    does not make "Nigerian authorities" the country itself."""
    actor = actors.at_token(token)
    if actor is not None:
        return actor
    for child in token.children:
        if child.dep_ in ("compound", "nmod", "poss"):
            actor = actors.at_token(child)
            if actor is not None and actor.type == "ORG":
                return actor
    return None


def as_event_actor(actor: Actor) -> EventActor:
    known_country, known_sector = knowledge.code_actor(actor.name, actor.type, actor.role)
    return EventActor(entity=actor.id, name=actor.name, country=actor.country or known_country, sector=actor.sector or known_sector)


def object_actor(token: Token, actors: ArticleActors) -> EventActor | None:
    """The actor an object names. An object pronoun is never the subject of its own clause
    ("Marsh urged her to resign": her is not Marsh; "herself" would be): when the article's
    actors gave it that subject, it is the person of its gender named last before it."""
    found = event_actor(token, actors)
    reflexive = token.lower_.endswith(("self", "selves"))
    if token.pos_ != "PRON" or reflexive or found is None or found.entity is None or token.dep_ not in OBJECT_DEPS | {"dative"}:
        return found
    subject = next(iter(children_with(token.head, SUBJECT_DEPS)), None)
    named = event_actor(subject, actors) if subject is not None else None
    if named is None or not (named.entity == found.entity or set(named.name.split()) <= set(found.name.split())):
        return found
    other = actors.person_before(token, {found.entity, named.entity} - {None})
    return as_event_actor(other) if other is not None else None


def event_actor(token: Token, actors: ArticleActors) -> EventActor | None:
    tokens = noun_phrase(token)
    head_phrase = _text([t for t in tokens if t.i <= token.i])
    # appositions and participles often say who someone is ("Kenzo Oshima, the UN
    # relief coordinator"; "workers affiliated with the Serbian Workers' Union")
    described = _text(noun_phrase(token, NAME_EXCLUDED_DEPS - {"appos", "acl"}, described=True))
    country, sector = knowledge.code_phrase(described, head_phrase)
    actor = _article_actor(token, actors)
    if actor is not None:
        known_country, known_sector = knowledge.code_actor(actor.name, actor.type, actor.role)
        return EventActor(
            entity=actor.id,
            name=actor.name,
            country=actor.country or known_country or country,
            sector=actor.sector or known_sector or sector,
        )
    if token.pos_ == "PRON":
        return None
    if country is None:  # "his country", "their government": the possessor's
        owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        resolved = resolve_pronoun(owner, actors) if owner is not None else None
        if resolved is not None and resolved.i != owner.i:
            owner_actor = event_actor(resolved, actors)
            country = owner_actor.country if owner_actor else None
    if country is None and sector == knowledge.GOVERNMENT and len(tokens) == 1:
        state = _the_one_state_before(token, actors)
        if state is not None:  # "expelled by Valdoria after the government accused them"
            known_country, _ = knowledge.code_actor(state.name, state.type, state.role)
            return EventActor(entity=state.id, name=state.name, country=state.country or known_country, sector=sector)
    return EventActor(entity=None, name=_text(tokens), country=country, sector=sector)


def _the_one_state_before(token: Token, actors: ArticleActors) -> Actor | None:
    """The country an unqualified "the government" belongs to: the only one its sentence names
    before it."""
    states = {a.id: a for t in token.doc[token.sent.start : token.i] if (a := actors.at_token(t)) is not None and a.type == "GPE"}
    return next(iter(states.values())) if len(states) == 1 else None


def participant(token: Token, actors: ArticleActors) -> EventActor:
    """What a happening befalls ("a freight train", "the president"): an actor where it is one,
    else the noun phrase as said."""
    if is_actor_like(token):
        found = event_actor(token, actors)
        if found is not None:
            return found
    return EventActor(entity=None, name=_text(noun_phrase(token)))


def place_actor(place: SpacySpan) -> EventActor:
    """The authorities of a place, for acts of state reported without their agent
    ("was arrested in Lebanon")."""
    return EventActor(entity=None, name=place.text, country=knowledge.country_of_place(place.text), sector=knowledge.GOVERNMENT)


def place_of(verb: Token) -> SpacySpan | None:
    """The known place a verb's action happens "in" ("was arrested in Lebanon")."""
    for prep in children_with(verb, {"prep"}):
        if prep.lower_ not in LOCATION_PREPOSITIONS:
            continue
        for pobj in children_with(prep, {"pobj"}):
            ent = next((e for e in doc_index(verb.doc).sentence_ents(verb) if e.start <= pobj.i < e.end), None)
            if ent is not None and ent.label_ in PLACE_ENTITY_LABELS and knowledge.country_of_place(ent.text):
                return ent
    return None


def _subjects(verb: Token, stative: bool = False, depth: int = 0) -> list[Token]:
    """The actors doing what `verb` says, climbing to the clause that lends them."""
    if depth > 6:
        return []
    if is_passive(verb):
        agent = next(iter(children_with(verb, {"agent"})), None)
        pobj = next(iter(children_with(agent, {"pobj"})), None) if agent is not None else None
        if pobj is not None:
            return [through_quantity(pobj)]
        # "X is opposed to", "X was quoted as saying": the passive subject acts
        if not (stative or is_cue(verb, "speech")):
            return []
        return [through_quantity(s) for s in children_with(verb, PASSIVE_SUBJECT_DEPS)][:1]
    subject = next(iter(children_with(verb, SUBJECT_DEPS)), None)
    if subject is not None:
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return [verb.head]
        return [through_quantity(subject)]
    head = verb.head
    if head.i == verb.i:
        return []
    if head.pos_ == "ADP" and verb.dep_ == "pcomp":  # "resorted to [throwing stones]"
        verb, head = head, head.head
    if verb.dep_ == "xcomp":
        controller = next(iter(children_with(head, OBJECT_DEPS)), None)
        if controller is not None and is_actor_like(controller):
            return [controller]
        return _subjects(head, depth=depth + 1)
    if verb.dep_ in ("advcl", "conj", "acomp", "pcomp", "prep"):
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            return _subjects(head, depth=depth + 1)
        return _noun_subjects(head, depth + 1)
    if verb.dep_ == "acl":
        if verb.tag_ == "VBG" and is_actor_like(head):
            return [head]
        return _noun_subjects(head, depth + 1)
    if verb.dep_ == "relcl" and not is_purpose(verb):  # "calls to quit": the callers do not quit
        return [head]
    return []


def _noun_subjects(noun: Token, depth: int = 0) -> list[Token]:
    """Who does what an event noun names: its possessor or "by" agent, else the subject of
    the verb that carries it ("held talks", "during a call", "a series of calls")."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ not in DATE_ENTITY_LABELS:
            return [child]
    by = child_preposition(noun, "by")
    if by is not None and children_with(by, {"pobj"}):
        return [through_quantity(children_with(by, {"pobj"})[0])]
    position = noun
    if position.dep_ == "compound":  # "mediation mission", "peace talks"
        position = position.head
    if position.dep_ == "pobj" and position.head.lower_ == "of" and is_cue(position.head.head, "collective"):
        position = position.head.head
    head = position.head
    if position.dep_ in OBJECT_DEPS and head.pos_ == "VERB" and is_cue(head, "support"):
        return _subjects(head, depth=depth + 1)
    if position.dep_ == "pobj" and head.dep_ == "prep":
        verb = head.head
        if verb.pos_ in ("VERB", "AUX") and (head.lower_ in PARTICIPATION_PREPOSITIONS or is_cue(verb, "support")):
            return _subjects(verb, depth=depth + 1)
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and _is_agent_modifier(child):
            return [child]
    return []


def _is_agent_modifier(token: Token) -> bool:
    """A modifier that says who acts ("the Taliban takeover", "Israeli air raids", "US
    strikes"); a town names where ("the Salisbury attack")."""
    if token.ent_type_ == "GPE":
        return knowledge.is_country(token.text)
    return token.ent_type_ in ACTOR_ENTITY_LABELS


def resolve_pronoun(token: Token, actors: ArticleActors) -> Token | None:
    """A pronoun the article's actors do not cover. The subject of reported speech is
    the speaker ("Hungary has said it will support ..."); "they" or "their" is the last
    group named before it in the sentence ("the Taliban following their capture")."""
    if token.pos_ != "PRON":
        return token
    actor = actors.at_token(token)
    if actor is not None and not (token.lower_ in PLURAL_PRONOUNS and actor.type == "PERSON"):
        return token
    if token.lower_ in PLURAL_PRONOUNS:
        before = [t for t in reversed(token.doc[token.sent.start : token.i]) if _is_group(t, actors)]
        # a plural noun ("the diplomats") before a body named in the singular ("Valdoria")
        group = next((t for t in before if t.tag_ in PLURAL_NOUN_TAGS), before[0] if before else None)
        if group is not None:
            return group
    if token.dep_ == "poss":  # "the committee completed its investigation"
        verb = governing_clause(token)
        owner = next(iter(children_with(verb, SUBJECT_DEPS)), None) if verb is not None else None
        if owner is not None and owner.i != token.head.i:
            return owner if owner.pos_ != "PRON" else None
        clause = verb  # "[he said] his country would ...": the speaker's
    elif token.dep_ in SUBJECT_DEPS:
        clause = token.head
    else:
        return None
    if clause is None:
        return None
    while clause.dep_ in ("xcomp", "conj") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp":
        return None
    speaker = next(iter(children_with(clause.head, SUBJECT_DEPS)), None)
    return speaker if speaker is not None and speaker.pos_ != "PRON" else None


def _is_group(token: Token, actors: ArticleActors) -> bool:
    if token.dep_ not in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | OBJECT_DEPS | {"pobj", "poss"}:
        return False
    actor = actors.at_token(token)
    if actor is not None:
        return actor.type in ("ORG", "NORP", "GPE")
    return token.ent_type_ in ("ORG", "NORP") or (token.tag_ == "NNS" and is_actor_like(token))


@dataclass(order=True)
class _Found:
    cost: float
    position: int
    token: Token = field(compare=False)


class _TargetSearch:
    """Cheapest-path search for the target among the words a trigger governs."""

    def __init__(self, candidate: Candidate, excluded: set[int]):
        self.candidate = candidate
        self.trigger = candidate.trigger
        self.preferred = candidate.trigger.targets
        self.excluded = excluded
        self.parts = {t.i for t in candidate.parts}
        # a meeting or an agreement is not "with" the place it happens in; a visit or an
        # attack is aimed at it
        self.places_are_targets = candidate.type not in PLACELESS_TYPES or candidate.trigger.mode == "visit"
        self.found: list[_Found] = []

    def best(self) -> Token | None:
        token = self.candidate.token
        if self.trigger is OBLIGATION_TRIGGER:
            return self.obliged(token)
        if token.pos_ == "NOUN":
            self.inside(token, 0)
            if token.dep_ == "compound":  # "mediation mission between ..."
                self.inside(token.head, 0.5)
            verb = governing_clause(token)
            if not self.found and verb is not None:
                # a support verb's clause is the noun's own ("began a hunger strike to
                # protest against ..."); any other verb's is about something else
                carried = token.dep_ in OBJECT_DEPS and token.head.i == verb.i and is_cue(verb, "support")
                self.excluded.update(t.i for t in token.subtree)
                self.clause(verb, 1.5, addressee=False, governed=carried)
        else:
            if token.dep_ == "acl" and token.tag_ == "VBN":
                self.inside(token.head, 0)
            self.clause(token, 0, addressee=self.trigger.addressee)
        return min(self.found).token if self.found else None

    def obliged(self, verb: Token) -> Token | None:
        """Who must act; "it" in "reminded Iraq that it must" is the one reminded."""
        subject = next(iter(children_with(verb, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)))
        if subject.pos_ == "PRON":
            teller = verb.head
            tellers = [teller, *([teller.head] if teller.pos_ == "NOUN" else [])]
            for word in tellers:
                for child in word.children:
                    if child.dep_ in ("dative", "dobj") and child.pos_ != "ADP" and child.i != verb.head.i:
                        self.offer(child, 1)
                    elif child.dep_ == "prep" and child.lower_ == "to":
                        for pobj in children_with(child, {"pobj"}):
                            self.offer(pobj, 1)
            if self.found:
                return min(self.found).token
        return subject

    def offer(self, token: Token, cost: float, theme: bool = False) -> None:
        token = through_quantity(token)
        if token.i in self.excluded or cost > MAX_SEARCH_COST:
            return
        own = _owned_by_pronoun(token)
        if not (theme or own) and token.i not in self.parts and is_actor_like(token):
            penalty = PRONOUN_TARGET_COST_PENALTY if token.pos_ == "PRON" else 0.0 if token.pos_ == "PROPN" else 0.1
            self.found.append(_Found(cost + penalty, token.i, token))
        else:
            modifiers = not (theme or own or token.i in self.parts)
            self.inside(token, cost + 1, modifiers=modifiers)

    def inside(self, noun: Token, cost: float, modifiers: bool = True) -> None:
        """Actors named inside a non-actor object: "an Indian proposal", "withdrawal of
        Serbian forces", "a demonstration staged by students"."""
        if cost > MAX_SEARCH_COST:
            return
        for child in noun.children:
            if child.i in self.excluded:
                continue
            if child.dep_ in ("poss", "compound", "amod", "nmod") and modifiers and is_actor_like(child):
                self.offer(child, cost - 0.5)
            elif child.dep_ == "appos":
                self.offer(child, cost)
            elif child.dep_ == "prep" and child.lower_ in INSIDE_OBJECT_PREPOSITIONS + self.preferred:
                for pobj in children_with(child, {"pobj", "pcomp"}):
                    self.offer(pobj, cost + (0 if child.lower_ in self.preferred else 0.5))
            elif child.dep_ == "prep" and child.lower_ in LOCATION_PREPOSITIONS:
                self.places(child, cost + 2)
            elif child.dep_ == "acl":
                self.clause(child, cost + 1, addressee=True)

    def places(self, prep: Token, cost: float) -> None:
        if not self.places_are_targets:
            return
        for pobj in children_with(prep, {"pobj"}):
            if pobj.ent_type_ in PLACE_ENTITY_LABELS and pobj.i not in self.excluded:
                self.found.append(_Found(cost, pobj.i, pobj))

    def clause(self, verb: Token, cost: float, addressee: bool, governed: bool = True) -> None:
        """Objects of a verb and, where it addresses someone, the subject of its
        complement ("demanded that [the US] cancel", "refused to allow [UN planes] to
        land"). A clause the trigger only hangs on (`governed` false) offers its objects
        alone: its subjects and complements are about something else."""
        if cost > MAX_SEARCH_COST:
            return
        is_trigger = verb.i == self.candidate.token.i
        object_taken = is_trigger and any(verb.i == p.head.i and p.dep_ in OBJECT_DEPS for p in self.candidate.parts)
        for child in verb.children:
            if child.i in self.excluded:
                continue
            dep, word = child.dep_, child.lower_
            if dep == "dative" and child.pos_ != "ADP":
                self.offer(child, cost + 1)
            elif dep in OBJECT_DEPS and not (object_taken and child.i not in self.parts):
                self.offer(child, cost + 1, theme=self.trigger.theme and is_trigger)
            elif dep in PASSIVE_SUBJECT_DEPS and governed:
                self.offer(child, cost + (1 if is_trigger else 1.5))
            elif dep in SUBJECT_DEPS and not is_trigger and addressee and governed:
                self.offer(child, cost + 0.5)
            elif dep == "agent":
                for pobj in children_with(child, {"pobj"}):
                    self.offer(pobj, cost + 1)
            elif dep in PREPOSITION_DEPS:
                pobjs = children_with(child, {"pobj", "pcomp"})
                if child.i in self.parts and not pobjs:  # a particle: "out [of Afghanistan]"
                    self.clause(child, cost, addressee=False, governed=False)
                elif word in self.preferred:
                    for pobj in pobjs:
                        self.offer(pobj, cost + 1.5)
                elif word in DEFAULT_TARGET_PREPOSITIONS or (word == "for" and dep == "prep"):
                    for pobj in pobjs:
                        self.offer(pobj, cost + 2)
                elif word in LOCATION_PREPOSITIONS:
                    self.places(child, cost + 3)
                    for pobj in pobjs:  # "in its Gulf war [with Iraq]"
                        if pobj.ent_type_ not in PLACE_ENTITY_LABELS:
                            self.inside(pobj, cost + 3, modifiers=False)
            elif governed and child.i > verb.i and (dep in CLAUSE_DEPS or (dep == "advcl" and is_purpose(child))):
                marked_for = any(m.dep_ == "mark" and m.lower_ == "for" for m in child.children)
                addresses = (addressee and (dep != "advcl" or marked_for)) or _addresses(verb)
                self.clause(child, cost + 1, addressee=addresses)


def _addresses(verb: Token) -> bool:
    """Whether a verb inside a complement addresses its own complement's subject ("refused
    to [allow] UN planes to land")."""
    lexicon = trigger_lexicon()
    return any(t.addressee for lemma in lemma_variants(verb) for t in lexicon.get((lemma, "VERB"), ()))


def search_targets(candidate: Candidate, excluded: set[int]) -> Token | None:
    return _TargetSearch(candidate, excluded).best()


def sources_of(candidate: Candidate) -> list[Token]:
    token = candidate.token
    if candidate.trigger is OBLIGATION_TRIGGER:
        speaker_clause = token.head
        if speaker_clause.pos_ in ("VERB", "AUX"):
            return _subjects(speaker_clause)
        return _noun_subjects(speaker_clause)
    if token.pos_ == "NOUN":
        subjects = _noun_subjects(token)
        if not subjects and candidate.type in GATHERING_TYPES:  # "a meeting of G7 leaders"
            of = child_preposition(token, "of")
            subjects = [p for p in children_with(of, {"pobj"}) if is_actor_like(p)][:1] if of is not None else []
        return subjects
    if token.pos_ == "ADJ":
        return _subjects(token.head) if token.dep_ == "acomp" else []
    return _subjects(token, stative=candidate.trigger.stative)
