"""The gazetteer index: built from GeoNames and the curated table, cached, rebuilt when stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.namekeys import name_key
from pipeline.places import gazetteer

DATA = Path(__file__).resolve().parents[1] / "data"


def test_real_index_keeps_the_conflict_towns() -> None:
    index = gazetteer.load_index(DATA)
    for name in ["Saraqib", "Ariha", "Maarat al-Numan", "Idlib", "Aleppo", "Jisr al-Shughur"]:
        assert index.lookup(name_key(name)), name
    kinds = {index.kind(e) for e in index.lookup(name_key("Idlib"))}
    assert {"city", "admin"} <= kinds  # "Idlib province" is the governorate, "Idlib" also the city
    assert all(index.kind(e) == "country" for e in index.lookup(name_key("Turkey"))[:1])


@pytest.fixture()
def tiny_geonames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A three-town GeoNames folder, so a rebuild takes milliseconds."""
    geo = tmp_path / "geonames"
    geo.mkdir()
    town = {"admin1code": "12", "alternatenames": [], "countrycode": "SY", "timezone": ""}
    cities = {
        "1": {**town, "geonameid": 1, "name": "Saraqib", "latitude": 35.86, "longitude": 36.8, "population": 34000},
        "2": {**town, "geonameid": 2, "name": "Idlib", "latitude": 35.93, "longitude": 36.63, "population": 128000},
        "3": {**town, "geonameid": 3, "name": "Dummytown", "latitude": 1.0, "longitude": 2.0, "population": 5000,
              "alternatenames": ["Dummyville"]},
    }
    (geo / gazetteer.CITIES_FILE).write_text(json.dumps(cities))
    countries = {"SY": {"iso": "SY", "name": "Syria", "capital": "Damascus", "population": 1}}
    for code in {r["country"] for r in gazetteer.read_curated(DATA / gazetteer.PLACES_FILE) if r["kind"] == "country"}:
        countries.setdefault(code, {"iso": code, "name": code, "capital": "", "population": 1})
    (geo / "countries.json").write_text(json.dumps(countries))
    (geo / "us_states.json").write_text(json.dumps({}))
    monkeypatch.setattr(gazetteer, "_geonames_dir", lambda: geo)
    data = tmp_path / "data"
    data.mkdir()
    for name in (gazetteer.PLACES_FILE, gazetteer.WATERS_FILE, "actors.csv", "entity_rules.toml"):
        shutil.copy(DATA / name, data / name)
    return data


def test_cache_is_built_when_missing_and_rebuilt_when_stale(tiny_geonames: Path) -> None:
    data = tiny_geonames
    index = gazetteer.load_index(data)
    assert [index.names[e] for e in index.lookup(name_key("Dummyville"))] == ["Dummytown"]
    (first,) = (data / "cache").glob("gazetteer-*.marshal")
    assert gazetteer.load_index(data).names == index.names  # served from the cache
    with open(data / gazetteer.PLACES_FILE, "a", encoding="utf-8") as handle:
        handle.write("Newvillage,city,35.5,36.5,SY,SY.12,1,Nuevo,\n")
    rebuilt = gazetteer.load_index(data)
    assert [rebuilt.names[e] for e in rebuilt.lookup(name_key("Nuevo"))] == ["Newvillage"]
    (second,) = (data / "cache").glob("gazetteer-*.marshal")
    assert second != first  # the stale cache was replaced, not kept beside


def test_remembered_lookups_follow_their_index_and_let_it_go(tiny_geonames: Path) -> None:
    import gc
    import weakref

    index = gazetteer.load_index(tiny_geonames)
    key = name_key("Dummyville")
    assert gazetteer.remembered_lookup(index, key) == (tuple(index.lookup(key)), False)
    with open(tiny_geonames / gazetteer.PLACES_FILE, "a", encoding="utf-8") as handle:
        handle.write("Dummyville Heights,city,35.5,36.5,SY,SY.12,1,,\n")
    other = gazetteer.load_index(tiny_geonames)
    assert gazetteer.remembered_lookup(other, key)[1] is True  # a longer name now starts with it
    assert gazetteer.remembered_lookup(index, key)[1] is False  # the old index keeps its own answers
    ref = weakref.ref(index)
    del index
    gc.collect()
    assert ref() is None, "the look-up cache must not keep a reloaded gazetteer alive"


@pytest.mark.parametrize(
    "name, kind, country",
    [
        ("Gezira State", "admin", "SD"),
        ("Kherson Oblast", "admin", "UA"),
        ("North Kivu", "admin", "CD"),
        ("Tillaberi", "admin", "NE"),
        ("Rakhine State", "admin", "MM"),
        ("Arauca", "admin", "CO"),
        ("Al Hudaydah", "admin", "YE"),
        ("Hodeidah", "city", "YE"),  # "El-Hodeidah" keyed without its article
        ("Sanaa", "city", "YE"),
        ("Zaporozhye", "city", "UA"),
        ("El Geneina", "city", "SD"),
        ("Culiacan", "city", "MX"),
        ("Noshki", "city", "PK"),  # the spelling of Pakistani press for GeoNames' Nushki
        ("Red Sea", "feature", ""),
        ("Dnipro River", "feature", "UA"),
        ("Bab el-Mandeb", "feature", ""),
    ],
)
def test_real_index_knows_the_worlds_regions_spellings_and_waters(name: str, kind: str, country: str) -> None:
    index = gazetteer.load_index(DATA)
    entries = index.lookup(name_key(name))
    assert any(index.kind(e) == kind and index.countries[e] == country for e in entries), name


def test_regions_table_adds_regions_and_lends_spellings_to_known_ones(tiny_geonames: Path) -> None:
    data = tiny_geonames
    (data / gazetteer.REGIONS_FILE).write_text(
        "# provenance: derived by a script from packages\n"
        "name,aliases,lat,lon,country,admin1,iso,type,population,point\n"
        "Gezira State,Gezira|Al Jazirah,14.6,33.2,SD,SD.38,SD-GZ,State,500000,mean\n"
        "Idlib Governorate,Idleb governorate,36.0,36.7,SY,SY.12,SY-ID,Province,900000,mean\n",
        encoding="utf-8",
    )
    index = gazetteer.load_index(data)
    (gezira,) = index.lookup(name_key("Al Jazirah"))
    assert (index.names[gezira], index.kind(gezira), index.countries[gezira]) == ("Gezira State", "admin", "SD")
    assert index.flags[gezira] & gazetteer.FLAG_DERIVED
    assert index.lookup(name_key("Gezira States")) == [gezira]  # "the Gezira and Sennar states"
    assert index.regions["SD.38"] == gezira
    (idlib,) = [e for e in index.lookup(name_key("Idleb governorate")) if index.kind(e) == "admin"]
    assert index.flags[idlib] & gazetteer.FLAG_CURATED  # the curated governorate, with its own point
    assert (index.lat[idlib], index.lon[idlib]) == (35.93, 36.63)
    assert index.regions["SY.12"] == idlib


def test_big_towns_are_keyed_without_their_article(tiny_geonames: Path) -> None:
    cities_file = gazetteer._geonames_dir() / gazetteer.CITIES_FILE
    cities = json.loads(cities_file.read_text())
    town = {"admin1code": "08", "countrycode": "YE", "timezone": ""}
    cities["4"] = {**town, "geonameid": 4, "name": "Al Hudaydah", "latitude": 14.8, "longitude": 42.95,
                   "population": 700000, "alternatenames": ["El-Hodeidah"]}  # fmt: skip
    cities["5"] = {**town, "geonameid": 5, "name": "Al Smallplace", "latitude": 14.0, "longitude": 43.0,
                   "population": 2000, "alternatenames": ["El-Smallvillage"]}  # fmt: skip
    cities_file.write_text(json.dumps(cities))
    index = gazetteer.load_index(tiny_geonames)
    assert [index.names[e] for e in index.lookup(name_key("Hodeidah"))] == ["Al Hudaydah"]
    assert [index.names[e] for e in index.lookup(name_key("El-Hodeidah"))] == ["Al Hudaydah"]
    assert index.lookup(name_key("Smallvillage")) == []  # only towns big enough to be written so


def test_tables_may_open_with_comment_lines(tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("# derived from a package\nname,kind\nA,city\n", encoding="utf-8")
    assert gazetteer.read_curated(table) == [{"name": "A", "kind": "city"}]
