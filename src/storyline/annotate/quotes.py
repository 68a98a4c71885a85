"""Quotes and their speakers: who said what, resolved to the article's canonical actors.

Three kinds of quote are found:

- direct: words between quote marks that form the whole utterance, whether the marks
  open a sentence (`"We must test it," he added`), follow a colon (`replied: "No."`)
  or follow a cue and a comma (`he added, "and make sure ..."`); a quote that runs
  over several paragraphs (each opening with a mark, only the last closing) is one;
- mixed: a quoted fragment inside reported speech (`said they had "full confidence"`);
- indirect: reported speech without marks (`Mr Wang said the community should ...`,
  `according to X, ...`).

The quote marks come from the article's layout (`layout.py`, plain text, computed once per
article): quote marks told from apostrophes, paired paragraph by paragraph. Cues and speakers
come from the spaCy parse. A quote interrupted by its attribution, or continued by its speaker
in the same or the next paragraph, is one quote of several `parts`.

A speaker is the mention the cue attaches to (the subject of the speech verb, the
possessor of a speech noun, the object of "according to"), resolved to an actor;
a spokesperson speaks for the body named beside them; a pronoun goes to the latest
salient person (a quote's speaker or a subject outside quotes); a quote with no cue of
its own keeps the speaker of the quote before it in the same or previous paragraph.
A speaker that cannot be resolved is left empty, never guessed.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Doc, Token

from ..lexicons import data_text, table, word_set
from ..records import Actor, Quote, Span, Speaker
from .actors import ActorIndex, surname
from .layout import INNER_END_PUNCTUATION, SENTENCE_END, QuotedStretch, layout
from .reported import AttributionModel, Reported, attribution_model, select
from .reported import candidates as reported_candidates

DIRECT, MIXED, INDIRECT = "direct", "mixed", "indirect"
NO_SPEAKER = Speaker(entity=None, name=None, start=None, end=None)

# ---- sentence windows (plain text) --------------------------------------------------


@cache
def _abbreviations() -> frozenset[str]:
    return word_set("quote_abbreviations.txt")


def _is_sentence_end(text: str, index: int) -> bool:
    """Whether the character at `index` ends a sentence (followed by a space, not an abbreviation)."""
    if text[index] not in SENTENCE_END:
        return False
    after = text[index + 1] if index + 1 < len(text) else ""
    if after and not after.isspace():
        return False
    if text[index] == ".":
        # the run of word characters and dots the full stop closes ("U.S", "Mr"), read backwards
        start = index
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._"):
            start -= 1
        word = text[start:index]
        if word and (word.lower() in _abbreviations() or re.fullmatch(r"[A-Z]", word)):
            return False
    return True


def clause_start(text: str, position: int, floor: int) -> int:
    """Start of the sentence stretch that ends at `position`, not before `floor`."""
    for index in range(position - 1, floor - 1, -1):
        if _is_sentence_end(text, index):
            return index + 1
    return floor


def clause_end(text: str, position: int, ceiling: int) -> int:
    """End of the sentence stretch that starts at `position`, not after `ceiling`."""
    for index in range(position, ceiling):
        if _is_sentence_end(text, index):
            return index
    return ceiling


# ---- lexicon ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Verb:
    lemma: str
    particle: str | None
    thought: bool  # a verb of belief or hope, not of speech


def _inflections(lemma: str) -> set[str]:
    forms = {lemma}
    if lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif re.search(r"[^aeiou]y$", lemma):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    else:
        plural = lemma + ("es" if re.search(r"(s|sh|ch|x|z)$", lemma) else "s")
        forms |= {plural, lemma + "ed", lemma + "ing"}
        if re.search(r"[^aeiou][aeiou][^aeiouwxy]$", lemma):  # admit -> admitted, slam -> slamming
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _verb_table(name: str, thought: bool) -> dict[str, _Verb]:
    verbs: dict[str, _Verb] = {}
    for line in data_text(name).splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        lemma, rest = words[0].lower(), [w.lower() for w in words[1:]]
        particle = rest.pop(0) if rest and rest[0] in {"out", "back", "up"} else None
        for form in _inflections(lemma) | set(rest):
            verbs[form] = _Verb(lemma, particle, thought)
    return verbs


@dataclass(frozen=True)
class QuoteLexicon:
    verbs: dict[str, _Verb]  # every inflected form of a cue verb
    speech_nouns: frozenset[str]
    spokesperson_nouns: frozenset[str]
    gender_by_honorific: dict[str, str]
    gender_by_first_name: dict[str, str]


@cache
def quote_lexicon() -> QuoteLexicon:
    return QuoteLexicon(
        verbs=_verb_table("speech_thought_verbs.txt", thought=True) | _verb_table("speech_verbs.txt", thought=False),
        speech_nouns=word_set("speech_nouns.txt"),
        spokesperson_nouns=word_set("quote_spokesperson_nouns.txt"),
        gender_by_honorific={row[0].lower().rstrip("."): row[1] for row in table("honorifics.tsv")},
        gender_by_first_name={row[0].lower(): row[1] for row in table("first_names.tsv")},
    )


# ---- the parse ----------------------------------------------------------------------

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
CLAUSE_SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl", "csubj"}
# relations through which a subjectless verb shares the subject of its head ("..., adding that")
SHARED_SUBJECT_DEPS = {"xcomp", "advcl", "conj", "pcomp"}
# relations along which reported speech nests inside reported speech ("said they had ...")
REPORTED_DEPS = {"ccomp", "conj", "xcomp", "advcl", "pcomp", "prep", "dobj", "pobj", "acomp", "attr", "oprd", "npadvmod"}
NOUN_PHRASE_LEFT_DEPS = {"det", "compound", "amod", "poss", "nmod", "nummod", "quantmod", "case", "punct"}
MEMBER_PREPOSITIONS = {"from", "of", "at", "for"}
FIRST_AND_SECOND_PERSON = {"i", "we", "you"}
RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}
PERSONAL_PRONOUNS = {"i", "we", "he", "she", "they"}
MALE_PRONOUNS = {"he", "him"}
FEMALE_PRONOUNS = {"she", "her"}
GROUP_PRONOUNS = {"they", "them", "it"}
PERSON_TYPES = {"PERSON"}
NAMED_LABELS = {"PERSON", "ORG", "GPE", "NORP"}
MAX_CLIMB = 6
MIN_INDIRECT_TOKENS = 3
PRONOUN_LOOKBACK_PARAGRAPHS = 2
INHERIT_LOOKBACK_PARAGRAPHS = 1


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str
    cue: Span | None
    subject: Token | None  # the speaker mention's head word
    cue_token: Token | None = None  # the cue verb of an indirect quote, to drop quotes that report it
    inherits: bool = False  # no cue of its own: keeps the speaker of the quote before it
    learned: bool = False  # found by the learned model only: no later quote leans on its speaker
    speaker: Speaker = NO_SPEAKER


class _QuoteFinder:
    def __init__(self, doc: Doc, actors: Sequence[Actor]):
        self.doc = doc
        self.text = doc.text
        self.lexicon = quote_lexicon()
        self.actors = list(actors)
        self.index = ActorIndex(self.actors)
        self.token_starts = [token.idx for token in doc]
        article_layout = layout(self.text)
        self.paragraphs = [(p.start, p.end) for p in article_layout.paragraphs]
        self.paragraph_starts = [start for start, _ in self.paragraphs]
        self.stretches = article_layout.quotations
        self.stretch_bounds = [(s.open_at, s.end) for s in self.stretches]
        self.stretch_opens = [s.open_at for s in self.stretches]
        self.genders = {actor.id: actor.gender for actor in self.actors}
        self.people_by_surname: dict[str, list[Actor]] = {}
        for actor in self.actors:
            if actor.type in PERSON_TYPES and len(actor.name.split()) > 1:
                self.people_by_surname.setdefault(surname(actor.name), []).append(actor)
        self.salient = self._subject_mentions()
        self.named_entity_at = {i: e for e in doc.ents if e.label_ in NAMED_LABELS for i in range(e.start, e.end)}

    # -- helpers over offsets and tokens --

    def paragraph_of(self, offset: int) -> int:
        return max(bisect_right(self.paragraph_starts, offset) - 1, 0)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        return list(self.doc[bisect_left(self.token_starts, start) : bisect_left(self.token_starts, end)])

    def inside_quote(self, offset: int) -> bool:
        k = bisect_right(self.stretch_opens, offset) - 1
        return k >= 0 and self.stretch_bounds[k][0] <= offset < self.stretch_bounds[k][1] + 1

    def stretches_over(self, start: int, end: int) -> list[QuotedStretch]:
        """The quoted stretches overlapping [start, end) (stretches do not overlap one another)."""
        found = []
        k = bisect_left(self.stretch_opens, end) - 1
        while k >= 0 and self.stretch_bounds[k][1] > start:
            found.append(self.stretches[k])
            k -= 1
        return found

    def overlaps_quote(self, start: int, end: int) -> bool:
        return bool(self.stretches_over(start, end))

    def holds_quotes_whole(self, start: int, end: int) -> bool | None:
        """Whether [start, end) holds every word of each quoted stretch it overlaps (None: it overlaps none)."""
        stretches = self.stretches_over(start, end)
        if not stretches:
            return None
        words = re.compile(r"\w")
        return all(
            not words.search(self.text, s.start, max(s.start, start)) and not words.search(self.text, min(end, s.end), s.end)
            for s in stretches
        )

    @staticmethod
    def span_of(token: Token) -> Span:
        return Span(token.idx, token.idx + len(token), token.text)

    # -- cues --

    def cue_verb(self, token: Token) -> _Verb | None:
        if token.pos_ != "VERB" and not token.tag_.startswith("VB"):
            return None
        verb = self.lexicon.verbs.get(token.lower_)
        if verb is None:
            return None
        if verb.particle and not any(c.dep_ == "prt" and c.lower_ == verb.particle for c in token.children):
            following = token.nbor(1) if token.i + 1 < len(self.doc) else None
            if following is None or following.lower_ != verb.particle:
                return None
        if verb.thought and self.is_passive(token):
            return None
        return verb

    def reporting_verb(self, token: Token) -> bool:
        """Any verb reporting a clause with a subject of its own: `polls show that ...`, `he thinks ...`."""
        if token.pos_ != "VERB" or self.is_passive(token):
            return False
        subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is None or not (
            subject.pos_ == "PROPN" or subject.lower_ in PERSONAL_PRONOUNS or self.index.at(subject.idx, subject.idx + len(subject))
        ):
            return False  # someone must report it: not `it comes as ...`, `his scramble came as ...`
        return any(
            c.dep_ == "ccomp"
            and c.pos_ in {"VERB", "AUX"}
            and any(g.dep_ in CLAUSE_SUBJECT_DEPS for g in c.children)
            and all(g.lower_ == "that" for g in c.children if g.dep_ == "mark")
            for c in token.children
        )

    @staticmethod
    def is_passive(verb: Token) -> bool:
        return any(c.dep_ in {"auxpass", "nsubjpass"} for c in verb.children)

    def according_to(self, tokens: Sequence[Token]) -> tuple[Span, Token] | None:
        """`according to X`: the cue span and X's head word."""
        for token in tokens:
            if token.lower_ == "according" and token.i + 1 < len(self.doc) and token.nbor(1).lower_ == "to":
                to = token.nbor(1)
                objects = [c for c in to.children if c.dep_ == "pobj"]
                if objects:
                    cue = Span(token.idx, to.idx + len(to), self.text[token.idx : to.idx + len(to)])
                    return cue, objects[0]
        return None

    def speaker_of(self, cue: Token) -> Token | None:
        """The head word of the mention a cue attaches to: its subject, shared or inherited."""
        verb = cue
        came_through_as = False
        for _ in range(MAX_CLIMB):
            # the subject nearest the verb: the parse sometimes gives a clause two
            subjects = sorted((c for c in verb.children if c.dep_ in SUBJECT_DEPS), key=lambda c: abs(c.i - verb.i))
            subject = subjects[0] if subjects else None
            if self.is_passive(verb):
                # "X was quoted as saying": X speaks; "X was told": the agent speaks, if named
                as_phrase = came_through_as or any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)
                if subject is not None and as_phrase:
                    return subject
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)
                return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if subject is not None:
                if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return verb.head
                return subject
            if verb.dep_ == "acl":
                head = verb.head
                if head.lower_ in self.lexicon.speech_nouns:
                    return next((c for c in head.children if c.dep_ == "poss"), None)
                return head if head.pos_ in {"PROPN", "PRON", "NOUN"} else None
            if verb.dep_ == "pcomp" or (verb.dep_ == "pobj" and verb.head.dep_ == "prep"):
                came_through_as = verb.head.lower_ == "as"
                verb = verb.head.head
                continue
            if verb.dep_ in SHARED_SUBJECT_DEPS and verb.head.i != verb.i:
                verb = verb.head
                continue
            return None
        return None

    def adjacent_speaker(self, cue: Token, window: Sequence[Token]) -> Token | None:
        """When the parse misses the subject of `, he added`: the noun phrase right beside the cue."""
        inside = {t.i for t in window}
        before = cue.i - 1
        if before in inside and self.doc[before].pos_ in {"PRON", "PROPN", "NOUN"}:
            return self.doc[before]
        after = cue.i + 1
        while after in inside and self.doc[after].pos_ in {"DET", "ADJ", "PROPN", "NOUN", "PRON"}:
            if after + 1 not in inside or self.doc[after + 1].pos_ not in {"PROPN", "NOUN"}:
                return self.doc[after] if self.doc[after].pos_ in {"PROPN", "NOUN", "PRON"} else None
            after += 1
        return None

    # -- direct quotes and fragments --

    def stretch_candidates(self) -> Iterator[_Candidate]:
        for number, stretch in enumerate(self.stretches):
            candidate = self.direct(number, stretch)
            if candidate is None:
                candidate = self.fragment(stretch)
            if candidate is not None:
                yield candidate

    def _window_floor(self, number: int, stretch: QuotedStretch) -> int:
        paragraph_start = self.paragraphs[self.paragraph_of(stretch.open_at)][0]
        if number > 0:
            previous = self.stretches[number - 1]
            if previous.close_end is not None and previous.close_end > paragraph_start:
                return previous.close_end
        return paragraph_start

    def _window_ceiling(self, number: int, stretch: QuotedStretch) -> int:
        paragraph_end = self.paragraphs[self.paragraph_of(stretch.end)][1]
        if number + 1 < len(self.stretches) and self.stretches[number + 1].open_at < paragraph_end:
            return self.stretches[number + 1].open_at
        return paragraph_end

    def direct(self, number: int, stretch: QuotedStretch) -> _Candidate | None:
        text = self.text
        floor = self._window_floor(number, stretch)
        before_start = clause_start(text, stretch.open_at, floor)
        before = text[before_start : stretch.open_at].strip()
        before_tokens = [t for t in self.tokens_between(before_start, stretch.open_at) if not t.is_space]
        after_tokens: list[Token] = []
        after = ""
        if stretch.close_end is not None:
            after_end = clause_end(text, stretch.close_end, self._window_ceiling(number, stretch))
            after = text[stretch.close_end : after_end].strip()
            after_tokens = [t for t in self.tokens_between(stretch.close_end, after_end) if not t.is_space]
        content = text[stretch.start : stretch.end]

        cue_before = self._last_cue(before_tokens)
        # `replied: "No."`, `he added, "and ..."`, `said "We will win."` (not `was called "Chin"`)
        introduced = (
            before.endswith(":")
            or (cue_before is not None and before.endswith(","))
            or (
                cue_before is not None
                and before_tokens[-1] is cue_before
                and content[:1].isupper()
                and not self.is_passive(cue_before)
                and self.speaker_of(cue_before) is not None
                and (after == "" or after[0] in SENTENCE_END)
            )
        )
        opens_sentence = before == ""
        if not (introduced or (opens_sentence and self._is_utterance(stretch, content, after))):
            return None

        def found(cue: Token, subject: Token | None) -> _Candidate:
            return _Candidate(stretch.start, stretch.end, DIRECT, self.span_of(cue), subject)

        if introduced and cue_before is not None:
            return found(cue_before, self.speaker_of(cue_before) or self.adjacent_speaker(cue_before, before_tokens))
        cue_after = next((t for t in after_tokens if self.cue_verb(t)), None)
        if cue_after is not None:
            return found(cue_after, self.speaker_of(cue_after) or self.adjacent_speaker(cue_after, after_tokens))
        according = self.according_to(after_tokens) or self.according_to(before_tokens)
        if according is not None:
            return _Candidate(stretch.start, stretch.end, DIRECT, according[0], according[1])
        if after.startswith(",") or content[-1:] in ",!?":
            # `"...," he quipped`: any verb right after the speaker attributes the quote
            verb = self._attribution_verb(after_tokens)
            if verb is not None:
                return found(verb, self.speaker_of(verb) or self.adjacent_speaker(verb, after_tokens))
        if before.endswith(":") and before_tokens:
            verb = next((t for t in reversed(before_tokens) if t.pos_ == "VERB"), None)
            if verb is not None:  # `Dolan disagreed: "..."`: whatever verb introduces the quote
                return found(verb, self.speaker_of(verb) or self.adjacent_speaker(verb, before_tokens))
            if not any(t.pos_ == "AUX" for t in before_tokens):  # a headline's `Raab: "..."`
                head = next((t for t in reversed(before_tokens) if t.pos_ in {"PROPN", "NOUN", "PRON"}), None)
                return _Candidate(stretch.start, stretch.end, DIRECT, None, head)
        if opens_sentence and stretch.open_at == self.paragraphs[self.paragraph_of(stretch.open_at)][0]:
            lead_in = self._lead_in(stretch)
            if lead_in is not None:
                return found(lead_in, self.speaker_of(lead_in))
        return _Candidate(stretch.start, stretch.end, DIRECT, None, None, inherits=True)

    @staticmethod
    def _is_utterance(stretch: QuotedStretch, content: str, after: str) -> bool:
        """A quote opening its sentence is a whole utterance, not a title or a term in quotes."""
        if stretch.close_end is None or stretch.paragraphs > 1:
            return True
        if content[-1:] in INNER_END_PUNCTUATION:
            return True
        return after == "" or after[0] in SENTENCE_END + ",—–-"

    def _attribution_verb(self, tokens: Sequence[Token]) -> Token | None:
        words = [t for t in tokens if not t.is_punct]
        for token in words[:4]:
            if token.tag_ in {"VBD", "VBZ"} and token.pos_ == "VERB":
                return token
        return None

    def _last_cue(self, tokens: Sequence[Token]) -> Token | None:
        """The cue verb nearest the end, preferring one with a speaker (`says` over `first-responding`)."""
        cues = [t for t in tokens if self.cue_verb(t)]
        return next((t for t in reversed(cues) if self.speaker_of(t) is not None), cues[-1] if cues else None)

    def _lead_in(self, stretch: QuotedStretch) -> Token | None:
        """`Mr Raab said:` closing the paragraph before a quote paragraph."""
        number = self.paragraph_of(stretch.open_at)
        if number == 0:
            return None
        start, end = self.paragraphs[number - 1]
        if not self.text[start:end].endswith(":"):
            return None
        return self._last_cue(self.tokens_between(start, end))

    def fragment(self, stretch: QuotedStretch) -> _Candidate | None:
        """A quoted fragment inside a sentence: a mixed quote when reported speech holds it."""
        tokens = self.tokens_between(stretch.start, stretch.end)
        if not tokens:
            return None
        inside = {t.i for t in tokens}
        root = next((t for t in tokens if t.head.i not in inside or t.head.i == t.i), tokens[0])
        cue = self._reporting_cue(root, inside)
        if cue is not None:
            subject = self.speaker_of(cue) if cue.pos_ != "NOUN" else self._noun_cue_speaker(cue)
            if subject is None:
                return None
            return _Candidate(stretch.start, stretch.end, MIXED, self.span_of(cue), subject)
        according = self.according_to(list(root.sent))
        if according is not None:
            return _Candidate(stretch.start, stretch.end, MIXED, according[0], according[1])
        return None

    def _reporting_cue(self, root: Token, inside: set[int]) -> Token | None:
        """The speech verb (or possessed speech noun) reporting a fragment: the outermost one of
        a chain of reported speech, so that `Raab said the ministers had "underlined ..."` is Raab's."""
        found: Token | None = None
        token = root
        for _ in range(3 * MAX_CLIMB):
            if token.head.i == token.i:
                break
            relation, child, token = token.dep_, token, token.head
            if token.i in inside:
                continue
            if found is not None and relation not in REPORTED_DEPS:
                break
            if relation in SUBJECT_DEPS:
                continue  # a speech verb's subject is not what it reports: `the "levelling up" agenda was criticised`
            if found is None and child.lower_ == "as" and self._characterises(token, relation):
                return token  # `a claim Mr Kolt dismissed as "nonsense"`: whoever dismissed it said it
            if self.cue_verb(token) or (
                token.lower_ in self.lexicon.speech_nouns and any(c.dep_ == "poss" for c in token.children)
            ):
                found = token
        if found is None:
            # `The Taliban were "not to be trusted", Mr Raab said.` parsed with the cue aside
            sentence_root = root.sent.root
            found = next(
                (c for c in sentence_root.children if c.dep_ == "parataxis" and c.i not in inside and self.cue_verb(c)),
                None,
            )
        return found

    def _characterises(self, token: Token, relation: str) -> bool:
        """An active verb that casts something `as` the quoted words (`dismissed it as "nonsense"`,
        `a claim Mr Kolt dismissed as "nonsense"`): calling it so is saying it."""
        if relation != "prep" or token.pos_ != "VERB" or self.is_passive(token):
            return False
        return any(c.dep_ in SUBJECT_DEPS for c in token.children)

    def _noun_cue_speaker(self, noun: Token) -> Token | None:
        return next((c for c in noun.children if c.dep_ == "poss"), None)

    # -- indirect quotes --

    def indirect_candidates(self) -> Iterator[_Candidate]:
        for token in self.doc:
            if self.inside_quote(token.idx) or not (self.cue_verb(token) or self.reporting_verb(token)):
                continue
            if any(c.dep_ == "neg" for c in token.children):
                continue
            content = self._reported_clause(token)
            if content is None:
                continue
            subject = self.speaker_of(token)
            if subject is None or subject.lower_ in FIRST_AND_SECOND_PERSON:
                continue  # "I thought ...", outside quote marks, is a quote whose marks went astray
            yield _Candidate(content[0], content[1], INDIRECT, self.span_of(token), subject, cue_token=token)
        for sentence in self.doc.sents:
            according = self.according_to(list(sentence))
            if according is None:
                continue
            cue, subject = according
            content = self._sentence_without(sentence, cue, subject)
            if content is not None:
                yield _Candidate(content[0], content[1], INDIRECT, cue, subject)

    def _reported_clause(self, verb: Token) -> tuple[int, int] | None:
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is not None:
            if not any(c.dep_ in CLAUSE_SUBJECT_DEPS for c in clause.children):
                return None
            if any(c.dep_ == "mark" and c.lower_ in {"whether", "if"} for c in clause.children):
                return None
            tokens = list(clause.subtree)
        elif verb.dep_ == "parataxis" and verb.head.pos_ in {"VERB", "AUX"}:
            # `The Taliban must be tested, Raab said.`, `ATI, he said, also blends in well`
            aside = {t.i for t in verb.subtree}
            tokens = [t for t in verb.head.subtree if t.i not in aside]
        else:
            return None
        while tokens and (tokens[0].is_punct or tokens[0].dep_ == "mark" or tokens[0].is_space):
            tokens = tokens[1:]
        while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
            tokens = tokens[:-1]
        words = [t for t in tokens if not t.is_punct]
        if len(words) < MIN_INDIRECT_TOKENS:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        if not self.paragraph_of(start) == self.paragraph_of(end - 1) == self.paragraph_of(verb.idx):
            return None
        return start, end

    def _sentence_without(self, sentence, cue: Span, subject: Token) -> tuple[int, int] | None:
        phrase_end = subject.right_edge.idx + len(subject.right_edge)
        # the parser's sentences can run across a paragraph break after a quote; the cue's paragraph bounds it
        p_start, p_end = self.paragraphs[self.paragraph_of(cue.start)]
        start, end = max(sentence.start_char, p_start), min(sentence.end_char, p_end)
        if cue.start - start > end - phrase_end:
            end = cue.start  # `..., according to X.`
        else:
            start = phrase_end  # `According to X, ...`
        start += len(self.text[start:end]) - len(self.text[start:end].lstrip())
        end = start + len(self.text[start:end].rstrip())
        while start < end and self.text[start] in ",;:—– ":
            start += 1
        while end > start and self.text[end - 1] in ",;:—–. ":
            end -= 1
        if len(self.text[start:end].split()) < MIN_INDIRECT_TOKENS:
            return None
        return start, end

    # -- speakers --

    def _subject_mentions(self) -> _Mentions:
        """Actors named as the subject of a clause outside quotes: the likeliest antecedents."""
        found = _Mentions()
        for actor in self.actors:
            for mention in actor.mentions:
                if mention.text.lower() in MALE_PRONOUNS | FEMALE_PRONOUNS | GROUP_PRONOUNS:
                    continue
                if self.inside_quote(mention.start):
                    continue
                tokens = self.tokens_between(mention.start, mention.end)
                if any(t.dep_ in SUBJECT_DEPS for t in tokens):
                    found.add((mention.start, actor))
        return found

    def noun_phrase(self, head: Token) -> tuple[int, int]:
        left = head.i
        for child in head.lefts:
            if child.dep_ in NOUN_PHRASE_LEFT_DEPS:
                left = min(left, child.left_edge.i)
        right = head.i
        for child in head.rights:
            if child.dep_ in {"compound", "flat"} or (
                child.dep_ == "prep" and child.lower_ in MEMBER_PREPOSITIONS and head.lower_ in self.lexicon.spokesperson_nouns
            ):
                right = max(right, child.right_edge.i)
        while left < right and self.doc[left].is_punct:
            left += 1
        return self.doc[left].idx, self.doc[right].idx + len(self.doc[right])

    def resolve(self, subject: Token, history: _Mentions) -> Speaker:
        start, end = self.noun_phrase(subject)
        word = subject.lower_
        if subject.pos_ == "PRON" and word in MALE_PRONOUNS | FEMALE_PRONOUNS | GROUP_PRONOUNS:
            antecedent = self._antecedent(subject, history)
            actor = antecedent[1] if antecedent is not None else None
            if actor is None:
                # the latest speaker is someone no actor names, or nobody: the pronoun's own link
                # (actors resolve it to the nearest person subject of matching gender), if any
                actor = self.index.at(subject.idx, subject.idx + len(subject))
            return self._speaker(actor, subject.idx, subject.idx + len(subject))
        actor = self.index.at(subject.idx, subject.idx + len(subject))
        if subject.pos_ == "PROPN" and (actor is None or (actor.type not in PERSON_TYPES and " " not in actor.name)):
            # `Pate said` where the model typed the surname of Luther Stan Pate IV as a body
            actor = self._person_by_surname(subject) or actor
        if actor is not None and actor.type in PERSON_TYPES:
            return self._speaker(actor, start, end)
        for appositive in (c for c in subject.children if c.dep_ == "appos"):
            # `the UN envoy, Lars Eriksen,`: the name in apposition is who speaks
            named = self.index.at(*self.noun_phrase(appositive))
            if named is not None:
                return self._speaker(named, *self.noun_phrase(appositive))
        if word in self.lexicon.spokesperson_nouns or subject.lemma_.lower() in self.lexicon.spokesperson_nouns:
            body = self._body_beside(start, end, subject) or self._body_of_members(subject)
            if body is not None:
                return self._speaker(body, start, end)
        actor = actor or self.index.at(start, end)
        if actor is None and subject.pos_ == "NOUN":
            actor = self._body_of_members(subject) or self._described_body(subject)
        if actor is not None:
            return self._speaker(actor, start, end)
        # a name that no actor holds is still a name (`Reavey said`); a description stays unnamed
        entity = self.named_entity_at.get(subject.i)
        if entity is not None:
            return Speaker(None, entity.text, start, end)
        if subject.pos_ in {"PROPN", "NOUN"} and subject.lower_ not in RELATIVE_PRONOUNS:
            # `officials`, `the county fire service`, `a source`: a speaker no actor names, as written
            return Speaker(None, self.text[start:end], start, end)
        return Speaker(None, None, start, end)

    def _described_body(self, noun: Token) -> Actor | None:
        """`the authority` after `the Saltmere Port Authority`: the latest body whose name holds the noun.
        (Actors do not link such descriptions yet; a speaker needs them.)"""
        if not any(c.dep_ in {"det", "poss"} for c in noun.children):
            return None
        word = noun.lower_
        best: tuple[int, Actor] | None = None
        for actor in self.actors:
            if actor.type in PERSON_TYPES or word not in actor.name.lower().split():
                continue
            for mention in actor.mentions:
                if mention.start < noun.idx and (best is None or mention.start > best[0]):
                    best = (mention.start, actor)
        return best[1] if best else None

    def _person_by_surname(self, name: Token) -> Actor | None:
        """`Mr Kovac` or `Kovac` when actors left it unlinked: the one person of that surname
        (and of the honorific's gender, when there is one)."""
        honorific = next((c.lower_.rstrip(".") for c in name.children if c.dep_ == "compound"), None)
        gender = self.lexicon.gender_by_honorific.get(honorific or "")
        people = [
            a for a in self.people_by_surname.get(name.lower_, ())
            if gender not in {"m", "f"} or self.genders.get(a.id) in (None, gender)
        ]
        return people[0] if len(people) == 1 else None

    def _body_of_members(self, noun: Token) -> Actor | None:
        """`observers from the OSCE`, `officials at the ministry`: the body its members speak for."""
        for preposition in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in MEMBER_PREPOSITIONS):
            for body in (c for c in preposition.children if c.dep_ == "pobj"):
                actor = self.index.at(*self.noun_phrase(body)) or self._described_body(body)
                if actor is not None and actor.type not in PERSON_TYPES:
                    return actor
        return None

    def _body_beside(self, start: int, end: int, noun: Token) -> Actor | None:
        """`A Downing Street spokeswoman`, `a spokesman for the Foreign Office`: the body spoken for;
        a person named in the phrase speaks for themself."""
        actors = [
            self.index.at(t.idx, t.idx + len(t))
            for t in self.tokens_between(start, end)
            if t.i != noun.i and not t.is_punct
        ]
        actors = [a for a in actors if a is not None]
        people = [a for a in actors if a.type in PERSON_TYPES]
        return (people or actors or [None])[0]

    def _antecedent(self, pronoun: Token, history: _Mentions) -> tuple[int, Actor | None] | None:
        """The latest salient speaker before a pronoun: a quote's speaker (None when no actor names
        them, as in "a military spokesman said ... He added") or a subject outside quotes."""
        word = pronoun.lower_
        floor_paragraph = self.paragraph_of(pronoun.idx) - PRONOUN_LOOKBACK_PARAGRAPHS
        floor = self.paragraphs[max(floor_paragraph, 0)][0]
        wanted_gender = "m" if word in MALE_PRONOUNS else "f" if word in FEMALE_PRONOUNS else None
        best: tuple[int, Actor | None] | None = None
        for position, actor in [*history.between(floor, pronoun.idx), *self.salient.between(floor, pronoun.idx)]:
            if actor is None:
                pass
            elif wanted_gender is None:
                if actor.type in PERSON_TYPES:
                    continue
            elif not self._may_be_person(actor) or self.genders.get(actor.id) not in (None, wanted_gender):
                continue
            if best is None or position > best[0]:
                best = (position, actor)
        return best

    def _may_be_person(self, actor: Actor) -> bool:
        """People, and names the small model mistypes as bodies ("Irena Vasic" as ORG)."""
        words = actor.name.split()
        return actor.type in PERSON_TYPES or (
            len(words) > 1 and actor.type == "ORG" and words[0].lower() in self.lexicon.gender_by_first_name
        )

    @staticmethod
    def _speaker(actor: Actor | None, start: int, end: int) -> Speaker:
        if actor is None:
            return Speaker(None, None, start, end)
        return Speaker(actor.id, actor.name, start, end)

    # -- all together --

    def learned_pool(self, taken: Sequence[_Candidate]) -> list[Reported]:
        """The model's candidates that no rule-found quote covers, that cut no quoted stretch in two
        and whose cue has a source (a demand or belief nobody is said to hold is no quote to a
        reader), each told whether it holds quote marks (a mixed quote)."""
        spans = sorted((c.start, c.end) for c in taken)
        starts = [start for start, _ in spans]
        longest = max((end - start for start, end in spans), default=0)

        def free(start: int, end: int) -> bool:
            low = bisect_left(starts, start - longest)
            high = bisect_left(starts, end)
            return not any(spans[k][1] > start for k in range(low, high))

        pool = []
        for reported in reported_candidates(self.doc):
            if self.inside_quote(reported.cue.idx) or not free(reported.start, reported.end):
                continue
            if self.speaker_of(reported.cue) is None:
                continue
            holds = self.holds_quotes_whole(reported.start, reported.end)
            if holds is False:
                continue
            pool.append(replace(reported, features=(*reported.features, f"holds_quote={holds is True}")))
        return pool

    def learned_candidates(self, model: AttributionModel, taken: Sequence[_Candidate]) -> list[_Candidate]:
        pool = self.learned_pool(taken)
        chosen = select(pool, [model.probability(r.features) for r in pool], model.threshold)
        return [
            _Candidate(
                r.start, r.end, MIXED if self.overlaps_quote(r.start, r.end) else INDIRECT,
                self.span_of(r.cue), self.speaker_of(r.cue), cue_token=r.cue, learned=True,
            )
            for r in chosen
        ]

    def run(self, model: AttributionModel | None = None) -> list[Quote]:
        marked = list(self.stretch_candidates())
        indirect = [c for c in self.indirect_candidates() if not self.overlaps_quote(c.start, c.end)]
        # a report of a report keeps the inner one: "Mr Wang said ..., the ministry said"
        cue_offsets = sorted(c.cue_token.idx for c in indirect if c.cue_token is not None)
        indirect = [c for c in indirect if not self._holds_a_cue(c, cue_offsets)]
        indirect = _without_overlaps(indirect)
        if model is not None:
            indirect += self.learned_candidates(model, marked + indirect)
        candidates = sorted(marked + indirect, key=lambda c: c.start)
        history = _Mentions()
        actors_by_id = {actor.id: actor for actor in self.actors}
        previous: _Candidate | None = None
        for candidate in candidates:
            if candidate.subject is not None:
                candidate.speaker = self.resolve(candidate.subject, history)
            elif candidate.inherits and previous is not None and (
                self.paragraph_of(candidate.start) - self.paragraph_of(previous.end) <= INHERIT_LOOKBACK_PARAGRAPHS
            ):
                candidate.speaker = previous.speaker
            if candidate.learned:
                continue
            speaker = candidate.speaker
            if speaker.entity is not None:
                history.add((speaker.start if speaker.start is not None else candidate.start, actors_by_id[speaker.entity]))
            elif candidate.subject is not None and candidate.subject.pos_ != "PRON":
                history.add((candidate.subject.idx, None))
            previous = candidate
        return [self._quote(group) for group in self._one_quote_each(candidates)]

    @staticmethod
    def _holds_a_cue(candidate: _Candidate, cue_offsets: list[int]) -> bool:
        """Whether another candidate's cue lies inside this one's content."""
        inside = bisect_left(cue_offsets, candidate.end) - bisect_left(cue_offsets, candidate.start)
        own = candidate.cue_token is not None and candidate.start <= candidate.cue_token.idx < candidate.end
        return inside > own

    def _one_quote_each(self, candidates: list[_Candidate]) -> list[list[_Candidate]]:
        """Consecutive candidates that are one thing said: a quote interrupted by its attribution
        (`"Normally," she said, "you have ..."`) and a quote its speaker goes on with right after
        the attribution or in the next paragraph."""
        groups: list[list[_Candidate]] = []
        for candidate in candidates:
            if groups and self._goes_on(groups[-1], candidate):
                groups[-1].append(candidate)
            else:
                groups.append([candidate])
        return groups

    def _goes_on(self, group: list[_Candidate], candidate: _Candidate) -> bool:
        previous = group[-1]
        if candidate.kind == MIXED and previous.kind == MIXED:
            # `called it "awful" and "a disgrace"`: fragments under one cue are one thing said
            return candidate.cue is not None and candidate.cue == previous.cue
        if candidate.kind != DIRECT or previous.kind != DIRECT:
            return False
        if candidate.cue is not None and candidate.cue == previous.cue:
            return True
        if not candidate.inherits or candidate.speaker != previous.speaker:
            return False
        # an uncued quote right after its speaker's quote, in that paragraph or the next, goes on with it
        return self.paragraph_of(candidate.start) - self.paragraph_of(previous.end) <= 1


    def _quote(self, group: list[_Candidate]) -> Quote:
        parts = tuple(Span(c.start, c.end, self.text[c.start : c.end]) for c in group)
        first = next((c for c in group if c.cue is not None or c.subject is not None), group[0])
        return Quote(
            text=" ".join(part.text for part in parts),
            start=parts[0].start,
            end=parts[-1].end,
            kind=group[0].kind,
            speaker=first.speaker,
            cue=first.cue,
            parts=parts,
        )


class _Mentions:
    """(offset, actor) pairs kept in text order (first added first on a tie), read by range."""

    def __init__(self) -> None:
        self._keys: list[tuple[int, int]] = []
        self._actors: list[Actor | None] = []

    def add(self, item: tuple[int, Actor | None]) -> None:
        key = (item[0], len(self._keys))
        k = bisect_right(self._keys, key)
        self._keys.insert(k, key)
        self._actors.insert(k, item[1])

    def between(self, start: int, end: int) -> list[tuple[int, Actor | None]]:
        """The pairs with start <= offset < end, in order."""
        low, high = bisect_left(self._keys, (start, -1)), bisect_left(self._keys, (end, -1))
        return [(self._keys[k][0], self._actors[k]) for k in range(low, high)]


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    # in order of start, the kept ones are disjoint: only the last can overlap the next
    for candidate in sorted(candidates, key=lambda c: (c.start, -(c.end - c.start))):
        if not kept or kept[-1].end <= candidate.start:
            kept.append(candidate)
    return kept


def find_quotes(doc: Doc, actors: Sequence[Actor], learned: bool = True) -> list[Quote]:
    """Direct, mixed and indirect quotes of a parsed article, in text order, with speakers
    resolved to `actors` (speaker fields are None where no actor can be named). `learned=False`
    leaves out the reported speech only the learned model finds (what it is fitted beside)."""
    return _QuoteFinder(doc, actors).run(attribution_model() if learned else None)
