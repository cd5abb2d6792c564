"""Holidays of other calendars on the Gregorian calendar, for any year, from kept calendar libraries.

Islamic holidays come from the Umm al-Qura calendar (``hijridate``: 1343-1500 AH, about 1924-2077),
the civil calendar of Saudi Arabia, which most of the Arab world follows for the Eids (a country that
starts a day later is a day off); the Hebrew, Persian (Nowruz) and Julian (Orthodox Christmas)
calendars and Easter come from ``convertdate``. Which holiday lies where in its calendar is data
(``data/timex/words.toml``, ``[holidays.calendar]``); a year outside a library's range gives nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from typing import NamedTuple

CALENDARS = ("hijri", "hebrew", "persian", "julian", "easter", "orthodox_easter")


class HolidaySpec(NamedTuple):
    """Where a holiday lies: the month and day of its calendar, or days from Easter; one day or the whole month."""

    calendar: str
    month: int = 0
    day: int = 0
    offset: int = 0  # days after (Easter)
    span: str = "day"  # "day", or "month": the whole month of the calendar ("Ramadan")


def spec_of(item: dict[str, object]) -> HolidaySpec:
    """The spec of one entry of ``[holidays.calendar]``, or ValueError naming what is wrong."""
    calendar = str(item.get("calendar", ""))
    if calendar not in CALENDARS:
        raise ValueError(f"unknown calendar {calendar!r}: one of {', '.join(CALENDARS)}")
    span = str(item.get("span", "day"))
    if span not in ("day", "month"):
        raise ValueError(f"span {span!r}: 'day' or 'month'")
    return HolidaySpec(calendar, int(item.get("month", 0)), int(item.get("day", 0)), int(item.get("offset", 0)), span)  # type: ignore[call-overload]


@functools.lru_cache(maxsize=4096)
def occurrences(spec: HolidaySpec, year: int) -> tuple[tuple[dt.date, dt.date], ...]:
    """(first day, last day) of each occurrence that begins in the Gregorian ``year`` (a lunar one may come twice)."""
    found = []
    for start, end in _candidates(spec, year):
        if start.year == year:
            found.append((start, end))
    return tuple(sorted(set(found)))


def _candidates(spec: HolidaySpec, year: int) -> list[tuple[dt.date, dt.date]]:
    # Imported here: holidays are rare and convertdate costs ~40 ms to import, on every build otherwise.
    from convertdate import hebrew, holidays, julian, persian
    from hijridate import Gregorian, Hijri

    out: list[tuple[dt.date, dt.date]] = []
    if spec.calendar in ("easter", "orthodox_easter"):
        y, m, d = holidays.easter(year, church="orthodox" if spec.calendar == "orthodox_easter" else None)
        day = dt.date(y, m, d) + dt.timedelta(days=spec.offset)
        return [(day, day)]
    if spec.calendar == "hijri":
        try:
            first = Gregorian(year, 1, 1).to_hijri().year
        except (OverflowError, ValueError):
            return out
        for h in (first, first + 1):
            try:
                start = Hijri(h, spec.month, spec.day or 1).to_gregorian()
                if spec.span == "month":
                    ny, nm = (h + 1, 1) if spec.month == 12 else (h, spec.month + 1)
                    end = Hijri(ny, nm, 1).to_gregorian() - dt.timedelta(days=1)
                else:
                    end = start
            except (OverflowError, ValueError):
                continue
            out.append((dt.date(start.year, start.month, start.day), dt.date(end.year, end.month, end.day)))
        return out
    module, years = {"hebrew": (hebrew, (year + 3760, year + 3761)), "persian": (persian, (year - 622, year - 621)),
                     "julian": (julian, (year - 1, year))}[spec.calendar]  # fmt: skip
    for y in years:
        try:
            with warnings.catch_warnings():  # convertdate's hebrew module calls its own deprecated month_days
                warnings.simplefilter("ignore", DeprecationWarning)
                gy, gm, gd = module.to_gregorian(y, spec.month, spec.day or 1)
        except ValueError:
            continue
        day = dt.date(gy, gm, gd)
        out.append((day, day))
    return out


def near(spec: HolidaySpec, anchor: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Every occurrence beginning in the year before the anchor's, that year or the next, in order."""
    return [o for y in (anchor.year - 1, anchor.year, anchor.year + 1) for o in occurrences(spec, y)]
