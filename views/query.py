"""Filters and aggregates where the data is: DuckDB over the events Parquet, small frames out.

The page of a table too large for pandas (millions of rows) asks this module instead of filtering a frame:
the overview comes back as counts per bin and lane, the timeline as the first ``cap`` marks of the window
(with the count of all of them), the map as counts per place (and per place and actor), the table as one
page of rows. Every answer is the same as the pandas builders' on the same table (tests/test_query.py
compares them on real Parquet files).

``open_events`` reads the single ``events.parquet`` or, past the build's single-files line, the parts of the
dataset that ``manifest.json`` lists (``events/part-*.parquet``), in place, and keeps in DuckDB's memory only
the columns that filters, aggregates, marks and the table read (dates parsed once); provenance, exports and
the rest read the Parquet files when asked. The row order is the files' (parts in the manifest's order), so
ties sort as in pandas.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from views import filters
from views.filters import MULTI_COLUMNS, NO_LANE, SEP, TEXT_COLUMNS, FilterState, list_filters

# What the page's filters, aggregates, marks and table read; kept in memory (the rest stays in the files).
KEPT_COLUMNS = (
    "event_id", "doc_id", "sentence", "time_text", "time_value", "granularity", "date_basis", "actors",
    "locations", "event_type", "actor_types", "affiliations", "countries", "publisher", "incident_id",
)  # fmt: skip
SINGLE_COLUMNS = ("event_type", "publisher", "granularity", "date_basis")
KEEP_SELECTIONS = 4  # filters whose rows are kept as a table (a few back and forth cost nothing)
_SELECTIONS = itertools.count()
SELECTION_CODES = ("actors", "locations", "event_type", "publisher")  # what the lanes, the map and map picks read
CODED_COLUMNS = (*MULTI_COLUMNS, *SINGLE_COLUMNS)  # filtered by number: see ``open_events``
BIN_UNITS = {"D": "day", "W-MON": "week", "MS": "month"}  # timeline.overview_bin's bins as date_trunc units


@dataclass
class EventStore:
    """An open events table: a DuckDB connection holding the kept columns as table ``ev`` (``k`` is the
    row's place in the files, ``start``/``end`` its dates) and the files as view ``src`` (every column).

    ``ev`` is stored in date order (undated last, ties in the files' order): its ``rowid`` is the order the
    marks and the table want, and a window reads only the blocks of rows whose dates can fall in it."""

    files: list[str]
    rows: int
    connection: duckdb.DuckDBPyConnection
    columns: tuple[str, ...]
    lock: threading.RLock = field(default_factory=threading.RLock)

    selections: dict = field(default_factory=dict)  # repr(FilterState) -> the table of its rows

    def relation(self, state: FilterState) -> str:
        """A table of the rows passing ``state``: their row numbers in ``ev`` (``rid``), dates and the numbered
        columns of the lanes and the map, in ``ev``'s order (DuckDB keeps the order rows are inserted in). Made
        once per filter (the last few kept): the overview, marks, map and table of a filter change then read
        its rows, not the whole table each."""
        key = repr(state)
        with self.lock:
            if key not in self.selections:
                name = f"selection_{next(_SELECTIONS)}"
                params: list = []
                cond = where(state, params)
                codes = ", ".join(_code(c) for c in SELECTION_CODES)
                self.connection.execute(
                    f'CREATE TABLE {name} AS SELECT rowid AS rid, start, "end", {codes} FROM ev WHERE {cond}',
                    params,
                )
                self.selections[key] = name
                while len(self.selections) > KEEP_SELECTIONS:
                    self.connection.execute(f"DROP TABLE {self.selections.pop(next(iter(self.selections)))}")
            return self.selections[key]

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        """The answer as a pandas frame (one query at a time: a connection is not shared between threads)."""
        with self.lock:
            return self.connection.execute(sql, list(params)).df()

    def batches(self, sql: str, params: Sequence = (), size: int = 100_000) -> Iterator[pa.RecordBatch]:
        """The answer in Arrow batches of ``size`` rows, for an export that never holds all of it (on a
        connection of its own: the page's queries go on meanwhile)."""
        with self.lock:
            cursor = self.connection.cursor()
        try:
            yield from cursor.sql(sql, params=list(params)).to_arrow_reader(size)
        finally:
            cursor.close()


def events_files(folder: Path) -> list[Path]:
    """The events' Parquet files: ``events.parquet`` when the build wrote it, else the dataset's live parts
    (those ``manifest.json`` lists, in its order); [] when there is neither."""
    single = folder / "events.parquet"
    if single.exists():
        return [single]
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return []
    parts = json.loads(manifest.read_text(encoding="utf-8")).get("parts", [])
    return [p for p in (folder / "events" / f"{part}.parquet" for part in parts) if p.exists()]


def dataset_files(folder: Path, table: str) -> list[Path]:
    """The live parts of another table of the dataset (``mentions``, ``documents``)."""
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return []
    parts = json.loads(manifest.read_text(encoding="utf-8")).get("parts", [])
    return [p for p in (folder / table / f"{part}.parquet" for part in parts) if p.exists()]


def count_rows(files: Sequence[Path]) -> int:
    """Rows in the files, from their footers (nothing else is read)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def _sql_list(files: Sequence[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def open_events(files: Sequence[Path], threads: int = 2) -> EventStore:
    """Read the kept columns of ``files`` into DuckDB's memory, dates parsed; every column stays reachable as
    the view ``src`` over the files, with the same ``k``."""
    names = [str(f) for f in files]
    con = duckdb.connect(config={"threads": threads})
    source = f"read_parquet({_sql_list(names)}, filename = true, file_row_number = true, union_by_name = true)"
    order = f"list_position({_sql_list(names)}, filename)"
    present = set(con.execute(f"SELECT * FROM {source} LIMIT 0").df().columns)
    text = {c: (f"coalesce(CAST({_q(c)} AS VARCHAR), '')" if c in present else "''") for c in TEXT_COLUMNS}
    start = "TRY_CAST(NULLIF(CAST(date_start AS VARCHAR), '') AS DATE)" if "date_start" in present else "NULL::DATE"
    end = "TRY_CAST(NULLIF(CAST(date_end AS VARCHAR), '') AS DATE)" if "date_end" in present else "NULL::DATE"
    key = f"(CAST({order} AS BIGINT) << 40) + file_row_number"
    con.execute(
        f"CREATE VIEW src AS SELECT * EXCLUDE (filename, file_row_number), {key} AS k, "
        f'{start} AS start, coalesce({end}, {start}) AS "end" FROM {source}'
    )
    kept = [f"{text[c]} AS {_q(c)}" for c in KEPT_COLUMNS if c in TEXT_COLUMNS] + [
        "coalesce(CAST(incident_id AS VARCHAR), '') AS incident_id" if "incident_id" in present else "'' AS incident_id"
    ]
    # Each filtered column's distinct texts get a number (and their values, split once): a filter is then a
    # test of small integers against the few numbers whose text matches, ~40x faster than splitting every row.
    for column in CODED_COLUMNS:
        con.execute(
            f"CREATE TABLE {_dictionary(column)} AS SELECT (row_number() OVER (ORDER BY v))::INTEGER AS id, v, "
            f"list_transform(string_split(v, '{SEP}'), lambda x: trim(x)) AS parts "
            f"FROM (SELECT DISTINCT {text[column]} AS v FROM {source})"
        )
    codes = ", ".join(f"{_dictionary(c)}.id AS {_code(c)}" for c in CODED_COLUMNS)
    joins = " ".join(f"LEFT JOIN {_dictionary(c)} ON s.{_q(c)} = {_dictionary(c)}.v" for c in CODED_COLUMNS)
    con.execute(
        f"CREATE TABLE ev AS SELECT s.*, {codes} FROM (SELECT {key} AS k, {start} AS start, "
        f'coalesce({end}, {start}) AS "end", {", ".join(kept)} FROM {source}) AS s {joins} '
        "ORDER BY s.start NULLS LAST, s.k"
    )
    rows = con.execute("SELECT count(*) FROM ev").fetchone()[0]
    return EventStore(names, rows, con, tuple(sorted(present)))


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dictionary(column: str) -> str:
    return f"dict_{column}"


def _code(column: str) -> str:
    return f"{column}_code"


# ── filters ─────────────────────────────────────────────────────────────────────────────
def _values(column: str) -> str:
    """The ``"; "``-joined values of a multi-valued column as a list (as ``filters._split``, each trimmed
    only where it has spaces: the joiner leaves none)."""
    return f"string_split({_q(column)}, '{SEP}')"


def any_of(column: str, wanted: Sequence[str], params: list) -> str:
    """A condition: the row names any of ``wanted`` in ``column`` (``filters._any_of``)."""
    params.append(sorted(set(wanted)))
    if column in CODED_COLUMNS:
        test = "list_has_any(parts, ?::VARCHAR[])" if column in MULTI_COLUMNS else "list_contains(?::VARCHAR[], v)"
        return f"{_code(column)} IN (SELECT id FROM {_dictionary(column)} WHERE {test})"
    return f"list_contains(?::VARCHAR[], {_q(column)})"


def date_condition(date_from: dt.date | None, date_to: dt.date | None, include_undated: bool, params: list) -> str:
    """``filters.date_mask`` as a condition."""
    parts = ["start IS NOT NULL"]
    if date_from is not None:
        parts.append('"end" >= ?')
        params.append(date_from)
    if date_to is not None:
        parts.append("start <= ?")
        params.append(date_to)
    dated = " AND ".join(parts)
    return f"(({dated}) OR start IS NULL)" if include_undated else f"({dated})"


def where(state: FilterState, params: list, places: Sequence[str] = (), window=None, ids: Sequence[str] = ()) -> str:
    """The WHERE clause of ``filters.apply_filters(state)``, then ``in_places(places)``, a window (undated rows
    kept, as the page's ``date_mask(..., True)``) and picked event ids."""
    conds = ["TRUE"]
    if state.actors:
        hit = any_of("actors", state.actors, params)
        if state.include_affiliates:
            hit = f"({hit} OR {any_of('affiliations', state.actors, params)})"
        conds.append(hit)
    for column, wanted in list_filters(state):
        conds.append(any_of(column, wanted, params))
    if state.text.strip():
        conds.append("contains(lower(sentence), lower(?))")
        params.append(state.text.strip())
    conds.append(date_condition(state.date_from, state.date_to, state.include_undated, params))
    if state.event_ids:
        conds.append(any_of("event_id", state.event_ids, params))
    if places:
        conds.append(any_of("locations", places, params))
    if window is not None:
        conds.append(date_condition(window[0], window[1], True, params))
    if ids:
        conds.append(any_of("event_id", ids, params))
    return " AND ".join(conds)


# ── answers ─────────────────────────────────────────────────────────────────────────────
def _picked(
    store: EventStore, state: FilterState, params: list, places=(), window=None, ids=()
) -> tuple[str, str, str]:
    """The table, the condition and the row-number column of the rows passing ``state`` and the page's own
    narrowing: a filter that narrows by name (actors, places, types, sources, text) is kept as a small table
    of the rows passing (``EventStore.relation``); dates and bases alone are a scan of ``ev``."""
    if narrows(state):
        cond = where(FilterState(), params, places, window)
        if ids:  # the selection has no text: the picked ids' row numbers
            cond += f" AND rid IN (SELECT rowid FROM ev WHERE {any_of('event_id', ids, params)})"
        return store.relation(state), cond, "rid"
    return "ev", where(state, params, places, window, ids), "rowid"


def narrows(state: FilterState) -> bool:
    """Whether ``state`` keeps rows by name or text (usually a small share), not by date or basis alone."""
    named = (state.actors, state.actor_types, state.event_types, state.places, state.countries, state.publishers)
    return any(named) or bool(state.text.strip()) or bool(state.event_ids)


def value_counts(store: EventStore, column: str, bases: Sequence[str] = ()) -> pd.Series:
    """``filters.value_counts`` over the whole table (or the rows of the given date bases), most frequent
    first, ties by name. Rows are grouped by their text first: the lists are split once per distinct text."""
    params: list = []
    cond = any_of("date_basis", bases, params) if bases else "TRUE"
    values = "unnest(d.parts)" if column in MULTI_COLUMNS else "d.v"
    counts = store.frame(
        f"WITH g AS (SELECT {_code(column)} AS id, count(*) AS n FROM ev WHERE {cond} GROUP BY ALL) "
        f"SELECT v, sum(n)::BIGINT AS n FROM (SELECT {values} AS v, n FROM g JOIN {_dictionary(column)} AS d "
        "ON g.id = d.id) WHERE v <> '' GROUP BY v ORDER BY n DESC, v",
        params,
    )
    index = pd.Index(counts["v"].astype(object), name=column)
    return pd.Series(counts["n"].to_numpy(dtype="int64"), index=index, name="count")


def distinct(store: EventStore, column: str) -> list[str]:
    return sorted(store.frame(f"SELECT DISTINCT {_q(column)} AS v FROM ev")["v"].astype(str).tolist())


def summary(store: EventStore, state: FilterState, places: Sequence[str] = ()) -> dict:
    """How many rows pass, how many of them are dated, and their date bounds (``filters.date_bounds``) or None."""
    params: list = []
    rel, cond, rid = _picked(store, state, params, places)
    sql = f'SELECT count(*) AS n, count(start) AS dated, min(start) AS lo, max("end") AS hi FROM {rel} WHERE {cond}'
    row = store.frame(sql, params).iloc[0]
    bounds = None if pd.isna(row["lo"]) else (pd.Timestamp(row["lo"]).date(), pd.Timestamp(row["hi"]).date())
    return {"count": int(row["n"]), "dated": int(row["dated"]), "bounds": bounds}


def default_window(store: EventStore, state: FilterState, bounds: tuple[dt.date, dt.date], cap: int) -> tuple:
    """``table.default_window`` of the filtered rows: the whole span when its dated rows fit under ``cap``,
    else the widest of the last 365, 180, 90, 30, 14 or 7 days whose rows do."""
    from views.table import WINDOW_DAYS

    firsts = [max(bounds[0], bounds[1] - dt.timedelta(days=d - 1)) for d in WINDOW_DAYS]
    params: list = []
    rel, cond, rid = _picked(store, state, params)
    sums = ", ".join(f"count(*) FILTER (WHERE \"end\" >= DATE '{f.isoformat()}') AS w{i}" for i, f in enumerate(firsts))
    sql = f"SELECT count(*) AS dated, {sums} FROM {rel} WHERE {cond} AND start IS NOT NULL AND start <= ?"
    row = store.frame(sql, [*params, bounds[1]]).iloc[0]
    if int(row["dated"]) <= cap:
        return bounds
    for i, first in enumerate(firsts):
        if int(row[f"w{i}"]) <= cap:
            return first, bounds[1]
    return firsts[-1], bounds[1]


def lane_counts(
    store: EventStore, state: FilterState, column: str, freq: str, places: Sequence[str] = ()
) -> pd.DataFrame:
    """Dated rows per lane and bin (``lane``, ``bin``, ``n``): a row counts in every lane it names, a row
    naming none in "(none)" (``timeline.lane_counts`` on a frame)."""
    params: list = []
    rel, cond, rid = _picked(store, state, params, places)
    unit = BIN_UNITS[freq]
    lane = "unnest(d.parts)" if column in MULTI_COLUMNS else "d.v"
    frame = store.frame(
        f"WITH g AS (SELECT {_code(column)} AS id, CAST(date_trunc('{unit}', start) AS TIMESTAMP) AS bin, "
        f"count(*) AS n FROM {rel} WHERE {cond} AND start IS NOT NULL GROUP BY ALL) "
        f"SELECT coalesce(NULLIF(lane, ''), '{NO_LANE}') AS lane, bin, sum(n)::BIGINT AS n FROM "
        f"(SELECT {lane} AS lane, bin, n FROM g JOIN {_dictionary(column)} AS d ON g.id = d.id) "
        "GROUP BY ALL ORDER BY bin, lane",
        params,
    )
    return frame.astype({"lane": object, "n": "int64"})


def _prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows as ``filters.prepare_events`` gives them: text "", ``start``/``end`` as timestamps."""
    for column in ("start", "end"):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column])
    text = [c for c in frame.columns if c in TEXT_COLUMNS or c == "incident_id"]
    return frame.astype({c: "str" for c in text}).drop(columns=["k"], errors="ignore")


def marks(
    store: EventStore, state: FilterState, window, cap: int, places: Sequence[str] = (), lane_column: str = "actors"
) -> tuple[pd.DataFrame, int]:
    """The first ``cap`` dated rows in ``window`` by start (ties in the files' order), with how many there are
    in all: what ``timeline.timeline_figure`` draws."""
    from views.timeline import MARK_COLUMNS

    params: list = []
    rel, cond, rid = _picked(store, state, params, places)
    cond += " AND " + (date_condition(window[0], window[1], False, params) if window else "start IS NOT NULL")
    columns = ", ".join(_q(c) for c in dict.fromkeys([*MARK_COLUMNS, lane_column, "k"]))
    total = int(store.frame(f"SELECT count(*) AS n FROM {rel} WHERE {cond}", params)["n"].iloc[0])
    first = f"SELECT {rid} FROM {rel} WHERE {cond} ORDER BY {rid} LIMIT {int(cap)}"
    rows = store.frame(f"SELECT {columns} FROM ev WHERE rowid IN ({first}) ORDER BY rowid", params)
    return _prepared(rows), total


def rows_page(
    store: EventStore,
    state: FilterState,
    window=None,
    places: Sequence[str] = (),
    ids: Sequence[str] = (),
    limit: int = 1000,
    offset: int = 0,
    undated_only: bool = False,
) -> tuple[pd.DataFrame, int]:
    """One page of the rows in the window (undated ones too) by date, undated last (``table.table_frame``'s
    order), and how many rows there are in all."""  # fmt: skip
    params: list = []
    rel, cond, rid = _picked(store, state, params, places, window, ids)
    if undated_only:
        cond += " AND start IS NULL"
    total = int(store.frame(f"SELECT count(*) AS n FROM {rel} WHERE {cond}", params)["n"].iloc[0])
    # The page's row numbers first (two narrow columns to sort), then only those rows' text.
    first = f"SELECT {rid} FROM {rel} WHERE {cond} ORDER BY {rid} LIMIT {int(limit)} OFFSET {int(offset)}"
    sql = f"SELECT * EXCLUDE ({', '.join(_code(c) for c in CODED_COLUMNS)}) FROM ev WHERE rowid IN ({first}) "
    return _prepared(store.frame(sql + "ORDER BY rowid", params)), total


def place_counts(store: EventStore, state: FilterState, window=None, ids: Sequence[str] = ()) -> dict:
    """What ``mapview.place_points`` draws, aggregated: rows per place named (``places``: name, count),
    rows per place and actor (``pairs``: name, actor, n) and rows per actor (``actors``). Rows are grouped
    by their places and actors as written first, so each distinct text is split once."""
    params: list = []
    rel, cond, rid = _picked(store, state, params, (), window, ids)
    grouped = store.frame(
        f"SELECT {_code('locations')} AS l, {_code('actors')} AS a, count(*) AS n FROM {rel} WHERE {cond} GROUP BY ALL",
        params,
    )
    locations, actors_of = _dictionary("locations"), _dictionary("actors")
    names = f"SELECT unnest(dl.parts) AS name, g.a, g.n FROM grouped AS g JOIN {locations} AS dl ON g.l = dl.id"
    by_actor = f"SELECT unnest(da.parts) AS actor, n FROM grouped AS g JOIN {actors_of} AS da ON g.a = da.id"
    pair_rows = (
        f"SELECT name, unnest(da.parts) AS actor, n FROM ({names}) AS p JOIN {actors_of} AS da ON p.a = da.id "
        "WHERE name <> ''"
    )
    with store.lock:  # the few combinations of places and actors, split by the numbered columns' own lists
        store.connection.register("grouped", grouped)
        try:
            places = store.frame(f"SELECT name, sum(n)::BIGINT AS count FROM ({names}) WHERE name <> '' GROUP BY name")
            pairs = store.frame(
                f"SELECT name, actor, sum(n)::BIGINT AS n FROM ({pair_rows}) WHERE actor <> '' GROUP BY ALL"
            )
            actors = store.frame(
                f"SELECT actor, sum(n)::BIGINT AS n FROM ({by_actor}) WHERE actor <> '' GROUP BY actor "
                "ORDER BY n DESC, actor"
            )
        finally:
            store.connection.unregister("grouped")
    return {
        "places": places.astype({"name": object, "count": "int64"}),
        "pairs": pairs.astype({"name": object, "actor": object, "n": "int64"}),
        "actors": pd.Series(actors["n"].to_numpy(dtype="int64"), index=actors["actor"].astype(object)),
    }


def full_rows(store: EventStore, condition: str, params: Sequence = (), limit: int | None = None) -> pd.DataFrame:
    """Every column of the rows matching ``condition`` (over ``src``: the files), in the files' order."""
    sql = f"SELECT * FROM src WHERE {condition} ORDER BY k" + (f" LIMIT {int(limit)}" if limit else "")
    return _prepared(store.frame(sql, params))


def first_reports(store: EventStore, state: FilterState) -> pd.DataFrame:
    """Every column of each incident's first report among the rows passing (earliest, then by event id): what
    ``incidents.one_per_incident`` keeps of them, without reading the other reports."""
    params: list = []
    rel, cond = "ev", where(state, params)
    firsts = (f"SELECT k FROM {rel} WHERE {cond} AND incident_id <> '' QUALIFY row_number() OVER "
              "(PARTITION BY incident_id ORDER BY start NULLS LAST, event_id) = 1")  # fmt: skip
    return full_rows(store, f"k IN ({firsts})", params)


def mentions_of(folder: Path, doc_id: str) -> pd.DataFrame:
    """A document's rows of mentions, read in place: the dataset's parts, else ``mentions.csv`` (its cells as
    they were before they were written for a spreadsheet)."""
    from pipeline.spreadsheet import unquote_table

    con = duckdb.connect()
    try:
        parts = [str(p) for p in dataset_files(folder, "mentions")]
        if parts:
            source = f"read_parquet({_sql_list(parts)}, union_by_name = true)"
            table = con.sql(f"SELECT * FROM {source} WHERE doc_id = ?", params=[doc_id]).to_arrow_table()
        elif (folder / "mentions.csv").exists():
            path = str(folder / "mentions.csv")
            found = con.sql("SELECT * FROM read_csv(?, all_varchar = true) WHERE doc_id = ?", params=[path, doc_id])
            table = unquote_table(found.to_arrow_table())
        else:
            return pd.DataFrame(columns=["doc_id", "kind", "text", "char_start", "char_end", "value", "lat", "lon"])
    finally:
        con.close()
    frame = table.to_pandas()
    for column in ("char_start", "char_end", "lat", "lon"):
        if column in frame.columns:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def event_row(store: EventStore, event_id: str) -> pd.Series | None:
    rows = full_rows(store, "event_id = ?", [event_id], limit=1)
    return rows.iloc[0] if len(rows) else None


def export_query(store: EventStore, state: FilterState, columns: Sequence[str], window=None,
                 places: Sequence[str] = (), ids: Sequence[str] = ()) -> tuple[str, list]:  # fmt: skip
    """SQL (and its parameters) for the export of every row passing: the kept table picks the rows, the
    files give their columns, in the files' order (as the page's pandas export)."""
    params: list = []
    rel, cond = "ev", where(state, params, places, window, ids)
    chosen = [c for c in columns if c in store.columns]
    picked = ", ".join(f"src.{_q(c)}" for c in chosen)
    sql = f"SELECT {picked} FROM src SEMI JOIN (SELECT k FROM {rel} WHERE {cond}) AS f ON src.k = f.k ORDER BY src.k"
    return sql, params


def default_bases(store: EventStore) -> list[str]:
    """``filters.default_bases`` of the bases the table holds."""
    return filters.default_bases(distinct(store, "date_basis"))
