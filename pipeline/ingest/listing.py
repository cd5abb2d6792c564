"""The SOURCES listed as the files to read, in a stable order: folders walked (hidden files and ``__MACOSX``
skipped, a ``metadata.csv`` describing its folder), files named one by one (a metadata.csv among them describing
its siblings); a folder or file named by a URL is listed by ``remote``. A file a metadata.csv names that is not
there is listed as a rejected Article; no file is read here."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from pipeline.ingest import remote
from pipeline.ingest.metadata import Listed, MetadataMemo, missing_listed, read_metadata
from pipeline.ingest.records import FileMeta, InputFile, RunState, Source, SourceError, Url, hidden, is_metadata
from pipeline.records import Article
from pipeline.settings import Settings


def existing(sources: Sequence[Source]) -> list[Source]:
    """The sources as paths and URLs; raises SourceError for one that does not exist (or whose protocol no
    installed package reads)."""
    paths = [s if isinstance(s, Url) else Path(s) for s in sources]
    for path in paths:
        if isinstance(path, Url):
            remote.check(path)
        elif not path.exists():
            raise SourceError(f"no such file or folder: {path}")
    return paths


def is_folder(source: Source) -> bool:
    if isinstance(source, Url):
        return remote.is_folder(source)
    return source.is_dir()


def inputs_from(
    paths: list[Source], settings: Settings, state: RunState, memo: MetadataMemo | None = None
) -> Iterator[InputFile | Article]:
    loose: list[Source] = []
    for path in paths:
        if isinstance(path, Url):
            if remote.is_folder(path):
                yield from remote.inputs_of_folder(path, settings, state, memo)
            else:
                loose.append(path)
        elif path.is_dir():
            yield from inputs_of_folder(path, settings, state, memo)
        else:
            loose.append(path)
    # Files named one by one: a metadata.csv among them describes its siblings.
    metas: dict[Path | str, dict[str, FileMeta]] = {}
    for path in loose:
        if is_metadata(path.name):
            item = _loose_input(path)
            table, problems = read_metadata(item.load, item.display, settings, state)
            metas[_parent(path)] = {name.casefold(): meta for name, meta in table.items()}
            yield from problems
    for path in loose:
        if not is_metadata(path.name):
            yield _loose_input(path, metas.get(_parent(path), {}).get(path.name.casefold()))


def _parent(source: Source) -> Path | str:
    return source.url.rstrip("/").rpartition("/")[0] if isinstance(source, Url) else source.parent.resolve()


def _loose_input(source: Source, meta: FileMeta | None = None) -> InputFile:
    if isinstance(source, Url):
        return remote.file_input(source, meta)
    return disk_input(source, meta)


def disk_input(path: Path, meta: FileMeta | None = None) -> InputFile:
    try:
        stat = path.stat()
    except OSError:
        return InputFile(display=str(path), name=path.name, size=0, load=path.read_bytes, meta=meta)
    return InputFile(str(path), path.name, stat.st_size, path.read_bytes, meta, 0, stat.st_mtime_ns)


def _listed_input(display: str, meta: FileMeta | None) -> InputFile:
    """``disk_input`` of a file found listing a folder, by its path as a string (``str(root / rel)``: no Path
    made, parsed and printed again for each of a corpus's files)."""
    name = display.rpartition("/")[2]
    try:
        stat = os.stat(display)
    except OSError:
        return InputFile(display, name, 0, functools.partial(_read_bytes, display), meta)
    return InputFile(display, name, stat.st_size, functools.partial(_read_bytes, display), meta, 0, stat.st_mtime_ns)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def inputs_of_folder(
    root: Path, settings: Settings, state: RunState, memo: MetadataMemo | None = None
) -> Iterator[InputFile | Article]:
    # The whole folder is listed before its first file is read, and the worker processes inherit the listing: so
    # it is kept as one string of the files' paths relative to root ("a/b.txt"), in the order of their parts, and
    # each file's metadata.csv row beside it in a list (~24 bytes a file; ~630 as paths, tuples of parts and a
    # table of the rows by path).
    files: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not hidden(d))
        prefix = "".join(f"{part}/" for part in Path(folder).relative_to(root).parts)
        files.extend(prefix + n for n in names if not hidden(n))
    files.sort(key=_parts_of)
    listed = Listed()
    for rel in files:
        if is_metadata(rel):
            yield from _listed_in(listed, root, rel, settings, state, memo)
    files = [rel for rel in files if not is_metadata(rel)]
    metas = [listed.take(rel) for rel in files] if listed.metas else [None] * len(files)
    missing = listed.missing()
    del listed
    packed, files = SEPARATOR.join(files), []  # (no file name holds a NUL)
    start = 0
    base = "" if str(root) == "." else f"{root}/"  # (str(root / rel): rel is a clean relative path)
    for meta in metas:
        end = packed.find(SEPARATOR, start)
        rel = packed[start:] if end < 0 else packed[start:end]
        start = end + 1
        yield _listed_input(base + rel, meta)
    yield from missing_listed(missing, lambda key: str(root / key), state)


SEPARATOR = "\0"


def _listed_in(
    listed: Listed, root: Path, rel: str, settings: Settings, state: RunState, memo: MetadataMemo | None
) -> list[Article]:
    """Add the rows of the metadata.csv at ``rel`` (under ``root``) to ``listed``; the problems found reading it.
    (A function of its own, so that the table read is let go of as soon as it is added.)"""
    path = root / rel
    table, problems = read_metadata(disk_input(path).load, str(path), settings, state, memo)
    listed.add(rel.rpartition("/")[0], table)
    return problems


def _parts_of(rel: str) -> list[str]:
    return rel.split("/")
