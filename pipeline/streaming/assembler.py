"""The documents of a build, in input order, into parts of the dataset: processed ones as their runs come back,
unchanged ones (queued by ``sources.read``) kept where the last build wrote them.

``add_run`` takes the engine's runs in order and, document by document, marks duplicates and near copies
(``neardup.Copies``, over kept and processed documents alike: the first copy wins, unless only a later one is
dated), gathers the places and candidates, and writes a part every PART_DOCUMENTS documents. ``finish`` rewrites
the parts that lost documents (removed from the input, changed, or now duplicates) and says which parts are live.
The parts are then read through the assembler (``_table``: the last one from memory) by the pass over the whole
corpus (``corpus_pass.overlay``) and by the single files.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import build_state, engine, events, incremental, ingest, neardup
from pipeline.build import Chunk
from pipeline.incidents import months as incident_months
from pipeline.incremental import Indexed
from pipeline.records import Article, Place
from pipeline.settings import Settings
from pipeline.store import DATASET, Staging, read_part
from pipeline.streaming.sources import PENDING, Kept, read_one
from pipeline.streaming.tables import DATE_FIELDS, CandidateCounts, concat, filtered, rows_in

# Documents per part: what one part holds in memory before it is written.
PART_DOCUMENTS = 2000
SHARED_DATES = 65536


@dataclass
class Assembler:
    """A build's documents in input order, as they go into parts: what is kept, what the runs gave, the near-copy
    checks, and the parts written (``finish``: the live ones)."""

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
    candidates: CandidateCounts = field(default_factory=CandidateCounts)
    kept: dict[str, set[str]] = field(default_factory=dict)  # old part -> its documents kept in place
    new_parts: list[str] = field(default_factory=list)
    reused: int = 0  # documents kept in place
    last_part: dict[str, pa.Table] = field(default_factory=dict)  # the last part written, not read back
    # the last part, when it is not written yet: the pass over the whole corpus rewrites it (``write_pending``)
    pending: str = ""
    part_docs: dict[str, list[str]] = field(default_factory=dict)  # new part -> its documents, in order
    # a new part that is a last build's part with only some tables written again: that part, and the tables copied
    copied: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    # such a part whose incident ids alone changed: that part, and each changed row's old id (``store.EventsLayout``)
    patches: dict[str, tuple[str, dict[int, str]]] = field(default_factory=dict)
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
    deferred: dict[str, tuple[Kept, dict | None]] = field(default_factory=dict)
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
    stamps: dict[str, str] = field(default_factory=dict)  # of the documents sent to be processed
    _documents: list[dict] = field(default_factory=list)
    _index: list[dict] = field(default_factory=list)
    _events: list[pa.Table] = field(default_factory=list)
    _mentions: list[pa.Table] = field(default_factory=list)

    def digest(self, article: Article) -> str:
        """What says a document is unchanged since the last build: every field as read, and its date fix."""
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
                self._rows(filtered(chunk.events.slice(done[0], len(keep_events)), keep_events),
                           filtered(chunk.mentions.slice(done[1], len(keep_mentions)), keep_mentions))  # fmt: skip
                done = (done[0] + len(keep_events), done[1] + len(keep_mentions))
                keep_events, keep_mentions = [], []
                self._rows(*self._single(article, (None,)))
                continue
            keep_events.extend([kept] * chunk.event_counts[i])
            keep_mentions.extend([kept] * chunk.mention_counts[i])
        self._rows(filtered(chunk.events.slice(done[0]), keep_events),
                   filtered(chunk.mentions.slice(done[1]), keep_mentions))  # fmt: skip
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
        self._document(row, self.digest(article), key, places, candidates, self.stamps.pop(article.doc_id, ""),
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
        while self.queue and self.queue[0] is not PENDING:
            self._keep(self.queue.popleft())

    def _resume(self) -> None:
        """Start from the state the last build ended with (``build_state``) when the documents queued first, before
        any to process, are every document of that build (all kept) in its order: going through them again would
        leave every one in place and end in that state. Tried once, before the first document is gone through."""
        saved, self.saved = self.saved, None
        count = len(self.previous)
        if not count or len(self.queue) < count:
            return
        if any(item is PENDING for item in itertools.islice(self.queue, count)):
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

    def _keep(self, kept: Kept) -> None:
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
                self.stamps[article.doc_id] = old.stamp
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

    def _whole(self, kept: Kept) -> Article:
        """The kept article as read, its text included (read again when the file was skipped)."""
        if kept.unread is not None:
            return read_one(kept.unread, kept.article.doc_id, self.settings)
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
            "events": concat(self._events, events.EVENT_COLUMNS),
            "mentions": concat(self._mentions, events.MENTION_COLUMNS),
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
        self.event_rows = sum(rows_in(self.staging.out_dir, "events", part) for part in live)
        self.event_rows += sum(len(self._table(part, "events", ["doc_id"])) if part == self.pending
                               else rows_in(self.staging.dir, "events", part) for part in self.new_parts)  # fmt: skip
        return live + self.new_parts

    def _settle_deferred(self) -> bool:
        """Process again the kept duplicates no later document marked as their part says (``deferred``): their
        rows come after the others, and places and candidates are counted again. Whether there were any."""
        for doc_id, (kept, mark) in self.deferred.items():
            old = kept.indexed
            self.kept[old.part].discard(doc_id)
            self.reused -= 1
            self.status["duplicate"] -= 1  # counted by _in_place; counted again as processed
            self.stamps[doc_id] = old.stamp
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


def _mark_of(doc: neardup.Doc) -> dict:
    """What marking a document a duplicate changed in its documents row (``neardup.mark_copy``)."""
    return {k: v for k, v in doc.row.items() if k != "doc_id"}


def _mark_json(mark: dict) -> str:
    return json.dumps(mark, sort_keys=True, ensure_ascii=False)
