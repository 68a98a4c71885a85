"""Finding triggers: lexicon entries matched over the parse with their constraints (particle,
preposition, object, complement), reported obligations ("X must ..."), frames whose complement
is what is demanded or refused (its triggers are no events of their own), and quoted
imperatives."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span as SpacySpan, Token

from .lexicon import (
    HOSTILE_ACTIONS,
    NO_EVENT,
    OBLIGATION_TRIGGER,
    Trigger,
    entries_for,
    is_cue,
    is_first_person,
    lemma_variants,
)
from .syntax import (
    CLAUSE_DEPS,
    IMPERSONAL_PRONOUNS,
    OBJECT_DEPS,
    PARTICLE_DEPS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    child_preposition,
    children_with,
    doc_index,
    is_actor_like,
    is_passive,
    is_purpose,
    path_to,
    path_top,
    through_quantity,
)


# dependency steps that stay inside a frame's complement ("refused to [deploy peacekeepers]")
COMPLEMENT_PATH_DEPS = {
    "xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "advcl", "nsubj", "nsubjpass",
    "compound", "amod", "nmod", "poss", "attr", "oprd", "dative", "conj", "cc", "aux", "mark", "relcl",
}  # fmt: skip


@dataclass
class Candidate:
    token: Token
    trigger: Trigger
    parts: list[Token] = field(default_factory=list)  # particle, preposition, object words
    type: str = ""
    absorbed: bool = False

    def __post_init__(self) -> None:
        self.type = self.type or self.trigger.type


def _object_of(token: Token, trigger: Trigger) -> Token | None:
    """The word the trigger acts on: its direct object, its passive subject, the noun a
    participle modifies ("a meeting chaired by ..."), or the object of its preposition."""
    if trigger.prep and trigger.objects is not None:  # "put on alert", "walk out of talks"
        prep = child_preposition(token, trigger.prep)
        pobj = next(iter(children_with(prep, {"pobj"})), None) if prep is not None else None
        if pobj is not None:
            return through_quantity(pobj)
    found = children_with(token, OBJECT_DEPS)
    if found:
        return through_quantity(found[0])
    if token.pos_ == "VERB" and is_passive(token) and not trigger.stative:
        passive_subject = next(iter(children_with(token, PASSIVE_SUBJECT_DEPS)), None)
        if passive_subject is not None:
            return through_quantity(passive_subject)
    if token.dep_ == "acl" and token.tag_ == "VBN":
        return token.head
    if trigger.prep:
        prep = child_preposition(token, trigger.prep)
        pobj = next(iter(children_with(prep, {"pobj"})), None) if prep is not None else None
        if pobj is not None:
            return through_quantity(pobj)
    return None


def _object_words(obj: Token) -> set[str]:
    """The object's lemmas and those of its compound modifiers ("mediation efforts",
    "hunger strike", "ceasefire agreement")."""
    words = set(lemma_variants(obj))
    for child in obj.children:
        if child.dep_ == "compound":
            words.update(lemma_variants(child))
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


def match_trigger(token: Token) -> Candidate | None:
    pos = "NOUN" if token.pos_ == "NOUN" else "ADJ" if token.pos_ == "ADJ" else "VERB" if token.pos_ == "VERB" else None
    if pos is None or token.dep_ == "prep":
        return None  # a verb form working as a preposition ("according to", "following") acts no more
    entries = entries_for(token, pos)
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
            prep = child_preposition(token, trigger.prep)
            if prep is None:
                continue
            parts.append(prep)
        obj = _object_of(token, trigger)
        if trigger.objects is not None:
            if obj is None or not _object_words(obj) & trigger.objects:
                continue
            parts.append(obj)
        if trigger.object_kind == "actor" and (obj is None or not is_actor_like(obj) or obj.lower_ in IMPERSONAL_PRONOUNS):
            continue
        if trigger.object_kind == "any" and obj is None:
            continue
        if trigger.object_kind == "none" and obj is not None:
            continue
        if trigger.complement and not children_with(token, CLAUSE_DEPS | {"acl"}):
            continue
        if trigger.quote is not None and _quoted_answer(token) not in trigger.quote:
            continue
        if trigger.compounds is not None and not any(
            c.dep_ in ("compound", "amod", "nmod") and c.lower_ in trigger.compounds for c in token.children
        ):
            continue
        return Candidate(token, trigger, parts) if trigger.type != NO_EVENT else None
    return None


def _obligation(token: Token) -> Candidate | None:
    """ "X must / should do Y" reported from a speaker: the speaker demands it of X."""
    if token.pos_ not in ("VERB", "AUX"):
        return None
    reported = token.dep_ == "ccomp" or (
        token.dep_ == "acl" and any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children)
    )
    modal = next((c for c in token.children if c.dep_ == "aux" and is_cue(c, "obligation")), None)
    subject = next(iter(children_with(token, SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS)), None)
    if not reported or modal is None or subject is None or is_first_person(subject) or subject.lower_ == "there":
        return None
    return Candidate(token, OBLIGATION_TRIGGER, [modal])


def find_candidates(sentence: SpacySpan) -> list[Candidate]:
    found: list[Candidate] = []
    consumed: set[int] = set()
    for token in sentence:
        candidate = _obligation(token) or match_trigger(token)
        if candidate is not None:
            found.append(candidate)
            consumed.update(part.i for part in candidate.parts if part.i != token.i)
    return [c for c in found if c.token.i not in consumed]


# what a warning must warn of to be a threat: an act against someone
THREAT_CONTENT_TYPES = HOSTILE_ACTIONS | {"REJECT", "THREATEN"}
# steps from a warning down to what it warns of (not its circumstances: "as the storm approached")
WARNED_OF_DEPS = {"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "conj", "cc", "compound", "amod", "aux"}


def is_mere_warning(candidate: Candidate, candidates: list[Candidate]) -> bool:
    """A warning of a danger or advice ("warned of flooding", "warned residents to stay
    indoors"), not a threat: PLOVER's THREATEN is a threat of coercive or violent action, so a
    warning is one only when it warns of an act: a hostile trigger inside it ("warned it would
    impose sanctions"), or a clause saying what someone will do ("warned that police will no
    longer tolerate rallies"). A warning whose words are listed with their object ("warned of
    consequences") is one as listed."""
    token = candidate.token
    if candidate.type != "THREATEN" or candidate.trigger.objects is not None or not is_cue(token, "warning"):
        return False
    for other in candidates:
        path = path_to(other.token, token) if other is not candidate else None
        if path and set(path) <= WARNED_OF_DEPS and other.type in THREAT_CONTENT_TYPES:
            return False
    for clause in children_with(token, {"ccomp"}):
        subject = next(iter(children_with(clause, SUBJECT_DEPS)), None)
        if subject is not None and is_actor_like(subject) and subject.lower_ not in IMPERSONAL_PRONOUNS:
            return False
    return True


def _frame_roots(frame: Candidate) -> list[tuple[Token, bool]]:
    """Where a frame's complement hangs: under its trigger, and for an event noun also the
    purpose clauses of the verb that carries it ("began a hunger strike [to demand ...]");
    the flag says whether only purpose clauses count."""
    roots = [(frame.token, False)]
    if frame.token.pos_ == "NOUN" and frame.token.dep_ in OBJECT_DEPS and is_cue(frame.token.head, "support"):
        roots.append((frame.token.head, True))
    return roots


def absorb_frames(candidates: list[Candidate]) -> None:
    """Mark triggers inside a frame's complement: they are its content, not events."""
    for frame in candidates:
        if not frame.trigger.frame:
            continue
        for root, purpose_only in _frame_roots(frame):
            subjects = {t.i for s in children_with(root, SUBJECT_DEPS) for t in s.subtree}
            for inner in candidates:
                if inner is frame or inner.token.i in subjects:
                    continue
                path = path_to(inner.token, root)
                if not path or not set(path) <= COMPLEMENT_PATH_DEPS:
                    continue
                top = path_top(inner.token, root)
                if path[-1] == "conj" or (path[-1] == "advcl" and not is_purpose(top)):
                    continue  # coordinated or circumstantial: an event of its own
                if purpose_only and not (path[-1] in ("advcl", "xcomp") and is_purpose(top)):
                    continue
                inner.absorbed = True
                if frame.type == "AGREE" and inner.type in HOSTILE_ACTIONS and path == ["xcomp"]:
                    frame.type = "THREATEN"  # a promise to strike is a threat


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


# words an imperative may open with before its verb: "Do not interfere", "Please leave"
IMPERATIVE_OPENERS = {"do", "not", "n't", "never", "please", "just"}


def _is_imperative(tokens: SpacySpan) -> bool:
    """Whether a sentence, or the words of a quotation, bid: a bare verb first, no subject."""
    words = [t for t in tokens if not (t.is_punct or t.is_space or t.is_quote)]
    root = next((t for t in words if not tokens.start <= t.head.i < tokens.end or t.head.i == t.i), None)
    if root is None:
        return False
    first = next((t for t in words if t.lower_ not in IMPERATIVE_OPENERS or t.i == root.i), None)
    return (
        root.tag_ == "VB"
        and first is not None
        and root.i == first.i
        and not any(c.dep_ in SUBJECT_DEPS for c in root.children)
        and all(c.lower_ in IMPERATIVE_OPENERS for c in root.children if c.dep_ == "aux")
    )


def imperative_quote(verb: Token) -> tuple[int, int] | None:
    """The token range of the imperative quotation a speech verb introduces ("told reporters:
    'Do not interfere'"), or None. What it bids is the content of its speaker's request, not an
    event of its own, and a negation inside it is part of what is asked."""
    if verb.pos_ != "VERB" or not is_cue(verb, "speech"):
        return None
    span = _quotation_after(verb)
    if span is None:
        return None
    doc = verb.doc
    sentences = doc_index(doc).sentences_between(max(span[0], verb.i + 1), span[1] + 1)
    inside = [s for s in sentences if s.end <= span[1] + 1] or [doc[span[0] + 1 : span[1]]]  # or the quote in its sentence
    return span if any(_is_imperative(s) for s in inside) else None
