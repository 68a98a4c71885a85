"""The trigger lexicon: PLOVER types, the trigger entries of `data/plover_triggers.jsonl`, cue
word lists (`data/event_cues.tsv`) and how a word's lemma is looked up in them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from spacy.tokens import Token

from ...lexicons import jsonl, table
from ...records import HAPPENING_TYPES, Event
from .. import knowledge


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
# event types that happen somewhere: an unnamed place target is also where they happened
PHYSICAL_TYPES = {"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT"}
INTEND = "intend"
# acts of authorities: reported in the passive without agent, the place's state did them
STATE_ACTS = {"COERCE", "ACCUSE", "SANCTION"}
FIRST_PERSON = {"we", "us", "i", "me", "our", "my"}
WORD_CACHE_SIZE = 1 << 16  # word forms whose look-ups are remembered


HAND_LEXICON = "plover_triggers.jsonl"
HAPPENING_LEXICON = "happening_triggers.jsonl"
CAMEO_LEXICON = "cameo_triggers.jsonl"
NO_EVENT = "-"  # a lexicon entry whose words make no event ("deal with it")
# what a hand entry says about how its word behaves in a clause, lent to CAMEO's entries
BEHAVIOUR_FIELDS = ("frame", "theme", "targets", "mutual", "stative", "addressee", "negated")


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


def _load(name: str) -> list[Trigger]:
    triggers = []
    for line_number, entry in enumerate(jsonl(name), 1):
        trigger = Trigger.from_json(entry)
        if trigger.type not in PLOVER_TYPES and trigger.type not in HAPPENING_TYPES and trigger.type != NO_EVENT:
            raise ValueError(f"{name}: entry {line_number} ({trigger.lemma}): unknown PLOVER type {trigger.type}")
        triggers.append(trigger)
    return triggers


def _behaviour(triggers: list[Trigger]) -> dict[tuple[str, str], dict]:
    """How each hand-listed word behaves in a clause, from its plain entry (no object, particle
    or preposition asked for): what CAMEO does not say."""
    found = {}
    for trigger in triggers:
        if trigger.objects is None and trigger.particle is None and trigger.prep is None:
            found.setdefault((trigger.lemma, trigger.pos), {key: getattr(trigger, key) for key in BEHAVIOUR_FIELDS})
    return found


# hand entries left out, for evaluation only: the lexicon as if its author had never seen them
_withheld: frozenset[str] = frozenset()
_cameo_used = True


@contextmanager
def hand_entries_withheld(lemmas: Iterable[str]) -> Iterator[None]:
    """Code as if the hand lexicon had no entries for `lemmas` (the words of held-out gold
    records its author read): what a cross-validated figure of a hand-written lexicon needs."""
    global _withheld
    previous, _withheld = _withheld, frozenset(lemmas)
    _clear_caches()
    try:
        yield
    finally:
        _withheld = previous
        _clear_caches()


def _clear_caches() -> None:
    trigger_lexicon.cache_clear()
    _noun_entries.cache_clear()
    _entries_of_form.cache_clear()


@contextmanager
def cameo_entries_withheld() -> Iterator[None]:
    """Code with the hand lexicon alone, as storyline did before the CAMEO entries (the old
    baseline of `storyline eval events --folds`)."""
    global _cameo_used
    previous, _cameo_used = _cameo_used, False
    _clear_caches()
    try:
        yield
    finally:
        _cameo_used = previous
        _clear_caches()


@cache
def trigger_lexicon() -> dict[tuple[str, str], tuple[Trigger, ...]]:
    """(lemma, part of speech) -> its entries, the most specific first. A word the hand list
    (`data/plover_triggers.jsonl`) has keeps its hand entries; every other word takes the
    CAMEO-derived ones (`data/cameo_triggers.jsonl`, built by `scripts/build_event_lexicon.py`),
    with how the word behaves in its clause (frame, mutual, theme...) from the hand list where
    it says."""
    hand = [t for t in _load(HAND_LEXICON) if t.lemma not in _withheld]
    behaviour = _behaviour(hand)
    entries: dict[tuple[str, str], list[Trigger]] = {}
    for trigger in hand:
        entries.setdefault((trigger.lemma, trigger.pos), []).append(trigger)
    interactions = set(entries)
    for trigger in _load(HAPPENING_LEXICON):
        if (trigger.lemma, trigger.pos) not in interactions:
            entries.setdefault((trigger.lemma, trigger.pos), []).append(trigger)
    listed = set(entries)
    for trigger in _load(CAMEO_LEXICON) if _cameo_used else ():
        key = (trigger.lemma, trigger.pos)
        if key in listed:
            continue
        entries.setdefault(key, []).append(replace(trigger, **behaviour.get(key, {})))
    return {key: tuple(sorted(group, key=lambda t: -t.specificity)) for key, group in entries.items()}


# noun endings that turn an event verb into its noun: "meeting", "agreement", "negotiation"
NOMINAL_SUFFIXES = (("ing", ""), ("ment", ""), ("al", ""), ("al", "e"), ("ation", "e"), ("ation", ""), ("ion", "e"), ("ion", ""))


def entries_for(token: Token, pos: str) -> tuple[Trigger, ...]:
    """The lexicon entries of a word; a noun without entries of its own takes the plain
    entries of its verb ("the talks", "a meeting", "the withdrawal")."""
    return _entries_of_form(token.lemma_, token.lower_, pos)


@lru_cache(maxsize=WORD_CACHE_SIZE)  # every noun, verb and adjective of every article asks
def _entries_of_form(lemma: str, word: str, pos: str) -> tuple[Trigger, ...]:
    lexicon = trigger_lexicon()
    variants = _variants(lemma, word)
    found = next((lexicon[(lemma, pos)] for lemma in variants if (lemma, pos) in lexicon), ())
    if found or pos != "NOUN" or knowledge.sector_of(word) is not None:
        return found  # "government" names who acts, not the act of governing
    for lemma in variants:
        for verb in _verbs_of_noun(lemma):
            plain = _noun_entries(verb)
            if plain:
                return plain
    return ()


def _verbs_of_noun(noun: str) -> list[str]:
    verbs = [noun]
    for suffix, ending in NOMINAL_SUFFIXES:
        if noun.endswith(suffix) and len(noun) > len(suffix) + 2:
            verbs.append(noun[: -len(suffix)] + ending)
    return verbs


@cache
def _noun_entries(verb: str) -> tuple[Trigger, ...]:
    plain = [
        replace(t, pos="NOUN", frame=False, theme=False)
        for t in trigger_lexicon().get((verb, "VERB"), ())
        if t.objects is None and t.object_kind is None and t.particle is None and t.prep is None and not t.complement and t.quote is None
    ]
    return tuple(plain)


@cache
def _cues() -> dict[str, frozenset[str]]:
    cues: dict[str, set[str]] = {}
    for word, cue in table("event_cues.tsv"):
        cues.setdefault(cue, set()).add(word)
    return {cue: frozenset(words) for cue, words in cues.items()}


def lemma_variants(token: Token) -> tuple[str, ...]:
    """The token's lemma, its lower-cased form and plain de-inflections of it: the small
    model's lemmatiser misses some forms ("staged" -> "stag")."""
    return _variants(token.lemma_, token.lower_)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _variants(lemma: str, word: str) -> tuple[str, ...]:
    variants = [lemma.lower(), word]
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("d", ""), ("es", ""), ("s", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            variants.append(word[: -len(suffix)] + replacement)
    return tuple(dict.fromkeys(variants))


def is_cue(token: Token, cue: str) -> bool:
    words = _cues()[cue]
    return any(lemma in words for lemma in _variants(token.lemma_, token.lower_))


def is_first_person(token: Token) -> bool:
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
