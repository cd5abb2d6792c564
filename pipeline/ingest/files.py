"""One file read into its articles: a file of one document, every row of a CSV/JSONL file, every member of a zip
archive (nested up to MAX_ZIP_DEPTH, with its own metadata.csv). Any failure becomes a rejected Article with the
reason, never an exception; the formats themselves are ``pipeline.formats``."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from pipeline import formats
from pipeline.ingest.metadata import Listed, missing_listed, read_metadata
from pipeline.ingest.records import FileMeta, InputFile, RunState, hidden, is_metadata, stem_of, suffix_of
from pipeline.records import Article
from pipeline.settings import Settings

MAX_ZIP_DEPTH = 3


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
        if is_metadata(member.filename):
            display = f"{item.display}/{member.filename}"
            table, problems = read_metadata(member_loader(archive, member), display, settings, state)
            listed.add(PurePosixPath(member.filename).parent.as_posix(), table)
            yield from problems
    for member in members:
        if is_metadata(member.filename):
            continue
        name = PurePosixPath(member.filename).name
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
