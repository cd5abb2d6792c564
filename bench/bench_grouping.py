"""Benchmark: incident grouping as the news grows denser (more reports of the same days and places).

    .venv/bin/python bench/bench_grouping.py [--articles 3000] [--base 10] [--times 10]

Builds a composed corpus (bench_build's composer) once, takes its dated event rows, and groups them
(``incidents.incidents_by_month``, what every build runs) twice: with every document repeated ``--base`` times
under other document ids (the named baseline: the days and places of a 30,000-article archive of the same years,
by default), and ``--times`` times as often again (those of a 300,000-article one). Prints the time per row of each
and their ratio: grouping that blocks by date and place stays near 1.0x however dense a day gets (target
<= 1.5x); grouping that compared each row with every incident of its day would approach ``--times``.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_build import compose_corpus  # noqa: E402

from pipeline import build, engine, incidents  # noqa: E402
from pipeline.incidents import tables as incident_tables  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

TARGET = 1.5


def repeated(columns: dict[str, list], times: int) -> dict[str, list]:
    """The rows ``times`` over, each copy's documents (and event ids) named apart."""
    out: dict[str, list] = {name: [] for name in columns}
    for k in range(times):
        for name, values in columns.items():
            out[name].extend([f"{v}~{k}" for v in values] if name in ("doc_id", "event_id") else values)
    return out


def timed(columns: dict[str, list], parties: dict, places: dict, provinces: frozenset[str]) -> tuple[float, int]:
    """Seconds per row of grouping ``columns``, and the incidents formed."""
    start = time.perf_counter()
    _, by_month = incidents.incidents_by_month(columns, parties, places, provinces)
    return (time.perf_counter() - start) / len(columns["event_id"]), sum(len(rows) for _, rows in by_month)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="articles composed (default 3000)")
    parser.add_argument("--base", type=int, default=10, help="the baseline's repeats of each document (default 10)")
    parser.add_argument("--times", type=int, default=10, help="how many times denser than the baseline (10)")
    args = parser.parse_args(argv)
    settings = Settings(progress=False)
    gc.set_threshold(engine.YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])  # (as the command line runs)
    with tempfile.TemporaryDirectory(prefix="newsline-grouping-") as tmp:
        corpus = Path(tmp)
        compose_corpus(corpus, args.articles)
        tables = build.build_arrow([corpus], settings)
    res = build.load_resources(settings)
    evts = tables.events.take(incident_tables.dated_positions(tables.events))
    columns = repeated({name: evts.column(name).to_pylist() for name in incidents.COLUMNS_READ}, args.base)
    places = incident_tables.places_by_name(tables.places)
    parties = build._parties(res)
    base, base_found = timed(columns, parties, places, res.provinces)
    dense, dense_found = timed(repeated(columns, args.times), parties, places, res.provinces)
    ratio, rows = dense / base, len(columns["event_id"])
    print(
        f"{args.articles:,} articles, each {args.base}x, {rows:,} dated rows: {base * 1e6:.1f} us a row, "
        f"{base_found:,} incidents (baseline)"
    )
    print(f"{args.times}x as dense, {args.times * rows:,} rows: {dense * 1e6:.1f} us a row, {dense_found:,} incidents")
    print(
        f"time per row, {args.times}x as dense / the baseline: {ratio:.2f}x (target <= {TARGET}x; "
        f"all pairs of a day would approach {args.times}x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
