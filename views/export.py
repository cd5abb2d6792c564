"""Downloads of the filtered rows: CSV safe to open in a spreadsheet, and Parquet.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula; such text cells are prefixed with ``'`` in the CSV.
"""

from __future__ import annotations

import io

import pandas as pd

from pipeline.spreadsheet import FORMULA_STARTS, neutralise  # the same rule as the command line's CSV files

__all__ = ["FORMULA_STARTS", "neutralise", "csv_bytes", "parquet_bytes", "export_frame"]
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
