"""Convert Natural Earth's naturalearth_lowres countries into the map's static/countries.geojson
and static/borders.json (every border and coast once, simplified, as straight segments for the
map's LineLayer).

One-off and offline-friendly: the public-domain shapefile ships inside the pure-Python
``geopandas==0.14.4`` wheel (removed in geopandas 1.0), so we download that wheel without
its dependencies and read the shapefile with pure-Python ``pyshp`` (``pip install pyshp``).

    .venv/bin/python scripts/make_borders.py [--out static/countries.geojson]
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import shapefile  # pyshp

WHEEL = "geopandas==0.14.4"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
REPO_DIR = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_DIR / "static" / "countries.geojson"


def download_wheel(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(dest), WHEEL],
        check=True,
    )
    wheels = sorted(dest.glob("geopandas-*.whl"))
    if not wheels:
        raise FileNotFoundError(f"pip download produced no geopandas wheel in {dest}")
    return wheels[0]


def round_coords(coords, digits: int):
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), digits) for c in coords]
    return [round_coords(c, digits) for c in coords]


def features_from_wheel(wheel: Path, digits: int = 3) -> list[dict]:
    with zipfile.ZipFile(wheel) as zf:
        parts = {ext: io.BytesIO(zf.read(f"{MEMBER}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(shp=parts["shp"], shx=parts["shx"], dbf=parts["dbf"], encoding="latin-1")
    fields = [f[0] for f in reader.fields[1:]]
    features = []
    for shape_rec in reader.iterShapeRecords():
        attrs = dict(zip(fields, shape_rec.record, strict=True))
        geometry = shape_rec.shape.__geo_interface__
        features.append(
            {
                "type": "Feature",
                "properties": {"name": attrs["name"], "iso_a3": attrs["iso_a3"]},
                "geometry": {"type": geometry["type"], "coordinates": round_coords(geometry["coordinates"], digits)},
            }
        )
    return features


def write_segments(collection: dict, out: Path) -> None:
    sys.path.insert(0, str(REPO_DIR))
    from views.mapview import border_segments

    segments = border_segments(collection)
    out.write_text(json.dumps(segments, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {len(segments)} border segments to {out} ({out.stat().st_size // 1024} KB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--digits", type=int, default=3, help="decimal places kept (3 ≈ 100 m)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        features = features_from_wheel(download_wheel(Path(tmp)), args.digits)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    args.out.write_text(json.dumps(collection, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {len(features)} countries to {args.out} ({args.out.stat().st_size // 1024} KB)")
    write_segments(collection, args.out.with_name("borders.json"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
