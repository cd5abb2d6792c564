"""Counting incidents in the page: one row per incident, its reports in the provenance, an incidents CSV."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pipeline import cli
from pipeline.store import read_tables
from tests.conftest import REPO
from views import filters, incidents

DASHBOARD = str(REPO / "dashboard.py")
CORPUS = REPO / "tests" / "data" / "incidents"
# the market strike's row: three outlets, one of which also quotes local traders on why the market was busy that day
MARKET = "incident: 3 sources, 4 reports"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("incidents_out")
    assert cli.main(["build", str(CORPUS), "--out", str(out), "--no-progress"]) == 0
    return out


@pytest.fixture(scope="module")
def tables(built: Path):
    return read_tables(built)


def test_one_row_per_incident_with_its_best_values(tables) -> None:
    rows = filters.prepare_events(tables.events)
    collapsed = incidents.one_per_incident(rows, tables.incidents)
    assert len(collapsed) == len(tables.incidents) and collapsed["incident_id"].is_unique
    market = collapsed[collapsed["time_text"].eq(MARKET) & collapsed["start"].eq("2021-03-14")]
    assert len(market) == 1 and market["locations"].iloc[0] == "Saraqib"
    assert market["start"].iloc[0] == pd.Timestamp("2021-03-14")
    # a filter that keeps one report keeps its incident
    one = rows[rows["publisher"] == "Levant Weekly"]
    assert set(incidents.one_per_incident(one, tables.incidents)["incident_id"]) == set(
        one["incident_id"][one["incident_id"] != ""]
    )


def test_the_sources_of_an_incident_list_every_report(tables) -> None:
    incident = tables.incidents
    market = incident[incident["reports"].eq(4) & incident["date_start"].eq("2021-03-14")]["incident_id"].iloc[0]
    sources = incidents.incident_sources(market, tables.events, tables.documents)
    assert sorted(sources["outlet"]) == ["Idlib Now", "Levant Weekly", "Wire One", "Wire One"]
    assert all(sources["link"].str.startswith("https://")) and all(sources["sentence"] != "")


def test_the_reports_of_the_incidents_shown_are_every_row_of_them(tables) -> None:
    rows = filters.prepare_events(tables.events)
    collapsed = incidents.one_per_incident(rows, tables.incidents)
    market = collapsed[collapsed["time_text"].eq(MARKET) & collapsed["start"].eq("2021-03-14")]
    reports = incidents.reports_of(market, rows)
    assert len(reports) == 4 and set(reports["publisher"]) == {"Wire One", "Idlib Now", "Levant Weekly"}


def test_the_incidents_csv_neutralises_formulas(tables) -> None:
    rows = incidents.incidents_rows(pd.DataFrame({"incident_id": tables.incidents["incident_id"]}), tables.incidents)
    rows.loc[0, "actors"] = "=HYPERLINK(1)"
    frame = pd.read_csv(io.BytesIO(incidents.csv_bytes(rows)), dtype=str, keep_default_na=False)
    assert frame.loc[0, "actors"] == "'=HYPERLINK(1)" and list(frame.columns[:4]) == [
        "incident_id", "date_start", "date_end", "granularity"
    ]


def test_the_page_switches_between_reports_and_incidents(built: Path, tables, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NEWSLINE_OUT", str(built))
    monkeypatch.setenv("NEWSLINE_PUBDATE_FIXES", str(tmp_path / "fixes.csv"))
    at = AppTest.from_file(DASHBOARD, default_timeout=120).run()
    assert any(s.value.startswith("Events (") for s in at.subheader)
    at.session_state["count"] = "incidents"
    at.run()
    title = next(s.value for s in at.subheader if s.value.startswith("Incidents ("))
    dated = tables.incidents
    assert int(title.split("(")[1].rstrip(")")) == len(dated)
    assert "Download incidents CSV" in {b.label for b in at.get("download_button")}
    assert at.query_params["count"] in ("incidents", ["incidents"])  # mirrored in the URL
    shown = at.dataframe(key="table").value
    at.session_state["table"] = {"selection": {"rows": [int((shown["expression"] ==
                                 MARKET).idxmax())], "columns": [], "cells": []}}  # fmt: skip
    at.run()
    sources = at.dataframe[2].value  # after the table and the article's other events
    assert sorted(sources["outlet"]) == ["Idlib Now", "Levant Weekly", "Wire One", "Wire One"]
    assert any("same day 2021-03-14; Saraqib" in t.value for t in at.text)


def test_a_link_reopens_the_incidents_view(built: Path, tables, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("NEWSLINE_OUT", str(built))
    monkeypatch.setenv("NEWSLINE_PUBDATE_FIXES", str(tmp_path / "fixes.csv"))
    at = AppTest.from_file(DASHBOARD, default_timeout=120)
    at.query_params["count"] = "incidents"
    at.run()
    assert any(s.value == f"Incidents ({len(tables.incidents)})" for s in at.subheader)
