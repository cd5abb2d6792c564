"""Timeline figures: an aggregated overview and per-event marks for the current window.

Day events are markers, week/month/year events are bars over ``start``–``end`` so the
precision shows at a glance; undated events never get a fake date (they are listed apart,
see ``undated_events``). Events whose marks would coincide share one mark; every mark carries
its event ids in ``customdata[0]`` (``mark_ids`` reads them), so a click or box selection comes
back to Python as event ids.
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
# Scattergl only above this many markers: without a GPU (software WebGL) SVG markers redraw faster
# at the page's cap of 2,000, and SVG keeps small figures crisp.
WEBGL_ABOVE = 5000
OVERVIEW_COLORS = [[0.0, "#f7f7f7"], [1e-9, "#d4e4f4"], [1.0, "#08306b"]]  # an empty bin stays blank
# A heatmap's hover gives the middle of a cell, so each bin is named at its own precision.
BIN_HOVER = {"D": "on %{x|%Y-%m-%d}", "W-MON": "in week %{x|%G-W%V}", "MS": "in %{x|%Y-%m}"}
HOVER = (
    "<b>%{customdata[1]}</b> (%{customdata[2]})<br>%{customdata[3]}<br>"
    "actors: %{customdata[4]}<br>places: %{customdata[5]}<br><i>%{customdata[6]}</i>%{customdata[7]}<extra>%{y}</extra>"
)
# Joins the event ids of a mark in its customdata[0]. An event id starts with its document's id, a
# file's name without the folder (or that and "#row"), so it never holds a "/".
IDS_SEPARATOR = "/"
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


def mark_ids(customdata_0: str) -> list[str]:
    """The event ids of a timeline mark, from its ``customdata[0]``."""
    return [i for i in str(customdata_0).split(IDS_SEPARATOR) if i]


def _customdata(rows: pd.DataFrame, ids: list[list[str]]) -> list[list[str]]:
    """Per mark: its event ids, date label, granularity, expression, actors, places, first words of
    the sentence (of the mark's first event) and, for a mark of several events, how many."""
    first, last = rows["start"].dt.strftime("%Y-%m-%d"), rows["end"].dt.strftime("%Y-%m-%d")
    labels = first.where(first == last, first + " – " + last).tolist()
    return [
        [
            IDS_SEPARATOR.join(group),
            label,
            gran,
            text or "(no expression: reported)",
            actors,
            places,
            first_words(sentence),
            f"<br>{len(group)} events at this mark; the first is shown" if len(group) > 1 else "",
        ]
        for group, label, gran, text, actors, places, sentence in zip(
            ids,
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
    total: int | None = None,
) -> go.Figure:
    """Per-event timeline of the dated rows in ``window``; at most ``cap`` events are drawn.

    ``events`` is a prepared table (see ``views.filters.prepare_events``); ``lane_by`` is
    "actor", "event type" or "source"; ``colors`` maps lane names to colours (see ``lane_colors``).
    The title says when marks were capped; ``total`` is how many rows the window holds when ``events``
    are only its first ones (``views.query.marks``).
    """
    column = LANE_COLUMNS.get(lane_by, lane_by)
    needed = list(dict.fromkeys([*MARK_COLUMNS, column]))
    rows = window_events(events[needed], window).sort_values("start", kind="stable")  # few columns: cheap takes
    total = max(len(rows), total or 0)
    # Plain objects from here: every small take of an Arrow-backed text column (per lane, per kind
    # of mark) costs a fixed ~0.25 ms, ~0.1 s per figure; the capped rows convert in ~1 ms.
    rows = rows.iloc[:cap].astype({c: object for c in needed if c not in ("start", "end")})
    lane = lanes(rows, column, top_lanes) if len(rows) else pd.Series(dtype=object)
    marks = rows.loc[lane.index].assign(lane=lane.values) if len(rows) else rows.assign(lane=[])
    order = marks["lane"].value_counts().index.tolist() if len(marks) else []
    colors = {**lane_colors(order), **(colors or {})}
    # Marks that would sit exactly on top of each other (the same lane, start and end: a month's
    # events in a month-long window, a day's in a lane) are drawn once, carrying all their event ids:
    # in a typical window a third of the marks are distinct, and Plotly pays per SVG mark.
    group = marks.groupby(["lane", "start", "end"], sort=False).ngroup().to_numpy() if len(marks) else np.array([])
    ids = marks["event_id"].groupby(group).agg(list).tolist() if len(marks) else []
    marks = marks[~marks.duplicated(["lane", "start", "end"])]  # one row per group, in group order
    scatter = "scattergl" if len(marks) > WEBGL_ABOVE else "scatter"
    # Two traces whatever the lanes: periods as bars, days as markers, each mark coloured by its
    # lane. Plotly's cost per trace (its own SVG groups, styles and hover setup) made one trace per
    # lane and kind, up to 26, the most expensive part of drawing this figure.
    starts = marks["start"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    widths = ((marks["end"] - marks["start"]).dt.days.to_numpy() + 1) * DAY_MS
    custom = np.empty(len(marks), dtype=object)
    for i, data in enumerate(_customdata(marks, ids) if len(marks) else []):
        custom[i] = data
    lane_of, is_day = marks["lane"].to_numpy(dtype=object), (marks["start"] == marks["end"]).to_numpy()
    color_of = np.array([colors[name] for name in lane_of], dtype=object)
    periods, days = np.flatnonzero(~is_day), np.flatnonzero(is_day)
    traces: list[dict] = []
    if len(periods):
        traces.append({
            "type": "bar", "name": "periods", "showlegend": False, "orientation": "h",
            "base": starts[periods].tolist(), "x": widths[periods].tolist(), "y": lane_of[periods].tolist(),
            "customdata": custom[periods].tolist(), "hovertemplate": HOVER,
            "marker": {"color": color_of[periods].tolist(), "opacity": 0.45, "line": {"width": 0}},
        })  # fmt: skip
    if len(days):
        traces.append({
            "type": scatter, "name": "days", "mode": "markers",
            "x": starts[days].tolist(), "y": lane_of[days].tolist(),
            "customdata": custom[days].tolist(), "hovertemplate": HOVER,
            "marker": {"color": color_of[days].tolist(), "size": 9, "symbol": "diamond",
                       "line": {"width": 0.5, "color": "white"}},
        })  # fmt: skip
    note = f" — showing the first {cap:,} of {total:,} events in the window" if total > cap else ""
    layout = {
        "title": {"text": f"{plural(total, 'dated event')}{note} · drag to select", "font": {"size": 13}},
        "barmode": "overlay", "dragmode": "select", "showlegend": False,
        "height": 140 + 32 * max(len(order), 1), "margin": {"l": 10, "r": 10, "t": 36, "b": 30},
        "xaxis": {"type": "date", "title": {"text": ""}},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": order[::-1], "title": {"text": ""}},
        "hoverlabel": {"align": "left"}, "uirevision": lane_by,
    }  # fmt: skip
    if window is not None:
        layout["xaxis"].update(padded_axis(window))
    if not traces:
        empty_layout(layout, "No dated events in this view")
    # Traces are built from validated pieces; skipping Plotly's per-property validation saves ~0.4 s per 5k marks.
    return go.Figure(data=traces, layout=layout, _validate=False)


def plural(n: int, noun: str) -> str:
    """``1 dated event``, ``2 dated events``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def padded_axis(window: tuple[dt.date, dt.date]) -> dict:
    """An x axis over ``window`` with room for the marks at its edges (a diamond on the first day is not cut
    in half), and whole days as ticks for a short window (no 00:00-21:00 hours)."""
    days = (window[1] - window[0]).days + 1
    pad = pd.Timedelta(days=max(1.0, days * 0.02))
    lo, hi = pd.Timestamp(window[0]) - pad, pd.Timestamp(window[1]) + pad
    axis: dict = {"range": [lo.isoformat(sep=" "), hi.isoformat(sep=" ")]}
    if days <= 14:
        axis.update(dtick=DAY_MS, tickformat="%b %d\n%Y")
    return axis


def empty_layout(layout: dict, message: str) -> None:
    """No axes to read a false span from (Plotly draws Jan-Nov 2000 for an empty date axis): a message."""
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}
    layout["annotations"] = [{"text": message, "showarrow": False, "xref": "paper", "yref": "paper",
                              "x": 0.5, "y": 0.5, "font": {"size": 14, "color": "#666"}}]  # fmt: skip


def overview_bin(first: dt.date, last: dt.date) -> str:
    """Bin width for the overview: days for about a year, weeks for a few years, else months."""
    span = (last - first).days
    return "D" if span <= 400 else ("W-MON" if span <= 5 * 366 else "MS")


def lane_counts(events: pd.DataFrame, column: str, freq: str) -> pd.DataFrame:
    """Dated rows per lane and bin (``lane``, ``bin``, ``n``): a row counts in every lane it names, one
    naming none in "(none)". ``views.query.lane_counts`` gives the same from DuckDB."""
    dated = events.loc[events["start"].notna(), ["start", column]]
    if not len(dated):
        return pd.DataFrame({"lane": pd.Series(dtype=object), "bin": pd.Series(dtype="datetime64[ns]"),
                             "n": pd.Series(dtype="int64")})  # fmt: skip
    lane = lanes(dated, column, top=10**9)  # every lane: ``fold_lanes`` keeps the top ones
    period = freq[0] if freq != "W-MON" else "W-SUN"
    frame = pd.DataFrame({"lane": lane.values, "start": dated.loc[lane.index, "start"].values})
    frame["bin"] = frame["start"].dt.to_period(period).dt.start_time
    return frame.groupby(["lane", "bin"]).size().rename("n").reset_index().astype({"lane": object, "n": "int64"})


def fold_lanes(counts: pd.DataFrame, top: int) -> pd.DataFrame:
    """The ``top`` lanes with the most rows (ties by name) kept, the others folded into "other"."""
    named = counts[counts["lane"] != NO_LANE].groupby("lane")["n"].sum()
    ranked = sorted(named.items(), key=lambda item: (-item[1], item[0]))
    keep = {name for name, _ in ranked[:top]} | {NO_LANE}
    folded = counts.assign(lane=counts["lane"].where(counts["lane"].isin(keep), "other"))
    return folded.groupby(["lane", "bin"], as_index=False)["n"].sum()


def overview_figure(
    events: pd.DataFrame,
    lane_by: str = "actor",
    window: tuple[dt.date, dt.date] | None = None,
    top_lanes: int = 8,
) -> go.Figure:
    """Counts of dated events per bin and lane as one heatmap (a row per lane, darker = more), with
    the current window outlined; a box dragged on it sets the window (see ``overview_from_counts``)."""
    column = LANE_COLUMNS.get(lane_by, lane_by)
    dated = events.loc[events["start"].notna(), ["start", "end", column]]
    if not len(dated):
        return overview_from_counts(None, "D", 0, lane_by, window, top_lanes)
    freq = overview_bin(dated["start"].min().date(), dated["end"].max().date())
    return overview_from_counts(lane_counts(dated, column, freq), freq, len(dated), lane_by, window, top_lanes)


def overview_from_counts(
    counts: pd.DataFrame | None,
    freq: str,
    dated: int,
    lane_by: str = "actor",
    window: tuple[dt.date, dt.date] | None = None,
    top_lanes: int = 8,
) -> go.Figure:
    """The overview heatmap from counts per lane and bin (``lane_counts``, pandas or DuckDB): ``freq`` is
    the bin (``overview_bin``), ``dated`` how many dated events they count.

    One trace at any scale: Plotly draws a heatmap as a single image. Filled stacked steps, one trace
    per lane, cost the browser ~0.2 s more on every filter change, and one SVG bar per bin and lane
    ~0.3 s. The lanes are labelled, so the heatmap needs no lane colours."""
    traces: list[dict] = []
    order: list[str] = []
    if counts is not None and len(counts) and dated:
        period = freq[0] if freq != "W-MON" else "W-SUN"
        folded = fold_lanes(counts, top_lanes)
        wide = folded.pivot_table(index="bin", columns="lane", values="n", aggfunc="sum", fill_value=0)
        totals = wide.sum()
        order = sorted(totals.index, key=lambda name: (-int(totals[name]), name))
        order = [n for n in order if n not in ("other", NO_LANE)] + [n for n in ("other", NO_LANE) if n in order]
        first, last = pd.Timestamp(wide.index.min()), pd.Timestamp(wide.index.max())
        bins = pd.period_range(first.to_period(period), last.to_period(period), freq=period)  # empty bins too
        wide = wide.reindex(bins.start_time, fill_value=0)[order]
        unit = {"D": "day", "W-MON": "week", "MS": "month"}[freq]
        # A cell spans its bin: x gives the bins' edges, the end of the last one included.
        edges = [*bins.start_time.strftime("%Y-%m-%d"), (bins[-1] + 1).start_time.strftime("%Y-%m-%d")]
        traces.append({
            "type": "heatmap", "x": edges, "y": order, "z": wide.to_numpy().T.tolist(),
            "colorscale": OVERVIEW_COLORS, "showscale": False, "xgap": 0, "ygap": 1,
            "hovertemplate": "%{y}: %{z} events " + BIN_HOVER[freq] + "<extra></extra>",
        })  # fmt: skip
        title = f"Events per {unit} and lane ({dated:,} dated) · drag to set the window"
    else:
        title = "No dated events"
        window = None
    shapes = []
    if window is not None:
        shapes.append({
            "type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1, "layer": "above",
            "x0": pd.Timestamp(window[0]).isoformat(sep=" "),
            "x1": (pd.Timestamp(window[1]) + pd.Timedelta(days=1)).isoformat(sep=" "),
            "fillcolor": "rgba(245, 197, 66, 0.25)", "line": {"width": 1.5, "color": "#d99a00"},
        })  # fmt: skip
    layout = {
        "title": {"text": title, "font": {"size": 13}}, "height": 90 + 18 * max(len(order), 3),
        "dragmode": "select", "margin": {"l": 10, "r": 10, "t": 36, "b": 24},
        "xaxis": {"type": "date", "title": {"text": ""}},
        "yaxis": {"title": {"text": ""}, "autorange": "reversed", "type": "category"},
        "uirevision": lane_by, "shapes": shapes,
    }  # fmt: skip
    if not traces:
        empty_layout(layout, "No dated events pass the filters")
    return go.Figure(data=traces, layout=layout, _validate=False)
