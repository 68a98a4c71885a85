"""Synthesise: a stored story's articles -> one `Account`, every item traceable to its source.

Merging across articles is deliberately not greedy:

- actors merge on equal canonical names (actor ids are slugs of them); a person known by a
  surname alone joins the one full-name person of the story with that surname whose role,
  country and gender do not contradict it, or the candidate those facts single out, and
  otherwise stays apart; a body joins another whose mentions name it ("UNSC");
- quotes merge when the same speaker says the same words: in order, wholly contained
  (truncation), mostly the same (alteration), or, for reported speech, the same content
  words (paraphrase); how each version departs from the fullest direct one is its drift;
- events merge only when every pair of reports agrees: type, negation, mode (equal, or one
  refining an unmoded report; an intention never matches a deed), parties (one at least
  known and equal, none contradicting; either way round for mutual types such as a call)
  and dates (equal or one more precise);
- a report that fits two quotes or two events equally well joins neither.

Actors, quotes and events never merge within one article unless the annotator already
did: two actors of one article are two actors.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from difflib import SequenceMatcher
from functools import cache, cached_property
from typing import TYPE_CHECKING

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from .lexicons import table, word_set
from .records import (
    Account,
    AccountActor,
    AccountArticle,
    AccountEvent,
    AccountParty,
    AccountQuote,
    Actor,
    Citation,
    Coverage,
    CoverageRow,
    DiffPart,
    Event,
    EventActor,
    EventMention,
    OnlyIn,
    Quote,
    QuoteVersion,
    Story,
    SummarySentence,
    Syndication,
    TimelineEntry,
)

if TYPE_CHECKING:
    from .store import StoredArticle

# Quotes shorter than this ("No.") merge only when word-for-word equal.
MIN_QUOTE_WORDS = 3
# Share of the shorter quote's words found, in order, in the other: a truncation.
CONTAINED_QUOTE = 0.8
# difflib ratio over words above which two wordings are one quote, altered.
ALTERED_QUOTE = 0.6
# Reported speech against a quote: share of the fewer content words in common, and a floor.
PARAPHRASE_OVERLAP = 0.6
PARAPHRASE_MIN_WORDS = 3
# Without a resolved speaker on both sides, only a near-verbatim long quote is the same quote.
UNATTRIBUTED_MATCH = 0.9
UNATTRIBUTED_MIN_WORDS = 6

SUMMARY_MIN_WORDS = 8
SUMMARY_MAX_WORDS = 60
# Lead sentences carry a news story; looking further into long articles only costs time.
MAX_CANDIDATES_PER_ARTICLE = 25
LEXRANK_DAMPING = 0.85
LEXRANK_ITERATIONS = 100
LEXRANK_TOLERANCE = 1e-6
# Later sentences count for 1 / (1 + decay * position).
POSITION_DECAY = 0.1
FACT_WEIGHT = 0.5  # a sentence's share of facts the summary has not told yet
NEW_SOURCE_WEIGHT = 0.3  # a sentence from an outlet the summary does not cite yet
NEAR_REPEAT = 0.5  # tf-idf cosine at which a sentence repeats one already chosen
SAME_SENTENCE = 0.8  # cosine at which another article carries the same sentence

KIND_RANK = {"direct": 0, "mixed": 1, "indirect": 2}
INTENDED_MODE = "intend"  # the events stage's mode for a reported intention ("will visit")
# Two reports of one trigger agree more than any two reports with two parties and a date can.
SAME_TRIGGER = 4
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")
_WORD = re.compile(r"\S+")
# "SALTMERE, Vestria (Meridian Wire) - ", "LONDON (Reuters) — ": where a report was filed, not what happened
_DATELINE = re.compile(r"^[A-Z][A-Z'’ .-]*[A-Z](?:,\s[^-–—()\n]{1,40}?)?(?:\s\([^)\n]{1,40}\))?\s[-–—]+\s")


# ---- the articles of the story ------------------------------------------------------


class _Corpus:
    """The story's articles in publication order, with outlet labels and originals of copies."""

    def __init__(self, articles: Sequence[StoredArticle]):
        self.stored = sorted(articles, key=lambda s: _moment(s.article.published))
        self.by_id = {s.article.id: s for s in self.stored}
        self.order = {article_id: index for index, article_id in enumerate(self.by_id)}

    def ids(self) -> list[str]:
        return list(self.by_id)

    def outlet(self, article_id: str) -> str:
        """The outlet column an article counts under; an article without an outlet stands for itself."""
        return self.by_id[article_id].article.source or article_id

    def origin(self, article_id: str) -> str:
        """The article whose reporting this is: a syndicated copy's original when the story has it."""
        original = self.by_id[article_id].duplicate_of
        return original if original in self.by_id else article_id

    def is_copy(self, article_id: str) -> bool:
        return self.origin(article_id) != article_id

    def cite(self, article_id: str, start: int, end: int) -> Citation:
        article = self.by_id[article_id].article
        return Citation(article_id, article.source, start, end, article.text[start:end])

    def outlets_of(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.outlet(a) for a in sorted(set(article_ids), key=self.order.__getitem__)))

    def sources_of(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        return self.outlets_of(self.origin(a) for a in article_ids)

    def in_order(self, article_ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(set(article_ids), key=self.order.__getitem__))


def _moment(published: datetime | None) -> tuple[bool, datetime]:
    """A sort key for publication times that may or may not carry a time zone; undated last."""
    if published is None:
        return True, datetime.min
    return False, published.astimezone(timezone.utc).replace(tzinfo=None) if published.tzinfo else published


def name_key(name: str) -> str:
    """A name folded for comparison: 'the Taliban', 'Taliban' and 'TALIBAN' are one key."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"^the\s+", "", folded.strip())
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or name.strip().casefold()


def _stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def _unique(candidate: str, used: set[str]) -> str:
    result, counter = candidate, 2
    while result in used:
        result, counter = f"{candidate}-{counter}", counter + 1
    used.add(result)
    return result


def _join_best(groups: list[list], item, scores: dict[int, float | None]) -> int:
    """Add `item` to the group (by index) it fits best, or start a group when none fits or two
    fit equally well; returns the index of the group it is in."""
    fitting = sorted(((score, index) for index, score in scores.items() if score is not None), reverse=True)
    if fitting and (len(fitting) == 1 or fitting[0][0] > fitting[1][0]):
        groups[fitting[0][1]].append(item)
        return fitting[0][1]
    groups.append([item])
    return len(groups) - 1


# ---- actors -------------------------------------------------------------------------


@dataclass
class _ActorGroup:
    members: list[tuple[str, Actor]] = field(default_factory=list)  # (article id, actor)

    def add(self, article_id: str, actor: Actor) -> None:
        self.members.append((article_id, actor))

    def article_ids(self) -> set[str]:
        return {article_id for article_id, _ in self.members}

    def roles(self) -> list[str]:
        return [actor.role for _, actor in self.members if actor.role]

    def countries(self) -> set[str]:
        return {actor.country for _, actor in self.members if actor.country}

    def genders(self) -> set[str]:
        return set().union(*(_genders(actor) for _, actor in self.members))


@cache
def _honorific_genders() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in table("honorifics.tsv") if len(row) > 1 and row[1] in {"m", "f"}}


@cache
def _first_name_genders() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in table("first_names.tsv") if len(row) > 1}


@cache
def _pronoun_genders() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in table("pronoun_genders.tsv")}


def _genders(actor: Actor) -> set[str]:
    """Genders a person's first name, honorifics ("Mrs Kovac") and pronouns signal."""
    if actor.type != "PERSON":
        return set()
    found = set()
    words = actor.name.split()
    if len(words) > 1 and words[0].lower() in _first_name_genders():
        found.add(_first_name_genders()[words[0].lower()])
    for mention in actor.mentions:
        first = mention.text.split()[0].lower() if mention.text.split() else ""
        gender = _honorific_genders().get(first) or _pronoun_genders().get(mention.text.strip().lower())
        if gender:
            found.add(gender)
    return found


def _role_words(role: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", role.lower()) if w not in ENGLISH_STOP_WORDS}


def _surname_evidence(single: Actor, group: _ActorGroup) -> int | None:
    """How many facts tie a surname-only person to a full-name group; None when one contradicts it."""
    evidence = 0
    countries = group.countries()
    if single.country and countries:
        if single.country not in countries:
            return None
        evidence += 1
    roles = group.roles()
    if single.role and roles:
        if not any(_role_words(single.role) & _role_words(role) for role in roles):
            return None
        evidence += 1
    single_genders, group_genders = _genders(single), group.genders()
    if len(single_genders) == 1 and len(group_genders) == 1:
        if single_genders != group_genders:
            return None
        evidence += 1
    return evidence


def _surname_holder(article_id: str, single: Actor, people: Sequence[_ActorGroup]) -> _ActorGroup | None:
    """The full-name person a surname-only actor is, if the story says so unambiguously."""
    key = name_key(single.name)
    candidates = []
    for group in people:
        if article_id in group.article_ids():
            continue  # its own article kept them apart
        surnames = {name_key(actor.name.split()[-1]) for _, actor in group.members}
        if key not in surnames:
            continue
        evidence = _surname_evidence(single, group)
        if evidence is not None:
            candidates.append((evidence, group))
    if len(candidates) == 1:
        return candidates[0][1]
    candidates.sort(key=lambda item: -item[0])
    if len(candidates) > 1 and candidates[0][0] > candidates[1][0]:
        return candidates[0][1]
    return None


def _name_like(text: str) -> bool:
    # a mention that names a body ("UNSC", "the Security Council"), not "they" or "the group"
    return sum(c.isupper() for c in text) >= 2


def _merge_bodies(groups: list[_ActorGroup]) -> list[_ActorGroup]:
    """Bodies whose canonical name another body is mentioned by, in other articles, are one."""
    parent = list(range(len(groups)))
    articles = [g.article_ids() for g in groups]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    named_by: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        keys = {name_key(m.text) for _, actor in group.members for m in actor.mentions if _name_like(m.text)}
        for key in keys:
            named_by[key].append(index)
    for index, group in enumerate(groups):
        key = name_key(group.members[0][1].name)
        for other in named_by.get(key, []):
            a, b = root(index), root(other)
            if a != b and not (articles[a] & articles[b]):
                parent[b] = a
                articles[a] |= articles[b]
    merged: dict[int, _ActorGroup] = {}
    for index, group in enumerate(groups):
        merged.setdefault(root(index), _ActorGroup()).members.extend(group.members)
    return list(merged.values())


def merge_actors(corpus: _Corpus) -> list[_ActorGroup]:
    full_names: dict[str, _ActorGroup] = defaultdict(_ActorGroup)
    bodies: dict[str, _ActorGroup] = defaultdict(_ActorGroup)
    singles: list[tuple[str, Actor]] = []
    for article_id, stored in corpus.by_id.items():
        for actor in stored.annotation.actors:
            if actor.type != "PERSON":
                bodies[name_key(actor.name)].add(article_id, actor)
            elif len(actor.name.split()) > 1:
                full_names[name_key(actor.name)].add(article_id, actor)
            else:
                singles.append((article_id, actor))
    people = list(full_names.values())
    # decide every surname against the full names as the articles give them, so order does not matter
    holders = [(_surname_holder(article_id, actor, people), article_id, actor) for article_id, actor in singles]
    unattached: dict[str, _ActorGroup] = defaultdict(_ActorGroup)
    for holder, article_id, actor in holders:
        (holder or unattached[name_key(actor.name)]).add(article_id, actor)
    return people + list(unattached.values()) + _merge_bodies(list(bodies.values()))


def _preferred_name(group: _ActorGroup) -> str:
    """The group's most used canonical name, full names before surnames, longer names on a tie."""
    counts = Counter(actor.name for _, actor in group.members)
    return max(counts, key=lambda n: (len(n.split()) > 1, counts[n], len(n)))


class _Actors:
    """The merged actors of a story and the way from an article's actor id to them."""

    def __init__(self, corpus: _Corpus, groups: list[_ActorGroup]):
        self.corpus = corpus
        self.groups: dict[str, _ActorGroup] = {}
        self.names: dict[str, str] = {}
        self.of: dict[tuple[str, str], str] = {}
        used: set[str] = set()
        by_name_key: dict[str, set[str]] = defaultdict(set)
        for group in sorted(groups, key=lambda g: min((corpus.order[a], a) for a in g.article_ids())):
            name = _preferred_name(group)
            account_id = _unique(name_key(name), used)
            self.groups[account_id] = group
            self.names[account_id] = name
            for article_id, actor in group.members:
                self.of[(article_id, actor.id)] = account_id
                by_name_key[name_key(actor.name)].add(account_id)
        self._by_name_key = {key: ids.pop() for key, ids in by_name_key.items() if len(ids) == 1}

    def resolve(self, article_id: str, entity: str | None, name: str | None) -> str | None:
        """The account actor an article's actor id (or, failing that, an unambiguous name) refers to."""
        if entity and (article_id, entity) in self.of:
            return self.of[(article_id, entity)]
        return self._by_name_key.get(name_key(name)) if name else None

    def records(self, quotes: Sequence[AccountQuote], events: Sequence[AccountEvent]) -> tuple[AccountActor, ...]:
        said: dict[str, list[str]] = defaultdict(list)
        for quote in quotes:
            if quote.speaker:
                said[quote.speaker].append(quote.id)
        involved: dict[str, list[str]] = defaultdict(list)
        for item in events:
            for party in (item.source, item.target):
                if party and party.id and item.id not in involved[party.id]:
                    involved[party.id].append(item.id)
        records = []
        for account_id, group in self.groups.items():
            members = group.members
            roles: Counter = Counter()
            spelled: dict[str, str] = {}
            for _, actor in members:
                if actor.role:
                    key = " ".join(actor.role.lower().replace("’", "'").split())
                    roles[key] += 1
                    spelled.setdefault(key, actor.role)
            citations = sorted(
                (self.corpus.cite(article_id, m.start, m.end) for article_id, actor in members for m in actor.mentions),
                key=lambda c: (self.corpus.order[c.article_id], c.start),
            )
            article_ids = self.corpus.in_order(group.article_ids())
            records.append(
                AccountActor(
                    id=account_id,
                    name=self.names[account_id],
                    type=_most_common(actor.type for _, actor in members),
                    roles=tuple(spelled[role] for role, _ in roles.most_common()),
                    articles=article_ids,
                    mentions=len(citations),
                    country=_most_common(actor.country for _, actor in members if actor.country),
                    sector=_most_common(actor.sector for _, actor in members if actor.sector),
                    outlets=self.corpus.outlets_of(article_ids),
                    names=tuple(dict.fromkeys(actor.name for _, actor in members)),
                    quotes=tuple(said[account_id]),
                    events=tuple(involved[account_id]),
                    citations=tuple(citations),
                )
            )

        def reports(actor: AccountActor) -> int:
            return len({self.corpus.origin(a) for a in actor.articles})

        return tuple(sorted(records, key=lambda a: (-reports(a), -a.mentions, a.name.lower())))


def _most_common(values: Iterable):
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else None


# ---- quotes -------------------------------------------------------------------------


def _normal_word(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower().replace("’", "'").replace("'", ""))


@dataclass
class _QuoteItem:
    article_id: str
    quote: Quote
    speaker: str | None
    display: list[str]  # the words as written
    words: list[str]  # the same words folded for comparison

    @classmethod
    def of(cls, article_id: str, quote: Quote, speaker: str | None) -> _QuoteItem:
        pairs = [(w, _normal_word(w)) for w in _WORD.findall(quote.text)]
        pairs = [(display, word) for display, word in pairs if word]
        return cls(article_id, quote, speaker, [d for d, _ in pairs], [w for _, w in pairs])

    @cached_property
    def content(self) -> set[str]:
        return {w for w in self.words if w not in ENGLISH_STOP_WORDS}

    @cached_property
    def counts(self) -> Counter:
        return Counter(self.words)


def _matched_words(a: _QuoteItem, b: _QuoteItem) -> int:
    """How many words of the two quotes match in order (0 when they cannot match enough to count)."""
    shorter = min(len(a.words), len(b.words))
    # the words in common bound the words matched in order; most pairs stop at this cheap test
    common = sum((a.counts & b.counts).values())
    if common < CONTAINED_QUOTE * shorter and 2 * common < ALTERED_QUOTE * (len(a.words) + len(b.words)):
        return 0
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def quote_match(a: _QuoteItem, b: _QuoteItem) -> float | None:
    """How surely two quotes are one thing said (0..1), or None when they are not."""
    if a.speaker and b.speaker and a.speaker != b.speaker:
        return None
    same_speaker = bool(a.speaker) and a.speaker == b.speaker
    shorter = min(len(a.words), len(b.words))
    if shorter < MIN_QUOTE_WORDS:
        return 1.0 if same_speaker and a.words == b.words else None
    matched = _matched_words(a, b)
    contained = matched / shorter  # a truncation keeps (nearly) all its words in order
    if not same_speaker:
        return contained if contained >= UNATTRIBUTED_MATCH and shorter >= UNATTRIBUTED_MIN_WORDS else None
    if contained >= CONTAINED_QUOTE:
        return contained
    similarity = 2 * matched / (len(a.words) + len(b.words))  # difflib's ratio
    if similarity >= ALTERED_QUOTE:
        return similarity
    if "indirect" in (a.quote.kind, b.quote.kind):
        shared = len(a.content & b.content)
        fewer = min(len(a.content), len(b.content))
        if shared >= PARAPHRASE_MIN_WORDS and shared / fewer >= PARAPHRASE_OVERLAP:
            return shared / fewer
    return None


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(word in remaining for word in short)


def quote_drift(version: _QuoteItem, reference: _QuoteItem) -> str:
    if version is reference:
        return "reference"
    if version.words == reference.words:
        return "verbatim"
    if len(version.words) < len(reference.words) and _is_subsequence(version.words, reference.words):
        return "truncated"
    if version.quote.kind == "indirect" and reference.quote.kind != "indirect":
        return "paraphrased"
    return "altered"


def quote_differences(version: _QuoteItem, reference: _QuoteItem) -> tuple[DiffPart, ...]:
    matcher = SequenceMatcher(None, reference.words, version.words, autojunk=False)
    names = {"equal": "same", "delete": "omitted", "insert": "added", "replace": "changed"}
    return tuple(
        DiffPart(names[op], " ".join(reference.display[i1:i2]), " ".join(version.display[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def merge_quotes(corpus: _Corpus, actors: _Actors) -> tuple[AccountQuote, ...]:
    groups: list[list[_QuoteItem]] = []
    # only quotes sharing a word can match, so each is compared with the groups that share one
    groups_with: dict[str, set[int]] = defaultdict(set)
    for article_id, stored in corpus.by_id.items():
        for quote in sorted(stored.annotation.quotes, key=lambda q: q.start):
            item = _QuoteItem.of(article_id, quote, actors.resolve(article_id, quote.speaker.entity, quote.speaker.name))
            if not item.words:
                continue
            keys = item.content or set(item.words)
            nearby = set().union(*(groups_with[key] for key in keys))
            joined = _join_best(groups, item, {index: _group_score(item, groups[index]) for index in nearby})
            for key in keys:
                groups_with[key].add(joined)
    used: set[str] = set()
    return tuple(_quote_record(group, corpus, actors, used) for group in groups)


def _group_score(item: _QuoteItem, group: list[_QuoteItem]) -> float | None:
    """How well a quote fits a group of versions: its best match with any of them."""
    speakers = {member.speaker for member in group if member.speaker}
    if item.speaker and speakers and item.speaker not in speakers:
        return None
    scores = []
    for member in group:
        if member.article_id == item.article_id:
            if member.words != item.words:
                return None  # one article giving two wordings is reporting two things said
            scores.append(1.0)
            continue
        score = quote_match(item, member)
        if score is not None:
            scores.append(score)
    return max(scores, default=None)


def _quote_record(group: list[_QuoteItem], corpus: _Corpus, actors: _Actors, used: set[str]) -> AccountQuote:
    reference = min(group, key=lambda q: (KIND_RANK.get(q.quote.kind, 3), -len(q.words), corpus.order[q.article_id], q.quote.start))
    speaker = _most_common(q.speaker for q in group if q.speaker)
    speaker_name = actors.names[speaker] if speaker else _most_common(q.quote.speaker.name for q in group if q.quote.speaker.name)
    versions = []
    for item in sorted(group, key=lambda q: (corpus.order[q.article_id], q.quote.start)):
        matcher = SequenceMatcher(None, reference.words, item.words, autojunk=False)
        versions.append(
            QuoteVersion(
                citation=corpus.cite(item.article_id, item.quote.start, item.quote.end),
                kind=item.quote.kind,
                speaker_name=item.quote.speaker.name,
                drift=quote_drift(item, reference),
                similarity=round(matcher.ratio(), 3),
                differences=() if item is reference else quote_differences(item, reference),
            )
        )
    article_ids = corpus.in_order(q.article_id for q in group)
    drift = tuple(sorted({v.drift for v in versions} - {"reference", "verbatim"}))
    return AccountQuote(
        id=_unique(_stable_id("q", speaker or speaker_name, " ".join(reference.words)), used),
        speaker=speaker,
        speaker_name=speaker_name,
        text=reference.quote.text,
        kind=reference.quote.kind,
        articles=article_ids,
        outlets=corpus.outlets_of(article_ids),
        drift=drift,
        versions=tuple(versions),
    )


# ---- events -------------------------------------------------------------------------


@dataclass
class _EventItem:
    article_id: str
    event: Event
    source: str | None  # account actor id, or "name:<key>" for a party that is not an actor
    target: str | None


def _party_key(actors: _Actors, article_id: str, party: EventActor | None) -> str | None:
    if party is None:
        return None
    return actors.resolve(article_id, party.entity, party.name) or f"name:{name_key(party.name)}"


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


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
    if not _dates_agree(a.event.date, b.event.date):
        return None
    agreed = _parties_agree(((a.source, b.source), (a.target, b.target)))
    if agreed is None and a.event.type in _mutual_types():
        agreed = _parties_agree(((a.source, b.target), (a.target, b.source)))
    if not agreed:
        return None  # without a known party in common they may be any two events of a type
    return agreed + (1 if a.event.date and a.event.date == b.event.date else 0)


def merge_events(corpus: _Corpus, actors: _Actors) -> tuple[AccountEvent, ...]:
    groups: list[list[_EventItem]] = []
    groups_of_kind: dict[tuple, list[int]] = defaultdict(list)
    for article_id, stored in corpus.by_id.items():
        for event in sorted(stored.annotation.events, key=lambda e: e.trigger.start):
            item = _EventItem(article_id, event, _party_key(actors, article_id, event.source), _party_key(actors, article_id, event.target))
            kind = (event.type, event.negated)
            # every report in a group must agree with this one, so chains never join two events
            scores = {index: [events_agree(item, member) for member in groups[index]] for index in groups_of_kind[kind]}
            joined = _join_best(groups, item, {index: None if None in s else min(s) for index, s in scores.items()})
            if joined not in groups_of_kind[kind]:
                groups_of_kind[kind].append(joined)
    used: set[str] = set()
    return tuple(_event_record(group, corpus, actors, used) for group in groups)


def _party(actors: _Actors, items: list[_EventItem], side: str) -> AccountParty | None:
    keys = [getattr(item, side) for item in items if getattr(item, side)]
    key = _most_common(keys)
    if key is None:
        return None
    if not key.startswith("name:"):
        return AccountParty(key, actors.names[key])
    party = next(getattr(i.event, side) for i in items if getattr(i, side) == key)
    return AccountParty(None, party.name)


def _event_record(group: list[_EventItem], corpus: _Corpus, actors: _Actors, used: set[str]) -> AccountEvent:
    first = group[0]
    dates = [item.event.date for item in group if item.event.date]
    article_ids = corpus.in_order(item.article_id for item in group)
    source, target = _party(actors, group, "source"), _party(actors, group, "target")
    if source == target:
        target = None  # reports of a mutual event that name the same party on either side
    return AccountEvent(
        id=_unique(
            _stable_id("e", first.event.type, source and source.name, target and target.name, first.article_id, first.event.trigger.start),
            used,
        ),
        type=first.event.type,
        mode=_most_common(item.event.mode for item in group if item.event.mode),
        negated=first.event.negated,
        source=source,
        target=target,
        date=max(dates, key=len) if dates else None,
        location=_most_common(item.event.location for item in group if item.event.location),
        articles=article_ids,
        outlets=corpus.outlets_of(article_ids),
        mentions=tuple(
            EventMention(
                trigger=corpus.cite(item.article_id, item.event.trigger.start, item.event.trigger.end),
                sentence=corpus.cite(item.article_id, item.event.sentence.start, item.event.sentence.end),
                date=item.event.date,
                date_text=item.event.date_text,
            )
            for item in sorted(group, key=lambda i: (corpus.order[i.article_id], i.event.trigger.start))
        ),
    )


def event_label(event: AccountEvent) -> str:
    words = [event.source.name if event.source else "someone", ("not " if event.negated else "") + event.type]
    if event.mode:
        words.append(f"({event.mode})")
    if event.target:
        words.append(event.target.name)
    return " ".join(words)


def quote_label(quote: AccountQuote) -> str:
    return f"{quote.speaker_name or 'unattributed'}: “{quote.text}”"


# ---- timeline -----------------------------------------------------------------------


def build_timeline(corpus: _Corpus, events: Sequence[AccountEvent]) -> tuple[TimelineEntry, ...]:
    """Events by resolved date and articles by publication. An event without a date of its own
    comes right after its first report, in the order that report tells them; articles and
    events without any date come last, article by article."""

    def place(when: str | None, rank: int, article_id: str, offset: int) -> tuple:
        if when is None:
            return (1, corpus.order[article_id], rank, offset)
        return (0, when, rank, corpus.order[article_id], offset)

    keyed = []
    for article_id, stored in corpus.by_id.items():
        article = stored.article
        published = article.published.isoformat() if article.published else None
        label = article.title or "(untitled report)"
        if corpus.is_copy(article_id):
            label += f" (syndicated copy of {corpus.origin(article_id)})"
        entry = TimelineEntry(published, "publication" if published else "undated", "publication", label, (article_id,), (corpus.outlet(article_id),))
        keyed.append((place(published, 1, article_id, 0), entry))
    for item in events:
        first = item.mentions[0].trigger
        published = corpus.by_id[first.article_id].article.published
        when = item.date or (published.isoformat() if published else None)
        dated_by = "event" if item.date else ("article" if when else "undated")
        entry = TimelineEntry(when, dated_by, "event", event_label(item), item.articles, item.outlets, item.id)
        # an event's own date goes before a publication that day; one placed by its report, after it
        keyed.append((place(when, 0 if item.date else 2, first.article_id, first.start), entry))
    return tuple(entry for _, entry in sorted(keyed, key=lambda pair: pair[0]))


# ---- coverage -----------------------------------------------------------------------


def build_coverage(
    corpus: _Corpus, actors: Sequence[AccountActor], quotes: Sequence[AccountQuote], events: Sequence[AccountEvent]
) -> Coverage:
    rows = [CoverageRow("actor", a.id, a.name, a.outlets, corpus.sources_of(a.articles)) for a in actors]
    rows += [CoverageRow("quote", q.id, quote_label(q), q.outlets, corpus.sources_of(q.articles)) for q in quotes]
    rows += [CoverageRow("event", e.id, event_label(e), e.outlets, corpus.sources_of(e.articles)) for e in events]
    independent = corpus.outlets_of(a for a in corpus.ids() if not corpus.is_copy(a))
    only_in = []
    if len(independent) > 1:
        for outlet in independent:
            alone = [row for row in rows if row.sources == (outlet,)]
            only_in.append(
                OnlyIn(
                    outlet,
                    actors=tuple(r.id for r in alone if r.kind == "actor"),
                    quotes=tuple(r.id for r in alone if r.kind == "quote"),
                    events=tuple(r.id for r in alone if r.kind == "event"),
                )
            )
    syndicated = tuple(
        Syndication(a, corpus.by_id[a].article.source, corpus.origin(a), corpus.by_id[corpus.origin(a)].article.source)
        for a in corpus.ids()
        if corpus.is_copy(a)
    )
    return Coverage(
        outlets=corpus.outlets_of(corpus.ids()),
        rows=tuple(rows),
        only_in=tuple(only_in),
        independent_sources=len(independent),
        syndicated=syndicated,
    )


# ---- summary ------------------------------------------------------------------------


@cache
def _abbreviations() -> frozenset[str]:
    return word_set("quote_abbreviations.txt")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets by punctuation, one paragraph (line) at a time; no parser needed."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
            before = re.search(r"([\w.]+)[.!?…]*$", text[start : end.start() + 1])
            word = before.group(1).lower().rstrip(".") if before else ""
            if text[end.start()] == "." and (word in _abbreviations() or (len(word) == 1 and word.isalpha())):
                continue
            spans.append((start, end.end()))
            start = end.end()
        spans.append((start, line.end()))
    trimmed = []
    for start, end in spans:
        chunk = text[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right > left:
            trimmed.append((start + left, start + right))
    return trimmed


@dataclass
class _Sentence:
    article_id: str
    start: int
    end: int
    text: str
    position: int = 0  # index among its article's candidate sentences
    facts: frozenset[str] = frozenset()


def _sentences(corpus: _Corpus) -> list[_Sentence]:
    result = []
    for article_id, stored in corpus.by_id.items():
        text = stored.article.text
        for start, end in stored.annotation.sentences or split_sentences(text):
            dateline = _DATELINE.match(text, start, end)
            start = dateline.end() if dateline else start
            result.append(_Sentence(article_id, start, end, " ".join(text[start:end].split())))
    return result


def _is_candidate(sentence: _Sentence, corpus: _Corpus) -> bool:
    if corpus.is_copy(sentence.article_id):
        return False  # its original's sentence stands for it, and cites it
    words = len(sentence.text.split())
    title = corpus.by_id[sentence.article_id].article.title
    return (
        SUMMARY_MIN_WORDS <= words <= SUMMARY_MAX_WORDS
        and bool(_TERMINAL.search(sentence.text))
        and not sentence.text[:1].islower()
        and sentence.text != (" ".join(title.split()) if title else None)
    )


def _fact_mentions(actors: Sequence[AccountActor], quotes: Sequence[AccountQuote], events: Sequence[AccountEvent]):
    """Every mention of a fact of the story as (citation, fact key): who, what was said, what happened."""
    for actor in actors:
        for citation in actor.citations:
            yield citation, f"actor:{actor.id}"
    for quote in quotes:
        for version in quote.versions:
            yield version.citation, f"quote:{quote.id}"
    for item in events:
        for mention in item.mentions:
            yield mention.trigger, f"event:{item.id}"


def _attach_facts(candidates: list[_Sentence], actors, quotes, events) -> dict[str, float]:
    """Give each sentence the facts inside it; returns each fact's salience, log(1 + its mentions)."""
    mentions: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    counts: Counter = Counter()
    for citation, key in _fact_mentions(actors, quotes, events):
        mentions[citation.article_id].append((citation.start, citation.end, key))
        counts[key] += 1
    for sentence in candidates:
        sentence.facts = frozenset(
            key for start, end, key in mentions[sentence.article_id] if start < sentence.end and end > sentence.start
        )
    return {key: float(np.log1p(count)) for key, count in counts.items()}


def _lexrank(similarity: np.ndarray) -> np.ndarray:
    n = len(similarity)
    weights = similarity.copy()
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, weights / np.where(sums > 0, sums, 1.0), 1.0 / n)
    incoming = np.ascontiguousarray(transition.T)
    rank = np.full(n, 1.0 / n)
    for _ in range(LEXRANK_ITERATIONS):
        previous, rank = rank, (1 - LEXRANK_DAMPING) / n + LEXRANK_DAMPING * incoming @ rank
        if np.abs(rank - previous).sum() < LEXRANK_TOLERANCE:
            break
    return rank / rank.max()


def _select(
    candidates: list[_Sentence], corpus: _Corpus, base: np.ndarray, similarity: np.ndarray, salience: dict[str, float], length: int
) -> list[int]:
    """Greedy choice: each step takes the best sentence for what the summary still lacks."""
    chosen: list[int] = []
    told: set[str] = set()
    cited: set[str] = set()
    blocked = np.zeros(len(candidates), dtype=bool)
    while len(chosen) < length and not blocked.all():
        news = np.array([sum(salience[k] for k in s.facts - told) for s in candidates])
        fact_share = news / news.max() if news.max() > 0 else news
        fresh_outlet = np.array([corpus.outlet(s.article_id) not in cited for s in candidates], dtype=float)
        gain = np.where(blocked, -np.inf, base + FACT_WEIGHT * fact_share + NEW_SOURCE_WEIGHT * fresh_outlet)
        best = int(np.argmax(gain))
        chosen.append(best)
        told |= candidates[best].facts
        cited.add(corpus.outlet(candidates[best].article_id))
        blocked |= similarity[best] >= NEAR_REPEAT
        blocked[best] = True
    return chosen


def summarise(
    corpus: _Corpus,
    actors: Sequence[AccountActor],
    quotes: Sequence[AccountQuote],
    events: Sequence[AccountEvent],
    length: int,
) -> tuple[tuple[SummarySentence, ...], str | None]:
    """An extractive summary of `length` sentences and a story headline.

    Sentences are chosen one at a time for centrality (LexRank over tf-idf, leads first),
    salient facts not yet told (actors, quotes, events inside the sentence) and outlets
    not yet cited; a sentence too close to one already chosen is never taken.
    """
    everything = _sentences(corpus)
    candidates = []
    positions: Counter = Counter()
    for sentence in filter(lambda s: _is_candidate(s, corpus), everything):
        sentence.position = positions[sentence.article_id]
        positions[sentence.article_id] += 1
        if sentence.position < MAX_CANDIDATES_PER_ARTICLE:
            candidates.append(sentence)
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        vectors = vectorizer.fit_transform([s.text for s in candidates])
    except ValueError:  # no candidates, or nothing in them but stop words
        return (), None
    similarity = (vectors @ vectors.T).toarray()
    lead = np.array([1.0 / (1.0 + POSITION_DECAY * s.position) for s in candidates])
    base = _lexrank(similarity) * lead
    headline = _headline(corpus, vectorizer, vectors) or candidates[int(np.argmax(base))].text
    salience = _attach_facts(candidates, actors, quotes, events)
    chosen = _select(candidates, corpus, base, similarity, salience, length)

    # cite every article carrying the chosen sentence, syndicated copies included
    everywhere = vectorizer.transform([s.text for s in everything])
    summary = []
    for index in sorted(chosen, key=lambda i: (corpus.order[candidates[i].article_id], candidates[i].start)):
        sentence = candidates[index]
        closeness = (everywhere @ vectors[index].T).toarray().ravel()
        best_elsewhere: dict[str, tuple[float, _Sentence]] = {}
        for other, score in zip(everything, closeness):
            if other.article_id != sentence.article_id and score >= SAME_SENTENCE:
                if score > best_elsewhere.get(other.article_id, (0.0, other))[0]:
                    best_elsewhere[other.article_id] = (score, other)
        citations = [corpus.cite(sentence.article_id, sentence.start, sentence.end)]
        for article_id in corpus.in_order(best_elsewhere):
            other = best_elsewhere[article_id][1]
            citations.append(corpus.cite(article_id, other.start, other.end))
        summary.append(SummarySentence(sentence.text, tuple(citations)))
    return tuple(summary), headline


def _headline(corpus: _Corpus, vectorizer: TfidfVectorizer, vectors) -> str | None:
    """The article title closest to what the whole story says."""
    titles = [" ".join(s.article.title.split()) for s in corpus.by_id.values() if s.article.title]
    if not titles:
        return None
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    scores = vectorizer.transform(titles) @ centroid
    return titles[int(np.argmax(scores))]


# ---- the account --------------------------------------------------------------------


def account(story: Story, articles: list[StoredArticle], summary_sentences: int = 5) -> Account:
    """Everything the story's articles say, merged across outlets, with the source of every item.

    The story gives the account its id and headline; all else comes from `articles`, the
    story's stored articles."""
    corpus = _Corpus(articles)
    actors = _Actors(corpus, merge_actors(corpus))
    quotes = merge_quotes(corpus, actors)
    events = merge_events(corpus, actors)
    actor_records = actors.records(quotes, events)
    summary, headline = summarise(corpus, actor_records, quotes, events, summary_sentences)
    dated = [s.article.published for s in corpus.stored if s.article.published]  # in publication order
    return Account(
        id=story.id,
        # the story list's headline when the articles have titles, so that a story is called
        # one thing everywhere; else the summary's most central sentence
        headline=story.headline or headline,
        articles=tuple(
            AccountArticle(a.id, a.title, a.source, a.published, a.url, corpus.by_id[a.id].duplicate_of)
            for a in (s.article for s in corpus.stored)
        ),
        outlets=tuple(sorted({s.article.source for s in corpus.stored if s.article.source})),
        first=dated[0] if dated else None,
        last=dated[-1] if dated else None,
        actors=actor_records,
        quotes=quotes,
        events=events,
        timeline=build_timeline(corpus, events),
        coverage=build_coverage(corpus, actor_records, quotes, events),
        summary=summary,
    )
