"""The local engine: a function over runs of documents, in this process or in forked worker processes.

``map_stream`` hands the runs back in input order while the input is still being read, and never reads more
than READ_AHEAD documents ahead of the workers, so memory does not grow with the corpus. ``cluster`` is the
same contract on a Dask cluster.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

from pipeline.settings import Settings

Item = TypeVar("Item")
Out = TypeVar("Out")
Work = Callable[[Sequence[Item], Any, Settings], Out]
# on_document(done, read): documents done, and documents read so far (the total once the input is read).
Progress = Callable[[int, int], None]

# Below this many documents a worker pool costs more to start than it saves.
POOL_THRESHOLD = 200
MIN_CHUNK = 8
# Documents per worker sent off before the rest of the input is read.
FIRST_CHUNK = 24
# Documents read but not yet sent to a worker, at most: what bounds the memory of a long input.
READ_AHEAD = 2000
# Runs sent to the workers and not yet handed back, per worker, while the input is still being read.
IN_FLIGHT = 3
# The size of a run while the input is still being read.
RUN = 128
YOUNG_COLLECTION_EVERY = 20_000


def workers_for(settings: Settings, documents: int) -> int:
    workers = settings.workers or os.cpu_count() or 1
    return workers if documents >= POOL_THRESHOLD and "fork" in mp.get_all_start_methods() else 1


def guided(remaining: int, workers: int) -> int:
    """Runs that shrink as the work runs out ("guided" scheduling): each is a quarter of what remains per
    worker, at least MIN_CHUNK. Few round trips at the start, and the workers finish close together (with equal
    chunks of 62 documents, one worker idled for half a chunk on average at the end, ~0.15 s of 2 cores)."""
    return max(MIN_CHUNK, remaining // (workers * 4)) if workers > 1 else MIN_CHUNK


def runs_of(buffer: deque, workers: int, exhausted: bool, budget: int) -> Iterator[list]:
    """Take up to ``budget`` runs off ``buffer``: all of it once the input is exhausted, else full runs only."""
    while buffer and budget > 0:
        size = guided(len(buffer), workers) if exhausted else RUN
        if not exhausted and len(buffer) < size:
            return
        yield [buffer.popleft() for _ in range(min(size, len(buffer)))]
        budget -= 1


@contextmanager
def processes(work: Work, res: Any, settings: Settings, workers: int) -> Iterator[ProcessPoolExecutor | None]:
    """A pool of forked workers that inherit the loaded resources (so only documents and results cross
    processes), or None for one process; with the collector tuned for the stages either way."""
    use_system_allocator()
    thresholds = gc.get_threshold()
    # The stages make many short-lived containers: a young-generation collection every 700 of them cost
    # 1.5-3% of the processing (gc callbacks, 500 bench articles); every 20,000 costs ~0.3%. Forked workers
    # inherit the setting; it is restored when the work is done.
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *thresholds[1:])
    pool = None
    try:
        if workers > 1:
            # Frozen objects are left out of the collector's scans, so the workers do not touch (and copy)
            # every page of the inherited resources: children's CPU time ~12% lower on the 1k-article bench.
            gc.freeze()
            release_free_memory()
            pool = ProcessPoolExecutor(
                workers, mp_context=mp.get_context("fork"), initializer=_start_worker, initargs=(res, settings, work)
            )
        yield pool
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
            gc.unfreeze()
        gc.set_threshold(*thresholds)


def use_system_allocator() -> None:
    """Arrow's buffers from the C library's allocator (``malloc``) instead of the mimalloc Arrow bundles.
    mimalloc asks the kernel for transparent huge pages, each zeroed in full (2 MB) when first touched: on the
    1k-article bench ~10% of the build's CPU went to the kernel clearing pages for the Arrow tables of each run,
    and its segments kept ~60 MB more at the peak (239 against 179 MB). glibc's free pages go back to the system
    with ``release_free_memory``, mimalloc's never did."""
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def release_free_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc's ``malloc_trim``; a few milliseconds). Before
    forking: pages the parent freed while it loaded the resources and listed the input would otherwise count again
    in each worker's resident memory (a fork shares every page the parent holds). After each part the build
    writes: the buffers of its runs, freed, leave free pages between the blocks that stay, which glibc keeps (~90 MB
    of 190 in the build's process after 100,000 articles). (Not after each run in a worker: a few MB less there,
    for pages faulted in again by the next run.)"""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def map_stream(
    work: Work, items: Iterable[Item], res: Any, settings: Settings, on_document: Progress | None
) -> Iterator[tuple[Sequence[Item], Out]]:
    """``work`` over runs of ``items``, in order, each run with its output, while ``items`` is still being read.

    With POOL_THRESHOLD items or more, the forked workers start on a first run each as soon as it is read;
    the rest is read meanwhile, at most READ_AHEAD items ahead, and cut into runs as ``guided`` says. Outputs
    are handed on as they arrive, so the caller writes them while the workers still run.
    """
    stream = iter(items)
    head = list(islice(stream, POOL_THRESHOLD))
    workers = workers_for(settings, len(head))
    read = len(head)
    with processes(work, res, settings, workers) as pool:
        runs: Iterable[tuple[Sequence[Item], Out]]
        if pool is None:
            chunks = iter(lambda: list(islice(stream, MIN_CHUNK)), [])
            pending = (chunk for part in ([head[i : i + MIN_CHUNK] for i in range(0, len(head), MIN_CHUNK)], chunks)
                       for chunk in part)  # fmt: skip
            runs = ((chunk, work(chunk, res, settings)) for chunk in pending)
        else:
            runs = _Pooled(pool, head, stream, workers)
        done = 0
        for chunk, output in runs:
            done += len(chunk)
            if on_document:
                on_document(done, max(done, read, getattr(runs, "read", 0)))
            yield chunk, output


class _Pooled:
    """The pool's runs in order, reading ahead of the workers (``read`` counts the documents read so far)."""

    def __init__(self, pool: ProcessPoolExecutor, head: list, stream: Iterator, workers: int) -> None:
        self.pool, self.stream, self.workers = pool, stream, workers
        size = min(FIRST_CHUNK, len(head) // workers)
        self.pending: deque[tuple[list, Future]] = deque(
            (chunk, pool.submit(_work_in_worker, chunk)) for chunk in (head[k * size : (k + 1) * size]
                                                                       for k in range(workers))
        )  # fmt: skip
        self.buffer: deque = deque(head[workers * size :])
        self.read = len(head)
        self.exhausted = False

    def __iter__(self) -> Iterator[tuple[list, Any]]:
        while True:
            self._refill()
            if not self.pending:
                return
            chunk, future = self.pending.popleft()
            yield chunk, future.result()

    def _refill(self) -> None:
        """Read up to READ_AHEAD documents ahead, and keep IN_FLIGHT runs per worker at the workers."""
        while not self.exhausted and len(self.buffer) < READ_AHEAD:
            block = list(islice(self.stream, MIN_CHUNK))
            self.read += len(block)
            self.buffer.extend(block)
            self.exhausted = len(block) < MIN_CHUNK
            if len(self.buffer) >= RUN and sum(not f.done() for _, f in self.pending) < self.workers:
                break  # a worker is idle: send it what is read
        budget = len(self.buffer) if self.exhausted else self.workers * IN_FLIGHT - len(self.pending)
        for chunk in runs_of(self.buffer, self.workers, self.exhausted, budget):
            self.pending.append((chunk, self.pool.submit(_work_in_worker, chunk)))


# Set once in each forked worker by ``_start_worker`` (never in the parent): the resources a
# worker inherited and the work it does, so that they are not pickled with every chunk.
_WORKER: dict[str, Any] = {}


def _start_worker(res: Any, settings: Settings, work: Callable) -> None:
    _WORKER.update(res=res, settings=settings, work=work)


def _work_in_worker(chunk: Sequence) -> Any:
    return _WORKER["work"](chunk, _WORKER["res"], _WORKER["settings"])
