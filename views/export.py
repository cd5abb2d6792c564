"""Downloads of the filtered rows: CSV safe to open in a spreadsheet, and Parquet.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula; such text cells are prefixed with ``'`` in the CSV.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.spreadsheet import FORMULA_STARTS, neutralise  # the same rule as the command line's CSV files

__all__ = ["FORMULA_STARTS", "neutralise", "csv_bytes", "parquet_bytes", "export_frame", "write_batches"]
# The contract columns first (provenance included), then the useful extras when present.
EXPORT_COLUMNS = (
    "event_id",
    "date_start",
    "date_end",
    "time_value",
    "granularity",
    "date_basis",
    "time_text",
    "actors",
    "locations",
    "event_type",
    "doc_id",
    "url",
    "published",
    "publisher",
    "title",
    "sentence",
    "resolution",
    "char_start",
    "char_end",
    "actor_types",
    "affiliations",
    "countries",
    "lat",
    "lon",
    "published_basis",
)


def export_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The rows as exported: the export columns present, in order."""
    return events[[c for c in EXPORT_COLUMNS if c in events.columns]]


def csv_bytes(events: pd.DataFrame) -> bytes:
    """UTF-8 CSV of exactly these rows with every text cell neutralised."""
    frame = export_frame(events).copy()
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(neutralise)
    return frame.to_csv(index=False).encode("utf-8")


def parquet_bytes(events: pd.DataFrame) -> bytes:
    """Parquet of exactly these rows (typed; no spreadsheet runs it, so no neutralising)."""
    buffer = io.BytesIO()
    export_frame(events).to_parquet(buffer, index=False)
    return buffer.getvalue()


def write_batches(batches: Iterable[pa.RecordBatch], out: BinaryIO, kind: str) -> int:
    """Write an export that arrives in Arrow batches (``views.query``: millions of rows) into ``out`` as
    ``csv`` (the same bytes ``csv_bytes`` gives for the whole frame) or ``parquet``; returns the rows written."""
    if kind not in ("csv", "parquet"):
        raise ValueError(f"export kind must be csv or parquet, not {kind!r}")
    rows, writer, header = 0, None, True
    for batch in batches:
        if kind == "parquet":
            writer = writer or pq.ParquetWriter(out, batch.schema)
            writer.write_batch(batch)
        else:
            frame = export_frame(batch.to_pandas())
            for col in frame.columns:
                if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
                    frame[col] = frame[col].map(neutralise)
            out.write(frame.to_csv(index=False, header=header).encode("utf-8"))
            header = False
        rows += batch.num_rows
    if writer is not None:
        writer.close()
    return rows
