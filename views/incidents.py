"""Counting incidents instead of reports: the filtered event rows collapsed to one row per incident.

An incident (pipeline/incidents/) is the rows of several documents that report one happening. Collapsed,
it is one row shaped like an event row, so the overview, the lanes, the timeline, the map and the table
count it once: its best date, its place, its actors and type, and in ``time_text`` how many sources told
it. An incident passes the filters when one of its reports does.
"""

from __future__ import annotations

import pandas as pd

from views import export

COUNT_CHOICES = ["reports", "incidents"]
# The incident's own values replace its first report's in the collapsed row.
FROM_INCIDENT = {
    "date_start": "date_start", "date_end": "date_end", "granularity": "granularity", "locations": "place",
    "lat": "lat", "lon": "lon", "actors": "actors", "event_type": "event_type",
}  # fmt: skip
INCIDENT_EXPORT = (
    "incident_id", "date_start", "date_end", "granularity", "place", "lat", "lon", "actors", "event_type",
    "sources", "documents", "first_reported", "date_agreement", "explanation", "reports",
)  # fmt: skip
SOURCE_COLUMNS = {"published": "published", "publisher": "outlet", "url": "link", "time_text": "expression",
                  "time_value": "date", "sentence": "sentence", "doc_id": "document"}  # fmt: skip


def one_per_incident(rows: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per incident among ``rows`` (its first report, earliest first), with the incident's values."""
    if "incident_id" not in rows.columns or incidents.empty:
        return rows.iloc[0:0]
    members = rows[rows["incident_id"].fillna("").astype(str) != ""]
    first = members.sort_values(["start", "event_id"], kind="stable").drop_duplicates("incident_id")
    info = incidents.drop_duplicates("incident_id").set_index("incident_id").reindex(first["incident_id"])
    out = first.copy()
    for column, source in FROM_INCIDENT.items():
        out[column] = info[source].to_numpy()
    for column in ("lat", "lon"):
        out[column] = pd.to_numeric(out[column], errors="coerce")
    for column in ("date_start", "date_end", "granularity", "locations", "actors", "event_type"):
        out[column] = out[column].fillna("").astype(str)
    out["start"] = pd.to_datetime(out["date_start"], errors="coerce", format="mixed")
    out["end"] = pd.to_datetime(out["date_end"], errors="coerce", format="mixed").fillna(out["start"])
    out["time_value"] = out["date_start"].where(out["date_start"] == out["date_end"], out["date_start"] + "/" +
                                                out["date_end"])  # fmt: skip
    sources = pd.to_numeric(info["sources"], errors="coerce").fillna(0).astype(int).to_numpy()
    reports = pd.to_numeric(info["reports"], errors="coerce").fillna(0).astype(int).to_numpy()
    out["sources"] = sources
    out["time_text"] = [f"incident: {s} source{'s' if s != 1 else ''}, {r} report{'s' if r != 1 else ''}"
                        for s, r in zip(sources, reports, strict=True)]  # fmt: skip
    out["explanation"] = info["explanation"].fillna("").astype(str).to_numpy()
    return out.sort_values(["start", "event_id"], kind="stable").reset_index(drop=True)


def incident_sources(incident_id: str, events: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Every report of an incident: its sentence, the outlet, the link (as text) and when it was published."""
    rows = events[events["incident_id"] == incident_id] if "incident_id" in events.columns else events.iloc[0:0]
    rows = rows.sort_values(["published", "doc_id", "event_id"], kind="stable")
    return rows[list(SOURCE_COLUMNS)].rename(columns=SOURCE_COLUMNS).reset_index(drop=True)


def reports_of(collapsed: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Every event row of the incidents shown (one row each in ``collapsed``), in the events' order."""
    if "incident_id" not in events.columns or "incident_id" not in collapsed.columns:
        return events.iloc[0:0]
    return events[events["incident_id"].isin(set(collapsed["incident_id"]))]


def incidents_rows(collapsed: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents table's rows for the incidents shown, in their order."""
    ids = collapsed["incident_id"].tolist() if "incident_id" in collapsed.columns else []
    table = incidents.drop_duplicates("incident_id").set_index("incident_id").reindex(ids).reset_index()
    return table[[c for c in INCIDENT_EXPORT if c in table.columns]]


def csv_bytes(incident_rows: pd.DataFrame) -> bytes:
    """UTF-8 CSV of the incidents with every text cell neutralised for spreadsheets."""
    frame = incident_rows.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(export.neutralise)
    return frame.to_csv(index=False).encode("utf-8")
