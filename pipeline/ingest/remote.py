"""Sources named by URLs (``s3://bucket/news/``, ``gs://…``, ``file:///srv/news``, ``memory://…``), read through
fsspec by the machine that runs the build: the workers are sent articles, never files.

A folder-like URL is read as a folder on disk is (``listing.inputs_of_folder``): listed recursively, hidden files
and ``__MACOSX`` skipped, files in the order of their paths' parts, a ``metadata.csv`` describing its folder. Each
file comes with its size and, when the filesystem tells it, its modification time: what an incremental rebuild's
stamp compares (``streaming.sources``). Credentials come from the environment, as fsspec and its filesystem
packages read them. fsspec is imported only when a URL is given: local paths never go through here.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from pipeline.ingest.metadata import Listed, MetadataMemo, missing_listed, read_metadata
from pipeline.ingest.records import (
    FileMeta,
    InputFile,
    RunState,
    SourceError,
    Url,
    hidden,
    is_csv_articles,
    is_metadata,
)
from pipeline.records import Article
from pipeline.settings import Settings

T = TypeVar("T")
# Where filesystems put a file's modification time in its listing (local and sftp, S3, Azure, GCS, others).
MODIFIED_KEYS = ("mtime", "LastModified", "last_modified", "updated", "modified")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
# Reasons as a local file's read gives them, for errors of filesystems that give only a path.
REASONS = {FileNotFoundError: "No such file or directory", PermissionError: "Permission denied"}


def filesystem(url: Url) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path on it. SourceError when no installed package reads its
    protocol (naming the package to install) or the filesystem cannot be opened."""
    try:
        from fsspec.core import url_to_fs
    except ImportError as err:
        raise SourceError(f"{url}: reading a URL needs the fsspec package: pip install fsspec") from err
    try:
        fs, path = url_to_fs(url.url)
    except ImportError as err:
        raise SourceError(f"{url}: {missing_package(url.url.partition('://')[0], err)}") from err
    except ValueError as err:  # "Protocol not known: x"
        raise SourceError(f"{url}: no installed fsspec filesystem reads {url.url.partition('://')[0]}:// URLs") from err
    except Exception as err:  # a filesystem's own checks (its options, its credentials' format)
        raise SourceError(f"{url} could not be opened: {type(err).__name__}: {err}") from err
    return fs, path


def missing_package(protocol: str, err: ImportError) -> str:
    """What to install to read ``protocol``: the package fsspec's registry names for it (``s3fs.S3FileSystem``: s3fs),
    or fsspec's own message when the filesystem is fsspec's and lacks a library (``http``: aiohttp)."""
    from fsspec.registry import known_implementations

    module = str(known_implementations.get(protocol, {}).get("class", "")).partition(".")[0]
    if module and module != "fsspec":
        return (f"reading {protocol}:// URLs needs the {module} package, not installed: pip install {module} "
                f"(on the machine that runs the build: it reads the sources)")  # fmt: skip
    return f"reading {protocol}:// URLs needs a package that is not installed ({err})"


def _asked(url: Url, call: Callable[[], T]) -> T:
    """``call()`` on the filesystem of ``url``; a failure (no network, no credentials) as a SourceError naming it."""
    try:
        return call()
    except SourceError:
        raise
    except Exception as err:
        raise SourceError(f"{url} could not be read: {type(err).__name__}: {err}") from err


def check(url: Url) -> None:
    """Raise SourceError when ``url`` names nothing (as for a missing local path) or cannot be reached."""
    fs, path = filesystem(url)
    if not _asked(url, lambda: fs.exists(path)):
        raise SourceError(f"no such file or folder: {url}")


def is_folder(url: Url) -> bool:
    fs, path = filesystem(url)
    return bool(_asked(url, lambda: fs.isdir(path)))


def _listing(url: Url, fs: Any, root: str) -> list[tuple[str, str, dict]]:
    """The files under the folder ``root``: (path relative to it, path on ``fs``, what the listing says of the
    file), hidden ones left out, in the order of their paths' parts (as ``listing.inputs_of_folder``)."""
    found: dict[str, dict] = _asked(url, lambda: fs.find(root, withdirs=False, detail=True))
    prefix = root.rstrip("/") + "/"
    files = []
    for path, info in found.items():
        rel = path[len(prefix) :] if path.startswith(prefix) else path.rpartition("/")[2]
        if not any(hidden(part) for part in rel.split("/")):
            files.append((rel, path, info))
    files.sort(key=lambda file: file[0].split("/"))
    return files


def listing(url: Url) -> list[str]:
    """The files of the folder ``url``, as paths relative to it (``_listing``)."""
    fs, root = filesystem(url)
    return [rel for rel, _, _ in _listing(url, fs, root)]


def inputs_of_folder(
    url: Url, settings: Settings, state: RunState, memo: MetadataMemo | None = None
) -> Iterator[InputFile | Article]:
    """``listing.inputs_of_folder`` for a folder named by a URL: each file shown as the URL joined with its path."""
    fs, root = filesystem(url)
    base = url.url.rstrip("/")
    files = _listing(url, fs, root)
    listed = Listed()
    for rel, path, _ in files:
        if is_metadata(rel):
            load = functools.partial(read_bytes, fs, path)
            table, problems = read_metadata(load, f"{base}/{rel}", settings, state, memo)
            listed.add(rel.rpartition("/")[0], table)
            yield from problems
    for rel, path, info in files:
        if not is_metadata(rel):
            yield listed_input(fs, path, info, f"{base}/{rel}", listed.take(rel))
    yield from missing_listed(listed.missing(), lambda key: f"{base}/{key}", state)


def file_input(url: Url, meta: FileMeta | None = None) -> InputFile:
    """The file ``url`` names (a failure to describe it is left to its read, which rejects it with the reason)."""
    fs, path = filesystem(url)
    try:
        info = fs.info(path)
    except Exception:
        info = {}
    return listed_input(fs, path, info, url.url, meta)


def listed_input(fs: Any, path: str, info: dict, display: str, meta: FileMeta | None) -> InputFile:
    size = info.get("size")
    return InputFile(
        display=display,
        name=display.rstrip("/").rpartition("/")[2],
        size=size if isinstance(size, int) else 0,
        load=functools.partial(read_bytes, fs, path),
        meta=meta,
        mtime_ns=modified_ns(fs, path, info),
    )


def modified_ns(fs: Any, path: str, info: dict) -> int:
    """The file's modification time in nanoseconds, from its listing or else asked of the filesystem; -1 when
    it says none (the file is then read again by each rebuild, and kept when its text is the same)."""
    for key in MODIFIED_KEYS:
        if info.get(key) is not None:
            return as_ns(info[key])
    try:
        return as_ns(fs.modified(path))
    except Exception:  # NotImplementedError for most filesystems without times
        return -1


def as_ns(value: object) -> int:
    """A time as filesystems give it (seconds since the epoch, a datetime, an ISO 8601 string) in nanoseconds."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return -1
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return (aware - EPOCH) // dt.timedelta(microseconds=1) * 1000
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value * 1_000_000_000)
    return -1


def read_bytes(fs: Any, path: str, end: int | None = None) -> bytes:
    """The file's bytes (its first ``end`` ones); any failure as an OSError with the reason (the build rejects the
    file with it)."""
    try:
        return bytes(fs.cat_file(path, start=None if end is None else 0, end=end))
    except Exception as err:
        raise OSError(reason(err)) from err


def head(url: Url, size: int) -> bytes:
    """The first ``size`` bytes of the file ``url``."""
    return read_bytes(*filesystem(url), end=size)


def reason(err: Exception) -> str:
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    known = next((text for kind, text in REASONS.items() if isinstance(err, kind)), "")
    return known or f"{type(err).__name__}: {err}"


def csv_files(url: Url) -> Iterator[Url]:
    """``checks.csv_sources`` for a URL: the .csv article files it names or holds (not metadata.csv)."""
    if not is_folder(url):
        if is_csv_articles(url.name):
            yield url
        return
    base = url.url.rstrip("/")
    yield from (Url(f"{base}/{rel}") for rel in listing(url) if is_csv_articles(rel.rpartition("/")[2]))
