"""Date shifting keeps each date's written form; year-only keeps the year."""

from __future__ import annotations

import pytest

from medfoundry.deid.dateshift import shift_date, year_of

CASES = [
    ("7/22", -40, "6/12"),
    ("07/22/2019", -40, "06/12/2019"),
    ("7-22-19", -40, "6-12-19"),
    ("July 22", -40, "June 12"),
    ("JULY 22, 2019", -40, "JUNE 12, 2019"),
    ("22-Jul-19", -40, "12-Jun-19"),
    ("2019-07-22", -40, "2019-06-12"),
    ("2019-07-22T10:22:16-05:00", -40, "2019-06-12T10:22:16-05:00"),
    ("2019-07", -40, "2019-06"),
    ("22nd", -40, "13th"),
    ("July 22nd, 2019", -40, "June 12th, 2019"),
    ("Jul. 22", -40, "Jun. 12"),
    ("7/2019", -40, "6/2019"),
    ("2020-01-10", -20, "2019-12-21"),
    ("07/22/2019 14:30", -1, "07/21/2019 14:30"),
]


@pytest.mark.parametrize(("value", "days", "expected"), CASES)
def test_shift_keeps_format(value: str, days: int, expected: str) -> None:
    assert shift_date(value, days) == expected


def test_unreadable_dates_are_refused() -> None:
    assert shift_date("02/30/2019", -1) is None
    assert shift_date("soon", -1) is None


@pytest.mark.parametrize(
    ("value", "year"),
    [("07/22/2019", "2019"), ("22-Jul-19", "2019"), ("July 22", None), ("2019-07-22T10:00:00Z", "2019")],
)
def test_year_of(value: str, year: str | None) -> None:
    assert year_of(value) == year
