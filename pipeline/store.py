"""The only stage that touches the output folder.

Every file is written under a temporary name beside its target and moved into
place with ``os.replace``, so a crash never leaves a half-written table.
Tables go through Arrow once, for both the Parquet and the CSV files.

The command line writes a partitioned dataset (``events/``, ``mentions/``,
``documents/``, ``index/``, each ``part-*.parquet``) as the rows come, into
``.staging/`` first; ``commit`` moves the new parts into place, then writes
``manifest.json`` (the list of live parts: the moment the build counts), then
removes the parts no longer listed. An interrupted build leaves the previous
output as it was. The single files of the contract are written from the parts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from pipeline import events
from pipeline.build import ArrowTables, Tables
from pipeline.incremental import INDEX_COLUMNS
from pipeline.ingest import FileMeta, Source, source_name, source_of
from pipeline.spreadsheet import neutralise_table, unquote_table

if TYPE_CHECKING:  # only the dashboard's frames need pandas; the command-line build writes Arrow
    import pandas as pd

TABLES = {
    "events": ("events.csv", events.EVENT_COLUMNS),
    "documents": ("documents.csv", events.DOCUMENT_COLUMNS),
    "places": ("places.csv", events.PLACE_COLUMNS),
    "mentions": ("mentions.csv", events.MENTION_COLUMNS),
    "candidates": ("candidates.csv", events.CANDIDATE_COLUMNS),
    "incidents": ("incidents.csv", events.INCIDENT_COLUMNS),
}
# The tables of the partitioned dataset; ``index`` (one row per document: its digest, text key, places and
# candidates) is what an incremental rebuild reads. Written in this order: a part's index goes last.
DATASET = {
    "events": events.EVENT_COLUMNS,
    "mentions": events.MENTION_COLUMNS,
    "documents": events.DOCUMENT_COLUMNS,
    "index": INDEX_COLUMNS,
}
STAGING = ".staging"
MANIFEST = "manifest.json"
CSV_OPTIONS = pacsv.WriteOptions(quoting_style="needed")
APPEND_OPTIONS = pacsv.WriteOptions(quoting_style="needed", include_header=False)
WRITERS = 3  # threads writing the output files


def _replace_all(writes: dict[Path, Callable[[Path], object]]) -> None:
    """Write every file under a temporary name beside its target, all at once (pyarrow writes without the GIL:
    the tail of a 1k-article build ~0.1 -> ~0.05 s), then move them into place in the given order. When a
    write fails, no file is replaced."""
    tmps = {target: target.with_name(f".{target.name}.tmp") for target in writes}
    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            for pending in [pool.submit(write, tmps[target]) for target, write in writes.items()]:
                pending.result()
        for target, tmp in tmps.items():
            os.replace(tmp, target)
    finally:
        for tmp in tmps.values():
            tmp.unlink(missing_ok=True)


def _write_csv(table: pa.Table, path: Path) -> None:
    """A CSV file for people: text cells a spreadsheet would run are neutralised (``spreadsheet``)."""
    pacsv.write_csv(neutralise_table(table), path, CSV_OPTIONS)


def _arrow(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
    return pa.Table.from_pandas(frame[columns], schema=events.schema(columns), preserve_index=False)


def write_tables(tables: Tables, out_dir: Path, sources: Sequence[Source] = ()) -> None:
    """Write the contract files (and the sources they came from, for later rebuilds)."""
    arrow = {name: _arrow(getattr(tables, name), cols) for name, (_, cols) in TABLES.items()}
    write_arrow(ArrowTables(**arrow), out_dir, sources)


def write_arrow(tables: ArrowTables, out_dir: Path, sources: Sequence[Source] = ()) -> None:
    """As ``write_tables``, from Arrow tables with the contract's columns and types.

    The dataset is replaced by one part of the same rows, so that the two never disagree; it carries no index,
    so the next build into the folder processes every document again."""
    out_dir.mkdir(parents=True, exist_ok=True)
    arrow = {name: getattr(tables, name).select(cols) for name, (_, cols) in TABLES.items()}
    writes: dict[Path, Callable[[Path], object]] = {
        out_dir / file: functools.partial(_write_csv, arrow[name]) for name, (file, _) in TABLES.items()
    }
    # The Parquet file goes last: its time stamp tells `make` the build is complete. Its schema carries the
    # pandas metadata whichever way the table was made, so the file is the same.
    incidents_table = events.with_pandas_metadata(arrow["incidents"])
    writes[out_dir / "incidents.parquet"] = lambda p: pq.write_table(incidents_table, p)
    events_table = events.with_pandas_metadata(arrow["events"])
    writes[out_dir / "events.parquet"] = lambda p: pq.write_table(events_table, p)
    staging = Staging(out_dir)
    part = staging.write_part({**arrow, "index": events.table([], INDEX_COLUMNS)})
    _replace_all(writes)
    kept_sources = [source_name(s) for s in sources] or read_manifest(out_dir).get("sources", [])
    commit(staging, [part], [part], {"sources": kept_sources, "parts": [part]}, [])


def read_sources(out_dir: Path) -> list[Source]:
    path = out_dir / MANIFEST
    if not path.exists():
        return []
    return [source_of(s) for s in json.loads(path.read_text(encoding="utf-8"))["sources"]]


def read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return events._frame([], columns)
    return events.to_pandas(read_csv_table(path, columns))


def read_csv_table(path: Path, columns: list[str]) -> pa.Table:
    """One of the CSV files written (``columns`` of it, as their types), as an Arrow table."""
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=events.schema(columns), strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    table = unquote_table(table)  # the text as it was before it was written for a spreadsheet
    missing = [c for c in columns if c not in table.column_names]
    for column in missing:  # a table from an older version, or written by hand
        kind = events.schema([column]).types[0]
        table = table.append_column(
            column, pa.array([""] * len(table) if kind == pa.string() else [None] * len(table), kind)
        )
    return table.select(columns)


def read_tables(out_dir: Path) -> Tables:
    """Read what ``write_tables`` wrote, with the same dtypes."""
    frames = {name: read_csv(out_dir / file, cols) for name, (file, cols) in TABLES.items() if name != "events"}
    table = pq.read_table(out_dir / "events.parquet")
    if "incident_id" not in table.column_names:  # written before incidents were formed
        table = table.append_column("incident_id", pa.array([""] * len(table), pa.string()))
    evts = events.to_pandas(table)
    return Tables(events=evts, **frames)


# ---- the partitioned dataset ----------------------------------------------------------------------------------------


def part_file(folder: Path, table: str, part: str) -> Path:
    return folder / table / f"{part}.parquet"


class Staging:
    """Where one build writes its new parts and files (``out_dir/.staging``) until ``commit``."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.dir = out_dir / STAGING
        shutil.rmtree(self.dir, ignore_errors=True)  # what an interrupted build left
        for table in DATASET:
            (self.dir / table).mkdir(parents=True, exist_ok=True)
        self.run = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        self.count = 0

    def new_part(self) -> str:
        """The name of a new part (unique across builds)."""
        self.count += 1
        return f"part-{self.run}-{self.count - 1:05d}"

    def write_part(self, tables: dict[str, pa.Table], name: str = "") -> str:
        """Write one part of every dataset table (a new one, or again the staged part ``name``); returns its name.
        A staged part may be written again table by table (``tables`` holding only those that changed)."""
        name = name or self.new_part()
        for table, columns in DATASET.items():
            if table in tables:
                path = part_file(self.dir, table, name)
                path.unlink(missing_ok=True)  # a new file: a staged file may be a link to the last build's part
                pq.write_table(tables[table].select(columns), path)
        return name

    def copy_part(self, part: str, changed: dict[str, pa.Table], name: str = "") -> str:
        """A new part (``name``, or a new name): the last build's ``part`` with the ``changed`` tables written anew,
        the others' files linked as they are (no reading and writing again of what did not change; a part's file
        is never written in place, so the new name may share the old one's bytes). Returns its name."""
        name = self.write_part(changed, name)
        for table in DATASET:
            if table not in changed:
                _link_or_copy(part_file(self.out_dir, table, part), part_file(self.dir, table, name))
        return name


def _link_or_copy(source: Path, target: Path) -> None:
    """``target`` a hard link to ``source``, or a copy where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def read_part(out_dir: Path, table: str, part: str, columns: list[str] | None = None) -> pa.Table:
    """A part's table, or only ``columns`` of it."""
    # (ParquetFile, not read_table: that goes through pyarrow.dataset, ~0.3 s to import)
    with pq.ParquetFile(part_file(out_dir, table, part)) as handle:
        return handle.read(columns=columns)


# The near-copy checks of the last build, in order (``streaming.Assembler._check``): a line each, so that a rebuild
# that starts where the last build ended (``build_state``) appends its own to a copy.
CHECKS = "copy_checks.jsonl"


def write_checks(staging: Staging, checks: Sequence[tuple[str, str, float]], carried: int = 0) -> str:
    """``checks`` after the first ``carried`` of the last build's (0: ``checks`` are all of them)."""
    path = staging.dir / CHECKS
    if carried:
        try:
            shutil.copyfile(staging.out_dir / CHECKS, path)
        except OSError:  # (removed by hand: none is kept, and the next rebuild compares every document)
            path.write_text("", encoding="utf-8")
            return CHECKS
    with open(path, "a" if carried else "w", encoding="utf-8") as sink:
        sink.writelines(json.dumps(check, separators=(",", ":")) + "\n" for check in checks)
    return CHECKS


def read_checks(out_dir: Path) -> list:
    """The last build's near-copy checks ([doc_id, copy found or "", similarity] in order); none when unreadable."""
    try:
        with open(out_dir / CHECKS, encoding="utf-8") as lines:
            found = [json.loads(line) for line in lines]
    except (OSError, ValueError):
        return []
    return found if all(isinstance(c, list) and len(c) == 3 for c in found) else []


# The metadata.csv tables read (``ingest.MetadataMemo``), a file each named by the SHA-1 of its bytes, with the
# fingerprint of the rules and settings it was read with: the next build parses only a changed one again. Written
# as they are read (a file named by its content is never wrong: one read with other rules is read again); those no
# build read since the last are removed by ``commit``.
METADATA_READ = "metadata_read"


def write_metadata_read(out_dir: Path, key: str, table: dict[str, FileMeta], fingerprint: str) -> None:
    metas: dict[FileMeta, int] = {}  # each distinct row once (most files share theirs with others)
    rows = array("i", [metas.setdefault(meta, len(metas)) for meta in table.values()])
    columns: dict[str, list] = {"names": list(table), "rows": list(rows),
                                **{f: [getattr(m, f) for m in metas] for f in FileMeta.__slots__}}  # fmt: skip
    arrow = pa.table({k: pa.array([v]) for k, v in columns.items()})
    folder = out_dir / METADATA_READ
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{key}.tmp"
    with ipc.new_file(tmp, arrow.schema.with_metadata({"fingerprint": fingerprint})) as sink:
        sink.write_table(arrow)
    os.replace(tmp, folder / f"{key}.arrow")


def read_metadata_read(out_dir: Path, key: str, fingerprint: str) -> dict[str, FileMeta] | None:
    """The table ``write_metadata_read`` kept under ``key``, when it was read with the rules of ``fingerprint``."""
    try:
        with ipc.open_file(out_dir / METADATA_READ / f"{key}.arrow") as source:
            if (source.schema.metadata or {}).get(b"fingerprint") != fingerprint.encode():
                return None
            table = source.read_all()
        columns = {name: table.column(name).chunk(0).flatten().to_pylist() for name in table.column_names}
    except (OSError, pa.ArrowException):
        return None
    metas = [FileMeta(*values) for values in zip(*(columns[f] for f in FileMeta.__slots__), strict=True)]
    return {name: metas[row] for name, row in zip(columns["names"], columns["rows"], strict=True)}


def keep_metadata_read(out_dir: Path, used: set[str]) -> None:
    """Remove the tables kept that no build read since the last (``used``: those this build read)."""
    for path in (out_dir / METADATA_READ).glob("*.arrow"):
        if path.stem not in used:
            path.unlink(missing_ok=True)


def read_manifest(out_dir: Path) -> dict:
    path = out_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        return {}


def live_parts(out_dir: Path) -> list[str]:
    """The parts the last completed build listed."""
    return list(read_manifest(out_dir).get("parts", []))


def write_single_files(
    staging: Staging,
    parts: Sequence[tuple[Path, str]],
    order: pa.Array | None,
    aggregates: dict[str, pa.Table],
    cached: Callable[[str, str], pa.Table | None] = lambda table, part: None,
    whole: bool = True,
    appended: Mapping[str, Sequence[str]] | None = None,
    layout: EventsLayout | None = None,
) -> list[str]:
    """The contract's single files from the parts (``(folder, part)``), into the staging folder.

    ``order`` None: the parts hold the documents in input order, each file is streamed part by part (memory
    stays that of one part). Otherwise ``order`` lists the doc_ids in input order; each table is read whole and
    sorted by it (stable: a document's rows keep their order), which is for corpora that fit.
    ``whole`` False: only the ``aggregates`` (places.csv and candidates.csv: small whatever the corpus).
    ``appended``: the tables whose file is the last build's with the rows of these (staged) parts after them.
    ``layout``: where events.csv holds each part's rows, the last build's (``EventsLayout.before``: the rows of
    its parts this build keeps are copied from there) and this build's (``EventsLayout.now``, filled here).
    Returns the names written.
    """
    written = []
    for name, (file, columns) in TABLES.items():
        if name in aggregates:
            written += _write_aggregate(staging, name, aggregates[name])
            continue
        if name == "incidents":  # streamed by the pass over the corpus (``stream_incidents``)
            continue
        if name not in DATASET:
            raise ValueError(f"no parts and no table for {file}")
        if not whole:
            continue
        if appended and name in appended:
            written += _append(staging, name, appended[name], cached, layout if name == "events" else None)
            continue
        tables: Iterator[pa.Table] = (_part(cached, folder, name, part) for folder, part in parts)
        if order is not None:
            every = pa.concat_tables(list(tables)) if parts else events.table([], columns)
            position = pc.index_in(every.column("doc_id"), value_set=order)
            tables = iter([every.take(pc.sort_indices(position))])
        parquet = staging.dir / "events.parquet" if name == "events" else None
        if name == "events" and order is None and layout is not None:
            _stream_events(staging, parts, tables, layout)
        else:
            _stream(tables, columns, staging.dir / file, parquet)
        written.append(file)
        if parquet:
            written.append("events.parquet")
    return written


def append_single_files(
    staging: Staging,
    new_parts: Sequence[str],
    aggregates: dict[str, pa.Table],
    cached: Callable[[str, str], pa.Table | None] = lambda table, part: None,
    layout: EventsLayout | None = None,
) -> list[str]:
    """The single files of the last build with the rows of ``new_parts`` after theirs: for a rebuild that only
    added documents after the others. The CSV files are copied and appended to (the same bytes as written
    whole); events.parquet is written again, its old row groups streamed through. Returns the names written."""
    written = []
    for name in TABLES:
        if name in aggregates:
            written += _write_aggregate(staging, name, aggregates[name])
        elif name != "incidents":  # (streamed by the pass over the corpus: ``stream_incidents``)
            written += _append(staging, name, new_parts, cached, layout if name == "events" else None)
    return written


def _append(
    staging: Staging, name: str, new_parts: Sequence[str], cached: Callable[[str, str], pa.Table | None],
    layout: EventsLayout | None = None,
) -> list[str]:
    """The single file of ``name`` of the last build, with the rows of ``new_parts`` after its own: the CSV file
    copied and appended to (the same bytes as written whole); events.parquet written again, its old row groups
    streamed through. Returns the names written. ``layout``: events.csv's, carried on (``EventsLayout``)."""
    out_dir = staging.out_dir
    file, columns = TABLES[name]
    shutil.copyfile(out_dir / file, staging.dir / file)
    blocks = layout.usable(out_dir / file) if layout is not None else None
    with open(staging.dir / file, "ab") as sink:
        for part in new_parts:
            start = sink.tell()
            table = neutralise_table(_part(cached, staging.dir, name, part).select(columns))
            pacsv.write_csv(table, sink, APPEND_OPTIONS)
            if blocks is not None:
                blocks.parts.append((part, sink.tell() - start))
    if layout is not None:
        layout.now = blocks.seal(staging.dir / file) if blocks is not None else None
    if name != "events":
        return [file]
    schema = events.with_pandas_metadata(events.table([], events.EVENT_COLUMNS)).schema
    with (
        pq.ParquetFile(out_dir / "events.parquet") as old,
        pq.ParquetWriter(staging.dir / "events.parquet", schema) as new,
    ):
        for group in range(old.num_row_groups):
            new.write_table(old.read_row_group(group).replace_schema_metadata(schema.metadata))
        for part in new_parts:
            table = _part(cached, staging.dir, "events", part).select(events.EVENT_COLUMNS)
            new.write_table(table.replace_schema_metadata(schema.metadata))
    return [file, "events.parquet"]


@dataclass
class Blocks:
    """Where events.csv holds each part's rows: the header's bytes, then each part's, in order; the file's size and
    modification time, so that a file changed since is never taken for what it held."""

    header: int
    parts: list[tuple[str, int]]
    size: int = -1
    mtime_ns: int = -1

    def seal(self, path: Path) -> Blocks:
        stat = os.stat(path)  # (moving the file into place keeps both)
        self.size, self.mtime_ns = stat.st_size, stat.st_mtime_ns
        return self

    def to_json(self) -> dict:
        return {"header": self.header, "parts": [list(p) for p in self.parts], "size": self.size,
                "mtime_ns": self.mtime_ns}  # fmt: skip

    @staticmethod
    def from_json(value: object) -> Blocks | None:
        try:
            blocks = Blocks(int(value["header"]), [(str(p), int(n)) for p, n in value["parts"]],  # type: ignore[index]
                            int(value["size"]), int(value["mtime_ns"]))  # type: ignore[index]  # fmt: skip
        except (TypeError, KeyError, ValueError):
            return None
        return blocks if blocks.header + sum(n for _, n in blocks.parts) == blocks.size else None


@dataclass
class EventsLayout:
    """events.csv's blocks (``Blocks``) as the last build wrote them (``before``; None: unknown) and as this build
    writes them (``now``, filled by the writer; None: unknown), and the kept parts whose incident ids alone changed
    (``patches``: the new part -> the last build's part it copies, and each changed row's old incident id)."""

    before: Blocks | None
    patches: Mapping[str, tuple[str, Mapping[int, str]]]
    now: Blocks | None = None

    def usable(self, path: Path) -> Blocks | None:
        """A copy of ``before``, when the file at ``path`` is the one it describes."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if self.before is None or (stat.st_size, stat.st_mtime_ns) != (self.before.size, self.before.mtime_ns):
            return None
        return Blocks(self.before.header, list(self.before.parts))


def _stream_events(
    staging: Staging, parts: Sequence[tuple[Path, str]], tables: Iterator[pa.Table], layout: EventsLayout
) -> None:
    """events.csv and events.parquet from the live parts' tables, in order. The rows of a part the last build's
    events.csv holds (a part kept as it was) are copied from it; those of a kept part whose incident ids alone
    changed are copied with the changed rows written again (``_patched``); any other part's rows are written.
    The same bytes as written whole: a CSV file is its rows one after the other, each written on its own. Each
    table's Parquet rows are written in a thread meanwhile."""
    columns = events.EVENT_COLUMNS
    schema = events.with_pandas_metadata(events.table([], columns)).schema
    source = staging.out_dir / "events.csv"
    before = layout.usable(source)
    where: dict[str, tuple[int, int]] = {}
    if before is not None:
        offset = before.header
        for part, size in before.parts:
            where[part] = (offset, size)
            offset += size
    now = Blocks(0, [])
    path = staging.dir / "events.csv"
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(open(path, "wb"))
        old = stack.enter_context(open(source, "rb")) if where else None
        parquet = stack.enter_context(_parquet_beside(staging.dir / "events.parquet", schema))
        pacsv.write_csv(schema.empty_table(), sink, CSV_OPTIONS)
        now.header = sink.tell()
        for (_, part), table in zip(parts, tables, strict=True):
            table = table.select(columns).replace_schema_metadata(schema.metadata)
            parquet(table)
            start = sink.tell()
            copied, patch = where.get(part), layout.patches.get(part)
            pieces = None
            if patch is not None and patch[0] in where and old is not None:
                pieces = _patched(_read_range(old, *where[patch[0]]), table, patch[1])
            if copied is not None and old is not None:
                _copy_range(old, sink, *copied)
            elif pieces is not None:
                for piece in pieces:
                    _write(sink, piece)
            else:
                pacsv.write_csv(neutralise_table(table), sink, APPEND_OPTIONS)
            now.parts.append((part, sink.tell() - start))
    layout.now = now.seal(path)


def _read_range(source: BinaryIO, offset: int, size: int) -> bytes:
    source.seek(offset)
    return source.read(size)


CHUNK = 1 << 20  # bytes written at a time (a write of ~12 MB at once took ~10x longer on the bench machine)


def _write(sink: BinaryIO, data: bytes | memoryview) -> None:
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        sink.write(view[start : start + CHUNK])


def _copy_range(source: BinaryIO, sink: BinaryIO, offset: int, size: int) -> None:
    """``size`` bytes of ``source`` from ``offset`` onto the end of ``sink``: inside the kernel where it can
    (``os.copy_file_range``), else read and written."""
    sink.flush()
    done = 0
    try:
        while done < size:
            count = os.copy_file_range(source.fileno(), sink.fileno(), size - done, offset + done)
            if not count:
                break
            done += count
    except (OSError, AttributeError):  # (another file system, or no such call here)
        pass
    sink.seek(0, os.SEEK_END)  # (the file's position moved under the buffered writer)
    while done < size:
        data = _read_range(source, offset + done, min(CHUNK, size - done))
        if not data:
            raise OSError(f"{source.name} ends before byte {offset + size}")
        sink.write(data)
        done += len(data)


def _patched(block: bytes, table: pa.Table, changed: Mapping[int, str]) -> list[bytes | memoryview] | None:
    """A kept part's rows as the last build's events.csv holds them (``block``), with the rows whose incident id
    alone changed (``changed``: each row's old id; ``table``: the rows now) written again. Each such row is looked
    for as written with its old id (its event_id is its own), from the end of the one before, where a row begins
    (after a line end, outside quotes). Returns the pieces to write one after the other; None when a row is not
    found there (the part is then written whole)."""
    rows = sorted(changed)
    if rows and rows[-1] >= len(table):
        return None
    index = table.schema.get_field_index("incident_id")
    taken = table.take(pa.array(rows, pa.int64()))
    now = neutralise_table(taken)  # (once for all the rows: ~1 ms a call)
    was = neutralise_table(taken.set_column(index, table.field(index), pa.array([changed[r] for r in rows],
                                                                                pa.string())))  # fmt: skip
    view = memoryview(block)
    pieces: list[bytes | memoryview] = []
    position, quotes = 0, 0
    for k in range(len(rows)):
        before = _csv_rows(was.slice(k, 1))
        at = block.find(before, position)
        if at < 0:
            return None
        quotes += block.count(b'"', position, at)
        if quotes % 2 or (at and block[at - 1] != ord("\n")):
            return None
        pieces += [view[position:at], _csv_rows(now.slice(k, 1))]
        position = at + len(before)
    pieces.append(view[position:])
    return pieces


def _csv_rows(table: pa.Table) -> bytes:
    """Rows as a CSV file holds them (neutralised already: ``neutralise_table``)."""
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, APPEND_OPTIONS)
    return sink.getvalue().to_pybytes()


def _write_aggregate(staging: Staging, name: str, table: pa.Table) -> list[str]:
    """A table computed whole (places, candidates) as its CSV file."""
    file, columns = TABLES[name]
    _write_csv(table.select(columns), staging.dir / file)
    return [file]


def stream_incidents(staging: Staging, tables: Iterator[pa.Table]) -> list[str]:
    """incidents.csv and incidents.parquet, written into the staging folder a table at a time."""
    _stream(tables, events.INCIDENT_COLUMNS, staging.dir / "incidents.csv", staging.dir / "incidents.parquet")
    return ["incidents.csv", "incidents.parquet"]


def _part(cached: Callable[[str, str], pa.Table | None], folder: Path, table: str, part: str) -> pa.Table:
    found = cached(table, part)
    return found if found is not None else read_part(folder, table, part)


def _stream(tables: Iterator[pa.Table], columns: list[str], csv_path: Path, parquet_path: Path | None) -> None:
    """The tables one after the other into the CSV file and the Parquet file (``_parquet_beside``)."""
    schema = events.with_pandas_metadata(events.table([], columns)).schema
    with pacsv.CSVWriter(csv_path, schema, write_options=CSV_OPTIONS) as csv_out, _parquet_beside(
            parquet_path, schema) as parquet:
        for table in tables:
            table = table.select(columns).replace_schema_metadata(schema.metadata)
            parquet(table)
            csv_out.write_table(neutralise_table(table))


@contextlib.contextmanager
def _parquet_beside(path: Path | None, schema: pa.Schema) -> Iterator[Callable[[pa.Table], None]]:
    """A writer of tables into the Parquet file at ``path`` (None: none), each written in a thread while the caller
    writes the table's CSV rows (Arrow writes without holding the interpreter's lock: the two overlap); the last
    written when the block ends."""
    if path is None:
        yield lambda table: None
        return
    with pq.ParquetWriter(path, schema) as parquet, ThreadPoolExecutor(
            1, thread_name_prefix="newsline-parquet") as pool:
        pending: list[Future[None]] = []

        def write(table: pa.Table) -> None:
            if pending:
                pending.pop().result()
            pending.append(pool.submit(parquet.write_table, table))

        yield write
        if pending:
            pending.pop().result()


SINGLE_FILES = [file for file, _ in TABLES.values()] + ["incidents.parquet", "events.parquet"]
# written whatever the corpus's size (streamed a month at a time), and kept as they are when nothing changed
CORPUS_FILES = frozenset({"incidents.csv", "incidents.parquet"})


def commit(
    staging: Staging,
    new_parts: Sequence[str],
    live: Sequence[str],
    manifest: dict,
    files: Sequence[str],
    drop_single_files: bool = False,
) -> None:
    """Move the staged single files (``files``; events.parquet last, as ``make`` reads its time), then the new
    parts, into place; write the manifest listing the ``live`` parts (the build now counts); remove the parts it
    does not list. ``drop_single_files``: a corpus past the line, whose old single files must not stay stale."""
    out_dir = staging.out_dir
    for file in sorted(files, key=lambda f: f == "events.parquet"):
        os.replace(staging.dir / file, out_dir / file)
    if drop_single_files:
        for file in set(SINGLE_FILES) - set(files) - CORPUS_FILES:
            (out_dir / file).unlink(missing_ok=True)
    for table in DATASET:
        (out_dir / table).mkdir(exist_ok=True)
        for part in new_parts:
            os.replace(part_file(staging.dir, table, part), part_file(out_dir, table, part))
    tmp = out_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(tmp, out_dir / MANIFEST)
    (out_dir / "copy_checks.json").unlink(missing_ok=True)  # the checks as a folder built before held them
    keep = {f"{part}.parquet" for part in live}
    for table in DATASET:
        for path in (out_dir / table).glob("part-*.parquet"):
            if path.name not in keep:
                path.unlink()
    shutil.rmtree(staging.dir, ignore_errors=True)
