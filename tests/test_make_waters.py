"""scripts/make_waters.py: the points it derives, the pickle it refuses, and the table it wrote."""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import make_waters  # noqa: E402
import registry  # noqa: E402

from pipeline.namekeys import name_key  # noqa: E402
from pipeline.places import gazetteer  # noqa: E402


def test_centroid_weighs_area_not_vertices() -> None:
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), (0.0, 2.0)]  # (lon, lat)
    dense_side = [(0.0, 0.0), (4.0, 0.0), (4.0, 2.0), *[(x / 10, 2.0) for x in range(39, 0, -1)], (0.0, 2.0)]
    assert make_waters.centroid([square]) == pytest.approx((1.0, 2.0))
    assert make_waters.centroid([dense_side]) == pytest.approx((1.0, 2.0))


def test_the_cache_is_read_as_plain_data_only() -> None:
    plain = pickle.dumps({"marine": [("Red Sea", (0, 0, 1, 1), [((0, 0, 1, 1), [(0.0, 0.0), (1.0, 0.0)])])]})
    assert registry.DataOnly(io.BytesIO(plain)).load()["marine"][0][0] == "Red Sea"
    with pytest.raises(pickle.UnpicklingError):
        registry.DataOnly(io.BytesIO(pickle.dumps(Path("x")))).load()


@pytest.mark.parametrize("name, expected", [("INDIAN OCEAN", "Indian Ocean"), ("Bahía Blanca", "Bahia Blanca")])
def test_display_name(name: str, expected: str) -> None:
    assert make_waters.display_name(name) == expected


def test_the_committed_table_is_derived_and_merged_with_curated_spellings() -> None:
    path = REPO / "data" / gazetteer.WATERS_FILE
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Derived by scripts/make_waters.py") and make_waters.PACKAGE in first
    rows = {r["name"]: r for r in gazetteer.read_curated(path)}
    assert {"Red Sea", "Black Sea", "Bab el Mandeb", "Gulf of Aden", "Sea of Azov", "Persian Gulf"} <= set(rows)
    assert "Kaliningrad" not in rows  # a town's name names the town
    index = gazetteer.load_index(REPO / "data")
    (red_sea,) = [e for e in index.lookup(name_key("the Red Sea")) if index.kind(e) == "feature"]
    assert (index.lat[red_sea], index.lon[red_sea]) == (float(rows["Red Sea"]["lat"]), float(rows["Red Sea"]["lon"]))
