"""The map: one circle per place, sized by its event count, over bundled country borders.

Offline by construction: ``pdk.Deck(map_provider=None)`` with the map style left at its
default makes no request off the machine (a basemap would be fetched from Carto). The
borders are a file the page serves itself (``static/borders.json``, made from the countries'
polygons by scripts/make_borders.py): deck.gl fetches it once per page and keeps it while its
URL stays the same, so a rerun sends only the places.

Every change of the places redraws every layer, and in a browser without a GPU (software
WebGL) that is the page's most expensive step, so the map is an outline map: the borders are
straight segments in a ``LineLayer``, not GeoJsonLayer's outline shader (~0.5 s per frame),
each border is drawn once and simplified (``border_segments``), and the land is not filled
(~0.3 s per frame).
"""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pandas as pd
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from views.filters import split_multi
from views.timeline import lane_colors

BORDERS_LAYER = "borders"
PLACES_LAYER = "places"
# Served by Streamlit from static/ (server.enableStaticServing); relative to the page.
BORDERS_URL = "app/static/borders.json"
TOOLTIP = {
    "html": "<b>{name}</b><br/>{count} events<br/>{top_actors}",
    "style": {"fontSize": "12px", "backgroundColor": "#1f2630", "color": "white"},
}


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


def place_points(
    events: pd.DataFrame, places: pd.DataFrame, top: int = 3, colors: dict[str, str] | None = None
) -> pd.DataFrame:
    """One row per place named by ``events``: name, lat, lon, count, top_actors, color, radius.

    Coordinates come from places.csv; a place missing there is dropped (it cannot be drawn).
    The colour is that of the place's most frequent actor, as in the timeline's actor lanes.
    """
    columns = ["name", "lat", "lon", "count", "top_actors", "color", "radius"]
    events = events[["locations", "actors"]]
    named = split_multi(events["locations"]) if len(events) else pd.Series(dtype=object)
    if named.empty or places.empty:
        return pd.DataFrame(columns=columns)
    counts = named.value_counts().rename("count").rename_axis("name").reset_index()
    coords = places.drop_duplicates("name")[["name", "lat", "lon"]].astype({"name": object})
    coords["lat"] = pd.to_numeric(coords["lat"], errors="coerce")
    coords["lon"] = pd.to_numeric(coords["lon"], errors="coerce")
    points = counts.merge(coords, on="name", how="inner").dropna(subset=["lat", "lon"])
    pairs = pd.DataFrame({"name": named.values, "row": named.index})
    actors = split_multi(events["actors"])
    pairs = pairs.merge(pd.DataFrame({"row": actors.index, "actor": actors.values}), on="row", how="left")
    pairs = pairs.dropna(subset=["actor"])
    by_place = pairs.groupby(["name", "actor"]).size().rename("n").reset_index()
    by_place = by_place.sort_values(["name", "n"], ascending=[True, False])
    top_rows = by_place.groupby("name").head(top)
    labels = (top_rows["actor"] + " (" + top_rows["n"].astype(str) + ")").groupby(top_rows["name"]).agg(", ".join)
    dominant = top_rows.groupby("name")["actor"].first()
    points["top_actors"] = points["name"].map(labels).fillna("no actor named")
    colors = {**lane_colors(actors.value_counts().index.tolist()), **(colors or {})}
    points["color"] = (
        points["name"]
        .map(dominant)
        .map(lambda a: to_rgba(colors.get(a, "#888888")) if isinstance(a, str) else [136, 136, 136, 200])
    )
    biggest = max(int(points["count"].max()), 1) if len(points) else 1
    points["radius"] = points["count"].map(lambda c: round(5 + 25 * math.sqrt(c / biggest), 1))
    return points[columns].sort_values("count", ascending=False).reset_index(drop=True)


def view_for(points: pd.DataFrame) -> pdk.ViewState:
    """A view that frames the points (the Levant by default)."""
    if points.empty:
        return pdk.ViewState(latitude=35.0, longitude=38.0, zoom=4)
    lat_span = float(points["lat"].max() - points["lat"].min())
    lon_span = float(points["lon"].max() - points["lon"].min())
    span = max(lat_span, lon_span, 2.0)
    zoom = max(1.0, min(7.0, math.log2(360 / span) - 0.5))
    weights = points["count"].astype(float)
    return pdk.ViewState(
        latitude=float((points["lat"] * weights).sum() / weights.sum()),
        longitude=float((points["lon"] * weights).sum() / weights.sum()),
        zoom=round(zoom, 2),
    )


def map_deck(
    points: pd.DataFrame,
    selected: tuple[str, ...] = (),
    borders: str | list | None = BORDERS_URL,
    view: pdk.ViewState | None = None,
) -> pdk.Deck:
    """Borders and one pickable circle per place; selected places get a dark outline.

    ``borders`` is a URL or the segments themselves (see ``border_segments``); ``view`` is where
    the map looks (default: framing ``points``). A view that stays put as filters change keeps the
    map from jumping, and spares software-rendered browsers a second frame per change."""
    layers = []
    if borders:
        layers.append(
            pdk.Layer(
                "LineLayer", borders, id=BORDERS_LAYER, pickable=False, get_source_position="s",
                get_target_position="t", get_color=[160, 160, 160], get_width=0.7, width_units="'pixels'",
            )
        )  # fmt: skip
    data = points.assign(outline=[2 if n in selected else 0 for n in points["name"]])
    layers.append(
        pdk.Layer(
            "ScatterplotLayer",
            data,
            id=PLACES_LAYER,
            pickable=True,
            auto_highlight=True,
            get_position=["lon", "lat"],
            get_fill_color="color",
            get_radius="radius",
            radius_units="'pixels'",
            stroked=True,
            get_line_color=[20, 20, 20],
            get_line_width="outline",
            line_width_units="'pixels'",
        )
    )
    view = view or view_for(points)
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None, tooltip=TOOLTIP)
