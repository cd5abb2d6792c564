"""Holidays of other calendars for any year (pipeline/calendars.py), against dates known from outside the libraries."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline import calendars
from pipeline.calendars import HolidaySpec

EID_AL_FITR = HolidaySpec("hijri", 10, 1)
EID_AL_ADHA = HolidaySpec("hijri", 12, 10)
RAMADAN = HolidaySpec("hijri", 9, span="month")


@pytest.mark.parametrize(
    "spec, year, first",
    [
        # the first days announced in Saudi Arabia (the Umm al-Qura calendar agrees in these years)
        (EID_AL_FITR, 2017, "2017-06-25"), (EID_AL_FITR, 2020, "2020-05-24"), (EID_AL_FITR, 2023, "2023-04-21"),
        (EID_AL_FITR, 2025, "2025-03-30"), (EID_AL_ADHA, 2017, "2017-09-01"), (EID_AL_ADHA, 2020, "2020-07-31"),
        (EID_AL_ADHA, 2024, "2024-06-16"), (RAMADAN, 2021, "2021-04-13"),
        (HolidaySpec("persian", 1, 1), 2018, "2018-03-21"),  # Nowruz
        (HolidaySpec("persian", 1, 1), 2024, "2024-03-20"),  # a leap year of the equinox
        (HolidaySpec("julian", 12, 25), 2020, "2020-01-07"),  # Orthodox Christmas
        (HolidaySpec("easter"), 2019, "2019-04-21"), (HolidaySpec("orthodox_easter"), 2021, "2021-05-02"),
        (HolidaySpec("easter", offset=-2), 2019, "2019-04-19"),  # Good Friday
        (HolidaySpec("hebrew", 7, 10), 1973, "1973-10-06"),  # Yom Kippur
        (HolidaySpec("hebrew", 1, 15), 2020, "2020-04-09"),  # Passover
    ],
)  # fmt: skip
def test_known_first_days(spec: HolidaySpec, year: int, first: str) -> None:
    assert calendars.occurrences(spec, year)[0][0] == dt.date.fromisoformat(first)


def test_ramadan_is_its_whole_month() -> None:
    ((start, end),) = calendars.occurrences(RAMADAN, 2019)
    assert (start, end) == (dt.date(2019, 5, 6), dt.date(2019, 6, 3))


def test_a_lunar_holiday_may_come_twice_in_a_year() -> None:
    assert [s.isoformat() for s, _ in calendars.occurrences(EID_AL_FITR, 2000)] == ["2000-01-08", "2000-12-27"]


@pytest.mark.parametrize("year", [1900, 2095])
def test_outside_the_calendar_nothing_is_guessed(year: int) -> None:
    assert calendars.occurrences(EID_AL_FITR, year) == ()


def test_near_lists_three_years_in_order() -> None:
    days = [s for s, _ in calendars.near(EID_AL_ADHA, dt.date(2020, 8, 5))]
    assert days == sorted(days) and [d.year for d in days] == [2019, 2020, 2021]


@pytest.mark.parametrize(
    "item, message",
    [({"calendar": "mayan"}, "unknown calendar"), ({"calendar": "hijri", "span": "week"}, "span")],
)
def test_bad_spec_says_what_is_wrong(item: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calendars.spec_of(item)
