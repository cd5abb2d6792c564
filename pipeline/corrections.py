"""The analyst's corrections of single events, kept beside the outputs and applied after every build.

``corrections.csv`` in the output folder holds one row per corrected event. An event is found again by
its document, the offsets of its time expression and the hash of its sentence (``event_key``); when the
offsets moved (the article was cleaned differently), by the sentence hash and expression alone. A row may
set the date (a TimeML-style value: ``2020-05-01``, ``2020-W17``, ``2020-05``, ``2020-Q2``, ``2020``), the
actors, the places, or mark the row ``not an event`` (it is left out of the table). What it changed says
``corrected by analyst`` in the row's ``resolution``. Removing the row (``remove``) and rebuilding the
document undoes it.

Pure functions over frames and rows; ``load``/``save`` are the only file access (``save`` writes under a
temporary name and moves it into place). pandas is imported only when there are corrections to apply.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.spreadsheet import neutralise_row, unquote_row

if TYPE_CHECKING:
    import pandas as pd

FILE_NAME = "corrections.csv"
COLUMNS = (
    "doc_id", "char_start", "char_end", "sentence_hash", "time_text", "event_id",
    "time_value", "actors", "locations", "not_event", "note", "made",
)  # fmt: skip
SEP = "; "
MARK = "corrected by analyst"
DATE_BASIS = "analyst"


@dataclass(frozen=True)
class Correction:
    """One event's correction; an empty field (None) leaves that part of the event as the build made it."""

    doc_id: str
    char_start: str  # as written in the table ("" for a row without a time expression)
    char_end: str
    sentence_hash: str
    time_text: str = ""
    event_id: str = ""  # the id the event had when corrected (for people reading the file)
    time_value: str | None = None  # "" = the date is unknown
    actors: str | None = None
    locations: str | None = None
    not_event: bool = False
    note: str = ""
    made: str = ""


def sentence_hash(sentence: str) -> str:
    return hashlib.sha1(sentence.strip().encode("utf-8")).hexdigest()[:16]


def _offset(value: Any) -> str:
    """An offset cell as text ("" when empty: None, NA, NaN or "")."""
    try:
        if value is None or value != value or value == "":  # value != value: NaN
            return ""
    except TypeError:  # pandas' NA cannot be compared
        return ""
    try:
        return str(int(float(value)))
    except (TypeError, ValueError):
        return ""


def for_event(event: Any, **changes: Any) -> Correction:
    """A correction of ``event`` (a row of the events table, a Series or a dict) with ``changes``."""
    return Correction(
        doc_id=str(event["doc_id"]),
        char_start=_offset(event.get("char_start")),
        char_end=_offset(event.get("char_end")),
        sentence_hash=sentence_hash(str(event["sentence"])),
        time_text=str(event.get("time_text") or ""),
        event_id=str(event.get("event_id") or ""),
        made=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **changes,
    )


def event_key(c: Correction) -> tuple[str, str, str, str]:
    return (c.doc_id, c.char_start, c.char_end, c.sentence_hash)


# ── dates ──────────────────────────────────────────────────────────────────────────────────
DATE_FORMS = (
    ("day", re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    ("week", re.compile(r"^(\d{4})-W(\d{2})$")),
    ("month", re.compile(r"^(\d{4})-(\d{2})$")),
    ("quarter", re.compile(r"^(\d{4})-Q([1-4])$")),
    ("year", re.compile(r"^(\d{4})$")),
)


def period(value: str) -> tuple[str, dt.date | None, dt.date | None]:
    """(granularity, first day, last day) of a date value; ``""`` is unknown. A value of no known form
    raises ValueError naming the forms."""
    value = value.strip()
    if not value:
        return "unknown", None, None
    for granularity, form in DATE_FORMS:
        found = form.match(value)
        if not found:
            continue
        n = [int(g) for g in found.groups()]
        try:
            if granularity == "day":
                day = dt.date(n[0], n[1], n[2])
                return granularity, day, day
            if granularity == "week":
                first = dt.date.fromisocalendar(n[0], n[1], 1)
                return granularity, first, first + dt.timedelta(days=6)
            if granularity == "month":
                return granularity, dt.date(n[0], n[1], 1), _month_end(n[0], n[1])
            if granularity == "quarter":
                first_month = 3 * n[1] - 2
                return granularity, dt.date(n[0], first_month, 1), _month_end(n[0], first_month + 2)
            return granularity, dt.date(n[0], 1, 1), dt.date(n[0], 12, 31)
        except ValueError as err:
            raise ValueError(f"{value!r} is not a real {granularity}: {err}") from err
    raise ValueError(f"{value!r} is not a date: write 2020-05-01 (day), 2020-W17, 2020-05, 2020-Q2 or 2020 (year)")


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


# ── the file ───────────────────────────────────────────────────────────────────────────────
def path_for(out_dir: Path) -> Path:
    return Path(out_dir) / FILE_NAME


def load(out_dir: Path) -> list[Correction]:
    """The folder's corrections in the order they were made; none when there is no file."""
    path = path_for(out_dir)
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(map(unquote_row, csv.DictReader(handle)), 2):
            if not (row.get("doc_id") or "").strip():
                continue

            def cell(name: str, row: dict = row) -> str | None:
                value = row.get(name)
                return None if value is None or value == "" else value

            value = row.get("time_value")
            # "unknown" keeps the difference between "the date is unknown" and "not corrected" visible
            time_value = None if value in (None, "") else ("" if value == "unknown" else value)
            if time_value:
                try:
                    period(time_value)
                except ValueError as err:
                    raise ValueError(f"{path}:{line_no}: {err}") from err
            out.append(
                Correction(
                    doc_id=row["doc_id"].strip(),
                    char_start=_offset(row.get("char_start")),
                    char_end=_offset(row.get("char_end")),
                    sentence_hash=(row.get("sentence_hash") or "").strip(),
                    time_text=row.get("time_text") or "",
                    event_id=row.get("event_id") or "",
                    time_value=time_value,
                    actors=cell("actors"),
                    locations=cell("locations"),
                    not_event=(row.get("not_event") or "").strip().lower() in ("1", "true", "yes"),
                    note=row.get("note") or "",
                    made=row.get("made") or "",
                )
            )
    return out


def _row(c: Correction) -> dict[str, str]:
    return {
        "doc_id": c.doc_id, "char_start": c.char_start, "char_end": c.char_end, "sentence_hash": c.sentence_hash,
        "time_text": c.time_text, "event_id": c.event_id,
        "time_value": "" if c.time_value is None else (c.time_value or "unknown"),
        "actors": c.actors or "", "locations": c.locations or "", "not_event": "true" if c.not_event else "",
        "note": c.note, "made": c.made,
    }  # fmt: skip


def save(out_dir: Path, corrections: list[Correction]) -> None:
    """Write the folder's corrections file (atomically); no corrections, no file."""
    path = path_for(out_dir)
    if not corrections:
        path.unlink(missing_ok=True)
        return
    fd, tmp = tempfile.mkstemp(prefix=".corrections.", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(neutralise_row(_row(c)) for c in corrections)  # a file people open: no formula
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add(existing: list[Correction], new: Correction) -> list[Correction]:
    """``existing`` with ``new`` merged into the same event's earlier correction (new fields win)."""
    kept, merged = [], new
    for c in existing:
        if event_key(c) == event_key(new):
            merged = Correction(
                **{
                    **c.__dict__,
                    **{k: v for k, v in new.__dict__.items() if v is not None and v != ""},
                    "time_value": new.time_value if new.time_value is not None else c.time_value,
                    "not_event": new.not_event or c.not_event,
                }
            )
        else:
            kept.append(c)
    return [*kept, merged]


def remove(existing: list[Correction], doc_id: str, key: tuple[str, str, str, str]) -> list[Correction]:
    return [c for c in existing if not (c.doc_id == doc_id and event_key(c) == key)]


# ── applying ──────────────────────────────────────────────────────────────────────────────
def apply(events: pd.DataFrame, places: pd.DataFrame, corrections: list[Correction]) -> pd.DataFrame:
    """The events table with each correction applied to the row it names (found by ``event_key``, else by
    document, sentence hash and expression); a correction whose event is gone is skipped."""
    if not corrections or events.empty:
        return events
    out = events.copy()
    hashes = out["sentence"].astype(str).map(sentence_hash)
    starts = out["char_start"].map(_offset)
    ends = out["char_end"].map(_offset)
    doc_ids = out["doc_id"].astype(str)
    texts = out["time_text"].fillna("").astype(str)
    coords = _place_coords(places)
    drop = []
    for c in corrections:
        same = (doc_ids == c.doc_id) & (hashes == c.sentence_hash)
        hit = out.index[same & (starts == c.char_start) & (ends == c.char_end)]
        if len(hit) == 0:
            hit = out.index[same & (texts == c.time_text)]
            if len(hit) != 1:
                continue
        i = hit[0]
        if c.not_event:
            drop.append(i)
            continue
        done = []
        if c.time_value is not None:
            granularity, first, last = period(c.time_value)
            was = out.at[i, "time_value"] or "unknown"
            out.loc[i, ["time_value", "granularity", "date_basis", "modifier"]] = [
                c.time_value,
                granularity,
                DATE_BASIS,
                "",
            ]
            out.loc[i, ["date_start", "date_end"]] = [_iso(first), _iso(last)]
            done.append(f"date {was} → {c.time_value or 'unknown'} ({granularity})")
        if c.actors is not None:
            out.at[i, "actors"] = c.actors
            done.append(f"actors: {c.actors or 'none'}")
        if c.locations is not None:
            names = [n.strip() for n in c.locations.split(";") if n.strip()]
            out.at[i, "locations"] = SEP.join(names)
            known = [coords[n] for n in names if n in coords]
            best = min(known, key=lambda p: p[3]) if known else None
            out.loc[i, ["lat", "lon"]] = [best[0], best[1]] if best else [None, None]
            out.at[i, "place_precision"] = best[3] if best else None
            out.at[i, "countries"] = SEP.join(dict.fromkeys(p[2] for p in known if p[2]))
            done.append(f"places: {SEP.join(names) or 'none'}")
        note = f" ({c.note})" if c.note else ""
        out.at[i, "resolution"] = f"{MARK}: {'; '.join(done)}{note} [was: {events.at[i, 'resolution']}]"
    return out.drop(index=drop).reset_index(drop=True) if drop else out


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _place_coords(places: pd.DataFrame) -> dict[str, tuple[float, float, str, int]]:
    """name → (lat, lon, country, precision) from places.csv."""
    if places is None or places.empty:
        return {}
    out = {}
    for row in places.itertuples(index=False):
        try:
            out[str(row.name)] = (float(row.lat), float(row.lon), str(row.country or ""), int(row.precision or 3))
        except (TypeError, ValueError):
            continue
    return out


def apply_to(tables: Any, out_dir: Path) -> Any:
    """``tables`` (pandas ``Tables`` or Arrow ``ArrowTables``) with the corrections of ``out_dir`` applied to
    their events: what a build or rebuild writes. Unchanged, with no import of pandas, when there are none."""
    found = load(out_dir)
    if not found:
        return tables
    import pyarrow as pa

    if isinstance(tables.events, pa.Table):
        from pipeline import events as ev

        fixed = apply(ev.to_pandas(tables.events), ev.to_pandas(tables.places), found)
        fixed = pa.Table.from_pandas(fixed[ev.EVENT_COLUMNS], schema=ev.schema(ev.EVENT_COLUMNS), preserve_index=False)
        return replace(tables, events=fixed)
    return replace(tables, events=apply(tables.events, tables.places, found))
