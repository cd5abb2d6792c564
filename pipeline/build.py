"""Run every stage over every document and gather the tables.

``process_document`` is pure: one article in, its rows out, so the same
function runs here in a loop, in a process pool, or elsewhere later.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyarrow as pa

from pipeline import (
    actors,
    clean,
    datelines,
    events,
    eventtypes,
    incident_tables,
    incidents,
    ingest,
    namekeys,
    neardup,
    places,
    pubdate,
    resolve,
    sentences,
    timex,
)  # fmt: skip
from pipeline.records import Article, Candidate, CleanText, Mention, Place, PubDate
from pipeline.settings import Settings

if TYPE_CHECKING:  # the command-line build never imports pandas (half a second); the dashboard's calls do
    import pandas as pd


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
    return Resources(
        timex=timex.load_rules(settings.data_dir),
        actors=actor_index,
        gazetteer=places.load_gazetteer(settings.data_dir, actor_index),  # one actor index, loaded once
        event_types=eventtypes.load_rules(settings.data_dir),
        pubdate_fixes=pubdate.load_fixes(settings.pubdate_fixes),
        provinces=_provinces(settings.data_dir / "places.csv"),
    )


def _provinces(path: Path) -> frozenset[str]:
    with open(path, newline="", encoding="utf-8") as f:
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
    namekeys.tokens_of.cache_clear()
    cleaned = cleaned or clean.clean(article)
    if not article.title and cleaned.title:  # the headline cleaning found: every row carries it, as documents.csv
        article = replace(article, title=cleaned.title)
    pub = pubdate.find_publication_date(article, cleaned, settings, res.pubdate_fixes)
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
    place_hits = [outside_names(hits, actor_mentions[i]) for i, hits in enumerate(place_hits)]
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
    filed = datelines.dateline_place(cleaned.dateline, res.gazetteer) if cleaned.dateline else None
    if filed is not None:
        found = tuple(dict.fromkeys((*found, filed)))
    return DocResult(
        article, cleaned, pub, tuple(rows), tuple(events.mentions_for_document(annotated)), found, tuple(candidates),
        filed.name if filed else "",
    )  # fmt: skip


def outside_names(hits: list[tuple[Mention, Place]], named: Sequence[Mention]) -> list[tuple[Mention, Place]]:
    """The place mentions that lie inside no actor's name: "Aung San Suu Kyi" holds no town Aung San."""
    if not hits or not named:
        return hits
    def inside(m: Mention) -> bool:
        return any(a.start <= m.start and m.end <= a.end and a.end - a.start > m.end - m.start for a in named)

    return [h for h in hits if not inside(h[0])]


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
    sources: Sequence[Path],
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> Tables:
    """Read every source, process each document, and return the output tables.

    ``on_document(done, total)`` is called after each run of documents (progress bars).
    """
    return build_arrow(sources, settings, on_document).to_pandas()


def build_arrow(
    sources: Sequence[Path],
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
    return with_incidents(assemble(map_stream(process_chunk, articles, res, settings, on_document), state), res)


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


def process_chunk(articles: Sequence[Article], res: Resources, settings: Settings) -> Chunk:
    """Clean and process a run of articles; build their event and mention rows as Arrow tables."""
    keys, documents, event_counts, mention_counts, found, candidates, sketches = [], [], [], [], [], [], []
    event_rows: list[dict] = []
    mention_rows: list[dict] = []
    for article in articles:
        article, cleaned = ingest.cleaned_article(article, settings)
        result = process_document(article, res, settings, cleaned)
        keys.append(ingest.text_key(article, cleaned))
        sketches.append(neardup.sketch(ingest.body_text(article, cleaned)) if cleaned and keys[-1] else None)
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
    )  # fmt: skip


def assemble(chunks: Iterable[tuple[Sequence[Article], Chunk]], state: ingest.RunState) -> ArrowTables:
    """The output tables from the chunks (each with its articles as read), in input order, gathered as they
    come; a duplicate (the same text, or a near copy: ``neardup``) keeps its documents row only."""
    docs: list[_Doc] = []
    copies = neardup.Copies()
    event_tables, mention_tables = [], []
    for _articles, chunk in chunks:
        event_tables.append(chunk.events)
        mention_tables.append(chunk.mentions)
        for i, key in enumerate(chunk.keys):
            docs.append(_Doc(dict(chunk.documents[i]), chunk.event_counts[i], chunk.mention_counts[i],
                             chunk.places[i], chunk.candidates[i]))  # fmt: skip
            if key is not None:
                copies.check(docs, key, chunk.sketches[i], state)
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


# Below this many documents a worker pool costs more to start than it saves.
POOL_THRESHOLD = 200
Item = TypeVar("Item")
Out = TypeVar("Out")


def process_all(
    articles: Sequence[tuple[Article, CleanText | None]],
    res: Resources,
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> list[DocResult]:
    """``process_document`` over every (cleaned) article, in order; in worker processes for large corpora."""
    runs = map_stream(_process_cleaned, articles, res, settings, on_document)
    return [result for _, chunk in runs for result in chunk]


def _process_cleaned(
    articles: Sequence[tuple[Article, CleanText | None]], res: Resources, settings: Settings
) -> list[DocResult]:
    return [process_document(a, res, settings, c) for a, c in articles]


def _workers(settings: Settings, documents: int) -> int:
    workers = settings.workers or os.cpu_count() or 1
    return workers if documents >= POOL_THRESHOLD and "fork" in mp.get_all_start_methods() else 1


MIN_CHUNK = 8
YOUNG_COLLECTION_EVERY = 20_000


def _chunked(items: Sequence[Item], settings: Settings, workers: int | None = None) -> list[Sequence[Item]]:
    """Chunks that shrink as the work runs out ("guided" scheduling): each is a quarter of what remains per
    worker, at least MIN_CHUNK. Few round trips at the start, and the workers finish close together (with equal
    chunks of 62 documents, one worker idled for half a chunk on average at the end, ~0.15 s of 2 cores)."""
    workers = workers or _workers(settings, len(items))
    chunks, i = [], 0
    while i < len(items):  # in one process, MIN_CHUNK documents at a time: the progress bar moves
        size = max(MIN_CHUNK, (len(items) - i) // (workers * 4)) if workers > 1 else MIN_CHUNK
        chunks.append(items[i : i + size])
        i += size
    return chunks


@contextmanager
def _processes(
    work: Callable[[Sequence[Item], Resources, Settings], Out], res: Resources, settings: Settings, workers: int
) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of forked workers that inherit the loaded resources (so only documents and results cross
    processes), or None for one process; with the collector tuned for the stages either way."""
    thresholds = gc.get_threshold()
    # The stages make many short-lived containers: a young-generation collection every 700 of them cost
    # 1.5-3% of the processing (gc callbacks, 500 bench articles); every 20,000 costs ~0.3%. Forked workers
    # inherit the setting; it is restored when the work is done.
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *thresholds[1:])
    pool = None
    try:
        if workers > 1:
            # Frozen objects are left out of the collector's scans, so the workers do not touch (and copy)
            # every page of the inherited resources: children's CPU time ~12% lower on the 1k-article bench.
            gc.freeze()
            pool = ProcessPoolExecutor(
                workers, mp_context=mp.get_context("fork"), initializer=_start_worker, initargs=(res, settings, work)
            )
        yield pool
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            gc.unfreeze()
        gc.set_threshold(*thresholds)


# Documents per worker sent off before the rest of the input is read.
FIRST_CHUNK = 24


def map_stream(
    work: Callable[[Sequence[Item], Resources, Settings], Out],
    items: Iterable[Item],
    res: Resources,
    settings: Settings,
    on_document: Callable[[int, int], None] | None,
) -> Iterator[tuple[Sequence[Item], Out]]:
    """``work`` over runs of ``items``, in order, each run with its output, while ``items`` is still being read.

    With POOL_THRESHOLD items or more, the forked workers start on a first chunk each as soon as it is read;
    the rest is read meanwhile (one core idled through the reading of the 1k-article bench, ~0.1 s), then
    cut as ``_chunked`` does. Outputs are handed on as they arrive, so the caller gathers them while the
    workers still run.
    """
    stream = iter(items)
    head = list(islice(stream, POOL_THRESHOLD))
    workers = _workers(settings, len(head))
    with _processes(work, res, settings, workers) as pool:
        runs: Iterable[tuple[Sequence[Item], Out]]
        if pool is None:
            rest = head + list(stream)
            runs = ((chunk, work(chunk, res, settings)) for chunk in _chunked(rest, settings, 1))
            total = len(rest)
        else:
            size = min(FIRST_CHUNK, len(head) // workers)
            first: list[Sequence[Item]] = [head[k * size : (k + 1) * size] for k in range(workers)]
            pending = [(chunk, pool.submit(_work_in_worker, chunk)) for chunk in first]
            rest = head[workers * size :] + list(stream)  # read while the first chunks run
            pending += [(chunk, pool.submit(_work_in_worker, chunk)) for chunk in _chunked(rest, settings, workers)]
            runs = ((chunk, future.result()) for chunk, future in pending)
            total = workers * size + len(rest)
        done = 0
        for chunk, output in runs:
            done += len(chunk)
            if on_document:
                on_document(done, total)
            yield chunk, output


# Set once in each forked worker by ``_start_worker`` (never in the parent): the resources a
# worker inherited and the work it does, so that they are not pickled with every chunk.
_WORKER: dict[str, Any] = {}


def _start_worker(res: Resources, settings: Settings, work: Callable) -> None:
    _WORKER.update(res=res, settings=settings, work=work)


def _work_in_worker(chunk: Sequence) -> Any:
    return _WORKER["work"](chunk, _WORKER["res"], _WORKER["settings"])


def build_to_folder(
    sources: Sequence[Path],
    out_dir: Path,
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> ArrowTables:
    """Build the tables from ``sources`` and write them (and the list of sources) into ``out_dir``.

    The writer is imported once the first documents are back, while the workers go on: its pyarrow.parquet
    (~45 ms, most of it the S3 support of pyarrow.fs) would otherwise delay their start.
    """

    def on_run(done: int, total: int) -> None:
        import pipeline.store  # noqa: F401  (imported once; later calls find it loaded)

        if on_document:
            on_document(done, total)

    tables = build_arrow(sources, settings.for_output(out_dir), on_run)
    from pipeline import corrections, store

    tables = corrections.apply_to(tables, out_dir)  # the analyst's corrections outlive every build
    store.write_arrow(tables, out_dir, sources)
    return tables


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
