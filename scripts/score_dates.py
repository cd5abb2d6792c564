"""Score the date engine on a dev set of composed sentences, per family.

    .venv/bin/python scripts/score_dates.py [tests/data/timex/families.csv ...] [-v]

A row is right when an expression with the row's exact text gets the row's value and granularity;
a row with granularity ``none`` is right when no such expression is dated (not found, or no value).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.test_resolve import outcome  # noqa: E402


def right(row: dict[str, str]) -> tuple[bool, str]:
    value, gran, why = outcome(row)
    if row["granularity"] == "none":
        return value in ("", "<not detected>"), f"{value!r} | {why}"
    return (value, gran) == (row["value"], row["granularity"]), f"{value!r} {gran} | {why}"


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if a != "-v"] or [REPO / "tests" / "data" / "timex" / "families.csv"]
    total, good = Counter(), Counter()
    for path in paths:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                ok, got = right(row)
                total[row["family"]] += 1
                good[row["family"]] += ok
                if verbose and not ok:
                    print(f"  {row['id']} {row['family']} {row['expression']!r}: want {row['value']!r} "
                          f"{row['granularity']}, got {got}")  # fmt: skip
    for family in sorted(total):
        print(f"{family:16s} {good[family]:3d}/{total[family]:3d}  {good[family] / total[family]:.3f}")
    right_all, all_rows = sum(good.values()), sum(total.values())
    print(f"{'all':16s} {right_all:3d}/{all_rows:3d}  {right_all / all_rows:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
