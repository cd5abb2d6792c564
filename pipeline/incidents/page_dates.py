"""A row's date from its own page, where the date stage left it unresolved: the year the page's dates written
without one most likely have (``document_years``) and the days it writes in full (``document_days``), which its
days and months without a year (``anchored_day``, ``anchored_month``) and its weekdays (``page_weekday``) take; and
the days a page names only from its publication date (``publication_days``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from pipeline.incidents.rules import (
    ANCHORS,
    CLOCK,
    COUNTED_DAYS,
    FALLBACK_ANCHORS,
    LAST_WEEKDAY,
    OFFSET_DAYS,
    ONE_DAY,
    PUBLICATION_DAY,
    QUOTED_DAY,
    RECALLED_GRANULARITIES,
    RECALLED_YEARS,
    RELATIVE_WORD,
    WEEKDAY,
    WEEKDAY_NAMED,
    WEEKDAY_NEAR_DAYS,
    WEEKDAYS,
    YEARLESS_DAY,
    YEARLESS_MONTH,
    YEARLESS_MONTHS,
)
from pipeline.incidents.wording import quoted, recalled_day

RECALLED = "recalled"  # (``page_bases``)


def page_bases(columns: Mapping[str, Sequence]) -> Sequence[str]:
    """The rows' date bases as the dates of their pages are read from them (``document_years``, ``document_days``;
    ``corpus_dates.yearless_days``): a day written in full that its page tells only as the start of a past it
    recalls ("since the military seized power in a Feb. 1, 2021, coup": ``wording.recalled_day``) is no date of the
    page's (``RECALLED``): neither its year nor its day is that of the page's news ("residents said Monday ... on
    the afternoon of Sept. 16"). The row keeps its own date. Without the ``sentence`` column, the bases as they are."""
    bases = columns["date_basis"]
    sentences = columns.get("sentence")
    if not sentences:
        return bases
    found = None
    for i, basis in enumerate(bases):
        if basis == "explicit" and columns["granularity"][i] in RECALLED_GRANULARITIES and recalled_day(
                sentences[i] or "", columns["time_text"][i] or ""):
            if found is None:
                found = list(bases)
            found[i] = RECALLED
    return bases if found is None else found


def document_years(columns: Mapping[str, Sequence]) -> dict[str, int]:
    """Each document's year when its own dates of a day or a month written with a year all fall in one ("On 4
    April 2017 ... On 7 April"): the year a day written without one most likely has. A page that writes no such
    date takes the year of its years written alone, when they are all one ("the deadliest attack in 2023 ... on
    Oct. 5": ``fallback_year_anchors``), unless a day it writes with its weekday falls on another weekday that year
    ("early Tuesday, September 17" on a page whose only year is that of "a 2022 assault")."""
    years: dict[str, set[int]] = {}
    fallback: dict[str, set[int]] = {}
    bases = page_bases(columns)
    for i, basis in enumerate(bases):
        start = columns["date_start"][i]
        if basis == "explicit" and start:
            granularity = columns["granularity"][i]
            if granularity in ANCHORS:
                years.setdefault(columns["doc_id"][i], set()).add(int(start[:4]))
            elif granularity in FALLBACK_ANCHORS:
                fallback.setdefault(columns["doc_id"][i], set()).add(int(start[:4]))
    recalled = recalled_years(columns, {doc: next(iter(them)) for doc, them in years.items() if len(them) == 1})
    found = {doc: next(iter(them)) for doc, them in fallback.items() if len(them) == 1 and doc not in years}
    if found:  # a year written alone that a day the page writes with its weekday contradicts is not the page's year
        for i, basis in enumerate(bases):
            doc = columns["doc_id"][i]
            if basis == "unresolved" and doc in found and _contradicts(
                    columns["time_value"][i], found[doc], columns["time_text"][i] or ""):
                del found[doc]
    found.update((doc, next(iter(them))) for doc, them in years.items() if len(them) == 1 and doc not in recalled)
    return found


def recalled_years(columns: Mapping[str, Sequence], years: Mapping[str, int]) -> dict[str, str]:
    """Those of ``years`` (each document's year from its own dates written with one) that are of a past the page
    recalls, not of its news: its first date is a day written without a year, told before any date written with
    one, that would fall before them in that year, and those are all months (``recalled_years``: "On September
    3, the Russian army struck the institute ... — in November 2023, Russian troops hit the brigade's soldiers";
    a day written with its year is the page's own, "On Sunday, March 14 ... March 15, 2021"). Each with the last
    day of its dates written with a year, which the year the page may take instead
    (``corpus_dates.corpus_years``) puts its day after."""
    if not RECALLED_YEARS or not years:
        return {}
    first_day: dict[str, int] = {}
    first_written: dict[str, int] = {}
    earliest: dict[str, str] = {}
    latest: dict[str, str] = {}
    mixed: set[str] = set()
    for i, basis in enumerate(page_bases(columns)):
        doc = columns["doc_id"][i]
        if doc not in years:
            continue
        if basis == "unresolved" and YEARLESS_DAY.fullmatch(columns["time_value"][i] or ""):
            first_day.setdefault(doc, i)
        elif basis == "explicit" and columns["date_start"][i] and columns["granularity"][i] in ANCHORS:
            if columns["granularity"][i] not in RECALLED_YEARS:
                mixed.add(doc)  # (a day written with its year is the page's own)
            start, end = columns["date_start"][i], columns["date_end"][i] or columns["date_start"][i]
            first_written.setdefault(doc, i)
            earliest[doc] = min(earliest.get(doc, start), start)
            latest[doc] = max(latest.get(doc, end), end)
    found = {}
    for doc, i in first_day.items():
        if doc in first_written and doc not in mixed and i < first_written[doc]:
            day = anchored_day(columns["time_value"][i], years[doc])
            if day is not None and day.isoformat() < earliest[doc]:
                found[doc] = latest[doc]
    return found


def _contradicts(value: str, year: int, time_text: str) -> bool:
    """Whether a day written without a year falls, in ``year``, on another weekday than the one written with it."""
    return YEARLESS_DAY.fullmatch(value or "") is not None and anchored_day(value, year, time_text) is None and (
        anchored_day(value, year) is not None)


def document_days(columns: Mapping[str, Sequence]) -> dict[str, tuple[dt.date, ...]]:
    """Each document's own days written in full ("People gathered at the site in Azaz, June 2, 2019"): on an
    undated page, the day its "Sunday" most likely is."""
    days: dict[str, set[dt.date]] = {}
    for i, basis in enumerate(page_bases(columns)):
        start = columns["date_start"][i]
        if basis == "explicit" and start and columns["granularity"][i] == "day" and start == columns["date_end"][i]:
            days.setdefault(columns["doc_id"][i], set()).add(dt.date.fromisoformat(start))
    return {doc: tuple(sorted(found)) for doc, found in days.items()}


WEEK = dt.timedelta(days=7)


def page_weekday(time_text: str, days: Sequence[dt.date], year: int | None = None) -> dt.date | None:
    """A weekday the date stage could not place ("Sunday" on an undated page) as the one day of its document's own
    full dates that falls on it (a caption's "June 2, 2019", a Sunday), when exactly one does."""
    found = WEEKDAY.fullmatch((time_text or "").strip())
    if found is None or not days:
        return None
    weekday = WEEKDAYS.index(found[1].lower())
    latest = max(days)
    if latest.weekday() == weekday and latest.year == year and LAST_WEEKDAY.match(time_text.strip()):
        # "Last Friday" on a page whose latest day, written in full in its ``year`` (its own or the corpus's), is
        # a Friday ("Today (Friday, October 15) ... Last Friday, a suicide bomber ..."): the Friday a week before
        # (a page names a day it writes again as "Friday" or "that Friday", not as "last Friday"); a page without
        # a year whose days are only the corpus's days of its weekdays says nothing of when it was written
        return latest - WEEK
    fitting = [d for d in days if d.weekday() == weekday]
    if year is None and len(fitting) == 2 and fitting[1] - fitting[0] == WEEK:
        # a page without a year whose Fridays the corpus gave a week apart ("on Friday" in Kandahar, "Last Friday" in
        # Kunduz: ``corpus_dates.corpus_weekdays``): "last Friday" is the earlier, "Friday" the later
        return fitting[0] if LAST_WEEKDAY.match(time_text.strip()) else fitting[1]
    if fitting or not WEEKDAY_NEAR_DAYS:
        return fitting[0] if len(fitting) == 1 else None
    # none of its days falls on it: the day of that weekday within ``weekday_near_days`` of each of them, when one
    near = {d + dt.timedelta(days=(weekday - d.weekday() + 3) % 7 - 3) for d in days}
    if len(near) != 1:
        return None
    day = next(iter(near))
    return day if all(abs((day - d).days) <= WEEKDAY_NEAR_DAYS for d in days) else None


def named_days(
    columns: Mapping[str, Sequence], years: Mapping[str, int], days: Mapping[str, tuple[dt.date, ...]]
) -> dict[str, frozenset[dt.date]]:
    """The days each undated page names, in full (``days``) or as its own dates or the corpus give them
    (``anchored_day``, ``page_weekday``): those a day it counts from its publication date may be
    (``counted_day``)."""
    if not COUNTED_DAYS:
        return {}
    found: dict[str, set[dt.date]] = {doc: set(them) for doc, them in days.items()}
    for i, basis in enumerate(columns["date_basis"]):
        if basis == "unresolved":
            day = page_day(columns, i, years, days)
            if day is not None:
                found.setdefault(columns["doc_id"][i], set()).add(day)
    return {doc: frozenset(them) for doc, them in found.items()}


def page_day(
    columns: Mapping[str, Sequence], i: int, years: Mapping[str, int], days: Mapping[str, tuple[dt.date, ...]],
    named: Mapping[str, frozenset[dt.date]] | None = None,
) -> dt.date | None:
    """The day of row ``i``, which the date stage left unresolved on an undated page, from what its page and the
    corpus give it: a day written without a year, in its page's year (``anchored_day``); a weekday, as one of its
    page's days (``page_weekday``); a day counted from its publication, as one of the days it names (``named``:
    ``named_days``; ``counted_day``). The rows (``rows.rows_from``) and their months (``corpus_dates``) read it
    alike."""
    doc, text = columns["doc_id"][i], columns["time_text"][i] or ""
    year = years.get(doc)
    return anchored_day(columns["time_value"][i], year, text) or page_weekday(text, days.get(doc, ()), year) or (
        counted_day(text, named.get(doc) if named else None))


def counted_day(time_text: str, named: frozenset[dt.date] | None) -> dt.date | None:
    """A day an undated page counts from its publication date ("yesterday's gun attack", which the date stage
    leaves unresolved): that many days (``counted_days``) from the latest day it names (``named_days``: its "said
    on Friday", the day it was written), when that lands on another day it names ("Thursday's attack")."""
    counted = COUNTED_DAYS.get(" ".join((time_text or "").lower().split())) if named else None
    if counted is None or not named:
        return None
    day = max(named) + dt.timedelta(days=counted)
    return day if day in named else None


def anchored_month(value: str, year: int | None, time_text: str) -> tuple[dt.date, dt.date] | None:
    """A month written without a year ("an August attack": ``XXXX-08``) in its document's year, when it has one
    (``yearless_months``); not one named from another year ("last October", "October last year")."""
    found = YEARLESS_MONTH.fullmatch(value or "") if YEARLESS_MONTHS else None
    if found is None or year is None or RELATIVE_WORD.search(time_text):
        return None
    month = int(found[1])
    return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY


def anchored_day(value: str, year: int | None, time_text: str = "") -> dt.date | None:
    """A day written without a year (``XXXX-04-07``) in its document's year, when it has one; not when the weekday
    written with it falls on another day that year ("early Tuesday, September 17" on a page whose only year is that
    of "a 2022 assault": 17 September 2022 was a Saturday)."""
    found = YEARLESS_DAY.fullmatch(value or "")
    if found is None or year is None:
        return None
    try:
        day = dt.date(year, int(found[1]), int(found[2]))
    except ValueError:  # 29 February of another year
        return None
    named = WEEKDAY_NAMED.search(time_text) if time_text else None
    return None if named is not None and WEEKDAYS.index(named[1].lower()) != day.weekday() else day


def clock_day(
    value: str, time_text: str, doc: str, last_days: Mapping[str, dt.date], sentence: str | None = None
) -> dt.date | None:
    """A time of day alone on an undated page ("The assault, carried out around 1 a.m. by members of the ADF", after
    "killed early Sunday"), which the date stage leaves unresolved, the same day as the day before it that it could not
    place: the day its page's own dates or the corpus gave that row (``last_days``: each page's last such day); a
    day told from that one ("for people killed the day before": ``offset_days``), that many days from it; and a
    speaker's own day inside a quotation after it ('"... the airport this morning at dawn," said the group',
    ``quoted_days``), that day as the day it was said (``sentence``: the row's, when known; without it, any such
    day, the months' superset)."""
    if value or doc not in last_days:
        return None
    text = " ".join(time_text.lower().split())
    offset = OFFSET_DAYS.get(text)
    if offset is not None:
        return last_days[doc] + dt.timedelta(days=offset)
    if QUOTED_DAY.fullmatch(text) and (sentence is None or quoted(sentence[: max(0, sentence.find(time_text))])):
        return last_days[doc]
    return last_days[doc] if CLOCK.search(time_text) else None


def publication_days(columns: Mapping[str, Sequence]) -> set[tuple[str, dt.date]]:
    """The days each page names only counting from its publication date ("Tears flowed freely yesterday as suicide
    bombers attacked ..." on a page stamped the day after the one it was written): a day one of its rows gives as
    "yesterday" or "today" (``publication_days``) and none writes in full, nor by its weekday (a page stamped a day
    late still finds the Saturday it names: "the farmers were attacked on Saturday ... 'at about 11 a.m today,' he
    said Saturday" is that Saturday, not the day before)."""
    found: set[tuple[str, dt.date]] = set()
    if PUBLICATION_DAY is None:
        return found
    written: set[tuple[str, dt.date]] = set()
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis not in ("relative", "explicit") or not start or start != columns["date_end"][i]:
            continue
        key = (columns["doc_id"][i], dt.date.fromisoformat(start))
        if basis == "explicit" or WEEKDAY_NAMED.search(columns["time_text"][i] or ""):
            written.add(key)
        elif PUBLICATION_DAY.fullmatch((columns["time_text"][i] or "").strip()):
            found.add(key)
    return found - written
