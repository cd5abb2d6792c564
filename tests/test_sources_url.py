"""Sources named by URLs, read through real fsspec filesystems (``memory://``, ``file://``) by the real command
line: the rows are those of a build of the same files from a folder on disk."""

import datetime as dt
import importlib.util
import shutil
import uuid

import fsspec
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.ingest import remote
from tests.conftest import REPO, SAMPLE

INGEST = REPO / "tests" / "data" / "ingest"
TABLES = ["events.csv", "documents.csv", "mentions.csv", "places.csv", "candidates.csv", "incidents.csv"]
# Files a folder listing leaves out, on disk as in a bucket.
SKIPPED = {".hidden.txt": "hidden", "__MACOSX/sample.txt": "resource fork", "sub/.git/note.txt": "hidden folder"}


def write_corpus(folder):
    """Every format the build reads, broken files, metadata.csv tables (naming files that are missing), nested
    folders and files a listing skips."""
    shutil.copytree(INGEST / "formats", folder / "formats")
    shutil.copytree(INGEST / "bad", folder / "bad")
    shutil.copytree(SAMPLE, folder / "sample")
    for rel in SKIPPED:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("Shelling near Idlib on Monday killed three people.\n", encoding="utf-8")


def to_memory(folder, root):
    """The files of ``folder`` written into fsspec's in-memory filesystem under ``/root``."""
    fs = fsspec.filesystem("memory")
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        fs.pipe(f"/{root}/{path.relative_to(folder).as_posix()}", path.read_bytes())
    return fs


@pytest.fixture
def memory_root():
    root = f"newsline-{uuid.uuid4().hex[:8]}"
    yield root
    fs = fsspec.filesystem("memory")
    if fs.exists(f"/{root}"):
        fs.rm(f"/{root}", recursive=True)


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory):
    """The corpus on disk and its build from the folder."""
    folder = tmp_path_factory.mktemp("url") / "corpus"
    write_corpus(folder)
    out = folder.parent / "from-folder"
    assert main(["build", str(folder), "--out", str(out), "--no-progress"]) == 0
    return folder, out


def assert_same_rows(built, expected, shown, expected_shown):
    """The same tables but for the ``file`` column, which shows each file as the URL (``shown`` + its path) or
    the folder's path (``expected_shown`` + the same path)."""
    for name in TABLES:
        left, right = pd.read_csv(built / name, dtype=str), pd.read_csv(expected / name, dtype=str)
        if name == "documents.csv":
            files = [f.removeprefix(shown) for f in left.pop("file")]
            assert files == [f.removeprefix(expected_shown) for f in right.pop("file")]
            assert not any(f.startswith(("/", "file:", "memory:")) for f in files)
        pd.testing.assert_frame_equal(left, right, obj=name)


def summary(capsys):
    return capsys.readouterr().err.strip().splitlines()[-1]


def test_a_folder_url_builds_the_rows_of_the_same_folder_on_disk(tmp_path, on_disk, memory_root, capsys):
    folder, expected = on_disk
    to_memory(folder, memory_root)
    built = pd.read_csv(expected / "documents.csv", dtype=str, keep_default_na=False)
    assert {"ok", "rejected", "duplicate"} <= set(built["status"])
    assert any("listed in metadata.csv but the file is missing" in r for r in built["reason"])
    assert not any(name in f for f in built["file"] for name in (".hidden", "__MACOSX", ".git"))
    for url, shown in [
        (f"memory://{memory_root}", f"memory://{memory_root}/"),
        (f"memory://{memory_root}/", f"memory://{memory_root}/"),
        (folder.as_uri(), f"{folder.as_uri()}/"),
    ]:
        out = tmp_path / f"out-{len(shown)}-{url.endswith('/')}"
        assert main(["build", url, "--out", str(out), "--no-progress"]) == 0
        assert summary(capsys).startswith(f"documents: {(built['status'] == 'ok').sum()} ok")
        assert_same_rows(out, expected, shown, f"{folder}/")


def test_a_rebuild_from_the_same_url_keeps_every_document_and_reads_no_text_file_again(
    tmp_path, on_disk, memory_root, capsys, monkeypatch
):
    folder, _ = on_disk
    fs = to_memory(folder, memory_root)
    url, out = f"memory://{memory_root}", tmp_path / "out"
    assert main(["build", url, "--out", str(out), "--no-progress"]) == 0
    documents = len(pd.read_csv(out / "documents.csv"))
    capsys.readouterr()
    read = []
    real_read = remote.read_bytes
    monkeypatch.setattr(remote, "read_bytes", lambda fs, path, **end: read.append(path) or real_read(fs, path, **end))

    assert main(["build", url, "--out", str(out), "--no-progress"]) == 0
    assert f"; {documents} unchanged, kept;" in summary(capsys)
    assert read and not [p for p in read if p.endswith((".txt", ".html"))]  # a stamp of size and time each

    changed = f"/{memory_root}/sample/001_380e6ef03d52a1a3.txt"
    fs.pipe(changed, fs.cat_file(changed) + b"\nShelling near Ariha on Tuesday killed two people.\n")
    assert main(["build", url, "--out", str(out), "--no-progress"]) == 0
    assert f"; {documents - 1} unchanged, kept;" in summary(capsys)


def test_files_named_by_url_build_as_the_same_files_named_on_disk(tmp_path, on_disk, memory_root):
    folder, _ = on_disk
    to_memory(folder, memory_root)
    named = ["formats/metadata.csv", "formats/bom_utf8.txt", "formats/latin1.txt", "formats/rows.csv",
             "formats/list.json", "formats/rows.jsonl", "formats/report.html", "bad/archive.zip"]  # fmt: skip
    assert main(["build", *(str(folder / n) for n in named), "--out", str(tmp_path / "disk"), "--no-progress"]) == 0
    urls = [f"memory://{memory_root}/{n}" for n in named]
    assert main(["build", *urls, "--out", str(tmp_path / "url"), "--no-progress"]) == 0
    assert_same_rows(tmp_path / "url", tmp_path / "disk", f"memory://{memory_root}/", f"{folder}/")
    documents = pd.read_csv(tmp_path / "url" / "documents.csv", dtype=str, keep_default_na=False)
    latin1 = documents[documents["doc_id"] == "latin1"].iloc[0]
    assert latin1["publisher"] == "Genfer Zeitung"  # the metadata.csv named beside it describes it


def test_a_remote_file_that_cannot_be_read_is_rejected_with_the_reason(tmp_path, memory_root, monkeypatch):
    fs = fsspec.filesystem("memory")
    text = "Clashes near Idlib\n\nTurkish forces shelled positions near Idlib on Monday, the monitor said.\n"
    for name in ("denied.txt", "reset.txt", "fine.txt"):
        fs.pipe(f"/{memory_root}/{name}", text.replace("Monday", name).encode())
    failures = {f"/{memory_root}/denied.txt": PermissionError(f"/{memory_root}/denied.txt"),
                f"/{memory_root}/reset.txt": ConnectionResetError("peer closed the connection")}  # fmt: skip
    real_cat = fs.cat_file

    def cat_file(path, *args, **kwargs):
        if path in failures:
            raise failures[path]
        return real_cat(path, *args, **kwargs)

    monkeypatch.setattr(fs, "cat_file", cat_file)
    assert main(["build", f"memory://{memory_root}", "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str, keep_default_na=False)
    reasons = dict(zip(documents["doc_id"], documents["status"] + ": " + documents["reason"], strict=True))
    assert reasons == {
        "denied": "rejected: could not be read: Permission denied",
        "fine": "ok: ",
        "reset": "rejected: could not be read: ConnectionResetError: peer closed the connection",
    }


def test_a_protocol_no_installed_package_reads_is_a_clear_error(tmp_path, capsys):
    assert main(["build", "nosuchproto://x/news", "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "error: nosuchproto://x/news: no installed fsspec filesystem reads nosuchproto:// URLs" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.skipif(importlib.util.find_spec("s3fs") is not None, reason="s3fs is installed")
def test_s3_without_s3fs_names_the_package_to_install(tmp_path, capsys):
    assert main(["build", "s3://bucket/news/", "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "error: s3://bucket/news/: reading s3:// URLs needs the s3fs package, not installed: pip install s3fs" in err


def test_a_url_that_names_nothing_is_the_error_of_a_missing_path(tmp_path, memory_root, capsys):
    missing = tmp_path / "nothing"
    assert main(["build", str(missing), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert main(["build", missing.as_uri(), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert main(["build", f"memory://{memory_root}/no", "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: no such file or folder: {missing}",
        f"error: no such file or folder: {missing.as_uri()}",
        f"error: no such file or folder: memory://{memory_root}/no",
    ]


def test_the_output_is_a_folder_not_a_url(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_status:
        main(["build", str(SAMPLE), "--out", "s3://bucket/out", "--no-progress"])
    assert exit_status.value.code == 2
    assert "argument --out: s3://bucket/out is a URL: the output is a local or shared folder" in capsys.readouterr().err


def test_a_csv_named_by_url_without_its_text_column_is_an_argument_error(tmp_path, memory_root, capsys):
    fsspec.filesystem("memory").pipe(f"/{memory_root}/rows.csv", b"headline,story\nA,Shelling near Idlib.\n")
    url = f"memory://{memory_root}/rows.csv"
    assert main(["build", url, "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert f"error: {url} has no text column" in capsys.readouterr().err
    assert main(["build", url, "--out", str(tmp_path / "out"), "--text-column", "story", "--no-progress"]) == 0


@pytest.mark.parametrize(
    "value, ns",
    [
        (1_600_000_000.5, 1_600_000_000_500_000_000),  # seconds (local, sftp)
        (dt.datetime(2020, 9, 13, 12, 26, 40, 1, tzinfo=dt.UTC), 1_600_000_000_000_001_000),  # S3, Azure
        ("2020-09-13T12:26:40Z", 1_600_000_000_000_000_000),  # GCS
        ("yesterday", -1),
        (None, -1),
    ],
)
def test_modification_times_as_filesystems_give_them(value, ns):
    assert remote.as_ns(value) == ns


def test_a_cluster_build_reads_a_url_on_the_client(tmp_path, memory_root):
    """``memory://`` lives in this process only: the build works because the client reads and the workers are
    sent articles."""
    distributed = pytest.importorskip("distributed")
    folder = tmp_path / "corpus"
    shutil.copytree(SAMPLE, folder / "sample")
    shutil.copytree(INGEST / "formats", folder / "formats")
    to_memory(folder, memory_root)
    assert main(["build", str(folder), "--out", str(tmp_path / "local"), "--no-progress"]) == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as cluster:
        url, out = f"memory://{memory_root}", tmp_path / "dask"
        assert main(["build", url, "--out", str(out), "--scheduler", cluster.scheduler_address, "--no-progress"]) == 0
    assert_same_rows(out, tmp_path / "local", f"{url}/", f"{folder}/")
