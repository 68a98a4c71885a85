"""Who an actor is: its country (ISO 3166-1 alpha-3) and sector.

Files of storyline's own, and one derived, in storyline/data/:
- `actor_knowledge.jsonl`: named bodies and people (G7 -> IGO; the Taliban -> AFG rebels;
  Downing Street -> GBR government), with their aliases;
- `countries.tsv`: country names, adjectives and demonyms, capitals (which stand for the
  government: "Beijing said") and other places -> ISO-3;
- `sectors.tsv`: role and group nouns -> sector (minister -> government, troops -> military),
  with a country for titles that belong to one (foreign secretary -> GBR);
- `agent_sectors.tsv`: some 3,100 generic agents derived from PETRARCH2's Phoenix agents (MIT,
  `scripts/build_agent_sectors.py`), read after `sectors.tsv`.

Names are matched with their capitals as written, so that "the Turkish" or "Niger" are
found and "nice" or "chad" are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..lexicons import jsonl, table

IGO = "IGO"
NGO = "NGO"
GOVERNMENT = "government"


@dataclass(frozen=True)
class Known:
    """What a name is known to stand for."""

    name: str  # the canonical name
    country: str | None
    sector: str | None
    kind: str  # actor | country | demonym | capital | place


@dataclass(frozen=True)
class Found:
    """A known name found in a stretch of text: [start, end) in that text."""

    start: int
    end: int
    known: Known


def _split(cell: str) -> list[str]:
    return [value.strip() for value in cell.split("|") if value.strip()]


@cache
def _names() -> dict[str, Known]:
    """Every surface form as written -> what it stands for; actors win over places."""
    names: dict[str, Known] = {}
    for row in table("countries.tsv"):
        iso3, country_names, demonyms, capitals = row[0], row[1], row[2], row[3] if len(row) > 3 else ""
        places = row[4] if len(row) > 4 else ""
        canonical = _split(country_names)[0]
        for kind, cell in (("country", country_names), ("demonym", demonyms), ("capital", capitals), ("place", places)):
            for form in _split(cell):
                names.setdefault(form, Known(canonical if kind == "country" else form, iso3, None, kind))
    for entry in jsonl("actor_knowledge.jsonl"):
        known = Known(entry["name"], entry.get("country"), entry.get("sector"), "actor")
        for form in (entry["name"], *entry.get("aliases", ())):
            names[form] = known
    return names


@cache
def _folded_names() -> dict[str, Known]:
    """Lower-cased lookup for whole names (a canonical actor name is matched whole)."""
    folded: dict[str, Known] = {}
    for form, known in _names().items():
        folded.setdefault(form.lower(), known)
    return folded


@cache
def _name_pattern() -> re.Pattern[str]:
    forms = sorted(_names(), key=len, reverse=True)  # longest first: "South Sudan" before "Sudan"
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(form) for form in forms) + r")(?![\w-])")


@dataclass(frozen=True)
class Sector:
    sector: str
    country: str | None
    weak: bool  # a generic head ("leader", "official") that any other sector word overrides


@cache
def _sectors() -> dict[str, Sector]:
    sectors = {}
    for row in table("sectors.tsv"):
        country = row[2] if len(row) > 2 and row[2] else None
        sectors[row[0]] = Sector(row[1].lstrip("~"), country, row[1].startswith("~"))
    # generic agents of PETRARCH2 ("riot police", "fisherman", "insurgent group"): storyline's own table wins
    for noun, sector in table("agent_sectors.tsv"):
        sectors.setdefault(noun, Sector(sector, None, False))
    return sectors


def _strip_article(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name.strip())


def lookup(name: str) -> Known | None:
    """What a whole name stands for ("G7", "the Taliban", "Britain", "Kabul"), if known."""
    name = _strip_article(name)
    return _names().get(name) or _folded_names().get(name.lower())


def find_known(text: str) -> list[Found]:
    """The known names in `text`, left to right, longest first where they overlap."""
    return [Found(m.start(), m.end(), _names()[m.group()]) for m in _name_pattern().finditer(text)]


def sector_of(words: str) -> Sector | None:
    """The sector of a role or group phrase ("deputy foreign minister", "riot police",
    "Afghan rebel leaders"): the longest known phrase ending nearest the end of `words`
    wins, as the head of an English noun phrase comes last, unless it is a weak generic
    head and another sector word stands before it."""
    tokens = re.findall(r"[\w'-]+", words.lower())
    sectors = _sectors()
    weak: Sector | None = None
    end = len(tokens)
    while end > 0:
        match = next(
            (
                (start, sectors[key])
                for start in range(end)
                for key in _phrase_keys(tokens[start:end])
                if key in sectors
            ),
            None,
        )
        if match is None:
            end -= 1
            continue
        start, sector = match
        if not sector.weak:
            return sector
        weak = weak or sector
        end = start
    return weak


def _phrase_keys(tokens: list[str]) -> tuple[str, ...]:
    phrase = " ".join(tokens)
    return (phrase, _singular(phrase))


def _singular(phrase: str) -> str:
    if phrase.endswith("ies"):
        return phrase[:-3] + "y"
    if phrase.endswith(("ches", "shes", "sses")):
        return phrase[:-2]
    if phrase.endswith("s") and not phrase.endswith("ss"):
        return phrase[:-1]
    return phrase


def code_actor(name: str, type: str, role: str | None) -> tuple[str | None, str | None]:
    """(country, sector) of an article's actor, each None where unknown.

    `type` is the spaCy-style entity type (PERSON, ORG, GPE, NORP). A known name gives
    both; otherwise the country comes from the first country word in the name or the
    role ("China's foreign minister", "Labour deputy leader") and the sector from the
    role's head noun, or from a body named in the role ("Labour" -> opposition) when that
    head is generic. A capital standing alone is its government speaking ("Beijing").
    """
    role_text = role or ""
    role_sector = sector_of(role_text) if role_text else None
    known = lookup(name)
    if known is not None:
        if known.kind == "capital" and type != "PERSON":
            return known.country, GOVERNMENT
        fallback = role_sector.sector if role_sector else None
        return known.country or (role_sector.country if role_sector else None), known.sector or fallback
    found = [f.known for f in find_known(f"{role_text} {name}")]
    name_sector = sector_of(name) if type in ("ORG", "NORP") else None
    return _combine(found, role_sector or name_sector)


def code_phrase(phrase: str, head_phrase: str) -> tuple[str | None, str | None]:
    """(country, sector) of a noun phrase found in a sentence ("Senior Hungarian and
    Romanian officials", "Opposition groups in Zimbabwe", "UN peacekeepers").

    `head_phrase` is the phrase up to and including its head noun ("Opposition groups"),
    which gives the sector; the first known name anywhere in the phrase gives the
    country. An international body named in the phrase makes it IGO or NGO.
    """
    head_known = lookup(head_phrase)
    if head_known is not None and head_known.kind == "capital":
        return head_known.country, GOVERNMENT
    found = [head_known] if head_known else [f.known for f in find_known(phrase)]
    return _combine(found, sector_of(head_phrase))


def _combine(found: list[Known], sector: Sector | None) -> tuple[str | None, str | None]:
    """A known body's IGO/NGO status beats the head noun's sector, which beats the
    body's other sectors unless the head noun is generic."""
    country = next((k.country for k in found if k.country), None) or (sector.country if sector else None)
    body = next((k.sector for k in found if k.sector), None)
    if body in (IGO, NGO) or (body and (sector is None or sector.weak)):
        return country, body
    return country, sector.sector if sector else None


def country_of_place(name: str) -> str | None:
    """ISO-3 of a country, capital or other known place named `name`."""
    known = lookup(name)
    return known.country if known and known.kind != "actor" else None


def is_country(name: str) -> bool:
    known = lookup(name)
    return known is not None and known.kind == "country"
