"""Timeline figures: an aggregated overview and per-event marks for the current window.

Day events are markers, week/month/year events are bars over ``start``–``end`` so the
precision shows at a glance; undated events never get a fake date (they are listed apart,
see ``undated_events``). Every mark carries its ``event_id`` as ``customdata[0]`` so a
click or box selection comes back to Python as event ids.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from views.filters import NO_LANE, lanes

DAY_MS = 86_400_000
PALETTE = qualitative.D3 + qualitative.Dark2 + qualitative.Set1  # distinct colours first
WEBGL_ABOVE = 1000  # Scattergl only pays off for many markers; SVG keeps small figures crisp
HOVER = (
    "<b>%{customdata[1]}</b> (%{customdata[2]})<br>%{customdata[3]}<br>"
    "actors: %{customdata[4]}<br>places: %{customdata[5]}<br><i>%{customdata[6]}</i><extra>%{y}</extra>"
)
MARK_COLUMNS = ("event_id", "start", "end", "granularity", "time_text", "actors", "locations", "sentence")
LANE_COLUMNS = {"actor": "actors", "event type": "event_type", "source": "publisher"}


def lane_colors(names: list[str]) -> dict[str, str]:
    """A distinct colour per name in the given order (most frequent first); grey for "(none)" and "other".

    The page passes every name of the whole table, most frequent first, so a name keeps its colour
    in every view and under every filter.
    """
    colors = {}
    for name in names:
        if name not in (NO_LANE, "other"):
            colors[name] = PALETTE[len(colors) % len(PALETTE)]
    colors[NO_LANE] = "#9a9a9a"
    colors["other"] = "#bbbbbb"
    return colors


def first_words(text: str, n: int = 14) -> str:
    words = str(text).split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _customdata(rows: pd.DataFrame) -> list[list[str]]:
    first, last = rows["start"].dt.strftime("%Y-%m-%d"), rows["end"].dt.strftime("%Y-%m-%d")
    labels = first.where(first == last, first + " – " + last).tolist()
    return [
        [eid, label, gran, text or "(no expression: reported)", actors, places, first_words(sentence)]
        for eid, label, gran, text, actors, places, sentence in zip(
            rows["event_id"],
            labels,
            rows["granularity"],
            rows["time_text"],
            rows["actors"],
            rows["locations"],
            rows["sentence"],
            strict=True,
        )
    ]


def window_events(events: pd.DataFrame, window: tuple[dt.date, dt.date] | None) -> pd.DataFrame:
    """Dated rows whose period overlaps the window (all dated rows without a window)."""
    mask = events["start"].notna()
    if window is not None:
        mask &= (events["end"] >= pd.Timestamp(window[0])) & (events["start"] <= pd.Timestamp(window[1]))
    return events[mask]


def undated_events(events: pd.DataFrame) -> pd.DataFrame:
    """Rows without a date: shown in their own panel, never placed on the time axis."""
    return events[events["start"].isna()]


def timeline_figure(
    events: pd.DataFrame,
    lane_by: str = "actor",
    window: tuple[dt.date, dt.date] | None = None,
    cap: int = 5000,
    top_lanes: int = 12,
    colors: dict[str, str] | None = None,
) -> go.Figure:
    """Per-event timeline of the dated rows in ``window``; at most ``cap`` events are drawn.

    ``events`` is a prepared table (see ``views.filters.prepare_events``); ``lane_by`` is
    "actor", "event type" or "source"; ``colors`` maps lane names to colours (see ``lane_colors``).
    The title says when marks were capped.
    """
    column = LANE_COLUMNS.get(lane_by, lane_by)
    needed = list(dict.fromkeys([*MARK_COLUMNS, column]))
    rows = window_events(events[needed], window).sort_values("start", kind="stable")  # few columns: cheap takes
    total = len(rows)
    # Plain objects from here: every small take of an Arrow-backed text column (per lane, per kind
    # of mark) costs a fixed ~0.25 ms, ~0.1 s per figure; the capped rows convert in ~1 ms.
    rows = rows.iloc[:cap].astype({c: object for c in needed if c not in ("start", "end")})
    lane = lanes(rows, column, top_lanes) if len(rows) else pd.Series(dtype=object)
    marks = rows.loc[lane.index].assign(lane=lane.values) if len(rows) else rows.assign(lane=[])
    order = marks["lane"].value_counts().index.tolist() if len(marks) else []
    colors = {**lane_colors(order), **(colors or {})}
    scatter = "scattergl" if len(marks) > WEBGL_ABOVE else "scatter"
    # Every per-mark value is computed once, then taken per lane and kind by position (numpy).
    starts = marks["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    widths = ((marks["end"] - marks["start"]).dt.days.to_numpy() + 1) * DAY_MS
    custom = _customdata(marks) if len(marks) else []
    lane_of, is_day = marks["lane"].to_numpy(dtype=object), (marks["start"] == marks["end"]).to_numpy()
    traces: list[dict] = []
    for name in order:
        in_lane = lane_of == name
        periods, days = np.flatnonzero(in_lane & ~is_day), np.flatnonzero(in_lane & is_day)
        if len(periods):
            traces.append({
                "type": "bar", "name": name, "showlegend": False, "orientation": "h",
                "base": starts[periods].tolist(), "x": widths[periods].tolist(), "y": [name] * len(periods),
                "customdata": [custom[i] for i in periods], "hovertemplate": HOVER,
                "marker": {"color": colors[name], "opacity": 0.45, "line": {"width": 0}},
            })  # fmt: skip
        if len(days):
            traces.append({
                "type": scatter, "name": name, "mode": "markers",
                "x": starts[days].tolist(), "y": [name] * len(days),
                "customdata": [custom[i] for i in days], "hovertemplate": HOVER,
                "marker": {"color": colors[name], "size": 9, "symbol": "diamond",
                           "line": {"width": 0.5, "color": "white"}},
            })  # fmt: skip
    note = f" — showing the first {cap:,} of {total:,} events in the window" if total > cap else ""
    layout = {
        "title": {"text": f"{total:,} dated events{note} · drag to select", "font": {"size": 13}},
        "barmode": "overlay", "dragmode": "select", "showlegend": False,
        "height": 140 + 32 * max(len(order), 1), "margin": {"l": 10, "r": 10, "t": 36, "b": 30},
        "xaxis": {"type": "date", "title": {"text": ""}},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": order[::-1], "title": {"text": ""}},
        "hoverlabel": {"align": "left"}, "uirevision": lane_by,
    }  # fmt: skip
    if window is not None:
        lo = pd.Timestamp(window[0]) - pd.Timedelta(hours=12)
        hi = pd.Timestamp(window[1]) + pd.Timedelta(hours=12)
        layout["xaxis"]["range"] = [lo.isoformat(sep=" "), hi.isoformat(sep=" ")]
    # Traces are built from validated pieces; skipping Plotly's per-property validation saves ~0.4 s per 5k marks.
    return go.Figure(data=traces, layout=layout, _validate=False)


def overview_bin(first: dt.date, last: dt.date) -> str:
    """Bin width for the overview: days for about a year, weeks for a few years, else months."""
    span = (last - first).days
    return "D" if span <= 400 else ("W-MON" if span <= 5 * 366 else "MS")


def overview_figure(
    events: pd.DataFrame,
    lane_by: str = "actor",
    window: tuple[dt.date, dt.date] | None = None,
    top_lanes: int = 8,
    colors: dict[str, str] | None = None,
) -> go.Figure:
    """Counts of dated events per bin per lane as stacked steps, with the current window shaded.

    This stays small at any scale: one filled line per lane over the bins, not one mark per
    event, and not one SVG bar per bin either (a thousand bars cost the browser ~0.3 s per redraw).
    """
    column = LANE_COLUMNS.get(lane_by, lane_by)
    dated = events.loc[events["start"].notna(), ["start", "end", column]]
    traces: list[dict] = []
    if len(dated):
        freq = overview_bin(dated["start"].min().date(), dated["end"].max().date())
        period = freq[0] if freq != "W-MON" else "W-SUN"
        lane = lanes(dated, column, top_lanes)
        frame = pd.DataFrame({"lane": lane.values, "start": dated.loc[lane.index, "start"].values})
        frame["bin"] = frame["start"].dt.to_period(period).dt.start_time
        counts = frame.groupby(["lane", "bin"]).size().unstack("lane", fill_value=0)
        order = counts.sum().sort_values(ascending=False, kind="stable").index.tolist()
        colors = {**lane_colors(order), **(colors or {})}
        # Every bin, empty ones included, and the end of the last one, so each step has its width.
        bins = pd.period_range(counts.index.min(), counts.index.max(), freq=period)
        counts = counts.reindex(bins.start_time, fill_value=0)
        x = [*bins.start_time.strftime("%Y-%m-%d"), (bins[-1] + 1).start_time.strftime("%Y-%m-%d")]
        for name in order:
            traces.append({
                "type": "scatter", "mode": "lines", "name": name, "stackgroup": "lanes", "x": x,
                "y": [*counts[name].tolist(), 0], "line": {"color": colors[name], "width": 0.5, "shape": "hv"},
                "fillcolor": colors[name], "hovertemplate": "%{x|%Y-%m-%d}: %{y} events<extra>" + name + "</extra>",
            })  # fmt: skip
        unit = {"D": "day", "W-MON": "week", "MS": "month"}[freq]
        title = f"Events per {unit} ({len(dated):,} dated) · drag to set the window"
    else:
        title = "No dated events"
    shapes = []
    if window is not None:
        shapes.append({
            "type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1, "layer": "below",
            "x0": pd.Timestamp(window[0]).isoformat(sep=" "),
            "x1": (pd.Timestamp(window[1]) + pd.Timedelta(days=1)).isoformat(sep=" "),
            "fillcolor": "#f5c542", "opacity": 0.3, "line": {"width": 0},
        })  # fmt: skip
    layout = {
        "title": {"text": title, "font": {"size": 13}}, "height": 210, "dragmode": "select",
        "margin": {"l": 10, "r": 10, "t": 36, "b": 24}, "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"type": "date", "title": {"text": ""}}, "yaxis": {"title": {"text": ""}},
        "uirevision": lane_by, "shapes": shapes, "hovermode": "x unified",
    }  # fmt: skip
    return go.Figure(data=traces, layout=layout, _validate=False)
