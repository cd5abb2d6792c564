"""Every input file, and every row of a CSV/JSONL file, becomes exactly one ``Article``.

Sources are files, folders (walked recursively, with an optional ``metadata.csv``
per folder) and zip archives of the same, on disk or named by a URL that fsspec reads
(``remote``). A file that cannot be used still yields an Article with ``status="rejected"``
and the reason; the same article text arriving twice yields ``status="duplicate"`` naming
the first. Nothing a file contains makes ``read_sources`` raise; only a SOURCE that does not exist does.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from pipeline import clean, formats, pubdate
from pipeline.records import Article, CleanText
from pipeline.settings import Settings

METADATA_NAME = "metadata.csv"
ORDER_WORDS = {"MDY": "MDY", "DMY": "DMY", "MONTH-FIRST": "MDY", "DAY-FIRST": "DMY", "US": "MDY"}
MAX_ZIP_DEPTH = 3


class SourceError(ValueError):
    """A SOURCE argument that cannot be used at all (it does not exist)."""


@dataclass(frozen=True, slots=True)
class Url:
    """A SOURCE named by a URL with a protocol (``s3://bucket/news/``, ``file:///srv/news``), read through fsspec
    (``remote``) by the machine that runs the build. (Not a Path: ``Path("s3://b/x")`` is ``s3:/b/x``.)"""

    url: str

    def __str__(self) -> str:
        return self.url


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


def is_folder(source: Source) -> bool:
    if isinstance(source, Url):
        from pipeline import remote

        return remote.is_folder(source)
    return source.is_dir()


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


def read_sources(sources: Sequence[Source], settings: Settings) -> Iterator[Article]:
    """Yield one Article per input file or row, in a stable order. Raises SourceError for a missing SOURCE."""
    return (article for article, _ in read_sources_cleaned(sources, settings))


def read_sources_cleaned(sources: Sequence[Source], settings: Settings) -> Iterator[tuple[Article, CleanText | None]]:
    """As ``read_sources``, with each article's cleaning (None when it was rejected before), so it is not redone."""
    return articles_from(existing(sources), settings)


def existing(sources: Sequence[Source]) -> list[Source]:
    """The sources as paths and URLs; raises SourceError for one that does not exist (or whose protocol no
    installed package reads)."""
    paths = [s if isinstance(s, Url) else Path(s) for s in sources]
    for path in paths:
        if isinstance(path, Url):
            from pipeline import remote

            remote.check(path)
        elif not path.exists():
            raise SourceError(f"no such file or folder: {path}")
    return paths


def articles_from(paths: list[Source], settings: Settings) -> Iterator[tuple[Article, CleanText | None]]:
    state = RunState()
    for article in uncleaned_articles(paths, settings, state):
        article, cleaned = cleaned_article(article, settings)
        yield mark_duplicate(article, text_key(article, cleaned), state), cleaned


def uncleaned_articles(paths: list[Source], settings: Settings, state: RunState) -> Iterator[Article]:
    """Every article as read and decoded, in order, before cleaning (cheap; doc ids are claimed here).

    An ``ok`` article may still turn out rejected (``cleaned_article``) or a duplicate (``mark_duplicate``,
    in this order), so that the costly cleaning can run in worker processes between the two.
    """
    for item in inputs_from(paths, settings, state):
        if isinstance(item, Article):
            yield item
        else:
            yield from articles_of_file(item, settings, state)


def cleaned_article(article: Article, settings: Settings) -> tuple[Article, CleanText | None]:
    """An ok article with its cleaning, rejected when no article text is left; others as they are, None."""
    if article.status != "ok":
        return article, None
    cleaned = clean.clean(article, clean.default_rules(settings.data_dir))
    if not any(s.kind in ("body", "caption") for s in cleaned.segments):
        return replace(article, status="rejected", reason="no article text once the boilerplate is removed"), cleaned
    return article, cleaned


# ---- enumerating inputs ------------------------------------------------------------------------------------------


@dataclass
class MetadataMemo:
    """metadata.csv tables read before (``read_metadata``), by the SHA-1 of the file's bytes, so that one read
    before with the same rules is not parsed again (a rebuild of 300,000 articles: ~3 s). ``load(key)``: the table
    kept under that key, or None; ``keep(key, table)``: keep one for the next run. No table is held here: a
    corpus's table is let go of once its rows are taken, before the workers fork, as without a memo."""

    load: Callable[[str], dict[str, FileMeta] | None]
    keep: Callable[[str, dict[str, FileMeta]], None]
    used: set[str] = field(default_factory=set)  # the keys of the tables this run read


def inputs_from(
    paths: list[Source], settings: Settings, state: RunState, memo: MetadataMemo | None = None
) -> Iterator[InputFile | Article]:
    loose: list[Source] = []
    for path in paths:
        if isinstance(path, Url):
            from pipeline import remote

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
        if _name(path).casefold() == METADATA_NAME:
            item = _loose_input(path)
            table, problems = read_metadata(item.load, item.display, settings, state)
            metas[_parent(path)] = {name.casefold(): meta for name, meta in table.items()}
            yield from problems
    for path in loose:
        if _name(path).casefold() != METADATA_NAME:
            yield _loose_input(path, metas.get(_parent(path), {}).get(_name(path).casefold()))


def _name(source: Source) -> str:
    return source.url.rstrip("/").rpartition("/")[2] if isinstance(source, Url) else source.name


def _parent(source: Source) -> Path | str:
    return source.url.rstrip("/").rpartition("/")[0] if isinstance(source, Url) else source.parent.resolve()


def _loose_input(source: Source, meta: FileMeta | None = None) -> InputFile:
    if isinstance(source, Url):
        from pipeline import remote

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


def hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


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
            from pipeline import remote

            yield from remote.csv_files(source)
        elif source.is_dir():
            for folder, dirs, names in os.walk(source):
                dirs[:] = sorted(d for d in dirs if not hidden(d))
                for name in sorted(names):
                    if not hidden(name) and suffix_of(name) == ".csv" and name.casefold() != METADATA_NAME:
                        yield Path(folder) / name
        elif suffix_of(source.name) == ".csv" and source.name.casefold() != METADATA_NAME:
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
        from pipeline import remote

        return remote.head(source, size)
    with open(source, "rb") as handle:
        return handle.read(size)


def empty_folders(sources: Sequence[Source]) -> list[Source]:
    """The folders among the sources that hold no file to read (hidden ones do not count)."""
    empty: list[Source] = []
    for source in sources:
        if isinstance(source, Url):
            from pipeline import remote

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
        if rel.rpartition("/")[2].casefold() == METADATA_NAME:
            yield from _listed_in(listed, root, rel, settings, state, memo)
    files = [rel for rel in files if rel.rpartition("/")[2].casefold() != METADATA_NAME]
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


@dataclass
class Listed:
    """The files metadata.csv tables name (matched case-insensitively), and which of them turned up."""

    metas: dict[str, FileMeta] = field(default_factory=dict)  # casefolded path → row
    written: dict[str, str] = field(default_factory=dict)  # casefolded path → path as written, when not the same
    found: set[str] = field(default_factory=set)

    def add(self, folder: str, table: dict[str, FileMeta]) -> None:
        for name, meta in table.items():
            path = PurePosixPath(folder, name).as_posix() if folder not in ("", ".") else name
            key = path.casefold()
            self.metas[key] = meta
            if key != path:
                self.written[key] = path
            else:
                self.written.pop(key, None)

    def take(self, path: str) -> FileMeta | None:
        self.found.add(path.casefold())
        return self.metas.get(path.casefold())

    def missing(self) -> list[str]:
        return sorted(self.written.get(k, k) for k in set(self.metas) - self.found)


def missing_listed(missing: list[str], display: Callable[[str], str], state: RunState) -> Iterator[Article]:
    """A rejected article for each file a metadata.csv names that is not there (``Listed.missing``)."""
    for key in missing:
        name = PurePosixPath(key).name
        yield Article(
            doc_id=state.claim(PurePosixPath(name).stem or name),
            file=display(key),
            text="",
            status="rejected",
            reason=f"listed in {METADATA_NAME} but the file is missing",
        )


def read_metadata(
    load: Callable[[], bytes], display: str, settings: Settings, state: RunState, memo: MetadataMemo | None = None
) -> tuple[dict[str, FileMeta], list[Article]]:
    """metadata.csv → {relative file name: FileMeta}; a broken metadata.csv is reported, not raised. ``memo``:
    the tables read before with the same settings and rules (a broken one is not kept there)."""

    def problem(reason: str) -> tuple[dict[str, FileMeta], list[Article]]:
        return {}, [Article(doc_id=state.claim("metadata"), file=display, text="", status="rejected", reason=reason)]

    try:
        data = load()
        key = hashlib.sha1(data).hexdigest() if memo is not None else ""
        known = memo.load(key) if memo is not None else None
        if memo is not None and known is not None:
            memo.used.add(key)
            return known, []
        text, _ = formats.decode_text(data)
        rows = formats.csv_rows(text, settings)
    except formats.Rejected as err:
        return problem(f"{METADATA_NAME} ignored: {err}")
    except OSError as err:
        return problem(f"{METADATA_NAME} could not be read: {err.strerror or err}")
    table: dict[str, FileMeta] = {}
    readings: dict[tuple[str, str, bool], pubdate.DateReading | None] = {}  # a date written again is read once
    # one object for each value met again (a date, a publisher) and for each row met again: a corpus's table
    shared: dict[str, str] = {}
    rows_seen: dict[FileMeta, FileMeta] = {}
    for line_no, row in rows:
        fields = {k.strip().casefold(): v.strip() for k, v in row.items()}
        if "file" not in fields:
            return problem(f"{METADATA_NAME} ignored: it has no 'file' column")
        name = fields["file"].replace("\\", "/").removeprefix("./")
        if name:
            read = file_meta(fields, line_no, settings, readings)
            meta = FileMeta(*(shared.setdefault(v, v) for v in (getattr(read, f) for f in FileMeta.__slots__)))
            table[name] = rows_seen.setdefault(meta, meta)
    if memo is not None:
        memo.keep(key, table)
        memo.used.add(key)
    return table, []


def file_meta(
    fields: dict[str, str], line_no: int, settings: Settings,
    readings: dict[tuple[str, str, bool], pubdate.DateReading | None] | None = None,
) -> FileMeta:
    order = ORDER_WORDS.get(fields.get("date_order", "").upper().replace("_", "-"), "")
    publisher = fields.get("publisher", "")
    by_publisher = {k.casefold(): v for k, v in settings.date_order_by_publisher.items()}
    known_order = order or by_publisher.get(publisher.casefold(), "")
    published, evidence, note = "", "", ""
    raw = fields.get("published", "")
    if raw:
        key = (raw, known_order or settings.default_date_order, bool(known_order))
        readings = {} if readings is None else readings
        if key not in readings:
            readings[key] = pubdate.parse_date_value(raw, pubdate.default_rules(settings.data_dir), key[1], key[2])
        reading = readings[key]
        if reading is None:
            note = f"{METADATA_NAME} row {line_no}: published {raw!r} is not a date"
        else:
            published, evidence = reading.date.isoformat(), f'{METADATA_NAME} published "{raw}"'
    return FileMeta(
        url=fields.get("url", ""),
        published=published,
        published_evidence=evidence,
        publisher=publisher,
        title=fields.get("title", ""),
        date_order=order,
        note=note,
    )


# ---- one file → articles -----------------------------------------------------------------------------------------


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


def too_large(size: int, settings: Settings) -> str:
    limit = settings.max_text_bytes
    if size <= limit:
        return ""
    return f"larger than the {limit / 1e6:g} MB limit ({size / 1e6:.1f} MB)"


def rejected(item: InputFile, state: RunState, reason: str) -> Article:
    return Article(doc_id=state.claim(stem_of(item.name)), file=item.display, text="", status="rejected", reason=reason)


def articles_of_file(item: InputFile, settings: Settings, state: RunState) -> Iterator[Article]:
    """Every article of one input file; any failure becomes a rejected Article, never an exception."""
    if suffix_of(item.name) == ".zip":
        yield from articles_of_zip(item, settings, state)
        return
    reason = too_large(item.size, settings)
    if reason:
        yield rejected(item, state, reason)
        return
    try:
        records = formats.read_records(suffix_of(item.name), item.load(), settings)
    except formats.Rejected as err:
        yield rejected(item, state, str(err))
        return
    except OSError as err:
        yield rejected(item, state, f"could not be read: {err.strerror or err}")
        return
    except Exception as err:  # a library choking on odd input must not stop the run
        yield rejected(item, state, f"could not be read: {type(err).__name__}: {err}")
        return
    stem = state.claim(stem_of(item.name))
    for record in records:
        doc_id = stem if record.row is None else state.claim(f"{stem}#{record.row}")
        yield article_of(record, doc_id, item, settings)


def url_host(url: str) -> str:
    """The publisher when metadata names none: the URL's host without ``www.`` ("" without a URL)."""
    try:
        host = (urlsplit(url.strip()).hostname or "") if "://" in url else ""
    except ValueError:  # a malformed URL names no host
        return ""
    return host.removeprefix("www.")


def article_of(record: formats.Record, doc_id: str, item: InputFile, settings: Settings) -> Article:
    meta = item.meta or FileMeta()
    if record.reason:
        return Article(doc_id=doc_id, file=item.display, text="", status="rejected", reason=record.reason)
    article = Article(
        doc_id=doc_id,
        file=item.display,
        text=record.text,
        title=meta.title or record.title,
        publisher=meta.publisher or record.publisher or url_host(meta.url or record.url),
        url=meta.url or record.url,
        published=meta.published or record.published,
        published_evidence=meta.published_evidence if meta.published else record.published_evidence,
        date_order=meta.date_order,
        reason="; ".join(n for n in (record.note, meta.note) if n),
    )
    return article


def articles_of_zip(item: InputFile, settings: Settings, state: RunState) -> Iterator[Article]:
    if item.depth >= MAX_ZIP_DEPTH:
        yield rejected(item, state, f"zip archive nested more than {MAX_ZIP_DEPTH} deep")
        return
    try:
        data = item.load()
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = sorted((m for m in archive.infolist() if not m.is_dir()), key=lambda m: m.filename)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        yield rejected(item, state, f"broken zip archive ({err})")
        return
    members = [m for m in members if not any(hidden(part) for part in PurePosixPath(m.filename).parts)]
    if not members:
        yield rejected(item, state, "zip archive without files")
        return
    listed = Listed()
    for member in members:
        if PurePosixPath(member.filename).name.casefold() == METADATA_NAME:
            display = f"{item.display}/{member.filename}"
            table, problems = read_metadata(member_loader(archive, member), display, settings, state)
            listed.add(PurePosixPath(member.filename).parent.as_posix(), table)
            yield from problems
    for member in members:
        name = PurePosixPath(member.filename).name
        if name.casefold() == METADATA_NAME:
            continue
        inner = InputFile(
            display=f"{item.display}/{member.filename}",
            name=name,
            size=member.file_size,
            load=member_loader(archive, member),
            meta=listed.take(member.filename),
            depth=item.depth + 1,
        )
        if member.flag_bits & 0x1:
            yield rejected(inner, state, "encrypted in the zip archive")
            continue
        yield from articles_of_file(inner, settings, state)
    yield from missing_listed(listed.missing(), lambda key: f"{item.display}/{key}", state)


def member_loader(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Callable[[], bytes]:
    def load() -> bytes:
        try:
            return archive.read(member)
        except (zipfile.BadZipFile, RuntimeError, ValueError, EOFError) as err:
            raise formats.Rejected(f"could not be read from the zip archive ({err})") from err

    return load


# ---- duplicates ----------------------------------------------------------------------------------------------------


def normalised(text: str) -> str:
    """NFKC, case-folded, every run of whitespace one space (str.split() splits where re's \\s matches)."""
    if text.isascii():  # NFKC leaves ASCII alone and casefold() is lower() there
        return " ".join(text.lower().split())
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def text_key(article: Article, cleaned: CleanText | None) -> str | None:
    """What makes two ok articles duplicates: the hash of their normalised, cleaned text (None when not ok)."""
    if article.status != "ok" or cleaned is None:
        return None
    return key_of(body_text(article, cleaned))


def key_of(body: str) -> str:
    """``text_key`` from an ok article's ``body_text``."""
    return hashlib.sha1(normalised(body).encode("utf-8")).hexdigest()


def body_text(article: Article, cleaned: CleanText) -> str:
    """The kept text without its title (a copy often carries another headline); the whole text when none is kept."""
    return "\n".join(article.text[s.start : s.end] for s in cleaned.segments if s.kind != "title") or article.text


def mark_duplicate(article: Article, key: str | None, state: RunState) -> Article:
    """The second copy of the same (normalised, cleaned) article text is a duplicate of the first."""
    if key is None:
        return article
    first = state.texts.setdefault(key, article.doc_id)
    if first == article.doc_id:
        return article
    return replace(article, status="duplicate", reason=f"same text as {first}")
