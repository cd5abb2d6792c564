"""Actors: who acts in a sentence, detected from the text and refined by the dictionary.

The flow of ``read_actors`` for one document:

1. ``match``: the names of ``data/actors.csv`` and ``data/states.csv`` (every country, its capital and
   demonym), the longest alias that fits; sources (media, monitors) are recognised and left out;
2. ``detect``: names no dictionary entry holds, from cues in the text (``data/actor_rules.toml``);
3. per document: a generic alias ("government forces") counts only where the document names its actor
   otherwise; detected names get an ``Actor`` record with ``source="detected"``.

``candidates`` lists capitalised names with an actor cue that neither step took, for an analyst to review.
"""

from __future__ import annotations

from pipeline import native

native.activate_subpackage(__path__, "actors")  # the compiled modules of this package, when they are fresh

from pipeline.actors.candidates import find_candidates  # noqa: E402
from pipeline.actors.dictionary import (  # noqa: E402
    ACTORS_FILE,
    SOURCE_TYPES,
    STATES_FILE,
    ActorIndex,
    Alias,
    Walk,
    dictionary_rows,
    document_walks,
    fitting_alias,
    load_index,
    longest_alias,
    name_walks,
    read_dictionary,
    split_names,
)
from pipeline.actors.match import actors_in_sentence  # noqa: E402
from pipeline.actors.read import DETECTED, DICTIONARY, DocumentActors, find_actors, read_actors  # noqa: E402

__all__ = [
    "ACTORS_FILE", "DETECTED", "DICTIONARY", "SOURCE_TYPES", "STATES_FILE", "ActorIndex", "Alias", "DocumentActors",
    "Walk", "actors_in_sentence", "dictionary_rows", "document_walks", "find_actors", "find_candidates",
    "fitting_alias", "load_index", "longest_alias", "name_walks", "read_actors", "read_dictionary", "split_names",
]  # fmt: skip
