"""Newsline's pipeline: articles in, a dated, geolocated event table out (see DESIGN.md)."""
