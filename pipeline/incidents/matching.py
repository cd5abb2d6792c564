"""Whether a row may join an incident (``compatible``): nothing contradicts it (its dates, its document's other
rows, the places, the sides, the types) and something agrees; and how it fits (``Fit``: how far, whether it
shares a side), for choosing among several."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pipeline.incidents.records import Incident, Row, distance_km, in_province
from pipeline.incidents.rules import (
    NO_TYPES,
    ONE_DAY,
    POLITICAL,
    RADIUS_KM,
    RELATED_TO,
    REPORTING,
    ROUTE_KM,
    ROUTE_TYPES,
    SAME_TOWN_KM,
    UNPLACED_KM,
)
from pipeline.incidents.wording import tells

# How two places matched (``place_match``)
TOWN, ROUTE, CONTAINS, NEAR = "town", "route", "contains", "near"


def place_match(a: Row, b: Row, route: bool = False) -> tuple[float | None, str]:
    """How far apart two rows' places are (None: they cannot be the same place), and how they matched: the
    same ``town`` (or two within SAME_TOWN_KM); two towns along a ``route`` (within ROUTE_KM, when ``route``);
    a coarser place that ``contains`` the other (a country the places of that country, a province those within
    its radius, two provinces the same one); a region or "near X" within its radius (``near``)."""
    towns_a = [s for s in a.spots if s.precision == 1 and not s.is_country]
    towns_b = [s for s in b.spots if s.precision == 1 and not s.is_country]
    if towns_a and towns_b:
        nearest = min(0.0 if s.name == t.name else distance_km(s, t) for s in towns_a for t in towns_b)
        if nearest <= SAME_TOWN_KM:
            return nearest, TOWN
        return (nearest, ROUTE) if route and nearest <= ROUTE_KM else (None, "")
    best: float | None = None
    how = ""
    for s in a.spots:
        for t in b.spots:
            km: float | None
            if s.is_country or t.is_country:
                km = 0.0 if s.country and s.country == t.country else None
            elif s.precision == t.precision == 3:  # two provinces: the same one (by name, or by code: "Khyber
                km = 0.0 if s.name == t.name or s.admin1 and s.admin1 == t.admin1 else None  # Pakhtunkhwa", "KP")
            elif max(s.precision, t.precision) == 3:  # a province: the places that lie in it
                km = in_province(s, t, RADIUS_KM[3]) if s.precision == 3 else in_province(t, s, RADIUS_KM[3])
            else:
                apart = distance_km(s, t)
                km = apart if apart <= RADIUS_KM[max(s.precision, t.precision)] else None
            if km is not None and (best is None or km < best):
                best = km
                how = CONTAINS if s.is_country or t.is_country or max(s.precision, t.precision) == 3 else NEAR
    return best, how


# How a row's event type agrees with an incident's (``_kin``)
SAME_KIND, RELATED_KIND, REPORTED_KIND = 0, 1, 2


def _kin(row: Row, incident: Incident) -> tuple[set[str], int] | None:
    """Whether the row's event type agrees with the incident's (None: it contradicts them): the sides to compare
    the row's with, and how. ``SAME_KIND``: the same type, or one side names none; political types are one
    kind. ``RELATED_KIND``: related types (``related_types``), which join only when one's sentence also tells
    the other's ("an airstrike hit a convoy": ``_told_both``, asked last, as it reads sentences).
    ``REPORTED_KIND``: what someone said (``reporting_types``) about an incident of another type. An incident
    told with several types is compared by the sides its reports of the row's type name (and those of reports
    without a type)."""
    kind, sides = row.event_type, incident.sides
    if kind in REPORTING and kind in sides and any(t and t not in POLITICAL for t in sides):
        # what was said about a happening: that another report of it is a saying too makes it no saying
        return incident.parties, REPORTED_KIND
    if kind in sides:
        if len(sides) > 1 and kind and not row.political and len(sides) > 1 + ("" in sides):  # several types
            return sides[kind] | sides.get("", set()), SAME_KIND
        return incident.parties, SAME_KIND
    if not kind or len(sides) == ("" in sides) or (row.political and not POLITICAL.isdisjoint(sides)):
        return incident.parties, SAME_KIND  # (the row or the incident has no type; political kinds)
    if not RELATED_TO.get(kind, NO_TYPES).isdisjoint(sides):
        return incident.parties, RELATED_KIND
    if kind in REPORTING or all(t in REPORTING for t in sides if t):
        return incident.parties, REPORTED_KIND
    return None


def _told_both(row: Row, incident: Incident, told: dict[str, bool]) -> bool:
    """Whether the row's sentence tells one of the incident's related types, or one of its reports the row's
    type. ``told``: what the row's sentence tells, filled in as asked."""
    for t in sorted(RELATED_TO.get(row.event_type, NO_TYPES).intersection(incident.sides)):
        if t not in told:
            told[t] = tells(row.sentence, t)
        if told[t]:
            return True
    return _told(incident, row.event_type)


def _told(incident: Incident, kind: str) -> bool:
    """Whether one of the incident's reports tells ``kind`` (by its type or by its sentence); kept up to date
    by ``Incident.add`` once asked."""
    told = incident.told.get(kind)
    if told is None:
        told = incident.told[kind] = any(m.event_type == kind or tells(m.sentence, kind) for m in incident.members)
    return told


def told_dates(row: Row) -> tuple[dt.date, dt.date]:
    """The dates the row's time expression says (a date of saying as said, before it was let start the day
    before)."""
    return (row.end, row.end) if row.reported else (row.start, row.end)


def _told_apart(row: Row, incident: Incident) -> bool:
    """Whether its sentence tells the incident's rows of it with other dates than the row's own (not a night told
    as two days, "late Saturday ... early Sunday"; nor a date of saying and a day it may lag, "the death toll in
    yesterday's attack has risen to 42, the official said on Friday"). Asked only when the incident holds a row
    of its document."""
    start, end = told_dates(row)
    for other in incident.members:
        if other.doc_id != row.doc_id or other.sentence != row.sentence:
            continue
        other_start, other_end = told_dates(other)
        if (other_start, other_end) == (start, end):
            continue
        one_night = (other.night or row.night) and start == end and other_start == other_end
        if one_night and abs((start - other_start).days) == 1:
            continue
        if row.reported and row.start <= other_start and other_end <= row.end or (
                other.reported and other.start <= start and end <= other.end):
            continue  # "yesterday's attack ..., the official said on Friday": the saying tells the day it may lag
        return True
    return False


def _told_beside(row: Row, incident: Incident) -> bool:
    """Whether the incident holds a row of the row's document of the same type placed by the same town's name
    (though read as its province: "Homs"): a page tells one happening of a day in a town, naming in one sentence
    its victims, in another who is accused of it ("#Turkey backed Al-Qaeda terrorists are behind the drone strike
    at the #Homs military college today"), so the sides it names need not agree. (A second happening there it
    tells as such: ``sequel_words``; in a province or a country, two sides' strikes the same day are often two.)
    Asked only when the incident holds a row of its document."""
    return row.spot is not None and row.spot.town and any(
        m.doc_id == row.doc_id and m.place == row.place and m.event_type == row.event_type for m in incident.members
    )


def _same_night(row: Row, incident: Incident) -> bool:
    """One night told as two days ("late Saturday night", "early Sunday"): adjacent days, one of them a night, the
    night between them. A night told by its morning ("early Sunday", "early yesterday") is the night before that
    day, one told by its evening's weekday ("late Saturday night") the night after it (``dawn_night_words``,
    ``evening_night_words``): an incident whose reports so tell one night is not the next day's ("inspected the
    missile attack site on Monday" after missiles that struck early Sunday) nor the day before's; nor is a row told
    by its own evening after the incident's day ("Monday night" of Sunday's), or by its own morning before it."""
    if not ((row.night or incident.night) and row.start == row.end and incident.start == incident.end
            and abs((row.start - incident.start).days) == 1):
        return False
    if row.evening if row.start > incident.start else row.dawn:
        return False  # ("Monday night" is not Sunday's night, nor "early Saturday")
    # the evening of the nights its reports tell by their evening or their morning ("late Saturday night", "early
    # Sunday": Saturday's): when they agree, the night is that one
    evenings = {m.start - ONE_DAY if m.dawn else m.start for m in incident.members if m.night and (m.dawn or m.evening)}
    return len(evenings) != 1 or min(row.start, incident.start) in evenings


def _two_days(row: Row, incident: Incident) -> bool:
    """Whether the row's page tells the two days the row would join as one night (``_same_night``) apart: the
    earlier by the weekday of its evening ("late Friday evening", "on Friday night": ``evening_night_words``), the
    later ("on Saturday") as no report of the incident (nor the row) tells it, as a night. Then they are two
    happenings: rockets downed over the region on Friday night, the city centre shelled on Saturday afternoon.
    "Late Saturday night" and "early Sunday", or a page's "last night" and "on Sunday" of a massacre others tell
    "early Sunday", are one night."""
    for m in incident.members:
        if m.doc_id == row.doc_id and m.start != row.start:
            earlier, later = (row, m.start) if row.start < m.start else (m, row.start)
            if earlier.evening and not any(x.night and x.start == later for x in (row, *incident.members)):
                return True
    return False


def _in_country(row: Row) -> bool:
    """Whether the row's finest place is a country: what a page says in one of its towns ("President Kenyatta told
    the nation in an address from State House" in Nairobi) is no saying of its incident placed only in the country.
    """
    return row.spot is not None and row.spot.is_country


class Fit(NamedTuple):
    """How a row fits an incident it may join."""

    km: float  # how far (UNPLACED_KM without a place to compare)
    sided: bool  # the incident names a side to compare the row's with
    shares: bool  # and the row shares one


BARE_FIT = Fit(UNPLACED_KM, False, False)  # a bare row fits by its document alone
Matched = dict[tuple[int, int, bool], tuple[float | None, str]]


def compatible(row: Row, incident: Incident, told: dict[str, bool] | None = None, matched: Matched | None = None
               ) -> Fit | None:
    """How ``row`` fits ``incident``, or None when something contradicts it. ``told``: which related types the
    row's sentence tells, filled in as asked (one per row). ``matched``: ``place_match`` by the identity of the
    two rows' places (``rows_from`` gives rows that name the same places the same tuple), kept by the caller for
    the run."""
    documents = incident.documents
    if row.doc_id in documents:
        if row.sequel or documents[row.doc_id]:
            return None  # "Earlier in the evening, ...": another happening than the one its document told beside it
        if row.sentence and _told_apart(row, incident):
            return None  # "Sunday's strike came after last week's bombing": one sentence, two dates, two happenings
        if row.bare:  # a tweet's date line: what its document tells of that day (of a night: of either of its days)
            return BARE_FIT if incident.start <= row.start <= incident.end or _same_night(row, incident) or any(
                m.reported and m.doc_id == row.doc_id and m.start <= row.start <= m.end for m in incident.members
            ) else None  # (or the day its page says it was reported: "Saree announced on July 7 that the ship sank")
    elif row.bare:
        return None
    if row.start > incident.start or row.end < incident.end:  # a day is the same day; a week contains it
        if not (row.start == row.end and incident.start <= row.start <= incident.end):
            if not _same_night(row, incident) or row.doc_id in documents and _two_days(row, incident):
                return None
    if (row.firm_night or row.daytime) and incident.hours == {not row.firm_night}:
        # "on Thursday afternoon": not what every report of the incident that names its hour calls a night ("early
        # Sunday", a night only by "early", may be its morning: no hour against "shortly after noon")
        return None
    kin = _kin(row, incident)
    if kin is None and row.doc_id in documents and not row.spots and not row.parties and row.start == row.end and (
            tells(row.sentence, incident.event_type)):
        # a page's row of that day placed nowhere and naming no side, typed otherwise by a word before ("The warning
        # siren for incoming rocket fire sounded at 6:18 p.m. on Saturday"), whose sentence tells its page's incident
        kin = incident.parties, SAME_KIND
    if kin is None:
        return None
    sides, kind = kin
    shared = bool(row.parties & sides)
    if row.sequel and not row.spots and not shared:
        # "Later on Friday evening, a hospital spokesperson stated that 55 people had died": told as apart from its
        # page's story, placed nowhere and naming no side of another page's incident, nothing but its day ties it there
        return None
    # What a page says of its own incident that day ("300 people had gathered in the village early Tuesday morning,
    # an eyewitness told CNN") names no side of its own: it joins where one place holds the other (below)
    own_saying = kind == REPORTED_KIND and not row.parties and row.doc_id in documents
    if kind != SAME_KIND and not shared and not own_saying:  # told as another type: the same side must be named
        return None
    same_town = False
    if not row.spots or not incident.place.spots:
        if kind == REPORTED_KIND and not (own_saying and not row.spots and row.event_type in REPORTING):
            return None  # what was said joins what happened in the same town (or, placed nowhere, its page's own)
        km = UNPLACED_KM
    else:
        route = row.event_type in ROUTE_TYPES or incident.place.event_type in ROUTE_TYPES
        if matched is None:
            found, how = place_match(row, incident.place, route)
        else:
            key = (id(row.spots), id(incident.place.spots), route)
            known = matched.get(key)
            if known is None:
                known = matched[key] = place_match(row, incident.place, route)
            found, how = known
        same_town = how == TOWN
        if (kind == RELATED_KIND and how == NEAR) or (
                kind == REPORTED_KIND and not same_town and not (own_saying and how == CONTAINS and not (
                    _in_country(row) or _in_country(incident.place)))):
            return None  # told as another type: not merely near each other; what was said, in the same town
        if found is None and not (shared and row.political and incident.event_type in POLITICAL):
            return None  # a meeting is placed where it was held or what it was about: its sides say which
        km = UNPLACED_KM if found is None else found
    # The sides: a sentence also names bystanders, victims and the sides of a response, so in the same town the
    # same day two reports of the same kind of event are one incident whoever they name; elsewhere they must
    # share a side (or one names none). A side named only through a person (an official quoted, "Zelenskyy's
    # hometown") is no contradiction: people named are mostly those who speak of it, not who did it.
    if row.parties and sides and not shared and not same_town and row.groups and incident.groups and not (
            row.doc_id in documents and _told_beside(row, incident)):
        return None
    # Nothing contradicts; something must agree: a place, a side or a type ("Syrian forces entered its outskirts
    # earlier Monday" is no part of what a photo credit "Al Quneitra Today" placed that day).
    if km == UNPLACED_KM and not shared and not (row.event_type and len(incident.sides) > ("" in incident.sides)):
        return None
    if kind == RELATED_KIND and not _told_both(row, incident, {} if told is None else told):
        return None
    return Fit(km, bool(sides), shared)
