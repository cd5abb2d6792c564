"""The pass over the whole corpus, once every part is written, into the parts: each event row's incident id, and
the publication dates the incidents infer. The rows of the months to group are set aside by month, each month is
grouped (on a rebuild, only the months its changes touch; the others kept from the last build's incidents table),
and only the parts whose ids or dates change are written again (a kept part as a new one, its tables that did not
change copied)."""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import events
from pipeline.incidents import months as incident_months
from pipeline.store import DATASET
from pipeline.streaming.tables import DATE_FIELDS

if TYPE_CHECKING:
    from pipeline.streaming.assembler import Assembler

KEEP = -1  # a row whose month is not grouped again: its incident id stays
NO_INCIDENT = -2  # a row of no incident
# the incidents of some months: (columns, undated documents, years, days, pages only the corpus's words date) ->
# (ids, incidents table of each month, dates bounded)
Grouping = Callable[[dict[str, list], set[str], dict[str, int], dict[str, tuple], frozenset[str]],
                    tuple[list[str], dict[int, pa.Table], dict[str, tuple[str, str]]]]  # fmt: skip
GROUP_ROWS = 50_000  # dated rows grouped in one call, a few months' at most
IncidentSink = Callable[[Iterator[pa.Table]], None]


def overlay(
    assembler: Assembler, live: list[str], own: Callable[[str], tuple[str, str, str]], group: Grouping,
    write: IncidentSink, stored: tuple[Path, list] | None,
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

    fresh = set(assembler.new_parts)
    was, stored_dates, undated, undated_parts = _dates(assembler, live, own)
    # 1. each row's month; the months the changes touch (None: all)
    touched: set[int] | None = None if stored is None else set()
    years: dict[str, int] = {}
    days: dict[str, tuple] = {}
    read: dict[str, array] = {}  # each row's month of the parts read here (not kept from the last build)
    yearless: dict[str, tuple[str, ...]] = {}  # the days without a year of the pages that write none
    weekdays: dict[str, tuple] = {}  # the weekdays no day of their own places, of the undated pages
    home: dict[str, str] = {}  # their parts
    for part in live:
        summary = _part_months(assembler, part, read)
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
            found, doc_ids, *_ = _months(assembler, part)
            touched.update(m for m, d in zip(found, doc_ids.to_pylist(), strict=True) if m >= 0 and d in undated)
    homes = set(home.values())
    moved: set[str] = set()  # the parts whose rows' months the corpus's years or days move
    if yearless:  # a page that writes no year takes the corpus's, when one year alone has news of its months
        present = set(itertools.chain.from_iterable(assembler.part_months[p].months for p in live))
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
            table = assembler._table(part, "events", list(incidents.MONTH_COLUMNS))
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
        for part in (p for p in live if p in pages):  # their pages' words first (and every row's countries), then
            # every part's rows
            news.add_pages(assembler._table(part, "events", list(incidents.WORDS_COLUMNS)).to_pydict())
        for part in live:
            news.add(incident_months.dated_rows(assembler._table(part, "events", list(incidents.WORDS_COLUMNS))))
        worded = frozenset(incidents.with_corpus_words(news, days))
        moved.update(home[doc] for doc in worded)
        if touched is not None:  # where their rows are now, or may have been (a day that shares their words)
            touched.update(incidents.month_of(d) for d in news.shared_days())
    if touched is not None:  # the parts this build dropped: their rows' months change
        for part in sorted({o.part for o in assembler.previous.values()} - set(live)):
            gone = _part_months(assembler, part)
            if gone.yearless or gone.weekdays:  # rows in months the corpus gave them, which it no longer does
                touched = None
                break
            touched.update(gone.months)
    # 2. the rows of the months to group, set aside by month
    spill = incident_months.Spill(assembler.staging.dir / "months")
    position = None if assembler.in_input_order(live) else {d: i for i, d in enumerate(assembler.order)}
    codes: dict[str, array] = {}
    offset = 0
    # a part is read only when it has rows of the months grouped; the next is read in a thread meanwhile
    # (the parts of pages the corpus dates may have rows of any month: always read)
    wanted = [p for p in live
              if touched is None or p in homes or not assembler.part_months[p].months.isdisjoint(touched)]
    tables = _read_ahead(lambda p: assembler._table(p, "events", list(incidents.COLUMNS_READ)), wanted)
    for number, part in enumerate(live):
        summary = assembler.part_months[part]
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
            copy = _overlay_part(assembler, part, codes, final, out)
            if copy is not None:
                if in_flight is not None:
                    in_flight.result()
                in_flight = copying.submit(assembler.staging.copy_part, *copy)
        if in_flight is not None:
            in_flight.result()
    return out, written


def _overlay_part(
    assembler: Assembler, part: str, codes: dict[str, array], final: dict[str, tuple], out: list[str]
) -> tuple[str, dict[str, pa.Table], str] | None:
    """Step 5 of ``overlay`` for one live part: its incident ids and dates written, its name now into ``out``. A
    kept part that changes is copied: returns what ``Staging.copy_part`` is to be given (the copy not made yet)."""
    dates = final and final.keys() & set(assembler._table(part, "documents", ["doc_id"])["doc_id"].to_pylist())
    now = None
    if part in codes:
        before = assembler._table(part, "events", ["incident_id"]).column("incident_id").to_pylist()
        now = [old if code == KEEP else "" if code == NO_INCIDENT else f"inc-{code:010x}"
               for old, code in zip(before, codes[part], strict=True)]  # fmt: skip
        now = None if now == before else now
    if now is None and not dates:
        out.append(part)
        return None
    # only the event rows change, unless a document's date does
    tables = {t: assembler._table(part, t) for t in (DATASET if dates else ["events"])}
    tables = _with_overlay(tables, now or tables["events"].column("incident_id").to_pylist(), final)
    if part in assembler.new_parts:
        if part != assembler.pending:  # the last part is still held: written once, by write_pending
            assembler.staging.write_part(tables, part)
        if assembler.last_part.get("part") == part:
            assembler.last_part = {**assembler.last_part, **tables}
        out.append(part)
    else:
        doc_ids = assembler._table(part, "documents", ["doc_id"]).column("doc_id").to_pylist()
        out.append(assembler.staging.new_part())
        if now is not None and not dates:  # its incident ids alone: events.csv's rows of it copied but those
            assembler.patches[out[-1]] = (part, {i: old for i, (old, new) in enumerate(zip(before, now, strict=True))
                                                 if old != new})  # fmt: skip
        assembler.copied[out[-1]] = (part, frozenset(DATASET.keys() - tables.keys()))
        assembler.part_months[out[-1]] = assembler.part_months[part]  # (its rows' dates as they were)
        assembler.new_parts.append(out[-1])
        assembler.part_docs[out[-1]] = doc_ids
        return part, tables, out[-1]
    return None


def _dates(
    assembler: Assembler, live: Sequence[str], own: Callable[[str], tuple[str, str, str]]
) -> tuple[set, dict, set, set[str]]:
    """The documents whose date the last build inferred, their dates as stored, the undated documents (as
    processed: a date inferred is dropped first), and the parts that hold those."""
    was: set[str] = set()
    stored: dict[str, tuple] = {}
    undated: set[str] = set()
    holding: dict[str, str] = {}  # each of those documents' part
    for part in live:
        docs = assembler._table(part, "documents", ["doc_id", "status", *DATE_FIELDS])
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


def _part_months(assembler: Assembler, part: str, read: dict[str, array] | None = None) -> incident_months.PartMonths:
    """A part's ``incident_months.PartMonths``: as the last build kept it, or read (``part_months``; its rows'
    months then into ``read``)."""
    found = assembler.part_months.get(part) or assembler.months_before.get(part)
    if found is None:
        months, _, years, days, yearless, weekdays = _months(assembler, part)
        found = incident_months.part_months(months, years, days, yearless, weekdays)
        if read is not None:
            read[part] = months
    assembler.part_months[part] = found
    return found


def _months(
    assembler: Assembler, part: str, years: Mapping[str, int] | None = None, days: Mapping[str, tuple] | None = None
) -> tuple[array, pa.ChunkedArray, Mapping[str, int], Mapping[str, tuple], Mapping[str, tuple[str, ...]],
           Mapping[str, tuple]]:
    """Each event row's month of a part (live, or dropped by this build), the rows' documents, the years and
    own days of the documents with a date left unresolved (``incidents.row_months``; given: the corpus's
    years too), the days without a year of its documents that write none (``incidents.yearless_days``) and the
    weekdays of its undated pages that none of their days places (``incidents.unplaced_weekdays``)."""
    from pipeline import incidents

    table = assembler._table(part, "events", list(incidents.MONTH_COLUMNS))
    months, years, days, yearless, weekdays = incident_months.row_months(table, years, days)
    return array("i", months), table.column("doc_id"), years, days, yearless, weekdays


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
