"""Newsline dashboard: a linked timeline, map and table of dated news events.

    streamlit run dashboard.py          # reads NEWSLINE_OUT (default data/out/)

The page only lays things out; the builders live in ``views/`` and are tested without a
browser. Data is cached (keyed by the table's time stamp, so a rebuild shows at once); the
map's borders are a static file (``static/``). Every sidebar filter is mirrored in
the URL, so a copied link reopens the same view.

Speed at 100k events: the prepared tables and everything derived from them (the filtered
rows, the figures, the map points, the table) are shared read-only objects in
``st.cache_resource``, keyed by the folder, its time stamp and the filter values as a plain
tuple, so a rerun neither copies (pickles) 100k rows nor hashes a DataFrame argument, and an
unchanged filter costs nothing to recompute. Nothing here mutates a cached frame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from views import export, filters, incidents, mapview, provenance, query, table, timeline
from views.filters import FilterState

REPO = Path(__file__).resolve().parent
SAMPLE_DIR = REPO / "data" / "sample"
MARK_CAP = 2000  # marks drawn on the timeline at most (the rest is counted in its title)
TABLE_ROWS = 1000
PLAY_SECONDS = 1.5
# Above this many events the page asks DuckDB (views/query.py) instead of holding the table in pandas; a
# folder with only the dataset (past the build's single-files line) is always read that way.
QUERY_ROWS = int(os.environ.get("NEWSLINE_QUERY_ROWS") or 500_000)
UNDATED_ROWS = 2000  # undated rows listed at most (the panel says how many there are)
EXPORT_BATCH = 100_000  # rows per batch of a streamed export
# Above this many events a session's first run draws the charts alone; the rest follows (draws_everything).
DEFER_ROWS = int(os.environ.get("NEWSLINE_DEFER_ROWS") or 20_000)
UPLOAD_TYPES = ["txt", "html", "htm", "json", "jsonl", "csv", "zip"]
UPLOAD_MB = 50
OPTION_COLUMNS = (
    "actors", "actor_types", "event_type", "locations", "countries", "publisher", "granularity", "date_basis",
)  # fmt: skip
ANY = "any"  # the URL's value for "no restriction" where the default restricts (date basis)
LANE_CHOICES = ["actor", "event type", "source"]
TABLE_CONFIG = {
    "sentence": st.column_config.TextColumn(width="large"),
    "places": st.column_config.TextColumn(width="medium"),
    "actors": st.column_config.TextColumn(width="medium"),
    "event_id": st.column_config.TextColumn(width="small"),
}


# ── data ────────────────────────────────────────────────────────────────────────────────
def out_dir() -> Path:
    return Path(os.environ.get("NEWSLINE_OUT") or REPO / "data" / "out")


def pipeline_settings(folder: Path):  # -> pipeline.settings.Settings (imported lazily: the page starts without it)
    """The build's settings for ``folder``: its publication-date fixes are its own (``pubdate_fixes.csv``
    beside the tables) unless NEWSLINE_PUBDATE_FIXES names another file."""
    from pipeline.settings import Settings

    fixes = os.environ.get("NEWSLINE_PUBDATE_FIXES")
    return (Settings(pubdate_fixes=Path(fixes)) if fixes else Settings()).for_output(folder)


def ensure_tables(folder: Path) -> None:
    """On first start there is no table yet: build the bundled sample into ``folder``."""
    if query.events_files(folder):
        return
    from pipeline.build import build
    from pipeline.store import write_tables

    with st.spinner(f"First start: building the sample table from {SAMPLE_DIR.name}/ …"):
        write_tables(build([SAMPLE_DIR], pipeline_settings(folder)), folder, [SAMPLE_DIR])


def table_stamp(folder: Path) -> float:
    names = ("events.parquet", "documents.csv", "manifest.json")
    return max((folder / name).stat().st_mtime for name in names if (folder / name).exists())


@st.cache_resource(show_spinner=False, max_entries=4)
def uses_query(folder: str, stamp: float) -> bool:
    """Whether the page asks DuckDB: a table above ``QUERY_ROWS`` rows, or a dataset without the single files."""
    files = query.events_files(Path(folder))
    return files != [Path(folder) / "events.parquet"] or query.count_rows(files) > QUERY_ROWS


@st.cache_resource(show_spinner="Opening the events …", max_entries=1)  # ~0.7 GB per million events
def event_store(folder: str, stamp: float) -> query.EventStore:
    """The events in DuckDB (the columns the page filters and draws in memory, the rest in the files)."""
    return query.open_events(query.events_files(Path(folder)))


@st.cache_resource(show_spinner="Loading events …", max_entries=4)
def load_tables(folder: str, stamp: float) -> dict[str, pd.DataFrame]:
    """The four output tables, events prepared for filtering. ``stamp`` invalidates on rebuild.

    Shared, not copied per rerun (st.cache_data would unpickle 100k rows each time): read only. Above
    ``QUERY_ROWS`` the events and mentions stay in their files (``events`` is None): see ``event_store``."""
    from pipeline.store import read_tables

    if uses_query(folder, stamp):
        return side_tables(Path(folder))
    tables = read_tables(Path(folder))
    return {
        "events": filters.prepare_events(tables.events),
        "documents": arrow_strings(tables.documents),
        "places": arrow_strings(tables.places),
        "mentions": arrow_strings(tables.mentions),
        "incidents": arrow_strings(tables.incidents),
    }


def side_tables(folder: Path) -> dict:
    """Documents, places and incidents (small beside the events), from the single files or the dataset."""
    from pipeline import events as columns
    from pipeline.store import read_csv  # the build's own reader: types, and spreadsheet quotes undone

    parts = query.dataset_files(folder, "documents")
    if (folder / "documents.csv").exists() or not parts:
        documents = read_csv(folder / "documents.csv", columns.DOCUMENT_COLUMNS)
    else:
        documents = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    return {
        "events": None,
        "documents": arrow_strings(documents),
        "places": arrow_strings(read_csv(folder / "places.csv", columns.PLACE_COLUMNS)),
        "mentions": None,
        "incidents": arrow_strings(read_csv(folder / "incidents.csv", columns.INCIDENT_COLUMNS)),
    }


def arrow_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Arrow strings: st.cache_data copies (pickles) the tables on every rerun, and
    Arrow buffers copy in a fraction of the time Python string objects take."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    return frame.astype({c: "str" for c in text})


@st.cache_data(show_spinner=False, max_entries=4)
def filter_options(folder: str, stamp: float) -> dict[str, pd.Series]:
    """Each filter's values with their counts over the whole table, most frequent first."""
    if uses_query(folder, stamp):
        return {column: query.value_counts(event_store(folder, stamp), column) for column in OPTION_COLUMNS}
    events = load_tables(folder, stamp)["events"]
    return {column: filters.value_counts(events, column) for column in OPTION_COLUMNS}


@st.cache_data(show_spinner=False, max_entries=8)
def shown_counts(folder: str, stamp: float, bases: tuple[str, ...]) -> dict[str, pd.Series]:
    """Each filter's counts over the rows the chosen date bases let through: the number beside a name is
    what choosing it shows (reported rows are hidden by default)."""
    if uses_query(folder, stamp):
        store = event_store(folder, stamp)
        return {c: query.value_counts(store, c, () if c == "date_basis" else bases) for c in OPTION_COLUMNS}
    events = load_tables(folder, stamp)["events"]
    shown = events[events["date_basis"].isin(bases)] if bases else events
    return {c: filters.value_counts(events if c == "date_basis" else shown, c) for c in OPTION_COLUMNS}


@st.cache_resource(show_spinner=False, max_entries=4)
def table_bounds(folder: str, stamp: float) -> tuple[dt.date, dt.date] | None:
    if uses_query(folder, stamp):
        return query.summary(event_store(folder, stamp), FilterState())["bounds"]
    return filters.date_bounds(load_tables(folder, stamp)["events"])


@st.cache_resource(show_spinner=False, max_entries=4)
def table_size(folder: str, stamp: float) -> int:
    if uses_query(folder, stamp):
        return event_store(folder, stamp).rows
    return len(load_tables(folder, stamp)["events"])


@st.cache_resource(show_spinner=False, max_entries=4)
def bases_available(folder: str, stamp: float) -> list[str]:
    """The date bases the table holds."""
    if uses_query(folder, stamp):
        return query.distinct(event_store(folder, stamp), "date_basis")
    return sorted(load_tables(folder, stamp)["events"]["date_basis"].unique())


@st.cache_resource(show_spinner=False, max_entries=4)
def fix_todo(folder: str, stamp: float) -> pd.DataFrame:
    return table.documents_to_fix(load_tables(folder, stamp)["documents"])


@st.cache_resource(show_spinner=False, max_entries=16)
def filtered(folder: str, stamp: float, state_key: tuple, count: str = "reports") -> dict:
    """The rows passing the filters (``state_key`` is ``dataclasses.astuple(FilterState)``), their date
    bounds and default window; one row per incident when ``count`` is "incidents". Keyed by plain values:
    hashing a 100k-row frame would cost more than this.

    Above ``QUERY_ROWS`` DuckDB answers and ``base`` is None when counting reports (the charts and the
    table ask for what they draw); counting incidents, ``base`` is their first reports, one row each."""
    tables = load_tables(folder, stamp)
    state = FilterState(*state_key)
    if uses_query(folder, stamp):
        store = event_store(folder, stamp)
        if count != "incidents":
            found = query.summary(store, state)
            bounds = found["bounds"]
            window = query.default_window(store, state, bounds, MARK_CAP) if bounds else None
            return {"base": None, "count": found["count"], "bounds": bounds, "default_window": window, "found": found}
        base = incidents.one_per_incident(query.first_reports(store, state), tables["incidents"])
    else:
        base = filters.apply_filters(tables["events"], state)
        if count == "incidents":
            base = incidents.one_per_incident(base, tables["incidents"])
    bounds = filters.date_bounds(base)
    return {
        "base": base,
        "count": len(base),
        "bounds": bounds,
        "default_window": table.default_window(base, bounds, MARK_CAP) if bounds else None,
    }


@st.cache_resource(show_spinner=False, max_entries=16)
def charts(
    folder: str, stamp: float, state_key: tuple, places: tuple, lane_by: str, window, full_window: bool,
    count: str = "reports",
) -> dict:
    """Overview and per-event timeline figures for a filter, map selection, lane choice and window."""
    options = filter_options(folder, stamp)
    view = filtered(folder, stamp, state_key, count)
    base = view["base"]
    colors = timeline.lane_colors(options[timeline.LANE_COLUMNS[lane_by]].index.tolist())
    if base is None:  # DuckDB: counts for the overview, the window's first marks for the timeline
        store, state, column = event_store(folder, stamp), FilterState(*state_key), timeline.LANE_COLUMNS[lane_by]
        found = query.summary(store, state, places) if places else view["found"]
        freq = timeline.overview_bin(*found["bounds"]) if found["bounds"] else "D"
        counts = query.lane_counts(store, state, column, freq, places) if found["bounds"] else None
        marks, total = query.marks(store, state, window, MARK_CAP, places, column)
        overview_window = None if full_window else window
        return {
            "overview": timeline.overview_from_counts(counts, freq, found["dated"], lane_by, overview_window),
            "timeline": timeline.timeline_figure(marks, lane_by, window, MARK_CAP, colors=colors, total=total),
        }
    on_timeline = filters.in_places(base, places)
    return {
        "overview": timeline.overview_figure(on_timeline, lane_by, None if full_window else window),
        "timeline": timeline.timeline_figure(on_timeline, lane_by, window, MARK_CAP, colors=colors),
    }


@st.cache_resource(show_spinner=False, max_entries=16)
def window_rows(
    folder: str, stamp: float, state_key: tuple, places: tuple, ids: tuple, window, count: str = "reports"
) -> dict:
    """The rows in the window (and selections), with the map points, undated rows and the shown table.

    Above ``QUERY_ROWS`` (counting reports) DuckDB gives the map as counts per place, the table's first page
    and the first undated rows; ``rows`` is None and the downloads stream from DuckDB."""
    base = filtered(folder, stamp, state_key, count)["base"]
    options = filter_options(folder, stamp)
    actor_colors = timeline.lane_colors(options["actors"].index.tolist())
    if base is None:
        store, state = event_store(folder, stamp), FilterState(*state_key)
        counts = query.place_counts(store, state, window, ids)
        shown, total = query.rows_page(store, state, window, places, ids, limit=TABLE_ROWS)
        undated, n_undated = query.rows_page(store, state, window, places, ids, limit=UNDATED_ROWS, undated_only=True)
        return {
            "points": mapview.points_from_counts(counts, load_tables(folder, stamp)["places"], colors=actor_colors),
            "actor_colors": actor_colors,
            "rows": None,
            "count": total,
            "undated": undated,
            "undated_count": n_undated,
            "shown": table.table_frame(shown, TABLE_ROWS),
        }
    in_window = base[filters.date_mask(base, window[0], window[1], True)] if window else base
    if ids:
        in_window = in_window[in_window["event_id"].isin(set(ids))]
    rows = filters.in_places(in_window, places)
    undated = timeline.undated_events(rows)
    return {
        "points": mapview.place_points(in_window, load_tables(folder, stamp)["places"], colors=actor_colors),
        "actor_colors": actor_colors,
        "rows": rows,
        "count": len(rows),
        "undated": undated,
        "undated_count": len(undated),
        "shown": table.table_frame(rows, TABLE_ROWS),
    }


def clear_caches() -> None:
    for cached in (
        uses_query,
        event_store,
        table_size,
        bases_available,
        load_tables,
        filter_options,
        shown_counts,
        table_bounds,
        fix_todo,
        filtered,
        charts,
        window_rows,
    ):
        cached.clear()


# ── state: URL ⇄ session ────────────────────────────────────────────────────────────────
def restore_from_url(available: list[str]) -> None:
    """Once per session, seed the widgets from the query parameters."""
    if st.session_state.get("_restored"):
        return
    qp = st.query_params
    for param, attr in filters.LIST_PARAMS.items():
        if param in qp:
            st.session_state[f"f_{attr}"] = qp.get_all(param)
    st.session_state["_bases_available"] = sorted(available)
    if "basis" not in qp:
        st.session_state["f_bases"] = filters.default_bases(st.session_state["_bases_available"])
    elif qp.get_all("basis") == [ANY]:
        st.session_state["f_bases"] = []
    st.session_state["f_affiliates"] = qp.get("affiliates") == "1"
    st.session_state["f_text"] = qp.get("q", "")
    st.session_state["f_undated"] = qp.get("undated") != "0"
    st.session_state["lane"] = qp.get("lane") if qp.get("lane") in LANE_CHOICES else "actor"
    st.session_state["count"] = qp.get("count") if qp.get("count") in incidents.COUNT_CHOICES else "reports"
    for key in ("from", "to", "w0", "w1"):
        st.session_state[f"url_{key}"] = filters.parse_date(qp.get(key))
    st.session_state["_restored"] = True


def follow_new_bases(available: list[str]) -> None:
    """When the table gains a date basis (an analyst's correction, an upload), a default choice of bases
    stays the default: the new rows are not hidden by a choice nobody made."""
    available = sorted(available)
    before = st.session_state.get("_bases_available")
    if before is None or before == available:
        return
    if sorted(st.session_state.get("f_bases", [])) == sorted(filters.default_bases(before)):
        st.session_state["f_bases"] = filters.default_bases(available)
    st.session_state["_bases_available"] = available


def follow_edges(chosen: tuple[dt.date, dt.date], before: tuple | None, bounds: tuple[dt.date, dt.date]) -> tuple:
    """A range whose ends sat at the data's edges keeps them there when the data grows or shrinks."""
    if not before or tuple(before) == tuple(bounds):
        return chosen
    return (bounds[0] if chosen[0] <= before[0] else chosen[0], bounds[1] if chosen[1] >= before[1] else chosen[1])


def mirror_to_url(state: FilterState, window: tuple[dt.date, dt.date] | None, full_window: bool) -> None:
    params = filters.state_to_params(state)
    default = filters.default_bases(sorted(st.session_state.get("_bases_available", [])))
    if sorted(state.bases) == sorted(default):
        params.pop("basis", None)  # the default view keeps the URL short
    elif not state.bases:
        params["basis"] = [ANY]
    if st.session_state.get("lane", "actor") != "actor":
        params["lane"] = st.session_state["lane"]
    if st.session_state.get("count", "reports") != "reports":
        params["count"] = st.session_state["count"]
    if window and not full_window:
        params["w0"], params["w1"] = window[0].isoformat(), window[1].isoformat()
    wanted = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    if {k: st.query_params.get_all(k) for k in st.query_params} != wanted:  # rewrite only on a change
        st.query_params.from_dict(params)


MULTISELECTS = (  # sidebar label, FilterState field (and widget key f_<field>), options column
    ("Actors", "actors", "actors"),
    ("Actor type", "actor_types", "actor_types"),
    ("Event type", "event_types", "event_type"),
    ("Places", "places", "locations"),
    ("Countries", "countries", "countries"),
    ("Source / publisher", "publishers", "publisher"),
    ("Date precision", "granularities", "granularity"),
    ("Date basis (reported = dated by publication)", "bases", "date_basis"),
)


def filter_state(bounds: tuple[dt.date, dt.date] | None, options: dict[str, pd.Series]) -> FilterState:
    """What the sidebar selects, read from its widgets' state (``draw_sidebar`` draws them later in
    the run, so the page's charts can go to the browser first)."""
    picked = {}
    for _, attr, column in MULTISELECTS:
        key = f"f_{attr}"
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options[column].index]
        picked[attr] = tuple(st.session_state[key])
    date_from = date_to = None
    if bounds and bounds[0] < bounds[1]:
        if "f_dates" not in st.session_state:
            url_dates = (st.session_state.get("url_from") or bounds[0], st.session_state.get("url_to") or bounds[1])
            st.session_state["f_dates"] = url_dates
        chosen = follow_edges(tuple(st.session_state["f_dates"]), st.session_state.get("_dates_bounds"), bounds)
        chosen = filters.clamp_window(chosen, bounds)
        st.session_state["f_dates"] = chosen
        st.session_state["_dates_bounds"] = bounds
        date_from = chosen[0] if chosen[0] > bounds[0] else None
        date_to = chosen[1] if chosen[1] < bounds[1] else None
    return FilterState(
        **picked,
        include_affiliates=bool(st.session_state.get("f_affiliates")),
        text=st.session_state.get("f_text", ""),
        date_from=date_from,
        date_to=date_to,
        include_undated=bool(st.session_state.get("f_undated", True)),
    )


def draw_sidebar(bounds: tuple[dt.date, dt.date] | None, options: dict[str, pd.Series], shown: dict) -> None:
    """The sidebar's widgets, on the state ``filter_state`` read and settled; ``shown`` are the counts of
    what each choice shows (``shown_counts``)."""
    with st.sidebar:
        st.header("Filters")
        st.caption("The number beside a name is how many events choosing it shows with the date bases chosen below.")
        for label, attr, column in MULTISELECTS:
            counts = shown[column]
            names = [*counts.index, *(v for v in options[column].index if v not in counts.index)]
            st.multiselect(label, names, key=f"f_{attr}", format_func=lambda v, c=counts: f"{v} ({int(c.get(v, 0)):,})")
            if attr == "actors":
                st.checkbox("Include affiliates (e.g. a state's officials)", key="f_affiliates")
        st.text_input("Search sentences", key="f_text")
        if bounds and bounds[0] < bounds[1]:
            st.slider(
                "Dates to keep (filter)",
                min_value=bounds[0],
                max_value=bounds[1],
                key="f_dates",
                format="YYYY-MM-DD",
                help="Events outside these dates are filtered out everywhere, the overview included. The time "
                "window above the timeline only moves the view within what the filters keep.",
            )
        st.checkbox("Include undated events", key="f_undated")


# ── selections ──────────────────────────────────────────────────────────────────────────
def selection(key: str) -> dict:
    """The selection a chart stored in session_state (a dict in tests, a state object live)."""
    event = st.session_state.get(key)
    if not event:
        return {}
    sel = event["selection"] if "selection" in event else {}
    return sel or {}


def timeline_selection() -> tuple[str, ...]:
    points = selection(chart_key("timeline")).get("points", []) or []
    marks = [p["customdata"][0] if isinstance(p.get("customdata"), list) else p.get("customdata") for p in points]
    return tuple(dict.fromkeys(i for mark in marks if mark for i in timeline.mark_ids(mark)))


def map_selection() -> tuple[str, ...]:
    found = selection(chart_key("map")).get("objects") or {}
    objects = [o for layer in mapview.PICKABLE_LAYERS for o in (found.get(layer) or [])]
    return tuple(dict.fromkeys(o.get("name") for o in objects if o.get("name")))


def chart_key(name: str) -> str:
    """The charts' widget keys; clearing a selection moves them to fresh keys, because the browser
    keeps a chart's selection and would send it back on the next rerun."""
    generation = st.session_state.get("_selection_generation", 0)
    return name if generation == 0 else f"{name}-{generation}"


def clear_selections() -> None:
    for name in ("timeline", "map"):
        st.session_state.pop(chart_key(name), None)
    st.session_state["_selection_generation"] = st.session_state.get("_selection_generation", 0) + 1


# ── scrubbing ───────────────────────────────────────────────────────────────────────────
def step(direction: int, bounds: tuple[dt.date, dt.date]) -> None:
    st.session_state["window"] = filters.step_window(tuple(st.session_state["window"]), bounds, direction)


def toggle_play(bounds: tuple[dt.date, dt.date]) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing and tuple(st.session_state["window"])[1] >= bounds[1]:
        width = st.session_state["window"][1] - st.session_state["window"][0]
        st.session_state["window"] = (bounds[0], min(bounds[1], bounds[0] + width))
    st.session_state["_last_tick"] = time.monotonic()


def draws_everything(events: int) -> bool:
    """Whether this run draws everything, or only the overview and the timeline.

    On a large table a session's first run draws the two charts alone; their controls (lanes,
    window slider, step and play), the map, the table, the downloads, the panels and the sidebar
    follow in the next run, which the browser asks for once the charts are drawn
    (``ask_for_the_rest``): it loads and draws the timeline first instead of loading and rendering
    every other element's code at the same time. The filters, lanes and window are read from
    session state either way, so a URL's view applies from the first run."""
    return events <= DEFER_ROWS or st.session_state.get("_drawn_all", False)


# Runs in the page: once its Plotly charts are drawn and the browser is idle, ask for the next run
# (after 5 s at most, so a page that never draws them still gets the rest).
CHARTS_DRAWN_JS = """
export default function ({ data, setTriggerValue }) {
  const started = performance.now();
  let stopped = false;
  const drawn = () => {
    const plots = [...document.querySelectorAll(".js-plotly-plot")];
    return plots.length >= data.plots && plots.every((p) => p._fullLayout && p.querySelector(".main-svg"));
  };
  const idle = window.requestIdleCallback || ((f) => setTimeout(f, 50));
  const poll = () => {
    if (stopped) return;
    if (drawn() || performance.now() - started > 5000) {
      stopped = true;
      idle(() => setTriggerValue("drawn", true), { timeout: 1000 });
    } else {
      setTimeout(poll, 40);
    }
  };
  poll();
  return () => { stopped = true; };
}
"""
charts_drawn = st.components.v2.component("newsline_charts_drawn", js=CHARTS_DRAWN_JS)


def ask_for_the_rest(plots: int) -> None:
    """The browser starts the run that draws the rest once the ``plots`` charts are on screen; any
    other run after this one (a click meanwhile) draws everything as well."""
    st.session_state["_drawn_all"] = True
    charts_drawn(key="charts_drawn", data={"plots": plots}, on_drawn_change=lambda: None)


def play_ticker(bounds: tuple[dt.date, dt.date]) -> None:
    """While playing, a fragment re-runs on a timer, moves the window one step and reruns the page."""

    @st.fragment(run_every=PLAY_SECONDS if st.session_state.get("playing") else None)
    def tick() -> None:
        if not st.session_state.get("playing"):
            return
        if time.monotonic() - st.session_state.get("_last_tick", 0.0) < PLAY_SECONDS * 0.8:
            return  # a full rerun, not the timer
        st.session_state["_last_tick"] = time.monotonic()
        before = tuple(st.session_state["window"])
        step(+1, bounds)
        if tuple(st.session_state["window"]) == before:
            st.session_state["playing"] = False
        st.rerun()

    tick()


def window_from_overview() -> None:
    """A box dragged on the overview becomes the window (once per new box)."""
    boxes = selection("overview").get("box") or []
    if not boxes:
        return
    xs = boxes[-1].get("x") or []
    if len(xs) != 2 or st.session_state.get("_overview_box") == xs:
        return
    st.session_state["_overview_box"] = xs
    days = sorted(pd.Timestamp(x).date() for x in xs)
    st.session_state["window"] = (days[0], days[1])


def current_window(
    bounds: tuple[dt.date, dt.date] | None, default_window: tuple[dt.date, dt.date] | None
) -> tuple[tuple[dt.date, dt.date] | None, bool]:
    """The time window this run shows (from the URL, the overview's box, the slider, the span) and
    whether it is the whole span; ``scrub_controls`` draws the slider on it afterwards."""
    if bounds is None:
        return None, True
    if bounds[0] == bounds[1]:
        return bounds, True
    if "window" not in st.session_state:
        w0, w1 = st.session_state.get("url_w0"), st.session_state.get("url_w1")
        st.session_state["window"] = (w0, w1) if w0 and w1 else default_window
    window_from_overview()
    # A window end at the span's edge follows the span as filters change or data arrives.
    st.session_state["window"] = follow_edges(
        tuple(st.session_state["window"]), st.session_state.get("_window_bounds"), bounds
    )
    st.session_state["window"] = filters.clamp_window(tuple(st.session_state["window"]), bounds)
    st.session_state["_window_bounds"] = bounds
    window = tuple(st.session_state["window"])
    return window, window == bounds


def scrub_controls(bounds: tuple[dt.date, dt.date] | None) -> None:
    """The window slider (on the window ``current_window`` settled) with step and play buttons."""
    if bounds is None or bounds[0] == bounds[1]:
        return
    play_ticker(bounds)
    slider_col, back_col, fwd_col, play_col = st.columns([7, 1, 1, 2], vertical_alignment="bottom")
    with slider_col:
        st.slider(
            "Time window: what the map, table and marks show (step or play through it)",
            min_value=bounds[0],
            max_value=bounds[1],
            key="window",
            format="YYYY-MM-DD",
        )
    back_col.button(
        "◀",
        key="step_back",
        help="Move the window back by its width",
        on_click=step,
        args=(-1, bounds),
        width="stretch",
    )
    fwd_col.button(
        "▶",
        key="step_fwd",
        help="Move the window forward by its width",
        on_click=step,
        args=(+1, bounds),
        width="stretch",
    )
    play_col.button(
        "Pause" if st.session_state.get("playing") else "Play",
        key="play",
        icon=":material/pause:" if st.session_state.get("playing") else ":material/play_arrow:",
        on_click=toggle_play,
        args=(bounds,),
        width="stretch",
    )


def settled_view(points: pd.DataFrame, state_key: tuple):  # -> pydeck.ViewState
    """The view fitting the places drawn, or the one shown before while it still shows them all: as the
    window moves or places are picked, whenever none is cut off; after a filter change, only if it is also
    about as close as the fit (so a filter to one region zooms in on it)."""
    fit = mapview.view_for(points)
    before = st.session_state.get("_map_view")
    same_filters = st.session_state.get("_map_view_key") == state_key
    st.session_state["_map_view_key"] = state_key
    if before is not None and mapview.keeps(before, fit, points, zoom_slack=None if same_filters else 1.0):
        return before
    st.session_state["_map_view"] = fit
    return fit


def map_legend(points: pd.DataFrame, colors: dict[str, str]) -> None:
    """What the map's marks mean, and the country-level places it does not draw."""
    swatches = " ".join(
        f'<span style="color:{color}">●</span>&nbsp;{html.escape(name)}'
        for name, color in mapview.legend(points, colors)
    )
    with st.container(key="map_legend"):
        st.html(
            '<div style="font-size:0.8rem;line-height:1.5">'
            "<b>●</b> town or point, sized by its events · <b>○</b> region or province (a ring, not a place in it)"
            f"<br/>Colour: the place's most frequent actor (a tie goes to the name first in A–Z): {swatches}</div>"
        )
        countries = mapview.country_level(points)
        if len(countries):
            listed = ", ".join(f"{n} ({c:,})" for n, c in zip(countries["name"], countries["count"], strict=True))
            st.caption(f"Named only as a country, so not drawn as a point: {listed}")


# ── table, provenance, export ───────────────────────────────────────────────────────────
def event_by_id(folder: str, stamp: float, event_id: str) -> pd.Series | None:
    """One event's row, every column (from DuckDB above ``QUERY_ROWS``)."""
    if uses_query(folder, stamp):
        return query.event_row(event_store(folder, stamp), event_id)
    events = load_tables(folder, stamp)["events"]
    found = events[events["event_id"] == event_id]
    return found.iloc[0] if len(found) else None


def rows_where(folder: str, stamp: float, column: str, value: str) -> pd.DataFrame:
    """The events whose ``column`` is ``value`` (a document's, an incident's), every column."""
    if uses_query(folder, stamp):
        return query.full_rows(event_store(folder, stamp), f'"{column}" = ?', [value])
    events = load_tables(folder, stamp)["events"]
    return events[events[column] == value] if column in events.columns else events.iloc[0:0]


def document_mentions(folder: str, stamp: float, doc_id: str) -> pd.DataFrame:
    """A document's rows of mentions (read from the dataset's parts or mentions.csv above ``QUERY_ROWS``)."""
    mentions = load_tables(folder, stamp)["mentions"]
    if mentions is not None:
        return mentions[mentions["doc_id"] == doc_id]
    return query.mentions_of(Path(folder), doc_id)


def show_provenance(event: pd.Series, tables: dict[str, pd.DataFrame]) -> None:
    key, stamp = str(out_dir()), table_stamp(out_dir())
    start, end = provenance.offset(event.get("sentence_start")), provenance.offset(event.get("sentence_end"))
    spans = provenance.sentence_mentions(document_mentions(key, stamp, event["doc_id"]), event["doc_id"], start, end)
    pieces = provenance.sentence_spans(str(event["sentence"]), start, spans)
    st.markdown(
        "**Sentence** — <mark style='background:#ffe08a'>time</mark> · "
        "<mark style='background:#b9d7ff'>actor</mark> · <mark style='background:#c5ecc0'>place</mark>",
        unsafe_allow_html=True,
    )
    st.html(
        f'<div class="nl-sentence" style="font-size:1.05rem;line-height:1.6">{provenance.highlight_html(pieces)}</div>'
    )
    st.markdown(f"**Date**: `{event['time_value'] or 'unknown'}` ({event['granularity']}, {event['date_basis']})")
    st.text(f"Resolution: {event['resolution']}")
    doc = provenance.document_info(tables["documents"], event["doc_id"])
    lines = [
        ("Title", doc.get("title") or event["title"]),
        ("Publisher", doc.get("publisher") or event["publisher"]),
        ("URL", doc.get("url") or event["url"]),
        (
            "Published",
            f"{doc.get('published') or 'unknown'} (found from: {doc.get('published_basis') or '?'}"
            f"{'; ' + doc['published_evidence'] if doc.get('published_evidence') else ''})",
        ),
        ("Document", f"{event['doc_id']} ({doc.get('file', '')})"),
    ]
    st.text("\n".join(f"{k}: {v}" for k, v in lines))  # st.text: data is shown, never rendered as a link
    correction_form(event, tables)
    same_document = rows_where(key, stamp, "doc_id", str(event["doc_id"]))
    others = same_document[same_document["event_id"] != event["event_id"]]
    st.caption(f"The article's other events ({len(others)})")
    st.dataframe(table.table_frame(others), hide_index=True, height=200, key="others")


def show_incident(event_id: str, tables: dict[str, pd.DataFrame]) -> None:
    """An incident's reports: every source sentence with its outlet and link, and why they were joined."""
    key, stamp = str(out_dir()), table_stamp(out_dir())
    event = event_by_id(key, stamp, event_id)
    incident_id = str(event["incident_id"]) if event is not None and "incident_id" in event else ""
    events = rows_where(key, stamp, "incident_id", incident_id)
    about = tables["incidents"][tables["incidents"]["incident_id"] == incident_id]
    st.markdown(f"**Incident** `{incident_id}`")
    if len(about):
        st.text(f"Joined: {about['explanation'].iloc[0]}\nDates: {about['date_agreement'].iloc[0]}")
    st.dataframe(incidents.incident_sources(incident_id, events, tables["documents"]), hide_index=True,
                 key="incident_sources")  # fmt: skip


# ── the analyst's corrections ────────────────────────────────────────────────────────────
def correction_form(event: pd.Series, tables: dict[str, pd.DataFrame]) -> None:
    """Correct the event's date, actors or places, or mark it not an event: kept in the output folder's
    corrections.csv, applied after every build and rebuild (pipeline/corrections.py)."""
    with st.expander("Correct this event", key="correct_panel"):
        with st.form(key=f"correct_{event['event_id']}", border=False):
            value = st.text_input(
                "Date (2020-05-01 day, 2020-W17 week, 2020-05 month, 2020-Q2, 2020 year; empty = unknown)",
                value=str(event["time_value"] or ""),
                key=f"correct_date_{event['event_id']}",
            )
            known_actors = filter_options_all("actors")
            now_actors = filters.split_multi(pd.Series([event["actors"]])).tolist()
            actors = st.multiselect(
                "Actors",
                list(dict.fromkeys([*now_actors, *known_actors])),
                default=now_actors,
                key=f"correct_actors_{event['event_id']}",
                accept_new_options=True,
            )
            now_places = filters.split_multi(pd.Series([event["locations"]])).tolist()
            names = tables["places"]["name"].astype(str).tolist()
            places = st.multiselect(
                "Places",
                list(dict.fromkeys([*now_places, *names])),
                default=now_places,
                key=f"correct_places_{event['event_id']}",
            )
            not_event = st.checkbox(
                "Not an event (leave it out of the table)", key=f"correct_not_event_{event['event_id']}"
            )
            note = st.text_input("Note (why)", key=f"correct_note_{event['event_id']}")
            if st.form_submit_button("Save correction"):
                save_correction(event, value, actors, places, not_event, note)
                st.rerun()  # the page is drawn again from the corrected table


def filter_options_all(column: str) -> list[str]:
    folder = out_dir()
    return filter_options(str(folder), table_stamp(folder))[column].index.tolist()


def save_correction(event: pd.Series, value: str, actors: list, places: list, not_event: bool, note: str) -> None:
    from pipeline import corrections

    folder = out_dir()
    value = value.strip()
    try:
        corrections.period(value)
    except ValueError as err:
        st.session_state["correction_error"] = str(err)
        return
    changes: dict = {"note": note.strip(), "not_event": bool(not_event)}
    if value != str(event["time_value"] or ""):
        changes["time_value"] = value
    if corrections.SEP.join(actors) != str(event["actors"] or ""):
        changes["actors"] = corrections.SEP.join(actors)
    if corrections.SEP.join(places) != str(event["locations"] or ""):
        changes["locations"] = corrections.SEP.join(places)
    if len(changes) == 2 and not not_event:
        st.session_state["correction_error"] = "Nothing changed: edit the date, actors or places first."
        return
    new = corrections.for_event(event.to_dict(), **changes)
    corrections.save(folder, corrections.add(corrections.load(folder), new))
    rebuild_after_correction(folder, str(event["doc_id"]))
    st.session_state["correction_message"] = (
        f"Saved the correction of {event['event_id']}; it is applied after every build."
    )


def rebuild_after_correction(folder: Path, doc_id: str) -> None:
    from pipeline.build import rebuild_documents

    rebuild_documents(folder, [doc_id], pipeline_settings(folder))
    clear_caches()


def undo_correction(index: int) -> None:
    from pipeline import corrections

    folder = out_dir()
    found = corrections.load(folder)
    if index >= len(found):
        return
    gone = found[index]
    corrections.save(folder, found[:index] + found[index + 1 :])
    rebuild_after_correction(folder, gone.doc_id)
    st.session_state["correction_message"] = f"Undid the correction of {gone.event_id or gone.doc_id}."


def corrections_panel(folder: Path) -> None:
    from pipeline import corrections

    if msg := st.session_state.pop("correction_message", None):
        st.success(msg)
    if msg := st.session_state.pop("correction_error", None):
        st.error(msg)
    found = corrections.load(folder)
    with st.expander(f"Corrections by the analyst ({len(found)})", key="corrections_panel", on_change="rerun") as panel:
        if not panel.open:
            return
        st.caption(f"Kept in `{corrections.FILE_NAME}` beside the tables and applied after every build and rebuild.")
        for i, c in enumerate(found):
            what = [
                f"date → {c.time_value or 'unknown'}" if c.time_value is not None else "",
                f"actors → {c.actors}" if c.actors is not None else "",
                f"places → {c.locations}" if c.locations is not None else "",
                "not an event" if c.not_event else "",
            ]
            c1, c2 = st.columns([6, 1], vertical_alignment="center")
            c1.text(f"{c.event_id or c.doc_id} ({c.doc_id}, “{c.time_text}”): {'; '.join(w for w in what if w)}")
            c2.button("Undo", key=f"undo_{i}", on_click=undo_correction, args=(i,))


def downloads(
    rows: pd.DataFrame, incident_table: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> None:
    """The rows as CSV and Parquet; counting incidents (``rows`` one per incident), the incidents as CSV and
    every report of them as CSV and Parquet."""
    name = f"newsline-events-{len(rows)}"
    if incident_table is not None:
        c0, c1, c2 = st.columns(3)
        picked = incidents.incidents_rows(rows, incident_table)
        download_button(c0, "Download incidents CSV", lambda: incidents.csv_bytes(picked),
                        f"newsline-incidents-{len(picked)}.csv", "text/csv", "dl_incidents")  # fmt: skip
        if events is not None:
            rows = incidents.reports_of(rows, events)
        name = f"newsline-reports-{len(rows)}"
    else:
        c1, c2 = st.columns(2)
    download_button(c1, "Download CSV", lambda: export.csv_bytes(rows), f"{name}.csv", "text/csv", "dl_csv")
    download_button(c2, "Download Parquet", lambda: export.parquet_bytes(rows), f"{name}.parquet",
                    "application/vnd.apache.parquet", "dl_parquet")  # fmt: skip


def incident_reports(folder: str, stamp: float, collapsed: pd.DataFrame) -> pd.DataFrame:
    """Every report of the incidents shown (one row each in ``collapsed``), from DuckDB."""
    ids = sorted(set(collapsed["incident_id"])) if "incident_id" in collapsed.columns else []
    return query.full_rows(event_store(folder, stamp), "list_contains(?::VARCHAR[], incident_id)", [ids])


def streamed_downloads(folder: str, stamp: float, selection: tuple, count: int) -> None:
    """The rows passing (every one, not the page's sample) as CSV and Parquet, written from DuckDB in batches
    when clicked; ``selection`` is (state_key, window, places, ids)."""
    state_key, window, places, ids = selection
    name = f"newsline-events-{count}"
    c1, c2 = st.columns(2)
    download_button(c1, "Download CSV", lambda: export_file(folder, stamp, selection, "csv"), f"{name}.csv",
                    "text/csv", "dl_csv")  # fmt: skip
    download_button(c2, "Download Parquet", lambda: export_file(folder, stamp, selection, "parquet"),
                    f"{name}.parquet", "application/vnd.apache.parquet", "dl_parquet")  # fmt: skip


def export_file(folder: str, stamp: float, selection: tuple, kind: str):
    """A temporary file (gone when closed) holding the export, written batch by batch."""
    state_key, window, places, ids = selection
    store = event_store(folder, stamp)
    sql, params = query.export_query(store, FilterState(*state_key), export.EXPORT_COLUMNS, window, places, ids)
    handle = tempfile.TemporaryFile()
    export.write_batches(store.batches(sql, params, EXPORT_BATCH), handle, kind)
    handle.seek(0)
    return handle


def download_button(column, label: str, data, file_name: str, mime: str, key: str) -> None:
    """A download made only when clicked (``data`` is called then), without rerunning the page."""
    column.download_button(label, data=data, file_name=file_name, mime=mime, on_click="ignore", key=key,
                           icon=":material/download:")  # fmt: skip


# ── fix what is missing ─────────────────────────────────────────────────────────────────
def save_pubdate(folder: Path, doc_id: str) -> None:
    from pipeline.build import rebuild_documents
    from pipeline.pubdate import save_fix

    chosen = st.session_state.get(f"fix_{doc_id}")
    if not chosen:
        st.session_state["fix_message"] = f"Pick a date for {doc_id} first."
        return
    settings = pipeline_settings(folder)
    save_fix(settings.pubdate_fixes, doc_id, chosen, note="set in the dashboard", digest=document_hash(folder, doc_id))
    rebuild_documents(folder, [doc_id], settings)
    clear_caches()
    st.session_state["fix_message"] = f"Saved {chosen} for {doc_id}; its events were re-resolved."


def document_hash(folder: Path, doc_id: str) -> str:
    """The text hash that ties a publication-date fix to this document's content (pubdate.text_hash)."""
    from pipeline.ingest import read_sources
    from pipeline.pubdate import text_hash
    from pipeline.store import read_sources as sources_of

    for article in read_sources(sources_of(folder), pipeline_settings(folder)):
        if article.doc_id == doc_id:
            return text_hash(article.text)
    return ""


def fix_panel(folder: Path, todo: pd.DataFrame) -> None:
    if msg := st.session_state.pop("fix_message", None):
        st.success(msg)
    # Filled only while open (each row is three widgets, redrawn on every rerun); a constant label
    # and key keep it open across the rerun that a save triggers.
    with st.expander("Fix what is missing: publication dates", key="fix_panel", on_change="rerun") as panel:
        if not panel.open:
            return
        st.caption(
            f"{len(todo)} document(s) without a sure publication date (undated, or a day/month reading "
            "that could be swapped). A saved date is kept in the fixes file and survives rebuilds."
        )
        if todo.empty:
            st.write("Every document has an unambiguous publication date.")
        for row in todo.head(30).itertuples(index=False):
            doc = row._asdict()
            c1, c2, c3 = st.columns([5, 2, 1], vertical_alignment="bottom")
            why = "ambiguous: " + str(doc.get("published_evidence") or "") if doc.get("published") else "no date found"
            alt = f" · other reading {doc['alternative_date']}" if doc.get("alternative_date") else ""
            c1.markdown(
                f"**{doc['title'] or doc['file']}** · `{doc['doc_id']}`  \n{doc.get('publisher') or ''} · {why}{alt}"
            )
            current = filters.parse_date(str(doc.get("published") or ""))
            c2.date_input(
                f"Publication date of {doc['doc_id']}",
                label_visibility="collapsed",
                value=current,
                key=f"fix_{doc['doc_id']}",
                min_value=dt.date(1900, 1, 1),
                max_value=dt.date(2100, 1, 1),
            )
            c3.button(
                "Save",
                key=f"save_{doc['doc_id']}",
                on_click=save_pubdate,
                args=(folder, doc["doc_id"]),
            )


def upload_panel(folder: Path) -> None:
    label = "Add articles (.txt .html .json .jsonl .csv .zip)"
    with st.expander(label, key="upload_panel", on_change="rerun") as panel:  # filled only while open
        if not panel.open:
            return
        files = st.file_uploader(
            "Articles", type=UPLOAD_TYPES, accept_multiple_files=True, key="upload", max_upload_size=UPLOAD_MB
        )
        if st.button("Process uploaded files", key="process_upload", disabled=not files):
            from pipeline.build import add_sources

            before = set(load_tables(str(folder), table_stamp(folder))["documents"]["doc_id"])
            progress = st.progress(0.0, text="Processing …")
            with tempfile.TemporaryDirectory(prefix="newsline-upload-") as tmp:
                paths = []
                for f in files:
                    path = Path(tmp) / Path(f.name).name
                    path.write_bytes(f.getvalue())
                    paths.append(path)
                tables = add_sources(
                    folder,
                    paths,
                    pipeline_settings(folder),
                    on_document=lambda done, total: progress.progress(
                        done / max(total, 1), text=f"{done}/{total} documents"
                    ),
                )
            clear_caches()
            docs = tables.documents
            report = docs[~docs["doc_id"].isin(before)][["file", "doc_id", "status", "reason", "events"]]
            # The name as uploaded, never where the server keeps its copy.
            st.session_state["upload_report"] = report.assign(file=report["file"].map(lambda f: Path(str(f)).name))
            st.rerun()  # the header, bounds and charts are drawn again with the new events
        if (report := st.session_state.get("upload_report")) is not None:
            status = report["status"].astype(str)
            added, dupes, bad = report[status == "ok"], report[status == "duplicate"], report[status == "rejected"]
            events_added = int(added["events"].fillna(0).sum())
            st.success(f"{len(added)} document(s) added, {events_added} event{'' if events_added == 1 else 's'}.")
            if len(dupes):
                st.warning(
                    f"{len(dupes)} duplicate(s), not added again: "
                    + "; ".join(f"{r.file} ({r.reason})" for r in dupes.itertuples(index=False))
                )
            if len(bad):
                st.error(f"{len(bad)} document(s) not added:")
            with st.container(key="upload_report"):  # a short report as text, a long one as a grid
                if len(report) <= 30:
                    st.table(report.set_index("file"))
                else:
                    st.dataframe(report, hide_index=True, key="upload_table")


# ── the page ────────────────────────────────────────────────────────────────────────────
def main() -> None:
    st.set_page_config(page_title="Newsline", page_icon="🗞️", layout="wide")
    folder = out_dir()
    ensure_tables(folder)
    key, stamp = str(folder), table_stamp(folder)
    tables = load_tables(key, stamp)
    events = tables["events"]  # None above QUERY_ROWS: DuckDB answers (views/query.py)
    restore_from_url(bases_available(key, stamp))
    follow_new_bases(bases_available(key, stamp))

    options, bounds = filter_options(key, stamp), table_bounds(key, stamp)
    state = filter_state(bounds, options)
    state_key = dataclasses.astuple(state)

    # Everything the main area shows is computed before any of it is drawn: the browser then gets
    # the page's elements in one burst and redraws once, not once per element as they trickle in
    # (each redraw of the whole page costs the browser ~85 ms at 100k events).
    count = st.session_state.get("count") or "reports"
    view = filtered(key, stamp, state_key, count)
    picked_ids, picked_places = timeline_selection(), map_selection()
    lane_by = st.session_state.get("lane") or "actor"
    window, full_window = current_window(view["bounds"], view["default_window"])
    figures = charts(key, stamp, state_key, picked_places, lane_by, window, full_window, count)
    derived = window_rows(key, stamp, state_key, picked_places, picked_ids, window, count)

    st.title("Newsline")
    st.caption(
        f"{timeline.plural(table_size(key, stamp), 'event')} from "
        f"{timeline.plural(len(tables['documents']), 'document')} in `{folder.name}/` · "
        f"{view['count']:,} {'incidents' if count == 'incidents' else 'events'} pass the filters"
    )
    drawn = draws_everything(table_size(key, stamp))
    lane_col, count_col, clear_col = st.columns([3, 1, 2], vertical_alignment="bottom")
    if drawn:
        lane_col.segmented_control("Lanes", LANE_CHOICES, key="lane", selection_mode="single")
        count_col.segmented_control(
            "Count", incidents.COUNT_CHOICES, key="count", selection_mode="single",
            help="incidents: one happening reported by several sources counts once",
        )  # fmt: skip
    else:  # the controls come with the rest; their space is kept so that nothing jumps
        lane_col.space("large")
    if picked_ids or picked_places:
        clear_col.button(  # not "Clear selection": that is the charts' own toolbar button
            f"Unpick all ({timeline.plural(len(picked_ids), 'event')}, {timeline.plural(len(picked_places), 'place')})",
            on_click=clear_selections,
            key="clear_sel",
            help="Forget the events picked on the timeline and the places picked on the map",
        )
    st.plotly_chart(
        figures["overview"],
        key="overview",
        on_select="rerun",
        selection_mode="box",
        config={"displaylogo": False},
    )
    if drawn:
        scrub_controls(view["bounds"])
        st.space("small")  # room for the map's hover toolbar, which would otherwise cover the Play button
    else:
        st.space("large")
    mirror_to_url(state, window, full_window)

    row_left, row_right = st.columns([3, 2])
    with row_left:
        st.plotly_chart(
            figures["timeline"],
            key=chart_key("timeline"),
            on_select="rerun",
            selection_mode=("points", "box"),
            config={"displaylogo": False},
        )
    with row_right:
        if drawn:
            st.pydeck_chart(
                mapview.map_deck(derived["points"], picked_places, view=settled_view(derived["points"], state_key)),
                key=chart_key("map"),
                on_select="rerun",
                selection_mode="multi-object",
                height=mapview.MAP_SIZE[1],
            )
            map_legend(derived["points"], derived["actor_colors"])
        else:
            st.caption("Drawing the map …")

    rows, undated, n_rows = derived["rows"], derived["undated"], derived["count"]
    st.subheader(f"Incidents ({n_rows:,})" if count == "incidents" else f"Events ({n_rows:,})")
    if n_rows > TABLE_ROWS:
        st.caption(f"The table shows the first {TABLE_ROWS:,} by date; the downloads hold all {n_rows:,}.")
    if drawn and rows is None:  # DuckDB: the export is written from the files when asked
        streamed_downloads(key, stamp, (state_key, window, picked_places, picked_ids), n_rows)
    elif drawn:
        reports = events if events is not None else incident_reports(key, stamp, rows)
        downloads(rows, *((tables["incidents"], reports) if count == "incidents" else ()))
    shown = derived["shown"]
    picked = None
    if drawn:  # the whole width: every column readable without scrolling sideways
        picked = st.dataframe(
            shown,
            hide_index=True,
            key="table",
            on_select="rerun",
            selection_mode="single-row",
            height=420,
            width="stretch",
            column_config=TABLE_CONFIG,
        )
    else:
        st.caption("Drawing the table …")
    with st.container(key="provenance"):
        st.markdown("#### Provenance")
        chosen = picked["selection"]["rows"] if picked and "selection" in picked else []
        event_id = shown.iloc[chosen[0]]["event_id"] if chosen and chosen[0] < len(shown) else None
        event = event_by_id(key, stamp, event_id) if event_id is not None else None
        if event is not None:
            show_provenance(event, tables)
            if count == "incidents":
                show_incident(str(shown.iloc[chosen[0]]["event_id"]), tables)
        else:
            st.caption("Select a row of the table to see its sentence, the date's reasoning and its article.")
    if len(undated):
        listed = "" if len(undated) == derived["undated_count"] else f"; the first {len(undated):,} are listed"
        with st.expander(
            f"Undated events ({derived['undated_count']:,}): no date could be known, so none is shown on the "
            f"timeline{listed}",
            key="undated_panel",
            on_change="rerun",
        ) as panel:
            if panel.open:
                st.dataframe(table.table_frame(undated), hide_index=True, key="undated_table")
    if drawn:  # a large table's first run leaves these to the second: fewer elements before the timeline
        corrections_panel(folder)
        fix_panel(folder, fix_todo(key, stamp))
        upload_panel(folder)
        # last: the browser loads the charts' code first
        draw_sidebar(bounds, options, shown_counts(key, stamp, tuple(sorted(state.bases))))
    if not drawn:
        ask_for_the_rest(plots=2)


main()
