"""The cluster engine on a real Dask LocalCluster: two worker processes, on loopback."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline import build, cluster
from pipeline.settings import Settings
from tests.conftest import REPO
from tests.test_incremental import SINGLE, assert_same_build, write_corpus

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as running:
        yield running


def test_the_command_line_on_two_workers_writes_what_a_local_build_writes(tmp_path, local_cluster):
    corpus = tmp_path / "in"
    write_corpus(corpus, 150)  # more than one task (cluster.RUN documents each)
    for name in ("dask", "local"):
        scheduler = ["--scheduler", local_cluster.scheduler_address] if name == "dask" else []
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "build", str(corpus), "--out", str(tmp_path / name), *scheduler],
            cwd=REPO, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "155 ok" in done.stderr
    assert "building" in done.stderr  # the progress bar, in both
    assert_same_build(tmp_path / "dask", tmp_path / "local")
    assert len(pd.read_parquet(tmp_path / "dask" / "events")) > 500


def test_no_scheduler_at_the_address_is_a_clear_error(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", str(REPO / "data" / "sample"), "--out", str(tmp_path / "o"),
         "--scheduler", "tcp://127.0.0.1:9", "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no Dask scheduler at tcp://127.0.0.1:9" in done.stderr


def dies_on_marked_documents(articles, res, settings):
    """``process_chunk``, but the worker process dies on a document that says so: once, or every time."""
    for article in articles:
        if article.status == "ok" and "KILL-ONCE" in article.text:
            marker = Path(article.file).parent.parent / "once.died"  # beside the corpus, not in it
            if not marker.exists():
                marker.touch()
                os._exit(1)
        if article.status == "ok" and "KILL-ALWAYS" in article.text:
            os._exit(1)
    return build.process_chunk(articles, res, settings)


def test_a_dying_worker_loses_no_document_and_a_killer_document_is_rejected(tmp_path, local_cluster):
    corpus = tmp_path / "in"
    write_corpus(corpus, 20)
    (corpus / "once.txt").write_text("KILL-ONCE. Turkish jets struck Afrin on 3 May 2020.\n", encoding="utf-8")
    (corpus / "poison.txt").write_text("KILL-ALWAYS. Rebels shelled Hama on 4 May 2020.\n", encoding="utf-8")
    settings = Settings(progress=False)
    summary = build.build_to_folder(
        [corpus], tmp_path / "dask", settings, scheduler=local_cluster.scheduler_address, work=dies_on_marked_documents
    )
    assert (tmp_path / "once.died").exists()  # it did kill its worker, once
    assert summary.status == {"ok": 26, "rejected": 1}
    docs = pd.read_csv(tmp_path / "dask" / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert docs.loc["poison", "status"] == "rejected" and docs.loc["poison", "reason"] == cluster.KILLED
    assert docs.loc["once", "status"] == "ok"
    (corpus / "poison.txt").unlink()
    build.build_to_folder([corpus], tmp_path / "local", Settings(workers=1, progress=False))
    dask_events = pd.read_parquet(tmp_path / "dask" / "events.parquet")
    local_events = pd.read_parquet(tmp_path / "local" / "events.parquet")
    pd.testing.assert_frame_equal(dask_events, local_events)
    assert "2020-05-03" in set(dask_events.loc[dask_events["doc_id"] == "once", "time_value"])
    assert all((tmp_path / "dask" / name).exists() for name in SINGLE)
