"""Benchmark: the streaming build at growing corpus sizes, its incremental rebuild, and the Dask engine.

    make bench-scale            # or: .venv/bin/python bench/bench_scale.py [--sizes 3000,30000,300000] [--dask]

For each size, composes that many articles (bench_build's composer: the sample articles and composed news
sentences) and runs, each as a child process whose whole process tree is sampled for its memory:

  1. ``python -m pipeline build CORPUS --out OUT`` (the streaming build: every output file);
  2. the named baseline, measured in the same run: the in-memory build the command line used before the
     streaming one (``build.build_arrow`` then ``store.write_arrow``: every table gathered, then written);
  3. after adding 1% new articles to the corpus (the news of the month after its last day, as an archive grows),
     the same command again into OUT: the incremental rebuild.

Prints articles/s, the peak memory of the whole process tree (the sum of the resident memory of the process and
its workers, sampled every 50 ms), and the ratios the targets are set on: peak memory from one size to the next
(target <= 1.5x), articles/s at the largest size against the one before (>= 90%), the incremental rebuild
against the full build (<= 5%), and each size's peak against the in-memory baseline's. With ``--dask``, the
largest size up to 30,000 is built on a LocalCluster of two workers too: the same rows, and the time as a ratio
to the local build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from bench_build import compose_corpus  # noqa: E402

IN_MEMORY = (
    "import sys; from pathlib import Path; from pipeline import build, store; from pipeline.settings import Settings\n"
    "tables = build.build_arrow([Path(sys.argv[1])], Settings(progress=False))\n"
    "store.write_arrow(tables, Path(sys.argv[2]), [Path(sys.argv[1])])\n"
)


@dataclass(frozen=True)
class Run:
    wall: float
    peak_mb: float  # the whole process tree's resident memory, at its highest


def measured(command: list[str]) -> Run:
    """Run ``command`` to completion, sampling the summed RSS of its process tree every 50 ms."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(child.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = 0
                for proc in tree:
                    try:
                        total += proc.memory_info().rss
                    except psutil.Error:
                        pass
                peak = max(peak, total)
            except psutil.Error:
                return
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = child.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{errors[-2000:]}")
    return Run(wall, peak / 2**20)


def build_command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pipeline", "build", str(corpus), "--out", str(out), "--no-progress", *extra]


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    args.add_argument("--sizes", default="3000,30000,300000", help="corpus sizes (default 3000,30000,300000)")
    args.add_argument("--dask", action="store_true", help="also build the largest size <= 30,000 on a LocalCluster")
    args.add_argument("--no-baseline", action="store_true", help="skip the in-memory baseline builds")
    opts = args.parse_args(argv)
    sizes = [int(s) for s in opts.sizes.split(",")]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    results: dict[int, tuple[Run, Run | None, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="newsline-scale-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus{size}"
            corpus.mkdir()
            written = compose_corpus(corpus, size)
            out = Path(tmp) / f"out{size}"
            full = measured(build_command(corpus, out))
            baseline = None if opts.no_baseline else measured(
                [sys.executable, "-c", IN_MEMORY, str(corpus), str(Path(tmp) / f"base{size}")]
            )  # fmt: skip
            (corpus / "zz_added").mkdir()
            # the news of the month after the corpus's last day, as an archive grows
            last = max(published for _, published in written)
            compose_corpus(corpus / "zz_added", max(1, size // 100), seed=11, prefix="added", after=last)
            incremental = measured(build_command(corpus, out))
            results[size] = (full, baseline, incremental)
            base = f" | in-memory baseline {baseline.wall:6.1f} s, peak {baseline.peak_mb:6.0f} MB" if baseline else ""
            print(f"{size:>7} articles: build {full.wall:6.1f} s {size / full.wall:6.0f} articles/s, "
                  f"peak {full.peak_mb:6.0f} MB{base} | +1% incremental {incremental.wall:5.2f} s "
                  f"({incremental.wall / full.wall:.1%} of the full build; target <= 5%)", flush=True)  # fmt: skip
            shutil.rmtree(Path(tmp) / f"base{size}", ignore_errors=True)
            if opts.dask and size == max(s for s in sizes if s <= 30_000):
                dask_vs_local(corpus, Path(tmp), full)
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(corpus, ignore_errors=True)
    for smaller, larger in zip(sizes, sizes[1:], strict=False):
        (a, base_a, _), (b, base_b, _) = results[smaller], results[larger]
        baseline = f"; in-memory baseline {base_b.peak_mb / base_a.peak_mb:.2f}x" if base_a and base_b else ""
        print(f"peak memory {larger} / {smaller}: {b.peak_mb / a.peak_mb:.2f}x (target <= 1.5x){baseline}")
        rate = (larger / b.wall) / (smaller / a.wall)
        print(f"articles/s {larger} / {smaller}: {rate:.0%} (target >= 90%)")
    for size, (full, baseline, _) in results.items():
        if baseline:
            print(f"{size}: streaming build peak / in-memory baseline peak: {full.peak_mb / baseline.peak_mb:.2f}x")
    print(f"machine: load average {os.getloadavg()[0]:.1f} after the runs")
    return 0


def dask_vs_local(corpus: Path, tmp: Path, local: Run) -> None:
    """The same corpus (with its 1% added) on a LocalCluster of two workers: the same rows, and the overhead."""
    from distributed import LocalCluster

    local_out, dask_out = tmp / "local_again", tmp / "dask"
    local = measured(build_command(corpus, local_out))
    sys.path.insert(0, str(REPO))  # the workers (spawned with this process's path) import the pipeline
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1") as cluster:  # fmt: skip
        on_dask = measured(build_command(corpus, dask_out, "--scheduler", cluster.scheduler_address))
    same = all(
        (local_out / name).read_bytes() == (dask_out / name).read_bytes()
        for name in ("events.csv", "documents.csv", "mentions.csv", "places.csv", "candidates.csv")
    )
    print(f"dask (LocalCluster, 2 workers): {on_dask.wall:6.1f} s against {local.wall:6.1f} s locally: "
          f"{on_dask.wall / local.wall:.2f}x; rows {'identical' if same else 'DIFFERENT'}", flush=True)  # fmt: skip
    shutil.rmtree(local_out, ignore_errors=True)
    shutil.rmtree(dask_out, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
