"""A synthetic event table in the shape of the output contract, for tests and benchmarks.

Realistic actors, places and dates spread over years; every mention's offsets point into
the sentence it belongs to, so provenance highlighting works on these rows as on real ones.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

# name, type, affiliation, country
ACTORS: tuple[tuple[str, str, str, str], ...] = (
    ("Turkey", "state", "", "Turkey"),
    ("Russia", "state", "", "Russia"),
    ("Syrian government", "state", "", "Syria"),
    ("HTS", "armed group", "", "Syria"),
    ("United States", "state", "", "United States"),
    ("Iran", "state", "", "Iran"),
    ("NATO", "international organisation", "", ""),
    ("SDF", "armed group", "United States", "Syria"),
    ("Hezbollah", "armed group", "Iran", "Lebanon"),
    ("Recep Tayyip Erdogan", "person", "Turkey", "Turkey"),
    ("Hulusi Akar", "person", "Turkey", "Turkey"),
    ("Dmitry Peskov", "person", "Russia", "Russia"),
    ("Bashar al-Assad", "person", "Syrian government", "Syria"),
    ("James Jeffrey", "person", "United States", "United States"),
)
ACTOR_WEIGHTS = (20, 16, 18, 14, 8, 6, 3, 5, 4, 6, 3, 2, 3, 2)

# name, lat, lon, kind, country
PLACES: tuple[tuple[str, float, float, str, str], ...] = (
    ("Idlib", 35.93, 36.63, "admin", "Syria"),
    ("Aleppo", 36.20, 37.16, "city", "Syria"),
    ("Damascus", 33.51, 36.29, "city", "Syria"),
    ("Saraqib", 35.86, 36.80, "city", "Syria"),
    ("Maarat al-Numan", 35.64, 36.67, "city", "Syria"),
    ("Afrin", 36.51, 36.87, "city", "Syria"),
    ("Raqqa", 35.95, 39.01, "city", "Syria"),
    ("Deir ez-Zor", 35.34, 40.14, "city", "Syria"),
    ("Syria", 34.80, 38.99, "country", "Syria"),
    ("Ankara", 39.93, 32.86, "city", "Turkey"),
    ("Moscow", 55.76, 37.62, "city", "Russia"),
    ("Tehran", 35.69, 51.39, "city", "Iran"),
    ("Beirut", 33.89, 35.50, "city", "Lebanon"),
    ("Geneva", 46.20, 6.15, "city", "Switzerland"),
    ("Sochi", 43.60, 39.73, "city", "Russia"),
)
PLACE_WEIGHTS = (25, 12, 8, 6, 5, 4, 4, 3, 10, 6, 6, 3, 2, 1, 2)

EVENT_TYPES = ("armed clash", "airstrike", "shelling", "agreement", "statement", "troop movement", "protest", "")
VERBS = ("clashed with", "shelled positions of", "struck", "met with", "accused", "agreed with", "warned")
PUBLISHERS = ("Asharq Al-Awsat", "Reuters", "Anadolu", "ARA News", "SouthFront", "Al-Monitor", "TASS")
# granularity, date_basis, share
KINDS = (
    ("day", "relative", 40),
    ("day", "explicit", 15),
    ("week", "relative", 8),
    ("month", "explicit", 10),
    ("year", "explicit", 5),
    ("day", "inherited", 4),
    ("day", "reported", 12),
    ("unknown", "unresolved", 6),
)
EVENTS_PER_DOC = 20
SINGLE_FILE_DOCUMENTS = 100_000  # as the build's --single-files default: past it only the dataset is written
BATCH = 250_000  # events generated and written at a time
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _time_for(
    kind: str, basis: str, published: dt.date, rng: random.Random
) -> tuple[str, str, dt.date | None, dt.date | None, str]:
    """Return time_text, time_value, start, end, resolution for one synthetic row."""
    if kind == "unknown":
        day = WEEKDAYS[rng.randrange(7)]
        return f"on {day}", "", None, None, f"on {day} → unresolved: no publication date to anchor it"
    back = rng.randrange(0, 40)
    day = published - dt.timedelta(days=back)
    if kind == "day":
        if basis == "reported":
            return "", day.isoformat(), published, published, f"no date of its own → {published}: dated by publication"
        text = f"on {WEEKDAYS[day.weekday()]}" if basis != "explicit" else f"on {day:%B} {day.day}"
        return text, day.isoformat(), day, day, f"{text} → {day}: counted back from publication ({published})"
    if kind == "week":
        monday = day - dt.timedelta(days=day.weekday())
        iso = monday.isocalendar()
        return (
            "last week",
            f"{iso.year}-W{iso.week:02d}",
            monday,
            monday + dt.timedelta(days=6),
            "last week → the ISO week before publication",
        )
    if kind == "month":
        first = day.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        return (
            f"in {day:%B}",
            f"{day:%Y-%m}",
            first,
            nxt - dt.timedelta(days=1),
            f"in {day:%B} → {day:%Y-%m}: most recent before publication",
        )
    year = day.year - rng.randrange(0, 3)
    return f"in {year}", str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year} → the year {year}"


def synthetic_tables(
    n_events: int, seed: int = 0, events_per_doc: int = 20, start: dt.date = dt.date(2016, 1, 1), years: int = 8
) -> dict[str, pd.DataFrame]:
    """Build events, documents, places and mentions frames with ``n_events`` event rows."""
    docs: list[dict] = []
    batches = list(_batches(n_events, docs, seed, events_per_doc, start, years, batch=max(n_events, 1)))
    events = pd.concat([b[0] for b in batches], ignore_index=True) if batches else pd.DataFrame()
    mentions = pd.concat([b[1] for b in batches], ignore_index=True) if batches else pd.DataFrame()
    return {"events": events, "documents": documents_frame(docs), "places": places_frame(), "mentions": mentions}


def documents_frame(docs: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(docs).drop(columns="_date")


def places_frame() -> pd.DataFrame:
    return pd.DataFrame([{"name": p[0], "lat": p[1], "lon": p[2], "kind": p[3], "country": p[4]} for p in PLACES])


def _batches(
    n_events: int, docs: list[dict], seed: int, events_per_doc: int, start: dt.date, years: int, batch: int
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Event and mention frames of at most ``batch`` events each, in order; ``docs`` is filled first and
    its event counts are complete once the last batch is out. The same rows whatever the batch size."""
    rng = random.Random(seed)
    kinds = [k[:2] for k in KINDS]
    kind_weights = [k[2] for k in KINDS]
    n_docs = max(1, n_events // events_per_doc)
    for d in range(n_docs):
        undated = rng.random() < 0.04
        published = start + dt.timedelta(days=rng.randrange(365 * years))
        docs.append(
            {
                "doc_id": f"syn_{d:06d}",
                "file": f"syn_{d:06d}.txt",
                "title": f"Report {d} on the war in Syria",
                "publisher": PUBLISHERS[d % len(PUBLISHERS)],
                "url": f"https://news.example/{published:%Y/%m/%d}/report-{d}" if not undated else "",
                "published": "" if undated else published.isoformat(),
                "published_basis": "unknown" if undated else "metadata",
                "status": "ok",
                "reason": "",
                "events": 0,
                "_date": published,
            }
        )
    coords = {p[0]: (p[1], p[2]) for p in PLACES}
    events: list[dict] = []
    mentions: list[dict] = []
    for i in range(n_events):
        if len(events) >= batch:
            yield _frames(events, mentions, coords)
            events, mentions = [], []
        doc = docs[i % n_docs]
        doc["events"] += 1
        if doc["published"]:
            kind, basis = rng.choices(kinds, kind_weights)[0]
        else:
            kind, basis = "unknown", "unresolved"
        time_text, value, d0, d1, resolution = _time_for(kind, basis, doc["_date"], rng)
        actor_idx = sorted(set(rng.choices(range(len(ACTORS)), ACTOR_WEIGHTS, k=rng.choice((1, 1, 2, 2, 3)))))
        place_idx = sorted(set(rng.choices(range(len(PLACES)), PLACE_WEIGHTS, k=rng.choice((0, 1, 1, 1, 2)))))
        actors = [ACTORS[a] for a in actor_idx]
        places = [PLACES[p] for p in place_idx]
        sentence_start = 200 * (i // n_docs)
        # Build the sentence while recording each span's offset in it.
        parts: list[tuple[str, str, str]] = []  # (text, kind, value)
        if i % 37 == 5:
            parts.append(("- ", "", ""))  # a bullet line, as scraped lists often give (and a spreadsheet trap)
        if time_text:
            parts += [(time_text[0].upper() + time_text[1:], "time", value), (", ", "", "")]
        parts.append((actors[0][0], "actor", actors[0][0]))
        parts.append((f" {rng.choice(VERBS)} ", "", ""))
        parts.append((" and ".join(a[0] for a in actors[1:]) or "militants", "", ""))
        if places:
            parts.append((" in ", "", ""))
            for j, p in enumerate(places):
                parts += [(" and " if j else "", "", ""), (p[0], "place", p[0])]
        parts.append((", officials said.", "", ""))
        sentence, offset = "", sentence_start
        for text, kind_, val in parts:
            if kind_:
                mentions.append(
                    {
                        "doc_id": doc["doc_id"],
                        "kind": kind_,
                        "text": text,
                        "char_start": offset,
                        "char_end": offset + len(text),
                        "value": val,
                        "lat": None,
                        "lon": None,
                    }
                )
            sentence += text
            offset += len(text)
        for a in actors[1:]:
            pos = sentence.rfind(a[0])
            mentions.append(
                {
                    "doc_id": doc["doc_id"],
                    "kind": "actor",
                    "text": a[0],
                    "char_start": sentence_start + pos,
                    "char_end": sentence_start + pos + len(a[0]),
                    "value": a[0],
                    "lat": None,
                    "lon": None,
                }
            )
        t_start = sentence_start if time_text else None
        events.append(
            {
                "event_id": f"{doc['doc_id']}-{i // n_docs:04d}",
                "doc_id": doc["doc_id"],
                "published": doc["published"],
                "sentence": sentence,
                "time_text": time_text,
                "char_start": t_start,
                "char_end": t_start + len(time_text) if time_text else None,
                "time_value": value,
                "date_start": d0.isoformat() if d0 else "",
                "date_end": d1.isoformat() if d1 else "",
                "granularity": kind if d0 else "unknown",
                "date_basis": basis,
                "resolution": resolution,
                "actors": "; ".join(a[0] for a in actors),
                "locations": "; ".join(p[0] for p in places),
                "sentence_index": i // n_docs,
                "sentence_start": sentence_start,
                "sentence_end": sentence_start + len(sentence),
                "sentence_kind": "body",
                "event_type": rng.choice(EVENT_TYPES),
                "actor_types": "; ".join(a[1] for a in actors),
                "affiliations": "; ".join(a[2] for a in actors),
                "countries": "; ".join(sorted({p[4] for p in places})),
                "modifier": "",
                "publisher": doc["publisher"],
                "title": doc["title"],
                "url": doc["url"],
                "lat": places[0][1] if places else None,
                "lon": places[0][2] if places else None,
                "place_precision": 1 if places else None,
                "published_basis": doc["published_basis"],
            }
        )
    if events:
        yield _frames(events, mentions, coords)


def _frames(events: list[dict], mentions: list[dict], coords: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    for m in mentions:
        if m["kind"] == "place":
            m["lat"], m["lon"] = coords[m["value"]]
    return pd.DataFrame(events), pd.DataFrame(mentions)


def write_synthetic(out_dir: Path, n_events: int, seed: int = 0, layout: str = "auto", batch: int = BATCH) -> Path:
    """Write a synthetic table into ``out_dir`` with the contract's file names, ``batch`` events at a time
    (memory stays flat at any size).

    ``layout`` "single": ``events.parquet``, ``events.csv``, ``documents.csv``, ``mentions.csv``, ``places.csv``;
    "dataset": what a build past its single-files line writes, ``events/`` and ``mentions/`` parts (one per
    batch), ``documents/``, ``manifest.json`` listing the parts, and ``places.csv``; "auto": as the build chooses
    (the dataset alone past ``SINGLE_FILE_DOCUMENTS`` documents)."""
    if layout == "auto":
        layout = "dataset" if n_events // EVENTS_PER_DOC > SINGLE_FILE_DOCUMENTS else "single"
    if layout not in ("single", "dataset"):
        raise ValueError(f"layout must be single, dataset or auto, not {layout!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    docs: list[dict] = []
    batches = _batches(n_events, docs, seed, EVENTS_PER_DOC, dt.date(2016, 1, 1), 8, batch=max(batch, 1))
    schemas: dict[str, pa.Schema] = {}
    parts: list[str] = []
    writer = None
    for n, (events, mentions) in enumerate(batches):
        ev = _arrow(events, "events", schemas)
        if layout == "dataset":
            part = f"part-synthetic-{n:05d}"
            parts.append(part)
            for table, frame in (("events", ev), ("mentions", _arrow(mentions, "mentions", schemas))):
                (out_dir / table).mkdir(exist_ok=True)
                pq.write_table(frame, out_dir / table / f"{part}.parquet")
            continue
        writer = writer or pq.ParquetWriter(out_dir / "events.parquet", ev.schema)
        writer.write_table(ev)
        events.to_csv(out_dir / "events.csv", index=False, mode="w" if n == 0 else "a", header=n == 0)
        mentions.to_csv(out_dir / "mentions.csv", index=False, mode="w" if n == 0 else "a", header=n == 0)
    if writer is not None:
        writer.close()
    documents = documents_frame(docs)
    if layout == "dataset":
        (out_dir / "documents").mkdir(exist_ok=True)
        first = parts[0] if parts else "part-synthetic-00000"
        documents_file = out_dir / "documents" / f"{first}.parquet"
        pq.write_table(pa.Table.from_pandas(documents, preserve_index=False), documents_file)
        manifest = {"sources": [], "parts": parts, "documents": len(docs), "single_files": False}
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    else:
        documents.to_csv(out_dir / "documents.csv", index=False)
    places_frame().to_csv(out_dir / "places.csv", index=False)
    return out_dir


def _arrow(frame: pd.DataFrame, name: str, schemas: dict[str, pa.Schema]) -> pa.Table:
    """The frame as Arrow with the first batch's schema (a later batch may lack a value that fixes a type)."""
    if name not in schemas:
        schemas[name] = pa.Table.from_pandas(frame, preserve_index=False).schema.remove_metadata()
    return pa.Table.from_pandas(frame, schema=schemas[name], preserve_index=False).replace_schema_metadata(None)
