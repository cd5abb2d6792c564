"""Small helpers over the parts' tables: the publication-date fields of a documents row, candidates.csv counted
as the documents come, and the rows of a part's tables counted, filtered and joined."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import events
from pipeline.records import Candidate
from pipeline.store import part_file

DATE_FIELDS = ("published", "published_basis", "published_evidence")


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


def rows_in(folder: Path, table: str, part: str) -> int:
    return pq.ParquetFile(part_file(folder, table, part)).metadata.num_rows


def filtered(table: pa.Table, keep: list[bool]) -> pa.Table:
    return table if all(keep) else table.filter(pa.array(keep, pa.bool_()))


def concat(tables: list[pa.Table], columns: list[str]) -> pa.Table:
    return pa.concat_tables(tables).combine_chunks() if tables else events.table([], columns)
