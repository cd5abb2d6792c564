"""Newsline's pipeline: articles in, a dated, geolocated event table out (see DESIGN.md)."""

from pipeline import native

native.activate(__path__)  # the compiled stage modules, when ``make compile`` built them from these sources
