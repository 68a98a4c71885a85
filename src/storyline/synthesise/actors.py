"""Actors across a story's articles: equal names merge, surnames join the one full name the
story's facts allow, bodies join bodies their mentions name."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..entities import name_key
from ..records import AccountActor, AccountEvent, AccountQuote, Actor
from .corpus import Corpus, most_common, unique


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


def _genders(actor: Actor) -> set[str]:
    return {actor.gender} if actor.gender else set()


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


def merge_actors(corpus: Corpus) -> list[_ActorGroup]:
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


class StoryActors:
    """The merged actors of a story and the way from an article's actor id to them."""

    def __init__(self, corpus: Corpus, groups: list[_ActorGroup]):
        self.corpus = corpus
        self.groups: dict[str, _ActorGroup] = {}
        self.names: dict[str, str] = {}
        self.of: dict[tuple[str, str], str] = {}
        used: set[str] = set()
        by_name_key: dict[str, set[str]] = defaultdict(set)
        for group in sorted(groups, key=lambda g: min((corpus.order[a], a) for a in g.article_ids())):
            name = _preferred_name(group)
            account_id = unique(name_key(name), used)
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
                    type=most_common(actor.type for _, actor in members),
                    roles=tuple(spelled[role] for role, _ in roles.most_common()),
                    articles=article_ids,
                    mentions=len(citations),
                    country=most_common(actor.country for _, actor in members if actor.country),
                    sector=most_common(actor.sector for _, actor in members if actor.sector),
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
