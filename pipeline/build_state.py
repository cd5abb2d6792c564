"""What a build leaves for the next one into the same folder: the state of its pass over the documents at its end
(``streaming.Assembler``), so that a rebuild whose input begins with every document of the last build, each
unchanged and in the same order (an archive that grows), starts from there instead of going through those
documents again one by one: the near-copy index and marks (``neardup.Copies``, and each text key's first
document), each kept document's own publication date, the places and candidates counted, the statuses, the input
order and how many near-copy checks were made.

Going through them again would make the same checks in the same state, find the same copies and leave every
document where it is: what it would end with is what the last build ended with. Anything else (a document
changed, removed or new before the last of them, or another order) goes through them one by one, as before.

Written as ``build_state.arrow`` (one Arrow row: lists of strings, and the index's arrays as raw words) with the
name of its build, which the manifest names too: a state left by an interrupted build, or by a build of other
rules or code (``incremental.build_fingerprint``, checked before), is never read.
"""

from __future__ import annotations

import json
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

from pipeline import incremental, neardup
from pipeline.records import Place

FILE = "build_state.arrow"
# CandidateCounts.names: name -> ([count], its documents (once each, in order), example sentence, example doc_id)
Candidates = dict[str, tuple[list[int], dict[str, None], str, str]]


@dataclass
class CorpusState:
    order: list[str]  # every doc_id, in input order
    status: dict[str, int]  # documents per status
    texts: dict[str, str]  # text key -> its first document (``ingest.RunState.texts``)
    copies: neardup.Copies
    dates: dict[str, tuple[str, str, str]]  # a kept document's own publication date (streaming.DATE_FIELDS)
    places: list[Place]  # in the order first met
    candidates: Candidates
    checks: int  # near-copy checks made, in copy_checks.jsonl


def write(path: Path, state: CorpusState, build: str) -> None:
    near = state.copies.near
    cands = state.candidates
    columns = {
        "order": _strings(state.order),
        "status": _strings([json.dumps(state.status, sort_keys=True)]),
        "text_keys": _strings(list(state.texts)),
        "text_docs": _strings(list(state.texts.values())),
        "copies": _strings(list(state.copies.original)),
        "originals": _strings(list(state.copies.original.values())),
        "dated": _strings(list(state.dates)),
        **{f: _strings([d[i] for d in state.dates.values()]) for i, f in enumerate(DATES)},
        "places": _strings([incremental.places_json(state.places)]),
        "candidates": _strings(list(cands)),
        "candidate_counts": _strings([str(c[0][0]) for c in cands.values()]),
        "candidate_documents": _strings([str(len(c[1])) for c in cands.values()]),
        "candidate_docs": _strings([d for c in cands.values() for d in c[1]]),
        "candidate_sentences": _strings([c[2] for c in cands.values()]),
        "candidate_examples": _strings([c[3] for c in cands.values()]),
        "near_names": _strings(near.names),
        "checks": _strings([str(state.checks)]),
        **{name: _words(getattr(near, name)) for name in ("hashes", "starts", "counts", "sizes")},
        **{name: _words(a) for name, a in zip(POSTINGS, near.posting_arrays(), strict=True)},
    }
    table = pa.table(columns).replace_schema_metadata({"build": build, "byteorder": sys.byteorder})
    with ipc.new_file(path, table.schema) as sink:
        sink.write_table(table)


def read(path: Path, build: str | None) -> CorpusState | None:
    """The state ``write`` left, when it is that of the build ``build`` (the last complete one); else None."""
    if not build:
        return None
    try:
        with ipc.open_file(path) as source:
            meta = source.schema.metadata or {}
            if meta.get(b"build") != build.encode() or meta.get(b"byteorder") != sys.byteorder.encode():
                return None
            table = source.read_all()
    except (OSError, pa.ArrowException):
        return None

    def strings(name: str) -> list[str]:
        return table.column(name).chunk(0).flatten().to_pylist()

    def words(name: str, typecode: str) -> array:
        found = array(typecode)
        found.frombytes(table.column(name).chunk(0)[0].as_buffer())
        return found

    near = neardup.Index(words("hashes", "I"), words("starts", "Q"), words("counts", "H"), words("sizes", "Q"),
                         strings("near_names"))  # fmt: skip
    near.restore_postings(*(words(name, "I") for name in POSTINGS))
    shared: dict[tuple[str, str, str], tuple[str, str, str]] = {}  # one tuple for documents dated alike
    dates = {}
    for doc_id, published, basis, evidence in zip(strings("dated"), *map(strings, DATES), strict=True):
        dated = (published, basis, evidence)
        dates[doc_id] = shared.setdefault(dated, dated)
    candidates: Candidates = {}
    docs = iter(strings("candidate_docs"))
    for name, count, n, sentence, example in zip(
        strings("candidates"), strings("candidate_counts"), strings("candidate_documents"),
        strings("candidate_sentences"), strings("candidate_examples"), strict=True,
    ):  # fmt: skip
        candidates[name] = ([int(count)], {next(docs): None for _ in range(int(n))}, sentence, example)
    return CorpusState(
        order=strings("order"),
        status=json.loads(strings("status")[0]),
        texts=dict(zip(strings("text_keys"), strings("text_docs"), strict=True)),
        copies=neardup.Copies(near, dict(zip(strings("copies"), strings("originals"), strict=True))),
        dates=dates,
        places=list(incremental.places_from_json(strings("places")[0])),
        candidates=candidates,
        checks=int(strings("checks")[0]),
    )


DATES = ("published", "published_basis", "published_evidence")
POSTINGS = ("one_keys", "one_positions", "multi_keys", "multi_counts", "multi_positions")


def _strings(values: list[str]) -> pa.Array:
    """One row: the list ``values``."""
    return pa.ListArray.from_arrays(pa.array([0, len(values)], pa.int32()), pa.array(values, pa.string()))


def _words(values: array) -> pa.Array:
    """One row: the array's bytes as they are in memory (native byte order, which the file records)."""
    data = pa.py_buffer(values)
    return pa.Array.from_buffers(pa.large_binary(), 1, [None, pa.py_buffer(array("q", [0, data.size])), data])
