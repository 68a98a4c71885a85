"""Who an article's actor is across the whole store: linked to a store-wide entity only on evidence.

An actor's name is never enough for a person: two people who share a name in unrelated stories
are two entities. A person joins an entity of the same name and type when the evidence for it
outweighs the evidence against:

- the same story (+3): a story's reports are about the same people;
- actors seen with it (+2 each, at most +4): the same co-actors, by name;
- a compatible role (+2; +1 more when the role is the same): "Foreign Minister" and "minister";
- the same country (+1).

A different country, or roles with no word in common when neither the story nor a co-actor ties
them, rule an entity out. A body or place (ORG, GPE, NORP) joins the entity of its name unless its
country contradicts it. Ties between entities leave the actor a new entity of its own. Entity ids
are slugs of the first name seen ("elena-marsh", then "elena-marsh-2"), so they are stable as long
as the store is built in the same order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .records import Actor

SAME_STORY = 3
SHARED_COMPANION = 2
MAX_COMPANION_EVIDENCE = 4
COMPATIBLE_ROLE = 2
SAME_ROLE = 1
SAME_COUNTRY = 1
MIN_PERSON_EVIDENCE = 2  # a role, a co-actor or the story: a country alone is not enough
ROLE_FILLER = {"the", "of", "for", "and", "a", "an", "to", "in", "on", "former", "deputy", "acting", "senior"}


@dataclass(frozen=True)
class EntityProfile:
    """What the store knows of an entity, as evidence for linking an actor to it."""

    id: str
    type: str
    countries: frozenset[str]
    roles: frozenset[str]
    stories: frozenset[str]
    companions: frozenset[str]  # name keys of the actors seen in its articles


def name_key(name: str) -> str:
    """A name folded for comparison: 'The Taliban', 'taliban' and 'TALIBAN' are one key."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"^the\s+", "", folded.strip())
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-") or name.strip().casefold()


def role_words(role: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", role.lower()) if w not in ROLE_FILLER)


def evidence(actor: Actor, profile: EntityProfile, story_id: str | None, companions: frozenset[str]) -> int | None:
    """How strongly the store's entity is this actor (None when something rules it out)."""
    if profile.type != actor.type:
        return None
    if actor.country and profile.countries and actor.country not in profile.countries:
        return None
    score = 0
    if story_id is not None and story_id in profile.stories:
        score += SAME_STORY
    score += min(SHARED_COMPANION * len(companions & profile.companions), MAX_COMPANION_EVIDENCE)
    if actor.role and profile.roles:
        words = role_words(actor.role)
        shared = [role for role in profile.roles if words & role_words(role)]
        if shared:
            score += COMPATIBLE_ROLE + (SAME_ROLE if any(role_words(r) == words for r in shared) else 0)
        elif score == 0:
            return None  # a baker is not a foreign minister, unless the story or company says so
    if actor.country and actor.country in profile.countries:
        score += SAME_COUNTRY
    return score


def link(actor: Actor, candidates: Iterable[EntityProfile], story_id: str | None, companions: frozenset[str]) -> str | None:
    """The id of the entity the actor is, or None when it is none of them (a new entity)."""
    scored = sorted(
        ((score, index, profile.id) for index, profile in enumerate(candidates)
         if (score := evidence(actor, profile, story_id, companions)) is not None),
        key=lambda item: (-item[0], item[1]),
    )
    if not scored:
        return None
    best = scored[0]
    if actor.type != "PERSON":
        return best[2]  # bodies and places: the name is the evidence; the oldest on a tie
    if best[0] < MIN_PERSON_EVIDENCE or (len(scored) > 1 and scored[1][0] == best[0]):
        return None
    return best[2]
