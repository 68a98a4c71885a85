"""Date expressions of news text, resolved against the article's publication date.

News dates events relative to the day of publication: "on Thursday" is the most recent
Thursday on or before it, "yesterday" the day before, "last month" the previous month.
`parse_date` recognises one expression (the text of a spaCy DATE entity, say) and
`DateExpression.resolve` turns it into an ISO date ("2021-08-19"), month ("2021-07") or
year ("1988"). Without a publication date only expressions that carry their own year
resolve; the others resolve to None rather than to a guess.

Periods: a week is reported as the month its days mostly fall in (the record holds an ISO
date or month, and a week-number string would not sort with them); a weekend as its
Saturday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from ..lexicons import table

_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|[a-z]+")
_ORDINAL_SUFFIX = re.compile(r"(?<=\d)(?:st|nd|rd|th)$")


@cache
def _words() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2] if len(row) > 2 else "") for row in table("date_words.tsv")}


@dataclass(frozen=True)
class DateExpression:
    """One recognised date expression; the fields that are None were not said."""

    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    day_offset: int | None = None
    period: str | None = None  # week | weekend | month | year, with `shift`
    shift: int | None = None  # -1 last, 0 this, 1 next

    @property
    def names_a_day(self) -> bool:
        """Whether it names one day ("Thursday", "yesterday", "19 August"), not a longer span."""
        return self.day_offset is not None or self.weekday is not None or self.day is not None

    @property
    def absolute(self) -> bool:
        """Whether the expression names its year and so needs no publication date."""
        return self.year is not None

    def resolve(self, published: date | datetime | None) -> str | None:
        if isinstance(published, datetime):
            published = published.date()
        if self.year is not None:
            return _calendar_date(self.year, self.month, self.day)
        if published is None:
            return None
        if self.day_offset is not None:
            return (published + timedelta(days=self.day_offset)).isoformat()
        if self.month is not None and self.day is not None:
            return _nearest_month_day(self.month, self.day, published)
        if self.month is not None:
            return _month_relative(self.month, self.shift, published)
        if self.weekday is not None:
            return _weekday_relative(self.weekday, self.shift, published).isoformat()
        if self.period is not None:
            return _period_relative(self.period, self.shift or 0, published)
        return None


def parse_date(text: str) -> DateExpression | None:
    """The date expression `text` states, or None when it is not a point in time.

    Durations and vague spans ("two days", "the 1990s", "a decade") are not points in
    time and give None, as does anything with a word this parser does not know.
    """
    words = _words()
    fields: dict[str, int | str] = {}
    numbers: list[int] = []
    for token in _TOKEN.findall(text.lower().replace("'s", "")):
        if token[0].isdigit():
            numbers.append(int(_ORDINAL_SUFFIX.sub("", token)))
            continue
        kind, value = words.get(token, ("", ""))
        if kind == "filler":
            continue
        if not kind or kind in fields:
            return None
        fields[kind] = value if kind == "period" else int(value)
    expression = _from_fields(text, fields, numbers)
    return expression if expression is not None and _is_valid(expression) else None


def resolve_date(text: str, published: date | datetime | None) -> str | None:
    """ISO date, month or year of a date expression; None if unrecognised or unresolvable."""
    expression = parse_date(text)
    return expression.resolve(published) if expression else None


def _from_fields(text: str, fields: dict[str, int | str], numbers: list[int]) -> DateExpression | None:
    if len(numbers) > 2:
        return None
    year = next((n for n in numbers if n >= 1000), None)
    days = [n for n in numbers if n < 1000]
    if len(days) > 1 or (days and "month" not in fields):
        return None
    month = fields.get("month")
    day = days[0] if days else None
    shift = fields.get("shift")
    if "day" in fields:
        if len(fields) > 1 or numbers:
            return None
        return DateExpression(text, day_offset=int(fields["day"]))
    if month is not None:
        if "period" in fields or (shift is not None and (day is not None or year is not None)):
            return None
        # a weekday beside a full date ("Tuesday, 17 August") adds nothing
        return DateExpression(text, year=year, month=int(month), day=day, shift=shift)
    if year is not None:
        return DateExpression(text, year=year) if not fields else None
    if "weekday" in fields:
        if "period" in fields:
            return None
        return DateExpression(text, weekday=int(fields["weekday"]), shift=shift)
    if "period" in fields:
        return DateExpression(text, period=str(fields["period"]), shift=shift) if shift is not None else None
    if shift == 0:  # "this morning", "this evening": the fillers are gone, the day is today
        return DateExpression(text, day_offset=0)
    return None


def _is_valid(expression: DateExpression) -> bool:
    if expression.day is None:
        return True
    try:
        date(expression.year or 2000, expression.month or 1, expression.day)  # 2000: a leap year
    except ValueError:
        return False
    return True


def _calendar_date(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return date(year, month, day).isoformat()


def _nearest_month_day(month: int, day: int, published: date) -> str | None:
    """The year is the one that puts the date nearest publication (past wins a tie)."""
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    return min(candidates, key=lambda d: (abs((d - published).days), d > published)).isoformat()


def _month_relative(month: int, shift: int | None, published: date) -> str:
    """A bare or "last" month is the most recent one (a "last" month strictly before the
    current one); "next" is the coming one; "this" is the one of the publication year."""
    year = published.year
    if shift == 1:
        year += month <= published.month
    elif shift == -1:
        year -= month >= published.month
    elif shift is None:
        year -= month > published.month
    return f"{year:04d}-{month:02d}"


def _weekday_relative(weekday: int, shift: int | None, published: date) -> date:
    """A bare or "this" weekday is the most recent such day on or before publication;
    "last" is the most recent one before it; "next" the first one after it."""
    back = (published.weekday() - weekday) % 7
    if shift == 1:
        return published + timedelta(days=7 - back)
    if shift == -1 and back == 0:
        back = 7
    return published - timedelta(days=back)


def _period_relative(period: str, shift: int, published: date) -> str:
    if period == "year":
        return f"{published.year + shift:04d}"
    if period == "month":
        month_index = published.year * 12 + published.month - 1 + shift
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if period == "weekend":
        last_saturday = published - timedelta(days=(published.weekday() - 5) % 7)
        return (last_saturday + timedelta(weeks=shift)).isoformat()
    # a week: the month of its Thursday, which holds most of its days (as ISO 8601 does)
    thursday = published - timedelta(days=published.weekday()) + timedelta(days=3, weeks=shift)
    return f"{thursday.year:04d}-{thursday.month:02d}"
