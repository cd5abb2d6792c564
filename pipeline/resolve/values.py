"""The calendar value of one expression from its anchor and the clause's direction: dates, weekdays, months,
seasons, halves and quarters, ranges, holidays of any calendar, weeks of a month; granularity kept."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from pipeline import calendars, clause
from pipeline.records import Sentence, TimeExpr, TimeValue
from pipeline.timex.rules import TimexRules, tokens

_DAY = dt.timedelta(days=1)
# English names whatever the process locale (calendar.day_name follows the locale).
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")  # fmt: skip
# A month-day with no tense cue at all that is this close ahead, and half a year back otherwise, is ahead.
_NEAR_FUTURE_DAYS = 31
# A holiday this close ahead is the one a report means even in past narration ("announced a truce for Eid").
_HOLIDAY_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Anchor:
    date: dt.date
    label: str  # "publication (Sun 2020-05-03)" / "the statement 'on Saturday' (Sat 2020-05-02)"


@dataclass(frozen=True)
class Referent:
    value: TimeValue
    text: str
    sentence: str = ""  # the sentence it was said in: "the vote" may name what it dates ("voted on March 3")
    named: bool = False  # it names a past event ("the April 22 Pahalgam terror attack"), not the narrative's day


# --- calendar helpers ----------------------------------------------------------------------------


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + n
    return total // 12, total % 12 + 1


def _narrow(start: dt.date, end: dt.date, mod: str, anchor: dt.date | None) -> tuple[dt.date, dt.date]:
    """The part of [start, end] a modifier names: START/MID/END thirds, EARLIER/LATER than the anchor."""
    if mod in ("START", "MID", "END"):
        third = ((end - start).days + 1) // 3
        if mod == "START":
            return start, start + dt.timedelta(days=third - 1)
        if mod == "MID":
            return start + dt.timedelta(days=third), end - dt.timedelta(days=third)
        return end - dt.timedelta(days=third - 1), end
    if anchor and start <= anchor <= end:
        if mod == "EARLIER":
            return start, max(start, anchor - _DAY)
        if mod == "LATER":
            return min(end, anchor + _DAY), end
    return start, end


def period_of(unit: str, day: dt.date, shift: int) -> tuple[str, dt.date, dt.date, str]:
    """(value, start, end, granularity) of the week/weekend/month/quarter/year ``shift`` units from ``day``."""
    if unit in ("week", "weekend"):
        monday = day - dt.timedelta(days=day.isoweekday() - 1) + dt.timedelta(weeks=shift)
        iso = monday.isocalendar()
        if unit == "weekend":
            saturday, sunday = monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
            return f"{iso.year}-W{iso.week:02d}-WE", saturday, sunday, "week"
        return f"{iso.year}-W{iso.week:02d}", monday, monday + dt.timedelta(days=6), "week"
    if unit == "month":
        y, m = _add_months(day.year, day.month, shift)
        return f"{y}-{m:02d}", dt.date(y, m, 1), month_end(y, m), "month"
    if unit == "quarter":
        y, m = _add_months(day.year, (day.month - 1) // 3 * 3 + 1, 3 * shift)
        return f"{y}-Q{(m - 1) // 3 + 1}", dt.date(y, m, 1), month_end(*_add_months(y, m, 2)), "quarter"
    if unit == "year":
        y = day.year + shift
        return str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    moved = day + dt.timedelta(days=shift)
    return moved.isoformat(), moved, moved, "day"


def _safe_date(year: int, month: int, day: int) -> dt.date:
    """The date, or the month's last day when the day does not exist that year (Feb 29)."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _year_for(month: int, day: int, anchor: dt.date, direction: str) -> int:
    """The year of a month(-day) without one: the nearest in the clause's direction."""
    key, now = (month, day or 1), (anchor.month, anchor.day if day else 1)
    if direction == "forward":
        return anchor.year if key >= now else anchor.year + 1
    return anchor.year if key <= now else anchor.year - 1


# --- one expression ------------------------------------------------------------------------------

_GRANULARITY = {"date": "day", "numeric_date": "day", "year": "year", "decade": "decade", "weekday": "day",
                "century": "century", "half": "half", "this_day": "day", "holiday": "day",
                "deictic": "day", "season": "season", "quarter": "quarter", "range": "range"}  # fmt: skip
_ORD = {1: "first", 2: "second", 3: "third", 4: "fourth"}


def value_of(
    expr: TimeExpr, value: str, start: dt.date | None, end: dt.date | None, gran: str, basis: str, why: str
) -> TimeValue:
    mod = expr.field("mod")
    return TimeValue(value, start, end, gran, basis, f"{expr.text} → {value or '?'}: {why}",
                     mod if mod in ("START", "MID", "END") else "")  # fmt: skip


def unresolved_value(expr: TimeExpr, gran: str, why: str, value: str = "") -> TimeValue:
    return value_of(expr, value, None, None, gran, "unresolved", why)


def resolve_expression(
    expr: TimeExpr, sentence: Sentence, anchor: Anchor | None, referent: Referent | None, rules: TimexRules
) -> TimeValue:
    f = dict(expr.fields)
    kind = f["kind"]
    if f.get("since") or kind == "ago":
        direction, cue = "past", "since" if f.get("since") else "ago"
    elif _as_written(kind, f):
        direction, cue = "past", ""  # not read: a value as written needs no direction
    else:
        direction, cue = clause.direction(sentence, expr, rules)
    looking = f", looking forward ('{cue}')" if direction == "forward" else ""
    mod = f.get("mod", "")
    if kind in ("date", "numeric_date", "edge") and (f.get("month") or kind != "edge"):
        return _resolve_date(expr, f, anchor, (direction, cue), looking)
    if kind == "year" or (kind == "edge" and f.get("year") and not f.get("unit")):
        y = int(f["year"])
        start, end = _narrow(dt.date(y, 1, 1), dt.date(y, 12, 31), mod, None)
        return value_of(expr, str(y), start, end, "year", "explicit", f"the year {y}" + _mod_words(mod))
    if kind == "century":
        y = int(f["century"]) * 100
        start, end = _narrow(dt.date(max(1, y), 1, 1), dt.date(y + 99, 12, 31), mod, None)
        return value_of(expr, f["century"], start, end, "century", "explicit",
                      f"the century {y}-{y + 99}" + _mod_words(mod))  # fmt: skip
    if kind == "half" and f.get("year"):
        return _half(expr, int(f["year"]), int(f["half"]), "explicit", "as written")
    if kind == "this_day":
        y = int(f["year"])
        if anchor is None:
            return value_of(expr, str(y), dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "explicit",
                          f"this day of the year {y}, but no publication date gives the day")  # fmt: skip
        day = _safe_date(y, anchor.date.month, anchor.date.day)
        return value_of(expr, day.isoformat(), day, day, "day", "relative",
                      f"the month and day of {anchor.label} in {y}")  # fmt: skip
    if kind == "decade":
        y = int(f["decade"]) * 10
        start, end = _narrow(dt.date(y, 1, 1), dt.date(y + 9, 12, 31), mod, None)
        return value_of(expr, f["decade"], start, end, "decade", "explicit", f"the decade {y}s" + _mod_words(mod))
    if kind == "range" and f.get("y1"):
        y1, y2 = int(f["y1"]), int(f["y2"])
        return value_of(expr, f"{y1}/{y2}", dt.date(y1, 1, 1), dt.date(y2, 12, 31), "range", "explicit",
                      f"the years {y1} to {y2}")  # fmt: skip
    if kind == "season" and f.get("year"):
        return _season(expr, f, int(f["year"]), "explicit", "as written")
    if kind == "quarter" and f.get("year"):
        return _quarter(expr, int(f["year"]), int(f["quarter"]), "explicit", "as written")
    if kind == "anaphora":
        if f.get("clock") and (referent is None or referent.value.start is None and not yearless_day(referent.value)):
            return _clock_alone(expr, anchor)
        return _resolve_anaphora(expr, f, referent)
    if kind == "week_of_month" and (f.get("year") or f.get("month")):
        return _week_of_month(expr, f, anchor, direction, looking)
    if kind in ("holiday", "season") and not f.get("year") and not f.get("rel") and _generic(sentence, f, cue, rules):
        why = "a habit or a general truth, not a date" + ("" if cue else " (no tense in the clause)")
        return unresolved_value(expr, _GRANULARITY.get(kind, "day"), why)
    if kind == "holiday":
        return _resolve_holiday(expr, f, anchor, rules, (direction, cue), looking)
    if kind == "range":
        return _resolve_range(expr, f, anchor, direction, looking)
    gran = _GRANULARITY.get(kind, f.get("unit", "unknown"))
    if gran == "weekend":
        gran = "week"
    if anchor is None:
        return unresolved_value(expr, gran, "relative to a publication date the document does not have")
    a = anchor.date
    if kind == "weekday":
        return _resolve_weekday(expr, f, anchor, direction, looking)
    if kind == "deictic" and f.get("weekday"):
        ahead = "forward" if int(f["offset"]) > 0 else "past"  # "tomorrow Sunday": the Sunday ahead
        glossed = _resolve_weekday(expr, f, anchor, ahead, "")
        return glossed._replace(resolution=glossed.resolution + f" ('{expr.text}' is glossed as that day)")
    if kind in ("deictic", "ago") and f["unit"] == "day":
        day = a + dt.timedelta(days=int(f["offset"]))
        if f.get("word") == "overnight":
            why = f"the night before {anchor.label}, dated by the evening it began"
        else:
            why = f"{abs(int(f['offset']))} day(s) {'before' if int(f['offset']) < 0 else 'after'} {anchor.label}"
            why = why if int(f["offset"]) else f"the day of {anchor.label}"
        return value_of(expr, day.isoformat(), day, day, "day", "relative", why)
    if kind in ("period", "ago", "edge"):
        shift = {"last": -1, "this": 0, "next": 1}.get(f.get("rel", "this"), 0) if kind != "ago" else int(f["offset"])
        if f["unit"] == "weekend" and not f.get("rel"):  # "over the weekend": the one just past, or the coming one
            shift = (0 if a.isoweekday() >= 6 else -1) if direction == "past" else (1 if a.isoweekday() == 7 else 0)
        value, start, end, gran = period_of(f["unit"], a, shift)
        start, end = _narrow(start, end, mod, a)
        where = {-1: "the {u} before", 0: "the {u} of", 1: "the {u} after"}.get(shift, f"{abs(shift)} {{u}}s before")
        return value_of(expr, value, start, end, gran, "relative",
                      where.format(u=f["unit"]) + f" {anchor.label}" + _mod_words(mod))  # fmt: skip
    if kind == "season":
        return _season_relative(expr, f, a, anchor, direction, looking)
    if kind == "past_span":
        start = {"week": a - dt.timedelta(days=6), "month": _back_months(a, 1), "year": _back_months(a, 12)}[f["unit"]]
        return value_of(expr, f"{start.isoformat()}/{a.isoformat()}", start, a, f["unit"], "relative",
                      f"the {f['unit']} up to {anchor.label}")  # fmt: skip
    if kind == "half":
        y = a.year + {"last": -1, "this": 0, "next": 1}[f.get("year_rel") or "this"]
        return _half(expr, y, int(f["half"]), "relative", f"the year of {anchor.label}" if not f.get("year_rel")
                     else f"the {f['year_rel']} year of {anchor.label}")  # fmt: skip
    if kind == "week_of_month":
        return _week_of_month(expr, f, anchor, direction, looking)
    if kind == "quarter":
        q = int(f["quarter"])
        if f.get("year_rel"):
            y = a.year + {"last": -1, "this": 0, "next": 1}[f["year_rel"]]
        else:
            y = _year_for(3 * q - 2, 1, a, direction)
        return _quarter(expr, y, q, "relative", f"the nearest such quarter to {anchor.label}{looking}")
    return unresolved_value(expr, gran, f"no rule to anchor a {kind}")


def _as_written(kind: str, f: dict[str, str]) -> bool:
    """Whether ``resolve_expression`` takes the expression as written (or from its referent), whatever the
    clause's direction."""
    if kind in ("year", "decade", "anaphora", "century", "this_day", "past_span", "range_end"):
        return True
    if kind == "edge":
        return bool(f.get("year")) and not f.get("unit") and not f.get("month")
    if kind == "range":
        return bool(f.get("y1"))
    return kind in ("season", "quarter") and bool(f.get("year"))


def _mod_words(mod: str) -> str:
    return {"START": " (its start)", "MID": " (its middle)", "END": " (its end)", "EARLIER": " (earlier part)",
            "LATER": " (later part)"}.get(mod, "")  # fmt: skip


def _resolve_date(
    expr: TimeExpr, f: dict[str, str], anchor: Anchor | None, toward: tuple[str, str], looking: str
) -> TimeValue:
    direction, cue = toward
    month, day = int(f["month"]), int(f.get("day", "0"))
    gran = "day" if day else "month"
    mod = f.get("mod", "")
    note = ""
    if f.get("ambiguous"):  # 5/3/2020: say which reading was taken and what the other one gives
        first, other = ("month", "day") if f["order"] == "MDY" else ("day", "month")
        swapped = f"{f.get('year', 'XXXX')}-{day:02d}-{month:02d}"
        note = f", read {first}-first ({f['order']}); ambiguous: {other}-first it would be {swapped}"
    if f.get("named"):  # "9/11": the year is not written, the event is known by its date
        year, basis, why = int(f["year"]), "explicit", "an event known by its date (world knowledge, not written)"
    elif f.get("year"):
        year, basis, why = int(f["year"]), "explicit", "as written" + note
    elif anchor is None:
        md = f"XXXX-{month:02d}" + (f"-{day:02d}" if day else "")
        return unresolved_value(expr, gran, "no year written and no publication date: the year is not guessed", md)
    else:
        a = anchor.date
        rel = f.get("rel") or f.get("year_rel", "")
        if f.get("year_rel"):
            year = a.year + {"last": -1, "this": 0, "next": 1}[f["year_rel"]]
            why = f"the {f['year_rel']} year of {anchor.label}"
        elif rel == "last":
            year = a.year if month < a.month else a.year - 1
            why = f"the {_MONTH_NAMES[month - 1]} before {anchor.label}"
        elif rel == "next":
            year = a.year if month > a.month else a.year + 1
            why = f"the {_MONTH_NAMES[month - 1]} after {anchor.label}"
        elif rel == "this":
            year, why = a.year, f"the year of {anchor.label}"
        else:
            year = _year_for(month, day, a, direction)
            side = "on or after" if direction == "forward" else "on or before"
            why = f"no year written: the nearest {side} {anchor.label}{looking}"
            if direction == "past" and not cue and not f.get("since") and day:
                ahead = _year_for(month, day, a, "forward")
                if (dt.date(ahead, month, day) - a).days <= _NEAR_FUTURE_DAYS < (a - _safe_date(year, month, day)).days:
                    year = ahead
                    why = f"no year written and no tense in the clause: the nearest to {anchor.label}, just ahead"
        basis = "relative"
    if day:
        try:
            when = dt.date(year, month, day)
        except ValueError:
            return unresolved_value(expr, gran, f"{year}-{month:02d}-{day:02d} is not a calendar date")
        if f.get("weekday") and int(f["weekday"]) != when.isoweekday():
            why += f"; the weekday written does not match ({DAY_NAMES[when.weekday()]})"
        return value_of(expr, when.isoformat(), when, when, "day", basis, why)
    start, end = _narrow(dt.date(year, month, 1), month_end(year, month), mod, None)
    return value_of(expr, f"{year}-{month:02d}", start, end, "month", basis, why + _mod_words(mod))


def _resolve_weekday(expr: TimeExpr, f: dict[str, str], anchor: Anchor, direction: str, looking: str) -> TimeValue:
    a, wd = anchor.date, int(f["weekday"])
    name = DAY_NAMES[wd - 1]
    rel = f.get("rel", "")
    back_same = (a.isoweekday() - wd) % 7  # days back to the same weekday, 0 if the anchor is one
    if rel == "last":
        day = a - dt.timedelta(days=back_same or 7)
        why = f"the {name} before {anchor.label}"
    elif direction == "forward" and back_same == 0 and not rel:
        day = a  # "will meet on Sunday", "later on Wednesday" in an article of that day: a week ahead is "next Sunday"
        why = f"the {name} of {anchor.label} itself ('{expr.text}'){looking}"
    elif rel == "next" or (direction == "forward" and rel != "this"):
        day = a + dt.timedelta(days=(wd - a.isoweekday() - 1) % 7 + 1)
        why = f"the next {name} after {anchor.label}{looking}"
    elif rel == "this" and direction == "forward":
        day = a + dt.timedelta(days=(wd - a.isoweekday()) % 7)
        why = f"this coming {name} from {anchor.label}{looking}"
    else:
        day = a - dt.timedelta(days=back_same)
        why = f"the {name} of {anchor.label} itself" if back_same == 0 else f"the {name} before {anchor.label}"
    return value_of(expr, day.isoformat(), day, day, "day", "relative", why)


def _clock_alone(expr: TimeExpr, anchor: Anchor | None) -> TimeValue:
    """A time of day before any day of the narrative ("The meeting took place at 10:30 local time."): no day of its
    own, as a sentence without a date (dated by publication, ``reported``)."""
    if anchor is None:
        return value_of(expr, "", None, None, "unknown", "reported", "a time of day alone, and no publication date")
    day = anchor.date
    return value_of(expr, day.isoformat(), day, day, "day", "reported",
                    f"a time of day alone, no day named before it: dated by {anchor.label}")  # fmt: skip


def yearless_day(value: TimeValue) -> bool:
    """A day and month the date stage could not give a year ("on Saturday, August 24" on an undated page:
    ``XXXX-08-24``)."""
    return value.start is None and len(value.value) == 10 and value.value.startswith("XXXX-") and (
        value.value[5:7].isdigit() and value.value[8:].isdigit())


def _resolve_anaphora(expr: TimeExpr, f: dict[str, str], referent: Referent | None) -> TimeValue:
    unit, offset = f["unit"], int(f.get("offset", "0"))
    if referent is not None and yearless_day(referent.value):
        if offset == 0 and unit == "day":  # "On that day": the same day, its year no better known
            why = f"the same day as '{referent.text}' ({referent.value.value}) earlier in the narrative, year unknown"
            return unresolved_value(expr, "day", why, referent.value.value)
        referent = None
    if referent is None or referent.value.start is None:
        return unresolved_value(expr, unit, "refers back to a date, but no earlier date in the narrative is known")
    ref = referent.value
    base = ref.start if ref.granularity == "day" or unit != "day" else None
    if base is None:
        return unresolved_value(
            expr, unit, f"refers back to a day, but the last date ('{referent.text}') is a {ref.granularity}"
        )
    value, start, end, gran = period_of(unit, base, offset)
    rel = "the same" if offset == 0 else f"{abs(offset)} {unit}(s) {'after' if offset > 0 else 'before'}"
    why = f"{rel} {unit if offset == 0 else ''} as '{referent.text}' ({ref.value}) earlier in the narrative"
    return value_of(expr, value, start, end, gran, "relative", " ".join(why.split()))


def _season_bounds(year: int, first_month: int) -> tuple[dt.date, dt.date]:
    end_y, end_m = _add_months(year, first_month, 2)
    return dt.date(year, first_month, 1), month_end(end_y, end_m)


def _season(expr: TimeExpr, f: dict[str, str], year: int, basis: str, why: str) -> TimeValue:
    start, end = _season_bounds(year, int(f["season_month"]))
    start, end = _narrow(start, end, f.get("mod", ""), None)
    return value_of(expr, f"{year}-{f['season']}", start, end, "season", basis,
                  f"{why}: {start.isoformat()} to {end.isoformat()}")  # fmt: skip


def _season_relative(
    expr: TimeExpr, f: dict[str, str], a: dt.date, anchor: Anchor, direction: str, looking: str
) -> TimeValue:
    first = int(f["season_month"])
    this = a.year - 1 if first == 12 and a.month < 3 else a.year
    rel = f.get("rel", "this")
    if f.get("bare") and direction == "forward":  # "in the summer" ahead: the one under way or the next
        year = this if _season_bounds(this, first)[1] >= a else this + 1
        why = f"the nearest such season not over at {anchor.label}{looking}"
    elif f.get("bare"):  # looking back: the one under way or the last
        year = this if _season_bounds(this, first)[0] <= a else this - 1
        why = f"the nearest such season begun by {anchor.label}"
    elif rel == "last":
        year = this if _season_bounds(this, first)[1] < a else this - 1
        why = f"the last such season ended before {anchor.label}"
    elif rel == "next":
        year = this if _season_bounds(this, first)[0] > a else this + 1
        why = f"the next such season after {anchor.label}"
    else:
        year, why = this, f"the season of the year of {anchor.label}"
    return _season(expr, f, year, "relative", why)


def _half(expr: TimeExpr, year: int, h: int, basis: str, why: str) -> TimeValue:
    start, end = dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h)
    return value_of(expr, f"{year}-H{h}", start, end, "half", basis,
                  f"the {('first', 'second')[h - 1]} half of {year}, {why}")  # fmt: skip


def _back_months(day: dt.date, n: int) -> dt.date:
    """The day after the same day ``n`` months back: the first day of the month (or year) up to ``day``."""
    y, m = _add_months(day.year, day.month, -n)
    return _safe_date(y, m, day.day) + _DAY


def _generic(sentence: Sentence, f: dict[str, str], cue: str, rules: TimexRules) -> bool:
    """Whether a bare season or holiday names a habit ("every year … in the spring", "usually … during Ramadan").

    A bare season in a clause with no tense cue at all ("schools close in the summer") is one too.
    """
    if any(t in rules.habitual for t in tokens(sentence.text)):
        return True
    return bool(f.get("bare")) and not cue  # a season with no tense at all: "schools close in the summer"


def _quarter(expr: TimeExpr, year: int, q: int, basis: str, why: str) -> TimeValue:
    start = dt.date(year, 3 * q - 2, 1)
    return value_of(expr, f"{year}-Q{q}", start, month_end(year, 3 * q), "quarter", basis,
                  f"the {_ORD[q]} quarter of {year}, {why}")  # fmt: skip


def _resolve_range(expr: TimeExpr, f: dict[str, str], anchor: Anchor | None, direction: str, looking: str) -> TimeValue:
    m1, m2 = int(f["m1"]), int(f["m2"])
    d1, d2 = int(f.get("d1", "0")), int(f.get("d2", "0"))
    if not f.get("year") and anchor is None:
        ends = [f"XXXX-{m:02d}" + (f"-{d:02d}" if d else "") for m, d in ((m1, d1), (m2, d2))]
        return unresolved_value(
            expr, "range", "no year written and no publication date: the year is not guessed", "/".join(ends)
        )
    if f.get("year"):
        y2 = int(f["year"])
        y1 = y2 - 1 if (m1, d1) > (m2, d2) else y2
        basis, why = "explicit", "as written"
    else:
        assert anchor is not None
        y1 = _year_for(m1, d1, anchor.date, direction)
        y2 = y1 + 1 if (m1, d1) > (m2, d2) else y1
        side = "after" if direction == "forward" else "before"
        basis, why = "relative", f"no year written: the nearest on or {side} {anchor.label}{looking}"
    try:
        start = dt.date(y1, m1, d1 or 1)
        end = dt.date(y2, m2, d2) if d2 else month_end(y2, m2)
    except ValueError:
        return unresolved_value(expr, "range", "not a calendar range")
    if d1:
        value = f"{start.isoformat()}/{end.isoformat()}"
    else:
        value = f"{y1}-{m1:02d}/{y2}-{m2:02d}"
    return value_of(expr, value, start, end, "range", basis, why)


def _resolve_holiday(
    expr: TimeExpr, f: dict[str, str], anchor: Anchor | None, rules: TimexRules, toward: tuple[str, str], looking: str
) -> TimeValue:
    """A holiday of another calendar ("Eid al-Adha", "Nowruz", "Ramadan"): its day, or its month, for the year meant."""
    direction, cue = toward
    spec = rules.calendar[f["holiday"]]
    whole = spec.span == "month" and not f.get("first")
    gran = "range" if whole else "day"
    where = "" if spec.calendar in ("easter", "orthodox_easter") else f" ({_CALENDAR_NAMES[spec.calendar]} calendar)"
    name = f"the month of {f['holiday']}" if whole else f["holiday"]
    if f.get("hday"):
        name = f"day {f['hday']} of {name}"
    elif spec.span == "month" and not whole:
        name = f"the first day of {name}"
    shift = dt.timedelta(days=int(f.get("hday", "1")) - 1)  # "27 Ramadan": that day of the month
    if f.get("year"):
        found = [_holiday_days(o, whole, shift) for o in calendars.occurrences(spec, int(f["year"]))]
        if not found:
            return unresolved_value(expr, gran, f"no date of {f['holiday']} known for {f['year']}{where}")
        (start, end), basis, why = found[0], "explicit", f"{name} in {f['year']}, as written{where}"
    elif anchor is None:
        return unresolved_value(expr, gran, "no year written and no publication date: the year is not guessed")
    else:  # the nearest in the clause's direction; one just ahead is ahead
        a = anchor.date
        days = [_holiday_days(o, whole, shift) for o in calendars.near(spec, a)]
        ahead = [d for d in days if d[1] >= a][:1]
        back = [d for d in days if d[0] <= a][-1:]
        near, side = (ahead, "on or after") if direction == "forward" else (back, "on or before")
        gap_back = (a - back[0][0]).days if back else 366
        soon = (ahead[0][0] - a).days if ahead else 366
        if direction == "past" and 0 < soon and not cue and soon <= _NEAR_FUTURE_DAYS < gap_back:
            near, side, looking = ahead, "after", " (no tense in the clause, just ahead)"
        elif direction == "past" and 0 < soon <= _HOLIDAY_AHEAD_DAYS and not f.get("since"):
            near, side, looking = ahead, "after", " (a holiday days ahead is the one meant, even in past narration)"
        if not near or abs((near[0][0] - a).days) > 366:
            return unresolved_value(expr, gran, f"no date of {f['holiday']} known near {anchor.label}{where}")
        (start, end), basis = near[0], "relative"
        why = f"{name}, the nearest {side} {anchor.label}{looking}{where}"
    if not whole:
        return value_of(expr, start.isoformat(), start, start, "day", basis, why)
    return value_of(expr, f"{start.isoformat()}/{end.isoformat()}", start, end, "range", basis,
                  f"{why}: {start.isoformat()} to {end.isoformat()}")  # fmt: skip


def _holiday_days(
    occurrence: tuple[dt.date, dt.date], whole: bool, shift: dt.timedelta
) -> tuple[dt.date, dt.date]:
    """The days an occurrence means: its whole span, or one day of it."""
    if whole:
        return occurrence
    day = occurrence[0] + shift
    return day, day


_CALENDAR_NAMES = {"hijri": "Umm al-Qura", "hebrew": "Hebrew", "persian": "Persian", "julian": "Julian"}


def _week_of_month(expr: TimeExpr, f: dict[str, str], anchor: Anchor | None, direction: str, looking: str) -> TimeValue:
    """ "the first week of March": days 1-7 (second 8-14...), "the last week": the month's last seven days."""
    month, year = int(f.get("month", "0")), int(f.get("year", "0"))
    basis, why = "explicit", "as written"
    if not month:  # "of the month", "of next month": the anchor is known (see resolve_expression)
        assert anchor is not None
        shift = {"last": -1, "this": 0, "next": 1}[f.get("rel") or "this"]
        year, month = _add_months(anchor.date.year, anchor.date.month, shift)
        basis, why = "relative", f"the month {('before', 'of', 'after')[shift + 1]} {anchor.label}"
    elif not year and anchor is None:
        basis, why = "unresolved", "no year written and no publication date: the year is not guessed"
    elif not year and anchor is not None:
        year = _year_for(month, 0, anchor.date, direction)
        side = "on or after" if direction == "forward" else "on or before"
        basis, why = "relative", f"no year written: the nearest {side} {anchor.label}{looking}"
    first = calendar.monthrange(year or 2001, month)[1] - 6 if f["week"] == "L" else 7 * int(f["week"]) - 6
    if not year:  # 2001 above: not a leap year, as no year is known
        return unresolved_value(expr, "week", why, f"XXXX-{month:02d}-{first:02d}/XXXX-{month:02d}-{first + 6:02d}")
    start, end = dt.date(year, month, first), dt.date(year, month, first + 6)
    return value_of(expr, f"{start.isoformat()}/{end.isoformat()}", start, end, "week", basis,
                  f"{why}: days {first} to {first + 6}")  # fmt: skip
