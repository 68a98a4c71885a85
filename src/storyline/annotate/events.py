"""PLOVER events: who did what to whom, when and where.

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
  sentence's main clause, resolved against the publication date by `dates.parse_date`; a
  sentence without one continues the day of the sentence before it in the same or the
  preceding paragraph (news narrates a day's events in a row). **location**: a place the trigger's clause is "in", "at" or "near",
  else a physical event's target place that is not a country.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

from spacy.tokens import Doc, Span as SpacySpan, Token

from ..lexicons import jsonl, table
from ..records import Actor, Event, EventActor, Offsets, Span
from . import knowledge
from .actors import build_actors
from .dates import parse_date
from .pipeline import load_nlp

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
COOPERATIVE_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
# material hostile actions: promised or intended, PLOVER codes them as THREATEN
HOSTILE_ACTIONS = {"SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "PROTEST"}
# event types whose place is where they happen, not whom they concern
PLACELESS_TYPES = {"AGREE", "CONSULT", "SUPPORT", "COOPERATE"}
# event nouns whose "of" phrase names who gathers ("a meeting of G7 leaders")
GATHERING_TYPES = {"CONSULT", "PROTEST"}
# clauses that say what might happen, not what did ("if he planned to resign")
HYPOTHETICAL_MARKERS = {"if", "whether", "unless"}
# event types that happen somewhere: an unnamed place target is also where they happened
PHYSICAL_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT"}
INTEND = "intend"
# acts of authorities: reported in the passive without agent, the place's state did them
STATE_ACTS = {"COERCE", "ACCUSE", "SANCTION"}

ACTOR_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_ENTITY_LABELS = {"GPE", "LOC", "FAC"}
DATE_ENTITY_LABELS = {"DATE", "TIME"}
QUANTITY_ENTITY_LABELS = {"CARDINAL", "QUANTITY", "DATE", "TIME", "PERCENT", "MONEY"}
IMPERSONAL_PRONOUNS = {"it", "this", "that"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs"}
PERSONAL_PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "we", "us", "i", "me", "you"}
FIRST_PERSON = {"we", "us", "i", "me", "our", "my"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
SUBJECT_DEPS = {"nsubj", "csubj"}
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "obj"}
CLAUSE_DEPS = {"xcomp", "ccomp"}
PREPOSITION_DEPS = {"prep", "agent", "dative"}
PARTICLE_DEPS = {"prt", "advmod", "prep"}
# dependency steps that stay inside a frame's complement ("refused to [deploy peacekeepers]")
COMPLEMENT_PATH_DEPS = {
    "xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "nsubj", "nsubjpass",
    "compound", "amod", "nmod", "poss", "attr", "oprd", "dative", "conj", "cc", "aux", "mark", "relcl",
}  # fmt: skip
# a noun phrase's name leaves these out
NAME_EXCLUDED_DEPS = {"relcl", "appos", "conj", "cc", "punct", "advcl", "parataxis", "acl", "case"}
LOCATION_PREPOSITIONS = {"in", "at", "near", "outside", "inside"}
NAME_PREPOSITIONS = {"of", "in", "from", "at"}
QUOTATION_MARKS = re.compile(r'["“”]')
# an event noun after these shares the subject of the verb it hangs on ("during a call")
PARTICIPATION_PREPOSITIONS = {"during", "in", "at", "amid", "for"}
DEFAULT_TARGET_PREPOSITIONS = ("to", "with", "against", "on", "upon", "at", "toward", "towards", "into", "from", "as", "between")
INSIDE_OBJECT_PREPOSITIONS = ("of", "by", "to", "with", "from", "against", "on", "for", "toward", "towards", "between", "as")
PRONOUN_TARGET_COST_PENALTY = 0.5
MAX_SEARCH_COST = 8.0
MAIN_CLAUSE_DEPTH = 2


# ---- the document, indexed once ---------------------------------------------------------


class _DocIndex:
    """A parsed article's entities and sentences as sorted lists, built once per document: a
    sentence's entities are then a bisection away (spaCy's `Span.ents` walks all the
    document's entities on every call, which made annotation quadratic in article length)."""

    def __init__(self, doc: Doc):
        self.ents = list(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.sents = list(doc.sents)
        self._sent_starts = [s.start for s in self.sents]

    def ents_between(self, start: int, end: int) -> list[SpacySpan]:
        """Entities starting in the token range [start, end)."""
        return self.ents[bisect_left(self._ent_starts, start) : bisect_left(self._ent_starts, end)]

    def sentence_ents(self, token: Token) -> list[SpacySpan]:
        sentence = self.sentence_of(token)
        return self.ents_between(sentence.start, sentence.end)

    def sentence_of(self, token: Token) -> SpacySpan:
        return self.sents[bisect_right(self._sent_starts, token.i) - 1]

    def sentences_between(self, start: int, end: int) -> list[SpacySpan]:
        """Sentences starting in the token range [start, end)."""
        return self.sents[bisect_left(self._sent_starts, start) : bisect_left(self._sent_starts, end)]


def _doc_index(doc: Doc) -> _DocIndex:
    index = doc.user_data.get(_DocIndex.__name__)
    if index is None:
        index = doc.user_data[_DocIndex.__name__] = _DocIndex(doc)
    return index


# ---- lexicon --------------------------------------------------------------------------


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a word that, with its constraints met, is an event of `type`."""

    lemma: str
    type: str
    pos: str = "VERB"
    mode: str | None = None
    particle: str | None = None
    prep: str | None = None
    objects: frozenset[str] | None = None  # the object must be one of these words
    object_kind: str | None = None  # actor | any | none: what the object must be
    complement: bool = False  # needs a clausal complement ("asked X to ...")
    frame: bool = False  # its complement is what is demanded, refused, promised ...
    theme: bool = False  # its direct object is what is moved or given, not the target
    targets: tuple[str, ...] = ()  # prepositions that introduce the target
    negated: str | None = None  # the type it takes when negated
    quote: frozenset[str] | None = None  # the quoted answer that makes it an event
    compounds: frozenset[str] | None = None  # a noun's required modifier ("air strike")
    addressee: bool = False  # the subject of its complement is the target ("allow X to")
    stative: bool = False  # its passive form names the source ("Israel is opposed to")
    mutual: bool = False  # done together: "A and B agreed" is A->B and B->A

    @property
    def specificity(self) -> int:
        return sum(
            (
                2 * (self.objects is not None),
                self.object_kind is not None,
                self.particle is not None,
                self.prep is not None,
                self.complement,
                2 * (self.quote is not None),
                2 * (self.compounds is not None),
            )
        )

    @classmethod
    def from_json(cls, entry: dict) -> Trigger:
        objects = entry.get("object")
        quote = entry.get("quote")
        return cls(
            lemma=entry["lemma"],
            type=entry["type"],
            pos=entry.get("pos", "VERB"),
            mode=entry.get("mode"),
            particle=entry.get("particle"),
            prep=entry.get("prep"),
            objects=frozenset(objects) if isinstance(objects, list) else None,
            object_kind=objects if isinstance(objects, str) else None,
            complement=entry.get("complement", False),
            frame=entry.get("frame", False),
            theme=entry.get("theme", False),
            targets=tuple(entry.get("targets", ())),
            negated=entry.get("negated"),
            quote=frozenset(quote) if quote else None,
            compounds=frozenset(entry["compound"]) if "compound" in entry else None,
            addressee=entry.get("addressee", entry["type"] == "REQUEST"),
            stative=entry.get("stative", False),
            mutual=entry.get("mutual", False),
        )


@cache
def _lexicon() -> dict[tuple[str, str], tuple[Trigger, ...]]:
    entries: dict[tuple[str, str], list[Trigger]] = {}
    for entry in jsonl("plover_triggers.jsonl"):
        trigger = Trigger.from_json(entry)
        if trigger.type not in PLOVER_TYPES:
            raise ValueError(f"plover_triggers.jsonl: {trigger.lemma}: unknown PLOVER type {trigger.type}")
        entries.setdefault((trigger.lemma, trigger.pos), []).append(trigger)
    return {key: tuple(sorted(group, key=lambda t: -t.specificity)) for key, group in entries.items()}


@cache
def _cues() -> dict[str, frozenset[str]]:
    cues: dict[str, set[str]] = {}
    for word, cue in table("event_cues.tsv"):
        cues.setdefault(cue, set()).add(word)
    return {cue: frozenset(words) for cue, words in cues.items()}


def _lemmas(token: Token) -> tuple[str, ...]:
    """The token's lemma, its lower-cased form and plain de-inflections of it: the small
    model's lemmatiser misses some forms ("staged" -> "stag")."""
    word = token.lower_
    variants = [token.lemma_.lower(), word]
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("d", ""), ("es", ""), ("s", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            variants.append(word[: -len(suffix)] + replacement)
    return tuple(dict.fromkeys(variants))


def _is_cue(token: Token, cue: str) -> bool:
    words = _cues()[cue]
    return any(lemma in words for lemma in _lemmas(token))


def _is_first_person(token: Token) -> bool:
    return token.pos_ == "PRON" and token.lower_ in FIRST_PERSON


OBLIGATION_TRIGGER = Trigger(lemma="", type="REQUEST", frame=True)
IMPERATIVE_TRIGGER = Trigger(lemma="", type="REQUEST")


def plover_type(event: Event) -> str:
    """The type PLOVER codes `event` as: it files a reported intention to act under AGREE
    (cooperative actions) or THREATEN (hostile ones), where storyline keeps the intended
    action's own type with mode "intend"."""
    if event.mode != INTEND:
        return event.type
    if event.type in COOPERATIVE_TYPES:
        return "AGREE"
    if event.type in HOSTILE_ACTIONS:
        return "THREATEN"
    return event.type


# ---- finding triggers -----------------------------------------------------------------


@dataclass
class _Candidate:
    token: Token
    trigger: Trigger
    parts: list[Token] = field(default_factory=list)  # particle, preposition, object words
    type: str = ""
    absorbed: bool = False

    def __post_init__(self) -> None:
        self.type = self.type or self.trigger.type


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [child for child in token.children if child.dep_ in deps]


def _is_passive(verb: Token) -> bool:
    """A passive clause, or a passive participle modifying a noun ("a meeting chaired by")."""
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return any(child.dep_ == "agent" for child in verb.children)
    return any(child.dep_ in PASSIVE_SUBJECT_DEPS or child.dep_ == "auxpass" for child in verb.children)


def _preposition(token: Token, word: str) -> Token | None:
    """The child preposition `word`, or the same word marking a child clause ("called
    for him to go")."""
    for child in token.children:
        if child.dep_ in PREPOSITION_DEPS | {"mark"} and child.lower_ == word:
            return child
        if child.dep_ in CLAUSE_DEPS | {"advcl"} and child.i > token.i:
            marker = next((m for m in child.children if m.dep_ == "mark" and m.lower_ == word), None)
            if marker is not None:
                return marker
    return None


def _through_quantity(token: Token) -> Token:
    """The counted thing of a quantity phrase ("thousands of refugees", "10 days of war
    games", "a group of leaders"); the token itself otherwise."""
    for _ in range(3):
        if not (token.like_num or token.ent_type_ in QUANTITY_ENTITY_LABELS or _is_cue(token, "collective")):
            return token
        of = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next(iter(_children(of, {"pobj"})), None) if of is not None else None
        if pobj is None:
            return token
        token = pobj
    return token


def _object_of(token: Token, trigger: Trigger) -> Token | None:
    """The word the trigger acts on: its direct object, its passive subject, the noun a
    participle modifies ("a meeting chaired by ..."), or the object of its preposition."""
    if trigger.prep and trigger.objects is not None:  # "put on alert", "walk out of talks"
        prep = _preposition(token, trigger.prep)
        pobj = next(iter(_children(prep, {"pobj"})), None) if prep is not None else None
        if pobj is not None:
            return _through_quantity(pobj)
    found = _children(token, OBJECT_DEPS)
    if found:
        return _through_quantity(found[0])
    if token.pos_ == "VERB" and _is_passive(token) and not trigger.stative:
        passive_subject = next(iter(_children(token, PASSIVE_SUBJECT_DEPS)), None)
        if passive_subject is not None:
            return _through_quantity(passive_subject)
    if token.dep_ == "acl" and token.tag_ == "VBN":
        return token.head
    if trigger.prep:
        prep = _preposition(token, trigger.prep)
        pobj = next(iter(_children(prep, {"pobj"})), None) if prep is not None else None
        if pobj is not None:
            return _through_quantity(pobj)
    return None


def _object_words(obj: Token) -> set[str]:
    """The object's lemmas and those of its compound modifiers ("mediation efforts",
    "hunger strike", "ceasefire agreement")."""
    words = set(_lemmas(obj))
    for child in obj.children:
        if child.dep_ == "compound":
            words.update(_lemmas(child))
    return words


def _quoted_answer(token: Token) -> str | None:
    """The words of the quotation that follows a speech verb in its sentence."""
    words = []
    opened = False
    for following in token.doc[token.i + 1 : token.sent.end]:
        if following.is_quote:
            if opened:
                break
            opened = True
            continue
        if opened and not following.is_punct:
            words.append(following.lower_)
    return " ".join(words) if opened else None


def _match(token: Token) -> _Candidate | None:
    pos = "NOUN" if token.pos_ == "NOUN" else "ADJ" if token.pos_ == "ADJ" else "VERB" if token.pos_ == "VERB" else None
    if pos is None:
        return None
    lexicon = _lexicon()
    entries = next((lexicon[(lemma, pos)] for lemma in _lemmas(token) if (lemma, pos) in lexicon), ())
    for trigger in entries:
        parts: list[Token] = []
        if trigger.particle:
            particle = next(
                (c for c in token.children if c.dep_ in PARTICLE_DEPS and c.lower_ == trigger.particle), None
            )
            if particle is None:
                continue
            parts.append(particle)
        if trigger.prep:
            prep = _preposition(token, trigger.prep)
            if prep is None:
                continue
            parts.append(prep)
        obj = _object_of(token, trigger)
        if trigger.objects is not None:
            if obj is None or not _object_words(obj) & trigger.objects:
                continue
            parts.append(obj)
        if trigger.object_kind == "actor" and (obj is None or not _is_actor_like(obj) or obj.lower_ in IMPERSONAL_PRONOUNS):
            continue
        if trigger.object_kind == "any" and obj is None:
            continue
        if trigger.object_kind == "none" and obj is not None:
            continue
        if trigger.complement and not _children(token, CLAUSE_DEPS | {"acl"}):
            continue
        if trigger.quote is not None and _quoted_answer(token) not in trigger.quote:
            continue
        if trigger.compounds is not None and not any(
            c.dep_ in ("compound", "amod", "nmod") and c.lower_ in trigger.compounds for c in token.children
        ):
            continue
        return _Candidate(token, trigger, parts)
    return None


def _obligation(token: Token) -> _Candidate | None:
    """ "X must / should do Y" reported from a speaker: the speaker demands it of X."""
    if token.pos_ not in ("VERB", "AUX"):
        return None
    reported = token.dep_ == "ccomp" or (
        token.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
    )
    modal = next((c for c in token.children if c.dep_ == "aux" and _is_cue(c, "obligation")), None)
    subject = next(iter(_children(token, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)), None)
    if not reported or modal is None or subject is None or _is_first_person(subject) or subject.lower_ == "there":
        return None
    return _Candidate(token, OBLIGATION_TRIGGER, [modal])


def _candidates(sentence: SpacySpan) -> list[_Candidate]:
    found: list[_Candidate] = []
    consumed: set[int] = set()
    for token in sentence:
        candidate = _obligation(token) or _match(token)
        if candidate is not None:
            found.append(candidate)
            consumed.update(part.i for part in candidate.parts if part.i != token.i)
    return [c for c in found if c.token.i not in consumed]


def _path_to(inner: Token, outer: Token) -> list[str] | None:
    """Dependency labels from `inner` up to its ancestor `outer`, or None."""
    deps = []
    token = inner
    while token.i != outer.i:
        if token.head.i == token.i:
            return None
        deps.append(token.dep_)
        token = token.head
    return deps


def _frame_roots(frame: _Candidate) -> list[tuple[Token, bool]]:
    """Where a frame's complement hangs: under its trigger, and for an event noun also the
    purpose clauses of the verb that carries it ("began a hunger strike [to demand ...]");
    the flag says whether only purpose clauses count."""
    roots = [(frame.token, False)]
    if frame.token.pos_ == "NOUN" and frame.token.dep_ in OBJECT_DEPS and _is_cue(frame.token.head, "support"):
        roots.append((frame.token.head, True))
    return roots


def _absorb(candidates: list[_Candidate]) -> None:
    """Mark triggers inside a frame's complement: they are its content, not events."""
    for frame in candidates:
        if not frame.trigger.frame:
            continue
        for root, purpose_only in _frame_roots(frame):
            subjects = {t.i for s in _children(root, SUBJECT_DEPS) for t in s.subtree}
            for inner in candidates:
                if inner is frame or inner.token.i in subjects:
                    continue
                path = _path_to(inner.token, root)
                if not path or not set(path) <= COMPLEMENT_PATH_DEPS:
                    continue
                top = _path_top(inner.token, root)
                if path[-1] == "conj" or (path[-1] == "advcl" and not _is_purpose(top)):
                    continue  # coordinated or circumstantial: an event of its own
                if purpose_only and not (path[-1] in ("advcl", "xcomp") and _is_purpose(top)):
                    continue
                inner.absorbed = True
                if frame.type == "AGREE" and inner.type in HOSTILE_ACTIONS and path == ["xcomp"]:
                    frame.type = "THREATEN"  # a promise to strike is a threat


def _path_top(inner: Token, outer: Token) -> Token:
    """The child of `outer` on the way down to `inner`."""
    token = inner
    while token.head.i != outer.i:
        token = token.head
    return token


def _is_purpose(clause: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children) or any(
        c.dep_ == "mark" and c.lower_ == "for" for c in clause.children
    )


# ---- actors ---------------------------------------------------------------------------


def _is_actor_like(token: Token) -> bool:
    """Whether a noun phrase head can be a source or target: a name, a pronoun, a role or
    group noun, or a common noun modified by a country or body ("Cambodian refugee camp").
    An adjective is one only as a nationality ("the Turkish and Greek sides")."""
    if token.ent_type_ in DATE_ENTITY_LABELS or token.like_num:
        return False
    if token.pos_ == "PRON":
        return token.lower_ in PERSONAL_PRONOUNS
    if token.pos_ == "ADJ":
        return token.ent_type_ in ACTOR_ENTITY_LABELS or knowledge.lookup(token.text) is not None
    if token.ent_type_ in ACTOR_ENTITY_LABELS or token.pos_ == "PROPN":
        return True
    if token.pos_ != "NOUN" or _is_cue(token, "collective"):
        return False
    if knowledge.sector_of(token.lower_) is not None or knowledge.lookup(token.text):
        return True
    return any(
        child.dep_ in ("compound", "amod", "nmod")
        and (child.ent_type_ in ACTOR_ENTITY_LABELS or knowledge.lookup(child.text) is not None)
        for child in token.children
    )


def _owned_by_pronoun(token: Token) -> bool:
    """"its troops", "their countries": the source's own people or things, not a target;
    a person's relation stays one ("his counterparts")."""
    if not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children):
        return False
    sector = knowledge.sector_of(token.lower_)
    return sector is None or not sector.weak


def _noun_phrase(head: Token, excluded: set[str] = NAME_EXCLUDED_DEPS, described: bool = False) -> list[Token]:
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


class _Actors:
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

    def most_salient_person(self, other_than: str | None) -> Actor | None:
        people = [a for a in self._actors if a.type == "PERSON" and a.id != other_than]
        return max(people, key=lambda a: self._salience[a.id], default=None)


def _article_actor(token: Token, actors: _Actors) -> Actor | None:
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


def _event_actor(token: Token, actors: _Actors) -> EventActor | None:
    tokens = _noun_phrase(token)
    head_phrase = _text([t for t in tokens if t.i <= token.i])
    # appositions and participles often say who someone is ("Kenzo Oshima, the UN
    # relief coordinator"; "workers affiliated with the Serbian Workers' Union")
    described = _text(_noun_phrase(token, NAME_EXCLUDED_DEPS - {"appos", "acl"}, described=True))
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
        resolved = _resolve_pronoun(owner, actors) if owner is not None else None
        if resolved is not None and resolved.i != owner.i:
            owner_actor = _event_actor(resolved, actors)
            country = owner_actor.country if owner_actor else None
    return EventActor(entity=None, name=_text(tokens), country=country, sector=sector)


def _place_actor(place: SpacySpan) -> EventActor:
    """The authorities of a place, for acts of state reported without their agent
    ("was arrested in Lebanon")."""
    return EventActor(entity=None, name=place.text, country=knowledge.country_of_place(place.text), sector=knowledge.GOVERNMENT)


def _place_of(verb: Token) -> SpacySpan | None:
    """The known place a verb's action happens "in" ("was arrested in Lebanon")."""
    for prep in _children(verb, {"prep"}):
        if prep.lower_ not in LOCATION_PREPOSITIONS:
            continue
        for pobj in _children(prep, {"pobj"}):
            ent = next((e for e in _doc_index(verb.doc).sentence_ents(verb) if e.start <= pobj.i < e.end), None)
            if ent is not None and ent.label_ in PLACE_ENTITY_LABELS and knowledge.country_of_place(ent.text):
                return ent
    return None


def _conjuncts(token: Token) -> list[Token]:
    return [token, *(c for c in token.conjuncts if c.i > token.i and c.pos_ in ("NOUN", "PROPN", "PRON"))]


def _governing_clause(token: Token) -> Token | None:
    """The verb whose clause `token` sits in, climbing out of noun phrases."""
    head = token.head
    while head.i != head.head.i and head.pos_ not in ("VERB", "AUX"):
        head = head.head
    return head if head.i != token.i and head.pos_ in ("VERB", "AUX") else None


def _subjects(verb: Token, stative: bool = False, depth: int = 0) -> list[Token]:
    """The actors doing what `verb` says, climbing to the clause that lends them."""
    if depth > 6:
        return []
    if _is_passive(verb):
        agent = next(iter(_children(verb, {"agent"})), None)
        pobj = next(iter(_children(agent, {"pobj"})), None) if agent is not None else None
        if pobj is not None:
            return [_through_quantity(pobj)]
        # "X is opposed to", "X was quoted as saying": the passive subject acts
        if not (stative or _is_cue(verb, "speech")):
            return []
        return [_through_quantity(s) for s in _children(verb, PASSIVE_SUBJECT_DEPS)][:1]
    subject = next(iter(_children(verb, SUBJECT_DEPS)), None)
    if subject is not None:
        if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return [verb.head]
        return [_through_quantity(subject)]
    head = verb.head
    if head.i == verb.i:
        return []
    if head.pos_ == "ADP" and verb.dep_ == "pcomp":  # "resorted to [throwing stones]"
        verb, head = head, head.head
    if verb.dep_ == "xcomp":
        controller = next(iter(_children(head, OBJECT_DEPS)), None)
        if controller is not None and _is_actor_like(controller):
            return [controller]
        return _subjects(head, depth=depth + 1)
    if verb.dep_ in ("advcl", "conj", "acomp", "pcomp", "prep"):
        if head.pos_ in ("VERB", "AUX", "ADJ"):
            return _subjects(head, depth=depth + 1)
        return _noun_subjects(head, depth + 1)
    if verb.dep_ == "acl":
        if verb.tag_ == "VBG" and _is_actor_like(head):
            return [head]
        return _noun_subjects(head, depth + 1)
    if verb.dep_ == "relcl" and not _is_purpose(verb):  # "calls to quit": the callers do not quit
        return [head]
    return []


def _noun_subjects(noun: Token, depth: int = 0) -> list[Token]:
    """Who does what an event noun names: its possessor or "by" agent, else the subject of
    the verb that carries it ("held talks", "during a call", "a series of calls")."""
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ not in DATE_ENTITY_LABELS:
            return [child]
    by = _preposition(noun, "by")
    if by is not None and _children(by, {"pobj"}):
        return [_through_quantity(_children(by, {"pobj"})[0])]
    position = noun
    if position.dep_ == "compound":  # "mediation mission", "peace talks"
        position = position.head
    if position.dep_ == "pobj" and position.head.lower_ == "of" and _is_cue(position.head.head, "collective"):
        position = position.head.head
    head = position.head
    if position.dep_ in OBJECT_DEPS and head.pos_ == "VERB" and _is_cue(head, "support"):
        return _subjects(head, depth=depth + 1)
    if position.dep_ == "pobj" and head.dep_ == "prep":
        verb = head.head
        if verb.pos_ in ("VERB", "AUX") and (head.lower_ in PARTICIPATION_PREPOSITIONS or _is_cue(verb, "support")):
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


def _resolve_pronoun(token: Token, actors: _Actors) -> Token | None:
    """A pronoun the article's actors do not cover. The subject of reported speech is
    the speaker ("Hungary has said it will support ..."); "they" or "their" is the last
    group named before it in the sentence ("the Taliban following their capture")."""
    if token.pos_ != "PRON":
        return token
    actor = actors.at_token(token)
    if actor is not None and not (token.lower_ in PLURAL_PRONOUNS and actor.type == "PERSON"):
        return token
    if token.lower_ in PLURAL_PRONOUNS:
        group = next((t for t in reversed(token.doc[token.sent.start : token.i]) if _is_group(t, actors)), None)
        if group is not None:
            return group
    if token.dep_ == "poss":  # "the committee completed its investigation"
        verb = _governing_clause(token)
        owner = next(iter(_children(verb, SUBJECT_DEPS)), None) if verb is not None else None
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
    speaker = next(iter(_children(clause.head, SUBJECT_DEPS)), None)
    return speaker if speaker is not None and speaker.pos_ != "PRON" else None


def _is_group(token: Token, actors: _Actors) -> bool:
    if token.dep_ not in SUBJECT_DEPS | OBJECT_DEPS | {"pobj", "poss"}:
        return False
    actor = actors.at_token(token)
    if actor is not None:
        return actor.type in ("ORG", "NORP", "GPE")
    return token.ent_type_ in ("ORG", "NORP") or (token.tag_ == "NNS" and _is_actor_like(token))


@dataclass(order=True)
class _Found:
    cost: float
    position: int
    token: Token = field(compare=False)


class _TargetSearch:
    """Cheapest-path search for the target among the words a trigger governs."""

    def __init__(self, candidate: _Candidate, excluded: set[int]):
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
            verb = _governing_clause(token)
            if not self.found and verb is not None:
                # a support verb's clause is the noun's own ("began a hunger strike to
                # protest against ..."); any other verb's is about something else
                carried = token.dep_ in OBJECT_DEPS and token.head.i == verb.i and _is_cue(verb, "support")
                self.excluded.update(t.i for t in token.subtree)
                self.clause(verb, 1.5, addressee=False, governed=carried)
        else:
            if token.dep_ == "acl" and token.tag_ == "VBN":
                self.inside(token.head, 0)
            self.clause(token, 0, addressee=self.trigger.addressee)
        return min(self.found).token if self.found else None

    def obliged(self, verb: Token) -> Token | None:
        """Who must act; "it" in "reminded Iraq that it must" is the one reminded."""
        subject = next(iter(_children(verb, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)))
        if subject.pos_ == "PRON":
            teller = verb.head
            tellers = [teller, *([teller.head] if teller.pos_ == "NOUN" else [])]
            for word in tellers:
                for child in word.children:
                    if child.dep_ in ("dative", "dobj") and child.pos_ != "ADP" and child.i != verb.head.i:
                        self.offer(child, 1)
                    elif child.dep_ == "prep" and child.lower_ == "to":
                        for pobj in _children(child, {"pobj"}):
                            self.offer(pobj, 1)
            if self.found:
                return min(self.found).token
        return subject

    def offer(self, token: Token, cost: float, theme: bool = False) -> None:
        token = _through_quantity(token)
        if token.i in self.excluded or cost > MAX_SEARCH_COST:
            return
        own = _owned_by_pronoun(token)
        if not (theme or own) and token.i not in self.parts and _is_actor_like(token):
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
            if child.dep_ in ("poss", "compound", "amod", "nmod") and modifiers and _is_actor_like(child):
                self.offer(child, cost - 0.5)
            elif child.dep_ == "appos":
                self.offer(child, cost)
            elif child.dep_ == "prep" and child.lower_ in INSIDE_OBJECT_PREPOSITIONS + self.preferred:
                for pobj in _children(child, {"pobj", "pcomp"}):
                    self.offer(pobj, cost + (0 if child.lower_ in self.preferred else 0.5))
            elif child.dep_ == "prep" and child.lower_ in LOCATION_PREPOSITIONS:
                self.places(child, cost + 2)
            elif child.dep_ == "acl":
                self.clause(child, cost + 1, addressee=True)

    def places(self, prep: Token, cost: float) -> None:
        if not self.places_are_targets:
            return
        for pobj in _children(prep, {"pobj"}):
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
                for pobj in _children(child, {"pobj"}):
                    self.offer(pobj, cost + 1)
            elif dep in PREPOSITION_DEPS:
                pobjs = _children(child, {"pobj", "pcomp"})
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
            elif governed and child.i > verb.i and (dep in CLAUSE_DEPS or (dep == "advcl" and _is_purpose(child))):
                marked_for = any(m.dep_ == "mark" and m.lower_ == "for" for m in child.children)
                addresses = (addressee and (dep != "advcl" or marked_for)) or _addresses(verb)
                self.clause(child, cost + 1, addressee=addresses)


def _addresses(verb: Token) -> bool:
    """Whether a verb inside a complement addresses its own complement's subject ("refused
    to [allow] UN planes to land")."""
    lexicon = _lexicon()
    return any(t.addressee for lemma in _lemmas(verb) for t in lexicon.get((lemma, "VERB"), ()))


def _search_targets(candidate: _Candidate, excluded: set[int]) -> Token | None:
    return _TargetSearch(candidate, excluded).best()


def _sources(candidate: _Candidate) -> list[Token]:
    token = candidate.token
    if candidate.trigger is OBLIGATION_TRIGGER:
        speaker_clause = token.head
        if speaker_clause.pos_ in ("VERB", "AUX"):
            return _subjects(speaker_clause)
        return _noun_subjects(speaker_clause)
    if token.pos_ == "NOUN":
        subjects = _noun_subjects(token)
        if not subjects and candidate.type in GATHERING_TYPES:  # "a meeting of G7 leaders"
            of = _preposition(token, "of")
            subjects = [p for p in _children(of, {"pobj"}) if _is_actor_like(p)][:1] if of is not None else []
        return subjects
    if token.pos_ == "ADJ":
        return _subjects(token.head) if token.dep_ == "acomp" else []
    return _subjects(token, stative=candidate.trigger.stative)


# ---- modality, negation, time and place --------------------------------------------------


def _is_hypothetical(token: Token) -> bool:
    """Inside a conditional or an embedded question: "asked if he planned to resign",
    "unless you're ringing the prime minister"."""
    current = token
    while current.head.i != current.i:
        if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKERS for c in current.children):
            return True
        current = current.head
    return False


def _is_negated(token: Token) -> bool:
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and _is_cue(child, "negation")):
            return True
        if child.dep_ == "advmod" and child.lower_ == "longer" and any(_is_cue(g, "negation") for g in child.children):
            return True
    return False


def _governors(token: Token) -> Iterator[Token]:
    """Words that govern the trigger's mood: for a noun, the support verb carrying it
    ("plans to [use] a meeting"); for a verb, the verbs and adjectives whose complement it
    is ("hopes to [convene]", "is willing to [send]")."""
    current = token
    if token.pos_ == "NOUN":
        carrier = token.head if token.dep_ == "compound" else token
        if not (carrier.dep_ in OBJECT_DEPS and _is_cue(carrier.head, "support")):
            return
        current = carrier.head
        yield current
    for _ in range(4):
        if current.dep_ not in ("xcomp", "acomp") or current.head.i == current.i:
            return
        current = current.head
        yield current


def _is_intended(token: Token) -> bool:
    for word in (token, *_governors(token)):
        if any(child.dep_ in ("aux", "amod") and _is_cue(child, "intend") for child in word.children):
            return True
        if word.i != token.i and word.pos_ in ("VERB", "ADJ") and _is_cue(word, "intend"):
            return True
    return False


def _clause_owner(token: Token, triggers: set[int]) -> Token:
    """The verb or trigger noun a date or place phrase belongs to."""
    current = token.head
    while current.i != current.head.i and current.pos_ not in ("VERB", "AUX") and current.i not in triggers:
        current = current.head
    return current


def _anchors(token: Token) -> set[int]:
    anchors = {token.i, *(g.i for g in _governors(token))}
    verb = _governing_clause(token) if token.pos_ == "NOUN" else None
    if verb is not None:
        anchors.add(verb.i)
    return anchors


def _date_entities(sentence: SpacySpan) -> list[SpacySpan]:
    ents = _doc_index(sentence.doc).ents_between(sentence.start, sentence.end)
    return [e for e in ents if e.label_ in DATE_ENTITY_LABELS and parse_date(e.text) is not None]


def _own_date(candidate: _Candidate, dates: list[SpacySpan], triggers: set[int]) -> SpacySpan | None:
    anchors = _anchors(candidate.token)
    return next((d for d in dates if _clause_owner(d.root, triggers).i in anchors), None)


def _sentence_date(sentence: SpacySpan, dates: list[SpacySpan], triggers: set[int]) -> SpacySpan | None:
    """The date of the sentence's main clauses (not of an event noun or a clause deep
    inside it): what events without a date of their own happened on."""
    for date in dates:
        owner = _clause_owner(date.root, triggers)
        if owner.i not in triggers and owner.pos_ in ("VERB", "AUX") and _depth(owner) <= MAIN_CLAUSE_DEPTH:
            return date
    return None


def _location(candidate: _Candidate, target: Token | None, triggers: set[int]) -> str | None:
    anchors = _anchors(candidate.token)
    for ent in _doc_index(candidate.token.doc).sentence_ents(candidate.token):
        if ent.label_ not in PLACE_ENTITY_LABELS or (target is not None and ent.start <= target.i < ent.end):
            continue
        prep = ent.root.head
        attached = prep.head.i in anchors or _clause_owner(prep, triggers).i in anchors
        if ent.root.dep_ == "pobj" and prep.lower_ in LOCATION_PREPOSITIONS and attached:
            return ent.text
    if (
        target is not None
        and candidate.type in PHYSICAL_TYPES
        and target.ent_type_ in PLACE_ENTITY_LABELS
        and knowledge.country_of_place(target.text)
        and not knowledge.is_country(target.text)
    ):
        return target.text
    return None


# ---- quoted imperatives -----------------------------------------------------------------


def _quotation_after(verb: Token) -> tuple[int, int] | None:
    """Token range of the quotation a speech verb introduces, across paragraphs that open
    with a quote mark and leave the previous one unclosed."""
    doc = verb.doc
    start = next((t.i for t in doc[verb.i + 1 : verb.sent.end] if t.is_quote), None)
    if start is None:
        return None
    i = start + 1
    while i < len(doc):
        token = doc[i]
        if token.is_quote:
            return start, i
        if "\n\n" in token.text_with_ws or (token.is_space and "\n" in token.text):
            following = next((t for t in doc[i + 1 :] if not t.is_space), None)
            if following is None or not following.is_quote:
                return start, i
            i = following.i
        i += 1
    return start, len(doc)


def _is_imperative(sentence: SpacySpan) -> bool:
    root = sentence.root
    return (
        root.tag_ == "VB"
        and root.i == next((t.i for t in sentence if not (t.is_punct or t.is_space or t.is_quote)), -1)
        and not any(c.dep_ in SUBJECT_DEPS | {"aux"} for c in root.children)
    )


def _imperative_quote(verb: Token) -> bool:
    if verb.pos_ != "VERB" or not _is_cue(verb, "speech"):
        return False
    span = _quotation_after(verb)
    if span is None:
        return False
    doc = verb.doc
    sentences = _doc_index(doc).sentences_between(max(span[0], verb.i + 1), span[1] + 1)
    return any(_is_imperative(s) for s in sentences if s.end <= span[1] + 1)


# ---- assembling events ----------------------------------------------------------------


def find_events(doc: Doc, actors: Sequence[Actor], published: datetime | None) -> list[Event]:
    """PLOVER events of a parsed article, in text order. `actors` are the article's
    canonical actors (`actors.build_actors`); phrases no actor covers are coded from the
    knowledge files."""
    index = _Actors(actors)
    events: list[Event] = []
    for sentence in _doc_index(doc).sents:
        candidates = _candidates(sentence)
        _absorb(candidates)
        dates = _date_entities(sentence)
        # a date is never taken from another sentence: an event without one of its own is
        # undated, and the timeline shows it as reported on its article's date
        own = _sentence_date(sentence, dates, {c.token.i for c in candidates})
        events.extend(_sentence_events(sentence, candidates, index, dates, own.text if own else None, published))
    return events


def _sentence_events(
    sentence: SpacySpan,
    candidates: list[_Candidate],
    index: _Actors,
    dates: list[SpacySpan],
    sentence_date: str | None,
    published: datetime | None,
) -> list[Event]:
    imperative = [
        _Candidate(t, IMPERATIVE_TRIGGER)
        for t in sentence
        if _imperative_quote(t) and not any(c.token.i == t.i for c in candidates)
    ]
    triggers = {c.token.i for c in candidates}
    events = []
    for candidate in (*candidates, *imperative):
        if candidate.absorbed or _is_hypothetical(candidate.token):
            continue
        events.extend(_events_of(candidate, index, dates, triggers, sentence_date, published))
    return sorted(events, key=lambda e: e.trigger.start)


def _events_of(
    candidate: _Candidate,
    index: _Actors,
    dates: list[SpacySpan],
    triggers: set[int],
    sentence_date: str | None,
    published: datetime | None,
) -> list[Event]:
    token = candidate.token
    source_tokens = [t for s in _sources(candidate) for t in _conjuncts(s)]
    source_tokens = [r for r in (_resolve_pronoun(t, index) for t in source_tokens) if r is not None]
    excluded = {t.i for s in source_tokens for t in _noun_phrase(s)} | {token.i}
    target_token = _search_targets(candidate, excluded) if candidate.trigger.quote is None else None
    target_tokens = [_resolve_pronoun(t, index) for t in _conjuncts(target_token)] if target_token is not None else []
    sources = _dedupe([_event_actor(t, index) for t in source_tokens])
    targets = _dedupe([_event_actor(t, index) for t in target_tokens if t is not None])
    if not sources and candidate.type in STATE_ACTS and token.pos_ == "VERB" and _is_passive(token):
        place = _place_of(token)
        if place is not None and place.root.i != (target_token.i if target_token is not None else -1):
            sources = [_place_actor(place)]
    if candidate.trigger is IMPERATIVE_TRIGGER and not targets:
        speaker = sources[0].entity if sources else None
        addressee = index.most_salient_person(other_than=speaker)
        if addressee is not None:
            targets = [EventActor(addressee.id, addressee.name, addressee.country, addressee.sector)]
    targets = [t for t in targets if all(t != s for s in sources)]
    if not sources and not targets:
        return []

    event_type, negated = candidate.type, _is_negated(token) or any(_is_negated(g) for g in _governors(token) if g.pos_ != "NOUN")
    mode = INTEND if _is_intended(token) else candidate.trigger.mode
    if event_type == "COERCE" and mode == "deport" and targets and all(t.sector in (knowledge.IGO, knowledge.NGO) for t in targets):
        event_type, mode = "SANCTION", "expel"  # expelling a mission or an aid agency reduces relations
    if negated and candidate.trigger.negated:
        event_type, negated = candidate.trigger.negated, False
    own_date = _own_date(candidate, dates, triggers)
    date_text = own_date.text if own_date is not None else sentence_date
    date = parse_date(date_text).resolve(published) if date_text else None
    parts = [token, *candidate.parts]
    first, last = min(parts, key=lambda t: t.i), max(parts, key=lambda t: t.i)
    start, end = first.idx, last.idx + len(last)
    trigger = Span(start, end, token.doc[first.i : last.i + 1].text)
    sentence = Offsets(token.sent.start_char, token.sent.end_char)
    location = _location(candidate, target_token, triggers)
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
        )

    if not targets and len(sources) > 1 and candidate.trigger.mutual:
        return [event(s, t) for s in sources for t in sources if s is not t]
    return [event(s, t) for s in (sources or [None]) for t in (targets or [None])]


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
        return min(_depth(token) for token in span) if span is not None else len(doc)

    ranked = sorted(events, key=lambda e: (e.source is None, e.negated, depth(e), e.trigger.start))
    return ranked[0] if ranked else None


def _depth(token: Token) -> int:
    steps = 0
    while token.head.i != token.i:
        token, steps = token.head, steps + 1
    return steps


def code_sentence(text: str, published: datetime | None = None) -> Event | None:
    """The main PLOVER event of one sentence (a coder's unit), through the full pipeline."""
    doc = load_nlp()(text)
    return primary_event(find_events(doc, build_actors(doc), published), doc)
