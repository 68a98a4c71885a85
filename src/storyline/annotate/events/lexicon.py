"""The trigger lexicon: PLOVER types, the trigger entries of `data/plover_triggers.jsonl`, cue
word lists (`data/event_cues.tsv`) and how a word's lemma is looked up in them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Token

from ...lexicons import jsonl, table
from ...records import Event


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
def trigger_lexicon() -> dict[tuple[str, str], tuple[Trigger, ...]]:
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


def lemma_variants(token: Token) -> tuple[str, ...]:
    """The token's lemma, its lower-cased form and plain de-inflections of it: the small
    model's lemmatiser misses some forms ("staged" -> "stag")."""
    word = token.lower_
    variants = [token.lemma_.lower(), word]
    for suffix, replacement in (("ied", "y"), ("ies", "y"), ("ed", ""), ("d", ""), ("es", ""), ("s", ""), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            variants.append(word[: -len(suffix)] + replacement)
    return tuple(dict.fromkeys(variants))


def is_cue(token: Token, cue: str) -> bool:
    words = _cues()[cue]
    return any(lemma in words for lemma in lemma_variants(token))


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
