"""Places: where things happen, geocoded offline from the gazetteer index.

A document is read in two passes (``find.find_places``):

1. ``toponyms``: the candidate toponyms of every sentence (longest match over name keys, skipping actor and
   source names, and country or capital names where they act: "Ankara rejects" is the Turkish state, "in
   Ankara" a city), with their qualifiers ("east Idlib" is Idlib at precision 2) and cues; names that only
   label an agreement or a process ("the Astana agreement") are not places;
2. ``choose``: one entry per toponym, preferring the countries and governorates the document names
   unambiguously, then the feature type and the population, the way geoparsers such as CLAVIN and Mordecai do.

``gazetteer`` builds and caches the index both read: GeoNames towns, first-level regions, seas and the curated
``data/places.csv``.
"""

from __future__ import annotations

from pipeline import native

native.activate_subpackage(__path__, "places")  # the compiled modules of this package, when they are fresh

from pipeline.places.find import find_places, load_gazetteer, outside_names  # noqa: E402
from pipeline.places.toponyms import Gazetteer  # noqa: E402

__all__ = ["Gazetteer", "find_places", "load_gazetteer", "outside_names"]
