"""Score incident grouping and near-duplicate detection against gold sets.

    python scripts/score_incidents.py tests/data/incidents   # a folder of articles, its gold beside it
    python scripts/score_incidents.py --neardup data/sample tests/data/incidents
    python scripts/score_incidents.py --pooled tests/data/incidents_blind*/   # each set, then all pooled

Grouping: the gold (``FOLDER_gold.csv`` beside the folder) names, per gold sentence (``doc_id``, a piece
of the ``sentence``, its ``time_text``), the real-world ``incident`` it reports. Each gold sentence's event
row gets the incident id the build gave it; precision and recall are counted over the pairs of gold
sentences ("same incident" or not).

Near-duplicates: every article of the folders is copied three ways (another headline with share-bar and
newsletter boilerplate; a paragraph removed; both), the copies undated; the build must mark each copy a
duplicate of its original, and no original a duplicate of another.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline import build  # noqa: E402
from pipeline.settings import Settings  # noqa: E402

SETTINGS = Settings(progress=False, workers=1)


@dataclass(frozen=True)
class GoldRow:
    """A gold sentence: a piece of it (may be empty: the gold of third-party articles quotes no text), the time
    expression as written and which of the document's rows with such an expression (``n``, from 0)."""

    doc_id: str
    sentence: str
    time_text: str
    incident: str
    n: int = 0


def gold_path(folder: Path) -> Path:
    return folder.parent / f"{folder.name}_gold.csv"


def load_gold(folder: Path) -> list[GoldRow]:
    with open(gold_path(folder), newline="", encoding="utf-8") as f:
        return [GoldRow(r["doc_id"], r["sentence"], r.get("time_text", ""), r["incident"], int(r.get("n") or 0))
                for r in csv.DictReader(f)]  # fmt: skip


CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")
NUMBER = re.compile(r"\d+")


def _same_expression(found: str, gold: str) -> bool:
    """The build's span and the gold's may differ by a word ("on Sunday", "Sunday"; "00:00 on 6 March", "on 6
    March"): one holds the other, and what the gold has beyond the build's span names no other number (the year
    "2017" alone is not "on 4 April 2017")."""
    found, gold = found.casefold(), gold.casefold()
    if not found:
        return False
    if gold in found:
        return True
    return found in gold and not NUMBER.search(CLOCK.sub(" ", gold.replace(found, " ", 1)))


def predicted(events, gold: list[GoldRow]) -> list[str]:
    """The incident id the build gave each gold sentence's row ("" when it has none or was not found): the row of
    its time expression (the ``n``-th of its document with that expression); when no row has it, the row of the
    (``n``-th) sentence that holds it whose expression lies nearest (``_row_beside``: the issue scores "the event
    rows of the gold sentences"; a clock time the date stage joined to its day, "on Sunday night at about 11:00
    p.m.", is one row)."""
    labels = []
    for g in gold:
        rows = events[(events["doc_id"] == g.doc_id) & events["sentence"].str.contains(g.sentence, regex=False)]
        if g.time_text:
            same = rows["time_text"].map(lambda t, want=g.time_text: _same_expression(t, want)).astype(bool)
            if not same.any():  # read as part of another expression of its sentence ("on Sunday night at
                # about 11:00 p.m.": one row), or as no row of its own: the row of the sentence that holds it
                labels.append(_row_beside(rows, g))
                continue
            rows = rows[same].sort_values("char_start")
        ids = rows["incident_id"].tolist()
        labels.append(ids[g.n] if g.n < len(ids) else "")
    return labels


def _row_beside(rows, g: GoldRow) -> str:
    """The incident id of the row of the ``n``-th sentence holding the gold expression whose own expression lies
    nearest it ("at around 9 p.m. local time on March 3", after "March 2" in one sentence: the row of "on March
    3"); the sentence's first row when none of its rows has an expression."""
    inside = rows[rows["sentence"].str.contains(g.time_text, regex=False)]
    starts = sorted(set(inside["sentence_start"]))
    if g.n >= len(starts):
        return ""
    sentence = inside[inside["sentence_start"] == starts[g.n]].sort_values("char_start")
    at = starts[g.n] + sentence["sentence"].iloc[0].find(g.time_text)
    timed = sentence[sentence["time_text"].fillna("") != ""]
    if timed.empty:
        return sentence["incident_id"].iloc[0]
    return timed.loc[(timed["char_start"] - at).abs().idxmin(), "incident_id"]


def pairwise(gold: list[str], found: list[str]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of "same incident" (an empty prediction is an incident of its own)."""
    true_pos = predicted_pos = gold_pos = 0
    for (g1, f1), (g2, f2) in itertools.combinations(zip(gold, found, strict=True), 2):
        same_found = bool(f1) and f1 == f2
        true_pos += same_found and g1 == g2
        predicted_pos += same_found
        gold_pos += g1 == g2
    precision = true_pos / predicted_pos if predicted_pos else 1.0
    recall = true_pos / gold_pos if gold_pos else 1.0
    return precision, recall, predicted_pos, gold_pos


DETAIL_COLUMNS = ("date_basis", "date_start", "date_end", "locations", "place_precision", "actors", "event_type")


def score_grouping(folder: Path, settings: Settings = SETTINGS, details: bool = False) -> dict:
    """Pairwise precision and recall over the gold sentences. Gold rows of documents absent from the folder (a
    page that could not be rebuilt) are left out and counted (``absent``). ``details``: print each gold
    sentence's row and every missed or wrong pair."""
    gold = load_gold(folder)
    tables = build.build([folder], settings)
    docs = tables.documents
    present = {d for d, file in zip(docs["doc_id"], docs["file"], strict=True) if Path(file).exists()}
    absent = sum(1 for g in gold if g.doc_id not in present)
    gold = [g for g in gold if g.doc_id in present]
    found = predicted(tables.events, gold)
    precision, recall, predicted_pairs, gold_pairs = pairwise([g.incident for g in gold], found)
    if details:
        print_details(tables.events, gold, found)
    return {
        "precision": precision, "recall": recall, "gold_sentences": len(gold), "gold_pairs": gold_pairs,
        "predicted_pairs": predicted_pairs, "true_pairs": round(precision * predicted_pairs),
        "unmatched": sum(1 for f in found if not f),
        "incidents": len({g.incident for g in gold}), "absent": absent,
    }  # fmt: skip


def pooled(scores: list[dict]) -> dict:
    """Pairwise precision and recall over the pairs of several sets together (each set's pairs counted once:
    a set of many pairs weighs more than a set of few)."""
    true = sum(s["true_pairs"] for s in scores)
    predicted_pairs, gold_pairs = sum(s["predicted_pairs"] for s in scores), sum(s["gold_pairs"] for s in scores)
    return {"precision": true / predicted_pairs if predicted_pairs else 1.0,
            "recall": true / gold_pairs if gold_pairs else 1.0, "true_pairs": true,
            "predicted_pairs": predicted_pairs, "gold_pairs": gold_pairs, "sets": len(scores)}  # fmt: skip


def print_details(events, gold: list[GoldRow], found: list[str]) -> None:
    """Each gold sentence with what grouping read of its row, then the pairs the build got wrong."""
    by_id = {}
    for g, f in zip(gold, found, strict=True):
        rows = events[(events["doc_id"] == g.doc_id) & (events["incident_id"] == f)] if f else events.iloc[0:0]
        row = rows.iloc[0] if len(rows) else None
        by_id[(g.doc_id, g.time_text, g.n)] = row
        shown = " | ".join(f"{c}={row[c]}" for c in DETAIL_COLUMNS) if row is not None else "(no incident row)"
        print(f"  {g.incident:32} {g.doc_id:12} {g.time_text!r:28} -> {f or '-':16} {shown}")
    for (g1, f1), (g2, f2) in itertools.combinations(zip(gold, found, strict=True), 2):
        same_gold, same_found = g1.incident == g2.incident, bool(f1) and f1 == f2
        if same_gold != same_found:
            kind = "MISSED" if same_gold else "WRONG"
            print(f"  {kind} {g1.incident}: {g1.doc_id} {g1.time_text!r} ~ {g2.doc_id} {g2.time_text!r}")


# ---- near-duplicates ------------------------------------------------------------------------------------------------

BOILERPLATE_TOP = "Share on Facebook | Share on Twitter | Email\n\n"
BOILERPLATE_END = "\n\nSubscribe to our newsletter to get the latest news from the region every morning."


def paragraphs(text: str) -> list[str]:
    """The article's lines that are not blank (a paragraph per line, or per block between blank lines)."""
    return [p for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def copies(text: str) -> dict[str, str]:
    """Three edited copies of an article: another headline with boilerplate, a paragraph removed (the middle
    one of those with 15 words or more, when there are four), both."""
    paras = paragraphs(text)
    headline = "Latest: " + " ".join(paras[0].split()[:6]) + "\n\n"
    long = [i for i, p in enumerate(paras) if len(p.split()) >= 15]
    trimmed = [p for i, p in enumerate(paras) if i != long[len(long) // 2]] if len(long) >= 4 else paras
    return {
        "headline": headline + BOILERPLATE_TOP + "\n\n".join(paras) + BOILERPLATE_END,
        "trimmed": "\n\n".join(trimmed),
        "both": headline + BOILERPLATE_TOP + "\n\n".join(trimmed) + BOILERPLATE_END,
    }


def score_near_duplicates(folders: list[Path], settings: Settings = SETTINGS) -> dict:
    """Copies found (marked duplicate of their own original) and false merges among the originals."""
    originals = sorted(p for folder in folders for p in folder.rglob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp)
        rows = []
        for k, path in enumerate(originals):
            name = f"o{k:03d}"
            shutil.copy(path, corpus / f"{name}.txt")
            rows.append((f"{name}.txt", "2021-01-01"))
            for kind, text in copies(path.read_text(encoding="utf-8")).items():
                (corpus / f"{name}_{kind}.txt").write_text(text, encoding="utf-8")
                rows.append((f"{name}_{kind}.txt", ""))
        with open(corpus / "metadata.csv", "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows([("file", "published"), *rows])
        documents = build.build([corpus], replace(settings, pubdate_fixes=corpus / "none.csv")).documents
    status = dict(zip(documents["doc_id"], zip(documents["status"], documents["reason"], strict=True), strict=True))
    copy_ids = [d for d in status if "_" in d]
    found = sum(1 for d in copy_ids if status[d][0] == "duplicate" and d.split("_")[0] in status[d][1])
    false_merges = sum(1 for d in status if "_" not in d and status[d][0] == "duplicate")
    return {"copies": len(copy_ids), "found": found, "rate": found / len(copy_ids) if copy_ids else 1.0,
            "originals": len(originals), "false_merges": false_merges}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="*", type=Path, help="folders of articles, each with FOLDER_gold.csv")
    parser.add_argument("--details", action="store_true", help="print every gold sentence's row and wrong pair")
    parser.add_argument("--pooled", action="store_true", help="print each set's precision and recall, then pooled")
    parser.add_argument("--neardup", nargs="+", type=Path, default=[], help="folders of distinct articles")
    args = parser.parse_args(argv)
    scores = []
    for folder in args.folders:
        score = score_grouping(folder, details=args.details)
        scores.append(score)
        if args.pooled:
            print(f"{folder.name:24} P {score['precision']:.3f}  R {score['recall']:.3f}  "
                  f"({score['true_pairs']}/{score['predicted_pairs']} predicted, {score['gold_pairs']} gold pairs)")
        else:
            print(folder, score)
    if args.pooled and scores:
        total = pooled(scores)
        print(f"{'pooled':24} P {total['precision']:.3f}  R {total['recall']:.3f}  "
              f"({total['true_pairs']}/{total['predicted_pairs']} predicted, {total['gold_pairs']} gold pairs, "
              f"{total['sets']} sets)")
    if args.neardup:
        print("near-duplicates", score_near_duplicates(args.neardup))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
