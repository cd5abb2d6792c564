"""What the command line checks of the SOURCES before a build: CSV files without their text column, and folders
that hold no file to read (``newsline build`` warns of them, or stops when a CSV named by itself has no text)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import formats
from pipeline.ingest import remote
from pipeline.ingest.records import Source, Url, hidden, is_csv_articles
from pipeline.settings import Settings


@dataclass(frozen=True)
class ColumnProblem:
    """A CSV source whose text column is not there: the asked ``--text-column`` ("" when none) and its columns."""

    path: Source
    asked: str
    columns: tuple[str, ...]


def csv_sources(sources: Sequence[Source]) -> Iterator[Source]:
    """The .csv article files among the sources and in their folders (not metadata.csv, not hidden)."""
    for source in sources:
        if isinstance(source, Url):
            yield from remote.csv_files(source)
        elif source.is_dir():
            for folder, dirs, names in os.walk(source):
                dirs[:] = sorted(d for d in dirs if not hidden(d))
                for name in sorted(names):
                    if not hidden(name) and is_csv_articles(name):
                        yield Path(folder) / name
        elif is_csv_articles(source.name):
            yield source


def column_problems(csv_paths: Iterable[Source], settings: Settings) -> list[ColumnProblem]:
    """The CSV sources (``csv_sources``) without the text column (``settings.text_column``, or one of the usual
    names), read from their header before anything is built. A CSV that cannot be read is left to the build."""
    problems = []
    for path in csv_paths:
        try:
            columns = formats.csv_columns(_head(path, 65_536))
        except (OSError, formats.Rejected):
            continue
        if columns and not formats.text_column_of(columns, settings):
            problems.append(ColumnProblem(path, settings.text_column, tuple(columns)))
    return problems


def _head(source: Source, size: int) -> bytes:
    if isinstance(source, Url):
        return remote.head(source, size)
    with open(source, "rb") as handle:
        return handle.read(size)


def empty_folders(sources: Sequence[Source]) -> list[Source]:
    """The folders among the sources that hold no file to read (hidden ones do not count)."""
    empty: list[Source] = []
    for source in sources:
        if isinstance(source, Url):
            if remote.is_folder(source) and not remote.listing(source):
                empty.append(source)
        elif source.is_dir():
            found = any(
                not hidden(name)
                for folder, dirs, names in os.walk(source)
                if not any(hidden(part) for part in Path(folder).relative_to(source).parts)
                for name in names
            )
            if not found:
                empty.append(source)
    return empty
