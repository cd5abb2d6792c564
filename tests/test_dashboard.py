"""The page in Streamlit's AppTest: every filter, injected selections, the URL, scrubbing, exports.

AppTest runs dashboard.py without a browser; it cannot see rendering or clicks on charts, so
selections are injected through ``session_state`` as the page would receive them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pydeck as pdk
import pytest
from streamlit.testing.v1 import AppTest

from views import filters, mapview, synthetic, timeline
from views.filters import FilterState

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")
N_EVENTS = 400


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory) -> Path:
    return synthetic.write_synthetic(tmp_path_factory.mktemp("dash_out"), N_EVENTS, seed=11)


@pytest.fixture(scope="module")
def events(table_dir: Path) -> pd.DataFrame:
    return filters.prepare_events(pd.read_parquet(table_dir / "events.parquet"))


@pytest.fixture
def app(table_dir: Path, monkeypatch, tmp_path) -> AppTest:
    monkeypatch.setenv("NEWSLINE_OUT", str(table_dir))
    monkeypatch.setenv("NEWSLINE_PUBDATE_FIXES", str(tmp_path / "fixes.csv"))
    return AppTest.from_file(DASHBOARD, default_timeout=120)


def shown_count(at: AppTest) -> int:
    title = next(s.value for s in at.subheader if s.value.startswith("Events ("))
    return int(title.split("(")[1].rstrip(")").replace(",", ""))


def url(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key)
    return [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value]


def table(at: AppTest) -> pd.DataFrame:
    return at.dataframe(key="table").value


def expected(events: pd.DataFrame, **changes) -> pd.DataFrame:
    bases = tuple(filters.default_bases(sorted(events["date_basis"].unique())))
    return filters.apply_filters(events, FilterState(**{"bases": bases, **changes}))


def test_page_renders_timeline_map_and_table(app: AppTest, events: pd.DataFrame) -> None:
    at = app.run()
    assert not at.exception
    overview, detail = (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
    assert [t["type"] for t in overview["data"]] == ["heatmap"]  # counts per bin and lane: not one mark per event
    ids = {i for trace in detail["data"] for c in trace.get("customdata", []) for i in timeline.mark_ids(c[0])}
    default = expected(events)
    assert ids == set(default.loc[default["start"].notna(), "event_id"])
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ids = {layer["id"] for layer in deck["layers"]}
    assert {"places", "regions", "labels", "place-labels"} <= ids and any(i.startswith("borders") for i in ids)
    assert shown_count(at) == len(default) and len(table(at)) == len(default)
    assert "reported" not in set(table(at)["basis"])  # hidden by default


def test_the_map_stays_put_as_the_window_moves_and_fits_the_places_a_filter_keeps(
    app: AppTest, events, table_dir
) -> None:
    at = app.run()
    before = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    lo, hi = filters.date_bounds(expected(events))
    at.session_state["window"] = (lo, lo + (hi - lo) / 3)
    at.run()
    assert json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"] == before
    at.sidebar.multiselect(key="f_actors").set_value(["Iran"]).run()
    after = json.loads(at.get("deck_gl_json_chart")[0].proto.json)["initialViewState"]
    places = pd.read_csv(table_dir / "places.csv")
    points = mapview.place_points(expected(events, actors=("Iran",)), places)
    fit = mapview.view_for(points)
    shown = pdk.ViewState(latitude=after["latitude"], longitude=after["longitude"], zoom=after["zoom"])
    assert mapview.keeps(shown, fit, points)  # every place the filter keeps is in view, at about the fit's zoom


def test_a_large_table_draws_the_map_and_table_in_a_second_run(app: AppTest, monkeypatch) -> None:
    monkeypatch.setenv("NEWSLINE_DEFER_ROWS", "10")  # fewer than the table's events
    at = app.run()
    assert not at.exception and len(at.get("plotly_chart")) == 2
    assert not at.get("deck_gl_json_chart") and not [d for d in at.dataframe if d.key == "table"]
    assert any("Drawing the map" in c.value for c in at.caption)
    assert not at.sidebar.multiselect and not at.get("download_button")  # the sidebar comes next, too
    assert not at.slider and not at.get("button_group")  # and the charts' controls (their space is kept)
    at.run()  # AppTest has no browser: this run stands in for the one the page asks for once its charts are drawn
    assert at.get("deck_gl_json_chart") and table(at) is not None
    assert not any("Drawing the map" in c.value for c in at.caption) and len(at.sidebar.multiselect) == 8
    assert at.slider(key="window").value and at.get("button_group")


def test_a_links_filters_hold_through_a_first_run_without_the_sidebar(app: AppTest, events, monkeypatch) -> None:
    monkeypatch.setenv("NEWSLINE_DEFER_ROWS", "10")
    app.query_params["actor"] = "Iran"
    at = app.run()
    assert not at.sidebar.multiselect and shown_count(at) == len(expected(events, actors=("Iran",)))
    at.run()
    assert at.sidebar.multiselect[0].value == ["Iran"] and shown_count(at) == len(expected(events, actors=("Iran",)))


@pytest.mark.parametrize(
    ("key", "attr", "column"),
    [
        ("f_actors", "actors", "actors"),
        ("f_actor_types", "actor_types", "actor_types"),
        ("f_event_types", "event_types", "event_type"),
        ("f_places", "places", "locations"),
        ("f_countries", "countries", "countries"),
        ("f_publishers", "publishers", "publisher"),
        ("f_granularities", "granularities", "granularity"),
    ],
)
def test_each_multiselect_filter_narrows_the_table(app: AppTest, events, key, attr, column) -> None:
    at = app.run()
    value = filters.value_counts(expected(events), column).index[1]  # the second most frequent
    at.multiselect(key=key).set_value([value]).run()
    assert not at.exception
    want = expected(events, **{attr: (value,)})
    assert 0 < shown_count(at) == len(want) < N_EVENTS
    assert set(table(at)["event_id"]) == set(want["event_id"])
    assert url(at, {v: k for k, v in filters.LIST_PARAMS.items()}[attr]) == [value]


def test_date_basis_can_show_reported_rows(app: AppTest, events) -> None:
    at = app.run()
    at.multiselect(key="f_bases").set_value(["reported"]).run()
    assert set(table(at)["basis"]) == {"reported"}
    assert shown_count(at) == len(filters.apply_filters(events, FilterState(bases=("reported",))))


def test_affiliates_text_undated_and_date_range(app: AppTest, events) -> None:
    at = app.run()
    at.multiselect(key="f_actors").set_value(["Turkey"]).run()
    alone = shown_count(at)
    at.checkbox(key="f_affiliates").check().run()
    assert shown_count(at) == len(expected(events, actors=("Turkey",), include_affiliates=True)) > alone
    at.multiselect(key="f_actors").set_value([]).run()
    at.checkbox(key="f_affiliates").uncheck().run()
    at.text_input(key="f_text").input("ALEPPO").run()
    assert shown_count(at) == len(expected(events, text="ALEPPO")) > 0
    assert url(at, "q") == ["ALEPPO"]
    at.text_input(key="f_text").input("").run()
    at.checkbox(key="f_undated").uncheck().run()
    assert "undated" not in set(table(at)["date"]) and url(at, "undated") == ["0"]
    lo, hi = at.slider(key="f_dates").value
    cut = (lo + (hi - lo) / 2, hi)
    at.slider(key="f_dates").set_value(cut).run()
    want = expected(events, date_from=cut[0], include_undated=False)
    assert shown_count(at) == len(want) and url(at, "from") == [cut[0].isoformat()]


def test_url_restores_the_filters(app: AppTest, events) -> None:
    app.query_params["actor"] = ["HTS", "Russia"]
    app.query_params["precision"] = ["month"]
    app.query_params["lane"] = "source"
    at = app.run()
    assert at.multiselect(key="f_actors").value == ["HTS", "Russia"]
    assert shown_count(at) == len(expected(events, actors=("HTS", "Russia"), granularities=("month",)))
    detail = json.loads(at.get("plotly_chart")[1].proto.spec)
    assert {t["y"][0] for t in detail["data"]} <= set(synthetic.PUBLISHERS)  # lanes by source


def test_unknown_url_values_are_ignored(app: AppTest) -> None:
    app.query_params["actor"] = ["Nobody at all"]
    app.query_params["from"] = "not-a-date"
    at = app.run()
    assert not at.exception and at.multiselect(key="f_actors").value == []


def test_timeline_selection_filters_map_and_table(app: AppTest, events) -> None:
    picked = expected(events).dropna(subset=["start"]).query("locations != ''").head(3)
    first, *merged = picked["event_id"]  # a mark of one event, and a mark two events share
    marks = [[first, "x"], ["/".join(merged), "x"]]
    app.session_state["timeline"] = {
        "selection": {"points": [{"customdata": data} for data in marks], "box": [], "lasso": []}
    }
    at = app.run()
    assert not at.exception
    assert set(table(at)["event_id"]) == set(picked["event_id"])
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    points = [p for layer in deck["layers"] if layer["id"] in ("places", "regions") for p in layer["data"]]
    assert {p["name"] for p in points} == set(filters.split_multi(picked["locations"]))
    assert any(b.label.startswith("Unpick all (3 events") for b in at.button)


def test_map_selection_filters_timeline_and_table(app: AppTest, events) -> None:
    app.session_state["map"] = {"selection": {"indices": {"places": [0]}, "objects": {"places": [{"name": "Aleppo"}]}}}
    at = app.run()
    want = filters.in_places(expected(events), ["Aleppo"])
    assert set(table(at)["event_id"]) == set(want["event_id"])
    detail = json.loads(at.get("plotly_chart")[1].proto.spec)
    ids = {i for trace in detail["data"] for c in trace.get("customdata", []) for i in timeline.mark_ids(c[0])}
    assert ids == set(want.loc[want["start"].notna(), "event_id"])


def test_table_selection_opens_provenance(app: AppTest, events) -> None:
    at = app.run()
    first = table(at).iloc[0]
    at.session_state["table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    html = next(h.proto.body for h in at.get("html") if "nl-sentence" in h.proto.body)
    assert "<mark" in html and 'class="nl-actor"' in html
    texts = "\n".join(t.value for t in at.text)
    row = events[events["event_id"] == first["event_id"]].iloc[0]
    assert row["resolution"] in texts and row["title"] in texts and "found from" in texts
    others = at.dataframe[1].value  # the article's other events, right after the table
    assert first["event_id"] not in set(others["event_id"])
    assert len(others) == (events["doc_id"] == row["doc_id"]).sum() - 1


def test_scrubbing_steps_and_play(app: AppTest) -> None:
    at = app.run()
    lo, hi = at.slider(key="window").value
    at.slider(key="window").set_value((lo, lo + dt.timedelta(days=29))).run()
    at.button(key="step_fwd").click().run()
    assert at.slider(key="window").value == (lo + dt.timedelta(days=30), lo + dt.timedelta(days=59))
    assert url(at, "w0") == [(lo + dt.timedelta(days=30)).isoformat()]
    at.button(key="step_back").click().run()
    assert at.slider(key="window").value == (lo, lo + dt.timedelta(days=29))
    at.button(key="play").click().run()
    assert at.session_state["playing"] is True and at.button(key="play").label == "Pause"
    at.button(key="play").click().run()
    assert at.session_state["playing"] is False


def test_window_narrows_table_and_timeline(app: AppTest, events) -> None:
    at = app.run()
    lo, _ = at.slider(key="window").value
    window = (lo + dt.timedelta(days=400), lo + dt.timedelta(days=700))
    at.slider(key="window").set_value(window).run()
    base = expected(events)
    want = base[filters.date_mask(base, *window, include_undated=True)]
    assert shown_count(at) == len(want)
    overview = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert overview["layout"]["shapes"]  # the window is drawn on the overview


def test_exports_offer_csv_and_parquet(app: AppTest, events) -> None:
    at = app.run()
    at.multiselect(key="f_actors").set_value(["Iran"]).run()
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"Download CSV", "Download Parquet"}
    n = len(expected(events, actors=("Iran",)))
    assert all(b.proto.ignore_rerun for b in at.get("download_button")) and shown_count(at) == n


def test_fix_panel_lists_undated_documents_once_opened(app: AppTest, table_dir: Path) -> None:
    at = app.run()
    assert not at.date_input  # closed: its rows are not sent with every rerun
    at.session_state["fix_panel"] = True  # as the browser sets it when the expander opens
    at.run()
    docs = pd.read_csv(table_dir / "documents.csv", dtype=str, keep_default_na=False)
    undated = docs[docs["published"] == ""]
    assert len(undated) and any(c.value.startswith(f"{len(undated)} document(s) without") for c in at.caption)
    keys = {d.key for d in at.date_input}
    assert {f"fix_{d}" for d in undated["doc_id"].head(30)} <= keys


def test_box_on_the_overview_sets_the_window(app: AppTest, events) -> None:
    app.session_state["overview"] = {"selection": {"box": [{"x": ["2019-03-01 06:00", "2019-01-01"]}], "points": []}}
    at = app.run()
    assert at.slider(key="window").value == (dt.date(2019, 1, 1), dt.date(2019, 3, 1))
    base = expected(events)
    assert shown_count(at) == len(base[filters.date_mask(base, dt.date(2019, 1, 1), dt.date(2019, 3, 1))])


def test_clear_selection_forgets_timeline_and_map_picks(app: AppTest, events) -> None:
    app.session_state["timeline"] = {"selection": {"points": [{"customdata": ["x"]}], "box": [], "lasso": []}}
    app.session_state["map"] = {"selection": {"indices": {}, "objects": {"places": [{"name": "Aleppo"}]}}}
    at = app.run()
    at.button(key="clear_sel").click().run()
    assert shown_count(at) == len(expected(events)) and not any(b.key == "clear_sel" for b in at.button)


def test_first_start_builds_the_sample(monkeypatch, tmp_path) -> None:
    out = tmp_path / "fresh" / "out"
    monkeypatch.setenv("NEWSLINE_OUT", str(out))
    monkeypatch.setenv("NEWSLINE_PUBDATE_FIXES", str(tmp_path / "fixes.csv"))
    at = AppTest.from_file(DASHBOARD, default_timeout=180).run()
    assert not at.exception
    assert (out / "events.parquet").exists() and (out / "documents.csv").exists()
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == 5 and set(docs["status"]) == {"ok"}
    assert shown_count(at) > 0


def page_view(at: AppTest) -> dict:
    """What the page shows: its figures, map, table, headline and the article's other events."""
    return {
        "charts": [json.loads(c.proto.spec) for c in at.get("plotly_chart")],
        "deck": json.loads(at.get("deck_gl_json_chart")[0].proto.json),
        "table": table(at).reset_index(drop=True),
        "count": shown_count(at),
        "captions": [c.value for c in at.caption if "pass the filters" not in c.value],
    }


def test_past_the_single_files_the_page_asks_duckdb_and_shows_the_same(app: AppTest, events, monkeypatch, tmp_path):
    """The same rows as the build writes them past its single-files line (the dataset alone): the page reads them
    through DuckDB (views/query.py) and shows what the pandas page shows, through filters, a window and provenance."""
    dataset = synthetic.write_synthetic(tmp_path / "dataset", N_EVENTS, seed=11, layout="dataset", batch=150)
    assert not (dataset / "events.parquet").exists()
    views = []
    for at in (app, AppTest.from_file(DASHBOARD, default_timeout=120)):
        if views:
            monkeypatch.setenv("NEWSLINE_OUT", str(dataset))
        at.run()
        assert not at.exception
        shown = [page_view(at)]
        at.sidebar.multiselect(key="f_actors").set_value(["Iran", "HTS"]).run()
        lo, hi = at.slider(key="window").value
        at.slider(key="window").set_value((lo, lo + (hi - lo) / 2)).run()
        shown.append(page_view(at))
        at.session_state["table"] = {"selection": {"rows": [3], "columns": [], "cells": []}}
        at.run()
        shown.append("\n".join(t.value for t in at.text))
        shown.append(at.dataframe[1].value.reset_index(drop=True))  # the article's other events
        views.append(shown)
    pandas_page, duckdb_page = views
    for theirs, ours in zip(pandas_page[:2], duckdb_page[:2], strict=True):
        pd.testing.assert_frame_equal(ours.pop("table"), theirs.pop("table"), check_dtype=False)
        assert ours == theirs
    assert duckdb_page[2] == pandas_page[2] and "found from" in duckdb_page[2]
    pd.testing.assert_frame_equal(duckdb_page[3], pandas_page[3], check_dtype=False)
