"""The table under the charts and the list of documents to fix: pure frame shaping."""

from __future__ import annotations

import datetime as dt

import pandas as pd

# Event columns shown in the table, and their headers.
TABLE_COLUMNS = {
    "date": "date", "granularity": "precision", "sentence": "sentence", "actors": "actors",
    "locations": "places", "event_type": "type", "time_text": "expression", "publisher": "source",
    "date_basis": "basis", "event_id": "event_id",
}  # fmt: skip


def table_frame(rows: pd.DataFrame, limit: int = 2000) -> pd.DataFrame:
    """The first ``limit`` rows by date (undated last), with a readable date and short headers."""
    shown = rows.sort_values("start", na_position="last", kind="stable").head(limit)
    fallback = shown["start"].dt.strftime("%Y-%m-%d")
    shown = shown.assign(
        date=shown["time_value"].where(shown["time_value"] != "", fallback).fillna("undated"),
        granularity=shown["granularity"].where(shown["start"].notna(), "—"),  # an undated row has no precision
    )
    return shown[list(TABLE_COLUMNS)].rename(columns=TABLE_COLUMNS).reset_index(drop=True)


def documents_to_fix(documents: pd.DataFrame) -> pd.DataFrame:
    """Readable documents without a publication date, or with an ambiguous one (e.g. 5/3/2020)."""
    ok = documents[documents["status"].astype(str) == "ok"]
    flags = ok["ambiguous"] if "ambiguous" in ok.columns else pd.Series(False, index=ok.index)
    ambiguous = flags.map(lambda v: v is True or str(v).lower() == "true")  # None/NaN are not ambiguous
    return ok[(ok["published"].fillna("").astype(str) == "") | ambiguous]


WINDOW_DAYS = (365, 180, 90, 30, 14, 7)  # widths the default window tries, widest first


def default_window(events: pd.DataFrame, bounds: tuple[dt.date, dt.date], cap: int) -> tuple[dt.date, dt.date]:
    """The whole span when its dated events fit under the mark cap, else the widest of the last
    year, 180, 90, 30, 14 or 7 days whose events fit (the last 7 days when none does).

    The first view of a large table then draws every mark of its window, and stays light."""
    dated = events[events["start"].notna()]
    if len(dated) <= cap:
        return bounds
    last = pd.Timestamp(bounds[1])
    for days in WINDOW_DAYS:
        first = max(bounds[0], bounds[1] - dt.timedelta(days=days - 1))
        if int(((dated["end"] >= pd.Timestamp(first)) & (dated["start"] <= last)).sum()) <= cap:
            return first, bounds[1]
    return max(bounds[0], bounds[1] - dt.timedelta(days=WINDOW_DAYS[-1] - 1)), bounds[1]
