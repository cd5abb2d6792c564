"""The documents of a build, in input order, into parts of the dataset: processed ones as their runs come back,
unchanged ones kept where the last build wrote them; then the pass over the whole corpus written into the parts.

The flow (``build.build_to_folder``), a module each:

- ``sources``: ``read(assembler, sources)`` reads the sources for the engine: a document whose digest and build
  fingerprint match the last build's index is kept (it never reaches a worker); the others go on to be processed;
- ``assembler``: ``Assembler.add_run`` takes the engine's runs in order and, document by document, marks
  duplicates and near copies (``neardup.Copies``, over kept and processed documents alike: the first copy wins,
  unless only a later one is dated), gathers the places and candidates, and writes a part every PART_DOCUMENTS
  documents. ``Assembler.finish`` rewrites the parts that lost documents (removed from the input, changed, or now
  duplicates) and says which parts are live;
- ``corpus_pass``: ``overlay(assembler, ...)`` writes into the parts what the pass over the whole corpus found
  (incident ids, inferred publication dates), rewriting only the parts it changes;
- ``tables``: the small helpers they share over the parts' tables (``CandidateCounts``: candidates.csv as the
  documents come).
"""

from __future__ import annotations

from pipeline.streaming.assembler import Assembler
from pipeline.streaming.corpus_pass import Grouping, IncidentSink, overlay
from pipeline.streaming.sources import SINGLE_DOCUMENT, read
from pipeline.streaming.tables import DATE_FIELDS, CandidateCounts

__all__ = [
    "DATE_FIELDS", "SINGLE_DOCUMENT", "Assembler", "CandidateCounts", "Grouping", "IncidentSink", "overlay", "read",
]  # fmt: skip
