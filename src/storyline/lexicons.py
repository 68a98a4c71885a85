"""Loads the word lists and tables in storyline/data/ (language data is data, not code)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


def data_text(name: str) -> str:
    return resources.files("storyline.data").joinpath(name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    return [line.strip() for line in data_text(name).splitlines() if line.strip() and not line.startswith("#")]


@cache
def word_set(name: str) -> frozenset[str]:
    """A one-entry-per-line list, lower-cased."""
    return frozenset(line.lower() for line in _lines(name))


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated table without its comment lines."""
    return tuple(tuple(cell.strip() for cell in line.split("\t")) for line in _lines(name))


@cache
def jsonl(name: str) -> tuple[dict, ...]:
    return tuple(json.loads(line) for line in _lines(name))


@cache
def _country_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for row in table("countries.tsv"):
        iso3, *columns = row
        for column in columns[:3]:  # names, adjectives/demonyms, capitals
            for word in column.split("|"):
                if word:
                    codes.setdefault(word.lower(), iso3)
    return codes


def country_code(word: str) -> str | None:
    """ISO-3 code of a country named, or described by an adjective or demonym ("Chinese" -> CHN)."""
    return _country_codes().get(word.strip().lower().removesuffix("'s").removesuffix("’s"))
