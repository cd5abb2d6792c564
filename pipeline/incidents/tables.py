"""The incident tables of a build: the event rows grouped (``summary``) and written back as Arrow tables,
and the publication dates the incidents bound for undated documents.

Pure functions over the assembled tables of the whole corpus.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyarrow as pa

from pipeline import events
from pipeline.incidents.corpus_words import page_countries
from pipeline.incidents.rules import CLOCK, CLOCK_REPORTED, COLUMNS_READ, DATED
from pipeline.incidents.summary import incidents_by_month


def inferred_publication(
    columns: Mapping[str, Sequence], ids: Sequence[str], incident_rows: Sequence[dict], undated: set[str]
) -> dict[str, tuple[str, str]]:
    """For each undated document that reports an incident other, dated documents reported after it happened:
    the earliest date it can have been published (it reports a past incident: not before the incident) and
    why. Only a lower bound: its relative dates ("on Sunday") stay unresolved, since no bound of this kind
    makes them exact."""
    by_id = {r["incident_id"]: r for r in incident_rows}
    members: dict[str, list[int]] = {}
    for i, incident in enumerate(ids):
        if incident:
            members.setdefault(incident, []).append(i)
    bounds: dict[str, tuple[str, str]] = {}
    for incident, rows in members.items():
        row = by_id[incident]
        docs = {columns["doc_id"][i] for i in rows}
        others = sorted({(columns["published"][i], columns["publisher"][i] or columns["doc_id"][i])
                         for i in rows if columns["doc_id"][i] not in undated and columns["published"][i]})  # fmt: skip
        if not others or others[0][0] < row["date_end"]:  # none dated, or one reported it before it ended
            continue
        for doc in docs & undated:
            if doc in bounds and bounds[doc][0] >= row["date_start"]:
                continue
            named = ", ".join(f"{who} {when}" for when, who in others[:3]) + (" …" if len(others) > 3 else "")
            bounds[doc] = (
                row["date_start"],
                f"not before {row['date_start']}: reports incident {incident} ({row['explanation']}), dated by "
                f"{len(others)} other report{'s' if len(others) > 1 else ''} ({named}); its relative dates stay "
                "unresolved (a lower bound does not fix them)",
            )
    return bounds


def corpus_incidents(
    columns: Mapping[str, Sequence], undated: set[str], places: Mapping[str, tuple], parties: Mapping[str, str],
    provinces: frozenset[str], years: Mapping[str, int] | None = None, days: Mapping[str, tuple] | None = None,
    worded: frozenset[str] = frozenset(), countries: Mapping[str, frozenset[str]] | None = None,
    every: Mapping[str, Sequence] | None = None,
) -> tuple[list[str], list[tuple[int, list[dict]]], dict[str, tuple[str, str]]]:
    """The incidents of the corpus (or of some months of it) from ``columns`` (``rules.COLUMNS_READ`` of the
    event rows that have a date of their own, in input order) and the ``undated`` documents (their status
    ``ok`` and no publication date, as processed: no date inferred yet): each row's incident id, the incident
    rows of each month (``summary.incidents_by_month``), and the publication dates bounded for undated
    documents (``inferred_publication``). ``years``, ``days``, ``worded``: as ``rows.rows_from``; ``countries``: those
    every row of each undated document names (``corpus_words.page_countries``); ``every``: the ``doc_id`` and
    ``actors`` of every event row (``corpus_dates.row_months``)."""
    ids, by_month = incidents_by_month(columns, parties, places, provinces, years, days, worded, countries, every)
    if not undated:
        return ids, by_month, {}
    return ids, by_month, inferred_publication(columns, ids, [r for _, rows in by_month for r in rows], undated)


def places_by_name(places: pa.Table) -> dict[str, tuple]:
    return {p["name"]: (p["lat"], p["lon"], p["kind"], p["country"], p["precision"], p["admin1"] or "")
            for p in places.to_pylist()}


def dated_positions(evts: pa.Table) -> list[int]:
    """The rows with a date of their own: the only ones that can be incidents (and times of day their page's
    publication dates). (Picked in Python: Arrow's take or
    filter would import pyarrow.compute, ~0.07 s.)"""
    basis = evts.column("date_basis").to_pylist()
    if not CLOCK_REPORTED:
        return [i for i, b in enumerate(basis) if b in DATED]
    # and a time of day its page's publication alone dates ("started around 10 PM": ``rows.rows_from``)
    texts = evts.column("time_text").to_pylist()
    return [i for i, b in enumerate(basis) if b in DATED or b == "reported" and texts[i] and CLOCK.search(texts[i])]


def with_incidents(
    evts: pa.Table, documents: pa.Table, places: pa.Table, parties: Mapping[str, str], provinces: frozenset[str]
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """The event table with each row's ``incident_id``, the documents table with the publication dates the
    incidents bound (``inferred_publication``; the events' ``published`` columns follow), and the incidents
    table. ``parties``, ``provinces``: as ``summary.incidents_of``. A date inferred before (a table read back)
    is dropped first, so the result is the same as from the tables as processed."""
    docs = documents.to_pylist()
    if any(_was_inferred(d) for d in docs):
        docs = _inferred(docs, {})
        documents = events.table(docs, events.DOCUMENT_COLUMNS)
        evts = _published(evts, {d["doc_id"]: d for d in docs})
    positions = dated_positions(evts)
    columns = {}
    for name in (*COLUMNS_READ, "countries"):  # (the countries: of the news an undated page's weekday may take)
        values = evts.column(name).to_pylist()
        columns[name] = [values[i] for i in positions]
    undated = {d["doc_id"] for d in docs if d["status"] == "ok" and not d["published"]}
    # (every row of an undated page: its weekday takes no day of news of countries it never names)
    countries = page_countries(evts.select(["doc_id", "countries"]).to_pydict(), undated) if undated else {}
    # (and the names every row of each page gives: a day of news of a town names the people an undated page's
    # weekday there names)
    every = evts.select(["doc_id", "actors"]).to_pydict() if undated else None
    dated_ids, by_month, bounds = corpus_incidents(columns, undated, places_by_name(places), parties, provinces,
                                                   countries=countries, every=every)  # fmt: skip
    rows = [row for _, found in by_month for row in found]
    ids = [""] * len(evts)
    for position, incident in zip(positions, dated_ids, strict=True):
        ids[position] = incident
    evts = evts.set_column(evts.schema.get_field_index("incident_id"), "incident_id", pa.array(ids, pa.string()))
    if bounds:
        docs = _inferred(docs, bounds)
        documents = events.table(docs, events.DOCUMENT_COLUMNS)
        evts = _published(evts, {d["doc_id"]: d for d in docs if d["doc_id"] in bounds})
    return evts, documents, events.table(rows, events.INCIDENT_COLUMNS)


def _published(evts: pa.Table, docs: Mapping[str, dict]) -> pa.Table:
    """The event rows with the publication date (and its basis) of their documents in ``docs``."""
    doc_ids = evts.column("doc_id").to_pylist()
    for name in ("published", "published_basis"):
        values = [docs[doc][name] if doc in docs else value
                  for doc, value in zip(doc_ids, evts.column(name).to_pylist(), strict=True)]  # fmt: skip
        evts = evts.set_column(evts.schema.get_field_index(name), name, pa.array(values, pa.string()))
    return evts


def _was_inferred(document: dict) -> bool:
    return document["published_basis"] == "inferred"


def _inferred(documents: list[dict], bounds: dict[str, tuple[str, str]]) -> list[dict]:
    """The documents rows with the publication dates inferred from the corpus (basis ``inferred``); one inferred
    before that the corpus no longer bounds is unknown again."""
    changed = []
    for d in documents:
        if d["doc_id"] in bounds:
            d = {**d, "published": bounds[d["doc_id"]][0], "published_basis": "inferred",
                 "published_evidence": bounds[d["doc_id"]][1]}  # fmt: skip
        elif _was_inferred(d):
            d = {**d, "published": "", "published_basis": "unknown", "published_evidence": ""}
        changed.append(d)
    return changed
