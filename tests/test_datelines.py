"""Datelines: where a report was filed, geocoded per document and kept out of the sentences' places."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline import clean, datelines, places
from pipeline.geo import km
from pipeline.records import Article
from tests.test_cli import run_cli

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def gaz() -> places.Gazetteer:
    return places.load_gazetteer(DATA)


@pytest.mark.parametrize(
    "dateline, country, point",
    [
        ("KHARTOUM, Dec. 15 (Xinhua)", "Sudan", (15.55, 32.53)),
        ("BEIRUT (Reuters)", "Lebanon", (33.89, 35.50)),
        ("Srinagar", "India", (34.08, 74.80)),
        ("PORT-AU-PRINCE, Haiti (AP)", "Haiti", (18.54, -72.34)),
        ("TRIPOLI, Lebanon (AP)", "Lebanon", (34.44, 35.85)),  # the country after the comma decides
        ("TRIPOLI (Reuters)", "Libya", (32.89, 13.19)),  # alone: the capital
        ("SPRINGFIELD, Illinois (AP)", "United States", (39.80, -89.64)),  # a state after the comma
        ("Maputo", "Mozambique", (-25.97, 32.58)),  # the city, not the province of the same name
        ("ZAPORIZHZHIA, Ukraine", "Ukraine", (47.84, 35.14)),
    ],
)
def test_dateline_place(dateline: str, country: str, point: tuple[float, float], gaz: places.Gazetteer) -> None:
    place = datelines.dateline_place(dateline, gaz)
    assert place is not None
    assert place.country == country
    assert km((place.lat, place.lon), point) <= 40, place


@pytest.mark.parametrize("dateline", ["UNITED NATIONS (AP)", "", "(AFP)", "TRIPOLI, Peru"])
def test_dateline_without_a_known_place(dateline: str, gaz: places.Gazetteer) -> None:
    assert datelines.dateline_place(dateline, gaz) is None


@pytest.mark.parametrize(
    "first_line, dateline",
    [
        ("KHARTOUM, Dec. 15 (Xinhua) -- The army said it repelled an attack.", "KHARTOUM, Dec. 15 (Xinhua)"),
        ("Srinagar: Troops exchanged fire along the Line of Control on Friday.", "Srinagar"),
        ("Goma — Rebels advanced towards the town on Sunday, residents said.", "Goma"),
        ("January 25, 2017 (JUBA) - The army denied it clashed with rebels.", "JUBA"),
        ("date 2019-12-30 ERBIL (Kurdistan 24) – Rockets hit a base on Sunday.", "ERBIL (Kurdistan 24)"),
    ],
)
def test_cleaning_takes_the_dateline_off_the_first_paragraph(first_line: str, dateline: str) -> None:
    text = f"{first_line}\n\nA second paragraph follows with more detail about the fighting.\n"
    article = Article(doc_id="d", file="d.txt", text=text)
    cleaned = clean.clean(article)
    assert cleaned.dateline.strip() == dateline
    body = clean.kept_text(article, cleaned)
    assert not body.startswith(first_line[:8])


def test_documents_record_the_dateline_place_and_events_do_not(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "report.txt").write_text(
        "Army repels attack in Darfur\n\n"
        "KHARTOUM, Dec. 15 (Xinhua) -- The Sudanese army said on Monday it repelled an attack on El Fasher "
        "in North Darfur.\n\nFighting also spread to Gezira State last week, residents said.\n",
        encoding="utf-8",
    )
    (folder / "metadata.csv").write_text("file,published\nreport.txt,2023-12-15\n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("build", str(folder), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    documents = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert documents.loc[0, "dateline_place"] == "Khartoum"
    event_rows = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    located = ";".join(event_rows["locations"])
    assert "Khartoum" not in located
    assert "El Fasher" in located and "Gezira State" in located
    assert "Khartoum" in pd.read_csv(out / "places.csv")["name"].tolist()  # the filing place has its point
