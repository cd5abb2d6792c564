"""Command line: parse arguments, call the library, print a summary. Nothing else."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BUILD_EXAMPLE = """example:
  python -m pipeline build data/sample --out data/out
  python -m pipeline build news/ extra.csv --out out/ --text-column body --date-order DMY

  python -m pipeline build s3://bucket/news/ --out data/out
  python -m pipeline build /shared/news --out /shared/out --scheduler tcp://10.0.0.5:8786

Writes the dataset events/, mentions/, documents/ (part-*.parquet, as the documents come) and, up to
--single-files documents, events.parquet, events.csv, documents.csv, mentions.csv; places.csv and
candidates.csv always. A folder may hold metadata.csv (columns: file, url, published, publisher, title,
date_order). A SOURCE may be a URL that fsspec reads (s3://, gs://, file://; s3fs or gcsfs installed on this
machine, credentials from the environment); --out is a local or shared folder. Building again into the same
--out processes only new or changed documents."""


# Exit status: 0 built, 2 unusable arguments (or a CSV named on the command line without the text column),
# 1 nothing to read.
NOTHING_READ = 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="newsline" if Path(sys.argv[0]).name == "newsline" else "python -m pipeline",
        description="Newsline: turn news articles into a dated, geolocated event table.",
        epilog="example:\n  python -m pipeline build data/sample --out data/out",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser(
        "build",
        help="build the event table from articles",
        description="Build the event table from article files and folders.",
        epilog=BUILD_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    build.add_argument(
        "sources", nargs="+", metavar="SOURCE",
        help="a file (.txt .html .json .jsonl .csv .zip) or a folder, or a URL of either (s3://bucket/news/)",
    )  # fmt: skip
    build.add_argument(
        "--out", required=True, type=_out_folder, metavar="DIR", help="output folder (created if missing)"
    )
    build.add_argument("--text-column", default="", metavar="NAME", help="column with the article text in .csv/.jsonl")
    build.add_argument(
        "--date-order",
        choices=["MDY", "DMY"],
        default="MDY",
        help="reading of numeric dates like 5/3/2020 when the source does not say (default MDY)",
    )
    build.add_argument(
        "--max-mb", type=float, default=20.0, metavar="MB", help="reject texts larger than this (default 20)"
    )
    build.add_argument(
        "--fixes",
        type=Path,
        default=None,
        metavar="CSV",
        help="publication-date fixes (doc_id,published,note,text_hash); default: pubdate_fixes.csv in --out",
    )
    build.add_argument(
        "--scheduler",
        default="",
        metavar="ADDRESS",
        help="run the documents on a Dask cluster (e.g. tcp://HOST:8786); sources and --out on shared paths",
    )
    build.add_argument(
        "--single-files",
        type=int,
        default=None,
        metavar="N",
        help="write the single-file tables for up to N documents (default 100000, Settings; 0 = always)",
    )
    build.add_argument("--no-progress", action="store_true", help="no progress bar")
    return top


def main(argv: Sequence[str] | None = None, keep: list[object] | None = None) -> int:
    """The command line; ``keep`` receives what a build loads (``build_to_folder``), for a process that exits next."""
    args = parser().parse_args(argv)
    from pipeline import ingest
    from pipeline.build import build_to_folder
    from pipeline.formats import TEXT_FIELDS
    from pipeline.settings import Settings

    settings = Settings(
        text_column=args.text_column,
        default_date_order=args.date_order,
        max_text_bytes=int(args.max_mb * 1_000_000),
        progress=not args.no_progress,
        **({"pubdate_fixes": args.fixes} if args.fixes else {}),
        **({"single_file_documents": args.single_files} if args.single_files is not None else {}),
    )
    sources = [ingest.source_of(s) for s in args.sources]
    missing = [str(s) for s in sources if isinstance(s, Path) and not s.exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.out.exists() and not args.out.is_dir():
        print(f"error: --out {args.out} exists and is not a folder", file=sys.stderr)
        return 2
    # A CSV named on the command line, or a --text-column no CSV has, is an argument error; a CSV met inside a
    # folder is one file among many: a warning, and its rows are rejected with the reason (documents.csv).
    try:
        ingest.existing(sources)  # the URLs: a package installed that reads their protocol, and something there
        named = {ingest.source_name(s) for s in sources if not ingest.is_folder(s)}
        csvs = list(ingest.csv_sources(sources))
        problems = ingest.column_problems(csvs, settings)
        empty = ingest.empty_folders(sources)
    except ingest.SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    asked_nowhere = bool(problems) and bool(settings.text_column) and len(problems) == len(csvs)
    errors = 0
    for problem in problems:
        columns = ", ".join(problem.columns)
        fatal = ingest.source_name(problem.path) in named or asked_nowhere
        errors += fatal
        kind = "error" if fatal else "warning"
        rows = "" if fatal else "; its rows are rejected (see documents.csv)"
        if problem.asked:
            print(f"{kind}: --text-column {problem.asked}: no such column in {problem.path} (its columns: {columns})"
                  f"{rows}", file=sys.stderr)  # fmt: skip
        else:
            print(f"{kind}: {problem.path} has no text column (looked for {', '.join(TEXT_FIELDS)}); its columns: "
                  f"{columns}{rows}. Choose one with --text-column NAME", file=sys.stderr)  # fmt: skip
    if errors:
        return 2
    for folder in empty:
        print(f"warning: {folder} holds no files to read", file=sys.stderr)
    bar = _Bar() if settings.progress else None
    try:
        summary = build_to_folder(sources, args.out, settings, bar.update if bar else None, args.scheduler,
                                  keep=keep)  # fmt: skip
    except ingest.SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # e.g. no scheduler at that address
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        if bar:
            bar.close()
    status = Counter(summary.status)
    if not sum(status.values()) and not summary.kept:
        print(f"warning: no documents found in {', '.join(map(str, args.sources))}: the tables in {args.out} are "
              f"empty (exit status {NOTHING_READ})", file=sys.stderr)  # fmt: skip
        return NOTHING_READ
    kept = f"; {summary.kept} unchanged, kept" if summary.kept else ""
    single = "" if summary.single_files else " (dataset only: more documents than --single-files)"
    print(
        f"documents: {status['ok']} ok, {status['rejected']} rejected, "
        f"{status['duplicate']} duplicate{kept}; events: {summary.events}; "
        f"places: {summary.places} → {args.out}{single}",
        file=sys.stderr,
    )
    return 0


def _out_folder(text: str) -> Path:
    from pipeline.ingest import source_of

    out = source_of(text)  # (a URL as a SOURCE is: "C://x" is a Windows drive's folder)
    if not isinstance(out, Path):
        raise argparse.ArgumentTypeError(
            f"{text} is a URL: the output is a local or shared folder (a bucket mounted as a folder works)"
        )
    return out


class _Bar:
    """A tqdm bar whose total grows as the input is read."""

    def __init__(self) -> None:
        self._bar: Any = None

    def update(self, done: int, total: int) -> None:
        """``total``: the documents read so far (the input is read as the build goes)."""
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(total=total, unit="doc", desc="building", file=sys.stderr, leave=False)
        if total != self._bar.total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
