"""Pure filters over the events table.

``prepare_events`` normalises a freshly read table once (dates parsed, text columns filled);
``apply_filters`` narrows it by a frozen ``FilterState``. Multi-valued columns (actors,
locations, ...) hold names joined by ``"; "``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

SEP = "; "
TEXT_COLUMNS = (
    "event_id",
    "doc_id",
    "published",
    "sentence",
    "time_text",
    "time_value",
    "granularity",
    "date_basis",
    "resolution",
    "actors",
    "locations",
    "event_type",
    "actor_types",
    "affiliations",
    "countries",
    "publisher",
    "title",
    "url",
    "published_basis",
    "sentence_kind",
)
MULTI_COLUMNS = ("actors", "locations", "actor_types", "affiliations", "countries")
HIDDEN_BASES = ("reported",)
NO_LANE = "(none)"


@dataclass(frozen=True)
class FilterState:
    """What the sidebar chose; empty tuples mean "no restriction"."""

    actors: tuple[str, ...] = ()
    include_affiliates: bool = False
    actor_types: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    granularities: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_undated: bool = True
    event_ids: tuple[str, ...] = field(default=())  # a timeline or map selection, by event_id


def prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    """Fill missing text columns with "" and parse ``date_start``/``date_end`` into ``start``/``end``."""
    out = events.copy()
    for col in TEXT_COLUMNS:
        if col not in out.columns:
            out[col] = ""
        out[col] = out[col].astype("str").fillna("")
    for col in ("lat", "lon"):
        if col not in out.columns:
            out[col] = float("nan")
        out[col] = pd.to_numeric(out[col], errors="coerce")
    out["start"] = pd.to_datetime(out.get("date_start"), errors="coerce", format="mixed")
    out["end"] = pd.to_datetime(out.get("date_end"), errors="coerce", format="mixed")
    out["end"] = out["end"].fillna(out["start"])
    return out.reset_index(drop=True)


def _split(series: pd.Series) -> pa.Array:
    """``"; "``-joined text as Arrow lists of values (Arrow-backed text is taken without a copy)."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        text = pc.fill_null(pa.array(series.array), "")
    else:
        text = pa.array(series.fillna("").astype(str).to_numpy(dtype=object), type=pa.string())
    return pc.split_pattern(text, SEP)


def _explode(series: pd.Series, keep_empty: bool) -> pd.Series:
    """Split ``"; "``-joined text into one row per value, in Arrow (C++), indexed like ``series``.

    This runs on every rerun over up to 100k rows; pandas' ``str.split().explode()`` is ~10x slower.
    """
    lists = _split(series)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parents = pc.list_parent_indices(lists).to_numpy()
    values = pd.Series(flat.to_numpy(zero_copy_only=False), index=series.index[parents], dtype=object)
    return values if keep_empty else values[values != ""]


def split_multi(series: pd.Series) -> pd.Series:
    """One row per value of a ``"; "``-joined column, indexed like ``series`` (empty values dropped)."""
    return _explode(series, keep_empty=False)


def value_counts(events: pd.DataFrame, column: str) -> pd.Series:
    """How many rows name each value of a single- or multi-valued column, most frequent first."""
    if column not in events.columns or events.empty:
        return pd.Series(dtype="int64")
    values = split_multi(events[column]) if column in MULTI_COLUMNS else events[column].astype(str)
    values = values[values != ""]
    return values.value_counts()


def _any_of(events: pd.DataFrame, column: str, wanted: Iterable[str]) -> pd.Series:
    wanted = set(wanted)
    if column in MULTI_COLUMNS:  # rows with any value in ``wanted``, without a Python object per value
        lists = _split(events[column])
        hit = pc.is_in(pc.utf8_trim_whitespace(pc.list_flatten(lists)), value_set=pa.array(sorted(wanted), pa.string()))
        rows = pc.filter(pc.list_parent_indices(lists), hit).to_numpy()
        mask = np.zeros(len(events), dtype=bool)
        mask[rows] = True
        return pd.Series(mask, index=events.index)
    return events[column].isin(wanted)


def date_mask(
    events: pd.DataFrame, date_from: dt.date | None, date_to: dt.date | None, include_undated: bool = True
) -> pd.Series:
    """Rows whose period overlaps [date_from, date_to]; undated rows kept only when asked."""
    dated = events["start"].notna()
    mask = dated.copy()
    if date_from is not None:
        mask &= events["end"] >= pd.Timestamp(date_from)
    if date_to is not None:
        mask &= events["start"] <= pd.Timestamp(date_to)
    if include_undated:
        mask |= ~dated
    return mask


def list_filters(state: FilterState) -> list[tuple[str, Sequence[str]]]:
    """The filters of ``state`` that keep a row when one of its column's values is wanted: (column, wanted)."""
    return [(column, wanted) for column, wanted in (
        ("actor_types", state.actor_types),
        ("event_type", state.event_types),
        ("locations", state.places),
        ("countries", state.countries),
        ("publisher", state.publishers),
        ("granularity", state.granularities),
        ("date_basis", state.bases),
    ) if wanted]  # fmt: skip


def apply_filters(events: pd.DataFrame, state: FilterState) -> pd.DataFrame:
    """The rows of a prepared events table that pass every filter of ``state``."""
    mask = pd.Series(True, index=events.index)
    if state.actors:
        actor_hit = _any_of(events, "actors", state.actors)
        if state.include_affiliates:
            actor_hit |= _any_of(events, "affiliations", state.actors)
        mask &= actor_hit
    for column, wanted in list_filters(state):
        mask &= _any_of(events, column, wanted)
    if state.text.strip():
        mask &= events["sentence"].str.contains(state.text.strip(), case=False, regex=False)
    mask &= date_mask(events, state.date_from, state.date_to, state.include_undated)
    if state.event_ids:
        mask &= events["event_id"].isin(set(state.event_ids))
    return events[mask]


def default_bases(available: Sequence[str]) -> list[str]:
    """Every date basis present except those hidden by default (``reported``)."""
    return [b for b in available if b not in HIDDEN_BASES]


def in_places(events: pd.DataFrame, places: Iterable[str]) -> pd.DataFrame:
    """Rows naming any of ``places`` (a map selection)."""
    places = list(places)
    return events[_any_of(events, "locations", places)] if places else events


def date_bounds(events: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """First and last day any dated row covers, or None when nothing is dated."""
    dated = events[events["start"].notna()]
    if dated.empty:
        return None
    return dated["start"].min().date(), dated["end"].max().date()


def lanes(events: pd.DataFrame, by: str, top: int = 12) -> pd.Series:
    """One row per (event, lane) for the timeline, indexed like ``events``.

    Multi-valued columns put an event in every lane it names; lanes beyond the ``top``
    most frequent fold into "other"; rows with no value go to "(none)".
    """
    if by in MULTI_COLUMNS:
        values = _explode(events[by], keep_empty=True)
    else:
        values = events[by].fillna("").astype(str)
    values = values.where(values != "", NO_LANE)
    counts = values[values != NO_LANE].value_counts()
    keep = set(counts.index[:top]) | {NO_LANE}
    return values.where(values.isin(keep), "other")


# The URL mirrors the sidebar: one query parameter per filter, lists as repeated keys.
LIST_PARAMS = {
    "actor": "actors",
    "actor_type": "actor_types",
    "event_type": "event_types",
    "place": "places",
    "country": "countries",
    "source": "publishers",
    "precision": "granularities",
    "basis": "bases",
}


def state_to_params(state: FilterState) -> dict[str, list[str] | str]:
    """Query parameters for ``state`` (only what differs from "no restriction")."""
    params: dict[str, list[str] | str] = {}
    for key, attr in LIST_PARAMS.items():
        values = getattr(state, attr)
        if values:
            params[key] = list(values)
    if state.include_affiliates:
        params["affiliates"] = "1"
    if state.text.strip():
        params["q"] = state.text.strip()
    if state.date_from:
        params["from"] = state.date_from.isoformat()
    if state.date_to:
        params["to"] = state.date_to.isoformat()
    if not state.include_undated:
        params["undated"] = "0"
    return params


def parse_date(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD parameter as a date, None when absent or malformed."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def step_window(
    window: tuple[dt.date, dt.date], bounds: tuple[dt.date, dt.date], direction: int
) -> tuple[dt.date, dt.date]:
    """Move the window by its own width (forward when ``direction`` > 0), kept inside ``bounds``."""
    width = window[1] - window[0]
    shift = (width + dt.timedelta(days=1)) * (1 if direction > 0 else -1)
    start, end = window[0] + shift, window[1] + shift
    if end > bounds[1]:
        start, end = max(bounds[0], bounds[1] - width), bounds[1]
    if start < bounds[0]:
        start, end = bounds[0], min(bounds[1], bounds[0] + width)
    return start, end


def clamp_window(window: tuple[dt.date, dt.date] | None, bounds: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The window cut to ``bounds`` (the whole span when it falls outside)."""
    if window is None:
        return bounds
    start, end = max(window[0], bounds[0]), min(window[1], bounds[1])
    return (start, end) if start <= end else bounds
