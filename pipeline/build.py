"""Run every stage over every document and gather the tables.

``process_document`` is pure: one article in, its rows out, so the same
function runs here in a loop, in a process pool, or elsewhere later.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from pipeline import (
    actors,
    clean,
    datelines,
    engine,
    events,
    eventtypes,
    incidents,
    ingest,
    namekeys,
    neardup,
    patterns,
    places,
    pubdate,
    resolve,
    sentences,
    timex,
)  # fmt: skip
from pipeline.incidents import tables as incident_tables
from pipeline.records import Article, Candidate, CleanText, Place, PubDate
from pipeline.settings import Settings

if TYPE_CHECKING:  # the command-line build never imports pandas (half a second); the dashboard's calls do
    import pandas as pd

    from pipeline import store, streaming


@dataclass(frozen=True)
class Resources:
    """Rules and dictionaries, loaded once and passed to every document."""

    timex: timex.TimexRules
    actors: actors.ActorIndex
    gazetteer: places.Gazetteer
    event_types: eventtypes.EventTypeRules
    pubdate_fixes: dict[str, dt.date]
    provinces: frozenset[str] = frozenset()  # names of the curated provinces (incidents read "Idlib" as one)


def load_resources(settings: Settings) -> Resources:
    actor_index = actors.load_index(settings.data_dir)
    res = Resources(
        timex=timex.load_rules(settings.data_dir),
        actors=actor_index,
        gazetteer=places.load_gazetteer(settings.data_dir, actor_index),  # one actor index, loaded once
        event_types=eventtypes.load_rules(settings.data_dir),
        pubdate_fixes=pubdate.load_fixes(settings.pubdate_fixes),
        provinces=provinces_of(settings),
    )
    patterns.save()  # the regular expressions compiled anew, kept for the next build
    return res


def provinces_of(settings: Settings) -> frozenset[str]:
    with open(settings.data_dir / "places.csv", newline="", encoding="utf-8") as f:
        return frozenset(row["name"] for row in csv.DictReader(f) if row["kind"] == "admin")


@dataclass(frozen=True)
class DocResult:
    article: Article
    cleaned: CleanText | None
    pub: PubDate
    rows: tuple[dict, ...]
    mentions: tuple[dict, ...]
    places: tuple[Place, ...]
    candidates: tuple[Candidate, ...]
    dateline_place: str = ""  # where the report was filed, as a row of places.csv


UNKNOWN_DATE = PubDate(date=None, basis="unknown")


def process_document(
    article: Article, res: Resources, settings: Settings, cleaned: CleanText | None = None
) -> DocResult:
    """Every stage over one article; ``cleaned`` is ingest's cleaning of it, when there is one."""
    if article.status != "ok":
        return DocResult(article, None, UNKNOWN_DATE, (), (), (), ())
    # The stages share one tokenisation per sentence (namekeys.tokens_of), for this document only: a sentence met
    # again in another document is tokenised again, so a corpus that repeats sentences (the bench composes its
    # articles from a few dozen templates: 3,047 distinct sentences in 24,859) costs what a real one would
    # (cross-document hits were 0.74 of 4.18 s of the bench's per-document CPU).
    article, cleaned, pub = _prepared(article, res, settings, cleaned)
    return _analysed(article, res, settings, cleaned, pub)


def _prepared(
    article: Article, res: Resources, settings: Settings, cleaned: CleanText | None
) -> tuple[Article, CleanText, PubDate]:
    """An ok article with its cleaning and publication date: what a duplicate needs (its documents row)."""
    cleaned = cleaned or clean.clean(article)
    if not article.title and cleaned.title:  # the headline cleaning found: every row carries it, as documents.csv
        article = replace(article, title=cleaned.title)
    return article, cleaned, pubdate.find_publication_date(article, cleaned, settings, res.pubdate_fixes)


def _analysed(article: Article, res: Resources, settings: Settings, cleaned: CleanText, pub: PubDate) -> DocResult:
    """The stages after the publication date, over a prepared article."""
    namekeys.tokens_of.cache_clear()
    sents = sentences.split(article, cleaned)
    order = (
        article.date_order
        or settings.date_order_by_publisher.get(article.publisher, "")
        or settings.default_date_order
    )
    exprs = [timex.detect(s, res.timex, order) for s in sents]
    values = resolve.resolve_document(sents, exprs, pub, res.timex)
    walks = actors.document_walks(sents, res.actors)  # one dictionary walk per sentence for the three stages
    named = actors.read_actors(sents, res.actors, walks)  # dictionary names, then actors detected in the text
    actor_mentions = named.mentions
    place_hits = places.find_places(sents, res.gazetteer, walks)  # its actor index is res.actors
    place_hits = [places.outside_names(hits, actor_mentions[i]) for i, hits in enumerate(place_hits)]
    # The event type only goes into a sentence's rows: a sentence without a date, actor or place has none.
    annotated = [
        events.Annotated(s, exprs[i], values[i], actor_mentions[i], place_hits[i],
                         eventtypes.classify(s.text, res.event_types)
                         if exprs[i] or actor_mentions[i] or place_hits[i] else "")
        for i, s in enumerate(sents)
    ]  # fmt: skip
    rows = events.rows_for_document(article, pub, annotated, named.actors, res.timex)
    found = tuple(dict.fromkeys(p for hits in place_hits for _, p in hits))
    candidates = actors.find_candidates(sents, res.actors, actor_mentions, walks)
    filed = _filed(cleaned, res)
    if filed is not None:
        found = tuple(dict.fromkeys((*found, filed)))
    return DocResult(
        article, cleaned, pub, tuple(rows), tuple(events.mentions_for_document(annotated)), found, tuple(candidates),
        filed.name if filed else "",
    )  # fmt: skip


def _filed(cleaned: CleanText, res: Resources) -> Place | None:
    return datelines.dateline_place(cleaned.dateline, res.gazetteer) if cleaned.dateline else None


@dataclass(frozen=True)
class Tables:
    events: pd.DataFrame
    documents: pd.DataFrame
    places: pd.DataFrame
    mentions: pd.DataFrame
    candidates: pd.DataFrame
    incidents: pd.DataFrame


@dataclass(frozen=True)
class ArrowTables:
    """The output tables as Arrow, as the command line builds and writes them (no pandas on that path)."""

    events: pa.Table
    documents: pa.Table
    places: pa.Table
    mentions: pa.Table
    candidates: pa.Table
    incidents: pa.Table

    def to_pandas(self) -> Tables:
        return Tables(**{name: events.to_pandas(getattr(self, name)) for name in TABLE_NAMES})


TABLE_NAMES = ("events", "documents", "places", "mentions", "candidates", "incidents")
NO_INCIDENTS = events.table([], events.INCIDENT_COLUMNS)


def build(
    sources: Sequence[ingest.Source],
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> Tables:
    """Read every source, process each document, and return the output tables.

    ``on_document(done, total)`` is called after each run of documents (progress bars).
    """
    return build_arrow(sources, settings, on_document).to_pandas()


def build_arrow(
    sources: Sequence[ingest.Source],
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> ArrowTables:
    """As ``build``, in Arrow. Reading and decoding run here, while the workers clean and process the first
    chunks; cleaning, every stage and the rows of the big tables run per chunk of documents (in worker
    processes for large corpora); duplicates are marked as the chunks come back, in input order, from each
    document's text key."""
    res = load_resources(settings)
    clean.default_rules(settings.data_dir)  # loaded once here, inherited by the workers
    state = ingest.RunState()
    articles = ingest.uncleaned_articles(ingest.existing(sources), settings, state)
    chunks: Iterable[tuple[Sequence[Article], Chunk]] = engine.map_stream(
        process_chunk, articles, res, settings, on_document
    )
    return with_incidents(assemble(chunks, state), res)


def with_incidents(tables: ArrowTables, res: Resources) -> ArrowTables:
    """The tables with the event rows of the whole corpus grouped into incidents (``incidents``), and the
    publication dates of undated documents bounded by the incidents they report."""
    evts, documents, table = incident_tables.with_incidents(
        tables.events, tables.documents, tables.places, _parties(res), res.provinces
    )
    return replace(tables, events=evts, documents=documents, incidents=table)


def _parties(res: Resources) -> dict[str, str]:
    return incidents.parties_of({a.name: (a.type, a.affiliation) for a in res.actors.actors.values()})


def _with_incidents_frames(tables: Tables, res: Resources) -> Tables:
    """As ``with_incidents``, for the frames of a rebuild or an addition."""

    def arrow(frame: pd.DataFrame, columns: list[str]) -> pa.Table:
        return pa.Table.from_pandas(frame[columns], schema=events.schema(columns), preserve_index=False)

    evts, documents, table = incident_tables.with_incidents(
        arrow(tables.events, events.EVENT_COLUMNS), arrow(tables.documents, events.DOCUMENT_COLUMNS),
        arrow(tables.places, events.PLACE_COLUMNS), _parties(res), res.provinces,
    )
    return replace(tables, events=events.to_pandas(evts), documents=events.to_pandas(documents),
                   incidents=events.to_pandas(table))  # fmt: skip


@dataclass(frozen=True)
class Chunk:
    """What one run of documents sends back: small per-document records and the rows of the big tables."""

    keys: list[str | None]  # the duplicate key of each document (None when it is not ok)
    documents: list[dict]  # its documents.csv row, as if it were no duplicate
    event_counts: list[int]
    mention_counts: list[int]
    places: list[tuple[Place, ...]]
    candidates: list[tuple[Candidate, ...]]
    events: pa.Table
    mentions: pa.Table
    sketches: list[neardup.Sketch | None]  # each document's near-duplicate sketch (None when not ok or too short)
    # whether each document was only prepared, as a copy of one its worker processed (``process_chunk``'s ``seen``)
    skipped: list[bool] = field(default_factory=list)


def process_chunk(
    articles: Sequence[Article], res: Resources | None, settings: Settings, seen: neardup.Seen | None = None
) -> Chunk:
    """Clean and process a run of articles; build their event and mention rows as Arrow tables.

    With ``seen`` (a worker's memory of the documents it processed, kept from run to run), a copy of one of
    them is only prepared (its documents row, key and sketch): ``skipped`` says so, and the caller, which
    decides what is a duplicate, processes it again if it is not one."""
    keys, documents, event_counts, mention_counts, found, candidates, sketches = [], [], [], [], [], [], []
    skipped: list[bool] = []
    event_rows: list[dict] = []
    mention_rows: list[dict] = []
    for article in articles:
        article, cleaned = ingest.cleaned_article(article, settings)
        body = ingest.body_text(article, cleaned) if article.status == "ok" and cleaned is not None else None
        keys.append(ingest.key_of(body) if body is not None else None)  # (ingest.text_key)
        sketches.append(neardup.sketch(body) if body is not None else None)
        key, light = keys[-1], False
        if key is None or res is None:
            result = process_document(article, res, settings, cleaned)  # type: ignore[arg-type]  # (not ok)
        else:
            article, cleaned, pub = _prepared(article, res, settings, cleaned)
            light = seen is not None and seen.is_copy(events.document_row(article, cleaned, pub, 0), key, sketches[-1])
            if light:
                filed = _filed(cleaned, res)
                result = DocResult(article, cleaned, pub, (), (), (), (), filed.name if filed else "")
            else:
                result = _analysed(article, res, settings, cleaned, pub)
        skipped.append(light)
        documents.append(
            events.document_row(result.article, result.cleaned, result.pub, len(result.rows), result.dateline_place)
        )
        event_counts.append(len(result.rows))
        mention_counts.append(len(result.mentions))
        found.append(result.places)
        candidates.append(result.candidates)
        event_rows.extend(result.rows)
        mention_rows.extend(result.mentions)
    return Chunk(
        keys, documents, event_counts, mention_counts, found, candidates,
        events.table(event_rows, events.EVENT_COLUMNS), events.table(mention_rows, events.MENTION_COLUMNS), sketches,
        skipped,
    )  # fmt: skip


def assemble(chunks: Iterable[tuple[Sequence[Article], Chunk]], state: ingest.RunState) -> ArrowTables:
    """The output tables from the chunks (each with its articles as read), in input order, gathered as they
    come; a duplicate (the same text, or a near copy: ``neardup``) keeps its documents row only."""
    docs: list[_Doc] = []
    by_id: dict[str, _Doc] = {}
    copies = neardup.Copies()
    event_tables, mention_tables = [], []
    for _articles, chunk in chunks:
        event_tables.append(chunk.events)
        mention_tables.append(chunk.mentions)
        for i, key in enumerate(chunk.keys):
            doc = _Doc(dict(chunk.documents[i]), chunk.event_counts[i], chunk.mention_counts[i], chunk.places[i],
                       chunk.candidates[i])  # fmt: skip
            docs.append(doc)
            by_id[doc.row["doc_id"]] = doc
            if key is not None:
                copies.check(doc, key, chunk.sketches[i], state, by_id.__getitem__)
    kept = [d for d in docs if d.kept]
    return ArrowTables(
        events=_kept(event_tables, [(d.events, d.kept) for d in docs], events.EVENT_COLUMNS),
        documents=events.table([d.row for d in docs], events.DOCUMENT_COLUMNS),
        places=events.places_table([p for d in kept for p in d.places]),
        mentions=_kept(mention_tables, [(d.mentions, d.kept) for d in docs], events.MENTION_COLUMNS),
        candidates=events.candidates_table([c for d in kept for c in d.candidates]),
        incidents=NO_INCIDENTS,
    )


@dataclass
class _Doc:
    """One document as assembled: its documents.csv row, how many rows it has, and whether they are kept."""

    row: dict
    events: int
    mentions: int
    places: tuple[Place, ...]
    candidates: tuple[Candidate, ...]
    kept: bool = True  # False for a duplicate (``neardup.Copies``)


def _kept(tables: list[pa.Table], documents: list[tuple[int, bool]], columns: list[str]) -> pa.Table:
    """One contiguous table of the chunks' rows, without the rows of duplicates (``documents``: each one's rows
    and whether they are kept). Cut out as slices: Arrow's filter would import pyarrow.compute (~0.07 s)."""
    table = pa.concat_tables(tables).combine_chunks() if tables else events.table([], columns)
    if all(kept for _, kept in documents):
        return table
    runs: list[list[int]] = []  # [offset, length] of each run of kept rows
    offset = 0
    for count, kept in documents:
        if kept and count:
            if runs and runs[-1][0] + runs[-1][1] == offset:
                runs[-1][1] += count
            else:
                runs.append([offset, count])
        offset += count
    if not runs:
        return table.slice(0, 0)
    return pa.concat_tables([table.slice(start, length) for start, length in runs]).combine_chunks()


def tables_from(results: Iterable[DocResult]) -> Tables:
    results = list(results)
    return Tables(
        events=events.events_frame([r for res in results for r in res.rows]),
        documents=events.documents_frame(
            [(r.article, r.cleaned, r.pub, len(r.rows), r.dateline_place) for r in results]
        ),
        places=events.places_frame([p for r in results for p in r.places]),
        mentions=events.mentions_frame([m for r in results for m in r.mentions]),
        candidates=events.candidates_frame([c for r in results for c in r.candidates]),
        incidents=events.to_pandas(NO_INCIDENTS),
    )


def process_all(
    articles: Sequence[tuple[Article, CleanText | None]],
    res: Resources,
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> list[DocResult]:
    """``process_document`` over every (cleaned) article, in order; in worker processes for large corpora."""
    runs: Iterable[tuple[Sequence, list[DocResult]]] = engine.map_stream(
        _process_cleaned, articles, res, settings, on_document
    )
    return [result for _, chunk in runs for result in chunk]


def _process_cleaned(
    articles: Sequence[tuple[Article, CleanText | None]], res: Resources, settings: Settings
) -> list[DocResult]:
    return [process_document(a, res, settings, c) for a, c in articles]


@dataclass(frozen=True)
class Summary:
    """What a build into a folder wrote."""

    status: dict[str, int]  # documents per status
    events: int
    places: int
    kept: int  # documents an incremental rebuild did not process again
    single_files: bool  # whether the contract's single files were written (see Settings.single_file_documents)


def build_to_folder(
    sources: Sequence[ingest.Source],
    out_dir: Path,
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
    scheduler: str = "",
    work: Callable[[Sequence[Article], Resources | None, Settings], Chunk] | None = None,
    keep: list[object] | None = None,
) -> Summary:
    """Build the tables from ``sources`` into ``out_dir``, streaming: rows are written as parts of a dataset
    as their documents come back, so memory does not grow with the corpus; then the single files.

    Into a folder built before with the same rules, dictionaries, code and settings, only new or changed
    documents are processed, and the rows of documents that are gone are removed: the result is the same as a
    full build's. ``scheduler`` (``tcp://host:8786``) runs the documents on a Dask cluster (``cluster``).
    ``work`` is what runs per run of documents (``process_chunk``; the fault tests wrap it). ``keep`` receives
    the rules and dictionaries loaded here, for a caller that exits next without freeing them (the command line:
    freeing the gazetteer's 700,000 strings when this function returns took ~0.02 s of a 1k-article build).
    """
    from pipeline import build_state, corrections, incremental, store, streaming
    from pipeline.incidents import months as incident_months

    settings = settings.for_output(out_dir)  # the publication-date fixes made for this folder
    out_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = incremental.build_fingerprint(settings)
    manifest = store.read_manifest(out_dir)
    same_rules = manifest.get("fingerprint") == fingerprint
    parts = store.live_parts(out_dir) if same_rules else []
    previous = incremental.read_index((p, store.read_part(out_dir, "index", p, incremental.INDEXED)) for p in parts)
    staging = store.Staging(out_dir)
    loaded: list[Resources] = []

    def resources() -> Resources:  # loaded only when a document is processed here (not on a cluster)
        if not loaded:
            clean.default_rules(settings.data_dir)  # loaded once here, inherited by the workers
            loaded.append(load_resources(settings))
            if keep is not None:
                keep.append(loaded[0])
        return loaded[0]

    assembler = streaming.Assembler(
        staging, previous, pubdate.load_fixes(settings.pubdate_fixes),
        lambda articles: process_chunk(articles, resources(), settings), settings,
    )  # fmt: skip
    assembler.metadata = ingest.MetadataMemo(
        partial(store.read_metadata_read, out_dir, fingerprint=fingerprint),
        partial(store.write_metadata_read, out_dir, fingerprint=fingerprint),
    )  # fmt: skip
    if parts:
        assembler.read_checked = partial(store.read_checks, out_dir)
        assembler.saved = partial(build_state.read, out_dir / build_state.FILE, manifest.get("state"))
        assembler.months_before = incident_months.read_part_months(out_dir / incident_months.PART_MONTHS,
                                                                   manifest.get("state"))  # fmt: skip
    articles = streaming.read(assembler, sources)
    # each worker remembers the documents it processed, and skips the stages for a copy of one (neardup.Seen)
    work = work or partial(process_chunk, seen=neardup.Seen())
    runs: Iterable[tuple[Sequence[Article], Chunk]] = ()
    first = next(articles, None)  # (a rebuild where nothing changed loads no rules)
    if first is not None and scheduler:
        from pipeline import cluster

        runs = cluster.map_stream(work, chain([first], articles), settings, on_document, scheduler)
    elif first is not None:
        runs = engine.map_stream(work, chain([first], articles), resources(), settings, on_document)
    for run, chunk in runs:
        assembler.add_run(run, chunk)
    live = assembler.finish()
    # The pass over the whole corpus once every row is written: incidents join the rows of many documents.
    incidents_written: list[str] = []  # nothing changed: nor did the incidents
    months = manifest.get("incident_months") if parts else None
    if assembler.changed or not (out_dir / "incidents.parquet").exists() or months is None:
        live, incidents_written, months = whole_corpus(assembler, live, resources, months)
    single = settings.single_file_documents <= 0 or len(assembler.order) <= settings.single_file_documents
    sources_seen = [ingest.source_name(s) for s in sources]
    stale = assembler.changed or not manifest.get("single_files") or manifest.get("sources") != sources_seen
    aggregates = {"places": events.places_table(assembler.places.values()), "candidates": assembler.candidates.table()}
    # A rebuild that only added documents after the others: each single file whose rows the last build's parts
    # still hold as they were is appended to (the pass over the corpus may have written the events of every part
    # again, their incident ids changed, and left their documents and mentions as they were).
    tails: dict[str, list[str]] = {}
    if (
        single and stale and parts and manifest.get("single_files") and manifest.get("sources") == sources_seen
        and all((out_dir / f).exists() for f in store.SINGLE_FILES) and assembler.in_input_order(live)
    ):  # fmt: skip
        for table in ("events", "documents", "mentions"):
            new = assembler.appended(live, parts, table)
            if new is not None:
                tails[table] = new
    appended = len(tails) == 3 and bool(assembler.new_parts)
    # where events.csv holds each part's rows: a rebuild copies those of the parts it keeps (``store.EventsLayout``)
    before = store.Blocks.from_json(manifest.get("events_csv")) if parts and manifest.get("single_files") else None
    layout = store.EventsLayout(before, assembler.patches)
    # The last part is written once, after the pass that may rewrite it, while the single files are written from
    # it in memory (Arrow writes without holding the interpreter's lock: the two overlap).
    with ThreadPoolExecutor(1, thread_name_prefix="newsline-part") as pending:
        written = pending.submit(assembler.write_pending)
        files: list[str] = []
        if appended:
            files = store.append_single_files(staging, assembler.new_parts, aggregates, assembler.cached, layout)
        elif stale or not single:
            files = store.write_single_files(
                staging,
                [(_folder(p, assembler, staging), p) for p in live],
                None if assembler.in_input_order(live) else pa.array(assembler.order, pa.string()),
                aggregates,
                assembler.cached,
                whole=single,
                appended=tails,
                layout=layout,
            )  # fmt: skip
        written.result()
    # What the next build starts from, named by this build (the manifest names it too): in place before the checks,
    # so that checks moved in by a build interrupted before its manifest never go with the state they do not follow.
    build_state.write(staging.dir / build_state.FILE, assembler.state(), staging.run)
    summed = {p: assembler.part_months.get(p) or assembler.months_before.get(p) for p in live}
    incident_months.write_part_months(staging.dir / incident_months.PART_MONTHS,
                                      {p: found for p, found in summed.items() if found is not None}, staging.run)
    files = [build_state.FILE, incident_months.PART_MONTHS, *files, *incidents_written,
             store.write_checks(staging, assembler.checks, assembler.checks_before)]  # fmt: skip
    blocks = layout.now if "events.csv" in files else before if single else None
    manifest = {"sources": sources_seen, "fingerprint": fingerprint, "parts": live, "documents": len(assembler.order),
                "single_files": single, "incident_months": months, "state": staging.run,
                **({"events_csv": blocks.to_json()} if blocks is not None else {})}  # fmt: skip
    store.commit(staging, assembler.new_parts, live, manifest, files, drop_single_files=not single)
    store.keep_metadata_read(out_dir, assembler.metadata.used)
    if single and corrections.load(out_dir):
        # The analyst's corrections outlive every build: applied to the rows as built, then the incidents grouped
        # again. The folder is then written as one part without an index, so the next build redoes every document.
        fixed = corrections.apply_to(store.read_tables(out_dir), out_dir)
        store.write_tables(_with_incidents_frames(fixed, resources()), out_dir, sources)
    return Summary(dict(assembler.status), assembler.event_rows, len(assembler.places), assembler.reused, single)


def _folder(part: str, assembler: streaming.Assembler, staging: store.Staging) -> Path:
    """Where a live part is now: staged when this build wrote it."""
    return assembler.folder(part)


def whole_corpus(
    assembler: streaming.Assembler, live: list[str], resources: Callable[[], Resources], months: list | None
) -> tuple[list[str], list[str], list]:
    """The pass over every row of the corpus, after every part is written, on every build that changed something:
    the incidents (``incident_tables.corpus_incidents``) from the event rows with a date of their own and every
    document, in input order, as processed, a month at a time (``streaming.overlay``). ``months``: those of the
    last build's incidents table, as written (None: there is none to keep from); only the months this build's
    changes touch are grouped again, the others kept from that table. Each event row's
    ``incident_id`` and the publication dates the incidents bound are written into the parts (only the parts it
    changes), so the single files, written from the parts, carry them; the incidents table is streamed to
    incidents.csv and incidents.parquet. Returns the live parts, the files written and the months written."""
    from pipeline import store, streaming

    def own(doc_id: str) -> tuple[str, str, str]:
        old = assembler.previous.get(doc_id)
        return (old.published, old.published_basis, old.published_evidence) if old else ("", "unknown", "")

    res = resources()
    places, parties = incident_tables.places_by_name(events.places_table(assembler.places.values())), _parties(res)
    if months is not None and places != _places_before(assembler.staging.out_dir):
        months = None  # a name placed otherwise now (its first document changed) may change any month: all again

    def group(
        columns: dict[str, list], undated: set[str], years: dict, days: dict, worded: frozenset[str]
    ) -> tuple[list[str], dict, dict]:
        ids, by_month, bounds = incident_tables.corpus_incidents(columns, undated, places, parties, res.provinces,
                                                                 years, days, worded)  # fmt: skip
        table = events.table([row for _, rows in by_month for row in rows], events.INCIDENT_COLUMNS)
        tables, start = {}, 0
        for month, rows in by_month:
            tables[month], start = table.slice(start, len(rows)), start + len(rows)
        return ids, tables, bounds

    files: list[str] = []
    stored = assembler.staging.out_dir / "incidents.parquet"
    kept = (stored, months) if months is not None and stored.exists() else None
    live, written = streaming.overlay(assembler, live, own, group, lambda tables: files.extend(
        store.stream_incidents(assembler.staging, tables)), kept)  # fmt: skip
    return live, files, written


def _places_before(out_dir: Path) -> dict[str, tuple] | None:
    """The places table the last build wrote, by name (``incident_tables.places_by_name``)."""
    from pipeline import store

    try:
        return incident_tables.places_by_name(store.read_csv_table(out_dir / "places.csv", events.PLACE_COLUMNS))
    except (OSError, ValueError, pa.ArrowException):
        return None


def _merge(old: Tables, new: Tables, replace_ids: set[str]) -> Tables:
    """``old`` without the documents in ``replace_ids``, plus ``new``.

    Candidates are counted per name, not per document, so a document processed again
    (``replace_ids``) keeps its old candidates: the same text against the same dictionary
    names the same people. New documents add theirs.
    """

    import pandas as pd

    def keep(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[~frame["doc_id"].isin(replace_ids)] if len(frame) else frame

    # Documents keep their place in the table: a rebuilt one where it was, new ones at the end.
    order = {d: i for i, d in enumerate(dict.fromkeys([*old.documents["doc_id"], *new.documents["doc_id"]]))}

    def cat(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
        both = b if a.empty else a if b.empty else pd.concat([a, b], ignore_index=True)
        if "doc_id" not in both.columns:
            return both
        position = both["doc_id"].map(order)
        return both.iloc[position.argsort(kind="stable")].reset_index(drop=True)

    places = cat(old.places, new.places).drop_duplicates("name", keep="last").sort_values("name")
    return Tables(
        events=cat(keep(old.events), new.events),
        documents=cat(keep(old.documents), new.documents),
        places=places.reset_index(drop=True),
        mentions=cat(keep(old.mentions), new.mentions),
        candidates=old.candidates if replace_ids else events.merge_candidates(old.candidates, new.candidates),
        incidents=new.incidents,
    )


def rebuild_documents(out_dir: Path, doc_ids: Sequence[str], settings: Settings) -> Tables:
    """Process again only ``doc_ids`` (e.g. after a publication-date fix) and rewrite the outputs."""
    from pipeline import corrections, store

    sources = store.read_sources(out_dir)
    wanted = set(doc_ids)
    settings = settings.for_output(out_dir)
    res = load_resources(settings)
    results = [
        process_document(a, res, settings, c)
        for a, c in ingest.read_sources_cleaned(sources, settings)
        if a.doc_id in wanted
    ]
    missing = wanted - {r.article.doc_id for r in results}
    if missing:
        raise ValueError(f"no document {', '.join(sorted(missing))} among the sources of {out_dir}")
    old = store.read_tables(out_dir)
    files = dict(zip(old.documents["doc_id"], old.documents["file"], strict=True))  # as shown before: no server path
    results = [replace(r, article=replace(r.article, file=files.get(r.article.doc_id) or r.article.file))
               for r in results]  # fmt: skip
    # The analyst's corrections first: the incidents group the rows as corrected.
    tables = _with_incidents_frames(corrections.apply_to(_merge(old, tables_from(results), wanted), out_dir), res)
    store.write_tables(tables, out_dir, sources)
    return tables


def add_sources(
    out_dir: Path,
    paths: Sequence[Path],
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> Tables:
    """Process new files and merge them into the outputs in ``out_dir``.

    The files are copied into ``out_dir/added/`` first, so later rebuilds still find them
    after the caller deletes its temporary copies. A new document whose doc_id is
    already taken gets a ``-2`` (``-3``, …) suffix.
    """
    from pipeline import corrections, store

    paths = _keep_copies(paths, out_dir / "added")
    settings = settings.for_output(out_dir)
    old = store.read_tables(out_dir)
    taken = set(old.documents["doc_id"])
    seen = ingest.RunState()  # the texts already in the table: the same article uploaded again is a duplicate
    for article, cleaned in ingest.read_sources_cleaned(store.read_sources(out_dir), settings):
        ingest.mark_duplicate(article, ingest.text_key(article, cleaned), seen)
    articles = []
    for article, cleaned in ingest.read_sources_cleaned(paths, settings):
        doc_id, n = article.doc_id, 2
        while doc_id in taken:
            doc_id, n = f"{article.doc_id}-{n}", n + 1
        taken.add(doc_id)
        shown = Path(article.file).relative_to(out_dir) if Path(article.file).is_relative_to(out_dir) else article.file
        article = replace(article, doc_id=doc_id, file=str(shown))  # added/x.txt: no server path in the tables
        article = ingest.mark_duplicate(article, ingest.text_key(article, cleaned), seen)
        articles.append((article, cleaned))
    res = load_resources(settings)
    results = process_all(articles, res, settings, on_document)
    tables = _with_incidents_frames(corrections.apply_to(_merge(old, tables_from(results), set()), out_dir), res)
    store.write_tables(tables, out_dir, [*store.read_sources(out_dir), *paths])
    return tables


def _keep_copies(paths: Sequence[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    kept = []
    for path in paths:
        target, n = folder / path.name, 2
        while target.exists():
            target, n = folder / f"{path.stem}-{n}{path.suffix}", n + 1
        if path.is_dir():
            shutil.copytree(path, target)
        else:
            shutil.copy2(path, target)
        kept.append(target)
    return kept
