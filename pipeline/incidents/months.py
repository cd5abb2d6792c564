"""The incidents pass over a corpus too large to hold: its dated event rows set aside month by month (``Spill``),
and the incidents table of the last build read back a month at a time (``stored_months``), so that each month is
grouped on its own (``summary.incidents_of`` groups a month's rows together and no others) and a rebuild
groups again only the months its changes touch, keeping the others' incidents as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from pipeline.incidents import corpus_dates
from pipeline.incidents.records import NewsKey
from pipeline.incidents.rules import CLOCK, CLOCK_REPORTED, DATED, MAX_SPAN_DAYS, OWN_DATE, SIDE_KEY

SPILL_ROWS = 200_000  # rows held before the months' rows go to disk (a corpus this small never touches disk)
BATCH_ROWS = 65_536  # rows of the last build's incidents table read at a time


class Spill:
    """Tables of rows, each of one month, kept by month: in memory until SPILL_ROWS are held, then in Arrow
    files under ``folder``. ``read(month)`` gives back a month's rows in the order they were added."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.held: dict[int, list[pa.Table]] = {}
        self.files: dict[int, list[Path]] = {}
        self.rows = 0
        self.counts: dict[int, int] = {}  # rows set aside, by month

    def add(self, month: int, table: pa.Table) -> None:
        self.held.setdefault(month, []).append(table)
        self.counts[month] = self.counts.get(month, 0) + len(table)
        self.rows += len(table)
        if self.rows >= SPILL_ROWS:
            self._write()

    def _write(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for month, tables in self.held.items():
            path = self.folder / f"{month}-{len(self.files.get(month, []))}.arrow"
            table = pa.concat_tables(tables)
            with ipc.new_file(path, table.schema) as sink:
                sink.write_table(table)
            self.files.setdefault(month, []).append(path)
        self.held, self.rows = {}, 0

    def read(self, month: int) -> pa.Table:
        tables = []
        for path in self.files.get(month, []):
            with ipc.open_file(path) as source:
                tables.append(source.read_all())
            path.unlink()
        tables += self.held.pop(month, [])
        return pa.concat_tables(tables)


def row_months(
    table: pa.Table, years: Mapping[str, int] | None = None, days: Mapping[str, tuple] | None = None
) -> tuple[list[int], Mapping[str, int], Mapping[str, tuple], Mapping[str, tuple[str, ...]], Mapping[str, tuple]]:
    """``corpus_dates.row_months`` over a part's event rows (``corpus_dates.MONTH_COLUMNS``, every row of each of
    its documents): the months of the rows with a date of their own read by Arrow, and only the documents with a
    date left unresolved in Python; and the days without a year of its documents that write no year
    (``corpus_dates.yearless_days``), whose year only the whole corpus may give
    (``corpus_dates.with_corpus_years``, then the months again with the ``years`` and ``days`` it gives); and the
    weekdays of its undated pages that none of their days places, with their towns
    (``corpus_dates.unplaced_weekdays``), whose day only the corpus's news of those towns may give (``town_days``,
    ``corpus_dates.with_corpus_weekdays``)."""
    basis, start = table.column("date_basis"), table.column("date_start")
    dated = pc.and_(pc.is_in(basis, value_set=pa.array(sorted(OWN_DATE))), pc.greater(start, ""))
    dated = pc.fill_null(dated, False)
    if CLOCK_REPORTED:  # a time of day the date stage dated only by its page's publication (``rows_from``)
        clock = pc.and_(pc.equal(basis, "reported"), pc.greater(start, ""))
        clock = pc.and_(clock, pc.match_substring_regex(table.column("time_text"), CLOCK.pattern, ignore_case=True))
        dated = pc.or_(dated, pc.fill_null(clock, False))
    end = table.column("date_end")
    spans = pc.and_(dated, pc.fill_null(pc.not_equal(start, end), False))
    if pc.any(spans).as_py():  # "in 2019", "late 2021": too vague to be part of an incident, nor news of a month
        first = pc.cast(pc.if_else(spans, start, "2000-01-01"), pa.date32())
        last = pc.cast(pc.if_else(spans, end, "2000-01-01"), pa.date32())
        wide = pc.greater_equal(pc.days_between(first, last), MAX_SPAN_DAYS)
        dated = pc.and_(dated, pc.invert(pc.fill_null(wide, False)))
    written = pc.if_else(dated, start, "0000-01")
    written_years = pc.cast(pc.utf8_slice_codeunits(written, 0, 4), pa.int32())
    months = pc.cast(pc.utf8_slice_codeunits(written, 5, 7), pa.int32())
    found = pc.if_else(dated, pc.add(pc.multiply(written_years, 12), pc.subtract(months, 1)), -1).to_pylist()
    unresolved = pc.fill_null(pc.equal(basis, "unresolved"), False)
    if not pc.any(unresolved).as_py():
        return found, {}, {}, {}, {}
    docs = pc.unique(table.column("doc_id").filter(unresolved))
    mine = pc.is_in(table.column("doc_id"), value_set=docs)
    positions = pc.indices_nonzero(mine).to_pylist()
    columns = table.filter(mine).to_pydict()
    theirs, doc_years, doc_days, _ = corpus_dates.row_months(columns, years, days, corpus=False)
    for position, month in zip(positions, theirs, strict=True):
        found[position] = month
    if years is not None:
        return found, doc_years, doc_days, {}, {}
    return (found, doc_years, doc_days, corpus_dates.yearless_days(columns, doc_years),
            corpus_dates.unplaced_weekdays(columns, doc_days))  # fmt: skip


def town_days(table: pa.Table, towns: set[NewsKey]) -> dict[NewsKey, set]:
    """``corpus_dates.town_days`` over a part's event rows (``corpus_dates.MONTH_COLUMNS``): the rows of a day of their
    own in a town at one of the ``towns``' latitudes, or naming one of the sides among them, picked by Arrow, the
    rest in Python."""
    if not towns:
        return {}
    coordinates = [t for t in towns if not isinstance(t, str)]
    tenths = pc.floor(pc.multiply(pc.cast(table.column("lat"), pa.float64()), 10.0))  # (a tenth either side too)
    wanted = sorted({math.floor(t[0] * 10) + k for t in coordinates for k in (-1, 0, 1)})
    near = pc.and_(pc.is_in(tenths, value_set=pa.array(wanted, pa.float64())),
                   pc.equal(table.column("place_precision"), 1))  # fmt: skip
    sides = sorted(t[len(SIDE_KEY):] for t in towns if isinstance(t, str))
    if sides:  # (one pass over the actors, whatever the number of sides)
        named = pc.match_substring_regex(table.column("actors"), "|".join(re.escape(side) for side in sides))
        near = pc.or_(pc.fill_null(near, False), pc.fill_null(named, False))
    near = pc.fill_null(near, False)
    if coordinates and pc.any(near).as_py():  # and every row of their documents, whose names a day's news gives
        near = pc.or_(near, pc.is_in(table.column("doc_id"), value_set=pc.unique(table.column("doc_id").filter(near))))
    picked = table.filter(near)
    return corpus_dates.town_days(picked.to_pydict(), towns) if len(picked) else {}


def dated_rows(table: pa.Table) -> dict[str, list]:
    """The rows of a part's event table (``corpus_words.WORDS_COLUMNS``) that grouping reads (``rules.DATED``),
    picked by Arrow, as columns (for ``corpus_words.CorpusWords``)."""
    dated = pc.fill_null(pc.is_in(table.column("date_basis"), value_set=pa.array(sorted(DATED))), False)
    return table.filter(dated).to_pydict()


def stored_months(path: Path, months: Sequence[Sequence[int]]) -> Iterator[tuple[int, pa.Table]]:
    """The incidents table of the last build, month after month as it was written (``months``: each month and
    its number of rows, in the file's order), in pieces of one month (a month may come in several pieces)."""
    if not path.exists():
        return
    counts = iter(months)
    month, left = next(counts, (-1, 0))
    with pq.ParquetFile(path) as handle:
        for batch in handle.iter_batches(batch_size=BATCH_ROWS):
            table = pa.Table.from_batches([batch]).replace_schema_metadata(None)
            start = 0
            while start < len(table):
                while left == 0:
                    month, left = next(counts)
                size = min(left, len(table) - start)
                yield month, table.slice(start, size)
                start, left = start + size, left - size


def merged(
    stored: Iterable[tuple[int, pa.Table]], grouped: Iterable[int], group: Callable[[int], pa.Table],
    touched: set[int] | None,
) -> Iterator[tuple[int, pa.Table]]:
    """The incidents table month after month, with each piece's month: the months in ``grouped`` (ascending)
    from ``group(month)``, the others as the last build had them (``stored``; a month in ``touched`` is not kept:
    it is grouped again, or has no rows any more). ``touched`` None: nothing is kept."""
    pending = iter(grouped)
    upcoming = next(pending, None)
    kept = () if touched is None else stored
    for month, table in kept:
        while upcoming is not None and upcoming < month:
            yield upcoming, group(upcoming)
            upcoming = next(pending, None)
        if touched is not None and month not in touched:
            yield month, table
    while upcoming is not None:
        yield upcoming, group(upcoming)
        upcoming = next(pending, None)


# ---- what a part's event rows give the pass, kept between builds ---------------------------------------------------


@dataclass(frozen=True)
class PartMonths:
    """What the pass reads first of a part's event rows (``row_months``), summed up: the months its rows fall in,
    how many rows it has, and the years and own days of its documents with a date left unresolved. Kept between
    builds (``write_part_months``), so that a rebuild reads a kept part only when its rows are grouped again."""

    months: frozenset[int]
    rows: int
    years: Mapping[str, int]
    days: Mapping[str, tuple[dt.date, ...]]
    yearless: Mapping[str, tuple[str, ...]]  # the days without a year of its pages that write none
    weekdays: Mapping[str, tuple]  # the weekdays of its undated pages that none of their days places, with towns


def part_months(
    months: Sequence[int], years: Mapping[str, int], days: Mapping[str, tuple],
    yearless: Mapping[str, tuple[str, ...]], weekdays: Mapping[str, tuple],
) -> PartMonths:
    return PartMonths(frozenset(m for m in months if m >= 0), len(months), years, days, yearless, weekdays)


PART_MONTHS = "part_months.arrow"


def write_part_months(path: Path, parts: Mapping[str, PartMonths], build: str) -> None:
    """Each part's ``PartMonths``, for the build ``build`` (the manifest names it: ``read_part_months``)."""
    rows = list(parts.values())
    table = pa.table({
        "part": pa.array(list(parts), pa.string()),
        "rows": pa.array([p.rows for p in rows], pa.int64()),
        "months": pa.array([sorted(p.months) for p in rows], pa.list_(pa.int32())),
        "year_docs": pa.array([list(p.years) for p in rows], pa.list_(pa.string())),
        "years": pa.array([list(p.years.values()) for p in rows], pa.list_(pa.int32())),
        "day_docs": pa.array([list(p.days) for p in rows], pa.list_(pa.string())),
        "days": pa.array([[" ".join(d.isoformat() for d in found) for found in p.days.values()] for p in rows],
                         pa.list_(pa.string())),
        "yearless_docs": pa.array([list(p.yearless) for p in rows], pa.list_(pa.string())),
        "yearless": pa.array([[" ".join(values) for values in p.yearless.values()] for p in rows],
                             pa.list_(pa.string())),
        "weekday_docs": pa.array([list(p.weekdays) for p in rows], pa.list_(pa.string())),
        "weekdays": pa.array([[json.dumps(pairs) for pairs in p.weekdays.values()] for p in rows],
                             pa.list_(pa.string())),
    })  # fmt: skip
    with ipc.new_file(path, table.schema.with_metadata({"build": build})) as sink:
        sink.write_table(table)


def read_part_months(path: Path, build: str | None) -> dict[str, PartMonths]:
    """What ``write_part_months`` wrote for the build ``build``; nothing when another build wrote it."""
    if not build:
        return {}
    try:
        with ipc.open_file(path) as source:
            if (source.schema.metadata or {}).get(b"build") != build.encode():
                return {}
            columns = source.read_all().to_pydict()
    except (OSError, pa.ArrowException):
        return {}
    found = {}
    try:
        names = ["part", "rows", "months", "year_docs", "years", "day_docs", "days", "yearless_docs", "yearless",
                 "weekday_docs", "weekdays"]  # fmt: skip
        for part, rows, months, year_docs, years, day_docs, days, yl_docs, yl, wd_docs, wd in zip(
            *(columns[name] for name in names), strict=True
        ):
            found[part] = PartMonths(
                frozenset(months), rows, dict(zip(year_docs, years, strict=True)),
                {d: tuple(dt.date.fromisoformat(day) for day in text.split()) for d, text in zip(day_docs, days,
                                                                                                  strict=True)},
                {d: tuple(text.split()) for d, text in zip(yl_docs, yl, strict=True)},
                {d: tuple((w, town if isinstance(town, str) else tuple(town)) for w, town in json.loads(text))
                 for d, text in zip(wd_docs, wd, strict=True)},
            )  # fmt: skip
    except (KeyError, ValueError):  # written by an older version: read again from the parts
        return {}
    return found
