"""One search syntax for both back-ends, rendered as an FTS5 query (SQLite) or a tsquery (PostgreSQL).

    strike port          both words (AND)
    "eastern basin"      the phrase
    strike OR walkout    either (OR binds tighter than AND: `port strike OR walkout` is
                         port AND (strike OR walkout))
    -ferry, NOT ferry    without the word (needs at least one word to look for)
    dock*                a word starting so

Words are runs of letters and digits, matched case-insensitively without stemming, as FTS5's
default tokenizer and PostgreSQL's `simple` configuration do. Whatever the user types, the
query is well formed: stray quotes or operators never reach the database as syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    groups: tuple[tuple[Term, ...], ...]  # every group must match; a group matches when one of its terms does
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse(text: str, syntax: bool = True) -> Query:
    """`text` as a query; without `syntax`, every word is simply required."""
    if not syntax:
        return Query(tuple((Term((word.lower(),)),) for word in WORD.findall(text)))
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = negate_next = False
    for match in TOKEN.finditer(text):
        phrase, bare = match.groups()
        if bare == "AND":  # what words do anyway
            continue
        if bare == "OR":
            join_next = bool(groups)
            continue
        if bare in ("NOT", "-"):
            negate_next = True
            continue
        negate = negate_next or (bare is not None and bare.startswith("-"))
        words = tuple(word.lower() for word in WORD.findall(phrase if phrase is not None else bare))
        negate_next = False
        if not words:
            continue
        term = Term(words, prefix=bare is not None and bare.endswith("*") and len(words) == 1)
        if negate:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return Query(tuple(tuple(group) for group in groups), tuple(excluded))


def fts5(query: Query) -> str:
    def term(item: Term) -> str:
        return '"' + " ".join(item.words) + '"' + ("*" if item.prefix else "")

    groups = ["(" + " OR ".join(map(term, group)) + ")" for group in query.groups]
    return " AND ".join(groups) + "".join(f" NOT {term(item)}" for item in query.excluded)


def tsquery(query: Query) -> str:
    """For `to_tsquery('simple', ...)`: lexemes quoted, so no word is read as an operator."""

    def term(item: Term) -> str:
        return " <-> ".join(f"'{word}'" for word in item.words) + (":*" if item.prefix else "")

    groups = ["(" + " | ".join(f"({term(item)})" for item in group) + ")" for group in query.groups]
    return " & ".join(groups + [f"!({term(item)})" for item in query.excluded])


def term_marks(query: Query, text: str, marks: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """`marks` in `text` (sorted character spans) reduced to matches of the query's terms.

    PostgreSQL's `ts_headline` marks every occurrence of every query word, a phrase word by
    word; FTS5 marks only matches. Here a run of marks with no word between them becomes one mark
    where it spells a phrase of the query (the longest run that does), a single mark stays where
    it is a word of the query, and the rest (a phrase's words met elsewhere) are dropped."""
    terms = [term for group in query.groups for term in group]
    words = [tuple(word.lower() for word in WORD.findall(text[start:end])) for start, end in marks]

    def spelled(found: tuple[str, ...]) -> bool:
        return any(
            found == term.words or (term.prefix and len(found) == 1 and found[0].startswith(term.words[0])) for term in terms
        )

    kept, first = [], 0
    while first < len(marks):
        last, found = None, ()
        for next_mark in range(first, len(marks)):
            if next_mark > first and WORD.search(text[marks[next_mark - 1][1] : marks[next_mark][0]]):
                break
            found += words[next_mark]
            if spelled(found):
                last = next_mark
        if last is not None:
            kept.append((marks[first][0], marks[last][1]))
        first = (last if last is not None else first) + 1
    return tuple(kept)
