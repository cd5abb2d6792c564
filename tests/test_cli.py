import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import cli, events
from pipeline.build import Resources
from tests.conftest import REPO, SAMPLE

CONTRACT_EVENTS = [
    "event_id", "doc_id", "published", "sentence", "time_text", "char_start", "char_end", "time_value",
    "date_start", "date_end", "granularity", "date_basis", "resolution", "actors", "locations",
]  # fmt: skip
CONTRACT_FILES = {
    "documents.csv": ["doc_id", "file", "title", "publisher", "url", "published", "published_basis", "status",
                      "reason", "events"],
    "places.csv": ["name", "lat", "lon", "kind", "country"],
    "mentions.csv": ["doc_id", "kind", "text", "char_start", "char_end", "value", "lat", "lon"],
}  # fmt: skip


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


def test_real_cli_builds_the_sample(tmp_path):
    out = tmp_path / "out"
    done = run_cli("build", str(SAMPLE), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "5 ok, 0 rejected" in done.stderr
    parquet = pd.read_parquet(out / "events.parquet")
    csv = pd.read_csv(out / "events.csv", dtype=str, keep_default_na=False)
    assert list(parquet.columns[: len(CONTRACT_EVENTS)]) == CONTRACT_EVENTS
    assert list(csv.columns) == list(parquet.columns)
    assert len(csv) == len(parquet) > 20
    assert csv["event_id"].tolist() == parquet["event_id"].tolist()
    assert parquet["event_id"].is_unique
    for name, columns in CONTRACT_FILES.items():
        frame = pd.read_csv(out / name, dtype=str, keep_default_na=False)
        assert set(columns) <= set(frame.columns), name
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    assert len(docs) == 5 and set(docs["status"]) == {"ok"}
    assert (out / "candidates.csv").exists()


def test_event_ids_are_stable(tmp_path, sample_build):
    out = tmp_path / "again"
    kept: list[object] = []  # what ``python -m pipeline`` holds until it exits: the rules the build loaded
    assert cli.main(["build", str(SAMPLE), "--out", str(out), "--no-progress"], keep=kept) == 0
    assert len(kept) == 1 and isinstance(kept[0], Resources)
    first = pd.read_parquet(sample_build / "events.parquet")
    second = pd.read_parquet(out / "events.parquet")
    pd.testing.assert_frame_equal(first, second)


def test_offsets_point_at_the_text(sample_build):
    evts = pd.read_parquet(sample_build / "events.parquet")
    mentions = pd.read_csv(sample_build / "mentions.csv", keep_default_na=False)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SAMPLE.glob("*.txt")}
    timed = evts[evts["time_text"] != ""]
    assert len(timed) > 10
    for row in timed.itertuples():
        assert texts[row.doc_id][row.char_start : row.char_end] == row.time_text
    for row in mentions.itertuples():
        assert texts[row.doc_id][int(row.char_start) : int(row.char_end)] == row.text
    assert set(mentions["kind"]) == {"time", "actor", "place"}


def test_undated_documents_never_borrow_a_date(sample_build):
    docs = pd.read_csv(sample_build / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    evts = pd.read_parquet(sample_build / "events.parquet")
    undated = docs.index[docs["published_basis"] == "unknown"]
    assert len(undated) == 2
    rows = evts[evts["doc_id"].isin(undated)]
    relative = rows[rows["date_basis"].isin(["relative", "unresolved", "reported", "inherited"])]
    assert len(relative) > 0
    assert (relative["date_start"].fillna("") == "").all()
    assert (rows.loc[rows["date_basis"] == "unresolved", "resolution"].str.len() > 10).all()


def test_rejected_documents_are_listed_and_the_run_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("Turkish forces shelled Idlib on Monday, 3 February 2020.", encoding="utf-8")
    (src / "empty.txt").write_text("", encoding="utf-8")
    (src / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    out = tmp_path / "out"
    done = run_cli("build", str(src), "--out", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert docs.loc["good", "status"] == "ok"
    assert docs.loc["empty", "status"] == "rejected" and docs.loc["empty", "reason"]
    assert docs.loc["picture", "status"] == "rejected" and docs.loc["picture", "reason"]
    evts = pd.read_parquet(out / "events.parquet")
    assert "2020-02-03" in set(evts["time_value"])


@pytest.mark.parametrize(
    "args",
    [["build", "no/such/folder", "--out", "x"], ["build", "--out", "x"], ["frobnicate"], []],
)
def test_unusable_arguments_fail_with_a_message(args, tmp_path):
    done = run_cli(*args)
    assert done.returncode != 0
    assert done.stderr.strip()


def test_every_command_documents_an_example():
    done = run_cli("build", "--help")
    assert done.returncode == 0
    assert "example:" in done.stdout and "python -m pipeline build" in done.stdout
    assert "example:" in run_cli("--help").stdout


def test_a_crash_while_writing_keeps_the_old_table(sample_build, monkeypatch, tmp_path):
    import shutil

    from pipeline import store

    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    before = (out / "events.parquet").read_bytes()
    tables = store.read_tables(out)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store.pq, "write_table", explode)
    with pytest.raises(OSError):
        store.write_tables(tables, out)
    assert (out / "events.parquet").read_bytes() == before
    assert not list(out.glob(".*.tmp"))


def test_store_round_trip_keeps_types(sample_build):
    from pipeline import store

    tables = store.read_tables(sample_build)
    assert str(tables.places["lat"].dtype) == "float64"
    assert list(tables.documents.columns) == events.DOCUMENT_COLUMNS
    assert tables.documents["ambiguous"].dtype == bool


def test_a_worker_pool_gives_the_same_tables_as_one_process(tmp_path, monkeypatch):
    from pipeline import build, engine
    from pipeline.settings import Settings

    monkeypatch.setattr(engine, "POOL_THRESHOLD", 2)
    files = sorted(SAMPLE.glob("*.txt"))
    one = build.build(files, Settings(workers=1, progress=False))
    two = build.build(files, Settings(workers=2, progress=False))
    for name in ("events", "documents", "places", "mentions", "candidates"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))


def test_a_document_reuses_no_tokens_of_another():
    """The sentence tokens the stages share are kept for one document: a repeated sentence is tokenised again."""
    from pipeline import build, ingest, namekeys, sentences
    from pipeline.settings import Settings

    settings = Settings(workers=1, progress=False)
    res = build.load_resources(settings)
    (a, a_clean), (b, b_clean) = list(ingest.read_sources_cleaned(sorted(SAMPLE.glob("*.txt"))[:2], settings))
    build.process_document(a, res, settings, a_clean)
    alone = build.process_document(b, res, settings, b_clean)
    own = {s.text for s in sentences.split(b, b_clean)}
    assert namekeys.tokens_of.cache_info().currsize == len(own)  # the first document's sentences are gone
    assert build.process_document(b, res, settings, b_clean) == alone


def test_a_worker_pool_marks_duplicates_and_rejections_as_one_process(tmp_path, monkeypatch):
    from pipeline import build, engine
    from pipeline.settings import Settings

    monkeypatch.setattr(engine, "POOL_THRESHOLD", 2)
    for i, path in enumerate(sorted(SAMPLE.glob("*.txt"))):
        (tmp_path / f"a{i}.txt").write_bytes(path.read_bytes())
        (tmp_path / f"b{i}.txt").write_bytes(path.read_bytes())  # a duplicate, maybe in another worker's chunk
    (tmp_path / "c.txt").write_text("Share this article\nFacebook\nTwitter\n", encoding="utf-8")
    (tmp_path / "d.txt").write_bytes(b"")
    one = build.build([tmp_path], Settings(workers=1, progress=False))
    two = build.build([tmp_path], Settings(workers=2, progress=False))
    for name in ("events", "documents", "places", "mentions", "candidates"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    status = dict(zip(two.documents["doc_id"], two.documents["status"], strict=True))
    assert [status[f"b{i}"] for i in range(5)] == ["duplicate"] * 5
    assert status["d"] == "rejected"
    assert not set(two.events["doc_id"]) & {f"b{i}" for i in range(5)}
    assert not set(two.mentions["doc_id"]) & {f"b{i}" for i in range(5)}
    assert (two.documents.set_index("doc_id")["events"][[f"b{i}" for i in range(5)]] == 0).all()


def test_a_build_restores_the_collector_thresholds_it_raised():
    import gc

    from pipeline import engine
    from pipeline.settings import Settings

    before = gc.get_threshold()
    items = range(engine.MIN_CHUNK + 1)  # two runs
    runs = engine.map_stream(lambda chunk, res, settings: gc.get_threshold()[0], items, None, Settings(workers=1), None)
    during = [output for _, output in runs]
    assert during == [engine.YOUNG_COLLECTION_EVERY] * 2
    assert gc.get_threshold() == before


INGEST = REPO / "tests" / "data" / "ingest"


@pytest.mark.parametrize("source", [SAMPLE, INGEST / "formats", INGEST / "dupes"], ids=["sample", "formats", "dupes"])
def test_python_m_pipeline_runs_without_numpy_or_pandas_and_writes_the_same_files(source, tmp_path):
    """``python -m pipeline`` imports neither (as if they were not installed); a process that has both
    (the library as the dashboard and the tests use it) writes the same bytes."""
    lean = str(tmp_path / "lean")
    code = (
        "import os, runpy, sys; "
        "os._exit = sys.exit\n"  # the command line skips the interpreter's teardown; here it must return to look
        f"sys.argv = ['pipeline', 'build', {str(source)!r}, '--out', {lean!r}, '--no-progress']\n"
        "try:\n    runpy.run_module('pipeline', run_name='__main__')\nexcept SystemExit as done:\n"
        "    assert done.code == 0\n"
        "print(sorted(m for m in ('pyarrow', 'numpy', 'pandas') if m in sys.modules))\n"
        "import pyarrow; print(pyarrow.default_memory_pool().backend_name)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # Arrow's buffers come from malloc (engine.use_system_allocator), not its bundled mimalloc
    assert done.stdout.split() == ["['pyarrow']", "system"]
    out = str(tmp_path / "full")
    full = (
        "import sys; from pipeline import cli; "
        f"cli.main(['build', {str(source)!r}, '--out', {out!r}, '--no-progress']); "
        "assert {'numpy', 'pandas'} <= set(sys.modules); "
        "import pyarrow; assert pyarrow.default_memory_pool().backend_name == 'system'"
    )
    done = subprocess.run([sys.executable, "-c", full], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for name in ("events.parquet", "events.csv", "documents.csv", "places.csv", "mentions.csv", "candidates.csv"):
        assert (tmp_path / "lean" / name).read_bytes() == (tmp_path / "full" / name).read_bytes(), name


def test_the_command_line_process_refuses_numpy_and_pandas():
    code = (
        "import runpy, sys; sys.argv = ['pipeline', '--help']\n"
        "try:\n    runpy.run_module('pipeline', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "for name in ('numpy', 'pandas.core'):\n"
        "    try:\n        __import__(name)\n    except ImportError:\n        print('refused', name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-2:] == ["refused numpy", "refused pandas.core"]


def test_tables_missing_newer_columns_still_read(sample_build, tmp_path):
    import shutil

    from pipeline import store

    out = tmp_path / "old"
    shutil.copytree(sample_build, out)
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False)
    docs.drop(columns=["published_evidence", "events"]).to_csv(out / "documents.csv", index=False)
    tables = store.read_tables(out)
    assert list(tables.documents.columns) == events.DOCUMENT_COLUMNS
    assert set(tables.documents["published_evidence"]) == {""}
    assert tables.documents["events"].isna().all()


def test_rebuilding_a_document_keeps_the_candidates_counted_once(sample_build, tmp_path):
    import shutil

    from pipeline import build, store
    from pipeline.settings import Settings

    out = tmp_path / "out"
    shutil.copytree(sample_build, out)
    before = store.read_tables(out)
    after = build.rebuild_documents(out, ["002_7182a8f42e8688d0"], Settings(progress=False))
    pd.testing.assert_frame_equal(before.candidates, after.candidates)
    pd.testing.assert_frame_equal(before.events, store.read_tables(out).events)


def _csv_source(tmp_path):
    src = tmp_path / "articles.csv"
    src.write_text('id,headline,story\n1,Idlib,"Turkish forces shelled Idlib on Monday, 3 February 2020."\n', "utf-8")
    return src


def test_a_csv_without_a_text_column_is_an_argument_error_naming_its_columns(tmp_path):
    done = run_cli("build", str(_csv_source(tmp_path)), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 2
    assert "id, headline, story" in done.stderr and "--text-column" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_csv_without_a_text_column_inside_a_folder_is_rejected_and_the_rest_built(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    shutil.copy(_csv_source(tmp_path), folder / "casualties.csv")
    (folder / "a.txt").write_text("Turkish forces shelled Idlib on Monday, 3 February 2020.\n", encoding="utf-8")
    done = run_cli("build", str(folder), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 0, done.stderr
    assert "warning:" in done.stderr and "id, headline, story" in done.stderr and "--text-column" in done.stderr
    documents = pd.read_csv(tmp_path / "out" / "documents.csv")
    assert set(documents["status"]) == {"ok", "rejected"}
    assert documents.loc[documents["status"] == "rejected", "reason"].str.contains("headline").all()


def test_text_column_names_a_column_the_csv_has(tmp_path):
    src, out = _csv_source(tmp_path), tmp_path / "out"
    done = run_cli("build", str(src), "--out", str(out), "--no-progress", "--text-column", "nosuch")
    assert done.returncode == 2
    assert "--text-column nosuch" in done.stderr and "id, headline, story" in done.stderr
    done = run_cli("build", str(src), "--out", str(out), "--no-progress", "--text-column", "Story")
    assert done.returncode == 0, done.stderr
    assert "1 ok, 0 rejected" in done.stderr


def test_an_empty_folder_warns_and_exits_1(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / ".hidden").write_text("x", encoding="utf-8")
    done = run_cli("build", str(empty), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == cli.NOTHING_READ == 1
    assert f"warning: {empty} holds no files" in done.stderr and "no documents found" in done.stderr


def test_the_installed_command_and_python_m_pipeline_run_from_another_folder(tmp_path):
    """`make` installs the project editable: both run from any folder (the venv this test runs in was made so)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Turkish forces shelled Idlib on Monday, 3 February 2020.", encoding="utf-8")
    bindir = Path(sys.executable).parent
    for command in ([sys.executable, "-m", "pipeline"], [str(bindir / "newsline")]):
        out = tmp_path / f"out{len(command)}"
        done = subprocess.run(
            [*command, "build", "in", "--out", str(out), "--no-progress"],
            cwd=tmp_path, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "1 ok" in done.stderr and (out / "events.parquet").exists()
