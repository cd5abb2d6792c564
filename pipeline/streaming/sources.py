"""The sources read for the engine, in input order: a document whose digest and build fingerprint match the
last build's index is kept (queued as ``Kept``: it never reaches a worker); the others are queued as PENDING and
go on to be processed."""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from pipeline import ingest
from pipeline.incremental import Indexed
from pipeline.records import Article
from pipeline.settings import Settings

if TYPE_CHECKING:
    from pipeline.streaming.assembler import Assembler

PENDING = None  # a document sent to the engine, in the queue of documents in input order

# Files that hold exactly one document, whose doc_id is the file's name: the ones a rebuild need not read again.
SINGLE_DOCUMENT = frozenset({".txt", ".html", ".htm"})


class Kept(NamedTuple):  # (made for each kept document: a tuple is made faster than a frozen dataclass)
    article: Article  # without its text (or just its doc_id and file, when the file was not read)
    indexed: Indexed
    unread: ingest.InputFile | None = None  # the file, to read after all should its whole article be needed


def read(assembler: Assembler, sources: Sequence[ingest.Source]) -> Iterator[Article]:
    """The articles of ``sources`` that must be processed, read and decoded; the others are queued as kept
    (``assembler.queue``).

    A file of one document whose size, modification time, metadata.csv row and date fix are those the
    index recorded (its ``stamp``) is not read again; any other document is read, and kept when its digest
    is the one recorded."""
    state = ingest.RunState()
    by_file = {old.file: (doc_id, old) for doc_id, old in assembler.previous.items() if old.stamp}
    for item in ingest.inputs_from(ingest.existing(sources), assembler.settings, state, assembler.metadata):
        if isinstance(item, ingest.InputFile) and ingest.suffix_of(item.name) in SINGLE_DOCUMENT:
            doc_id = state.claim(ingest.stem_of(item.name))
            stamp = _stamp(item, assembler.fixes.get(doc_id))
            known = by_file.get(item.display)
            if known is not None and known == (doc_id, known[1]) and known[1].stamp == stamp:
                stub = Article(doc_id=doc_id, file=item.display, text="")
                assembler.queue.append(Kept(stub, known[1], item))
                continue
            yield from _route(assembler, read_one(item, doc_id, assembler.settings), stamp)
        elif isinstance(item, ingest.InputFile):
            for article in ingest.files.articles_of_file(item, assembler.settings, state):
                yield from _route(assembler, article, "")
        else:
            yield from _route(assembler, item, "")


def _route(assembler: Assembler, article: Article, stamp: str) -> Iterator[Article]:
    old = assembler.previous.get(article.doc_id)
    # (a file read again whose text is the same is kept: its old stamp stays, so a later rebuild reads it again)
    if old is not None and old.digest == assembler.digest(article):
        assembler.queue.append(Kept(article if old.status == "duplicate" else replace(article, text=""), old))
    else:
        assembler.stamps[article.doc_id] = stamp
        assembler.queue.append(PENDING)
        yield article


def _stamp(item: ingest.InputFile, fix: object) -> str:
    """What says a file of one document is as it was: size, modification time, metadata.csv row, date fix."""
    mtime = item.mtime_ns
    if mtime < 0 and "://" in item.display:  # a file named by a URL whose filesystem tells no time
        return ""
    if mtime < 0:
        try:
            mtime = os.stat(item.display).st_mtime_ns
        except OSError:
            return ""
    return f"{item.size}:{mtime}:{_meta_digest(item.meta)}:{fix or ''}"


@functools.lru_cache(maxsize=4096)  # a corpus's files share a few metadata rows (``ingest.read_metadata``)
def _meta_digest(meta: ingest.FileMeta | None) -> str:
    return hashlib.sha1(repr(meta).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_one(item: ingest.InputFile, doc_id: str, settings: Settings) -> Article:
    """The one article of a file whose doc_id was claimed already."""
    article = next(ingest.files.articles_of_file(item, settings, ingest.RunState()))
    return replace(article, doc_id=doc_id)
