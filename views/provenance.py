"""Provenance of one event: its sentence with the recognised spans highlighted, and its article.

Mentions carry document offsets; a sentence starts at ``sentence_start`` in the same text,
so a span's place in the sentence is ``char_start - sentence_start``. When the sentence text
was normalised and the offsets no longer match, the span is found by its text instead.
"""

from __future__ import annotations

import html

import pandas as pd

KIND_STYLE = {
    "time": "background:#ffe08a",
    "actor": "background:#b9d7ff",
    "place": "background:#c5ecc0",
}


def sentence_spans(sentence: str, sentence_start: int | None, mentions: pd.DataFrame) -> list[tuple[str, str]]:
    """Split ``sentence`` into (text, kind) pieces; kind is "" outside any mention.

    ``mentions`` are the document's rows of mentions.csv. Overlapping spans keep the first.
    """
    found: list[tuple[int, int, str]] = []
    for row in mentions.itertuples(index=False):
        text, kind = str(row.text), str(row.kind)
        if not text:
            continue
        local = None
        if sentence_start is not None and not pd.isna(row.char_start):
            start = int(row.char_start) - int(sentence_start)
            if 0 <= start and sentence[start : start + len(text)] == text:
                local = start
        if local is None and sentence_start is None:
            pos = sentence.find(text)
            local = pos if pos >= 0 else None
        if local is not None:
            found.append((local, local + len(text), kind))
    pieces: list[tuple[str, str]] = []
    cursor = 0
    for start, end, kind in sorted(found):
        if start < cursor:
            continue
        if start > cursor:
            pieces.append((sentence[cursor:start], ""))
        pieces.append((sentence[start:end], kind))
        cursor = end
    if cursor < len(sentence):
        pieces.append((sentence[cursor:], ""))
    return pieces


def highlight_html(pieces: list[tuple[str, str]]) -> str:
    """HTML of the pieces with every text escaped; mentions wrapped in a coloured ``<mark>``."""
    out = []
    for text, kind in pieces:
        safe = html.escape(text)
        if kind:
            out.append(f'<mark class="nl-{kind}" style="{KIND_STYLE.get(kind, "")}" title="{kind}">{safe}</mark>')
        else:
            out.append(safe)
    return "".join(out)


def sentence_mentions(mentions: pd.DataFrame, doc_id: str, start: int | None, end: int | None) -> pd.DataFrame:
    """The document's mentions inside [start, end) (all of the document's when offsets are unknown)."""
    rows = mentions[mentions["doc_id"] == doc_id]
    if start is None or end is None:
        return rows
    cs = pd.to_numeric(rows["char_start"], errors="coerce")
    return rows[(cs >= start) & (cs < end)]


def offset(value: object) -> int | None:
    """An offset cell as int, or None when empty."""
    if value is None or value == "" or pd.isna(value):
        return None
    return int(float(value))


def document_info(documents: pd.DataFrame, doc_id: str) -> dict[str, str]:
    """The article's row of documents.csv as strings ({} when missing)."""
    rows = documents[documents["doc_id"] == doc_id]
    if rows.empty:
        return {}
    return {k: ("" if pd.isna(v) else str(v)) for k, v in rows.iloc[0].items()}
