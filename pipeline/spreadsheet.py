"""Text cells safe to open in a spreadsheet: the CSV files written for people, and the page's export.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula.
Such a text cell is written with a ``'`` in front (the spreadsheet shows the text, and runs nothing). So that
reading a CSV back gives the exact text, a cell whose text starts with ``'`` before such a character gets one
``'`` more: ``unquote`` removes exactly one ``'`` where ``neutralise`` added one. Only text columns are touched:
a negative number in a numeric column stays a number. The Parquet files keep the text as it is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (imported where used: the readers of fixes and corrections need no Arrow)
    import pyarrow as pa

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FORMULA = "^'*[=+\\-@\t\r]"  # a text a spreadsheet would run, behind any number of quotes
_ADDED_QUOTE = "^''*[=+\\-@\t\r]"  # a text neutralise wrote
_NEEDS = re.compile(_QUOTED_FORMULA)


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run, with ``'`` in front; other values unchanged."""
    if isinstance(value, str) and _NEEDS.match(value):
        return "'" + value
    return value


def unquote(value: str) -> str:
    """The text ``neutralise`` was given."""
    return value[1:] if value.startswith("'") and _NEEDS.match(value[1:]) else value


def neutralise_row(row: dict[str, str]) -> dict[str, str]:
    """A row for ``csv.DictWriter`` (every cell text) with ``neutralise`` on each cell."""
    return {k: "'" + v if isinstance(v, str) and _NEEDS.match(v) else v for k, v in row.items()}


def unquote_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row from ``csv.DictReader`` as it was before ``neutralise_row`` (a short row's missing cells stay None)."""
    return {k: unquote(v) if isinstance(v, str) else v for k, v in row.items()}


def _text_columns(table: pa.Table) -> list[int]:
    import pyarrow as pa

    return [i for i, f in enumerate(table.schema) if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]


def neutralise_table(table: pa.Table) -> pa.Table:
    """``neutralise`` on every text column of an Arrow table (schema and metadata unchanged)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    starts = pa.array([*FORMULA_STARTS, "'"])
    for i in _text_columns(table):
        column = table.column(i)
        # first a test of each cell's first character, ~3x cheaper than the pattern: most columns need nothing
        if not pc.any(pc.is_in(pc.utf8_slice_codeunits(column, 0, 1), value_set=starts)).as_py():
            continue
        needs = pc.fill_null(pc.match_substring_regex(column, _QUOTED_FORMULA), False)
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise("'", column, "")
            table = table.set_column(i, table.field(i), pc.if_else(needs, quoted, column))
    return table


def unquote_table(table: pa.Table) -> pa.Table:
    """``unquote`` on every text column: an Arrow table as it was before ``neutralise_table``."""
    import pyarrow.compute as pc

    for i in _text_columns(table):
        column = table.column(i)
        added = pc.fill_null(pc.match_substring_regex(column, _ADDED_QUOTE), False)
        if pc.any(added).as_py():
            table = table.set_column(i, table.field(i), pc.if_else(added, pc.utf8_slice_codeunits(column, 1), column))
    return table
