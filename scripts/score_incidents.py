"""Score incident grouping and near-duplicate detection against gold sets.

    python scripts/score_incidents.py tests/data/incidents   # a folder of articles, its gold beside it
    python scripts/score_incidents.py --neardup data/sample tests/data/incidents

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


def _same_expression(found: str, gold: str) -> bool:
    """The build's span and the gold's may differ by a word ("on Sunday", "Sunday"): one holds the other."""
    found, gold = found.casefold(), gold.casefold()
    return bool(found) and (found in gold or gold in found)


def predicted(events, gold: list[GoldRow]) -> list[str]:
    """The incident id the build gave each gold sentence's row ("" when it has none or was not found)."""
    labels = []
    for g in gold:
        rows = events[(events["doc_id"] == g.doc_id) & events["sentence"].str.contains(g.sentence, regex=False)]
        if g.time_text:
            rows = rows[[_same_expression(t, g.time_text) for t in rows["time_text"]]].sort_values("char_start")
        ids = rows["incident_id"].tolist()
        labels.append(ids[g.n] if g.n < len(ids) else "")
    return labels


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


def score_grouping(folder: Path, settings: Settings = SETTINGS) -> dict:
    gold = load_gold(folder)
    tables = build.build([folder], settings)
    found = predicted(tables.events, gold)
    precision, recall, predicted_pairs, gold_pairs = pairwise([g.incident for g in gold], found)
    return {
        "precision": precision, "recall": recall, "gold_sentences": len(gold), "gold_pairs": gold_pairs,
        "predicted_pairs": predicted_pairs, "unmatched": sum(1 for f in found if not f),
        "incidents": len({g.incident for g in gold}),
    }  # fmt: skip


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
    parser.add_argument("--neardup", nargs="+", type=Path, default=[], help="folders of distinct articles")
    args = parser.parse_args(argv)
    for folder in args.folders:
        print(folder, score_grouping(folder))
    if args.neardup:
        print("near-duplicates", score_near_duplicates(args.neardup))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
