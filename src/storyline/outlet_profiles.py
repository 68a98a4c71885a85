"""What users know about outlets: country, language, political lean, ownership.

Users supply the table (storyline ships none: such judgements are theirs to make), as CSV
(`.csv`) or TSV (any other name) with a header row naming its columns (docs/outlets.md):

    outlet,country,language,lean,ownership,domains,names
    Daily Ledger,VST,en,right,Ledger Media Group,dailyledger.com,The Ledger

`outlet` is required; the others may be empty or absent. `domains` and `names` ('|' between
values) map sites to the outlet as the outlet-name mapping does (docs/feeds.md). The story page
groups its coverage by lean or country, and "blind spots" are the stories that outlets of
only one lean (or country) reported.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StorylineError
from .outlets import read_user_table

if TYPE_CHECKING:
    from .records import Story

PROFILE_FIELDS = ("country", "language", "lean", "ownership")
MAPPING_FIELDS = ("domains", "names")
GROUPINGS = ("lean", "country", "language", "ownership")
UNKNOWN = "unknown"


@dataclass(frozen=True)
class OutletProfile:
    outlet: str
    country: str | None = None
    language: str | None = None
    lean: str | None = None
    ownership: str | None = None


@dataclass(frozen=True)
class OutletTable:
    """Outlet profiles by outlet name, and the site-to-outlet mapping the table gives."""

    profiles: Mapping[str, OutletProfile]
    mapping: Mapping[str, str]

    def value(self, outlet: str | None, field: str) -> str | None:
        profile = self.profiles.get(outlet or "")
        return getattr(profile, field) if profile else None


def is_profile_table(path: str | Path) -> bool:
    """A file whose first line (not a comment) is a header starting with `outlet`."""
    with Path(path).open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip() and not line.lstrip().startswith("#"):
                first = line.replace(",", "\t").split("\t")[0]
                return first.strip().lower() == "outlet"
    return False


def load_outlet_table(path: str | Path) -> OutletTable:
    """The table at `path`; a bad row stops with one line naming the file, line and reason."""
    path = Path(path)
    text = read_user_table(path, "outlets file")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines, delimiter="," if path.suffix.lower() == ".csv" else "\t")
    columns = [name.strip().lower() for name in reader.fieldnames or ()]
    if "outlet" not in columns:
        raise StorylineError(f"{path}:1: the header must name an 'outlet' column, got {columns}")
    unknown = set(columns) - {"outlet", *PROFILE_FIELDS, *MAPPING_FIELDS}
    if unknown:
        raise StorylineError(f"{path}:1: unknown columns {sorted(unknown)} (known: outlet, {', '.join(PROFILE_FIELDS + MAPPING_FIELDS)})")
    reader.fieldnames = columns
    profiles: dict[str, OutletProfile] = {}
    mapping: dict[str, str] = {}
    for row in reader:
        cells = {key: (value or "").strip() for key, value in row.items() if key}
        outlet = cells.get("outlet")
        if not outlet:
            raise StorylineError(f"{path}:{reader.line_num}: a row without an outlet")
        profiles[outlet] = OutletProfile(outlet, **{field: cells.get(field) or None for field in PROFILE_FIELDS})
        for field in MAPPING_FIELDS:
            mapping.update((key.strip(), outlet) for key in cells.get(field, "").split("|") if key.strip())
    return OutletTable(profiles, mapping)


@dataclass(frozen=True)
class Group:
    """One value of a grouping (a lean, a country) and the coverage under it."""

    value: str
    articles: int
    outlets: tuple[str, ...]


def coverage_by(table: OutletTable, article_outlets: Iterable[str | None], field: str) -> list[Group]:
    """Articles (one item per article: its outlet) grouped by the outlets' `field`, most first,
    with `unknown` (outlets the table does not describe) last."""
    articles: dict[str, int] = defaultdict(int)
    outlets: dict[str, set[str]] = defaultdict(set)
    for outlet in article_outlets:
        value = table.value(outlet, field) or UNKNOWN
        articles[value] += 1
        if outlet:
            outlets[value].add(outlet)
    return sorted(
        (Group(value, count, tuple(sorted(outlets[value]))) for value, count in articles.items()),
        key=lambda group: (group.value == UNKNOWN, -group.articles, group.value),
    )


def one_sided(groups: list[Group]) -> str | None:
    """The only known value when every described outlet of a story shares it, else None."""
    known = [group.value for group in groups if group.value != UNKNOWN]
    return known[0] if len(known) == 1 else None


def blind_spots(storyline, table: OutletTable, field: str = "lean") -> list[tuple[str, Story]]:
    """(side, story) for every story that outlets of one `field` value alone reported, while
    the store holds outlets of other values; the biggest stories first."""
    from .export import all_stories

    sides = {table.value(outlet, field) for outlet, _ in storyline.outlet_counts()} - {None}
    if len(sides) < 2:
        return []
    found = []
    for story in all_stories(storyline):
        side = one_sided(coverage_by(table, (a.source for a in story.articles), field))
        if side:
            found.append((side, story))
    return found
