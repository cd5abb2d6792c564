"""The only stage that touches the output folder.

Every file is written under a temporary name beside its target and moved into
place with ``os.replace``, so a crash never leaves a half-written table.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from pipeline import events
from pipeline.build import Tables

CSV_TABLES = {
    "documents.csv": ("documents", events.DOCUMENT_COLUMNS),
    "places.csv": ("places", events.PLACE_COLUMNS),
    "mentions.csv": ("mentions", events.MENTION_COLUMNS),
    "candidates.csv": ("candidates", events.CANDIDATE_COLUMNS),
}
MANIFEST = "manifest.json"


def _replace(target: Path, write) -> None:  # type: ignore[no-untyped-def]
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_tables(tables: Tables, out_dir: Path, sources: Sequence[Path] = ()) -> None:
    """Write the contract files (and the sources they came from, for later rebuilds)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _replace(out_dir / "events.csv", lambda p: tables.events.to_csv(p, index=False))
    for name, (attr, _) in CSV_TABLES.items():
        frame: pd.DataFrame = getattr(tables, attr)
        _replace(out_dir / name, lambda p, f=frame: f.to_csv(p, index=False))
    if sources:
        manifest = {"sources": [str(Path(s).resolve()) for s in sources]}
        _replace(out_dir / MANIFEST, lambda p: p.write_text(json.dumps(manifest, indent=2), encoding="utf-8"))
    # The Parquet file goes last: its time stamp tells `make` the build is complete.
    _replace(out_dir / "events.parquet", lambda p: tables.events.to_parquet(p, index=False))


def read_sources(out_dir: Path) -> list[Path]:
    path = out_dir / MANIFEST
    if not path.exists():
        return []
    return [Path(s) for s in json.loads(path.read_text(encoding="utf-8"))["sources"]]


def _read_csv(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return events._frame([], columns)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return events._frame(frame.to_dict("records"), columns)


def read_tables(out_dir: Path) -> Tables:
    """Read what ``write_tables`` wrote, with the same dtypes."""
    frames = {attr: _read_csv(out_dir / name, cols) for name, (attr, cols) in CSV_TABLES.items()}
    frames["documents"]["ambiguous"] = frames["documents"]["ambiguous"].isin(["True", "true", True])
    evts = pd.read_parquet(out_dir / "events.parquet")
    return Tables(events=evts, **frames)
