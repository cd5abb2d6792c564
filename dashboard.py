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
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from views import export, filters, incidents, mapview, provenance, table, timeline
from views.filters import FilterState

REPO = Path(__file__).resolve().parent
SAMPLE_DIR = REPO / "data" / "sample"
MARK_CAP = 2000  # marks drawn on the timeline at most (the rest is counted in its title)
TABLE_ROWS = 1000
PLAY_SECONDS = 1.5
# Above this many events a session's first run draws the charts alone; the rest follows (draws_everything).
DEFER_ROWS = int(os.environ.get("NEWSLINE_DEFER_ROWS") or 20_000)
UPLOAD_TYPES = ["txt", "html", "htm", "json", "jsonl", "csv", "zip"]
UPLOAD_MB = 50
OPTION_COLUMNS = (
    "actors", "actor_types", "event_type", "locations", "countries", "publisher", "granularity", "date_basis",
)  # fmt: skip
ANY = "any"  # the URL's value for "no restriction" where the default restricts (date basis)
LANE_CHOICES = ["actor", "event type", "source"]


# ── data ────────────────────────────────────────────────────────────────────────────────
def out_dir() -> Path:
    return Path(os.environ.get("NEWSLINE_OUT") or REPO / "data" / "out")


def pipeline_settings():  # -> pipeline.settings.Settings (imported lazily: the page starts without it)
    from pipeline.settings import Settings

    fixes = os.environ.get("NEWSLINE_PUBDATE_FIXES")
    return Settings(pubdate_fixes=Path(fixes)) if fixes else Settings()


def ensure_tables(folder: Path) -> None:
    """On first start there is no table yet: build the bundled sample into ``folder``."""
    if (folder / "events.parquet").exists():
        return
    from pipeline.build import build
    from pipeline.store import write_tables

    with st.spinner(f"First start: building the sample table from {SAMPLE_DIR.name}/ …"):
        write_tables(build([SAMPLE_DIR], pipeline_settings()), folder, [SAMPLE_DIR])


def table_stamp(folder: Path) -> float:
    return max((folder / name).stat().st_mtime for name in ("events.parquet", "documents.csv"))


@st.cache_resource(show_spinner="Loading events …", max_entries=4)
def load_tables(folder: str, stamp: float) -> dict[str, pd.DataFrame]:
    """The four output tables, events prepared for filtering. ``stamp`` invalidates on rebuild.

    Shared, not copied per rerun (st.cache_data would unpickle 100k rows each time): read only."""
    from pipeline.store import read_tables

    tables = read_tables(Path(folder))
    return {
        "events": filters.prepare_events(tables.events),
        "documents": arrow_strings(tables.documents),
        "places": arrow_strings(tables.places),
        "mentions": arrow_strings(tables.mentions),
        "incidents": arrow_strings(tables.incidents),
    }


def arrow_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Arrow strings: st.cache_data copies (pickles) the tables on every rerun, and
    Arrow buffers copy in a fraction of the time Python string objects take."""
    text = [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]
    return frame.astype({c: "str" for c in text})


@st.cache_data(show_spinner=False, max_entries=4)
def filter_options(folder: str, stamp: float) -> dict[str, pd.Series]:
    """Each filter's values with their counts over the whole table, most frequent first."""
    events = load_tables(folder, stamp)["events"]
    return {column: filters.value_counts(events, column) for column in OPTION_COLUMNS}


@st.cache_resource(show_spinner=False, max_entries=4)
def table_bounds(folder: str, stamp: float) -> tuple[dt.date, dt.date] | None:
    return filters.date_bounds(load_tables(folder, stamp)["events"])


@st.cache_resource(show_spinner=False, max_entries=4)
def map_view(folder: str, stamp: float):  # -> pydeck.ViewState
    """The map's view: framing every place of the table, so it stays put as filters change."""
    tables = load_tables(folder, stamp)
    return mapview.view_for(mapview.place_points(tables["events"], tables["places"]))


@st.cache_resource(show_spinner=False, max_entries=4)
def fix_todo(folder: str, stamp: float) -> pd.DataFrame:
    return table.documents_to_fix(load_tables(folder, stamp)["documents"])


@st.cache_resource(show_spinner=False, max_entries=16)
def filtered(folder: str, stamp: float, state_key: tuple, count: str = "reports") -> dict:
    """The rows passing the filters (``state_key`` is ``dataclasses.astuple(FilterState)``), their date
    bounds and default window; one row per incident when ``count`` is "incidents". Keyed by plain values:
    hashing a 100k-row frame would cost more than this."""
    tables = load_tables(folder, stamp)
    base = filters.apply_filters(tables["events"], FilterState(*state_key))
    if count == "incidents":
        base = incidents.one_per_incident(base, tables["incidents"])
    bounds = filters.date_bounds(base)
    return {
        "base": base,
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
    on_timeline = filters.in_places(filtered(folder, stamp, state_key, count)["base"], places)
    colors = timeline.lane_colors(options[timeline.LANE_COLUMNS[lane_by]].index.tolist())
    return {
        "overview": timeline.overview_figure(on_timeline, lane_by, None if full_window else window),
        "timeline": timeline.timeline_figure(on_timeline, lane_by, window, MARK_CAP, colors=colors),
    }


@st.cache_resource(show_spinner=False, max_entries=16)
def window_rows(
    folder: str, stamp: float, state_key: tuple, places: tuple, ids: tuple, window, count: str = "reports"
) -> dict:
    """The rows in the window (and selections), with the map points, undated rows and the shown table."""
    base = filtered(folder, stamp, state_key, count)["base"]
    in_window = base[filters.date_mask(base, window[0], window[1], True)] if window else base
    if ids:
        in_window = in_window[in_window["event_id"].isin(set(ids))]
    options = filter_options(folder, stamp)
    actor_colors = timeline.lane_colors(options["actors"].index.tolist())
    rows = filters.in_places(in_window, places)
    return {
        "points": mapview.place_points(in_window, load_tables(folder, stamp)["places"], colors=actor_colors),
        "rows": rows,
        "undated": timeline.undated_events(rows),
        "shown": table.table_frame(rows, TABLE_ROWS),
    }


def clear_caches() -> None:
    for cached in (load_tables, filter_options, table_bounds, map_view, fix_todo, filtered, charts, window_rows):
        cached.clear()


# ── state: URL ⇄ session ────────────────────────────────────────────────────────────────
def restore_from_url(events: pd.DataFrame) -> None:
    """Once per session, seed the widgets from the query parameters."""
    if st.session_state.get("_restored"):
        return
    qp = st.query_params
    for param, attr in filters.LIST_PARAMS.items():
        if param in qp:
            st.session_state[f"f_{attr}"] = qp.get_all(param)
    st.session_state["_bases_available"] = sorted(events["date_basis"].unique())
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
        chosen = filters.clamp_window(tuple(st.session_state["f_dates"]), bounds)
        st.session_state["f_dates"] = chosen
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


def draw_sidebar(bounds: tuple[dt.date, dt.date] | None, options: dict[str, pd.Series]) -> None:
    """The sidebar's widgets, on the state ``filter_state`` read and settled."""
    with st.sidebar:
        st.header("Filters")
        for label, attr, column in MULTISELECTS:
            counts = options[column]
            st.multiselect(
                label, counts.index.tolist(), key=f"f_{attr}", format_func=lambda v, c=counts: f"{v} ({c[v]:,})"
            )
            if attr == "actors":
                st.checkbox("Include affiliates (e.g. a state's officials)", key="f_affiliates")
        st.text_input("Search sentences", key="f_text")
        if bounds and bounds[0] < bounds[1]:
            st.slider("Date range", min_value=bounds[0], max_value=bounds[1], key="f_dates", format="YYYY-MM-DD")
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
    objects = (selection(chart_key("map")).get("objects") or {}).get(mapview.PLACES_LAYER, []) or []
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
    if tuple(st.session_state["window"]) == st.session_state.get("_window_bounds"):
        st.session_state["window"] = bounds  # a window over the whole span follows the span as filters change
    st.session_state["window"] = filters.clamp_window(tuple(st.session_state["window"]), bounds)
    st.session_state["_window_bounds"] = bounds
    window = tuple(st.session_state["window"])
    return window, window == bounds


def scrub_controls(bounds: tuple[dt.date, dt.date] | None) -> None:
    """The window slider (on the window ``current_window`` settled) with step and play buttons."""
    if bounds is None or bounds[0] == bounds[1]:
        return
    play_ticker(bounds)
    slider_col, back_col, fwd_col, play_col = st.columns([8, 1, 1, 1], vertical_alignment="bottom")
    with slider_col:
        st.slider(
            "Time window (map, table and event marks)",
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


# ── table, provenance, export ───────────────────────────────────────────────────────────
def show_provenance(event: pd.Series, tables: dict[str, pd.DataFrame]) -> None:
    start, end = provenance.offset(event.get("sentence_start")), provenance.offset(event.get("sentence_end"))
    spans = provenance.sentence_mentions(tables["mentions"], event["doc_id"], start, end)
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
    others = tables["events"][
        (tables["events"]["doc_id"] == event["doc_id"]) & (tables["events"]["event_id"] != event["event_id"])
    ]
    st.caption(f"The article's other events ({len(others)})")
    st.dataframe(table.table_frame(others), hide_index=True, height=200, key="others")


def show_incident(event_id: str, tables: dict[str, pd.DataFrame]) -> None:
    """An incident's reports: every source sentence with its outlet and link, and why they were joined."""
    events = tables["events"]
    incident_id = str(events.loc[events["event_id"] == event_id, "incident_id"].iloc[0])
    about = tables["incidents"][tables["incidents"]["incident_id"] == incident_id]
    st.markdown(f"**Incident** `{incident_id}`")
    if len(about):
        st.text(f"Joined: {about['explanation'].iloc[0]}\nDates: {about['date_agreement'].iloc[0]}")
    st.dataframe(incidents.incident_sources(incident_id, events, tables["documents"]), hide_index=True,
                 key="incident_sources")  # fmt: skip


def downloads(
    rows: pd.DataFrame, incident_table: pd.DataFrame | None = None, events: pd.DataFrame | None = None
) -> None:
    """The rows as CSV and Parquet; counting incidents (``rows`` one per incident), the incidents as CSV and
    every report of them as CSV and Parquet."""
    name = f"newsline-events-{len(rows)}"
    if incident_table is not None:
        c0, c1, c2 = st.columns(3)
        picked = incidents.incidents_rows(rows, incident_table)
        c0.download_button(
            "Download incidents CSV",
            data=lambda: incidents.csv_bytes(picked),
            file_name=f"newsline-incidents-{len(picked)}.csv",
            mime="text/csv",
            on_click="ignore",
            key="dl_incidents",
            icon=":material/download:",
        )
        if events is not None:
            rows = incidents.reports_of(rows, events)
        name = f"newsline-reports-{len(rows)}"
    else:
        c1, c2 = st.columns(2)
    c1.download_button(
        "Download CSV",
        data=lambda: export.csv_bytes(rows),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key="dl_csv",
        icon=":material/download:",
    )
    c2.download_button(
        "Download Parquet",
        data=lambda: export.parquet_bytes(rows),
        file_name=f"{name}.parquet",
        mime="application/vnd.apache.parquet",
        on_click="ignore",
        key="dl_parquet",
        icon=":material/download:",
    )


# ── fix what is missing ─────────────────────────────────────────────────────────────────
def save_pubdate(folder: Path, doc_id: str) -> None:
    from pipeline.build import rebuild_documents
    from pipeline.pubdate import save_fix

    chosen = st.session_state.get(f"fix_{doc_id}")
    if not chosen:
        st.session_state["fix_message"] = f"Pick a date for {doc_id} first."
        return
    settings = pipeline_settings()
    save_fix(settings.pubdate_fixes, doc_id, chosen, note="set in the dashboard")
    rebuild_documents(folder, [doc_id], settings)
    clear_caches()
    st.session_state["fix_message"] = f"Saved {chosen} for {doc_id}; its events were re-resolved."


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
            from pipeline.store import read_tables

            before = set(read_tables(folder).documents["doc_id"])
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
                    pipeline_settings(),
                    on_document=lambda done, total: progress.progress(
                        done / max(total, 1), text=f"{done}/{total} documents"
                    ),
                )
            clear_caches()
            docs = tables.documents
            st.session_state["upload_report"] = docs[~docs["doc_id"].isin(before)][
                ["file", "doc_id", "status", "reason", "events"]
            ]
        if (report := st.session_state.get("upload_report")) is not None:
            bad = report[report["status"].astype(str) != "ok"]
            st.success(f"{len(report) - len(bad)} document(s) added, {int(report['events'].fillna(0).sum())} events.")
            if len(bad):
                st.error(f"{len(bad)} document(s) not added:")
            st.dataframe(report, hide_index=True, key="upload_table")


# ── the page ────────────────────────────────────────────────────────────────────────────
def main() -> None:
    st.set_page_config(page_title="Newsline", page_icon="🗞️", layout="wide")
    folder = out_dir()
    ensure_tables(folder)
    key, stamp = str(folder), table_stamp(folder)
    tables = load_tables(key, stamp)
    events = tables["events"]
    restore_from_url(events)

    options, bounds = filter_options(key, stamp), table_bounds(key, stamp)
    state = filter_state(bounds, options)
    state_key = dataclasses.astuple(state)

    # Everything the main area shows is computed before any of it is drawn: the browser then gets
    # the page's elements in one burst and redraws once, not once per element as they trickle in
    # (each redraw of the whole page costs the browser ~85 ms at 100k events).
    count = st.session_state.get("count") or "reports"
    view = filtered(key, stamp, state_key, count)
    base = view["base"]
    picked_ids, picked_places = timeline_selection(), map_selection()
    lane_by = st.session_state.get("lane") or "actor"
    window, full_window = current_window(view["bounds"], view["default_window"])
    figures = charts(key, stamp, state_key, picked_places, lane_by, window, full_window, count)
    derived = window_rows(key, stamp, state_key, picked_places, picked_ids, window, count)

    st.title("Newsline")
    st.caption(
        f"{len(events):,} events from {len(tables['documents']):,} documents in `{folder.name}/` · "
        f"{len(base):,} {'incidents' if count == 'incidents' else 'events'} pass the filters"
    )
    drawn = draws_everything(len(events))
    lane_col, count_col, clear_col = st.columns([3, 1, 1], vertical_alignment="bottom")
    if drawn:
        lane_col.segmented_control("Lanes", LANE_CHOICES, key="lane", selection_mode="single")
        count_col.segmented_control(
            "Count", incidents.COUNT_CHOICES, key="count", selection_mode="single",
            help="incidents: one happening reported by several sources counts once",
        )  # fmt: skip
    else:  # the controls come with the rest; their space is kept so that nothing jumps
        lane_col.space("large")
    if picked_ids or picked_places:
        clear_col.button(
            f"Clear selection ({len(picked_ids)} events, {len(picked_places)} places)",
            on_click=clear_selections,
            key="clear_sel",
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
                mapview.map_deck(derived["points"], picked_places, view=map_view(key, stamp)),
                key=chart_key("map"),
                on_select="rerun",
                selection_mode="multi-object",
                height=460,
            )
        else:
            st.caption("Drawing the map …")

    rows, undated = derived["rows"], derived["undated"]
    st.subheader(f"Incidents ({len(rows):,})" if count == "incidents" else f"Events ({len(rows):,})")
    if len(rows) > TABLE_ROWS:
        st.caption(f"The table shows the first {TABLE_ROWS:,} by date; the downloads hold all {len(rows):,}.")
    if drawn:
        downloads(rows, *((tables["incidents"], events) if count == "incidents" else ()))
    table_col, prov_col = st.columns([3, 2])
    with table_col:
        shown = derived["shown"]
        picked = None
        if drawn:
            picked = st.dataframe(
                shown,
                hide_index=True,
                key="table",
                on_select="rerun",
                selection_mode="single-row",
                height=420,
                column_config={"sentence": st.column_config.TextColumn(width="large")},
            )
        else:
            st.caption("Drawing the table …")
    with prov_col:
        st.markdown("#### Provenance")
        chosen = picked["selection"]["rows"] if picked and "selection" in picked else []
        if chosen and chosen[0] < len(shown):
            event_id = shown.iloc[chosen[0]]["event_id"]
            show_provenance(events[events["event_id"] == event_id].iloc[0], tables)
            if count == "incidents":
                show_incident(str(shown.iloc[chosen[0]]["event_id"]), tables)
        else:
            st.caption("Select a row of the table to see its sentence, the date's reasoning and its article.")
    if len(undated):
        with st.expander(
            f"Undated events ({len(undated):,}): no date could be known, so none is shown on the timeline",
            key="undated_panel",
            on_change="rerun",
        ) as panel:
            if panel.open:
                st.dataframe(table.table_frame(undated), hide_index=True, key="undated_table")
    if drawn:  # a large table's first run leaves these to the second: fewer elements before the timeline
        fix_panel(folder, fix_todo(key, stamp))
        upload_panel(folder)
        draw_sidebar(bounds, options)  # last: the browser loads the charts' code first
    if not drawn:
        ask_for_the_rest(plots=2)


main()
