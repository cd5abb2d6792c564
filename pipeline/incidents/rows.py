"""The event rows as grouping reads them (``rows_from``: a ``Row`` for each row that can be part of an incident):
its dates (its page's own where the date stage left them unresolved, ``page_dates``; what its sentence tells of
them, ``wording``), the places it names (``_spots``) and the sides its actors stand for (``parties_of``)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

from pipeline.incidents.page_dates import (
    anchored_month,
    clock_day,
    document_days,
    document_years,
    named_days,
    page_day,
    publication_days,
)
from pipeline.incidents.records import Places, Row, Spot, in_province
from pipeline.incidents.rules import (
    BRANCH_KINDS,
    BRANCH_OF,
    DAYTIME,
    DESTINATION,
    JOIN,
    LAST_PERIOD,
    LAST_PERIOD_RECENT,
    MAX_SPAN_DAYS,
    NO_SIDES,
    NOT_PARTIES,
    ONE_DAY,
    OWN_DATE,
    POLITICAL,
    PROVENANCE,
    PROVENANCE_VERBS,
    RADIUS_KM,
    REPORT_LAG,
    WATER_KINDS,
    clock_reported,
    clock_undated,
    dawn_night,
    evening_night,
    firm_night,
    is_night,
)
from pipeline.incidents.wording import (
    aftermath,
    attributed_only,
    clause_type,
    reaction_type,
    report_dated,
    restates,
    said_that,
    sequel,
    told_type,
)


def parties_of(dictionary: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Each actor's side, from the actor dictionary (name -> (type, affiliation)): a state or an armed group
    is its own side, a person the side he or she belongs to; an observer (a monitor, the media, an aid group)
    is none (""). A branch (``branch_kinds``: an armed group affiliated to another) is on its side and on the
    side of the group it is a branch of, and of that group's own, written one after the other (``BRANCH_OF``:
    "Jama'at Nusrat al-Islam wal-Muslimin|al-Qaeda"), and so is a person who belongs to it."""
    sides = {}
    for name, (kind, affiliation) in dictionary.items():
        if kind in NOT_PARTIES:
            sides[name] = ""
        elif kind != "person":
            chain = [name]
            while kind in BRANCH_KINDS and affiliation in dictionary and affiliation not in chain:
                kind, parent = dictionary[affiliation][0], affiliation
                if kind not in BRANCH_KINDS:
                    break
                chain.append(parent)
                affiliation = dictionary[parent][1]
            sides[name] = BRANCH_OF.join(chain)
    for name, (kind, affiliation) in dictionary.items():
        if kind == "person":
            sides[name] = (sides.get(affiliation) or affiliation) if affiliation in dictionary else ""
    return sides


def _destinations(sentence: str) -> tuple[str, ...]:
    """What follows each destination phrase of a sentence ("a train to ", "bound for ": ``destination_words``) and each
    provenance phrase ("made in ", "ordered by Hezbollah from Gold Apollo in ": ``provenance_words``)."""
    found: tuple[str, ...] = ()
    if " to " in sentence or " for " in sentence:
        found = tuple(sentence[m.end():] for m in DESTINATION.finditer(sentence))
    if any(verb in sentence for verb in PROVENANCE_VERBS):
        found += tuple(sentence[m.end():] for m in PROVENANCE.finditer(sentence))
    return found


def _spots(columns: Mapping[str, Sequence], i: int, places: Places, provinces: frozenset[str]) -> tuple[Spot, ...]:
    """The row's places: its first with the precision its mention had (e.g. "near X"), the others as in the
    places table; the finest first, without a country or province it names a finer place of. A town named like its
    province ("Idlib", "Aleppo") is as coarse as the province: news says "Idlib" for both."""
    names = [n for n in (columns["locations"][i] or "").split(JOIN) if n]
    lat, lon = columns["lat"][i], columns["lon"][i]
    sentences = columns.get("sentence")
    away = _destinations(sentences[i] or "") if sentences and names else ()
    spots = []
    for k, name in enumerate(names):
        if away and any(a.startswith(name) for a in away):
            continue  # where it was going ("as a crowd awaited a train to Peshawar"), not where it happened
        known = places.get(name)
        if known is not None and known[2] in WATER_KINDS and not known[3]:
            continue  # a sea's or a gulf's centre says nothing of where on it or its shores ("the Red Sea port city")
        if k == 0 and lat is not None and lon is not None and not (isinstance(lat, float) and math.isnan(lat)):
            precision = columns["place_precision"][i]
            kind, country, admin1 = (known[2], known[3], known[5]) if known else ("", "", "")
            precision = int(precision) if precision is not None else 3
            spots.append(Spot(name, float(lat), float(lon), 3 if name in provinces else precision, country,
                              kind == "country" or name == country, precision == 1, admin1))  # fmt: skip
        elif known is not None:
            spots.append(Spot(name, known[0], known[1], 3 if name in provinces else int(known[4]), known[3],
                              known[2] == "country" or name == known[3], int(known[4]) == 1, known[5]))  # fmt: skip
    # A country or a province named beside a finer place inside it ("Maaret al-Numan in Syria's Idlib province")
    # places the row no further: kept, it would let any place of that country or province match the row.
    countries = {s.country for s in spots if not s.is_country and s.country}
    towns = [s for s in spots if s.precision < 3 and not s.is_country]
    spots = [s for s in spots if not (s.is_country and s.country in countries) and not (
        s.precision == 3 and not s.is_country and any(in_province(s, t, RADIUS_KM[3]) is not None for t in towns))]
    spots.sort(key=lambda s: (s.is_country, s.precision))  # stable: among equals, the sentence's order
    return tuple(spots)


def rows_from(
    columns: Mapping[str, Sequence], parties: Mapping[str, str], places: Places | None = None,
    provinces: frozenset[str] = frozenset(), years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None, worded: frozenset[str] = frozenset(),
) -> list[Row]:
    """The event rows that can be part of an incident, from the event table's columns (as lists). ``years``,
    ``days``: each document's year and own days (``document_years``, ``document_days``), when ``columns`` hold
    only some of its rows; ``worded``: with them, the pages whose days only the corpus's news sharing their rare
    words gives (``with_corpus_words``: their rows join an incident, never make one)."""
    rows: list[Row] = []
    same: dict[tuple[Spot, ...], tuple[Spot, ...]] = {}  # one tuple for the same places (``compatible``'s memo)
    known: dict[str, tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}  # ``_sides`` of each actors cell
    if years is None or days is None:
        unresolved = "unresolved" in columns["date_basis"]
        years = document_years(columns) if unresolved else {}
        days = document_days(columns) if unresolved else {}
        worded = frozenset()
    sentences = columns.get("sentence")
    late = publication_days(columns)
    bare_rows: list[Row] = []
    said = ("", "")  # the sentence and time expression of the last row dated when it was said (``restates``)
    last_days: dict[str, dt.date] = {}  # each undated page's last day its own dates or the corpus gave (``clock_day``)
    named = named_days(columns, years, days) if years or days else {}  # (``counted_day``)
    for i, basis in enumerate(columns["date_basis"]):
        start, end = columns["date_start"][i], columns["date_end"][i]
        anchored = by_words = False
        if basis == "unresolved" or clock_undated(basis, start, columns["time_text"][i]):
            text, doc = columns["time_text"][i] or "", columns["doc_id"][i]
            day = page_day(columns, i, years, days, named)
            if day is None:  # "around 1 a.m.", after a day of its page: that day
                day = clock_day(columns["time_value"][i] or "", text, doc, last_days,
                                (sentences[i] or "") if sentences else "")
            if day is None and columns["granularity"][i] == "day":
                last_days.pop(doc, None)  # (a time of day after it is of a day not known)
            month = None if day is not None else anchored_month(
                columns["time_value"][i], years.get(columns["doc_id"][i]), columns["time_text"][i] or ""
            )
            if day is not None:
                first = last = last_days[columns["doc_id"][i]] = day
                by_words = columns["doc_id"][i] in worded
            elif month is not None:
                first, last = month
            else:
                continue
            anchored = True
        elif clock_reported(basis, start, columns["time_text"][i]):
            # "The attack on Lido Beach started around 10 PM", no day told before it on its dated page: the date
            # stage gives it the page's date; a story of the next morning tells a night before, so, as a date of
            # report, it is that day or the day before (``reported`` below)
            first = last = dt.date.fromisoformat(start)
        elif basis not in OWN_DATE or not start or not end:
            continue
        else:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        time_text = columns["time_text"][i] or ""
        published = columns["published"][i] or ""
        if LAST_PERIOD_RECENT and basis == "relative" and published and LAST_PERIOD.search(time_text):
            recent = dt.date.fromisoformat(published[:10]) - LAST_PERIOD_RECENT  # (its last days are not "last week")
            if first < recent <= last:
                last = recent - ONE_DAY
        sentence = sentences[i] or "" if sentences else ""
        # a night of a day only the corpus's words gave: of its two days, words cannot tell which; it joins only its
        # page's story of either (as a day that names nothing does), and not at all inside a clause of saying ("the
        # Committee said that four men had been taken into custody on Friday night": another happening)
        page_night = by_words and is_night(time_text)
        if page_night and (not sentence or said_that(sentence, time_text)):
            continue
        event_type = columns["event_type"][i] or ""
        if event_type and event_type not in POLITICAL and sentence:
            # "the president on Wednesday threatened"; "since Islamist militants attacked on 24 March"
            event_type = clause_type(sentence, time_text) or told_type(sentence, time_text) or reaction_type(
                sentence, time_text) or event_type  # ("In a statement on Sunday, the Prime Minister denounced Iran")
        reported = first == last and event_type not in POLITICAL and (basis == "reported" or
            report_dated(sentence, time_text) or restates(said, sentence, time_text))  # fmt: skip
        said = (sentence, time_text) if reported else ("", "")
        told_day = None
        if reported:
            first -= REPORT_LAG  # when it was said, reported or photographed: it happened then or just before
        elif first == last and ("after" in sentence or "following" in sentence):
            after = aftermath(sentence, time_text)
            if after is not None:  # "On Sunday, a day after the strike, ...": it tells the strike, of the day before
                told_day, first = first, first - after[0]
                last = first if after[1] else last  # ("following the strike": that day or the day before)
        if (last - first).days >= MAX_SPAN_DAYS:  # "in 2011", "last year": when, too vaguely to count as one
            continue
        written = columns["actors"][i] or ""
        names, sides, groups = known.get(written) or known.setdefault(written, _sides(written, parties))
        if groups and sentence:  # (a side named only as who told it, "According to Kenyan officials": no side of it)
            groups = groups - attributed_only(groups, sentence)
        spots = _spots(columns, i, places or {}, provinces)
        spots = same.setdefault(spots, spots)
        bare = not (names or spots or event_type) or page_night
        if bare and (first != last or reported):
            continue
        spot = spots[0] if spots else None
        (bare_rows if bare else rows).append(
            Row(
                position=i, event_id=columns["event_id"][i], doc_id=columns["doc_id"][i],
                publisher=columns["publisher"][i] or "", published=published,
                start=first, end=last, granularity=columns["granularity"][i], spots=spots,
                actors=names, parties=sides, groups=groups,
                event_type=event_type, night=is_night(time_text), sequel=sequel(sentence, time_text),
                daytime=bool(DAYTIME.search(time_text)) and not is_night(time_text),
                reported=reported, bare=bare, anaphoric=False,
                precise=(first == last or reported) and spot is not None and spot.precision == 1 and bool(event_type)
                and event_type not in POLITICAL and not anchored, anchored=anchored or bare,
                political=event_type in POLITICAL, sentence=sentence, spot=spot, place=spot.name if spot else "",
                lat=spot.lat if spot else None, lon=spot.lon if spot else None, precision=spot.precision if spot else 3,
                told_day=told_day, late=first == last and (columns["doc_id"][i], first) in late, worded=by_words,
                evening=evening_night(time_text), firm_night=firm_night(time_text), dawn=dawn_night(time_text),
            )
        )  # fmt: skip
    # A day that names nothing is kept only where its document tells something else that day (few rows to look up);
    # a night ("filmed last night") where it tells something of either of its days
    if bare_rows:
        told = {(r.doc_id, d) for r in rows if (r.end - r.start).days <= REPORT_LAG.days for d in (r.start, r.end)}
        rows.extend(r for r in bare_rows if (r.doc_id, r.start) in told or r.night and (
            (r.doc_id, r.start - ONE_DAY) in told or (r.doc_id, r.start + ONE_DAY) in told))
    return rows


def _sides(written: str, parties: Mapping[str, str]) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """A row's actors (its ``actors`` cell), the sides they stand for (``parties_of``) and those of them named
    themselves, not through a person (``Row.groups``)."""
    names = tuple(a for a in written.split(JOIN) if a)
    if not names:
        return names, NO_SIDES, NO_SIDES
    return (names, frozenset(s for a in names for s in parties.get(a, "").split(BRANCH_OF) if s),
            frozenset(a for a in names if parties.get(a, "").split(BRANCH_OF)[0] == a))  # fmt: skip
