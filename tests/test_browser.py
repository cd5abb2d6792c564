"""The real page in Debian's Chromium (Playwright): rendering, filters, selection, URL, play, export.

A `streamlit run dashboard.py` subprocess serves a synthetic table built into a temp folder;
every request the page makes is recorded, and none may leave 127.0.0.1. With
NEWSLINE_SCREENSHOTS=1 the main states are also saved into docs/ for the README.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from tests.dashboard_server import REPO, chromium_path, launch, serve
from views import filters, synthetic
from views.filters import FilterState

pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="Debian's chromium is not installed (make test installs it: apt-get install chromium)",
)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
TIMEOUT_MS = 60_000
expect.set_options(timeout=TIMEOUT_MS)
N_EVENTS = 240  # few enough that the timeline draws SVG markers Playwright can click
LOCAL = {"127.0.0.1", "localhost"}
SHOTS = REPO / "docs" if os.environ.get("NEWSLINE_SCREENSHOTS") == "1" else None


@pytest.fixture(scope="module")
def table_dir(tmp_path_factory) -> Path:
    return synthetic.write_synthetic(tmp_path_factory.mktemp("browser") / "out", N_EVENTS, seed=7)


@pytest.fixture(scope="module")
def events(table_dir: Path) -> pd.DataFrame:
    return filters.prepare_events(pd.read_parquet(table_dir / "events.parquet"))


@pytest.fixture(scope="module")
def base_url(table_dir: Path):
    with serve(table_dir, {"NEWSLINE_PUBDATE_FIXES": str(table_dir.parent / "fixes.csv")}) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    """A fresh page that records every request it makes."""
    context = browser.new_context(viewport={"width": 1500, "height": 1300}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.requests = []  # type: ignore[attr-defined]
    page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
    yield page
    outside = [u for u in page.requests if urlsplit(u).scheme in ("http", "https", "ws", "wss")
               and urlsplit(u).hostname not in LOCAL]  # type: ignore[attr-defined]  # fmt: skip
    context.close()
    assert not outside, f"requests left the machine: {outside[:5]}"


def expected(events: pd.DataFrame, **changes) -> pd.DataFrame:
    bases = tuple(filters.default_bases(sorted(events["date_basis"].unique())))
    return filters.apply_filters(events, FilterState(**{"bases": bases, **changes}))


def open_page(page, base_url: str, query: str = "") -> None:
    page.goto(base_url + query)
    wait_idle(page)
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    expect(page.locator('[data-testid="stDeckGlJsonChart"] canvas').first).to_be_visible()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)


def events_heading(page):
    return page.get_by_role("heading", name=re.compile(r"^Events \("))


def downloaded_csv(page, button: str, path: Path) -> pd.DataFrame:
    """Click a download button, save what the browser received at ``path`` and read it as text."""
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    download.value.save_as(path)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


# Each page load costs seconds in software-rendered Chromium, so one test walks through several
# steps on the same page; every step checks its own outcome.
def check_render(page, events) -> None:
    timeline = page.locator(".js-plotly-plot").nth(1)
    dated = expected(events)["start"].notna().sum()
    expect(timeline.locator(".gtitle")).to_have_text(re.compile(rf"^{dated:,} dated events"))
    assert timeline.locator(".scatterlayer .point").count() > 0  # day events as markers
    assert timeline.locator(".barlayer .point").count() > 0  # periods as bars
    box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200
    expect(events_heading(page)).to_have_text(f"Events ({len(expected(events)):,})")


def check_provenance(page) -> None:
    table = page.locator('[data-testid="stDataFrame"]').first
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 55)  # the first row's selection checkbox
    expect(page.locator(".nl-sentence mark").first).to_be_visible()
    expect(page.get_by_text("Resolution:", exact=False)).to_be_visible()
    wait_idle(page)


def drag_a_box_on_the_timeline(page) -> None:
    """A box dragged over the second plot (the timeline), from 30% to 45% of its width."""
    page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
    area = page.locator(".js-plotly-plot").nth(1).locator(".nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.3, area["y"] + 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.45, area["y"] + area["height"] * 0.6, steps=8)
    page.mouse.up()


def check_box_selection(page, events) -> None:
    everything = f"Events ({len(expected(events)):,})"
    drag_a_box_on_the_timeline(page)
    expect(page.get_by_role("button", name=re.compile(r"^Unpick all \(\d+ events?"))).to_be_visible()
    expect(events_heading(page)).not_to_have_text(everything)
    n = int(events_heading(page).inner_text().split("(")[1].rstrip(")").replace(",", ""))
    assert 1 <= n < len(expected(events))
    page.get_by_role("button", name=re.compile(r"^Unpick all \(")).click()
    expect(events_heading(page)).to_have_text(everything)
    wait_idle(page)


def check_actor_filter_and_csv(page, events, tmp_path: Path) -> None:
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.keyboard.type("HTS")
    # The count beside the name is what choosing it shows (reported rows are hidden by default).
    option = page.get_by_role("option", name=re.compile(r"^HTS \(")).first.inner_text()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    want = expected(events, actors=("HTS",))
    expect(events_heading(page)).to_have_text(f"Events ({len(want):,})")
    assert option == f"HTS ({len(want):,})"
    assert "actor=HTS" in page.url
    wait_idle(page)
    rows = downloaded_csv(page, "Download CSV", tmp_path / "export.csv")
    assert set(rows["event_id"]) == set(want["event_id"]) and len(rows) == len(want)
    assert all("HTS" in a.split("; ") for a in rows["actors"])
    for col in ("doc_id", "url", "published", "sentence", "time_text", "resolution"):
        assert col in rows.columns
    bullets = rows[rows["event_id"].isin(want.loc[want["sentence"].str.startswith("-"), "event_id"])]
    assert len(bullets) and all(s.startswith("'- ") for s in bullets["sentence"])  # neutralised


def test_render_select_provenance_filter_and_download(page, base_url, events, tmp_path) -> None:
    open_page(page, base_url)
    check_render(page, events)
    check_provenance(page)
    shot(page, "dashboard-provenance.png")
    check_box_selection(page, events)
    check_actor_filter_and_csv(page, events, tmp_path)
    shot(page, "dashboard-filtered.png")


def test_url_restores_the_view_and_play_moves_the_window(page, base_url, events) -> None:
    lo, _ = filters.date_bounds(expected(events, actors=("Russia", "Iran"), granularities=("day",)))
    w0, w1 = lo, lo + dt.timedelta(days=180)
    open_page(page, base_url, f"/?actor=Russia&actor=Iran&precision=day&lane=source&w0={w0}&w1={w1}")
    want = expected(events, actors=("Russia", "Iran"), granularities=("day",))
    in_window = want[filters.date_mask(want, w0, w1)]
    expect(events_heading(page)).to_have_text(f"Events ({len(in_window):,})")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Russia (", exact=False).first).to_be_visible()
    lanes = page.locator(".js-plotly-plot").nth(1).locator(".yaxislayer-above text").all_text_contents()
    assert lanes and set(lanes) <= set(synthetic.PUBLISHERS)  # lanes by source
    thumbs = page.locator('[data-testid="stMain"] [data-testid="stSliderThumbValue"]')
    expect(thumbs.first).to_have_text(w0.isoformat())
    page.get_by_role("button", name="Play").click()
    expect(thumbs.first).not_to_have_text(w0.isoformat())
    assert dt.date.fromisoformat(thumbs.first.inner_text()) > w0
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    assert "w0=" in page.url and "actor=Russia" in page.url
    check_overview_box_sets_the_window(page, thumbs)


def check_overview_box_sets_the_window(page, thumbs) -> None:
    """A box dragged over the overview heatmap becomes the time window."""
    wait_idle(page)
    before = (thumbs.first.inner_text(), thumbs.last.inner_text())
    area = page.locator(".js-plotly-plot").first.locator(".nsewdrag").first.bounding_box()
    page.mouse.move(area["x"] + area["width"] * 0.2, area["y"] + 3)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] * 0.4, area["y"] + area["height"] - 3, steps=8)
    page.mouse.up()
    expect(thumbs.last).not_to_have_text(before[1])
    w0, w1 = (dt.date.fromisoformat(t.inner_text()) for t in (thumbs.first, thumbs.last))
    assert w0 < w1 and (w0.isoformat(), w1.isoformat()) != before
    assert f"w0={w0}" in page.url


def test_a_large_table_draws_the_charts_first_then_the_map_and_table(page, table_dir, events) -> None:
    """Above NEWSLINE_DEFER_ROWS events the first run leaves the map and table out; the browser asks
    for them itself once idle, with no click, and then stops asking."""
    with serve(table_dir, {"NEWSLINE_DEFER_ROWS": "0"}) as url:
        sent: list[str] = []
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
        page.goto(url)
        expect(page.locator(".js-plotly-plot")).to_have_count(2)
        expect(page.locator('[data-testid="stDeckGlJsonChart"] canvas').first).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        check_render(page, events)
        wait_idle(page)
        settled = len(sent)
        page.wait_for_timeout(1500)
        assert len(sent) == settled, "the page kept asking for reruns"
        expect(page.get_by_text("Drawing the map", exact=False)).to_have_count(0)
        # A link's filters hold through the first run, which draws no sidebar.
        page.goto(url + "/?actor=HTS&lane=source")
        want = expected(events, actors=("HTS",))
        expect(events_heading(page)).to_have_text(f"Events ({len(want):,})")
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("HTS (", exact=False).first).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        wait_idle(page)
        assert "actor=HTS" in page.url


# ── the bundled sample, built by the real pipeline: fix a publication date, add an article ──
SAMPLE = REPO / "data" / "sample"
NEW_ARTICLE = """Clashes near Saraqib as talks stall

Published 2020-03-10

Syrian government forces shelled Saraqib on Sunday, residents said.
Turkey and Russia met in Moscow last week to discuss the ceasefire in Idlib.
"""


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    from pipeline.build import build
    from pipeline.settings import Settings
    from pipeline.store import write_tables

    out = tmp_path_factory.mktemp("browser_sample") / "out"
    write_tables(build([SAMPLE], Settings(progress=False)), out, [SAMPLE])
    return out


@pytest.fixture(scope="module")
def sample_url(sample_dir: Path):
    with serve(sample_dir) as url:  # publication-date fixes go beside the tables
        yield url


def dated_count(page) -> int:
    title = page.locator(".js-plotly-plot").nth(1).locator(".gtitle").text_content()
    return int(title.split(" dated")[0].replace(",", ""))


def test_sample_then_fix_a_publication_date(page, sample_url, sample_dir) -> None:
    docs = pd.read_csv(sample_dir / "documents.csv", dtype=str, keep_default_na=False)
    undated = docs.loc[docs["published"] == "", "doc_id"].iloc[0]
    open_page(page, sample_url)
    before = dated_count(page)
    assert before > 10
    page.wait_for_timeout(1500)  # let deck.gl draw before the picture
    shot(page, "dashboard.png")
    page.get_by_text("Fix what is missing", exact=False).click()
    # Streamlit names a widget's container after its key; the date field is year/month/day spinbuttons.
    page.locator(f'.st-key-fix_{undated} [data-type="year"]').click()
    page.keyboard.type("20200220")
    page.keyboard.press("Tab")
    wait_idle(page)
    page.locator(f".st-key-save_{undated} button").click()
    expect(page.get_by_text(f"Saved 2020-02-20 for {undated}", exact=False)).to_be_visible()
    wait_idle(page)
    assert dated_count(page) > before
    # The fix belongs to this output folder and to this document's text, not to its name alone.
    fixes = pd.read_csv(sample_dir / "pubdate_fixes.csv", dtype=str)
    assert list(fixes["doc_id"]) == [undated] and list(fixes["published"]) == ["2020-02-20"]
    from pipeline.pubdate import text_hash

    text = (SAMPLE / f"{undated}.txt").read_text(encoding="utf-8")
    assert list(fixes["text_hash"]) == [text_hash(text)]
    assert not (REPO / "data" / "pubdate_fixes.csv").exists()


def test_upload_adds_events_and_reports_bad_files(page, sample_url, tmp_path) -> None:
    good, bad = tmp_path / "saraqib_talks.txt", tmp_path / "broken.txt"
    good.write_text(NEW_ARTICLE, encoding="utf-8")
    bad.write_bytes(b"")
    open_page(page, sample_url)
    total = int(events_heading(page).inner_text().split("(")[1].rstrip(")").replace(",", ""))
    page.get_by_text("Add articles", exact=False).click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(good), str(bad)])
    page.get_by_role("button", name="Process uploaded files").click()
    expect(page.get_by_text("1 document(s) added", exact=False)).to_be_visible()
    expect(page.get_by_text("1 document(s) not added", exact=False)).to_be_visible()
    wait_idle(page)
    shot(page, "dashboard-upload.png")
    page.reload()
    wait_idle(page)
    expect(events_heading(page)).not_to_have_text(f"Events ({total:,})")
    after = int(events_heading(page).inner_text().split("(")[1].rstrip(")").replace(",", ""))
    assert after > total


# ── what an analyst hits on the first day ─────────────────────────────────────────────────
def truncated(locator) -> bool:
    """Whether a button's label is cut (an ellipsis in place of the end of its text)."""
    return locator.evaluate(
        "b => [...b.querySelectorAll('p, span, div')].concat([b]).some(e => e.scrollWidth > e.clientWidth + 1)"
    )


def test_controls_fit_at_1400px_and_the_map_toolbar_covers_nothing(browser, base_url, events) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        open_page(page, base_url)
        play = page.get_by_role("button", name="Play")
        assert not truncated(play), "the Play button's label is cut"
        expect(page.get_by_text("Time window: what the map, table and marks show", exact=False)).to_be_visible()
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("Dates to keep (filter)")).to_be_visible()
        # Hovering the map shows its toolbar; the Play button must still be the element under its own centre.
        page.locator('[data-testid="stDeckGlJsonChart"]').first.hover()
        page.wait_for_timeout(300)
        box = play.bounding_box()
        on_top = page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y); return !!(e && e.closest('button')"
            " && e.closest('button').innerText.includes('Play')); }",
            [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
        )
        assert on_top, "the map's toolbar covers the Play button"
        # The table spans the page: its sentence column is visible without scrolling sideways.
        grid = page.locator('[data-testid="stDataFrame"]').first
        full = page.locator(".js-plotly-plot").first.bounding_box()  # the overview spans the main area
        assert grid.bounding_box()["width"] > 0.9 * full["width"]
        # A box on the timeline picks events; the button that forgets them is whole and not named like the
        # charts' own "Clear selection".
        check_box_selection_button(page)
    finally:
        context.close()


def check_box_selection_button(page) -> None:
    drag_a_box_on_the_timeline(page)
    unpick = page.get_by_role("button", name=re.compile(r"^Unpick all \("))
    expect(unpick).to_be_visible()
    assert not truncated(unpick), "the unpick button's label is cut"
    ours = page.locator('[data-testid="stMain"] [data-testid="stButton"] button')
    assert not any(t.strip().startswith("Clear selection") for t in ours.all_inner_texts())


def test_timeline_edges_one_day_and_empty_views(page, base_url, events) -> None:
    dated = expected(events)
    dated = dated[dated["start"].notna() & (dated["start"] == dated["end"])]
    first_day = dated["start"].min().date()
    # A window that starts on a day with an event: its diamond is whole, inside the plot.
    open_page(page, base_url, f"/?w0={first_day}&w1={first_day + dt.timedelta(days=60)}")
    timeline = page.locator(".js-plotly-plot").nth(1)
    plot = timeline.locator(".nsewdrag").first.bounding_box()
    points = timeline.locator(".scatterlayer .point")
    assert points.count() > 0
    for i in range(points.count()):
        b = points.nth(i).bounding_box()
        assert b["x"] >= plot["x"] - 0.5 and b["x"] + b["width"] <= plot["x"] + plot["width"] + 0.5
    # One day: ticks are days, not hours.
    open_page(page, base_url, f"/?w0={first_day}&w1={first_day}")
    ticks = " ".join(page.locator(".js-plotly-plot").nth(1).locator(".xtick text").all_text_contents())
    assert ticks and ":" not in ticks, ticks
    # Nothing passes: a message, and no made-up Jan-Nov 2000 axis.
    page.goto(base_url + "/?q=zzzz-nothing-matches")
    wait_idle(page)
    expect(page.get_by_text("No dated events", exact=False).first).to_be_visible()
    for plot_ in page.locator(".js-plotly-plot").all():
        assert "2000" not in " ".join(plot_.locator(".xtick text").all_text_contents())


KHERSON_2023 = """Shelling in Kherson

Date: 15 June 2023

Russian forces shelled Kherson on Sunday, officials said.
Ukrainian troops struck a bridge near Nova Kakhovka on Monday, the army said.
"""


def header_counts(page) -> tuple[int, int]:
    text = page.get_by_text(re.compile(r"^[\d,]+ events? from [\d,]+ documents?")).first.inner_text()
    found = re.match(r"([\d,]+) events? from ([\d,]+) documents?", text)
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def upload(page, *paths: Path) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files([str(p) for p in paths])
    page.get_by_role("button", name="Process uploaded files").click()


def test_an_upload_shows_at_once_and_the_same_upload_again_is_a_duplicate(page, sample_url, sample_dir, tmp_path):
    article = tmp_path / "kherson_2023.txt"
    article.write_text(KHERSON_2023, encoding="utf-8")
    open_page(page, sample_url)
    events_before, docs_before = header_counts(page)
    thumbs = page.locator('[data-testid="stMain"] [data-testid="stSliderThumbValue"]')
    last_before = dt.date.fromisoformat(thumbs.last.inner_text())
    assert last_before < dt.date(2023, 1, 1)
    page.get_by_text("Add articles", exact=False).click()
    upload(page, article)
    expect(page.get_by_text("1 document(s) added", exact=False)).to_be_visible()
    wait_idle(page)
    # The same session counts and shows the new events: no reload, and the window's end follows the data.
    events_after, docs_after = header_counts(page)
    assert docs_after == docs_before + 1 and events_after > events_before
    expect(thumbs.last).to_have_text(re.compile(r"^2023-06-"))
    expect(page.locator(".st-key-upload_report")).to_contain_text("kherson_2023.txt")  # drawn (waits under load)
    report = page.locator(".st-key-upload_report").inner_text()
    assert str(sample_dir) not in report and "/tmp" not in report and "added/" not in report  # no server paths
    # The "Date:" header line is the publication date, not an event row.
    docs = pd.read_csv(sample_dir / "documents.csv", dtype=str, keep_default_na=False)
    row = docs[docs["doc_id"] == "kherson_2023"].iloc[0]
    assert (row["published"], row["published_basis"]) == ("2023-06-15", "text")
    assert row["file"] == "added/kherson_2023.txt"
    evts = pd.read_csv(sample_dir / "events.csv", dtype=str, keep_default_na=False)
    assert not evts["sentence"].str.startswith("Date:").any()
    assert set(evts.loc[evts["doc_id"] == "kherson_2023", "title"]) == {"Shelling in Kherson"}  # the headline
    # The same file again: reported as a duplicate of the first, nothing added.
    upload(page, article)
    expect(page.get_by_text("1 duplicate(s), not added again", exact=False)).to_be_visible()
    expect(page.get_by_text("same text as kherson_2023", exact=False).first).to_be_visible()
    wait_idle(page)
    assert header_counts(page) == (events_after, docs_after + 1)  # the duplicate is listed, its events are not
    # An article whose metadata names no publisher: its source lane is the URL's host, not "(none)".
    api = tmp_path / "api_story.json"
    api.write_text(
        '{"text": "Russian forces shelled Kharkiv on Sunday, officials said.", '
        '"url": "https://www.example-news.org/2023/06/20/kharkiv"}',
        encoding="utf-8",
    )
    upload(page, api)
    expect(page.get_by_text("1 document(s) added", exact=False)).to_be_visible()
    wait_idle(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(5).click()
    page.keyboard.type("example")
    expect(page.get_by_role("option", name=re.compile(r"^example-news\.org \("))).to_be_visible()
    page.keyboard.press("Escape")


def pick_first_row(page) -> None:
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 55)
    expect(page.get_by_text("Resolution:", exact=False)).to_be_visible()
    wait_idle(page)


@pytest.fixture(scope="module")
def analyst_dir(tmp_path_factory) -> Path:
    from pipeline.build import build_to_folder
    from pipeline.settings import Settings

    out = tmp_path_factory.mktemp("browser_analyst") / "out"
    build_to_folder([SAMPLE], out, Settings(progress=False, workers=1))
    return out


def test_a_correction_sticks_through_a_rebuild_is_exported_and_undone(page, analyst_dir, tmp_path) -> None:
    from pipeline.build import build_to_folder
    from pipeline.settings import Settings

    with serve(analyst_dir) as url:
        open_page(page, url)
        pick_first_row(page)
        page.get_by_text("Correct this event").click()
        field = page.get_by_label(re.compile(r"^Date \(2020-05-01 day"))
        field.fill("2000")
        page.get_by_label("Note (why)").fill("the article says 2000")
        page.get_by_role("button", name="Save correction").click()
        expect(page.get_by_text("Saved the correction of", exact=False)).to_be_visible()
        wait_idle(page)
        expect(page.get_by_text("corrected by analyst: date", exact=False).first).to_be_visible()
        saved = pd.read_csv(analyst_dir / "corrections.csv", dtype=str, keep_default_na=False)
        assert list(saved["time_value"]) == ["2000"]
        # A whole new build (as `python -m pipeline build` would run it) keeps the correction.
        build_to_folder([SAMPLE], analyst_dir, Settings(progress=False, workers=1))
        rebuilt = pd.read_csv(analyst_dir / "events.csv", dtype=str, keep_default_na=False)
        fixed = rebuilt[rebuilt["event_id"] == saved["event_id"].item()].iloc[0]
        assert fixed["time_value"] == "2000" and fixed["resolution"].startswith("corrected by analyst")
        page.reload()
        wait_idle(page)
        exported = downloaded_csv(page, "Download CSV", tmp_path / "export.csv")
        row = exported[exported["event_id"] == saved["event_id"].item()]
        assert len(row) == 1 and row["resolution"].item().startswith("corrected by analyst")
        assert row["date_basis"].item() == "analyst"
        # Undo: the event is as the machine made it again.
        page.get_by_text("Corrections by the analyst (1)").click()
        page.locator(".st-key-undo_0 button").click()
        expect(page.get_by_text("Undid the correction", exact=False)).to_be_visible()
        wait_idle(page)
        assert not (analyst_dir / "corrections.csv").exists()
        after = pd.read_csv(analyst_dir / "events.csv", dtype=str, keep_default_na=False)
        assert not after["resolution"].str.startswith("corrected by analyst").any()


def test_the_map_reads_as_a_map(page, base_url, events, table_dir) -> None:
    """Basemap and labels from the page itself, places fitted in the opening view, hover and legend."""
    import math

    from views import mapview

    open_page(page, base_url)
    legend = page.locator(".st-key-map_legend")
    expect(legend).to_contain_text("town or point")
    expect(legend).to_contain_text("region or province")
    expect(legend).to_contain_text("most frequent actor")
    page.wait_for_timeout(1500)  # let deck.gl fetch the basemap and draw
    local = [urlsplit(u).path for u in page.requests]  # type: ignore[attr-defined]
    assert any(p.startswith("/app/static/basemap/tiles/") or p.endswith("/world.json") for p in local)
    points = mapview.place_points(expected(events), pd.read_csv(table_dir / "places.csv"))
    view = mapview.view_for(points)
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    scale = 512 * 2**view.zoom

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    def pixel(lon: float, lat: float) -> tuple[float, float]:
        x = canvas["x"] + canvas["width"] / 2 + (lon - view.longitude) * scale / 360
        y = canvas["y"] + canvas["height"] / 2 - (merc(lat) - merc(view.latitude)) * scale / (2 * math.pi)
        return x, y

    drawn = mapview.drawn(points)
    for p in drawn.itertuples():  # the opening view fits every place (none cut off at an edge)
        x, y = pixel(p.lon, p.lat)
        assert canvas["x"] < x < canvas["x"] + canvas["width"] and canvas["y"] < y < canvas["y"] + canvas["height"]
    spots = {p.name: pixel(p.lon, p.lat) for p in drawn.itertuples()}

    def room(name: str) -> float:  # how far the place is from any other drawn place, in pixels
        return min((math.dist(spots[name], xy) for other, xy in spots.items() if other != name), default=1e9)

    towns = drawn[drawn["shape"] == "point"]
    target = towns.loc[towns["name"].map(room).idxmax()]
    tooltip = page.locator(".deck-tooltip")
    x, y = pixel(target["lon"], target["lat"])
    for nudge in (0, 1, -1, 2, -2):  # deck.gl picks on a pointer move after its layers are drawn: move again
        page.mouse.move(x + nudge, y)
        page.wait_for_timeout(300)
        if tooltip.inner_text().strip():
            break
    expect(tooltip).to_contain_text(target["name"])
    expect(tooltip).to_contain_text("town or point")
    expect(tooltip).to_contain_text(f"{target['count']} events")
