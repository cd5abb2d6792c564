"""Assemble the event table and its companion tables from one document's annotations.

One row per temporal expression that names a calendar date or period, plus one
row per sentence that names an actor or a place but no date of its own
(``reported``, or ``inherited`` where the narrative continues).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import pyarrow as pa

from pipeline import clause, resolve
from pipeline.records import (
    Actor,
    Article,
    Candidate,
    CleanText,
    Mention,
    Place,
    PubDate,
    Sentence,
    TimeExpr,
    TimeValue,
)
from pipeline.versions import installed_version

if TYPE_CHECKING:  # pandas is imported only where a frame is asked for: the command-line build never needs it
    import pandas as pd

# The contract's columns first (DESIGN.md), then the extras the dashboard uses.
EVENT_COLUMNS = [
    "event_id", "doc_id", "published", "sentence", "time_text", "char_start", "char_end", "time_value",
    "date_start", "date_end", "granularity", "date_basis", "resolution", "actors", "locations",
    "actor_sources", "sentence_index", "sentence_start", "sentence_end", "sentence_kind", "event_type",
    "actor_types",
    "affiliations", "countries", "modifier", "publisher", "title", "url", "lat", "lon", "place_precision",
    "published_basis", "incident_id",
]  # fmt: skip
DOCUMENT_COLUMNS = [
    "doc_id", "file", "title", "publisher", "url", "published", "published_basis", "status", "reason", "events",
    "published_evidence", "ambiguous", "alternative_date", "date_conflict", "byline", "dateline", "dateline_place",
]  # fmt: skip
# One row per incident (pipeline/incidents/): the contract's columns, then why its members were joined and
# how many event rows it holds.
INCIDENT_COLUMNS = [
    "incident_id", "date_start", "date_end", "granularity", "place", "lat", "lon", "actors", "event_type",
    "sources", "documents", "first_reported", "date_agreement", "explanation", "reports",
]  # fmt: skip
INCIDENT_COUNTS = ("sources", "documents", "reports")
PLACE_COLUMNS = ["name", "lat", "lon", "kind", "country", "precision", "admin1"]
MENTION_COLUMNS = [
    "doc_id",
    "kind",
    "text",
    "char_start",
    "char_end",
    "value",
    "lat",
    "lon",
    "precision",
    "sentence_index",
]
CANDIDATE_COLUMNS = ["name", "count", "documents", "example_sentence", "example_doc"]
INT_COLUMNS = ["char_start", "char_end", "sentence_index", "sentence_start", "sentence_end", "place_precision"]
FLOAT_COLUMNS = ["lat", "lon"]
JOIN = "; "


class Annotated(NamedTuple):
    """Everything the stages found in one sentence (a named tuple, made for every sentence: see records)."""

    sentence: Sentence
    exprs: Sequence[TimeExpr]
    values: Sequence[TimeValue]
    actors: Sequence[Mention]
    places: Sequence[tuple[Mention, Place]]
    event_type: str


def _unique(items: Sequence[str]) -> list[str]:
    if len(items) == 1:  # most sentences name one actor or one place: no generator, no dict
        return [items[0]] if items[0] else []
    return list(dict.fromkeys([i for i in items if i]))


def _iso(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


def rows_for_document(
    article: Article,
    pub: PubDate,
    annotated: Sequence[Annotated],
    actor_dictionary: dict[str, Actor],
    rules: object,
) -> list[dict]:
    sentences = [a.sentence for a in annotated]
    rows: list[dict] = []
    previous: TimeValue | None = None
    document = _document_columns(article, pub)
    for item in annotated:
        s = item.sentence
        if item.exprs:
            shared = _sentence_columns(document, item, actor_dictionary)
            own = _clause_items(item) if len(item.exprs) > 1 else None
            for k, (expr, value) in enumerate(zip(item.exprs, item.values, strict=True)):
                columns = shared if own is None else _sentence_columns(document, own[k], actor_dictionary)
                rows.append(
                    {"event_id": f"{article.doc_id}-s{s.index:03d}-t{k}", "time_text": expr.text,
                     "char_start": expr.start, "char_end": expr.end, **_time_columns(value), **columns}
                )  # fmt: skip
                if value.start is not None:
                    previous = value
        elif item.actors or item.places:
            shared = _sentence_columns(document, item, actor_dictionary)
            value = resolve.date_without_expression(sentences, s.index, previous, pub, rules)  # type: ignore[arg-type]
            rows.append(
                {"event_id": f"{article.doc_id}-s{s.index:03d}-r", "time_text": "", "char_start": None,
                 "char_end": None, **_time_columns(value), **shared}
            )  # fmt: skip
    return rows


# The contract's granularities; a season or a decade is reported as the range of days it covers
# (its time_value still says which, e.g. 2019-WI or 199).
GRANULARITIES = frozenset({"day", "week", "month", "quarter", "year", "range", "unknown"})


def _time_columns(value: TimeValue) -> dict:
    return {
        "time_value": value.value,
        "date_start": _iso(value.start),
        "date_end": _iso(value.end),
        "granularity": value.granularity if value.granularity in GRANULARITIES else "range",
        "date_basis": value.basis,
        "resolution": value.resolution,
        "modifier": value.modifier,
    }


def _document_columns(article: Article, pub: PubDate) -> dict:
    """The columns every row of a document shares (made once per document, not per sentence)."""
    return {
        "doc_id": article.doc_id,
        "published": _iso(pub.date),
        "published_basis": pub.basis,
        "publisher": article.publisher,
        "title": article.title,
        "url": article.url,
    }


def _clause_items(item: Annotated) -> list[Annotated] | None:
    """Per expression, the sentence narrowed to the actors and places of its own clause; None when the
    sentence is one event (its expressions share a clause) or a clause with a date names no actor.

    "Russian jets struck Jisr al-Shughur on September 2, while Turkish troops entered Idlib on Monday":
    the first row carries Russia and Jisr al-Shughur, the second Turkey and Idlib.
    """
    s = item.sentence
    starts = clause.clause_starts(s.text)
    if len(starts) == 1:
        return None

    def clause_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset - s.start) - 1

    own = [clause_of(e.start) for e in item.exprs]
    if len(set(own)) == 1:
        return None
    actors_in = {c: [m for m in item.actors if clause_of(m.start) == c] for c in set(own)}
    if not all(actors_in.values()):
        return None
    places_in = {c: [p for p in item.places if clause_of(p[0].start) == c] for c in set(own)}
    split_places = all(places_in.values())
    return [
        item._replace(actors=actors_in[c], places=places_in[c] if split_places else item.places) for c in own
    ]


def _sentence_columns(document: dict, item: Annotated, dictionary: dict[str, Actor]) -> dict:
    s = item.sentence
    actors = actor_sources = actor_types = affiliations = locations = countries = ""
    if item.actors:  # most sentences name one actor or none: no joins to make without one
        names = _unique([m.value for m in item.actors])
        known = [dictionary[n] for n in names if n in dictionary]
        actors = JOIN.join(names)
        # aligned with ``actors``: where each name came from (the dictionary, or detected in the text)
        actor_sources = JOIN.join([dictionary[n].source if n in dictionary else "detected" for n in names])
        actor_types = JOIN.join(_unique([a.type for a in known]))
        affiliations = JOIN.join(_unique([a.affiliation for a in known]))
    first = item.places[0] if item.places else None
    if first is not None:
        places = [first[1]] if len(item.places) == 1 else list(dict.fromkeys([p for _, p in item.places]))
        locations = JOIN.join(_unique([p.name for p in places]))
        countries = JOIN.join(_unique([p.country for p in places]))
    return {
        "doc_id": document["doc_id"],
        "published": document["published"],
        "published_basis": document["published_basis"],
        "sentence": s.text,
        "actors": actors,
        "actor_sources": actor_sources,
        "locations": locations,
        "sentence_index": s.index,
        "sentence_start": s.start,
        "sentence_end": s.end,
        "sentence_kind": s.kind,
        "event_type": item.event_type,
        "actor_types": actor_types,
        "affiliations": affiliations,
        "countries": countries,
        "publisher": document["publisher"],
        "title": document["title"],
        "url": document["url"],
        "lat": first[1].lat if first else None,
        "lon": first[1].lon if first else None,
        "place_precision": (first[0].precision or first[1].precision) if first else None,
    }


def mentions_for_document(annotated: Sequence[Annotated]) -> list[dict]:
    rows: list[dict] = []
    for item in annotated:
        s = item.sentence
        for expr, value in zip(item.exprs, item.values, strict=True):
            rows.append(_mention_row(Mention("time", expr.text, expr.start, expr.end, value.value), s))
        rows.extend(_mention_row(m, s) for m in item.actors)
        rows.extend(_mention_row(m, s) for m, _ in item.places)
    return rows


def _mention_row(m: Mention, sentence: Sentence) -> dict:
    return {
        "doc_id": sentence.doc_id, "kind": m.kind, "text": m.text, "char_start": m.start, "char_end": m.end,
        "value": m.value, "lat": m.lat, "lon": m.lon, "precision": m.precision, "sentence_index": sentence.index,
    }  # fmt: skip


def _arrow_type(column: str) -> pa.DataType:
    if column in INT_COLUMNS or column in ("events", "count", "precision"):
        return pa.int64()
    if column in FLOAT_COLUMNS:
        return pa.float64()
    return pa.bool_() if column == "ambiguous" else pa.string()


def schema(columns: list[str]) -> pa.Schema:
    if columns == INCIDENT_COLUMNS:  # its "documents" is a count (in candidates.csv, a list of names)
        return pa.schema([(c, pa.int64() if c in INCIDENT_COUNTS else _arrow_type(c)) for c in columns])
    return pa.schema([(c, _arrow_type(c)) for c in columns])


def _pandas_version() -> str:
    return installed_version("pandas")


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """Nullable ints, floats, and strings that are "" (never missing) when empty."""
    import pandas as pd

    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}.get)


def table(rows: Sequence[dict], columns: list[str]) -> pa.Table:
    """Build column by column through Arrow: one dtype rule however a table was made, and fast."""
    arrays = []
    for column, kind in zip(columns, schema(columns).types, strict=True):
        values = [row.get(column) for row in rows]
        if kind == pa.string():
            values = ["" if v is None else v for v in values]
        arrays.append(pa.array(values, type=kind))
    return pa.Table.from_arrays(arrays, schema=schema(columns))


def _frame(rows: Sequence[dict], columns: list[str]) -> pd.DataFrame:
    return to_pandas(table(rows, columns))


def with_pandas_metadata(table: pa.Table) -> pa.Table:
    """``table`` with the schema metadata ``pa.Table.from_pandas`` attaches to a frame of our dtypes.

    Parquet files written from a pandas frame carry it; tables built straight in Arrow add the same
    bytes here (tested equal to pyarrow's own), so a file is identical whichever way it was made,
    without importing pandas (half a second) on the command line.
    """
    kinds = {pa.string(): ("unicode", "string"), pa.int64(): ("int64", "Int64"), pa.float64(): ("float64", "float64"),
             pa.bool_(): ("bool", "bool")}  # fmt: skip
    columns = [
        {"name": f.name, "field_name": f.name, "pandas_type": kinds[f.type][0], "numpy_type": kinds[f.type][1],
         "metadata": None}
        for f in table.schema
    ]  # fmt: skip
    meta = {
        "index_columns": [], "column_indexes": [], "columns": columns, "attributes": {},
        "creator": {"library": "pyarrow", "version": pa.__version__}, "pandas_version": _pandas_version(),
    }  # fmt: skip
    return table.replace_schema_metadata({"pandas": json.dumps(meta)})


def events_frame(rows: Sequence[dict]) -> pd.DataFrame:
    return _frame(rows, EVENT_COLUMNS)


def document_row(
    article: Article, cleaned: CleanText | None, pub: PubDate, events: int, dateline_place: str = ""
) -> dict:
    return {
        "doc_id": article.doc_id,
        "file": article.file,
        "title": article.title or (cleaned.title if cleaned else ""),
        "publisher": article.publisher,
        "url": article.url,
        "published": _iso(pub.date),
        "published_basis": pub.basis,
        "status": article.status,
        "reason": article.reason,
        "events": events,
        "published_evidence": pub.evidence,
        "ambiguous": bool(pub.ambiguous),
        "alternative_date": _iso(pub.alternative),
        "date_conflict": pub.conflict,
        "byline": cleaned.byline if cleaned else "",
        "dateline": cleaned.dateline if cleaned else "",
        "dateline_place": dateline_place,  # where the report was filed (a row of places.csv), not an event place
    }


def documents_frame(docs: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    """Rows from ``(article, cleaned, pub, events[, dateline_place])`` tuples."""
    return _frame([document_row(*doc) for doc in docs], DOCUMENT_COLUMNS)


def places_table(places: Iterable[Place]) -> pa.Table:
    """One row per place name (the first seen), sorted by name."""
    unique: dict[str, Place] = {}
    for p in places:
        unique.setdefault(p.name, p)
    rows = [
        {"name": p.name, "lat": p.lat, "lon": p.lon, "kind": p.kind, "country": p.country, "precision": p.precision,
         "admin1": p.admin1}
        for p in sorted(unique.values(), key=lambda p: p.name)
    ]
    return table(rows, PLACE_COLUMNS)


def places_frame(places: Sequence[Place]) -> pd.DataFrame:
    return to_pandas(places_table(places))


def mentions_frame(mentions: Sequence[dict]) -> pd.DataFrame:
    return _frame(mentions, MENTION_COLUMNS)


def candidates_table(candidates: Iterable[Candidate]) -> pa.Table:
    return table(_grouped_candidates([(c.name, 1, [c.doc_id], c.sentence, c.doc_id) for c in candidates]),
                 CANDIDATE_COLUMNS)  # fmt: skip


def candidates_frame(candidates: Sequence[Candidate]) -> pd.DataFrame:
    return to_pandas(candidates_table(candidates))


def merge_candidates(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per name across two candidate tables: counts added, documents joined, the first example kept."""
    rows = _grouped_candidates([
        (r["name"], int(r["count"]), r["documents"].split(JOIN), r["example_sentence"], r["example_doc"])
        for frame in (old, new)
        for r in frame.to_dict("records")
    ])
    return _frame(rows, CANDIDATE_COLUMNS)


def _grouped_candidates(items: Iterable[tuple[str, int, list[str], str, str]]) -> list[dict]:
    grouped: dict[str, dict] = {}
    for name, count, documents, sentence, doc_id in items:
        entry = grouped.setdefault(
            name, {"name": name, "count": 0, "documents": [], "example_sentence": sentence, "example_doc": doc_id}
        )
        entry["count"] += count
        known = entry["documents"]
        for d in documents:  # a loop, not a generator into extend: each test sees the documents added before it
            if d and d not in known:
                known.append(d)
    rows = [{**e, "documents": JOIN.join(e["documents"])} for e in grouped.values()]
    rows.sort(key=lambda e: (-e["count"], e["name"]))
    return rows
