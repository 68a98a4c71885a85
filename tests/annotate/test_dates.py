from datetime import date, datetime

import pytest

from storyline.annotate.dates import parse_date, resolve_date

THURSDAY = date(2021, 8, 19)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Thursday", "2021-08-19"),  # the publication day itself
        ("on Thursday", "2021-08-19"),
        ("Thursday's", "2021-08-19"),
        ("Thursday morning", "2021-08-19"),
        ("on Monday", "2021-08-16"),
        ("Friday", "2021-08-13"),  # the most recent Friday, a week back
        ("last Thursday", "2021-08-12"),
        ("next Thursday", "2021-08-26"),
        ("yesterday", "2021-08-18"),
        ("today", "2021-08-19"),
        ("this morning", "2021-08-19"),
        ("last week", "2021-08"),
        ("early next week", "2021-08"),
        ("last month", "2021-07"),
        ("next month", "2021-09"),
        ("last year", "2020"),
        ("in March", "2021-03"),
        ("last November", "2020-11"),
        ("September 29", "2021-09-29"),
        ("9 August", "2021-08-09"),
        ("Sept. 29, 2001", "2001-09-29"),
        ("March 2001", "2001-03"),
        ("in 1988", "1988"),
    ],
)
def test_resolved_against_publication(text, expected):
    assert resolve_date(text, THURSDAY) == expected


def test_a_datetime_publication_counts_by_its_day():
    assert resolve_date("yesterday", datetime(2021, 8, 19, 23, 30)) == "2021-08-18"


def test_the_year_turns_back_for_a_january_report():
    assert resolve_date("last month", date(2021, 1, 5)) == "2020-12"
    assert resolve_date("December 30", date(2021, 1, 5)) == "2020-12-30"


@pytest.mark.parametrize("text", ["Thursday", "yesterday", "last month", "September 29"])
def test_relative_expressions_need_a_publication_date(text):
    assert parse_date(text) is not None
    assert resolve_date(text, None) is None


def test_expressions_with_their_year_need_none():
    assert resolve_date("29 September 2001", None) == "2001-09-29"


@pytest.mark.parametrize("text", ["two days", "the 1990s", "a decade", "28-month-old", "fifteen years", "31 February"])
def test_spans_and_impossible_dates_are_not_points_in_time(text):
    assert parse_date(text) is None


def test_only_days_are_days():
    assert parse_date("on Thursday").names_a_day
    assert parse_date("yesterday").names_a_day
    assert not parse_date("last month").names_a_day
    assert not parse_date("in 2018").names_a_day
