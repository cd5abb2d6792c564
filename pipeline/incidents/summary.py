"""The incidents of the event table (``incidents_of``), a month at a time: each row's incident id, and a row per
incident with its best date (``best_date``), place, actors, type, sources and why its members were joined
(``explanation``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence

from pipeline.incidents.corpus_dates import row_months
from pipeline.incidents.grouping import group
from pipeline.incidents.records import Incident, Places, Row, distance_km
from pipeline.incidents.rows import rows_from
from pipeline.incidents.rules import JOIN


def incidents_of(
    columns: Mapping[str, Sequence], parties: Mapping[str, str], places: Places | None = None,
    provinces: frozenset[str] = frozenset(), years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None, worded: frozenset[str] = frozenset(),
    countries: Mapping[str, frozenset[str]] | None = None, every: Mapping[str, Sequence] | None = None,
) -> tuple[list[str], list[dict]]:
    """Each event row's incident id ("" for a row that is none) and the incident rows, month after month (the
    month of the rows' dates as written, ``row_months``), by date within a month.

    The rows are grouped a month at a time: an incident's reports are all dated in one month, and how rare a word
    is (``grouping.Lexicon``) is counted among that month's reports. So a corpus too large to hold is grouped a
    month at a time (``months``), and a rebuild groups again only the months its changes touch.

    ``parties``: each actor's side (``parties_of``); ``places``: the places table by name; ``provinces``: the
    names of provinces (a town of the same name is read as the province); ``years``, ``days``, ``worded``: as
    ``rows_from``; ``countries``, ``every``: as ``row_months`` (the news rows' own, ``countries``, among
    ``columns``)."""
    ids, by_month = incidents_by_month(columns, parties, places, provinces, years, days, worded, countries, every)
    return ids, [row for _, rows in by_month for row in rows]


def incidents_by_month(
    columns: Mapping[str, Sequence], parties: Mapping[str, str], places: Places | None = None,
    provinces: frozenset[str] = frozenset(), years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None, worded: frozenset[str] = frozenset(),
    countries: Mapping[str, frozenset[str]] | None = None, every: Mapping[str, Sequence] | None = None,
) -> tuple[list[str], list[tuple[int, list[dict]]]]:
    """As ``incidents_of``, the incident rows of each month apart: (month, its incident rows), month after month.
    ``countries``, ``every``: as ``row_months``."""
    ids = [""] * len(columns["event_id"])
    found: list[tuple[int, list[dict]]] = []
    months, years, days, worded = row_months(columns, years, days, worded, countries=countries, every=every)
    by_month: dict[int, list[int]] = {}
    for i, month in enumerate(months):
        if month >= 0:
            by_month.setdefault(month, []).append(i)
    for month in sorted(by_month):
        picked = by_month[month]
        rows = []
        for incident in group(rows_from({k: [v[i] for i in picked] for k, v in columns.items()}, parties, places,
                                        provinces, years, days, worded)):  # fmt: skip
            row = incident_row(incident)
            for member in incident.members:
                ids[picked[member.position]] = row["incident_id"]
            rows.append(row)
        found.append((month, sorted(rows, key=lambda r: (r["date_start"], r["date_end"], r["incident_id"]))))
    return ids, found


def incident_id(incident: Incident) -> str:
    """Stable for the same input: from the event id of its first report in input order (so a report added after
    the others leaves the incidents it joins their ids, and a rebuild the rows of their reports as they were)."""
    first = min(incident.members, key=lambda m: m.position)
    return "inc-" + hashlib.sha1(first.event_id.encode("utf-8")).hexdigest()[:10]


def best_date(members: Sequence[Row]) -> tuple[dt.date, dt.date, str, str]:
    """The finest value the members agree on: (start, end, granularity, agreement). Agreement is ``single`` (one
    report), ``agree`` (all give the same value), ``consistent`` (coarser values contain the finest) or
    ``disagree`` (no value fits every report: the span of all of them)."""
    start, end = max(m.start for m in members), min(m.end for m in members)
    finest = min(members, key=lambda m: ((m.end - m.start).days, m.position))
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
    if len(members) == 1:  # most incidents are told once: no counting to do
        return _single_row(incident, members[0])
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


def _single_row(incident: Incident, row: Row) -> dict:
    actors = list(dict.fromkeys(row.actors))
    parts = [f"one report: {_date_words(row.start, row.end)}"] + [p for p in (row.place, row.event_type) if p]
    if actors:
        parts.append("actors " + ", ".join(actors))
    return {
        "incident_id": incident_id(incident), "date_start": row.start.isoformat(), "date_end": row.end.isoformat(),
        "granularity": row.granularity, "place": row.place, "lat": row.lat, "lon": row.lon,
        "actors": JOIN.join(actors), "event_type": row.event_type, "sources": 1, "documents": 1,
        "first_reported": row.published, "date_agreement": "single",
        "explanation": "; ".join([*parts, "1 source"]), "reports": 1,
    }  # fmt: skip


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
            placed = [m for m in members if m.spot is not None]
            # how far its towns and "near X" lie (a province or a country holds the place: named, not measured)
            far = max([distance_km(m.spot, place.spot) for m in placed if m.precision < 3], default=0.0)  # type: ignore[arg-type]
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
