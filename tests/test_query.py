"""The DuckDB query layer gives what the pandas builders give, on real Parquet files (one file and a dataset)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from views import export, filters, mapview, query, synthetic, table, timeline
from views.filters import FilterState

N_EVENTS = 3000
STATES = [
    FilterState(),
    FilterState(bases=("explicit", "relative", "inherited", "unresolved")),
    FilterState(actors=("HTS",)),
    FilterState(actors=("Turkey",), include_affiliates=True),
    FilterState(places=("Idlib", "Aleppo"), event_types=("airstrike", "")),
    FilterState(countries=("Syria",), publishers=("Reuters",), granularities=("day",)),
    FilterState(actor_types=("person",), text="officials SAID"),
    FilterState(date_from=dt.date(2019, 1, 1), date_to=dt.date(2019, 6, 30), include_undated=False),
    FilterState(date_from=dt.date(2019, 1, 1), include_undated=True, bases=("unresolved", "relative")),
    FilterState(actors=("Nobody at all",)),
]


@pytest.fixture(scope="module", params=["single", "dataset"])
def source(request, tmp_path_factory) -> tuple[query.EventStore, pd.DataFrame]:
    folder = tmp_path_factory.mktemp(request.param)
    synthetic.write_synthetic(folder, N_EVENTS, seed=9, layout=request.param, batch=700)
    files = query.events_files(folder)
    assert len(files) == (1 if request.param == "single" else 5)
    events = filters.prepare_events(
        pd.read_parquet(files[0]) if len(files) == 1 else pd.read_parquet(folder / "events")
    )
    return query.open_events(files), events


def test_the_dataset_is_read_from_the_manifest_parts_only(tmp_path: Path) -> None:
    synthetic.write_synthetic(tmp_path, 500, seed=1, layout="dataset", batch=200)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    stale = tmp_path / "events" / "part-stale.parquet"  # a part an interrupted build left, not listed
    stale.write_bytes((tmp_path / "events" / f"{manifest['parts'][0]}.parquet").read_bytes())
    files = query.events_files(tmp_path)
    assert stale not in files and [f.stem for f in files] == manifest["parts"]
    assert query.open_events(files).rows == 500
    assert query.events_files(tmp_path / "nothing") == []


@pytest.mark.parametrize("state", STATES, ids=range(len(STATES)))
def test_filters_and_summary_match_pandas(source, state: FilterState) -> None:
    store, events = source
    rows = filters.apply_filters(events, state)
    got = query.summary(store, state)
    assert got["count"] == len(rows)
    assert got["bounds"] == filters.date_bounds(rows)
    if got["bounds"]:
        assert query.default_window(store, state, got["bounds"], 300) == table.default_window(rows, got["bounds"], 300)


@pytest.mark.parametrize("state", STATES[:6], ids=range(6))
@pytest.mark.parametrize("lane_by", ["actor", "event type", "source"])
def test_overview_counts_match_pandas(source, state: FilterState, lane_by: str) -> None:
    store, events = source
    rows = filters.apply_filters(events, state)
    column = timeline.LANE_COLUMNS[lane_by]
    bounds = filters.date_bounds(rows)
    if bounds is None:
        return
    freq = timeline.overview_bin(*bounds)
    ours = query.lane_counts(store, state, column, freq).sort_values(["lane", "bin"]).reset_index(drop=True)
    theirs = timeline.lane_counts(rows, column, freq).sort_values(["lane", "bin"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    dated = int(rows["start"].notna().sum())
    figure = timeline.overview_from_counts(ours, freq, dated, lane_by).to_plotly_json()
    assert figure == timeline.overview_figure(rows, lane_by).to_plotly_json()


@pytest.mark.parametrize("state", STATES[:5], ids=range(5))
def test_marks_are_the_first_of_the_window_and_say_how_many(source, state: FilterState) -> None:
    store, events = source
    rows = filters.apply_filters(events, state)
    window = (dt.date(2018, 1, 1), dt.date(2020, 12, 31))
    picked, total = query.marks(store, state, window, cap=150, lane_column="publisher")
    expected = timeline.window_events(rows, window).sort_values("start", kind="stable")
    assert total == len(expected)
    assert picked["event_id"].tolist() == expected["event_id"].head(150).tolist()
    ours = timeline.timeline_figure(picked, "source", window, cap=150, total=total).to_plotly_json()
    theirs = timeline.timeline_figure(rows, "source", window, cap=150).to_plotly_json()
    assert ours == theirs
    if total > 150:
        assert f"showing the first 150 of {total:,}" in ours["layout"]["title"]["text"]


@pytest.mark.parametrize("state", STATES[:5], ids=range(5))
def test_table_pages_and_map_counts_match_pandas(source, state: FilterState) -> None:
    store, events = source
    window = (dt.date(2019, 1, 1), dt.date(2021, 12, 31))
    base = filters.apply_filters(events, state)
    in_window = base[filters.date_mask(base, window[0], window[1], True)]
    rows = filters.in_places(in_window, ["Idlib"])
    page, total = query.rows_page(store, state, window, ["Idlib"], limit=40, offset=20)
    assert total == len(rows)
    whole = table.table_frame(rows, 60).iloc[20:].reset_index(drop=True)
    pd.testing.assert_frame_equal(table.table_frame(page, 40), whole, check_dtype=False)
    undated, n_undated = query.rows_page(store, state, window, limit=2000, undated_only=True)
    assert n_undated == len(timeline.undated_events(in_window))
    assert set(undated["event_id"]) == set(timeline.undated_events(in_window)["event_id"])
    places = pd.DataFrame([{"name": p[0], "lat": p[1], "lon": p[2], "kind": p[3]} for p in synthetic.PLACES])
    colors = timeline.lane_colors(filters.value_counts(events, "actors").index.tolist())
    ours = mapview.points_from_counts(query.place_counts(store, state, window), places, colors=colors)
    theirs = mapview.place_points(in_window, places, colors=colors)
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)


def test_value_counts_and_picked_ids_match_pandas(source) -> None:
    store, events = source
    for column in ("actors", "locations", "event_type", "publisher", "date_basis"):
        ours, theirs = query.value_counts(store, column), filters.value_counts(events, column)
        assert ours.to_dict() == theirs.to_dict()
    reported = events[events["date_basis"].isin(["reported", "relative"])]
    assert query.value_counts(store, "actors", ("reported", "relative")).to_dict() == (
        filters.value_counts(reported, "actors").to_dict()
    )
    ids = tuple(events["event_id"].iloc[[5, 50, 500]])
    page, total = query.rows_page(store, FilterState(), ids=ids)
    assert total == 3 and set(page["event_id"]) == set(ids)
    one = query.event_row(store, ids[1])
    assert (
        one is not None
        and one["sentence"] == events["sentence"].iloc[50]
        and one["doc_id"] == events["doc_id"].iloc[50]
    )
    assert query.event_row(store, "no such event") is None


def test_the_export_streams_every_row_passing_as_the_pandas_export_writes_them(source) -> None:
    store, events = source
    state = FilterState(actors=("Iran",), bases=("relative", "explicit"))
    window = (dt.date(2018, 1, 1), dt.date(2022, 12, 31))
    sql, params = query.export_query(store, state, export.EXPORT_COLUMNS, window, ["Idlib", "Aleppo"])
    base = filters.apply_filters(events, state)
    rows = filters.in_places(base[filters.date_mask(base, window[0], window[1], True)], ["Idlib", "Aleppo"])
    assert len(rows) > 40
    out = io.BytesIO()
    assert export.write_batches(store.batches(sql, params, size=37), out, "csv") == len(rows)
    assert out.getvalue() == export.csv_bytes(rows)
    out = io.BytesIO()
    export.write_batches(store.batches(sql, params, size=37), out, "parquet")
    written = pd.read_parquet(io.BytesIO(out.getvalue()))
    assert written["event_id"].tolist() == rows["event_id"].tolist()
    assert list(written.columns) == list(export.export_frame(rows).columns)
    with pytest.raises(ValueError, match="csv or parquet"):
        export.write_batches([], out, "xlsx")


def test_incidents_counted_from_duckdb_are_the_pandas_ones(tmp_path: Path) -> None:
    """Counting incidents past the threshold: each incident's first report comes from DuckDB, collapsed as in pandas."""
    from pipeline import cli
    from pipeline.store import read_tables
    from views import incidents

    corpus = Path(__file__).resolve().parent / "data" / "incidents"
    assert cli.main(["build", str(corpus), "--out", str(tmp_path), "--no-progress"]) == 0
    tables = read_tables(tmp_path)
    events = filters.prepare_events(tables.events)
    store = query.open_events(query.events_files(tmp_path))
    actor = filters.value_counts(events, "actors").index[0]
    for state in (FilterState(), FilterState(actors=(actor,)), FilterState(text="the", include_undated=False)):
        theirs = incidents.one_per_incident(filters.apply_filters(events, state), tables.incidents)
        ours = incidents.one_per_incident(query.first_reports(store, state), tables.incidents)
        assert len(theirs) > 0
        columns = ["event_id", "incident_id", "start", "end", "time_text", "locations", "actors", "sentence"]
        pd.testing.assert_frame_equal(ours[columns], theirs[columns], check_dtype=False)
