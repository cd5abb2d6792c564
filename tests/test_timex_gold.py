"""The shared gold for the sample articles: every listed expression exactly, and few extras.

The documents go through the build's own path (ingest → clean → sentences.split → detect →
resolve_document) with the publication dates of ``seed_pubdates.csv``.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from pipeline import clean, ingest, resolve, sentences, timex
from pipeline.records import PubDate, TimeExpr, TimeValue
from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
SAMPLE = REPO / "data" / "sample"
# Share of detected expressions in the sample that the gold lists (durations, vague words excluded).
PRECISION_FLOOR = 0.95


def _rows(name: str) -> list[dict[str, str]]:
    path = GOLD / name
    if not path.exists():
        pytest.skip(f"shared gold not found at {path}")
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def resolved() -> dict[str, tuple[str, list[tuple[TimeExpr, TimeValue]]]]:
    """doc_id → (document text, [(expression, value)]) for every sample document."""
    pubdates = {r["doc"]: r["published"] for r in _rows("seed_pubdates.csv")}
    settings = Settings(progress=False)
    rules = timex.load_rules(settings.data_dir)
    out = {}
    for article in ingest.read_sources([SAMPLE], settings):
        if article.doc_id not in pubdates:
            continue
        sents = sentences.split(article, clean.clean(article))
        exprs = [timex.detect(s, rules, article.date_order or settings.default_date_order) for s in sents]
        published = pubdates[article.doc_id]
        pub = PubDate(dt.date.fromisoformat(published), "metadata") if published else PubDate(None, "unknown")
        values = resolve.resolve_document(sents, exprs, pub, rules)
        out[article.doc_id] = (
            article.text,
            [(e, v) for es, vs in zip(exprs, values, strict=True) for e, v in zip(es, vs, strict=True)],
        )
    assert set(out) == set(pubdates), "every gold document must be in data/sample"
    return out


def _gold_start(text: str, row: dict[str, str]) -> int:
    at = text.find(row["context"])
    assert at >= 0 and text.find(row["context"], at + 1) < 0, f"context not unique in {row['doc']}: {row['context']!r}"
    offset = row["context"].find(row["expression"])
    assert offset >= 0, f"expression not in its context: {row}"
    return at + offset


def test_gold_expressions_resolve_exactly(resolved) -> None:
    rows = _rows("seed_timex.csv")
    misses = []
    for row in rows:
        text, pairs = resolved[row["doc"]]
        start = _gold_start(text, row)
        hits = [v for e, v in pairs if e.start == start and e.text == row["expression"]]
        got = (hits[0].value, hits[0].granularity) if hits else ("<not detected>", "")
        if got != (row["value"], row["granularity"]):
            misses.append(f"{row['doc']} {row['expression']!r}: got {got}, want {(row['value'], row['granularity'])}"
                          + (f" ({hits[0].resolution})" if hits else ""))  # fmt: skip
    assert not misses, "\n".join(misses)
    assert len(rows) >= 20


def test_no_invented_dates_in_undated_documents(resolved) -> None:
    for doc in ("002_7182a8f42e8688d0", "003_bad2f4199bf3af03"):
        for expr, value in resolved[doc][1]:
            assert value.start is None or expr.field("year") or expr.field("kind") == "year", value.resolution


def test_precision_on_the_sample(resolved) -> None:
    rows = _rows("seed_timex.csv")
    listed = {(r["doc"], _gold_start(resolved[r["doc"]][0], r)) for r in rows}
    found = [(doc, e) for doc, (_, pairs) in resolved.items() for e, _ in pairs]
    extra = [f"{doc}: {e.text!r}" for doc, e in found if (doc, e.start) not in listed]
    precision = (len(found) - len(extra)) / max(1, len(found))
    assert precision >= PRECISION_FLOOR, f"precision {precision:.2f}; not in the gold: {extra}"
