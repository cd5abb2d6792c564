"""scripts/make_towns.py: what it keeps of Natural Earth's populated places, and the table it wrote."""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import make_towns  # noqa: E402
import registry  # noqa: E402

from pipeline.namekeys import name_key  # noqa: E402
from pipeline.places import gazetteer  # noqa: E402


def town(name: str, cc: str, lat: float, lon: float, admin1: str = "01", alternates=(), gid: int = 1) -> dict:
    return {"geonameid": gid, "name": name, "countrycode": cc, "latitude": lat, "longitude": lon,
            "admin1code": admin1, "alternatenames": list(alternates)}  # fmt: skip


GEONAMES = [
    town("Kyaukpyu", "MM", 19.4279, 93.5513, "01", gid=1),
    town("Nasir Extension", "SD", 15.5939, 32.5647, "03", ["Nasir"], gid=2),
    town("Malakal", "SS", 9.5334, 31.6605, "07", gid=3),
    town("Sevastopol", "UA", 44.6054, 33.5220, "20", gid=4),
    town("Santa Cruz", "BO", -17.7863, -63.1812, "08", gid=5),
    town("Tarija", "BO", -21.5355, -64.7296, "07", gid=6),
    town("Hargeysa", "SO", 9.5600, 44.0650, "20", gid=7),
]


def test_new_towns_spellings_and_what_is_left_out() -> None:
    natural_earth = [
        ("Nasir", "SS", 8.6004, 33.0666),  # a seat cities1000 lacks: a town of its own, with the nearest region
        ("Kyaukphyu", "MM", 19.4290, 93.5494),  # a spelling of the GeoNames town beside it
        ("Malakal", "SS", 9.5334, 31.6605),  # GeoNames has it: nothing to add
        ("Sevastopol", "RU", 44.6054, 33.5220),  # GeoNames has it there, under another country
        ("Santa Cruz", "EC", -0.74, -90.31),  # a namesake of a GeoNames town elsewhere
        ("San Lorenzo", "BO", -21.48, -64.75),  # beside Tarija but named unlike it: a town of its own
        ("Berbera", "", 10.43, 45.01),  # no country in the source: the nearest GeoNames town's
    ]
    rows = {r["name"]: r for r in make_towns.build_towns(natural_earth, GEONAMES)}
    assert set(rows) == {"Nasir", "Kyaukphyu", "San Lorenzo"}
    assert rows["Nasir"]["kind"] == "town" and rows["Nasir"]["admin1"] == "SS.07"
    assert rows["Kyaukphyu"]["kind"] == "spelling" and rows["Kyaukphyu"]["town"] == "Kyaukpyu"
    assert rows["San Lorenzo"]["kind"] == "town"
    assert "Berbera" not in rows  # the nearest GeoNames town is more than 60 km away


def test_a_place_without_country_takes_a_close_towns() -> None:
    rows = make_towns.build_towns([("Gabiley", "", 9.70, 43.63)], GEONAMES)
    assert [(r["name"], r["country"]) for r in rows] == [("Gabiley", "SO")]


def test_the_cache_is_read_as_plain_data_only() -> None:
    plain = pickle.dumps({"cities": [("Nasir", "SS", 8.6, 33.07)]})
    assert registry.DataOnly(io.BytesIO(plain)).load()["cities"][0][0] == "Nasir"
    with pytest.raises(pickle.UnpicklingError):
        registry.DataOnly(io.BytesIO(pickle.dumps(Path("x")))).load()


def test_the_committed_table_is_derived_and_indexed() -> None:
    path = REPO / "data" / gazetteer.TOWNS_FILE
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Derived by scripts/make_towns.py") and make_towns.PACKAGE in first
    rows = {(r["name"], r["country"]): r for r in gazetteer.read_curated(path)}
    assert rows[("Nasir", "SS")]["kind"] == "town" and rows[("Kyaukphyu", "MM")]["kind"] == "spelling"
    assert ("Sevastopol", "RU") not in rows
    index = gazetteer.load_index(REPO / "data")
    assert [index.names[e] for e in index.lookup(name_key("Kyaukphyu"))] == ["Kyaukpyu"]
    assert "SS" in {index.countries[e] for e in index.lookup(name_key("Nasir"))}
