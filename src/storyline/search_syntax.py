"""Search words as users type them, made into a safe SQLite FTS5 query.

Understood: words (each required), "a phrase" in double quotes, OR and AND between terms, and
NOT or a leading minus (`-word`) before a term to exclude it. As in FTS5 (and the library's
`Storyline.search`), NOT binds tightest, then AND, then OR: `raab taliban OR kabul` finds
articles with both raab and taliban, or with kabul. Everything else is literal text: each
term reaches FTS5 quoted, and operators only between terms, so no input makes the query fail.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
OPERATORS = ("AND", "OR", "NOT")


def _quoted(term: str) -> str:
    return '"' + term + '"'


def _clean(term: str) -> str:
    """The term without quotation marks and control characters (NUL ends an SQLite string)."""
    return " ".join("".join(c for c in term if c != '"' and (c.isprintable() or c.isspace())).split())


def _has_word(term: str) -> bool:
    # FTS5's tokenizer keeps letters and digits; a term of punctuation alone matches nothing
    return any(character.isalnum() for character in term)


def fts_query(text: str) -> str:
    """The FTS5 query for `text`; empty when it holds no word."""
    parts: list[str] = []  # alternating term, operator, term ...
    pending = "AND"
    for match in _TOKEN.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word in OPERATORS:
            # an operator between two terms; AND NOT is NOT (FTS5's binary NOT)
            pending = "NOT" if word == "NOT" or pending == "NOT" else word
            continue
        negated = False
        if phrase is None and word.startswith("-") and len(word) > 1:
            negated, word = True, word[1:]
        term = _clean(phrase if phrase is not None else word)
        if not _has_word(term):
            continue
        operator = "NOT" if negated else pending
        if parts:
            parts.append(operator)
        elif operator == "NOT":
            continue  # nothing to exclude it from
        parts.append(_quoted(term))
        pending = "AND"
    return " ".join(parts)
