"""Run every stage over every document and gather the tables.

``process_document`` is pure: one article in, its rows out, so the same
function runs here in a loop, in a process pool, or elsewhere later.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from pipeline import actors, clean, events, eventtypes, ingest, places, pubdate, resolve, sentences, timex
from pipeline.records import Article, Candidate, CleanText, Place, PubDate
from pipeline.settings import Settings


@dataclass(frozen=True)
class Resources:
    """Rules and dictionaries, loaded once and passed to every document."""

    timex: timex.TimexRules
    actors: actors.ActorIndex
    gazetteer: places.Gazetteer
    event_types: eventtypes.EventTypeRules
    pubdate_fixes: dict[str, dt.date]


def load_resources(settings: Settings) -> Resources:
    return Resources(
        timex=timex.load_rules(settings.data_dir),
        actors=actors.load_index(settings.data_dir),
        gazetteer=places.load_gazetteer(settings.data_dir),
        event_types=eventtypes.load_rules(settings.data_dir),
        pubdate_fixes=pubdate.load_fixes(settings.pubdate_fixes),
    )


@dataclass(frozen=True)
class DocResult:
    article: Article
    cleaned: CleanText | None
    pub: PubDate
    rows: tuple[dict, ...]
    mentions: tuple[dict, ...]
    places: tuple[Place, ...]
    candidates: tuple[Candidate, ...]


UNKNOWN_DATE = PubDate(date=None, basis="unknown")


def process_document(
    article: Article, res: Resources, settings: Settings, cleaned: CleanText | None = None
) -> DocResult:
    """Every stage over one article; ``cleaned`` is ingest's cleaning of it, when there is one."""
    if article.status != "ok":
        return DocResult(article, None, UNKNOWN_DATE, (), (), (), ())
    cleaned = cleaned or clean.clean(article)
    pub = pubdate.find_publication_date(article, cleaned, settings, res.pubdate_fixes)
    sents = sentences.split(article, cleaned)
    order = (
        article.date_order
        or settings.date_order_by_publisher.get(article.publisher, "")
        or settings.default_date_order
    )
    exprs = [timex.detect(s, res.timex, order) for s in sents]
    values = resolve.resolve_document(sents, exprs, pub, res.timex)
    actor_mentions = actors.find_actors(sents, res.actors)
    place_hits = places.find_places(sents, res.gazetteer)
    annotated = [
        events.Annotated(s, exprs[i], values[i], actor_mentions[i], place_hits[i],
                         eventtypes.classify(s.text, res.event_types))
        for i, s in enumerate(sents)
    ]  # fmt: skip
    rows = events.rows_for_document(article, pub, annotated, res.actors.actors, res.timex)
    found = tuple(dict.fromkeys(p for hits in place_hits for _, p in hits))
    candidates = actors.find_candidates(sents, res.actors, actor_mentions)
    return DocResult(
        article, cleaned, pub, tuple(rows), tuple(events.mentions_for_document(annotated)), found, tuple(candidates)
    )


@dataclass(frozen=True)
class Tables:
    events: pd.DataFrame
    documents: pd.DataFrame
    places: pd.DataFrame
    mentions: pd.DataFrame
    candidates: pd.DataFrame


def build(
    sources: Sequence[Path],
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> Tables:
    """Read every source, process each document, and return the output tables.

    ``on_document(done, total)`` is called after each document (progress bars).
    """
    res = load_resources(settings)
    articles = list(ingest.read_sources_cleaned(sources, settings))
    return tables_from(process_all(articles, res, settings, on_document))


# Below this many documents a worker pool costs more to start than it saves.
POOL_THRESHOLD = 200


def process_all(
    articles: Sequence[tuple[Article, CleanText | None]],
    res: Resources,
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> list[DocResult]:
    """``process_document`` over every article, in order; in worker processes for large corpora."""
    workers = settings.workers or os.cpu_count() or 1
    if workers > 1 and len(articles) >= POOL_THRESHOLD and "fork" in mp.get_all_start_methods():
        return _in_pool(articles, res, settings, workers, on_document)
    results = []
    for i, (article, cleaned) in enumerate(articles, 1):
        results.append(process_document(article, res, settings, cleaned))
        if on_document:
            on_document(i, len(articles))
    return results


def _in_pool(
    articles: Sequence[tuple[Article, CleanText | None]],
    res: Resources,
    settings: Settings,
    workers: int,
    on_document: Callable[[int, int], None] | None,
) -> list[DocResult]:
    """Forked workers inherit the loaded resources, so only articles and results cross processes."""
    size = max(8, len(articles) // (workers * 8))
    chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
    results: list[DocResult] = []
    with ProcessPoolExecutor(
        workers, mp_context=mp.get_context("fork"), initializer=_start_worker, initargs=(res, settings)
    ) as pool:
        for chunk_results in pool.map(_process_chunk, chunks):
            results.extend(chunk_results)
            if on_document:
                on_document(len(results), len(articles))
    return results


# Set once in each forked worker by ``_start_worker`` (never in the parent): the resources a
# worker inherited, so that they are not pickled with every chunk.
_WORKER: dict[str, object] = {}


def _start_worker(res: Resources, settings: Settings) -> None:
    _WORKER.update(res=res, settings=settings)


def _process_chunk(articles: Sequence[tuple[Article, CleanText | None]]) -> list[DocResult]:
    res, settings = _WORKER["res"], _WORKER["settings"]
    return [process_document(a, res, settings, c) for a, c in articles]  # type: ignore[arg-type]


def tables_from(results: Iterable[DocResult]) -> Tables:
    results = list(results)
    return Tables(
        events=events.events_frame([r for res in results for r in res.rows]),
        documents=events.documents_frame([(r.article, r.cleaned, r.pub, len(r.rows)) for r in results]),
        places=events.places_frame([p for r in results for p in r.places]),
        mentions=events.mentions_frame([m for r in results for m in r.mentions]),
        candidates=events.candidates_frame([c for r in results for c in r.candidates]),
    )


def build_to_folder(
    sources: Sequence[Path],
    out_dir: Path,
    settings: Settings,
    on_document: Callable[[int, int], None] | None = None,
) -> Tables:
    """Build the tables from ``sources`` and write them (and the list of sources) into ``out_dir``."""
    from pipeline import store

    tables = build(sources, settings, on_document)
    store.write_tables(tables, out_dir, sources)
    return tables


def _merge(old: Tables, new: Tables, replace_ids: set[str]) -> Tables:
    """``old`` without the documents in ``replace_ids``, plus ``new``.

    Candidates are counted per name, not per document, so a document processed again
    (``replace_ids``) keeps its old candidates: the same text against the same dictionary
    names the same people. New documents add theirs.
    """

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
    )


def rebuild_documents(out_dir: Path, doc_ids: Sequence[str], settings: Settings) -> Tables:
    """Process again only ``doc_ids`` (e.g. after a publication-date fix) and rewrite the outputs."""
    from pipeline import store

    sources = store.read_sources(out_dir)
    wanted = set(doc_ids)
    res = load_resources(settings)
    results = [
        process_document(a, res, settings, c)
        for a, c in ingest.read_sources_cleaned(sources, settings)
        if a.doc_id in wanted
    ]
    missing = wanted - {r.article.doc_id for r in results}
    if missing:
        raise ValueError(f"no document {', '.join(sorted(missing))} among the sources of {out_dir}")
    tables = _merge(store.read_tables(out_dir), tables_from(results), wanted)
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
    from pipeline import store

    paths = _keep_copies(paths, out_dir / "added")
    old = store.read_tables(out_dir)
    taken = set(old.documents["doc_id"])
    articles = []
    for article, cleaned in ingest.read_sources_cleaned(paths, settings):
        doc_id, n = article.doc_id, 2
        while doc_id in taken:
            doc_id, n = f"{article.doc_id}-{n}", n + 1
        taken.add(doc_id)
        articles.append((replace(article, doc_id=doc_id), cleaned))
    results = process_all(articles, load_resources(settings), settings, on_document)
    tables = _merge(old, tables_from(results), set())
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
