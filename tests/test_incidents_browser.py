"""The incidents switch in the real page (Chromium): counting incidents, their sources, the incidents CSV.

Our corpus (tests/data/incidents) is built by the real command line and served by `streamlit run`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli
from tests.dashboard_server import REPO, launch, serve
from tests.test_browser import (  # noqa: F401
    TIMEOUT_MS,
    downloaded_csv,
    expect,
    open_page,
    pytestmark,
    sync_api,
    wait_idle,
)

CORPUS = REPO / "tests" / "data" / "incidents"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("incidents_browser") / "out"
    assert cli.main(["build", str(CORPUS), "--out", str(out), "--no-progress"]) == 0
    return out


@pytest.fixture(scope="module")
def url(built: Path):
    with serve(built, {"NEWSLINE_PUBDATE_FIXES": str(built.parent / "fixes.csv")}) as address:
        yield address


def test_switching_to_incidents_counts_each_happening_once(url, built, tmp_path) -> None:
    evts = pd.read_parquet(built / "events.parquet")
    incidents = pd.read_parquet(built / "incidents.parquet")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        page = browser.new_context(viewport={"width": 1500, "height": 1300}, accept_downloads=True).new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            open_page(page, url)
            expect(page.get_by_role("heading", name=re.compile(r"^Events \("))).to_be_visible()
            page.locator(".st-key-count").get_by_text("incidents", exact=True).click()
            wait_idle(page)
            heading = page.get_by_role("heading", name=re.compile(r"^Incidents \("))
            expect(heading).to_have_text(f"Incidents ({len(incidents)})")
            assert len(incidents) < (evts["date_basis"] != "reported").sum()
            timeline = page.locator(".js-plotly-plot").nth(1)
            expect(timeline.locator(".gtitle")).to_have_text(re.compile(rf"^{len(incidents)} dated events"))
            rows = downloaded_csv(page, "Download incidents CSV", tmp_path / "incidents.csv")
            assert set(rows["incident_id"]) == set(incidents["incident_id"])
            assert "3" in set(rows.loc[rows["place"] == "Saraqib", "sources"])
            reports = downloaded_csv(page, "Download CSV", tmp_path / "reports.csv")
            assert set(reports["event_id"]) == set(evts.loc[evts["incident_id"] != "", "event_id"])
        finally:
            browser.close()
