"""Every default of the pipeline in one visible place.

A ``Settings`` is built once (by the CLI or the dashboard) and passed in
explicitly; no module keeps mutable state of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_DIR / "data"
FIXES_NAME = "pubdate_fixes.csv"  # beside the outputs


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DATA_DIR
    # A text larger than this is rejected with the reason, not read.
    max_text_bytes: int = 20_000_000
    # Order of numeric dates such as 5/3/2020 when the source's convention is unknown.
    default_date_order: str = "MDY"
    # Per-publisher numeric-date conventions, e.g. {"Asharq Al-Awsat": "MDY"}.
    date_order_by_publisher: dict[str, str] = field(default_factory=dict)
    # Column holding the article text in .csv/.jsonl inputs; "" = recognise text/body/content.
    text_column: str = ""
    # Publication dates the analyst set by hand (doc_id,published,note,text_hash); kept across rebuilds.
    # None: the output folder's own pubdate_fixes.csv (``for_output``), so a fix stays with its corpus.
    pubdate_fixes: Path | None = None
    # Worker processes for large builds; 0 = one per CPU, 1 keeps everything in this process.
    workers: int = 0
    # The contract's single files (events.parquet, events.csv, documents.csv, mentions.csv) are written for
    # corpora up to this many documents (0 = always); past it only the partitioned dataset (events/ ...).
    single_file_documents: int = 100_000
    # Show a progress bar on stderr.
    progress: bool = True

    def for_output(self, out_dir: Path) -> Settings:
        """These settings for a build into ``out_dir``: without a fixes file of their own, that folder's."""
        if self.pubdate_fixes is not None:
            return self
        return replace(self, pubdate_fixes=Path(out_dir) / FIXES_NAME)

