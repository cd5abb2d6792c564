"""Every input file, and every row of a CSV/JSONL file, becomes exactly one ``Article``.

Sources are files, folders (walked recursively, with an optional ``metadata.csv`` per folder) and zip archives
of the same, on disk or named by a URL that fsspec reads (``remote``). A file that cannot be used still yields an
Article with ``status="rejected"`` and the reason; the same article text arriving twice yields
``status="duplicate"`` naming the first. Nothing a file contains makes ``read_sources`` raise; only a SOURCE that
does not exist does.

The flow (``read.read_sources``), a module each:

- ``records``: what is passed on: a SOURCE (``Source``: a Path or a ``Url``), a file to read (``InputFile``) with
  its metadata.csv row (``FileMeta``), what one run remembers (``RunState``), and a file's suffix and stem;
- ``listing``: ``inputs_from`` lists the sources as the files to read, in a stable order (``inputs_of_folder``
  for a folder on disk; ``remote`` for those named by URLs), each metadata.csv read as it is met;
- ``metadata``: ``read_metadata`` reads a metadata.csv into its rows; ``Listed`` tells the files it names that
  are missing;
- ``files``: ``articles_of_file`` reads one file (or zip archive) into its articles (the formats: ``formats``);
- ``duplicates``: ``mark_duplicate`` marks the second copy of a cleaned text;
- ``checks``: what the command line warns of before a build (CSVs without their text column, empty folders).
"""

from __future__ import annotations

from pipeline.ingest import files, listing, metadata, remote
from pipeline.ingest.checks import ColumnProblem, column_problems, csv_sources, empty_folders
from pipeline.ingest.duplicates import body_text, key_of, mark_duplicate, normalised, text_key
from pipeline.ingest.files import MAX_ZIP_DEPTH, articles_of_file
from pipeline.ingest.listing import disk_input, existing, inputs_from, inputs_of_folder, is_folder
from pipeline.ingest.metadata import Listed, MetadataMemo, missing_listed, read_metadata
from pipeline.ingest.read import cleaned_article, read_sources, read_sources_cleaned, uncleaned_articles
from pipeline.ingest.records import (
    METADATA_NAME,
    FileMeta,
    InputFile,
    RunState,
    Source,
    SourceError,
    Url,
    hidden,
    source_name,
    source_of,
    stem_of,
    suffix_of,
)  # fmt: skip

__all__ = [
    "MAX_ZIP_DEPTH", "METADATA_NAME", "ColumnProblem", "FileMeta", "InputFile", "Listed", "MetadataMemo", "RunState",
    "Source", "SourceError", "Url", "articles_of_file", "body_text", "cleaned_article", "column_problems",
    "csv_sources", "disk_input", "empty_folders", "existing", "files", "hidden", "inputs_from", "inputs_of_folder",
    "is_folder", "key_of", "listing", "mark_duplicate", "metadata", "missing_listed", "normalised", "read_metadata",
    "read_sources", "read_sources_cleaned", "remote", "source_name", "source_of", "stem_of", "suffix_of",
    "text_key", "uncleaned_articles",
]  # fmt: skip
