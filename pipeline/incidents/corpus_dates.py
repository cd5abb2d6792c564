"""The dates the whole corpus gives its undated pages where their own dates cannot: each row's month
(``row_months``), once the pages that write no year have the one year whose news fills the months they name
(``with_corpus_years``) and their weekdays the corpus's one day of news of their town or side on that weekday
(``with_corpus_weekdays``), or of news that shares their rare words (``corpus_words``)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence

from pipeline.incidents.corpus_words import corpus_words, with_corpus_words, worded_weekdays
from pipeline.incidents.page_dates import (
    WEEK,
    anchored_day,
    anchored_month,
    clock_day,
    document_days,
    document_years,
    named_days,
    page_bases,
    page_day,
    recalled_years,
)
from pipeline.incidents.records import NewsKey
from pipeline.incidents.rules import (
    ANCHORS,
    ANY_DAY,
    COUNTED_DAYS,
    COUNTED_WORDS,
    JOIN,
    LAST_WEEKDAY,
    MAX_SPAN_DAYS,
    NAME_WORD,
    NAME_WORD_MIN,
    NAME_WORD_SPELLING,
    OWN_DATE,
    POLITICAL,
    SIDE_KEY,
    WEEKDAY,
    WEEKDAY_BEFORE,
    WEEKDAY_FROM_CORPUS,
    WEEKDAY_NAMED,
    WEEKDAY_SIDES,
    WEEKDAY_WORDS,
    WEEKDAYS,
    WORDS_KEY,
    YEAR_FROM_CORPUS,
    YEARLESS_DAY,
    clock_reported,
    clock_undated,
)


def month_of(day: dt.date) -> int:
    """A month as a number (``row_months``)."""
    return day.year * 12 + day.month - 1


# The columns ``row_months`` reads
MONTH_COLUMNS = ("doc_id", "date_basis", "date_start", "date_end", "granularity", "time_value", "time_text",
                 "event_type", "lat", "lon", "place_precision", "actors", "sentence")  # (``page_dates.page_bases``)


def row_months(
    columns: Mapping[str, Sequence], years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None, worded: frozenset[str] = frozenset(), corpus: bool = True,
    countries: Mapping[str, frozenset[str]] | None = None, every: Mapping[str, Sequence] | None = None,
) -> tuple[list[int], Mapping[str, int], Mapping[str, tuple[dt.date, ...]], frozenset[str]]:
    """Each row's month (``month_of`` its date as written; -1 for a row that cannot be part of an incident), and
    the years and own days (``document_years``, ``document_days``) of the documents with a date the date stage left
    unresolved, which the rows' months depend on: from ``columns`` (every row of each of their documents) unless
    given; then, when ``columns`` are the whole corpus (``corpus``), the years the corpus gives the pages that
    write none (``with_corpus_years``), and the days it gives their weekdays (``with_corpus_weekdays``,
    ``with_corpus_words``); and the pages whose days only the corpus's news sharing their rare words gives
    (``worded``: as given with ``years`` and ``days``; ``countries``: those every row of the undated pages names,
    ``corpus_words.page_countries``, when ``columns`` hold only some of their rows; ``every``: the ``doc_id`` and
    ``actors`` of every event row, when ``columns`` hold only some: the names a day's news gives, ``town_days``).
    What the pass over a corpus too large to hold reads first (``months``, part by part, without the corpus's
    years: it asks for them once every part is read)."""
    if years is None or days is None:
        unresolved = [i for i, basis in enumerate(columns["date_basis"]) if basis == "unresolved"]
        wanted = {columns["doc_id"][i] for i in unresolved}
        years = {doc: year for doc, year in document_years(columns).items() if doc in wanted} if wanted else {}
        days = {doc: found for doc, found in document_days(columns).items() if doc in wanted} if wanted else {}
        months = _months(columns, years, days)
        worded = frozenset()
        if corpus and wanted:
            given = bool(with_corpus_years(yearless_days(columns, years, unresolved), months, years, days))
            weekdays = unplaced_weekdays(columns, days, unresolved)  # then the weekdays no day of theirs places
            if weekdays and with_corpus_weekdays(weekdays, town_days(columns, towns_of(weekdays), every), days):
                given = True
            pages = worded_weekdays(weekdays, days) if weekdays and "sentence" in columns else {}
            if pages:  # then the rare words'
                worded = frozenset(with_corpus_words(corpus_words(columns, pages, countries), days))
                given = given or bool(worded)
            if given:
                months = _months(columns, years, days)
        return months, years, days, worded
    return _months(columns, years, days), years, days, worded


def yearless_days(
    columns: Mapping[str, Sequence], years: Mapping[str, int], unresolved: Sequence[int] | None = None
) -> dict[str, tuple[str, ...]]:
    """The days written without a year ("October 6": ``XXXX-10-06``) of the documents that write no year at all
    (no date of theirs is ``explicit``: a page that writes two years has said which it may mean). ``unresolved``:
    the positions of the rows whose date is unresolved, when known. A day written with its weekday carries it
    (``XXXX-10-15 friday``), so that the corpus's year it takes is one it falls on (``corpus_years``)."""
    found: dict[str, dict[str, None]] = {}
    basis = columns["date_basis"]
    for i in range(len(basis)) if unresolved is None else unresolved:
        if basis[i] == "unresolved" and columns["doc_id"][i] not in years:
            value = columns["time_value"][i] or ""
            if YEARLESS_DAY.fullmatch(value) and (columns["event_type"][i] or columns["actors"][i] or not _unplaced(
                    columns, i)):  # (a day that names nothing, "the pilgrimage starting on July 3", tells no news)
                named = WEEKDAY_NAMED.search(columns["time_text"][i] or "") or _weekday_before(columns, i)
                # a weekday written with it ("Friday, October 15"; or right before it, as a time expression of its
                # own: "on Saturday evening, November 28") travels with it: ``XXXX-10-15 friday``
                found.setdefault(columns["doc_id"][i], {})[f"{value} {named[1].lower()}" if named else value] = None
    if found:  # (rare: a page without a year)
        written = {columns["doc_id"][i] for i, b in enumerate(page_bases(columns)) if b == "explicit" and (
            columns["date_start"][i])}  # (not a day only recalled: ``page_bases``)
        written -= _years_refused(columns, found.keys() & written)
        # a page whose year is of a past it recalls (``recalled_years``) takes one whose days fall after it
        recalled = recalled_years(columns, _written_years(columns, found.keys() & written))
        written -= recalled.keys()
        return {doc: tuple(f"{value} >{recalled[doc]}" if doc in recalled else value for value in values)
                for doc, values in found.items() if doc not in written}  # fmt: skip
    return {}


def _weekday_before(columns: Mapping[str, Sequence], i: int) -> re.Match[str] | None:
    """The weekday written right before a row's day in its sentence ("on Saturday evening, November 28"), which the
    date stage reads as a time expression of its own; None without one (or without the ``sentence`` column)."""
    sentences = columns.get("sentence")
    text = columns["time_text"][i] or ""
    if not sentences or not text:
        return None
    sentence = sentences[i] or ""
    at = sentence.find(text)
    return WEEKDAY_BEFORE.search(sentence, max(0, at - 40), at) if at > 0 else None


def _written_years(columns: Mapping[str, Sequence], wanted: Iterable[str]) -> dict[str, int]:
    """The one year of the dates of a day or a month each of ``wanted`` writes with a year, when they are all one."""
    docs = set(wanted)
    years: dict[str, set[int]] = {}
    for i, basis in enumerate(page_bases(columns)):
        doc = columns["doc_id"][i]
        if doc in docs and basis == "explicit" and columns["date_start"][i] and columns["granularity"][i] in ANCHORS:
            years.setdefault(doc, set()).add(int(columns["date_start"][i][:4]))
    return {doc: next(iter(them)) for doc, them in years.items() if len(them) == 1}


def _years_refused(columns: Mapping[str, Sequence], wanted: Iterable[str]) -> set[str]:
    """Those of ``wanted`` that write years only alone ("a 2022 assault") and a day with its weekday that falls on
    another weekday in each of them ("early Tuesday, September 17"): they have not said which year they mean."""
    docs = set(wanted)
    if not docs:
        return set()
    alone: dict[str, set[int]] = {}
    for i, basis in enumerate(page_bases(columns)):
        doc = columns["doc_id"][i]
        if doc in docs and basis == "explicit" and columns["date_start"][i]:
            if columns["granularity"][i] in ANCHORS:
                docs.discard(doc)  # it writes a day or a month with its year
            else:
                alone.setdefault(doc, set()).add(int(columns["date_start"][i][:4]))
    refused = set()
    for i, basis in enumerate(columns["date_basis"]):
        doc = columns["doc_id"][i]
        if doc in docs and doc not in refused and basis == "unresolved":
            value, text = columns["time_value"][i] or "", columns["time_text"][i] or ""
            if alone.get(doc) and all(_weekday_refuses(value, year, text) for year in alone[doc]):
                refused.add(doc)
    return refused


def _weekday_refuses(value: str, year: int, time_text: str) -> bool:
    return anchored_day(value, year) is not None and anchored_day(value, year, time_text) is None


def corpus_years(wanted: Mapping[str, Sequence[str]], present: Iterable[int]) -> dict[str, int]:
    """The year the corpus gives each page that writes none (``wanted``: its days without a year, ``XXXX-10-06``):
    the one year whose news (``present``: the months, ``month_of``, of the corpus's rows) fills the months of those
    days, when only one does (``year_from_corpus``)."""
    if not YEAR_FROM_CORPUS or not wanted:
        return {}
    years_of: dict[int, set[int]] = {}
    for month in set(present):
        if month >= 0:
            years_of.setdefault(month % 12 + 1, set()).add(month // 12)
    found = {}
    for doc, values in wanted.items():
        months = {int(v[5:7]) for v in values}
        fitting = set.intersection(*(years_of.get(m, set()) for m in months))
        # a day written with its weekday ("Friday, October 15") takes no year it does not fall on: of the corpus's
        # Octobers of 2021 and 2024, only 2021's 15th is a Friday
        fitting = {year for year in fitting if all(_falls_on(value, year) for value in values)}
        if len(fitting) == 1:
            found[doc] = next(iter(fitting))
    return found


def _falls_on(value: str, year: int) -> bool:
    """Whether a day without a year (``yearless_days``: ``XXXX-10-15``, perhaps with the weekday written with it,
    ``XXXX-10-15 friday``, and the day it must fall after, ``XXXX-09-03 >2023-11-30``: ``recalled_years``) is a day
    of ``year``, on that weekday, after that day."""
    day, *rest = value.split()
    after = next((token[1:] for token in rest if token.startswith(">")), "")
    weekday = next((token for token in rest if not token.startswith(">")), "")
    found = anchored_day(day, year, weekday)
    return found is not None and found.isoformat() > after


def with_corpus_years(
    wanted: Mapping[str, Sequence[str]], months: Iterable[int], years: dict[str, int],
    days: dict[str, tuple[dt.date, ...]],
) -> dict[str, int]:
    """Gives the pages that write no year (``wanted``: their days without one, ``yearless_days``) the year the
    corpus gives them (``corpus_years`` of the rows' ``months``, into ``years``), and those days, in that year, as
    days of their own (into ``days``: an undated page's "on Friday" is the Friday it writes as "October 6").
    Returns the years given."""
    given = corpus_years(wanted, months)
    for doc, year in given.items():
        years[doc] = year
        own = set(days.get(doc, ()))
        for value in wanted[doc]:
            found = anchored_day(value.split()[0], year)
            if found is not None:
                own.add(found)
        days[doc] = tuple(sorted(own))
    return given


def _months(
    columns: Mapping[str, Sequence], years: Mapping[str, int], days: Mapping[str, tuple[dt.date, ...]]
) -> list[int]:
    months = []
    last_days: dict[str, dt.date] = {}  # (``page_dates.clock_day``)
    named = named_days(columns, years, days) if years or days else {}  # (``page_dates.counted_day``)
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis in OWN_DATE and start or clock_reported(basis, start, columns["time_text"][i]):
            end = columns["date_end"][i]
            if end and end != start and (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days >= (
                    MAX_SPAN_DAYS):
                months.append(-1)  # "in 2019", "late 2021": too vague to be part of an incident, nor news of a month
                continue
            months.append(int(start[:4]) * 12 + int(start[5:7]) - 1)
            continue
        day = None
        if basis == "unresolved" or clock_undated(basis, start, columns["time_text"][i]):
            doc = columns["doc_id"][i]
            text = columns["time_text"][i] or ""
            day = page_day(columns, i, years, days, named)
            if day is None:
                day = clock_day(columns["time_value"][i] or "", text, doc, last_days)
            if day is not None:
                last_days[doc] = day
            else:
                if columns["granularity"][i] == "day":
                    last_days.pop(doc, None)  # (a time of day after it is of a day not known)
                month = anchored_month(columns["time_value"][i], years.get(doc), columns["time_text"][i] or "")
                day = month[0] if month is not None else None
        months.append(month_of(day) if day is not None else -1)
    return months


def _town(columns: Mapping[str, Sequence], i: int) -> tuple[float, float] | None:
    """The town a row of a violent or physical type names (its finest place, when a town), as a key (its
    coordinates, rounded); None for any other row."""
    lat, lon, event_type = columns["lat"][i], columns["lon"][i], columns["event_type"][i]
    if columns["place_precision"][i] not in (1, 2) or _unplaced(columns, i) or lon is None or not event_type or (
            event_type in POLITICAL):
        return None
    return round(float(lat), 2), round(float(lon), 2)


def _side_keys(columns: Mapping[str, Sequence], i: int) -> tuple[str, ...]:
    """The actors a row of a violent or physical type names, as keys of the corpus's news of them
    (``weekday_from_corpus_sides``); none for any other row."""
    event_type = columns["event_type"][i]
    if not WEEKDAY_SIDES or not event_type or event_type in POLITICAL:
        return ()
    return tuple(SIDE_KEY + name for name in (columns["actors"][i] or "").split(JOIN) if name)


def _unplaced(columns: Mapping[str, Sequence], i: int) -> bool:
    lat = columns["lat"][i]
    return lat is None or (isinstance(lat, float) and math.isnan(lat))


def unplaced_weekdays(
    columns: Mapping[str, Sequence], days: Mapping[str, tuple[dt.date, ...]], unresolved: Sequence[int] | None = None
) -> dict[str, tuple[tuple[int, NewsKey], ...]]:
    """The weekdays ("on Saturday", left unresolved) of the undated pages that write no day in full (whose weekdays
    are those days', ``page_weekday``), each with the town its row names (``_town``): what the corpus's news of that
    town may place (``corpus_weekdays``). ``unresolved``: the positions of the rows whose date is unresolved, when
    known."""
    if not WEEKDAY_FROM_CORPUS:
        return {}
    found: dict[str, dict[tuple[int, NewsKey], None]] = {}
    counted: dict[str, dict[tuple[int, NewsKey], None]] = {}  # "yesterday", of pages that write no weekday
    basis = columns["date_basis"]
    for i in range(len(basis)) if unresolved is None else unresolved:
        if basis[i] != "unresolved":
            continue
        text = (columns["time_text"][i] or "").strip()
        written = WEEKDAY.fullmatch(text)
        if written is None and COUNTED_WORDS and COUNTED_DAYS.get(" ".join(text.lower().split())) == -1 and not (
                days.get(columns["doc_id"][i])) and _town(columns, i) is None:
            # (placed nowhere or only in a province or a country: the corpus's news sharing its page's rare words)
            asked: dict[tuple[int, NewsKey], None] = dict.fromkeys((ANY_DAY, key) for key in _words_key(columns, i))
            counted.setdefault(columns["doc_id"][i], {}).update(asked)
        if written is None or YEARLESS_DAY.fullmatch(columns["time_value"][i] or ""):
            continue  # (a day the date stage read, "Sunday, March 14": its own)
        doc = columns["doc_id"][i]
        if days.get(doc):
            continue  # a page that writes a day in full: its weekdays are those days' (``page_weekday``), or none
        # ("last Friday": its weekday + 7, the one before the page's other days when the corpus's news has several)
        weekday = WEEKDAYS.index(written[1].lower()) + (7 if LAST_WEEKDAY.match(written[0]) else 0)
        town = _town(columns, i)
        # (placed nowhere: the sides it names; in a province or a country, too coarse for either: and both, the
        # corpus's news that shares its page's rare words, ``corpus_words``)
        keys = (_named(town, columns["actors"][i]),) if town is not None else (
            *_side_keys(columns, i), *_words_key(columns, i)) if _unplaced(columns, i) else _words_key(columns, i)
        for key in keys:
            found.setdefault(doc, {})[(weekday, key)] = None
    found.update((doc, pairs) for doc, pairs in counted.items() if doc not in found and pairs)
    return {doc: tuple(pairs) for doc, pairs in found.items()}


def unplaced_weekdays_left(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], days: Mapping[str, tuple[dt.date, ...]]
) -> dict[str, tuple[tuple[int, NewsKey], ...]]:
    """Those of ``wanted`` (``unplaced_weekdays``) of the pages that still have no day of their own (a year the
    corpus gave them gives them their days without a year)."""
    return {doc: tuple(pairs) for doc, pairs in wanted.items() if not days.get(doc)}


def towns_of(wanted: Mapping[str, Sequence[tuple[int, NewsKey]]]) -> set[NewsKey]:
    """The towns (their coordinates, without the names a row names there: ``_named``) and sides whose news
    ``town_days`` looks up for ``wanted`` (``unplaced_weekdays``)."""
    return {_bare(town) for pairs in wanted.values() for _, town in pairs if town != WORDS_KEY}


def _named(town: tuple[float, float], actors: str | None) -> NewsKey:
    """A town's key (``_town``) with the words of the names its row gives its actors (``name_words``), which the
    corpus's day of news of that town must name one of (``corpus_weekdays``); the town alone for a row naming none."""
    words = name_words(actors)
    return (town[0], town[1], " ".join(sorted(words))) if words else town


def name_words(actors: str | None) -> set[str]:
    """The words of the names in an actors cell ("Jaafar Mohammed Saad; Mosaed Mesaed": ``jaafar``, ``mohammed``,
    ``saad``, ...), lowercase, those of ``name_word_min`` letters or more (not "al", "of")."""
    return {w for w in NAME_WORD.findall((actors or "").lower()) if len(w) >= NAME_WORD_MIN}


def _words_key(columns: Mapping[str, Sequence], i: int) -> tuple[str, ...]:
    """``WORDS_KEY`` for a row of a violent or physical type in no town (``weekday_from_corpus_words``)."""
    event_type = columns["event_type"][i]
    return (WORDS_KEY,) if WEEKDAY_WORDS and event_type and event_type not in POLITICAL else ()


def town_days(
    columns: Mapping[str, Sequence], towns: set[NewsKey], every: Mapping[str, Sequence] | None = None
) -> dict[NewsKey, set[dt.date]]:
    """The days of the rows with a day of their own in each of ``towns`` (``_town``: of a violent or physical
    type); and, for each word of the names (``name_words``) that a day's documents of news of a town give in any row
    of theirs (``every``: the ``doc_id`` and ``actors`` of every event row, when ``columns`` hold only some; a
    corpus's part, as ``months.town_days`` picks it, holds them), the days of that town whose news gives it, under
    the town's key with that word (``_named``)."""
    found: dict[NewsKey, set[dt.date]] = {}
    if not towns:
        return found
    sides = any(isinstance(key, str) for key in towns)
    news: dict[str, set[tuple[tuple[float, float], dt.date]]] = {}  # each document's days of news of a town
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis in OWN_DATE and start and columns["granularity"][i] == "day" and start == columns["date_end"][i]:
            town = _town(columns, i)
            for key in (town, *_side_keys(columns, i)) if sides else (town,):
                if key in towns:
                    day = dt.date.fromisoformat(start)
                    found.setdefault(key, set()).add(day)
                    if town is not None and key == town:
                        news.setdefault(columns["doc_id"][i], set()).add((town, day))
    if news:  # the words of the names each day's documents of a town give (``_named``), over every row of them
        names = columns if every is None else every
        for i, doc in enumerate(names["doc_id"]):
            if doc in news and names["actors"][i]:
                for word in name_words(names["actors"][i]):
                    for town, day in news[doc]:
                        found.setdefault((town[0], town[1], word), set()).add(day)
    return found


def corpus_weekdays(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], found: Mapping[NewsKey, Iterable[dt.date]]
) -> dict[str, tuple[dt.date, ...]]:
    """The days the corpus gives the undated pages' weekdays (``wanted``: each page's weekdays and the towns of
    their rows, ``unplaced_weekdays``; ``found``: the corpus's days of news of each town, ``town_days``): the one
    day of that town's news that falls on that weekday, when exactly one does (``weekday_from_corpus``). A "last
    Friday" (its weekday + 7) whose town's news has several Fridays is the one of them in the week before the latest
    day the page's other weekdays take, when exactly one is ("on Friday" in Kandahar takes 15 October, "Last Friday"
    in Kunduz the 8th of the Kunduz Fridays of 8 October 2021 and 22 April 2022)."""
    given = {}
    for doc, pairs in wanted.items():
        own: set[dt.date] = set()
        several: list[tuple[NewsKey, set[dt.date]]] = []
        for weekday, town in pairs:
            fitting = {d for d in found.get(_bare(town), ()) if d.weekday() == weekday % 7}
            if len(fitting) == 1:
                own |= {d for d in fitting if _names_agree(town, d, found)}
            elif fitting and weekday >= 7:
                several.append((town, fitting))
        if own and several:
            latest = max(own)
            for town, fitting in several:
                before = {d for d in fitting if latest - WEEK <= d < latest}
                if len(before) == 1:
                    own |= {d for d in before if _names_agree(town, d, found)}
        if own:
            given[doc] = tuple(sorted(own))
    return given


def _names_agree(town: NewsKey, day: dt.date, found: Mapping[NewsKey, Iterable[dt.date]]) -> bool:
    """Whether the corpus's news of a town on ``day`` names one of the people or sides the row of an undated page
    names there (``_named``: a word of their names, ``town_days``), or the row names none: the page might be of any
    year (an undated 2015 page's "Aden Governor Jaafar Mohammed Saad was killed ... on Sunday" is not of the 2021
    bombing of a governor, its town's one Sunday of news, whose report names Governor Lamles). A name is spelt in
    several ways: a word of ``name_word_spelling`` letters or more matches one a letter apart ("Lamlas", "Lamles")."""
    if isinstance(town, str) or len(town) == 2:
        return True
    words = str(town[2]).split()
    if any(day in found.get((town[0], town[1], word), ()) for word in words):
        return True
    spelt = [w for w in words if len(w) >= NAME_WORD_SPELLING]
    return bool(spelt) and any(
        len(key) == 3 and key[0] == town[0] and key[1] == town[1] and day in days and any(
            _letter_apart(str(key[2]), w) for w in spelt)
        for key, days in found.items() if not isinstance(key, str))  # fmt: skip


def _letter_apart(a: str, b: str) -> bool:
    """Whether two words of ``name_word_spelling`` letters or more differ by one letter (replaced, added or left
    out): two spellings of one name."""
    if len(a) < NAME_WORD_SPELLING or abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:k] + long[k + 1:] == short for k in range(len(long)))


def _bare(key: NewsKey) -> NewsKey:
    """A town's key without the names its row gives (``_named``)."""
    return key if isinstance(key, str) or len(key) == 2 else (key[0], key[1])


def with_corpus_weekdays(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], found: Mapping[NewsKey, Iterable[dt.date]],
    days: dict[str, tuple[dt.date, ...]],
) -> dict[str, tuple[dt.date, ...]]:
    """Gives the undated pages the days the corpus gives their weekdays (``corpus_weekdays``), as days of their own
    (into ``days``: the page's every "Saturday" is that day, and joins an incident of it, never makes one).
    Returns the days given."""
    given = corpus_weekdays(wanted, found)
    for doc, own in given.items():
        days[doc] = tuple(sorted(set(days.get(doc, ())) | set(own)))
    return given
