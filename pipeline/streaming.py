"""The documents of a build, in input order, into parts of the dataset: processed ones as their runs come back,
unchanged ones kept where the last build wrote them.

``Assembler.read`` reads the sources for the engine: a document whose digest and build
fingerprint match the last build's index is kept (it never reaches a worker); the others go on to be
processed. ``add_run`` takes the engine's runs in order and, document by document, marks duplicates and near
copies (``neardup.Copies``, over kept and processed documents alike: the first copy wins, unless only a later
one is dated), gathers the places and candidates, and writes a part every PART_DOCUMENTS documents. ``finish``
rewrites the parts that lost documents (removed from the input, changed, or now duplicates) and says which parts
are live. ``overlay`` writes into the parts what the pass over the whole corpus found (incident ids, inferred
publication dates), rewriting only the parts it changes.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
from array import array
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import build_state, engine, events, incremental, ingest, neardup
from pipeline.build import Chunk
from pipeline.incidents import months as incident_months
from pipeline.incremental import Indexed
from pipeline.records import Article, Candidate, Place
from pipeline.settings import Settings
from pipeline.store import DATASET, Staging, part_file, read_part

# Documents per part: what one part holds in memory before it is written.
PART_DOCUMENTS = 2000
SHARED_DATES = 65536
_PENDING = None  # a document sent to the engine, in the queue of documents in input order


# Files that hold exactly one document, whose doc_id is the file's name: the ones a rebuild need not read again.
SINGLE_DOCUMENT = frozenset({".txt", ".html", ".htm"})


class _Kept(NamedTuple):  # (made for each kept document: a tuple is made faster than a frozen dataclass)
    article: Article  # without its text (or just its doc_id and file, when the file was not read)
    indexed: Indexed
    unread: ingest.InputFile | None = None  # the file, to read after all should its whole article be needed


DATE_FIELDS = ("published", "published_basis", "published_evidence")


@dataclass
class Assembler:
    staging: Staging
    previous: dict[str, Indexed]
    fixes: dict
    process: Callable[[list[Article]], Chunk]  # for a kept duplicate whose original is gone
    settings: Settings
    queue: deque = field(default_factory=deque)
    marks: ingest.RunState = field(default_factory=ingest.RunState)
    order: list[str] = field(default_factory=list)  # every doc_id, in input order
    status: Counter = field(default_factory=Counter)
    event_rows: int = 0
    places: dict[str, Place] = field(default_factory=dict)
    candidates: CandidateCounts = field(default_factory=lambda: CandidateCounts())
    kept: dict[str, set[str]] = field(default_factory=dict)  # old part -> its documents kept in place
    new_parts: list[str] = field(default_factory=list)
    reused: int = 0  # documents kept in place
    last_part: dict[str, pa.Table] = field(default_factory=dict)  # the last part written, not read back
    # the last part, when it is not written yet: the pass over the whole corpus rewrites it (``write_pending``)
    pending: str = ""
    part_docs: dict[str, list[str]] = field(default_factory=dict)  # new part -> its documents, in order
    # a new part that is a last build's part with only some tables written again: that part, and the tables copied
    copied: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    # each part's months (``incident_months.PartMonths``): as the last build kept them, and this build's live parts'
    months_before: dict[str, incident_months.PartMonths] = field(default_factory=dict)
    part_months: dict[str, incident_months.PartMonths] = field(default_factory=dict)
    copies: neardup.Copies = field(default_factory=neardup.Copies)
    dates: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # each kept document's own DATE_FIELDS
    # one tuple for the DATE_FIELDS of documents dated alike (a day, read from the same kind of evidence), so that
    # ``dates`` costs a table entry a document; forgotten every SHARED_DATES distinct ones
    _shared_dates: dict[tuple[str, str, str], tuple[str, str, str]] = field(default_factory=dict)
    retro: dict[str, dict] = field(default_factory=dict)  # a document written as kept, found a copy later: its mark
    # a kept duplicate no earlier document is a copy of: its original is gone, or comes later (an undated copy read
    # before its dated original is marked when that comes); settled in finish (its mark then, or None)
    deferred: dict[str, tuple[_Kept, dict | None]] = field(default_factory=dict)
    # each near-copy check in order, and the copy it found ("" and 0.0: none): this build's (after the
    # ``checks_before`` of the last build it starts from, ``_resume``), and the last build's, read when first needed
    checks: list[tuple[str, str, float]] = field(default_factory=list)
    checks_before: int = 0
    read_checked: Callable[[], list] = list
    _checked: list | None = None
    # each kept document's ``incremental.DETAILS``, read when the first is gone through (``_keep``)
    _details: dict[str, tuple[str, str, str]] | None = None
    metadata: ingest.MetadataMemo | None = None  # the metadata.csv tables read before (``ingest.read_metadata``)
    # the state the last build ended with (``build_state``), read only when the documents are its own (``_resume``)
    saved: Callable[[], build_state.CorpusState | None] | None = None
    _same_checks: bool = True
    _placed: set[str] = field(default_factory=set)  # documents processed in finish: in ``order`` already
    _stamps: dict[str, str] = field(default_factory=dict)  # of the documents sent to be processed
    _documents: list[dict] = field(default_factory=list)
    _index: list[dict] = field(default_factory=list)
    _events: list[pa.Table] = field(default_factory=list)
    _mentions: list[pa.Table] = field(default_factory=list)

    def read(self, sources: Sequence[Path]) -> Iterator[Article]:
        """The articles of ``sources`` that must be processed, read and decoded; the others are queued as kept.

        A file of one document whose size, modification time, metadata.csv row and date fix are those the
        index recorded (its ``stamp``) is not read again; any other document is read, and kept when its digest
        is the one recorded."""
        state = ingest.RunState()
        by_file = {old.file: (doc_id, old) for doc_id, old in self.previous.items() if old.stamp}
        for item in ingest.inputs_from(ingest.existing(sources), self.settings, state, self.metadata):
            if isinstance(item, ingest.InputFile) and ingest.suffix_of(item.name) in SINGLE_DOCUMENT:
                doc_id = state.claim(ingest.stem_of(item.name))
                stamp = _stamp(item, self.fixes.get(doc_id))
                known = by_file.get(item.display)
                if known is not None and known == (doc_id, known[1]) and known[1].stamp == stamp:
                    stub = Article(doc_id=doc_id, file=item.display, text="")
                    self.queue.append(_Kept(stub, known[1], item))
                    continue
                yield from self._route(_read_one(item, doc_id, self.settings), stamp)
            elif isinstance(item, ingest.InputFile):
                for article in ingest.articles_of_file(item, self.settings, state):
                    yield from self._route(article, "")
            else:
                yield from self._route(item, "")

    def _route(self, article: Article, stamp: str) -> Iterator[Article]:
        old = self.previous.get(article.doc_id)
        # (a file read again whose text is the same is kept: its old stamp stays, so a later rebuild reads it again)
        if old is not None and old.digest == self._digest(article):
            self.queue.append(_Kept(article if old.status == "duplicate" else replace(article, text=""), old))
        else:
            self._stamps[article.doc_id] = stamp
            self.queue.append(_PENDING)
            yield article

    def _digest(self, article: Article) -> str:
        return incremental.document_digest(article, self.fixes.get(article.doc_id))

    def add_run(self, articles: Sequence[Article], chunk: Chunk) -> None:
        keep_events: list[bool] = []
        keep_mentions: list[bool] = []
        done = (0, 0)  # the chunk's event and mention rows handed on so far
        for i, article in enumerate(articles):
            self._drain_kept()
            self.queue.popleft()  # this article's place in the input
            kept = self._processed(article, chunk, i)
            if kept and chunk.skipped and chunk.skipped[i]:  # skipped by its worker as a copy, and it is none
                self._rows(_filtered(chunk.events.slice(done[0], len(keep_events)), keep_events),
                           _filtered(chunk.mentions.slice(done[1], len(keep_mentions)), keep_mentions))  # fmt: skip
                done = (done[0] + len(keep_events), done[1] + len(keep_mentions))
                keep_events, keep_mentions = [], []
                self._rows(*self._single(article, (None,)))
                continue
            keep_events.extend([kept] * chunk.event_counts[i])
            keep_mentions.extend([kept] * chunk.mention_counts[i])
        self._rows(_filtered(chunk.events.slice(done[0]), keep_events),
                   _filtered(chunk.mentions.slice(done[1]), keep_mentions))  # fmt: skip
        if len(self._documents) >= PART_DOCUMENTS:  # only here: a part holds its documents' rows
            self._flush()

    def _processed(self, article: Article, chunk: Chunk, i: int, decided: tuple[dict | None] | None = None) -> bool:
        """One processed document's documents and index rows; whether its rows are kept (not a duplicate).
        ``decided``: (its mark, or None when it is no duplicate), when it was checked already. A document its
        worker skipped (``Chunk.skipped``) that is kept has no rows yet: only its check is made here."""
        key, own = chunk.keys[i], chunk.documents[i]
        if own["doc_id"] == article.doc_id:  # one string for the doc_id this process holds for every document
            own["doc_id"] = article.doc_id
        if decided is None:
            doc = neardup.Marked({f: own[f] for f in ("doc_id", *DATE_FIELDS)})
            mark = _mark_of(doc) if self._check(doc, key, chunk.sketches[i]) is doc else None
            if mark is None and chunk.skipped and chunk.skipped[i]:
                return True
        else:
            mark = decided[0]
        duplicate = mark is not None
        row = {**own, **mark} if mark is not None else own
        places, candidates = ((), ()) if duplicate else (chunk.places[i], chunk.candidates[i])
        self._document(row, self._digest(article), key, places, candidates, self._stamps.pop(article.doc_id, ""),
                       chunk.sketches[i], own, mark)  # fmt: skip
        if not duplicate:
            for p in places:
                self.places.setdefault(p.name, p)
            self.candidates.add(candidates)
        return not duplicate

    def _check(
        self, doc: neardup.Marked, key: str | None, sketch: neardup.Sketch | None, unchanged: bool = False
    ) -> neardup.Doc | None:
        """``neardup.Copies.check`` for the next document in input order; an earlier one it marks (only the new
        one is dated) was written as kept already: its part is rewritten in ``finish``. ``unchanged``: a kept
        document: while every check so far is the last build's (the same documents, unchanged, in the same
        order), its sketch is not compared again: what that build found stands (``checks``)."""
        if key is None:
            return None
        doc_id = doc.row["doc_id"]
        step = self.checks_before + len(self.checks)
        if unchanged and self._same_checks and self._checked is None:
            self._checked = self.read_checked()
        checked = self._checked or []
        again = unchanged and self._same_checks and step < len(checked) and checked[step][0] == doc_id
        self._same_checks = again
        known = None
        if again:  # what the last build's check found, in the same state
            _, twin_id, similarity = checked[step]
            known = (twin_id, similarity) if twin_id else None
        marked = self.copies.check(doc, key, sketch, self.marks, self._earlier, again, known)
        twin = self.copies.twin
        self.checks.append((doc_id, *twin) if twin is not None else (doc_id, "", 0.0))
        if marked is doc:
            return doc
        dates: tuple[str, str, str] = tuple(doc.row[f] for f in DATE_FIELDS)  # type: ignore[assignment]
        if len(self._shared_dates) >= SHARED_DATES:
            self._shared_dates.clear()
        self.dates[doc.row["doc_id"]] = self._shared_dates.setdefault(dates, dates)
        if marked is not None:
            earlier = marked.row["doc_id"]
            del self.dates[earlier]
            if earlier in self.deferred:  # a duplicate in its part already: the same mark, or processed in finish
                kept = self.deferred[earlier][0]
                if _mark_json(_mark_of(marked)) == kept.indexed.mark:
                    del self.deferred[earlier]
                else:
                    self.deferred[earlier] = (kept, _mark_of(marked))
                return marked
            self.retro[earlier] = _mark_of(marked)
            self.status["ok"] -= 1
            self.status["duplicate"] += 1
        return marked

    def _earlier(self, doc_id: str) -> neardup.Marked:
        return neardup.Marked(dict(zip(("doc_id", *DATE_FIELDS), (doc_id, *self.dates[doc_id]), strict=True)))

    def _drain_kept(self) -> None:
        if self.saved is not None:
            self._resume()
        while self.queue and self.queue[0] is not _PENDING:
            self._keep(self.queue.popleft())

    def _resume(self) -> None:
        """Start from the state the last build ended with (``build_state``) when the documents queued first, before
        any to process, are every document of that build (all kept) in its order: going through them again would
        leave every one in place and end in that state. Tried once, before the first document is gone through."""
        saved, self.saved = self.saved, None
        count = len(self.previous)
        if not count or len(self.queue) < count:
            return
        if any(item is _PENDING for item in itertools.islice(self.queue, count)):
            return
        state = saved() if saved is not None else None
        if state is None or state.order != [item.article.doc_id for item in itertools.islice(self.queue, count)]:
            return
        for _ in range(count):
            self.queue.popleft()
        self.order, self.status = state.order, Counter(state.status)
        self.marks.texts, self.copies, self.dates = state.texts, state.copies, state.dates
        self.places = {p.name: p for p in state.places}
        self.candidates.names = state.candidates
        for doc_id, old in self.previous.items():
            self.kept.setdefault(old.part, set()).add(doc_id)
        self.reused = count
        self.checks_before, self._same_checks = state.checks, False  # (no document after these is the last build's)

    def state(self) -> build_state.CorpusState:
        """What the pass over the documents ended with (``build_state``), once ``finish`` is done."""
        return build_state.CorpusState(
            order=self.order, status=dict(self.status), texts=self.marks.texts, copies=self.copies, dates=self.dates,
            places=list(self.places.values()), candidates=self.candidates.names,
            checks=self.checks_before + len(self.checks),
        )  # fmt: skip

    def _keep(self, kept: _Kept) -> None:
        old, article = kept.indexed, kept.article
        if self._details is None:
            parts = sorted({o.part for o in self.previous.values()})
            columns = ["doc_id", *incremental.DETAILS]
            tables = (read_part(self.staging.out_dir, "index", p, columns) for p in parts)
            self._details = incremental.read_details(tables)
        old_places, old_candidates, sketch = self._details.pop(article.doc_id)
        doc = neardup.Marked({"doc_id": article.doc_id, **{f: getattr(old, f) for f in DATE_FIELDS}})
        if self._check(doc, old.text_key, incremental.sketch_from(sketch), unchanged=True) is doc:
            mark = _mark_of(doc)
            if old.status == "duplicate" and _mark_json(mark) == old.mark:
                self._in_place(old, article.doc_id)
            else:  # a duplicate now, or of another: its own row again, marked
                self._stamps[article.doc_id] = old.stamp
                self._single(self._whole(kept), (mark,))
            return
        if old.status == "duplicate":
            self.deferred[article.doc_id] = (kept, None)
            self._in_place(old, article.doc_id)
            return
        places = incremental.places_from_json(old_places)
        candidates = incremental.candidates_from_json(old_candidates, article.doc_id)
        for p in places:
            self.places.setdefault(p.name, p)
        self.candidates.add(candidates)
        self._in_place(old, article.doc_id)

    def _whole(self, kept: _Kept) -> Article:
        """The kept article as read, its text included (read again when the file was skipped)."""
        if kept.unread is not None:
            return _read_one(kept.unread, kept.article.doc_id, self.settings)
        return kept.article

    def _single(self, article: Article, decided: tuple[dict | None]) -> tuple[pa.Table, pa.Table]:
        chunk = self.process([article])
        self._processed(article, chunk, 0, decided)
        return chunk.events, chunk.mentions

    def _in_place(self, old: Indexed, doc_id: str) -> None:
        """A document whose rows stay where the last build wrote them."""
        self.kept.setdefault(old.part, set()).add(doc_id)
        self.reused += 1
        self.order.append(doc_id)
        self.status[old.status] += 1

    def _document(
        self, row: dict, digest: str, key: str | None, places: Sequence, candidates: Sequence, stamp: str,
        sketch: neardup.Sketch | None, own: dict, mark: dict | None,
    ) -> None:
        if row["doc_id"] in self._placed:
            self._placed.discard(row["doc_id"])
        else:
            self.order.append(row["doc_id"])
        self.status[row["status"]] += 1
        self._documents.append(row)
        self._index.append({
            "doc_id": row["doc_id"], "digest": digest, "text_key": key or "", "status": row["status"],
            "reason": row["reason"], "places": incremental.places_json(places),
            "candidates": incremental.candidates_json(candidates), "file": row["file"], "stamp": stamp,
            "sketch": incremental.sketch_text(sketch), **{f: own[f] for f in DATE_FIELDS},
            "mark": _mark_json(mark) if mark is not None else "",
        })  # fmt: skip

    def _rows(self, event_table: pa.Table, mention_table: pa.Table) -> None:
        self._events.append(event_table)
        self._mentions.append(mention_table)

    def _flush(self, write: bool = True) -> None:
        """The documents and rows gathered so far as a new part: written, or with ``write`` False only held
        (``pending``) until ``write_pending``."""
        if not self._documents and not self._events:
            return
        tables = {
            "events": _concat(self._events, events.EVENT_COLUMNS),
            "mentions": _concat(self._mentions, events.MENTION_COLUMNS),
            "documents": events.table(self._documents, events.DOCUMENT_COLUMNS),
            "index": events.table(self._index, incremental.INDEX_COLUMNS),
        }
        self.new_parts.append(self.staging.write_part(tables) if write else self.staging.new_part())
        self.pending = "" if write else self.new_parts[-1]
        self.part_docs[self.new_parts[-1]] = [d["doc_id"] for d in self._documents]
        self.last_part = {"part": self.new_parts[-1], **tables}  # type: ignore[dict-item]
        self._documents, self._index, self._events, self._mentions = [], [], [], []
        engine.release_free_memory()

    def finish(self) -> list[str]:
        """Write what is left; rewrite the parts that lost documents or hold one found a copy later (``retro``).
        Returns the live parts."""
        self._drain_kept()
        settled = self._settle_deferred()
        self._flush(write=False)
        by_part: dict[str, set[str]] = {}
        for doc_id, old in self.previous.items():
            by_part.setdefault(old.part, set()).add(doc_id)
        live = []
        for part, docs in by_part.items():
            kept = self.kept.get(part, set())
            if kept == docs and not kept & self.retro.keys():
                live.append(part)
            elif kept:
                value_set = pa.array(sorted(kept), pa.string())
                tables = {t: read_part(self.staging.out_dir, t, part) for t in DATASET}
                tables = {t: tab.filter(pc.is_in(tab.column("doc_id"), value_set=value_set))
                          for t, tab in tables.items()}  # fmt: skip
                self.new_parts.append(self.staging.write_part(self._marked_later(tables)))
                self.part_docs[self.new_parts[-1]] = tables["documents"].column("doc_id").to_pylist()
        if self.retro or settled:
            self.write_pending()
            for part in self.new_parts:
                if self.retro.keys() & set(self.part_docs[part]):
                    tables = {t: read_part(self.staging.dir, t, part) for t in DATASET}
                    self.staging.write_part(self._marked_later(tables), part)
            self.last_part = {}
            self._recount(live + self.new_parts)
        self.event_rows = sum(_rows_in(self.staging.out_dir, "events", part) for part in live)
        self.event_rows += sum(len(self._table(part, "events", ["doc_id"])) if part == self.pending
                               else _rows_in(self.staging.dir, "events", part) for part in self.new_parts)  # fmt: skip
        return live + self.new_parts

    def _settle_deferred(self) -> bool:
        """Process again the kept duplicates no later document marked as their part says (``deferred``): their
        rows come after the others, and places and candidates are counted again. Whether there were any."""
        for doc_id, (kept, mark) in self.deferred.items():
            old = kept.indexed
            self.kept[old.part].discard(doc_id)
            self.reused -= 1
            self.status["duplicate"] -= 1  # counted by _in_place; counted again as processed
            self._stamps[doc_id] = old.stamp
            self._placed.add(doc_id)
            rows = self._single(self._whole(kept), (mark,))
            if mark is None:
                self._rows(*rows)
        settled = bool(self.deferred)
        self.deferred = {}
        return settled

    def _marked_later(self, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
        """A part's tables with the documents found copies later (``retro``) marked: rows gone, mark applied."""
        docs = set(tables["documents"].column("doc_id").to_pylist()) & self.retro.keys()
        if not docs:
            return tables
        gone = pa.array(sorted(docs), pa.string())
        out = {t: tables[t].filter(pc.invert(pc.is_in(tables[t].column("doc_id"), value_set=gone)))
               for t in ("events", "mentions")}  # fmt: skip
        rows = tables["documents"].to_pylist()
        out["documents"] = events.table([{**r, **self.retro.get(r["doc_id"], {})} for r in rows],
                                        events.DOCUMENT_COLUMNS)  # fmt: skip
        index = tables["index"].to_pylist()
        for r in index:
            if r["doc_id"] in docs:
                mark = self.retro[r["doc_id"]]
                r.update(status=mark["status"], reason=mark["reason"], places="[]", candidates="[]",
                         mark=_mark_json(mark))  # fmt: skip
        out["index"] = events.table(index, incremental.INDEX_COLUMNS)
        return out

    def _recount(self, live: Sequence[str]) -> None:
        """places.csv and candidates.csv counted again from the index of every live part, in input order (a
        document counted as kept was found a copy later)."""
        index = self._in_order(live, "index", ["doc_id", "places", "candidates"])
        self.places, self.candidates = {}, CandidateCounts()
        for doc_id, places, candidates in zip(*(index.column(c).to_pylist() for c in index.column_names),
                                              strict=True):  # fmt: skip
            for p in incremental.places_from_json(places):
                self.places.setdefault(p.name, p)
            self.candidates.add(incremental.candidates_from_json(candidates, doc_id))

    def folder(self, part: str) -> Path:
        """Where a live part is now: staged when this build wrote it."""
        return self.staging.dir if part in self.new_parts else self.staging.out_dir

    def _in_order(self, live: Sequence[str], table: str, columns: list[str]) -> pa.Table:
        """``columns`` of ``table`` over the live parts, the rows in input order."""
        parts = [self._table(p, table, columns) for p in live]
        every = pa.concat_tables(parts) if parts else pa.table({c: pa.array([], pa.string()) for c in columns})
        if self.in_input_order(live):
            return every
        position = pc.index_in(every.column("doc_id"), value_set=pa.array(self.order, pa.string()))
        return every.take(pc.sort_indices(position))

    def overlay(
        self, live: list[str], own: Callable[[str], tuple[str, str, str]], group: Grouping, write: IncidentSink,
        stored: tuple[Path, list] | None,
    ) -> tuple[list[str], list[tuple[int, int]]]:
        """The pass over the whole corpus, month by month, written into the parts: each event row's incident id,
        and the publication dates inferred. ``group``: the incidents of one month's rows (``incidents.COLUMNS_READ``
        of its rows with a date of their own, in input order, as processed), given the undated documents, the
        documents' years and own days, and the pages whose days only the corpus's rare words give: each row's
        incident id, the incident rows and the dates bounded. ``write``: takes the incidents table, month after
        month. ``stored``: the incidents table of the last build and its months (each month and its number of
        rows, as written), whose months this build's changes do not touch are kept as they were (None: every month
        is grouped). Only the parts it changes are rewritten (a kept part as a new one, its tables that did not
        change copied). ``own``: a document's DATE_FIELDS as processed (the
        index keeps them). Returns the live parts and the months of the incidents table, as written."""
        from pipeline import incidents

        fresh = set(self.new_parts)
        was, stored_dates, undated, undated_parts = self._dates(live, own)
        # 1. each row's month; the months the changes touch (None: all)
        touched: set[int] | None = None if stored is None else set()
        years: dict[str, int] = {}
        days: dict[str, tuple] = {}
        read: dict[str, array] = {}  # each row's month of the parts read here (not kept from the last build)
        yearless: dict[str, tuple[str, ...]] = {}  # the days without a year of the pages that write none
        weekdays: dict[str, tuple] = {}  # the weekdays no day of their own places, of the undated pages
        home: dict[str, str] = {}  # their parts
        for part in live:
            summary = self._part_months(part, read)
            years.update(summary.years)
            days.update(summary.days)
            if summary.yearless or summary.weekdays:
                yearless.update(summary.yearless)
                weekdays.update(summary.weekdays)
                home.update(dict.fromkeys([*summary.yearless, *summary.weekdays], part))
            if touched is not None and part in fresh:  # new rows
                touched.update(summary.months)
            elif touched is not None and part in undated_parts:
                # the rows of an undated document (the date it is bounded by is the latest its incidents give: all
                # of them are grouped again); a part without one is not read for them
                found, doc_ids, *_ = self._months(part)
                touched.update(m for m, d in zip(found, doc_ids.to_pylist(), strict=True) if m >= 0 and d in undated)
        homes = set(home.values())
        moved: set[str] = set()  # the parts whose rows' months the corpus's years or days move
        if yearless:  # a page that writes no year takes the corpus's, when one year alone has news of its months
            present = set(itertools.chain.from_iterable(self.part_months[p].months for p in live))
            given = incidents.with_corpus_years(yearless, present, years, days)
            moved.update(home[doc] for doc in given)
            if touched is not None:  # where their rows are now, or were (every month of the year they name)
                named = {int(value[5:7]) for values in yearless.values() for value in values}
                touched.update(m for m in present if m >= 0 and m % 12 + 1 in named)
        if weekdays:  # then their weekdays that no day of theirs places (nor the year the corpus gave) take the
            # corpus's one day of news of their town on that weekday, when there is one
            weekdays = dict(incidents.unplaced_weekdays_left(weekdays, days))
            towns = incidents.towns_of(weekdays)
            found_days: dict[incidents.NewsKey, set] = {}
            for part in live if towns else ():
                table = self._table(part, "events", list(incidents.MONTH_COLUMNS))
                for town, them in incident_months.town_days(table, towns).items():
                    found_days.setdefault(town, set()).update(them)
            given_days = incidents.with_corpus_weekdays(weekdays, found_days, days)
            moved.update(home[doc] for doc in given_days)
            if touched is not None:  # where their rows are now, or may have been
                touched.update(incidents.month_of(d) for them in found_days.values() for d in them)
        # the pages whose days only the corpus's news sharing their rare words gives: they join, never found
        worded: frozenset[str] = frozenset()
        word_weekdays = incidents.worded_weekdays(weekdays, days) if weekdays else {}
        if word_weekdays:  # then those neither dates, in no town: the day of the corpus's news sharing their rare words
            news = incidents.CorpusWords(word_weekdays)
            pages = {home[doc] for doc in word_weekdays}
            for part in (p for p in live if p in pages):  # their pages' words first, then every part's rows
                news.add_pages(incident_months.dated_rows(self._table(part, "events", list(incidents.WORDS_COLUMNS))))
            for part in live:
                news.add(incident_months.dated_rows(self._table(part, "events", list(incidents.WORDS_COLUMNS))))
            worded = frozenset(incidents.with_corpus_words(news, days))
            moved.update(home[doc] for doc in worded)
            if touched is not None:  # where their rows are now, or may have been (a day that shares their words)
                touched.update(incidents.month_of(d) for d in news.shared_days())
        if touched is not None:  # the parts this build dropped: their rows' months change
            for part in sorted({o.part for o in self.previous.values()} - set(live)):
                gone = self._part_months(part)
                if gone.yearless or gone.weekdays:  # rows in months the corpus gave them, which it no longer does
                    touched = None
                    break
                touched.update(gone.months)
        # 2. the rows of the months to group, set aside by month
        spill = incident_months.Spill(self.staging.dir / "months")
        position = None if self.in_input_order(live) else {d: i for i, d in enumerate(self.order)}
        codes: dict[str, array] = {}
        offset = 0
        # a part is read only when it has rows of the months grouped; the next is read in a thread meanwhile
        # (the parts of pages the corpus dates may have rows of any month: always read)
        wanted = [p for p in live
                  if touched is None or p in homes or not self.part_months[p].months.isdisjoint(touched)]
        tables = _read_ahead(lambda p: self._table(p, "events", list(incidents.COLUMNS_READ)), wanted)
        for number, part in enumerate(live):
            summary = self.part_months[part]
            picked: list[int] = []
            stale: list[int] = []
            if wanted and wanted[0] == part:
                wanted = wanted[1:]
                every = next(tables)
                known = read.pop(part, None)  # (as read before the corpus dated its pages)
                in_month: Sequence[int]
                if known is not None and part not in moved:
                    in_month = known
                else:  # a moved part's pages' rows in the months the corpus gives them
                    shift = part in moved
                    in_month = incident_months.row_months(every.select(list(incidents.MONTH_COLUMNS)),
                                                          years if shift else None, days if shift else None)[0]
                picked = [i for i, m in enumerate(in_month) if m >= 0 and (touched is None or m in touched)]
                if touched is not None and part in homes:  # a page's day the corpus no longer gives: no incident
                    doc_ids = every.column("doc_id").to_pylist()
                    stale = [i for i, (m, d) in enumerate(zip(in_month, doc_ids, strict=True))
                             if m < 0 and (d in yearless or d in weekdays)]  # fmt: skip
            if picked:
                codes[part] = array("q", [NO_INCIDENT if touched is None else KEEP]) * summary.rows
                rows = _as_processed(every.take(picked), was, own)
                doc_ids = rows.column("doc_id").to_pylist()
                rows = rows.append_column("row", pa.array([offset + i for i in picked], pa.int64()))
                rows = rows.append_column("part_row", pa.array(picked, pa.int32()))
                rows = rows.append_column("part", pa.array([number] * len(picked), pa.int32()))
                if position is not None:
                    rows = rows.append_column("order", pa.array([position[d] for d in doc_ids], pa.int64()))
                chosen = [in_month[i] for i in picked]
                by_month = sorted(range(len(picked)), key=chosen.__getitem__)  # stable: input order within a month
                rows, start = rows.take(by_month), 0
                for month, same in itertools.groupby(chosen[i] for i in by_month):
                    size = sum(1 for _ in same)
                    spill.add(month, rows.slice(start, size))
                    start += size
            elif touched is None:
                codes[part] = array("q", [NO_INCIDENT]) * summary.rows
            if stale:
                kept = codes.setdefault(part, array("q", [KEEP]) * summary.rows)
                for i in stale:
                    kept[i] = NO_INCIDENT
            offset += summary.rows
        # 3. each month grouped, in date order, into the incidents table; the others kept
        bounds: dict[str, tuple[str, str]] = {}

        pending = sorted(spill.counts)
        done: dict[int, pa.Table] = {}

        def grouped(month: int) -> pa.Table:
            """A month's incidents table, grouped with the months after it up to GROUP_ROWS rows in one call (each
            month on its own all the same: ``incidents.incidents_by_month``)."""
            if month not in done:
                batch: list[int] = []
                held = 0
                while pending and (not batch or held + spill.counts[pending[0]] <= GROUP_ROWS):
                    batch.append(pending.pop(0))
                    held += spill.counts[batch[-1]]
                done.update(dict.fromkeys(batch, events.table([], events.INCIDENT_COLUMNS)))  # (a month with none)
                read = []
                for m in batch:  # each month in the parts' order: input order, unless the parts hold it otherwise
                    rows = spill.read(m)
                    read.append(rows.take(pc.sort_indices(rows, [("order", "ascending")])) if position else rows)
                rows = pa.concat_tables(read)
                ids, tables, found = group(rows.select(list(incidents.COLUMNS_READ)).to_pydict(), undated, years, days,
                                           worded)  # fmt: skip
                done.update(tables)
                for doc, bound in found.items():
                    if doc not in bounds or bound[0] > bounds[doc][0]:
                        bounds[doc] = bound
                for part, row, incident in zip(rows.column("part").to_pylist(), rows.column("part_row").to_pylist(),
                                               ids, strict=True):  # fmt: skip
                    codes[live[part]][row] = int(incident[4:], 16) if incident else NO_INCIDENT
            return done.pop(month)

        previous = incident_months.stored_months(*stored) if stored is not None else iter(())
        written: list[tuple[int, int]] = []

        def counted(pieces: Iterator[tuple[int, pa.Table]]) -> Iterator[pa.Table]:
            held: list[pa.Table] = []  # written together: a file's row groups are not a month's few rows each
            for month, table in pieces:
                if written and written[-1][0] == month:
                    written[-1] = (month, written[-1][1] + len(table))
                else:
                    written.append((month, len(table)))
                held.append(table)
                if sum(map(len, held)) >= incident_months.BATCH_ROWS:
                    yield pa.concat_tables(held)
                    held = []
            if held:
                yield pa.concat_tables(held)

        write(counted(incident_months.merged(previous, sorted(spill.counts), grouped, touched)))
        # 4. the final dates of the documents whose date is or was inferred
        final = {d: (bounds[d][0], "inferred", bounds[d][1]) if d in bounds else own(d) for d in was | bounds.keys()}
        final = {d: v for d, v in final.items() if stored_dates.get(d) != v}
        # 5. written into the parts that change (a kept part copied in a thread while the next is read, one at a time)
        out: list[str] = []
        with ThreadPoolExecutor(1, thread_name_prefix="newsline-copy") as copying:
            in_flight: Future | None = None
            for part in live:
                copy = self._overlay_part(part, codes, final, out)
                if copy is not None:
                    if in_flight is not None:
                        in_flight.result()
                    in_flight = copying.submit(self.staging.copy_part, *copy)
            if in_flight is not None:
                in_flight.result()
        return out, written

    def _overlay_part(
        self, part: str, codes: dict[str, array], final: dict[str, tuple], out: list[str]
    ) -> tuple[str, dict[str, pa.Table], str] | None:
        """Step 5 of ``overlay`` for one live part: its incident ids and dates written, its name now into ``out``. A
        kept part that changes is copied: returns what ``Staging.copy_part`` is to be given (the copy not made yet)."""
        dates = final and final.keys() & set(self._table(part, "documents", ["doc_id"])["doc_id"].to_pylist())
        now = None
        if part in codes:
            before = self._table(part, "events", ["incident_id"]).column("incident_id").to_pylist()
            now = [old if code == KEEP else "" if code == NO_INCIDENT else f"inc-{code:010x}"
                   for old, code in zip(before, codes[part], strict=True)]  # fmt: skip
            now = None if now == before else now
        if now is None and not dates:
            out.append(part)
            return None
        # only the event rows change, unless a document's date does
        tables = {t: self._table(part, t) for t in (DATASET if dates else ["events"])}
        tables = _with_overlay(tables, now or tables["events"].column("incident_id").to_pylist(), final)
        if part in self.new_parts:
            if part != self.pending:  # the last part is still held: written once, by write_pending
                self.staging.write_part(tables, part)
            if self.last_part.get("part") == part:
                self.last_part = {**self.last_part, **tables}
            out.append(part)
        else:
            doc_ids = self._table(part, "documents", ["doc_id"]).column("doc_id").to_pylist()
            out.append(self.staging.new_part())
            self.copied[out[-1]] = (part, frozenset(DATASET.keys() - tables.keys()))
            self.part_months[out[-1]] = self.part_months[part]  # (its rows' dates as they were)
            self.new_parts.append(out[-1])
            self.part_docs[out[-1]] = doc_ids
            return part, tables, out[-1]
        return None

    def _dates(
        self, live: Sequence[str], own: Callable[[str], tuple[str, str, str]]
    ) -> tuple[set, dict, set, set[str]]:
        """The documents whose date the last build inferred, their dates as stored, the undated documents (as
        processed: a date inferred is dropped first), and the parts that hold those."""
        was: set[str] = set()
        stored: dict[str, tuple] = {}
        undated: set[str] = set()
        holding: dict[str, str] = {}  # each of those documents' part
        for part in live:
            docs = self._table(part, "documents", ["doc_id", "status", *DATE_FIELDS])
            inferred = docs.filter(pc.equal(docs.column("published_basis"), "inferred"))
            for d, *dates in zip(*(inferred.column(c).to_pylist() for c in ["doc_id", *DATE_FIELDS]), strict=True):
                was.add(d)
                stored[d] = tuple(dates)
                holding[d] = part
            empty = docs.filter(pc.and_(pc.equal(docs.column("status"), "ok"), pc.equal(docs.column("published"), "")))
            for d in empty.column("doc_id").to_pylist():
                undated.add(d)
                holding[d] = part
        for d in was:  # as processed
            if own(d)[0]:
                undated.discard(d)
            else:
                undated.add(d)
        return was, stored, undated, {holding[d] for d in undated}

    def _part_months(self, part: str, read: dict[str, array] | None = None) -> incident_months.PartMonths:
        """A part's ``incident_months.PartMonths``: as the last build kept it, or read (``part_months``; its rows'
        months then into ``read``)."""
        found = self.part_months.get(part) or self.months_before.get(part)
        if found is None:
            months, _, years, days, yearless, weekdays = self._months(part)
            found = incident_months.part_months(months, years, days, yearless, weekdays)
            if read is not None:
                read[part] = months
        self.part_months[part] = found
        return found

    def _months(
        self, part: str, years: Mapping[str, int] | None = None, days: Mapping[str, tuple] | None = None
    ) -> tuple[array, pa.ChunkedArray, Mapping[str, int], Mapping[str, tuple], Mapping[str, tuple[str, ...]],
               Mapping[str, tuple]]:
        """Each event row's month of a part (live, or dropped by this build), the rows' documents, the years and
        own days of the documents with a date left unresolved (``incidents.row_months``; given: the corpus's
        years too), the days without a year of its documents that write none (``incidents.yearless_days``) and the
        weekdays of its undated pages that none of their days places (``incidents.unplaced_weekdays``)."""
        from pipeline import incidents

        table = self._table(part, "events", list(incidents.MONTH_COLUMNS))
        months, years, days, yearless, weekdays = incident_months.row_months(table, years, days)
        return array("i", months), table.column("doc_id"), years, days, yearless, weekdays

    def in_input_order(self, live: Sequence[str]) -> bool:
        """Whether the live parts, one after the other, hold the documents in input order (then the single
        files are streamed part by part, without sorting): always after a full build, and after a rebuild
        that only added documents at the end."""
        kept_order: dict[str, list[str]] = {}
        for doc_id, old in self.previous.items():  # each part's documents, in the part's order
            kept_order.setdefault(old.part, []).append(doc_id)
        position = {doc_id: i for i, doc_id in enumerate(self.order)}
        last = -1
        for part in live:
            for doc_id in self.part_docs.get(part) or kept_order.get(part, []):
                if position[doc_id] < last:
                    return False
                last = position[doc_id]
        return True

    def appended(self, live: Sequence[str], before: Sequence[str], table: str) -> list[str] | None:
        """The parts whose rows of ``table`` come after those of the last build's parts (``before``), when the live
        parts hold those rows as they were, in the same order, and then only these (so its single file is the last
        build's with these parts' rows after them); else None. The live parts hold the documents in input order."""
        same = [p if p in before else self.copied[p][0] if p in self.copied and table in self.copied[p][1] else None
                for p in live]  # fmt: skip
        if same[: len(before)] != list(before) or any(same[len(before) :]):
            return None
        return list(live[len(before) :])

    @property
    def changed(self) -> bool:
        """Whether anything differs from the last build (else its single files stand as they are)."""
        return bool(self.new_parts) or set(self.kept) != {o.part for o in self.previous.values()}

    def _table(self, part: str, table: str, columns: list[str] | None = None) -> pa.Table:
        """A live part's table (``columns`` of it), from memory when it is the last part written."""
        found = self.cached(table, part)
        if found is None:
            return read_part(self.folder(part), table, part, columns or DATASET[table])
        return found.select(columns or DATASET[table])

    def write_pending(self) -> None:
        """Write the last part, if it is only held (``_flush``)."""
        if self.pending:
            self.staging.write_part({t: self._table(self.pending, t) for t in DATASET}, self.pending)
            self.pending = ""

    def cached(self, table: str, part: str) -> pa.Table | None:
        return self.last_part.get(table) if self.last_part.get("part") == part else None  # type: ignore[return-value]


class CandidateCounts:
    """candidates.csv, counted as the documents come (``events.candidates_table`` over all of them, without
    keeping them): per name the count, the documents (in order, once each) and the first example."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[list[int], dict[str, None], str, str]] = {}

    def add(self, candidates: Iterable[Candidate]) -> None:
        for c in candidates:
            entry = self.names.get(c.name)
            if entry is None:
                entry = self.names[c.name] = ([0], {}, c.sentence, c.doc_id)
            entry[0][0] += 1
            if c.doc_id:
                entry[1][c.doc_id] = None

    def table(self) -> pa.Table:
        rows: list[dict] = [
            {"name": name, "count": count[0], "documents": events.JOIN.join(docs), "example_sentence": sentence,
             "example_doc": doc_id}
            for name, (count, docs, sentence, doc_id) in self.names.items()
        ]  # fmt: skip
        rows.sort(key=lambda e: (-e["count"], e["name"]))
        return events.table(rows, events.CANDIDATE_COLUMNS)


def _mark_of(doc: neardup.Doc) -> dict:
    """What marking a document a duplicate changed in its documents row (``neardup.mark_copy``)."""
    return {k: v for k, v in doc.row.items() if k != "doc_id"}


def _mark_json(mark: dict) -> str:
    return json.dumps(mark, sort_keys=True, ensure_ascii=False)


def _stamp(item: ingest.InputFile, fix: object) -> str:
    """What says a file of one document is as it was: size, modification time, metadata.csv row, date fix."""
    mtime = item.mtime_ns
    if mtime < 0:
        try:
            mtime = os.stat(item.display).st_mtime_ns
        except OSError:
            return ""
    return f"{item.size}:{mtime}:{_meta_digest(item.meta)}:{fix or ''}"


@functools.lru_cache(maxsize=4096)  # a corpus's files share a few metadata rows (``ingest.read_metadata``)
def _meta_digest(meta: ingest.FileMeta | None) -> str:
    return hashlib.sha1(repr(meta).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _read_one(item: ingest.InputFile, doc_id: str, settings: Settings) -> Article:
    """The one article of a file whose doc_id was claimed already."""
    article = next(ingest.articles_of_file(item, settings, ingest.RunState()))
    return replace(article, doc_id=doc_id)


KEEP = -1  # a row whose month is not grouped again: its incident id stays
NO_INCIDENT = -2  # a row of no incident
# the incidents of some months: (columns, undated documents, years, days, pages only the corpus's words date) ->
# (ids, incidents table of each month, dates bounded)
Grouping = Callable[[dict[str, list], set[str], dict[str, int], dict[str, tuple], frozenset[str]],
                    tuple[list[str], dict[int, pa.Table], dict[str, tuple[str, str]]]]  # fmt: skip
GROUP_ROWS = 50_000  # dated rows grouped in one call, a few months' at most
IncidentSink = Callable[[Iterator[pa.Table]], None]


def _as_processed(rows: pa.Table, was: set[str], own: Callable[[str], tuple[str, str, str]]) -> pa.Table:
    """Event rows with the publication dates of their documents as processed (a date the last build inferred
    dropped: the pass sees the documents as processed)."""
    if not was:
        return rows
    doc_ids = rows.column("doc_id").to_pylist()
    if not was.intersection(doc_ids):
        return rows
    values = [own(d)[0] if d in was else v for d, v in zip(doc_ids, rows.column("published").to_pylist(), strict=True)]
    return rows.set_column(rows.schema.get_field_index("published"), "published", pa.array(values, pa.string()))


def _with_overlay(tables: dict[str, pa.Table], incident: list[str], final: dict[str, tuple]) -> dict[str, pa.Table]:
    """A part's tables with its event rows' incident ids and the documents' dates in ``final`` (``tables``: the
    events only, when none of its documents is in ``final``)."""
    evts = tables["events"]
    evts = evts.set_column(evts.schema.get_field_index("incident_id"), "incident_id", pa.array(incident, pa.string()))
    if final and "documents" in tables:
        doc_ids = evts.column("doc_id").to_pylist()
        for k, name in enumerate(("published", "published_basis")):
            values = [final[d][k] if d in final else v
                      for d, v in zip(doc_ids, evts.column(name).to_pylist(), strict=True)]  # fmt: skip
            evts = evts.set_column(evts.schema.get_field_index(name), name, pa.array(values, pa.string()))
        rows = [{**r, **dict(zip(DATE_FIELDS, final[r["doc_id"]], strict=True))} if r["doc_id"] in final else r
                for r in tables["documents"].to_pylist()]  # fmt: skip
        tables = {**tables, "documents": events.table(rows, events.DOCUMENT_COLUMNS)}
    return {**tables, "events": evts}


def _rows_in(folder: Path, table: str, part: str) -> int:
    return pq.ParquetFile(part_file(folder, table, part)).metadata.num_rows


def _read_ahead(read: Callable[[str], pa.Table], parts: Sequence[str]) -> Iterator[pa.Table]:
    """``read(part)`` of each of ``parts`` in turn, the next one read in a thread while the last is used (Arrow reads
    without holding the interpreter's lock). Holds two tables at most."""
    if not parts:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="newsline-read") as pool:
        ahead = pool.submit(read, parts[0])
        for following in parts[1:]:
            table, ahead = ahead.result(), pool.submit(read, following)
            yield table
        yield ahead.result()


def _filtered(table: pa.Table, keep: list[bool]) -> pa.Table:
    return table if all(keep) else table.filter(pa.array(keep, pa.bool_()))


def _concat(tables: list[pa.Table], columns: list[str]) -> pa.Table:
    return pa.concat_tables(tables).combine_chunks() if tables else events.table([], columns)
