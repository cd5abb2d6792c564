"""Near-duplicate articles: a republished or lightly edited copy of an earlier article.

Each article's cleaned body (title left out: a copy often carries another headline) becomes a set of
"shingles", hashed: for each sentence its first ``EDGE`` characters and its last ``EDGE``, so a word changed
in the middle of a sentence ("nine" for "9") leaves both, and one changed at an end leaves the other. A
sketch keeps the ``SKETCH`` smallest hashes (a bottom-k MinHash); the Jaccard similarity of two articles is
estimated from their sketches: among the ``SKETCH`` smallest hashes of both together, the share found in both
(exact below ``SKETCH`` shingles, which most articles are). Sentence ends rather than every word 5-gram: two
hashes per sentence cost ~0.5M instructions an article, a hash per word ~2.2M (a seventh of everything else
the build does with it), and copies were found as well (161 of 162 against 141 of 141).

Candidates are found through an inverted index of sketch hashes (an article is compared only with the
articles that share at least ``MIN_SHARED`` of its hashes), so a corpus is never compared pair by pair.
A copy is an article with a Jaccard similarity of ``THRESHOLD`` or more, or a trimmed copy (most of its
shingles found in the longer text). Distinct reports of one incident, even in similar words, share few
5-grams; a copy with another headline, a trimmed paragraph or added boilerplate keeps most of them.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

EDGE = 40  # characters at each end of a sentence that make its two shingles
MIN_PIECE = 24  # a shorter piece ("Share | Email") makes none
TAIL = 0x5A5A5A5A  # a tail's hash is told from a head's with the same characters
SKETCH = 128  # hashes kept per article
THRESHOLD = 0.5  # estimated Jaccard similarity from which an article is a copy of an earlier one
CONTAINED = 0.8  # ... or from which the shorter text is a trimmed copy of the longer
MIN_SHARE = 0.5  # ... when it keeps at least this share of the longer one
# Candidates are looked up by the LOOKUP smallest hashes of a sketch, and must share MIN_SHARED of them: a pair
# with Jaccard similarity J shares about J * LOOKUP (a copy at the lowest similarity it is recognised at, ~0.36,
# some 11 of 32).
LOOKUP = 32
MIN_SHARED = 6
CANDIDATES = 8  # the articles sharing the most hashes that are compared, at most
MIN_SHINGLES = 4  # a shorter text (a single sentence) is never called a copy
# A hash in the sketches of more kept articles than this is boilerplate many outlets repeat: it finds no
# candidates. (Copies are not indexed, so a wire story republished a hundred times does not make its own
# hashes hot.)
HOT = 50



class Sketch(NamedTuple):
    hashes: tuple[int, ...]  # the SKETCH smallest shingle hashes, ascending
    size: int  # distinct shingles in the text


def sketch(text: str) -> Sketch | None:
    """The bottom-k sketch of ``text``'s sentence-end shingles; None for a text too short to judge."""
    shingles = set()
    # Each line lower-cased with single spaces (C-level work) and cut after each full stop; each piece's first
    # and last EDGE characters. crc32, not hash(): str hashes differ between processes, and workers make them.
    for line in text.lower().splitlines():
        for piece in " ".join(line.split()).split(". "):
            if len(piece) >= MIN_PIECE:
                shingles.add(zlib.crc32(piece[:EDGE].encode()))
                shingles.add(zlib.crc32(piece[-EDGE:].encode()) ^ TAIL)
    if len(shingles) < MIN_SHINGLES:
        return None
    return Sketch(tuple(sorted(shingles)[:SKETCH]), len(shingles))


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (exact when both sketches are whole)."""
    return _similarity(set(a.hashes), b.hashes)


def _similarity(mine: set[int], theirs: Sequence[int]) -> float:
    shared = mine.intersection(theirs)
    together = len(mine) + len(theirs) - len(shared)
    if together <= SKETCH:  # both texts whole in their sketches (most articles): the exact Jaccard, nothing to sort
        return len(shared) / together if together else 0.0
    union = sorted(mine.union(theirs))[:SKETCH]
    return len(shared.intersection(union)) / len(union)


def containment(a: Sketch, b: Sketch, jaccard: float) -> float:
    """The share of the shorter text's shingles found in the other, from the Jaccard similarity and the sizes."""
    return _containment(a.size, b.size, jaccard)


def _containment(a: int, b: int, jaccard: float) -> float:
    shared = jaccard * (a + b) / (1 + jaccard)
    return min(1.0, shared / min(a, b))


def is_copy(a: Sketch, b: Sketch) -> float | None:
    """The similarity of ``a`` and ``b`` when one is a copy of the other, else None: most shingles shared
    (``THRESHOLD``), or a trimmed copy (``CONTAINED`` of the shorter text in the longer, which it is at least
    ``MIN_SHARE`` of: an excerpt quoted in a longer article is no copy)."""
    return _is_copy(set(a.hashes), a.size, b.hashes, b.size)


def _is_copy(mine: set[int], size: int, theirs: Sequence[int], their_size: int) -> float | None:
    jaccard = _similarity(mine, theirs)
    if jaccard >= THRESHOLD:
        return jaccard
    if (min(size, their_size) >= MIN_SHARE * max(size, their_size)
            and _containment(size, their_size, jaccard) >= CONTAINED):  # fmt: skip
        return jaccard
    return None


def _second(pair: tuple[int, int]) -> int:
    return pair[1]


@dataclass
class Index:
    """The sketches of the articles kept so far, by hash; ``match`` finds the earliest close copy.

    Compact, as it holds every kept article of a corpus: the sketches one after the other in one array of 32-bit
    hashes (where each begins and how many it has in two more), the sizes in an array, and a hash found in one
    sketch only (most of them) posted as a bare position, the others as an array of positions. (~6.4 KB an article
    of 60 sentence ends as tuples and lists of Python ints; an array per sketch cost its header too, and a list of
    positions 40 bytes a position, an int object each, against 4.)"""

    hashes: array = field(default_factory=lambda: array("I"))
    starts: array = field(default_factory=lambda: array("Q"))
    counts: array = field(default_factory=lambda: array("H"))
    sizes: array = field(default_factory=lambda: array("Q"))
    names: list[str] = field(default_factory=list)
    postings: dict[int, int | array] = field(default_factory=dict)  # hash -> the position(s) posted under it

    def sketch_at(self, position: int) -> array:
        """The hashes of the sketch at ``position``, ascending."""
        start = self.starts[position]
        return self.hashes[start : start + self.counts[position]]

    def match(self, s: Sketch | None) -> tuple[str, float] | None:
        """The earliest indexed article ``s`` is a copy of, and the similarity; None when there is none."""
        if s is None:
            return None
        shared: dict[int, int] = {}  # position -> hashes shared, in the order first met
        for h in s.hashes[:LOOKUP]:
            posting = self.postings.get(h)
            if isinstance(posting, int):
                shared[posting] = shared.get(posting, 0) + 1
            elif posting and len(posting) <= HOT:
                for position in posting:
                    shared[position] = shared.get(position, 0) + 1
        need = min(MIN_SHARED, max(1, len(s.hashes[:LOOKUP]) // 4))
        close = [(position, n) for position, n in shared.items() if n >= need]
        if len(close) > CANDIDATES:  # the CANDIDATES sharing the most (the first met among equals)
            close = sorted(close, key=_second, reverse=True)[:CANDIDATES]
        mine = set(s.hashes)
        for position in sorted(p for p, _ in close):
            score = _is_copy(mine, s.size, self.sketch_at(position), self.sizes[position])
            if score is not None:
                return self.names[position], score
        return None

    def add(self, name: str, s: Sketch | None) -> None:
        if s is None:
            return
        self.starts.append(len(self.hashes))
        self.counts.append(len(s.hashes))
        self.hashes.extend(s.hashes)
        self.sizes.append(s.size)
        self.names.append(name)
        self._post(s, len(self.names) - 1)

    def _post(self, s: Sketch, position: int) -> None:
        for h in s.hashes[:LOOKUP]:
            found = self.postings.get(h)
            if found is None:
                self.postings[h] = position
            elif isinstance(found, int):
                self.postings[h] = array("I", (found, position))
            else:
                found.append(position)

    def posting_arrays(self) -> tuple[array, array, array, array, array]:
        """The postings as flat arrays (``restore_postings``): the hashes posted under one position and those
        positions; the hashes posted under several, how many each, and their positions one after the other."""
        one_keys, one_positions = array("I"), array("I")
        keys, counts, positions = array("I"), array("I"), array("I")
        for h, found in self.postings.items():
            if isinstance(found, int):
                one_keys.append(h)
                one_positions.append(found)
            else:
                keys.append(h)
                counts.append(len(found))
                positions.extend(found)
        return one_keys, one_positions, keys, counts, positions

    def restore_postings(self, one_keys: array, one_positions: array, keys: array, counts: array,
                         positions: array) -> None:  # fmt: skip
        """The postings ``posting_arrays`` gave, each position list in its order (the order candidates are met)."""
        postings: dict[int, int | array] = {}
        postings.update(zip(one_keys, one_positions, strict=True))
        start = 0
        for h, n in zip(keys, counts, strict=True):
            postings[h] = positions[start : start + n]
            start += n
        self.postings = postings

    def replace(self, old: str, name: str, s: Sketch | None) -> None:
        """``name`` takes the place of ``old`` (a dated copy kept instead of its undated original)."""
        if old in self.names and s is not None:
            position = self.names.index(old)
            for h in self.sketch_at(position)[:LOOKUP]:
                found = self.postings[h]
                if isinstance(found, int):
                    del self.postings[h]
                else:
                    found.remove(position)
                    if len(found) == 1:
                        self.postings[h] = found[0]
            self.starts[position] = len(self.hashes)  # (its old sketch stays, unused: a rare case)
            self.counts[position] = len(s.hashes)
            self.hashes.extend(s.hashes)
            self.sizes[position] = s.size
            self.names[position] = name
            self._post(s, position)
        else:
            self.add(name, s)


# ---- marking the documents -------------------------------------------------------------------------------------------


class Doc(Protocol):
    """A document as the build assembles it: its documents.csv row, and whether its rows are kept."""

    row: dict
    kept: bool


@dataclass
class Marked:
    """A ``Doc`` of its own: the columns of a documents row that marking reads or changes."""

    row: dict
    kept: bool = True


class Texts(Protocol):
    """What the run remembers of the texts it read: each text key's first document (ingest.RunState)."""

    texts: dict[str, str]


@dataclass
class Copies:
    """The documents kept so far, by text key and near-duplicate sketch, in input order; marks each new one that
    is a copy of an earlier one (or the earlier one, when only the copy is dated). Holds no document: ``check``
    is given a way to find a kept one by doc_id, so a streaming build need not keep them all."""

    near: Index = field(default_factory=Index)
    original: dict[str, str] = field(default_factory=dict)  # a duplicate's doc_id -> the document kept for it
    twin: tuple[str, float] | None = None  # what the last check found (``check``)

    def check(
        self, new: Doc, key: str, sketch: Sketch | None, state: Texts, kept: Callable[[str], Doc],
        replay: bool = False, known: tuple[str, float] | None = None,
    ) -> Doc | None:
        """Mark ``new`` a duplicate of an earlier kept document (``kept(doc_id)``); or, when only ``new`` is
        dated, the earlier one a duplicate of it (its rows are the ones with resolved dates). Returns the
        document marked (``new`` or the earlier one), None when ``new`` is no copy. ``replay``: what a build
        found for it after checking the same documents the same way is ``known`` (the near copy, doc_id and
        similarity, or None): its sketch is not compared again, only remembered. ``twin``: what the check
        found."""
        doc_id = new.row["doc_id"]
        first = state.texts.setdefault(key, doc_id)
        while first in self.original:  # the same text as a document that is itself a copy
            first = self.original[first]
        exact = first != doc_id
        twin = (first, 1.0) if exact else known if replay else self.near.match(sketch)
        self.twin = twin
        if twin is None:
            self.near.add(doc_id, sketch)
            return None
        older = kept(twin[0])
        if older.row["published"] or not new.row["published"]:
            mark_copy(new, older, twin[1], exact)
            self.original[doc_id] = twin[0]
            return new
        mark_copy(older, new, twin[1], exact)
        self.original[twin[0]] = doc_id
        self.near.replace(twin[0], doc_id, sketch)
        return older


def mark_copy(copy: Doc, original: Doc, similarity: float, exact: bool = False) -> None:
    """``copy`` becomes a duplicate of ``original``: its rows are dropped; undated, it takes the original's date."""
    copy.kept = False
    row, first = copy.row, original.row
    near = not exact
    row.update(
        status="duplicate",
        events=0,
        reason=f"near-duplicate of {first['doc_id']} (similarity {similarity:.2f})" if near
        else f"same text as {first['doc_id']}",
    )  # fmt: skip
    if not row["published"] and first["published"]:
        row.update(
            published=first["published"], published_basis="duplicate", ambiguous=False, alternative_date="",
            published_evidence=f"the publication date of its {'near ' if near else ''}copy {first['doc_id']} "
            f"({first['published_basis']}: {first['published_evidence'] or first['published']})",
        )  # fmt: skip


# ---- a worker's own memory of copies ---------------------------------------------------------------------------------

FORGET_AFTER = 4096  # documents a worker remembers (its memory stays bounded; copies are mostly read close together)


@dataclass
class Seen:
    """The documents one worker processed, so that it can skip the stages for a copy of one of them: the build
    drops a duplicate's rows, and a worker that knows the document is one need not make them. Only a hint: the
    build's own ``Copies``, over the whole corpus in input order, decides; a document skipped that it does not mark
    a duplicate is processed again there. The same rules as ``Copies.check`` (an undated earlier document is the
    copy of a dated later one, which is processed), over what this worker saw, forgotten every FORGET_AFTER."""

    copies: Copies = field(default_factory=Copies)
    texts: dict[str, str] = field(default_factory=dict)
    docs: dict[str, Marked] = field(default_factory=dict)

    def is_copy(self, row: dict, key: str, sketch: Sketch | None) -> bool:
        """Whether the document of ``row`` (its documents row: doc_id and publication date) is a copy of one seen
        before, which is kept instead of it; remembers it either way."""
        if len(self.docs) >= FORGET_AFTER:
            self.copies, self.texts, self.docs = Copies(), {}, {}
        doc = Marked(dict(row))
        self.docs[row["doc_id"]] = doc
        return self.copies.check(doc, key, sketch, self, self.docs.__getitem__) is doc
