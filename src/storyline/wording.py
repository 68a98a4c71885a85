"""Plain words for people reading the output: counts with their plural, actor types and
countries as words, dates without clock times that were never reported.

The CLI, the Markdown report and the web pages use these, so each says a thing one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

from .lexicons import table


def count(number: int, word: str, plural: str | None = None) -> str:
    """'1 article', '2 articles', '1 syndicated copy', '3 syndicated copies'."""
    if number == 1:
        return f"{number} {word}"
    if plural is None:
        plural = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return f"{number} {plural}"


@cache
def _actor_types() -> dict[str, str]:
    return {label: word for label, word in table("actor_types.tsv")}


def actor_type(label: str | None) -> str:
    """'GPE' -> 'country, city or state'; an unknown label as given."""
    return _actor_types().get(label or "", label or "")


@cache
def _country_names() -> dict[str, str]:
    return {row[0]: row[1].split("|")[0] for row in table("countries.tsv") if len(row) > 1}


def country(code: str | None) -> str:
    """'GBR' -> 'United Kingdom'; an unknown code as given."""
    return _country_names().get(code or "", code or "")


def day(value: date | datetime | str | None) -> str:
    """'2021-08-19' for a date, a datetime or an ISO string; '–' for none."""
    if value is None:
        return "–"
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def when(moment: str | None, dated_by: str) -> str:
    """A timeline entry's time: the event's own date, or 'reported 2021-08-19' when only the
    article's publication dates it (its clock time says when it was published, not when it happened)."""
    if not moment:
        return "undated"
    if dated_by == "article":
        return f"reported {day(moment)}"
    return moment[:16].replace("T", " ")


def articles_and_outlets(outlets: Iterable[str | None]) -> str:
    """'3 articles from 2 outlets', '2 articles, outlets unknown', '4 articles from 2 outlets
    (1 of unknown outlet)': one item per article, None where its outlet is unknown."""
    outlets = list(outlets)
    known = {outlet for outlet in outlets if outlet}
    unknown = sum(1 for outlet in outlets if not outlet)
    articles = count(len(outlets), "article")
    if not known:
        return f"{articles}, outlet unknown" if len(outlets) == 1 else f"{articles}, outlets unknown"
    unknown_part = f" ({unknown} of unknown outlet)" if unknown else ""
    return f"{articles} from {count(len(known), 'outlet')}{unknown_part}"
