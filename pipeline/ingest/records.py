"""The records reading passes on: a SOURCE (a path or a URL), a file to read with its metadata.csv row, and what
one run remembers; and what every file is known by before it is read (its suffix and stem; hidden or not)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

METADATA_NAME = "metadata.csv"


class SourceError(ValueError):
    """A SOURCE argument that cannot be used at all (it does not exist)."""


@dataclass(frozen=True, slots=True)
class Url:
    """A SOURCE named by a URL with a protocol (``s3://bucket/news/``, ``file:///srv/news``), read through fsspec
    (``remote``) by the machine that runs the build. (Not a Path: ``Path("s3://b/x")`` is ``s3:/b/x``.)"""

    url: str

    def __str__(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        """The last part of its path, as ``Path.name`` ("s3://b/news/a.txt": "a.txt")."""
        return self.url.rstrip("/").rpartition("/")[2]


Source = Path | Url
# A protocol of two letters or more: "C://x" is a Windows drive.
URL_PROTOCOL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def source_of(text: str | Path) -> Source:
    """A SOURCE as written on the command line or in a manifest: a URL when it begins with ``protocol://``."""
    if isinstance(text, str) and URL_PROTOCOL.match(text):
        return Url(text)
    return Path(text)


def source_name(source: Source) -> str:
    """What a manifest records of a SOURCE (``source_of`` reads it back): the absolute path, or the URL as written."""
    return source.url if isinstance(source, Url) else str(Path(source).resolve())


@dataclass(frozen=True, slots=True)
class FileMeta:
    """One row of a metadata.csv: what the analyst knows about a file."""

    url: str = ""
    published: str = ""
    published_evidence: str = ""
    publisher: str = ""
    title: str = ""
    date_order: str = ""
    note: str = ""


@dataclass(frozen=True)
class InputFile:
    """A file to read: on disk or inside a zip archive."""

    display: str  # what documents.csv shows as ``file``
    name: str  # the file's own name (doc_id and format come from it)
    size: int
    load: Callable[[], bytes]
    meta: FileMeta | None = None
    depth: int = 0  # zip nesting
    mtime_ns: int = -1  # a file on disk: its modification time as listed (-1: unknown, or in a zip archive)


@dataclass
class RunState:
    """What one run of read_sources remembers: doc ids in use and texts already seen."""

    used_ids: set[str] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)

    def claim(self, stem: str) -> str:
        candidate, n = stem, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{stem}-{n}"
        self.used_ids.add(candidate)
        return candidate


def hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def is_metadata(path: str) -> bool:
    """Whether a file (a name, or a path with "/") is a folder's metadata.csv."""
    return path.rpartition("/")[2].casefold() == METADATA_NAME


def is_csv_articles(name: str) -> bool:
    """Whether a file is a .csv of articles (not a folder's metadata.csv)."""
    return suffix_of(name) == ".csv" and not is_metadata(name)


def suffix_of(name: str) -> str:
    """PurePosixPath(name).suffix, case-folded, without building a path (called for every file)."""
    if "/" in name or name == ".":
        name = PurePosixPath(name).name
    dot = name.rfind(".")
    return name[dot:].casefold() if 0 < dot < len(name) - 1 else ""


def stem_of(name: str) -> str:
    """PurePosixPath(name).stem: the name without its suffix."""
    if "/" in name or name == ".":
        name = PurePosixPath(name).name
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name
