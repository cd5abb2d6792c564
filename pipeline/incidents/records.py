"""What grouping reads and builds: a place a row names (``Spot``), an event row as grouping reads it (``Row``), an
incident as it forms (``Incident``), and the distance between two places."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from pipeline import geo
from pipeline.incidents.rules import POLITICAL
from pipeline.incidents.wording import tells


class Spot(NamedTuple):
    """A place a row names: where it is, how precisely, and in which country."""

    name: str
    lat: float
    lon: float
    precision: int  # 1 town, 2 region or near, 3 province or country
    country: str
    is_country: bool
    town: bool = False  # named as a town, though read as its province ("Homs")
    admin1: str = ""  # the first-level region it lies in (or is), by its code; "" unknown


class Row(NamedTuple):
    """What grouping reads of one event row (a named tuple: one is made for every dated row)."""

    position: int  # in the event table
    event_id: str
    doc_id: str
    publisher: str
    published: str
    start: dt.date
    end: dt.date
    granularity: str
    spots: tuple[Spot, ...]  # every place the sentence names, the finest first
    actors: tuple[str, ...]
    parties: frozenset[str]
    groups: frozenset[str]  # the sides named themselves (a state, an armed group), not through a person
    event_type: str
    night: bool  # "late Saturday night", "overnight", "early Sunday": a night reported on either of its days
    daytime: bool  # "on Thursday afternoon" (and no night word): not a night's happening
    sequel: bool  # "earlier in the evening", "hours later": another happening than the one its document told before
    reported: bool  # its date is when it was said or reported (``report_dated``): it starts the day before
    bare: bool  # a day that names nothing else (a tweet's date line): joins what its document tells of that day
    anaphoric: bool  # it told "the attack" and joined nothing: now its page's story's (``grouping._deferred``)
    precise: bool  # a day, a town and a violent or physical event type: joins the nearest compatible incident
    anchored: bool  # a day and month whose year comes from its document's own dates: joins, never founds
    political: bool  # a meeting, an agreement, a statement or a threat
    sentence: str  # read only when it matters: the types it tells (``tells``), its words (``Lexicon``)
    # The finest place (fields, not properties: read for every comparison)
    spot: Spot | None
    place: str
    lat: float | None
    lon: float | None
    precision: int  # 3 without a place
    told_day: dt.date | None = None  # "On Sunday, a day after the strike": the day it names (it is dated the strike's)
    late: bool = False  # its day its page gives only as "yesterday" or "today" (``publication_days``): maybe a day late
    worded: bool = False  # its day only the corpus's news sharing its page's rare words gives: it never founds
    evening: bool = False  # a night told by its evening's weekday ("late Friday evening": ``rules.evening_night``)
    # a night told by a word of the night ("Saturday night", "overnight", "at dawn": ``night_words``), not only by
    # "early" or "late" ("early Sunday" may be its morning): the hour its reports name (``Incident.hours``)
    firm_night: bool = False
    dawn: bool = False  # a night told by the day of its morning ("early Sunday": ``rules.dawn_night``)


@dataclass(eq=False)
class Incident:
    members: list[Row]
    start: dt.date
    end: dt.date
    place: Row  # the member with the finest place
    parties: set[str] = field(default_factory=set)  # every side its reports name
    event_type: str = ""  # the first type told
    night: bool = False
    sides: dict[str, set[str]] = field(default_factory=dict)  # the sides its reports of each type name ("": none)
    # whether its reports tell a type, once asked (``matching._told``)
    told: dict[str, bool] = field(default_factory=dict)
    documents: dict[str, bool] = field(default_factory=dict)  # its documents: whether one of their rows is a sequel
    hours: set[bool] = field(default_factory=set)  # the parts of the day its reports name (True: a firm night)
    groups: set[str] = field(default_factory=set)  # the sides its reports name themselves (``Row.groups``)
    merged: bool = False  # moved into another incident (``grouping._late_pages``)

    def __post_init__(self) -> None:
        for row in self.members:
            self.documents[row.doc_id] = self.documents.get(row.doc_id, False) or row.sequel
            self.groups |= row.groups
            if row.firm_night or row.daytime:
                self.hours.add(row.firm_night)

    def add(self, row: Row) -> None:
        self.members.append(row)
        self.documents[row.doc_id] = self.documents.get(row.doc_id, False) or row.sequel
        for kind, told in self.told.items():
            if not told:
                self.told[kind] = row.event_type == kind or tells(row.sentence, kind)
        self.sides.setdefault(row.event_type, set()).update(row.parties)
        if row.start <= self.end and row.end >= self.start:  # a night's other day leaves the dates as they were
            self.start, self.end = max(self.start, row.start), min(self.end, row.end)
        # (a saying's night or hour is when it was said, not when the happening it tells of was)
        said = row.political and self.event_type not in POLITICAL
        self.night = self.night or row.night and not said
        if (row.firm_night or row.daytime) and not said:
            self.hours.add(row.firm_night)
        if row.spots and not row.anchored and (not self.place.spots or row.precision < self.place.precision):
            self.place = row
        self.parties |= row.parties
        self.groups |= row.groups
        self.event_type = self.event_type or row.event_type


# name -> (lat, lon, kind, country, precision, admin1): the rows of places.csv
Places = Mapping[str, tuple[float, float, str, str, int, str]]

# Where the corpus's news of an undated page's weekday is looked up (``corpus_dates``): a town (its coordinates,
# rounded; with the words of the names its row or a day's news there gives, ``corpus_dates._named``) or, for a row
# in no town, a side it names
NewsKey = tuple[float, float] | tuple[float, float, str] | str


def distance_km(a: Spot, b: Spot) -> float:
    """Great-circle distance between two places."""
    return geo.km((a.lat, a.lon), (b.lat, b.lon))


def in_province(province: Spot, place: Spot, radius_km: float) -> float | None:
    """How far ``place`` lies from the point of ``province`` (a place of precision 3, not a country) when it lies
    in it, else None: by their first-level region when both are known (Khar lies in Khyber Pakhtunkhwa, 100 km
    from its point; a town 40 km across the border of the next province does not), within ``radius_km`` of its
    point otherwise. The distance is given no larger than ``radius_km``, so a town of a wide province is no
    further than one of a small one."""
    apart = distance_km(province, place)
    if province.admin1 and place.admin1:
        return min(apart, radius_km) if province.admin1 == place.admin1 else None
    return apart if apart <= radius_km else None
