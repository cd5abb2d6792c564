"""The dashboard's pure builders: filters, timeline and map figures, exports, provenance."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import math
import re
from pathlib import Path

import pandas as pd
import pydeck as pdk
import pytest

from views import export, filters, mapview, provenance, synthetic, table, timeline
from views.filters import FilterState


def frame(rows: list[dict]) -> pd.DataFrame:
    """A small prepared events table; unspecified columns take contract-like defaults."""
    base = {
        "event_id": "", "doc_id": "d1", "published": "2020-05-03", "sentence": "", "time_text": "", "time_value": "",
        "date_start": "", "date_end": "", "granularity": "day", "date_basis": "relative", "resolution": "",
        "actors": "", "locations": "", "event_type": "", "actor_types": "", "affiliations": "", "countries": "",
        "publisher": "Wire", "title": "T", "url": "",
    }  # fmt: skip
    return filters.prepare_events(pd.DataFrame([{**base, **r} for r in rows]))


EVENTS = frame(
    [
        {"event_id": "e1", "actors": "Turkey; HTS", "locations": "Idlib", "date_start": "2020-05-01",
         "date_end": "2020-05-01", "sentence": "Turkish forces shelled HTS in Idlib.", "event_type": "shelling",
         "actor_types": "state; armed group", "countries": "Syria", "publisher": "Wire"},
        {"event_id": "e2", "actors": "Recep Tayyip Erdogan", "affiliations": "Turkey", "locations": "Ankara",
         "date_start": "2020-04-20", "date_end": "2020-04-26", "granularity": "week", "actor_types": "person",
         "sentence": "Erdogan warned Moscow last week.", "event_type": "statement", "countries": "Turkey",
         "publisher": "Daily"},
        {"event_id": "e3", "actors": "Russia", "locations": "Moscow; Idlib", "date_start": "2019-12-01",
         "date_end": "2019-12-31", "granularity": "month", "date_basis": "explicit", "countries": "Russia; Syria",
         "sentence": "Russian jets struck since December.", "event_type": "airstrike", "actor_types": "state"},
        {"event_id": "e4", "actors": "HTS", "granularity": "unknown", "date_basis": "unresolved",
         "sentence": "HTS rejected the deal on Monday.", "actor_types": "armed group"},
        {"event_id": "e5", "actors": "Turkey", "locations": "Idlib", "date_start": "2020-05-03",
         "date_end": "2020-05-03", "date_basis": "reported", "sentence": '=HYPERLINK("http://x") Turkey said.',
         "actor_types": "state", "countries": "Syria"},
    ]
)  # fmt: skip


def ids(rows: pd.DataFrame) -> set[str]:
    return set(rows["event_id"])


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (FilterState(), {"e1", "e2", "e3", "e4", "e5"}),
        (FilterState(actors=("Turkey",)), {"e1", "e5"}),
        (FilterState(actors=("Turkey",), include_affiliates=True), {"e1", "e2", "e5"}),
        (FilterState(actors=("HTS", "Russia")), {"e1", "e3", "e4"}),
        (FilterState(actor_types=("person",)), {"e2"}),
        (FilterState(event_types=("airstrike", "statement")), {"e2", "e3"}),
        (FilterState(places=("Idlib",)), {"e1", "e3", "e5"}),
        (FilterState(countries=("Turkey",)), {"e2"}),
        (FilterState(publishers=("Daily",)), {"e2"}),
        (FilterState(granularities=("week", "month")), {"e2", "e3"}),
        (FilterState(bases=("relative", "explicit")), {"e1", "e2", "e3"}),
        (FilterState(text="  last WEEK "), {"e2"}),
        (FilterState(date_from=dt.date(2020, 4, 25)), {"e1", "e2", "e4", "e5"}),
        (FilterState(date_to=dt.date(2019, 12, 15)), {"e3", "e4"}),
        (FilterState(date_from=dt.date(2020, 1, 1), include_undated=False), {"e1", "e2", "e5"}),
        (FilterState(event_ids=("e3", "e4", "nope")), {"e3", "e4"}),
        (FilterState(actors=("Turkey",), places=("Idlib",), bases=("relative",)), {"e1"}),
    ],
)
def test_apply_filters(state: FilterState, expected: set[str]) -> None:
    assert ids(filters.apply_filters(EVENTS, state)) == expected


def test_prepare_events_keeps_undated_rows_undated() -> None:
    undated = EVENTS[EVENTS["event_id"] == "e4"].iloc[0]
    assert pd.isna(undated["start"]) and pd.isna(undated["end"])
    assert EVENTS.loc[EVENTS["event_id"] == "e2", "end"].iloc[0] == pd.Timestamp("2020-04-26")


def test_value_counts_splits_multi_valued_columns() -> None:
    counts = filters.value_counts(EVENTS, "locations")
    assert counts.to_dict() == {"Idlib": 3, "Ankara": 1, "Moscow": 1}
    assert filters.value_counts(EVENTS, "publisher")["Wire"] == 4


def test_default_bases_hide_reported() -> None:
    assert filters.default_bases(["explicit", "reported", "relative"]) == ["explicit", "relative"]


@pytest.mark.parametrize(
    "state",
    [
        FilterState(),
        FilterState(actors=("HTS", "Russia"), include_affiliates=True, text="jets", include_undated=False),
        FilterState(bases=("explicit",), date_from=dt.date(2020, 1, 2), date_to=dt.date(2020, 3, 4)),
        FilterState(places=("Idlib",), countries=("Syria",), publishers=("Wire",), granularities=("day",)),
    ],
)
def test_url_params_round_trip(state: FilterState) -> None:
    params = filters.state_to_params(state)
    restored = FilterState(
        **{attr: tuple(params.get(key, ())) for key, attr in filters.LIST_PARAMS.items()},
        include_affiliates=params.get("affiliates") == "1",
        text=str(params.get("q", "")),
        date_from=filters.parse_date(params.get("from")),  # type: ignore[arg-type]
        date_to=filters.parse_date(params.get("to")),  # type: ignore[arg-type]
        include_undated=params.get("undated") != "0",
    )
    assert restored == state


@pytest.mark.parametrize("text", ["", "2020-13-01", "yesterday", None])
def test_parse_date_rejects_what_is_not_a_date(text: str | None) -> None:
    assert filters.parse_date(text) is None


D = dt.date


@pytest.mark.parametrize(
    ("window", "direction", "expected"),
    [
        ((D(2020, 1, 1), D(2020, 1, 10)), 1, (D(2020, 1, 11), D(2020, 1, 20))),
        ((D(2020, 1, 11), D(2020, 1, 20)), -1, (D(2020, 1, 1), D(2020, 1, 10))),
        ((D(2020, 12, 20), D(2020, 12, 29)), 1, (D(2020, 12, 22), D(2020, 12, 31))),  # stops at the end
        ((D(2020, 1, 3), D(2020, 1, 12)), -1, (D(2020, 1, 1), D(2020, 1, 10))),  # stops at the start
    ],
)
def test_step_window(window, direction, expected) -> None:
    assert filters.step_window(window, (D(2020, 1, 1), D(2020, 12, 31)), direction) == expected


def test_clamp_window() -> None:
    bounds = (D(2020, 1, 1), D(2020, 12, 31))
    assert filters.clamp_window((D(2019, 6, 1), D(2020, 2, 1)), bounds) == (D(2020, 1, 1), D(2020, 2, 1))
    assert filters.clamp_window((D(2021, 6, 1), D(2021, 7, 1)), bounds) == bounds
    assert filters.clamp_window(None, bounds) == bounds


# ── timeline ─────────────────────────────────────────────────────────────────────────────
def marks(fig) -> dict[str, tuple[str, str]]:
    """event_id → (trace type, lane) for every mark of a figure."""
    out = {}
    for trace in fig.data:
        for i, data in enumerate(trace.customdata or ()):
            for event_id in timeline.mark_ids(data[0]):
                out.setdefault(event_id, (trace.type, trace.y[i]))
    return out


def test_timeline_days_are_markers_and_periods_are_bars() -> None:
    fig = timeline.timeline_figure(EVENTS)
    kinds = marks(fig)
    assert kinds["e1"][0] == "scatter" and kinds["e5"][0] == "scatter"
    assert kinds["e2"][0] == "bar" and kinds["e3"][0] == "bar"
    assert "e4" not in kinds  # undated: never on the time axis
    bar = next(t for t in fig.data if t.type == "bar" and "e3" in [c[0] for c in t.customdata])
    k = [c[0] for c in bar.customdata].index("e3")
    assert bar.base[k] == "2019-12-01" and bar.x[k] == 31 * timeline.DAY_MS  # the whole month


def test_timeline_lanes_put_an_event_in_each_lane_it_names() -> None:
    fig = timeline.timeline_figure(EVENTS, lane_by="actor")
    lanes_of_e1 = {t.y[i] for t in fig.data for i, c in enumerate(t.customdata) if "e1" in timeline.mark_ids(c[0])}
    assert lanes_of_e1 == {"Turkey", "HTS"}
    by_source = timeline.timeline_figure(EVENTS, lane_by="source")
    assert {lane for t in by_source.data for lane in t.y} == {"Wire", "Daily"}
    by_type = timeline.timeline_figure(EVENTS, lane_by="event type")
    assert filters.NO_LANE in {lane for t in by_type.data for lane in t.y}  # e5 has no type


def test_coinciding_marks_are_drawn_once_with_every_event_id() -> None:
    rows = EVENTS[EVENTS["event_id"] == "e3"]  # a month-long period
    twins = [rows, rows.assign(event_id="e3b", sentence="Another one."), rows.assign(event_id="e3c")]
    twins = pd.concat(twins, ignore_index=True)
    fig = timeline.timeline_figure(twins, lane_by="source")
    (bar,) = fig.data
    assert len(bar.y) == 1 and timeline.mark_ids(bar.customdata[0][0]) == ["e3", "e3b", "e3c"]
    assert "3 events at this mark" in bar.customdata[0][7] and "%{customdata[7]}" in bar.hovertemplate
    single = timeline.timeline_figure(rows, lane_by="source")
    assert single.data[0].customdata[0][0] == "e3" and single.data[0].customdata[0][7] == ""


def test_timeline_is_two_traces_coloured_by_lane() -> None:
    """One trace per kind of mark, not per lane: Plotly's cost grows with the traces."""
    big = filters.prepare_events(synthetic.synthetic_tables(1500, seed=3)["events"])
    fig = timeline.timeline_figure(big, colors={"Turkey": "#123456"})
    assert sorted(t.type for t in fig.data) == ["bar", "scatter"]
    for trace in fig.data:
        assert len(trace.marker.color) == len(trace.y)
        assert all(c == "#123456" for c, lane in zip(trace.marker.color, trace.y, strict=True) if lane == "Turkey")
        assert len(set(trace.marker.color)) > 3


def test_timeline_hover_names_date_expression_actors_places_and_sentence() -> None:
    fig = timeline.timeline_figure(EVENTS)
    data = next(c for t in fig.data for c in t.customdata if c[0] == "e2")
    assert data[1] == "2020-04-20 – 2020-04-26" and data[4] == "Recep Tayyip Erdogan" and data[5] == "Ankara"
    assert data[6].startswith("Erdogan warned")
    assert "customdata[6]" in fig.data[0].hovertemplate


def test_timeline_window_and_cap() -> None:
    fig = timeline.timeline_figure(EVENTS, window=(D(2020, 4, 27), D(2020, 5, 31)))
    assert set(marks(fig)) == {"e1", "e5"}
    assert fig.layout.xaxis.range[0].startswith("2020-04-26")
    big = filters.prepare_events(synthetic.synthetic_tables(1500, seed=3)["events"])
    capped = timeline.timeline_figure(big, cap=200)
    assert len(marks(capped)) == 200 and "showing the first 200" in capped.layout.title.text


def test_timeline_uses_webgl_only_for_many_markers(monkeypatch) -> None:
    big = filters.prepare_events(synthetic.synthetic_tables(3000, seed=1)["events"])
    assert {t.type for t in timeline.timeline_figure(big, cap=2000).data} == {"scatter", "bar"}  # the page's cap
    monkeypatch.setattr(timeline, "WEBGL_ABOVE", 100)
    assert "scattergl" in {t.type for t in timeline.timeline_figure(big).data}
    assert {t.type for t in timeline.timeline_figure(EVENTS).data} <= {"scatter", "bar"}


def test_undated_events_are_listed_apart() -> None:
    assert ids(timeline.undated_events(EVENTS)) == {"e4"}


@pytest.mark.parametrize(
    ("first", "last", "freq"),
    [
        (D(2020, 1, 1), D(2020, 6, 1), "D"),
        (D(2018, 1, 1), D(2020, 6, 1), "W-MON"),
        (D(2010, 1, 1), D(2020, 1, 1), "MS"),
    ],
)
def test_overview_bin(first, last, freq) -> None:
    assert timeline.overview_bin(first, last) == freq


def test_overview_counts_per_bin_and_lane() -> None:
    fig = timeline.overview_figure(EVENTS, window=(D(2020, 5, 1), D(2020, 5, 3)))
    (heat,) = fig.data
    assert heat.type == "heatmap" and len(heat.x) == len(heat.z[0]) + 1  # x holds the bins' edges
    totals = {lane: sum(row) for lane, row in zip(heat.y, heat.z, strict=True)}
    assert totals == {"Turkey": 2, "HTS": 1, "Recep Tayyip Erdogan": 1, "Russia": 1}
    assert len(fig.layout.shapes) == 1  # the window
    assert "%{x|%Y-%m-%d}" in heat.hovertemplate  # day bins: a heatmap's hover names the cell's middle
    assert timeline.overview_figure(EVENTS.iloc[0:0]).layout.title.text == "No dated events"


def test_overview_of_many_events_ships_bins_not_events() -> None:
    big = filters.prepare_events(synthetic.synthetic_tables(5000, seed=2)["events"])
    (heat,) = timeline.overview_figure(big).data
    assert len(heat.x) < 1500 and sum(map(sum, heat.z)) >= big["start"].notna().sum()
    assert list(heat.y)[-1] == "other"  # the lanes by count, the rest of the events last


def test_lane_colors_are_distinct_and_grey_for_none() -> None:
    colors = timeline.lane_colors(["A", "B", "C", filters.NO_LANE])
    assert len({colors["A"], colors["B"], colors["C"]}) == 3 and colors[filters.NO_LANE] == "#9a9a9a"


# ── map ──────────────────────────────────────────────────────────────────────────────────
PLACES = pd.DataFrame(
    {"name": ["Idlib", "Ankara", "Moscow"], "lat": [35.93, 39.93, 55.76], "lon": [36.63, 32.86, 37.62],
     "kind": ["admin", "city", "city"], "country": ["Syria", "Turkey", "Russia"]}
)  # fmt: skip


def test_place_points_one_per_place_with_counts_and_top_actors() -> None:
    points = mapview.place_points(EVENTS, PLACES).set_index("name")
    assert points["count"].to_dict() == {"Idlib": 3, "Ankara": 1, "Moscow": 1}
    assert points.loc["Idlib", "top_actors"] == "Turkey (2), HTS (1), Russia (1)"
    assert points.loc["Idlib", "radius"] > points.loc["Moscow", "radius"]
    assert len(points.loc["Idlib", "color"]) == 4


def test_place_points_skip_places_without_coordinates() -> None:
    rows = frame([{"event_id": "x", "locations": "Atlantis", "actors": "Turkey"}])
    assert mapview.place_points(rows, PLACES).empty


def test_map_deck_is_offline_with_ids_and_pickable_place_layers() -> None:
    deck = mapview.map_deck(mapview.place_points(EVENTS, PLACES), selected=("Idlib",))
    assert deck.map_provider is None
    ids = [layer.id for layer in deck.layers]
    assert mapview.LABELS_LAYER in ids and mapview.PLACES_LAYER in ids and mapview.REGIONS_LAYER in ids
    assert any(i.startswith(mapview.BORDERS_LAYER) for i in ids) and len(ids) == len(set(ids))
    layers = {layer.id: layer for layer in deck.layers}
    assert layers[mapview.PLACES_LAYER].pickable is True and layers[mapview.REGIONS_LAYER].pickable is True
    spec = deck.to_json()
    # The basemap is the page's own files, by relative URL: fetched once, never from elsewhere.
    urls = re.findall(r'"data":"([^"]+)"', spec)
    assert urls and all(u.startswith("app/static/basemap/") for u in urls)
    assert all((STATIC / u.removeprefix("app/static/")).exists() for u in urls)
    assert '"radiusUnits":"pixels"' in spec and "{top_actors}" in deck._tooltip["html"]
    assert "{precision}" in deck._tooltip["html"] and isinstance(deck, pdk.Deck)


def test_places_are_drawn_by_precision() -> None:
    """A town is a filled circle, a region a hollow ring, a country is not drawn (it is listed)."""
    rows = frame([{"event_id": "a", "locations": "Idlib; Ankara; Syria", "actors": "Turkey"}])
    places = pd.concat([PLACES, pd.DataFrame([{"name": "Syria", "lat": 34.8, "lon": 39.0, "kind": "country"}])])
    points = mapview.place_points(rows, places)
    assert dict(zip(points["name"], points["shape"], strict=True)) == {
        "Idlib": "area", "Ankara": "point", "Syria": "country"
    }  # fmt: skip
    deck = json.loads(mapview.map_deck(points, selected=("Idlib",)).to_json())
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert [d["name"] for d in layers[mapview.PLACES_LAYER]["data"]] == ["Ankara"]
    rings = layers[mapview.REGIONS_LAYER]
    assert [d["name"] for d in rings["data"]] == ["Idlib"] and rings["filled"] is False
    assert list(mapview.country_level(points)["name"]) == ["Syria"]


def test_an_event_with_several_places_is_drawn_at_each() -> None:
    rows = frame([{"event_id": "a", "locations": "Ankara; Moscow", "actors": "Turkey"}])
    points = mapview.place_points(rows, PLACES).set_index("name")
    assert points["count"].to_dict() == {"Ankara": 1, "Moscow": 1}


def test_a_tie_between_actors_colours_a_place_by_the_first_name() -> None:
    rows = frame([{"event_id": "a", "locations": "Ankara", "actors": "Turkey"},
                  {"event_id": "b", "locations": "Ankara", "actors": "HTS"}])  # fmt: skip
    for order in (rows, rows.iloc[::-1]):
        assert mapview.place_points(order, PLACES).set_index("name").loc["Ankara", "actor"] == "HTS"


def test_the_view_fits_every_drawn_place_with_padding() -> None:
    """Each place projects inside the map, away from its edges (deck.gl: 512 px for the world at zoom 0)."""
    rows = frame([{"event_id": "a", "locations": "Idlib; Ankara; Moscow", "actors": "Turkey"}])
    points = mapview.place_points(rows, PLACES)
    view = mapview.view_for(points)
    width, height = mapview.MAP_SIZE
    scale = 512 * 2**view.zoom

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    for p in points.itertuples():
        x = width / 2 + (p.lon - view.longitude) * scale / 360
        y = height / 2 - (merc(p.lat) - merc(view.latitude)) * scale / (2 * math.pi)
        assert 0.1 * width <= x <= 0.9 * width and 0.1 * height <= y <= 0.9 * height, (p.name, x, y)


def test_a_view_is_kept_while_it_shows_every_place_well() -> None:
    rows = frame([{"event_id": "a", "locations": "Idlib; Ankara", "actors": "Turkey"}])
    near = mapview.place_points(rows, PLACES)
    view = mapview.view_for(near)
    assert mapview.keeps(view, view, near)
    far = mapview.place_points(frame([{"event_id": "b", "locations": "Idlib; Moscow", "actors": "Turkey"}]), PLACES)
    assert not mapview.keeps(view, mapview.view_for(far), far)  # Moscow would be cut off


def test_only_the_tiles_in_view_are_loaded() -> None:
    view = pdk.ViewState(latitude=35.5, longitude=37.0, zoom=6)
    assert set(mapview.tiles_in_view(view)) == {(30, 30)}
    wide = mapview.basemap_layers(pdk.ViewState(latitude=30, longitude=30, zoom=1))
    assert [layer.data for layer in wide if layer.id == mapview.BORDERS_LAYER] == ["app/static/basemap/world.json"]


def test_labels_thin_out_as_the_view_widens() -> None:
    near = mapview.labels_in_view(pdk.ViewState(latitude=35.5, longitude=37.0, zoom=6))
    far = mapview.labels_in_view(pdk.ViewState(latitude=35.5, longitude=37.0, zoom=2.5))
    assert {"Syria", "Damascus"} <= {x["name"] for x in near} and "Damascus" not in {x["name"] for x in far}
    assert all(x["kind"] == "country" for x in far) and len(far) < 60


def test_first_level_regions_are_named_when_the_view_is_close_enough() -> None:
    near = mapview.labels_in_view(pdk.ViewState(latitude=14.5, longitude=32.5, zoom=6))
    regions = {x["name"] for x in near if x["kind"] == "region"}
    assert {"Khartoum State", "Gezira State"} <= regions and len(near) < 80
    wider = mapview.labels_in_view(pdk.ViewState(latitude=14.5, longitude=32.5, zoom=mapview.REGION_MIN_ZOOM - 0.5))
    assert not any(x["kind"] == "region" for x in wider)
    layer = next(x for x in mapview.basemap_layers(pdk.ViewState(latitude=14.5, longitude=32.5, zoom=6))
                 if x.id == mapview.LABELS_LAYER)  # fmt: skip
    assert "Gezira State" in {x["name"] for x in layer.data}


def test_legend_names_the_colours_drawn() -> None:
    points = mapview.place_points(EVENTS, PLACES)
    legend = mapview.legend(points, timeline.lane_colors(["Turkey", "HTS", "Russia"]))
    assert legend and legend[0][0] == "Turkey" and all(c.startswith(("#", "rgb")) for _, c in legend)


@pytest.mark.parametrize(("color", "rgba"), [("#ff8000", [255, 128, 0, 200]), ("rgb(27,158,119)", [27, 158, 119, 200])])
def test_to_rgba(color: str, rgba: list[int]) -> None:
    assert mapview.to_rgba(color) == rgba


def test_map_deck_takes_data_instead_of_urls() -> None:
    points = mapview.place_points(EVENTS, PLACES)
    deck = mapview.map_deck(points, borders=[{"p": [[0, 0], [1, 1]]}])
    assert '"data":[{"p":[[0,0],[1,1]]}]' in deck.to_json()
    ids = [layer.id for layer in mapview.map_deck(points, borders=None).layers]
    assert ids == [mapview.REGIONS_LAYER, mapview.PLACES_LAYER, mapview.PLACE_LABELS_LAYER]


def test_map_deck_keeps_a_given_view() -> None:
    points = mapview.place_points(EVENTS, PLACES)
    view = pdk.ViewState(latitude=1.5, longitude=2.5, zoom=3)
    assert '"latitude":1.5' in mapview.map_deck(points, view=view).to_json()
    assert '"latitude":1.5' not in mapview.map_deck(points).to_json()  # by default it frames the points


STATIC = Path(__file__).resolve().parents[1] / "static"


def test_bundled_basemap_has_coasts_borders_regions_and_labels() -> None:
    base = STATIC / "basemap"
    labels = json.loads((base / "labels.json").read_text(encoding="utf-8"))
    names = {(x["kind"], x["name"]) for x in labels}
    assert {("country", "Syria"), ("country", "Ukraine"), ("country", "Sudan"), ("city", "Damascus")} <= names
    assert (base / "tiles" / "b_30_30.json").exists() and (base / "tiles" / "r_30_30.json").exists()
    assert (base / "world.json").exists()
    size = sum(f.stat().st_size for f in base.rglob("*.json"))
    assert size < 3_500_000  # the repository stays small


def edges(segments: list[dict]) -> set[frozenset]:
    return {frozenset((tuple(s["s"]), tuple(s["t"]))) for s in segments}


def test_border_segments_draw_a_shared_border_once() -> None:
    west = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
    east = [[1, 0], [2, 0], [2, 1], [1, 1], [1.001, 1.001], [1, 0]]  # walks the shared side the other way
    countries = {"features": [{"geometry": {"type": "Polygon", "coordinates": [west]}},
                              {"geometry": {"type": "MultiPolygon", "coordinates": [[east], [west]]}}]}  # fmt: skip
    segments = mapview.border_segments(countries, tolerance=0)
    assert len(segments) == 7  # 4 + 4 sides, the shared one once (and a point rounding onto its neighbour)
    assert frozenset({(1, 0), (1, 1)}) in edges(segments)


def test_border_segments_simplify_lines_between_junctions() -> None:
    wiggly = [[0, 0], [1, 0.05], [2, -0.05], [3, 0], [3, 3], [0, 3], [0, 0]]  # an island: one loop
    island = {"features": [{"geometry": {"type": "Polygon", "coordinates": [wiggly]}}]}
    corners = [(0, 0), (3, 0), (3, 3), (0, 3), (0, 0)]
    assert edges(mapview.border_segments(island)) == {frozenset(e) for e in itertools.pairwise(corners)}
    assert len(mapview.border_segments(island, tolerance=0.01)) == 6  # every point kept


# ── export ───────────────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2", "'-2"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Turkey", "Turkey"), ("", ""), (3, 3), (None, None), ("a=b", "a=b")],
)  # fmt: skip
def test_neutralise(value, expected) -> None:
    assert export.neutralise(value) == expected


def test_csv_has_exactly_the_rows_provenance_columns_and_neutralised_cells() -> None:
    rows = filters.apply_filters(EVENTS, FilterState(actors=("Turkey",)))
    back = pd.read_csv(io.BytesIO(export.csv_bytes(rows)), dtype=str, keep_default_na=False)
    assert list(back["event_id"]) == ["e1", "e5"]
    for col in ("doc_id", "url", "published", "sentence", "time_text", "resolution"):
        assert col in back.columns
    assert back.loc[1, "sentence"].startswith("'=HYPERLINK")
    assert "start" not in back.columns  # helper columns stay out


def test_parquet_round_trips_the_rows() -> None:
    back = pd.read_parquet(io.BytesIO(export.parquet_bytes(EVENTS)))
    assert list(back["event_id"]) == list(EVENTS["event_id"])
    assert back.loc[4, "sentence"].startswith("=HYPERLINK")  # typed data, not neutralised


# ── provenance ───────────────────────────────────────────────────────────────────────────
SENTENCE = "On Saturday, Turkish forces shelled <HTS> near Idlib."
MENTIONS = pd.DataFrame(
    {"doc_id": ["d1"] * 4, "kind": ["time", "actor", "actor", "place"],
     "text": ["On Saturday", "Turkish forces", "HTS", "Idlib"], "char_start": [100, 113, 137, 147],
     "char_end": [111, 127, 140, 152], "value": ["2020-05-02", "Turkey", "HTS", "Idlib"]}
)  # fmt: skip


def test_sentence_spans_from_document_offsets() -> None:
    pieces = provenance.sentence_spans(SENTENCE, 100, MENTIONS)
    assert "".join(t for t, _ in pieces) == SENTENCE
    assert [(t, k) for t, k in pieces if k] == [
        ("On Saturday", "time"), ("Turkish forces", "actor"), ("HTS", "actor"), ("Idlib", "place"),
    ]  # fmt: skip


def test_sentence_spans_ignore_offsets_that_do_not_match() -> None:
    shifted = MENTIONS.assign(char_start=MENTIONS["char_start"] + 1)
    assert all(k == "" for _, k in provenance.sentence_spans(SENTENCE, 100, shifted))
    found = provenance.sentence_spans(SENTENCE, None, MENTIONS)  # unknown offsets: found by text
    assert ("Idlib", "place") in found


def test_highlight_html_escapes_the_text() -> None:
    html = provenance.highlight_html(provenance.sentence_spans(SENTENCE, 100, MENTIONS))
    assert "&lt;" in html and "<HTS>" not in html
    assert html.count("<mark") == 4 and 'class="nl-place"' in html


def test_sentence_mentions_keep_only_the_sentence() -> None:
    other = pd.DataFrame({"doc_id": ["d1", "d2"], "kind": ["actor"] * 2, "text": ["X"] * 2,
                          "char_start": [5, 120], "char_end": [6, 121], "value": ["X"] * 2})  # fmt: skip
    both = pd.concat([MENTIONS, other])
    assert len(provenance.sentence_mentions(both, "d1", 100, 153)) == 4


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), (float("nan"), None), ("12", 12), (7.0, 7)])
def test_offset(value, expected) -> None:
    assert provenance.offset(value) == expected


# ── synthetic ────────────────────────────────────────────────────────────────────────────
def test_synthetic_tables_follow_the_contract() -> None:
    tables = synthetic.synthetic_tables(400, seed=5)
    events = tables["events"]
    contract = ["event_id", "doc_id", "published", "sentence", "time_text", "char_start", "char_end", "time_value",
                "date_start", "date_end", "granularity", "date_basis", "resolution", "actors", "locations"]  # fmt: skip
    assert set(contract) <= set(events.columns) and events["event_id"].is_unique and len(events) == 400
    undated = events[events["date_start"] == ""]
    assert len(undated) and set(undated["granularity"]) == {"unknown"}
    assert set(filters.split_multi(events["locations"])) <= set(tables["places"]["name"])
    years = pd.to_datetime(events.loc[events["date_start"] != "", "date_start"]).dt.year
    assert years.max() - years.min() >= 5  # spread over years
    row = events.iloc[0]
    pieces = provenance.sentence_spans(row["sentence"], row["sentence_start"], tables["mentions"])
    assert {k for _, k in pieces if k} >= {"actor"}


# ── table ────────────────────────────────────────────────────────────────────────────────
def test_table_frame_orders_by_date_with_undated_last() -> None:
    shown = table.table_frame(EVENTS, limit=4)
    assert list(shown["event_id"]) == ["e3", "e2", "e1", "e5"]
    assert shown.loc[0, "precision"] == "month" and list(shown.columns)[:3] == ["date", "precision", "sentence"]
    last = table.table_frame(EVENTS).iloc[-1]
    assert last["date"] == "undated" and last["precision"] == "—"  # an undated row claims no precision


def test_documents_to_fix_lists_undated_and_ambiguous_readable_documents() -> None:
    docs = pd.DataFrame(
        {"doc_id": ["a", "b", "c", "d", "e"], "status": ["ok", "ok", "ok", "rejected", "ok"],
         "published": ["", "2020-05-03", "2020-02-13", "", "2020-01-01"],
         "ambiguous": [None, True, False, None, "True"]}
    )  # fmt: skip
    assert list(table.documents_to_fix(docs)["doc_id"]) == ["a", "b", "e"]


def test_default_window_is_everything_under_the_cap_else_the_widest_recent_window_that_fits() -> None:
    bounds = (D(2019, 1, 1), D(2020, 12, 31))
    assert table.default_window(EVENTS, bounds, cap=10) == bounds
    assert table.default_window(EVENTS, bounds, cap=2) == (D(2020, 7, 5), D(2020, 12, 31))  # the last 180 days


def test_default_window_narrows_on_a_dense_table() -> None:
    days = pd.date_range("2020-01-01", "2020-12-31", freq="D")
    dense = pd.DataFrame({"start": days.repeat(10), "end": days.repeat(10)})  # 10 events a day
    bounds = (D(2020, 1, 1), D(2020, 12, 31))
    assert table.default_window(dense, bounds, cap=1000) == (D(2020, 10, 3), D(2020, 12, 31))  # 90 days: 900
    assert table.default_window(dense, bounds, cap=200) == (D(2020, 12, 18), D(2020, 12, 31))  # 14 days: 140
    assert table.default_window(dense, bounds, cap=5) == (D(2020, 12, 25), D(2020, 12, 31))  # 7 days, over the cap
    year = pd.DataFrame({"start": [pd.Timestamp("2020-01-01")] * 300, "end": [pd.Timestamp("2020-12-31")] * 300})
    assert table.default_window(pd.concat([dense, year]), bounds, cap=1000)[0] == D(2020, 12, 2)  # periods count too


# ── timeline edges ──────────────────────────────────────────────────────────────────────
def test_plural() -> None:
    assert timeline.plural(1, "dated event") == "1 dated event" and timeline.plural(2, "event") == "2 events"


def test_a_window_leaves_room_for_its_edge_marks_and_a_short_one_shows_days() -> None:
    axis = timeline.padded_axis((dt.date(2020, 1, 1), dt.date(2020, 1, 1)))
    lo, hi = (pd.Timestamp(x) for x in axis["range"])
    assert lo <= pd.Timestamp("2019-12-31") and hi >= pd.Timestamp("2020-01-02")
    assert axis["dtick"] == timeline.DAY_MS and "%H" not in axis["tickformat"]
    wide = timeline.padded_axis((dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert "dtick" not in wide and pd.Timestamp(wide["range"][0]) < pd.Timestamp("2019-12-25")


def test_an_empty_view_has_a_message_and_no_axis() -> None:
    empty = filters.prepare_events(EVENTS.iloc[:0])
    for fig in (timeline.timeline_figure(empty), timeline.overview_figure(empty)):
        layout = fig.to_plotly_json()["layout"]
        assert layout["xaxis"]["visible"] is False and layout["annotations"][0]["text"].startswith("No dated")
