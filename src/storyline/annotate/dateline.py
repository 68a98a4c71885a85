"""The dateline that opens a wire report: "LONDON, Aug 16 (Reuters) -", "KABUL —".

It names where the report was filed and who filed it, not anyone acting in the story,
so the names in it are kept out of the article's actors (otherwise every report of one
agency would share the agency, and every report filed in one city the city).
"""

from __future__ import annotations

import re

DATELINE = re.compile(
    r"""
    \A\s*
    [A-Z][A-Z'’.\-]+(?:\ [A-Z][A-Z'’.\-]+){0,3}   # the place in capitals: LONDON, NEW YORK, ST. LOUIS
    (?:,\ [^,()\n—–]{1,30}){0,2}                   # then its country, state or date: ", Vestria", ", Aug 16"
    (?:\ ?\([^()\n]{1,40}\))?                      # the agency: "(Reuters)", "(AP)"
    \ ?(?:—|–|--|-)\ +                             # and the dash before the story begins
    """,
    re.VERBOSE,
)
MIN_PLACE_LETTERS = 3  # "A -" or "US -" is no dateline


def dateline_end(text: str) -> int:
    """Character offset just past the text's opening dateline, or 0 when it has none."""
    match = DATELINE.match(text)
    if match is None:
        return 0
    place = match.group().lstrip().split(",")[0].split("(")[0]
    if sum(ch.isalpha() for ch in place) < MIN_PLACE_LETTERS:
        return 0
    return match.end()
