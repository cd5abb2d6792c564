"""The map: places drawn by precision over an offline Natural Earth basemap, with labels and a legend.

Offline by construction: ``pdk.Deck(map_provider=None)`` with the map style left at its default makes no
request off the machine (a basemap would be fetched from Carto). The basemap is the page's own files
(``static/basemap/``, made by scripts/make_basemap.py from public-domain Natural Earth data): coasts and
country borders, first-level region borders, and labels for countries and populated places. The 1:10m
lines are cut into 30-degree tiles and the deck asks only for the tiles its view touches (the 1:110m world
file for wider views); deck.gl fetches each URL once and keeps it, so a rerun sends only the places.

Places are drawn by what they are: a town or point as a filled circle sized by its events, a region or
province as a hollow ring (never a town-like dot), and a country not at all (its centroid would read as a
town): the page lists country-level places beside the map. A place takes the colour of its most frequent
actor; a tie goes to the actor whose name sorts first, so the colour is stable.

Every change of the places redraws every layer, and in a browser without a GPU (software WebGL) that is the
page's most expensive step: the lines are simplified, the land is not filled, and only the tiles in view
are drawn.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import math
from pathlib import Path

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from views.filters import split_multi
from views.timeline import lane_colors

TILE_DEGREES = 30  # the basemap tiles of static/basemap/tiles/ (scripts/make_basemap.py)
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
BASEMAP_DIR = STATIC_DIR / "basemap"
REGIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "regions.csv"
REGION_MIN_ZOOM = 5.0  # first-level regions are named from this (deck.gl) zoom on
# Country names grey-blue, region names a muted violet (a name, not a place drawn), towns dark grey.
LABEL_COLORS = "kind == 'country' ? [110, 110, 120, 200] : kind == 'region' ? [120, 110, 150, 190] : [90, 90, 90, 220]"
# Served by Streamlit from static/ (server.enableStaticServing); relative to the page.
BASEMAP_URL = "app/static/basemap"
BORDERS_LAYER = "borders"
REGION_LINES_LAYER = "region-borders"
LABELS_LAYER = "labels"
PLACES_LAYER = "places"  # towns and points: filled circles
REGIONS_LAYER = "regions"  # regions and provinces: hollow rings
PLACE_LABELS_LAYER = "place-labels"
PICKABLE_LAYERS = (PLACES_LAYER, REGIONS_LAYER)
WORLD_BELOW_ZOOM = 2.5  # a view wider than this draws the 1:110m world file instead of the tiles
MAP_SIZE = (430, 460)  # the map's size on the page in pixels (width, height), for framing the places
FONT = "'Helvetica, Arial, sans-serif'"  # pydeck reads a string as an expression: a quoted literal
PRECISION_LABELS = {"point": "town or point", "area": "region or province", "country": "country"}
TOOLTIP = {
    "html": "<b>{name}</b> · {precision}<br/>{count} events<br/>{top_actors}",
    "style": {"fontSize": "12px", "backgroundColor": "#1f2630", "color": "white"},
}


def shape_of(kind: str, precision: object) -> str:
    """How a place is drawn: ``point`` (a town, a feature), ``area`` (a region, a province) or ``country``."""
    if kind == "country":
        return "country"
    if kind in ("admin", "region"):
        return "area"
    return "point"


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation.

    pydeck indents its JSON, which forces Python's pure-Python encoder: ~0.6 s per rerun for
    the bundled borders. Without indentation the C encoder writes the same spec in ~0.05 s.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def read_borders(path: Path) -> dict:
    """The country polygons GeoJSON (see scripts/make_borders.py)."""
    return json.loads(path.read_text(encoding="utf-8"))


def border_segments(countries: dict, digits: int = 2, tolerance: float = 0.25) -> list[dict]:
    """Every border and coast once, as segments ``{"s": [lon, lat], "t": [lon, lat]}`` for a LineLayer.

    Points are rounded to ``digits`` places; a border two countries share is kept once (each ring
    walks it, in opposite directions); the lines between junctions are simplified (Douglas-Peucker,
    ``tolerance`` degrees; 0.25° is ~6 px at zoom 5, where a Syria-sized table is framed). Every
    segment is drawn again on every redraw, and software WebGL pays for each: the 10,293 segments of
    the rings as they were cost ~0.3 s of CPU per filter change; the 3,892 kept here ~0.1 s."""
    edges: dict[tuple, set[tuple]] = {}  # each point's neighbours, each undirected edge once

    def rings(coords: list) -> list[list]:
        return [coords] if coords and isinstance(coords[0][0], (int, float)) else [r for c in coords for r in rings(c)]

    for feature in countries["features"]:
        for ring in rings(feature["geometry"]["coordinates"]):
            points = [(round(x, digits), round(y, digits)) for x, y in ring]
            for a, b in itertools.pairwise(points):
                if a != b:
                    edges.setdefault(a, set()).add(b)
                    edges.setdefault(b, set()).add(a)
    segments: list[dict] = []
    for line in _lines(edges):
        kept = _simplify(line, tolerance)
        segments.extend({"s": list(a), "t": list(b)} for a, b in itertools.pairwise(kept))
    return segments


def _lines(edges: dict[tuple, set[tuple]]) -> list[list[tuple]]:
    """The graph's edges as polylines that end at junctions (points with other than two neighbours);
    a loop without a junction (an island) starts and ends at its smallest point. Deterministic."""
    seen: set[tuple] = set()
    lines = []

    def walk(start: tuple, nxt: tuple) -> list[tuple]:
        line, prev, here = [start], start, nxt
        seen.add((min(start, nxt), max(start, nxt)))
        while True:
            line.append(here)
            if len(edges[here]) != 2 or here == start:
                return line
            (onward,) = edges[here] - {prev}
            edge = (min(here, onward), max(here, onward))
            if edge in seen:
                return line
            seen.add(edge)
            prev, here = here, onward

    ends = sorted(p for p, near in edges.items() if len(near) != 2)
    for start in [*ends, *sorted(edges)]:  # junctions first; what is left are loops
        for nxt in sorted(edges[start]):
            if (min(start, nxt), max(start, nxt)) not in seen:
                lines.append(walk(start, nxt))
    return lines


def _simplify(line: list[tuple], tolerance: float) -> list[tuple]:
    """Douglas-Peucker: the fewest points of ``line`` within ``tolerance`` of it, ends kept."""
    if len(line) < 3:
        return line
    (x0, y0), (x1, y1) = line[0], line[-1]
    dx, dy = x1 - x0, y1 - y0
    norm = math.hypot(dx, dy)

    def distance(p: tuple) -> float:
        if norm == 0:
            return math.hypot(p[0] - x0, p[1] - y0)
        return abs(dy * (p[0] - x0) - dx * (p[1] - y0)) / norm

    far = max(range(1, len(line) - 1), key=lambda i: distance(line[i]))
    if distance(line[far]) <= tolerance:
        return [line[0], line[-1]]
    return _simplify(line[: far + 1], tolerance)[:-1] + _simplify(line[far:], tolerance)


def to_rgba(color: str, alpha: int = 200) -> list[int]:
    """``#rrggbb`` or ``rgb(r,g,b)`` (Plotly's palettes) as deck.gl's [r, g, b, a]."""
    if color.startswith("rgb"):
        return [int(float(c)) for c in color[color.index("(") + 1 : color.index(")")].split(",")[:3]] + [alpha]
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def place_counts(events: pd.DataFrame) -> dict:
    """Rows per place named (``places``: name, count), per place and actor (``pairs``: name, actor, n) and
    per actor (``actors``): what the map draws. ``views.query.place_counts`` gives the same from DuckDB."""
    events = events[["locations", "actors"]]
    named = split_multi(events["locations"]) if len(events) else pd.Series(dtype=object)
    counts = named.value_counts().rename("count").rename_axis("name").reset_index()
    pairs = pd.DataFrame({"name": named.values, "row": named.index})
    actors = split_multi(events["actors"]) if len(events) else pd.Series(dtype=object)
    pairs = pairs.merge(pd.DataFrame({"row": actors.index, "actor": actors.values}), on="row", how="left")
    pairs = pairs.dropna(subset=["actor"]).groupby(["name", "actor"]).size().rename("n").reset_index()
    return {"places": counts, "pairs": pairs, "actors": actors.value_counts()}


def place_points(
    events: pd.DataFrame, places: pd.DataFrame, top: int = 3, colors: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per place named by ``events``: name, lat, lon, count, top_actors, color, radius.

    Coordinates come from places.csv; a place missing there is dropped (it cannot be drawn).
    The colour is that of the place's most frequent actor, as in the timeline's actor lanes.
    """
    return points_from_counts(place_counts(events), places, top, colors)


def points_from_counts(
    counts: dict, places: pd.DataFrame, top: int = 3, colors: dict[str, str] | None = None
) -> pd.DataFrame:
    """``place_points`` from the counts of ``place_counts`` (pandas or DuckDB)."""
    columns = ["name", "lat", "lon", "count", "top_actors", "color", "radius", "kind", "shape", "precision", "actor"]
    if counts["places"].empty or places.empty:
        return pd.DataFrame(columns=columns)
    places = places if "kind" in places.columns else places.assign(kind="")
    coords = places.drop_duplicates("name")[["name", "lat", "lon", "kind"]].astype({"name": object})
    coords["kind"] = coords["kind"].fillna("").astype(str)
    coords["lat"] = pd.to_numeric(coords["lat"], errors="coerce")
    coords["lon"] = pd.to_numeric(coords["lon"], errors="coerce")
    points = (
        counts["places"].astype({"name": object}).merge(coords, on="name", how="inner").dropna(subset=["lat", "lon"])
    )
    by_place = counts["pairs"].sort_values(["name", "n", "actor"], ascending=[True, False, True])  # ties: by name
    top_rows = by_place.groupby("name").head(top)
    labels = (top_rows["actor"] + " (" + top_rows["n"].astype(str) + ")").groupby(top_rows["name"]).agg(", ".join)
    dominant = top_rows.groupby("name")["actor"].first()
    points["top_actors"] = points["name"].map(labels).fillna("no actor named")
    points["actor"] = points["name"].map(dominant).fillna("")
    points["shape"] = [shape_of(k, None) for k in points["kind"]]
    points["precision"] = points["shape"].map(PRECISION_LABELS)
    colors = {**lane_colors(counts["actors"].index.tolist()), **(colors or {})}
    points["color"] = (
        points["name"]
        .map(dominant)
        .map(lambda a: to_rgba(colors.get(a, "#888888")) if isinstance(a, str) else [136, 136, 136, 200])
    )
    biggest = max(int(points["count"].max()), 1) if len(points) else 1
    points["radius"] = points["count"].map(lambda c: round(4 + 16 * math.sqrt(c / biggest), 1))
    return points[columns].sort_values(["count", "name"], ascending=[False, True]).reset_index(drop=True)


def drawn(points: pd.DataFrame) -> pd.DataFrame:
    """The places the map draws: towns, points and regions (countries are listed beside it)."""
    return points[points["shape"] != "country"] if "shape" in points.columns else points


def country_level(points: pd.DataFrame) -> pd.DataFrame:
    return points[points["shape"] == "country"] if "shape" in points.columns else points.iloc[:0]


def _mercator_y(lat: float) -> float:
    lat = max(-85.0, min(85.0, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def view_for(points: pd.DataFrame, size: tuple[int, int] = MAP_SIZE, padding: float = 0.2) -> pdk.ViewState:
    """A view that fits every drawn place with ``padding`` (a share of the span on each side), centred on
    their bounding box (the Levant when there is none)."""
    points = drawn(points)
    if points.empty:
        return pdk.ViewState(latitude=35.0, longitude=38.0, zoom=4)
    lat_lo, lat_hi = float(points["lat"].min()), float(points["lat"].max())
    lon_lo, lon_hi = float(points["lon"].min()), float(points["lon"].max())
    lon_span = max(lon_hi - lon_lo, 1.0) * (1 + 2 * padding)
    y_span = max(_mercator_y(lat_hi) - _mercator_y(lat_lo), math.radians(1.0)) * (1 + 2 * padding)
    zoom_x = math.log2(size[0] * 360 / (512 * lon_span))
    zoom_y = math.log2(size[1] * 2 * math.pi / (512 * y_span))
    zoom = max(1.0, min(9.0, min(zoom_x, zoom_y)))
    mid_y = (_mercator_y(lat_hi) + _mercator_y(lat_lo)) / 2
    latitude = math.degrees(2 * math.atan(math.exp(mid_y)) - math.pi / 2)
    return pdk.ViewState(latitude=round(latitude, 4), longitude=round((lon_lo + lon_hi) / 2, 4), zoom=round(zoom, 2))


def keeps(
    view: pdk.ViewState,
    fit: pdk.ViewState,
    points: pd.DataFrame,
    zoom_slack: float | None = 1.0,
    size: tuple[int, int] = MAP_SIZE,
) -> bool:
    """Whether ``view`` can stay as the places change to ``points`` (whose own fit is ``fit``): every drawn
    place is inside it, away from its edges, and (unless ``zoom_slack`` is None) its zoom is within
    ``zoom_slack`` of the fit's. A view that stays put spares a software-rendered browser a new frame and
    the map does not jump."""
    if zoom_slack is not None and abs(view.zoom - fit.zoom) > zoom_slack:
        return False
    scale = 512 * 2**view.zoom
    for p in drawn(points).itertuples():
        x = (p.lon - view.longitude) * scale / 360
        y = (_mercator_y(p.lat) - _mercator_y(view.latitude)) * scale / (2 * math.pi)
        if abs(x) > size[0] * 0.42 or abs(y) > size[1] * 0.42:
            return False
    return True


def tiles_in_view(view: pdk.ViewState, size: tuple[int, int] = MAP_SIZE, margin: float = 0.3) -> list[tuple]:
    """The (lon, lat) corners of the basemap tiles that the view (and ``margin`` views around it) touches."""
    degrees_per_px = 360 / (512 * 2**view.zoom)  # deck.gl: the world is 512 px wide at zoom 0
    half_w = size[0] / 2 * degrees_per_px * (1 + margin)
    half_h = size[1] / 2 * degrees_per_px * (1 + margin) / max(math.cos(math.radians(view.latitude)), 0.2)
    lon0, lon1 = view.longitude - half_w, view.longitude + half_w
    lat0, lat1 = max(-90.0, view.latitude - half_h), min(89.9, view.latitude + half_h)
    step = TILE_DEGREES
    xs = range(int(math.floor(lon0 / step) * step), int(math.floor(lon1 / step) * step) + 1, step)
    ys = range(int(math.floor(lat0 / step) * step), int(math.floor(lat1 / step) * step) + 1, step)
    return [(((x + 180) % 360) - 180, y) for x in xs for y in ys]


def basemap_layers(view: pdk.ViewState, base_dir: Path = BASEMAP_DIR, base_url: str = BASEMAP_URL) -> list:
    """Coasts and borders (and region borders in a regional view) as PathLayers on the page's own files,
    then the country and city labels."""
    line = {"pickable": False, "get_path": "p", "width_units": "'pixels'", "joint_rounded": False}
    layers = []
    if view.zoom < WORLD_BELOW_ZOOM:
        layers.append(pdk.Layer("PathLayer", f"{base_url}/world.json", id=BORDERS_LAYER,
                                get_color=[150, 150, 150], get_width=0.8, **line))  # fmt: skip
    else:
        tiles = list(dict.fromkeys(tiles_in_view(view)))
        for kind, layer_id, color, width in (
            ("r", REGION_LINES_LAYER, [200, 200, 210], 0.6),
            ("b", BORDERS_LAYER, [140, 140, 140], 0.9),
        ):
            for lon, lat in tiles:
                name = f"tiles/{kind}_{lon}_{lat}.json"
                if (base_dir / name).exists():
                    layers.append(pdk.Layer("PathLayer", f"{base_url}/{name}", id=f"{layer_id}-{lon}-{lat}",
                                            get_color=color, get_width=width, **line))  # fmt: skip
    names = labels_in_view(view)
    layers.append(
        pdk.Layer(
            "TextLayer", names, id=LABELS_LAYER, pickable=False,
            get_position=["lon", "lat"], get_text="name",
            get_size="kind == 'country' ? 13 : 11",
            get_color=LABEL_COLORS,
            font_weight=600, size_units="'pixels'", outline_width=2, outline_color=[255, 255, 255, 200],
            font_family=FONT, font_settings={"sdf": True},
            get_alignment_baseline="'center'", get_text_anchor="kind == 'city' ? 'start' : 'middle'",
            get_pixel_offset="kind == 'city' ? [7, 0] : [0, 0]",
        )
    )  # fmt: skip
    return layers


@functools.cache
def basemap_labels(path: Path = BASEMAP_DIR / "labels.json", regions: Path = REGIONS_FILE) -> tuple[dict, ...]:
    """The basemap's country and city labels (scripts/make_basemap.py), and the first-level regions' names at
    their points (data/regions.csv, the gazetteer's regions), shown from REGION_MIN_ZOOM on."""
    labels = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    if regions.exists():
        with open(regions, encoding="utf-8", newline="") as handle:
            rows = csv.DictReader(line for line in handle if not line.startswith("#"))
            labels += [{"name": r["name"], "kind": "region", "min_zoom": REGION_MIN_ZOOM,
                        "lon": round(float(r["lon"]), 2), "lat": round(float(r["lat"]), 2)}
                       for r in rows if r["lat"] and r["lon"]]  # fmt: skip
    return tuple(labels)


def labels_in_view(view: pdk.ViewState, size: tuple[int, int] = MAP_SIZE) -> list[dict]:
    """The labels shown at the view's zoom (each has its ``min_zoom``) and inside it: a few dozen, sent with
    the deck, so a wide view is not buried under every capital's name."""
    degrees_per_px = 360 / (512 * 2**view.zoom)
    half_w = size[0] / 2 * degrees_per_px * 1.2
    half_h = size[1] / 2 * degrees_per_px * 1.2 / max(math.cos(math.radians(view.latitude)), 0.2)
    return [
        x for x in basemap_labels()
        if x["min_zoom"] <= view.zoom and abs(x["lon"] - view.longitude) <= half_w
        and abs(x["lat"] - view.latitude) <= half_h
    ]  # fmt: skip


def map_deck(
    points: pd.DataFrame,
    selected: tuple[str, ...] = (),
    borders: str | list | None = BASEMAP_URL,
    view: pdk.ViewState | None = None,
    labels: int = 25,
) -> pdk.Deck:
    """The basemap, then regions as hollow rings and towns as filled circles (pickable; selected places get
    a dark outline), and the names of the ``labels`` busiest places drawn.

    ``borders`` is the basemap's URL folder, or lines ``{"p": [...]}`` to draw instead, or None for none;
    ``view`` is where the map looks (default: framing ``points``). A view that stays put as the window or a
    selection changes keeps the map from jumping and spares software-rendered browsers a second frame."""
    view = view or view_for(points)
    layers = []
    if isinstance(borders, str):
        layers.extend(basemap_layers(view, base_url=borders))
    elif borders:
        layers.append(pdk.Layer("PathLayer", borders, id=BORDERS_LAYER, get_path="p", get_color=[150, 150, 150],
                                get_width=0.8, width_units="'pixels'"))  # fmt: skip
    shown = drawn(points)
    data = shown.assign(outline=[2 if n in selected else 0 for n in shown["name"]])
    areas, towns = data[data["shape"] == "area"], data[data["shape"] != "area"]
    common = {"pickable": True, "auto_highlight": True, "get_position": ["lon", "lat"], "get_radius": "radius",
              "radius_units": "'pixels'", "line_width_units": "'pixels'", "stroked": True}  # fmt: skip
    layers.append(
        pdk.Layer("ScatterplotLayer", areas, id=REGIONS_LAYER, filled=False, get_line_color="color",
                  get_line_width="2.5 + outline", **common)
    )  # fmt: skip
    layers.append(
        pdk.Layer("ScatterplotLayer", towns, id=PLACES_LAYER, filled=True, get_fill_color="color",
                  get_line_color=[20, 20, 20], get_line_width="outline", **common)
    )  # fmt: skip
    on_basemap = {x["name"] for x in labels_in_view(view) if x["kind"] == "city"}
    named = shown[~shown["name"].isin(on_basemap)]  # a capital the basemap labels is not labelled twice
    named = named.nlargest(labels, "count") if len(named) > labels else named
    layers.append(
        pdk.Layer("TextLayer", named[["name", "lon", "lat", "radius"]], id=PLACE_LABELS_LAYER, pickable=False,
                  get_position=["lon", "lat"], get_text="name", get_size=12, size_units="'pixels'",
                  get_color=[20, 20, 20, 235], get_pixel_offset="[radius + 4, 0]", get_text_anchor="'start'",
                  get_alignment_baseline="'center'", font_weight=600, outline_width=2,
                  outline_color=[255, 255, 255, 220], font_settings={"sdf": True}, font_family=FONT)
    )  # fmt: skip
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=TOOLTIP)


def legend(points: pd.DataFrame, colors: dict[str, str], top: int = 6) -> list[tuple[str, str]]:
    """(actor, ``#rrggbb``) for the colours the drawn places use, most places first."""
    shown = drawn(points)
    if shown.empty:
        return []
    counts = shown.loc[shown["actor"] != "", "actor"].value_counts()
    out = [(a, colors.get(a, "#888888")) for a in counts.index[:top]]
    if (shown["actor"] == "").any():
        out.append(("no actor named", "#888888"))
    return out
