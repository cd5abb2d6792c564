"""``metadata.csv`` tables: what the analyst knows of each file of a folder (its URL, publication date, publisher,
title, date order), read into FileMeta rows; a broken table is reported as a rejected Article, never raised, and a
file a table names that is not there is reported too (``Listed``, ``missing_listed``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline import formats, pubdate
from pipeline.ingest.records import METADATA_NAME, FileMeta, RunState
from pipeline.records import Article
from pipeline.settings import Settings

ORDER_WORDS = {"MDY": "MDY", "DMY": "DMY", "MONTH-FIRST": "MDY", "DAY-FIRST": "DMY", "US": "MDY"}


@dataclass
class MetadataMemo:
    """metadata.csv tables read before (``read_metadata``), by the SHA-1 of the file's bytes, so that one read
    before with the same rules is not parsed again (a rebuild of 300,000 articles: ~3 s). ``load(key)``: the table
    kept under that key, or None; ``keep(key, table)``: keep one for the next run. No table is held here: a
    corpus's table is let go of once its rows are taken, before the workers fork, as without a memo."""

    load: Callable[[str], dict[str, FileMeta] | None]
    keep: Callable[[str, dict[str, FileMeta]], None]
    used: set[str] = field(default_factory=set)  # the keys of the tables this run read


@dataclass
class Listed:
    """The files metadata.csv tables name (matched case-insensitively), and which of them turned up."""

    metas: dict[str, FileMeta] = field(default_factory=dict)  # casefolded path → row
    written: dict[str, str] = field(default_factory=dict)  # casefolded path → path as written, when not the same
    found: set[str] = field(default_factory=set)

    def add(self, folder: str, table: dict[str, FileMeta]) -> None:
        for name, meta in table.items():
            path = PurePosixPath(folder, name).as_posix() if folder not in ("", ".") else name
            key = path.casefold()
            self.metas[key] = meta
            if key != path:
                self.written[key] = path
            else:
                self.written.pop(key, None)

    def take(self, path: str) -> FileMeta | None:
        self.found.add(path.casefold())
        return self.metas.get(path.casefold())

    def missing(self) -> list[str]:
        return sorted(self.written.get(k, k) for k in set(self.metas) - self.found)


def missing_listed(missing: list[str], display: Callable[[str], str], state: RunState) -> Iterator[Article]:
    """A rejected article for each file a metadata.csv names that is not there (``Listed.missing``)."""
    for key in missing:
        name = PurePosixPath(key).name
        yield Article(
            doc_id=state.claim(PurePosixPath(name).stem or name),
            file=display(key),
            text="",
            status="rejected",
            reason=f"listed in {METADATA_NAME} but the file is missing",
        )


def read_metadata(
    load: Callable[[], bytes], display: str, settings: Settings, state: RunState, memo: MetadataMemo | None = None
) -> tuple[dict[str, FileMeta], list[Article]]:
    """metadata.csv → {relative file name: FileMeta}; a broken metadata.csv is reported, not raised. ``memo``:
    the tables read before with the same settings and rules (a broken one is not kept there)."""

    def problem(reason: str) -> tuple[dict[str, FileMeta], list[Article]]:
        return {}, [Article(doc_id=state.claim("metadata"), file=display, text="", status="rejected", reason=reason)]

    try:
        data = load()
        key = hashlib.sha1(data).hexdigest() if memo is not None else ""
        known = memo.load(key) if memo is not None else None
        if memo is not None and known is not None:
            memo.used.add(key)
            return known, []
        text, _ = formats.decode_text(data)
        rows = formats.csv_rows(text, settings)
    except formats.Rejected as err:
        return problem(f"{METADATA_NAME} ignored: {err}")
    except OSError as err:
        return problem(f"{METADATA_NAME} could not be read: {err.strerror or err}")
    table: dict[str, FileMeta] = {}
    readings: dict[tuple[str, str, bool], pubdate.DateReading | None] = {}  # a date written again is read once
    # one object for each value met again (a date, a publisher) and for each row met again: a corpus's table
    shared: dict[str, str] = {}
    rows_seen: dict[FileMeta, FileMeta] = {}
    for line_no, row in rows:
        fields = {k.strip().casefold(): v.strip() for k, v in row.items()}
        if "file" not in fields:
            return problem(f"{METADATA_NAME} ignored: it has no 'file' column")
        name = fields["file"].replace("\\", "/").removeprefix("./")
        if name:
            read = file_meta(fields, line_no, settings, readings)
            meta = FileMeta(*(shared.setdefault(v, v) for v in (getattr(read, f) for f in FileMeta.__slots__)))
            table[name] = rows_seen.setdefault(meta, meta)
    if memo is not None:
        memo.keep(key, table)
        memo.used.add(key)
    return table, []


def file_meta(
    fields: dict[str, str], line_no: int, settings: Settings,
    readings: dict[tuple[str, str, bool], pubdate.DateReading | None] | None = None,
) -> FileMeta:
    order = ORDER_WORDS.get(fields.get("date_order", "").upper().replace("_", "-"), "")
    publisher = fields.get("publisher", "")
    by_publisher = {k.casefold(): v for k, v in settings.date_order_by_publisher.items()}
    known_order = order or by_publisher.get(publisher.casefold(), "")
    published, evidence, note = "", "", ""
    raw = fields.get("published", "")
    if raw:
        key = (raw, known_order or settings.default_date_order, bool(known_order))
        readings = {} if readings is None else readings
        if key not in readings:
            readings[key] = pubdate.parse_date_value(raw, pubdate.default_rules(settings.data_dir), key[1], key[2])
        reading = readings[key]
        if reading is None:
            note = f"{METADATA_NAME} row {line_no}: published {raw!r} is not a date"
        else:
            published, evidence = reading.date.isoformat(), f'{METADATA_NAME} published "{raw}"'
    return FileMeta(
        url=fields.get("url", ""),
        published=published,
        published_evidence=evidence,
        publisher=publisher,
        title=fields.get("title", ""),
        date_order=order,
        note=note,
    )
