"""The analyst's corrections and publication-date fixes survive rebuilds, and stay with their output folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from pipeline import corrections, pubdate
from pipeline.build import add_sources, build_to_folder, rebuild_documents
from pipeline.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SETTINGS = Settings(progress=False, workers=1)


def events_of(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("2020-05-01", ("day", dt.date(2020, 5, 1), dt.date(2020, 5, 1))),
        ("2020-W17", ("week", dt.date(2020, 4, 20), dt.date(2020, 4, 26))),
        ("2020-02", ("month", dt.date(2020, 2, 1), dt.date(2020, 2, 29))),
        ("2020-Q4", ("quarter", dt.date(2020, 10, 1), dt.date(2020, 12, 31))),
        ("2019", ("year", dt.date(2019, 1, 1), dt.date(2019, 12, 31))),
        ("", ("unknown", None, None)),
    ],
)
def test_period_of_a_corrected_value(value, want) -> None:
    assert corrections.period(value) == want


@pytest.mark.parametrize("bad", ["2020-13", "2020-02-30", "last week", "5/3/2020"])
def test_a_bad_value_is_refused_with_the_forms(bad) -> None:
    with pytest.raises(ValueError, match="2020|real"):
        corrections.period(bad)


def test_corrections_survive_a_full_rebuild_and_can_be_undone(tmp_path) -> None:
    out = tmp_path / "out"
    build_to_folder([SAMPLE], out, SETTINGS)
    before = events_of(out)
    dated = before[(before["time_value"] != "") & (before["locations"] != "")]
    target, dropped = dated.iloc[0], dated.iloc[1]
    fixes = [
        corrections.for_event(target.to_dict(), time_value="2019-W10", actors="Russia", locations="Aleppo", note="x"),
        corrections.for_event(dropped.to_dict(), not_event=True),
    ]
    corrections.save(out, fixes)
    assert corrections.load(out) == fixes
    build_to_folder([SAMPLE], out, SETTINGS)  # a whole new build: the corrections come back
    after = events_of(out)
    row = after[after["event_id"] == target["event_id"]].iloc[0]
    assert (row["time_value"], row["granularity"], row["date_start"], row["date_end"]) == (
        "2019-W10", "week", "2019-03-04", "2019-03-10"
    )  # fmt: skip
    assert row["actors"] == "Russia" and row["locations"] == "Aleppo" and row["date_basis"] == "analyst"
    assert row["resolution"].startswith("corrected by analyst: date ") and "(x)" in row["resolution"]
    assert dropped["event_id"] not in set(after["event_id"]) and len(after) == len(before) - 1
    parquet = pd.read_parquet(out / "events.parquet")
    assert parquet.loc[parquet["event_id"] == target["event_id"], "time_value"].item() == "2019-W10"

    # Undo: without its row, the document rebuilt is as the machine made it.
    corrections.save(out, corrections.remove(fixes, target["doc_id"], corrections.event_key(fixes[0])))
    rebuild_documents(out, [target["doc_id"]], SETTINGS)
    undone = events_of(out)
    back = undone[undone["event_id"] == target["event_id"]].iloc[0]
    assert back["time_value"] == target["time_value"] and back["resolution"] == target["resolution"]
    assert dropped["event_id"] not in set(undone["event_id"])  # the other correction still holds


def test_a_second_correction_of_one_event_merges_with_the_first(tmp_path) -> None:
    event = {"doc_id": "d", "char_start": 10, "char_end": 14, "sentence": "S.", "time_text": "then", "event_id": "e"}
    first = corrections.for_event(event, time_value="2020")
    second = corrections.for_event(event, actors="HTS")
    merged = corrections.add([first], second)
    assert len(merged) == 1 and merged[0].time_value == "2020" and merged[0].actors == "HTS"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


STORY_A = "Shelling in Idlib\n\nSyrian forces shelled Saraqib on Sunday, residents said.\n"
STORY_B = "Talks in Moscow\n\nTurkey and Russia met in Moscow on Friday, officials said.\n"


def test_a_publication_date_fix_stays_with_its_folder_and_its_text(tmp_path) -> None:
    corpus_a = write(tmp_path / "a", "002_story.txt", STORY_A)
    corpus_b = write(tmp_path / "b", "002_story.txt", STORY_B)  # the same file name, another article
    out_a, out_b = tmp_path / "out_a", tmp_path / "out_b"
    build_to_folder([corpus_a], out_a, SETTINGS)
    shown_file = pd.read_csv(out_a / "documents.csv", dtype=str)["file"].item()
    pubdate.save_fix(out_a / "pubdate_fixes.csv", "002_story", dt.date(2020, 3, 1), digest=pubdate.text_hash(STORY_A))
    rebuild_documents(out_a, ["002_story"], SETTINGS)
    build_to_folder([corpus_b], out_b, SETTINGS)
    docs_a = pd.read_csv(out_a / "documents.csv", dtype=str, keep_default_na=False)
    docs_b = pd.read_csv(out_b / "documents.csv", dtype=str, keep_default_na=False)
    assert (docs_a["published"].item(), docs_a["published_basis"].item()) == ("2020-03-01", "user")
    assert docs_a["file"].item() == shown_file  # a rebuild keeps the file as first shown (no server path)
    assert docs_b["published_basis"].item() == "unknown"  # the fix for out_a's 002_story does not leak
    # The same name in the same folder with new content: the fix no longer applies.
    write(corpus_a, "002_story.txt", STORY_B)
    build_to_folder([corpus_a], out_a, SETTINGS)
    again = pd.read_csv(out_a / "documents.csv", dtype=str, keep_default_na=False)
    assert again["published_basis"].item() == "unknown"


def test_the_same_upload_twice_is_reported_as_a_duplicate(tmp_path) -> None:
    out = tmp_path / "out"
    build_to_folder([SAMPLE], out, SETTINGS)
    upload = write(tmp_path / "upload", "kherson.txt", STORY_A) / "kherson.txt"
    first = add_sources(out, [upload], SETTINGS)
    events_after_first = len(first.events)
    second = add_sources(out, [upload], SETTINGS)
    docs = second.documents
    assert len(second.events) == events_after_first
    dup = docs.iloc[-1]
    assert dup["status"] == "duplicate" and dup["reason"] == "same text as kherson"
    assert list(docs["file"].iloc[-2:]) == ["added/kherson.txt", "added/kherson-2.txt"]  # no server path


def test_rows_carry_the_headline_and_a_publisher_from_the_url(tmp_path) -> None:
    """The title column of events.csv is the headline documents.csv has; without a publisher in the metadata,
    the URL's host names the source."""
    import json

    corpus = write(tmp_path / "in", "story.txt", STORY_A)
    (corpus / "api.json").write_text(
        json.dumps({"text": STORY_B, "url": "https://www.example-news.org/2024/05/20/talks"}), encoding="utf-8"
    )
    out = tmp_path / "out"
    build_to_folder([corpus], out, SETTINGS)
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    evts = events_of(out)
    story = evts[evts["doc_id"] == "story"]
    assert len(story) and set(story["title"]) == {docs.loc["story", "title"]} == {"Shelling in Idlib"}
    api = evts[evts["doc_id"] == "api"]
    assert len(api) and set(api["publisher"]) == {"example-news.org"}
