"""The records that flow between the pipeline's stages.

Every stage is a module of pure functions over these immutable records; only
``store`` touches the output folder. Offsets (``start``/``end``) are always
Python string indices into ``Article.text``, the document's decoded text, so
cleaning and sentence splitting never shift them.

The records made for every mention (TimeExpr, TimeValue, Place, Mention) are
named tuples: a frozen dataclass's __init__ sets each field through
object.__setattr__, ~12,000 instructions per Mention even when this module is
compiled, against ~1,000 for a named tuple. The others are frozen dataclasses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import NamedTuple


class Record:
    """Pickled through its constructor, field by field (workers receive and return records; compiled with
    mypyc, a frozen class cannot be restored attribute by attribute)."""

    def __reduce__(self) -> tuple[type, tuple]:
        return type(self), tuple([getattr(self, f.name) for f in fields(self)])  # type: ignore[arg-type]


@dataclass(frozen=True)
class Article(Record):
    """One input document as read, before cleaning.

    ``text`` is the decoded file text for .txt files, and the article text taken
    from the record for .html/.json/.jsonl/.csv inputs; every offset refers to it.
    A rejected or duplicate document keeps its row in documents.csv with ``reason``.
    """

    doc_id: str
    file: str
    text: str
    title: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""  # YYYY-MM-DD from metadata or a structured field, else ""
    published_evidence: str = ""  # where ``published`` came from, e.g. "metadata.csv"
    date_order: str = ""  # "MDY" or "DMY" when the source's numeric-date convention is known
    status: str = "ok"  # ok | rejected | duplicate
    reason: str = ""


@dataclass(frozen=True)
class Segment(Record):
    """A stretch of ``Article.text`` that cleaning kept."""

    start: int
    end: int
    kind: str = "body"  # body | caption | title


@dataclass(frozen=True)
class CleanText(Record):
    """What cleaning keeps: the article's segments (as offsets) and its metadata lines."""

    segments: tuple[Segment, ...]
    title: str = ""
    byline: str = ""
    dateline: str = ""


@dataclass(frozen=True)
class PubDate(Record):
    """A document's publication date with the evidence for it."""

    date: dt.date | None
    basis: str  # text | url | metadata | user | unknown
    evidence: str = ""
    ambiguous: bool = False
    alternative: dt.date | None = None  # the other reading of a day/month-swappable date
    conflict: str = ""  # e.g. "printed 2020-02-13, URL 2020-02-14"


@dataclass(frozen=True)
class Sentence(Record):
    doc_id: str
    index: int
    start: int
    end: int
    text: str
    kind: str = "body"  # the kind of the segment it came from


class TimeExpr(NamedTuple):
    """A temporal expression as detected, not yet anchored.

    ``underspecified`` is the HeidelTime-style form, e.g. ``UNDEF-last-friday``,
    ``UNDEF-year-month-12``, ``2018``; ``fields`` carries what the resolver needs.
    """

    text: str
    start: int
    end: int
    rule: str
    underspecified: str
    fields: tuple[tuple[str, str], ...] = ()

    def field(self, name: str, default: str = "") -> str:
        return dict(self.fields).get(name, default)


class TimeValue(NamedTuple):
    """A calendar value with the granularity its words carry and a checkable explanation."""

    value: str  # TimeML: 2020-05-02, 2020-W17, 2019-12, 2020-Q1, 2018, XXXX-01-31; "" when unresolved
    start: dt.date | None
    end: dt.date | None
    granularity: str  # day | week | month | quarter | season | year | decade | range | unknown
    basis: str  # explicit | relative | inherited | reported | unresolved
    resolution: str
    modifier: str = ""  # START | MID | END | ... (TimeML mod)


@dataclass(frozen=True)
class Actor(Record):
    """An entry of the actor dictionary."""

    name: str
    type: str  # state | state force | armed group | party | international organisation | person | ...
    affiliation: str = ""
    source: str = "dictionary"  # dictionary | detected (found in the text, no dictionary entry)


class Place(NamedTuple):
    """A gazetteer entry the pipeline resolved a name to."""

    name: str
    lat: float
    lon: float
    kind: str  # city | admin | country | region | feature
    country: str
    precision: int = 1  # ACLED style: 1 town/point, 2 region or near, 3 province or country
    admin1: str = ""  # the first-level region it lies in (or is), by its GeoNames code ("PK.03"); "" unknown


class Mention(NamedTuple):
    """A recognised span: a time expression, an actor or a place."""

    kind: str  # time | actor | place
    text: str
    start: int
    end: int
    value: str  # time value, canonical actor name or place name
    lat: float | None = None
    lon: float | None = None
    precision: int | None = None  # places only, may be coarser than the place's own (e.g. "near X")


@dataclass(frozen=True)
class Candidate(Record):
    """A name that looks like an actor but is not in the dictionary."""

    name: str
    sentence: str
    doc_id: str
