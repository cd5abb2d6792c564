"""Incidents: the event rows of the whole corpus that report the same real-world happening, grouped.

A row can be part of an incident when it has a date of its own (``explicit``, ``relative`` or ``inherited``;
a ``reported`` row's date is only when it was reported) no coarser than a month, and says something about
what happened (an event type, an actor or a place). Rows are taken finest first: days before weeks and
months, towns before provinces. A row joins an incident when nothing contradicts it:

- dates: a day joins the same day; a coarser value (a week, a month) only contains the incident's date;
- place: the same town (or two names within ``SAME_TOWN_KM``); a coarser place (a region, a province, a
  country) lies within a distance that depends on its precision (``RADIUS_KM``);
- actors: the parties named (states and armed groups; a person stands for the side he or she belongs to;
  monitors, media and aid groups are no party) overlap, or one side names none;
- event type: the same, or one side has none.

A row that is precise (a day, a town, an event type) joins the nearest compatible incident. A row that is
coarse in any of these (a week, a province, no place, no type) joins only when exactly one incident is
compatible; otherwise it stays an incident of its own. Incidents are looked up by day and by map cell, so
the rows are never compared all against all.

The functions are pure: the caller passes the event table's columns and gets back each row's incident id
and the incident rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

# The event table's columns grouping reads.
COLUMNS_READ = (
    "event_id", "doc_id", "publisher", "published", "date_basis", "date_start", "date_end", "granularity",
    "actors", "locations", "event_type", "lat", "lon", "place_precision",
)  # fmt: skip
DATED = frozenset({"explicit", "relative", "inherited"})
SAME_TOWN_KM = 2.0  # two town names closer than this are one place (gazetteers disagree by a few hundred metres)
RADIUS_KM = {1: SAME_TOWN_KM, 2: 30.0, 3: 150.0}  # how far a place of each precision may be from the incident
MAX_SPAN_DAYS = 31  # a date coarser than a month (a quarter, a year) is too vague to make an incident
UNPLACED_KM = RADIUS_KM[3] + 1  # the distance given to a pair where one side names no place
CELL_DEG = 0.5  # map cells for the look-up (~55 km)
SCAN_LIMIT = 256  # incidents looked at for a coarse row: past this many, it cannot tell which it is
NOT_PARTIES = frozenset({"media", "monitor", "civil society", "international organisation", "platform"})
JOIN = "; "


def parties_of(dictionary: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Each actor's side, from the actor dictionary (name -> (type, affiliation)): a state or an armed group
    is its own side, a person the side he or she belongs to; an observer (a monitor, the media, an aid group)
    is none ("")."""
    sides = {}
    for name, (kind, affiliation) in dictionary.items():
        if kind in NOT_PARTIES:
            sides[name] = ""
        elif kind == "person":
            sides[name] = affiliation if affiliation in dictionary else ""
        else:
            sides[name] = name
    return sides


class Row(NamedTuple):
    """What grouping reads of one event row (a named tuple: one is made for every dated row)."""

    index: int
    event_id: str
    doc_id: str
    publisher: str
    published: str
    start: dt.date
    end: dt.date
    granularity: str
    place: str
    lat: float | None
    lon: float | None
    precision: int
    actors: tuple[str, ...]
    parties: frozenset[str]
    event_type: str

    @property
    def precise(self) -> bool:
        return self.start == self.end and self.precision == 1 and self.lat is not None and bool(self.event_type)


@dataclass(eq=False)
class Incident:
    members: list[Row]
    start: dt.date
    end: dt.date
    place: Row  # the member with the finest place
    parties: set[str] = field(default_factory=set)
    event_type: str = ""

    def add(self, row: Row) -> None:
        self.members.append(row)
        self.start, self.end = max(self.start, row.start), min(self.end, row.end)
        if row.lat is not None and (self.place.lat is None or row.precision < self.place.precision):
            self.place = row
        self.parties |= row.parties
        self.event_type = self.event_type or row.event_type


def rows_from(columns: Mapping[str, Sequence], parties: Mapping[str, str]) -> list[Row]:
    """The event rows that can be part of an incident, from the event table's columns (as lists)."""
    rows = []
    for i, basis in enumerate(columns["date_basis"]):
        start, end = columns["date_start"][i], columns["date_end"][i]
        if basis not in DATED or not start or not end:
            continue
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if (last - first).days >= MAX_SPAN_DAYS:  # "in 2011", "last year": when, too vaguely to count as one
            continue
        names = tuple(a for a in (columns["actors"][i] or "").split(JOIN) if a)
        place = (columns["locations"][i] or "").split(JOIN)[0]
        event_type = columns["event_type"][i] or ""
        if not (names or place or event_type):
            continue
        lat, lon = columns["lat"][i], columns["lon"][i]
        has_place = lat is not None and lon is not None and not (isinstance(lat, float) and math.isnan(lat))
        precision = columns["place_precision"][i]
        rows.append(
            Row(
                index=i, event_id=columns["event_id"][i], doc_id=columns["doc_id"][i],
                publisher=columns["publisher"][i] or "", published=columns["published"][i] or "",
                start=first, end=last,
                granularity=columns["granularity"][i], place=place if has_place else "",
                lat=float(lat) if has_place else None, lon=float(lon) if has_place else None,
                precision=int(precision) if has_place and precision is not None else 3,
                actors=names, parties=frozenset(p for a in names if (p := parties.get(a, a))),
                event_type=event_type,
            )
        )  # fmt: skip
    return rows


def distance_km(a: Row, b: Row) -> float:
    """Great-circle distance between two rows' places (haversine)."""
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def compatible(row: Row, incident: Incident) -> float | None:
    """How far ``row`` is from ``incident`` (km; 0 without places), or None when something contradicts it."""
    if row.start > incident.start or row.end < incident.end:  # a day is the same day; a week contains it
        if not (row.start == row.end and incident.start <= row.start <= incident.end):
            return None
    if row.event_type and incident.event_type and row.event_type != incident.event_type:
        return None
    if row.parties and incident.parties and not (row.parties & incident.parties):
        return None
    place = incident.place
    if row.lat is None or place.lat is None:
        return UNPLACED_KM  # nothing contradicts it, and any incident with a place in range is nearer
    km = distance_km(row, place)
    if row.precision == 1 and place.precision == 1 and row.place != place.place and km > SAME_TOWN_KM:
        return None  # two towns, however close, are two places
    return km if km <= RADIUS_KM.get(max(row.precision, place.precision), RADIUS_KM[3]) else None


def _cells(row: Row) -> list[tuple[int, int] | None]:
    """The map cells a row's incidents may lie in (None for incidents without a place)."""
    if row.lat is None or row.lon is None:
        return [None]
    reach = math.ceil(RADIUS_KM.get(row.precision, RADIUS_KM[3]) / 111.0 / CELL_DEG) if row.precision > 1 else 1
    y, x = int(row.lat // CELL_DEG), int(row.lon // CELL_DEG)
    return [(y + dy, x + dx) for dy in range(-reach, reach + 1) for dx in range(-reach, reach + 1)]


def _cell(row: Row) -> tuple[int, int] | None:
    return None if row.lat is None or row.lon is None else (int(row.lat // CELL_DEG), int(row.lon // CELL_DEG))


def _order(row: Row) -> tuple:
    """Finest first: days before coarser dates, precise rows before coarse ones, towns before provinces."""
    return ((row.end - row.start).days, not row.precise, row.precision, row.lat is None, row.index)


def group(rows: Sequence[Row]) -> list[Incident]:
    """The incidents the rows form, each row in exactly one."""
    incidents: list[Incident] = []
    by_day: dict[tuple[dt.date, tuple[int, int] | None], list[Incident]] = {}
    by_day_any: dict[dt.date, list[Incident]] = {}
    for row in sorted(rows, key=_order):
        span = (row.end - row.start).days
        days = [row.start + dt.timedelta(d) for d in range(span + 1)] if span < MAX_SPAN_DAYS else []
        if row.lat is None:  # no place: any incident of the day may be it (if only one is)
            pools = [by_day_any.get(day, []) for day in days]
        else:
            pools = [by_day.get((day, cell), []) for day in days for cell in [*_cells(row), None]]
        candidates: list[tuple[float, int, Incident]] = []
        seen: set[int] = set()
        for pool in pools:
            for incident in pool:
                if id(incident) in seen:
                    continue
                seen.add(id(incident))
                km = compatible(row, incident)
                if km is not None:
                    candidates.append((km, len(candidates), incident))
            if not row.precise and (len(candidates) > 1 or len(seen) > SCAN_LIMIT):
                break  # ambiguous, or too many to tell apart: a coarse row joins none of them
        chosen = None
        if row.precise and candidates:
            chosen = min(candidates, key=lambda c: (c[0], c[1]))[2]
        elif len(candidates) == 1 and len(seen) <= SCAN_LIMIT:
            chosen = candidates[0][2]
        if chosen is not None:
            before = _cell(chosen.place)
            chosen.add(row)
            if _cell(chosen.place) != before:  # the incident found a finer place: findable there too
                _index(chosen, by_day, by_day_any)
            continue
        incident = Incident([row], row.start, row.end, row, set(row.parties), row.event_type)
        incidents.append(incident)
        _index(incident, by_day, by_day_any, new=True)
    return incidents


def _index(incident: Incident, by_day: dict, by_day_any: dict, new: bool = False) -> None:
    """File the incident under each of its days, in its map cell and among all of the day's incidents."""
    span = (incident.end - incident.start).days
    if span >= MAX_SPAN_DAYS:
        return
    for d in range(span + 1):
        day = incident.start + dt.timedelta(d)
        pool = by_day.setdefault((day, _cell(incident.place)), [])
        if new or not any(i is incident for i in pool):
            pool.append(incident)
        if new:
            by_day_any.setdefault(day, []).append(incident)


# ---- the incident rows ---------------------------------------------------------------------------------------------


def incident_id(incident: Incident) -> str:
    """Stable for the same input: from the event id of the row the incident started from."""
    return "inc-" + hashlib.sha1(incident.members[0].event_id.encode("utf-8")).hexdigest()[:10]


def best_date(members: Sequence[Row]) -> tuple[dt.date, dt.date, str, str]:
    """The finest value the members agree on: (start, end, granularity, agreement). Agreement is ``single`` (one
    report), ``agree`` (all give the same value), ``consistent`` (coarser values contain the finest) or
    ``disagree`` (no value fits every report: the span of all of them)."""
    start, end = max(m.start for m in members), min(m.end for m in members)
    finest = min(members, key=lambda m: ((m.end - m.start).days, m.index))
    if start > end:
        low, high = min(m.start for m in members), max(m.end for m in members)
        return low, high, "range", "disagree"
    if len(members) == 1:
        return start, end, finest.granularity, "single"
    same = all((m.start, m.end) == (start, end) for m in members)
    granularity = finest.granularity if (finest.start, finest.end) == (start, end) else "range"
    return start, end, granularity, "agree" if same else "consistent"


def _ranked(values: Sequence[str]) -> list[str]:
    """Distinct values, most frequent first (ties: first seen)."""
    counts = Counter(v for v in values if v)
    return sorted(counts, key=lambda v: -counts[v])


def incident_row(incident: Incident) -> dict:
    members = incident.members
    start, end, granularity, agreement = best_date(members)
    place = incident.place
    actors = _ranked([a for m in members for a in m.actors])
    event_type = (_ranked([m.event_type for m in members]) or [""])[0]
    documents = sorted({m.doc_id for m in members})
    sources = {m.publisher or m.doc_id for m in members}
    published = [m.published for m in members if m.published]
    return {
        "incident_id": incident_id(incident),
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "granularity": granularity,
        "place": place.place,
        "lat": place.lat,
        "lon": place.lon,
        "actors": JOIN.join(actors),
        "event_type": event_type,
        "sources": len(sources),
        "documents": len(documents),
        "first_reported": min(published) if published else "",
        "date_agreement": agreement,
        "explanation": explanation(incident, start, end, agreement, actors, event_type, len(sources)),
        "reports": len(members),
    }


def _date_words(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"


def explanation(
    incident: Incident, start: dt.date, end: dt.date, agreement: str, actors: list[str], event_type: str, sources: int
) -> str:
    """Why the members were joined, e.g. ``same day 2021-03-14; Saraqib within 2 km; actors Russia; 3 sources``."""
    members = incident.members
    if len(members) == 1:
        row = members[0]
        parts = [f"one report: {_date_words(start, end)}"]
        if row.place:
            parts.append(row.place)
    else:
        parts = [
            {"agree": "same day" if start == end else "same dates", "consistent": "dates contain",
             "disagree": "dates disagree"}[agreement] + f" {_date_words(start, end)}"
        ]  # fmt: skip
        place = incident.place
        if place.lat is not None:
            placed = [m for m in members if m.lat is not None]
            far = max(distance_km(m, place) for m in placed)
            names = _ranked([m.place for m in placed])
            within = f" within {max(1, math.ceil(far))} km" if far > 0.5 else ""
            others = f" (also {', '.join(n for n in names if n != place.place)})" if len(names) > 1 else ""
            parts.append(f"{place.place}{within}{others}")
            if len(placed) < len(members):
                parts.append(f"{len(members) - len(placed)} without a place")
        else:
            parts.append("no place named")
    if event_type:
        parts.append(event_type)
    if actors:
        parts.append("actors " + ", ".join(actors))
    parts.append(f"{sources} source{'s' if sources != 1 else ''}")
    return "; ".join(parts)


def incidents_of(
    columns: Mapping[str, Sequence], parties: Mapping[str, str]
) -> tuple[list[str], list[dict]]:
    """Each event row's incident id ("" for a row that is none) and the incident rows, earliest first."""
    ids = [""] * len(columns["event_id"])
    rows = []
    for incident in group(rows_from(columns, parties)):
        row = incident_row(incident)
        for member in incident.members:
            ids[member.index] = row["incident_id"]
        rows.append(row)
    rows.sort(key=lambda r: (r["date_start"], r["date_end"], r["incident_id"]))
    return ids, rows


# ---- publication dates from the corpus -------------------------------------------------------------------------------


def inferred_publication(
    columns: Mapping[str, Sequence], ids: Sequence[str], incident_rows: Sequence[dict], undated: set[str]
) -> dict[str, tuple[str, str]]:
    """For each undated document that reports an incident other, dated documents reported after it happened:
    the earliest date it can have been published (it reports a past incident: not before the incident) and
    why. Only a lower bound: its relative dates ("on Sunday") stay unresolved, since no bound of this kind
    makes them exact."""
    by_id = {r["incident_id"]: r for r in incident_rows}
    members: dict[str, list[int]] = {}
    for i, incident in enumerate(ids):
        if incident:
            members.setdefault(incident, []).append(i)
    bounds: dict[str, tuple[str, str]] = {}
    for incident, rows in members.items():
        row = by_id[incident]
        docs = {columns["doc_id"][i] for i in rows}
        others = sorted({(columns["published"][i], columns["publisher"][i] or columns["doc_id"][i])
                         for i in rows if columns["doc_id"][i] not in undated and columns["published"][i]})  # fmt: skip
        if not others or others[0][0] < row["date_end"]:  # none dated, or one reported it before it ended
            continue
        for doc in docs & undated:
            if doc in bounds and bounds[doc][0] >= row["date_start"]:
                continue
            named = ", ".join(f"{who} {when}" for when, who in others[:3]) + (" …" if len(others) > 3 else "")
            bounds[doc] = (
                row["date_start"],
                f"not before {row['date_start']}: reports incident {incident} ({row['explanation']}), dated by "
                f"{len(others)} other report{'s' if len(others) > 1 else ''} ({named}); its relative dates stay "
                "unresolved (a lower bound does not fix them)",
            )
    return bounds
