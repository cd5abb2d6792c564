"""The cluster engine: ``engine.map_stream``'s contract on a Dask distributed cluster.

The client (this process) reads the sources, sends runs of documents to the workers, and writes the rows they
send back, in input order, as ``engine`` does; each worker loads the rules and dictionaries once
(``_resources``) and runs the same pure ``process_document`` on every document of a run. At most READ_AHEAD
documents are read and IN_FLIGHT runs per worker thread are at the cluster at a time, so the client's memory
does not grow with the corpus.

Faults: a worker that dies mid-run loses no document. The scheduler gives a task whose worker died a second
try (``allowed_failures`` 1); a run that killed its worker twice is split and its documents sent one by one;
a document that kills its worker twice on its own is reported rejected, with that reason, and the build goes
on. Workers must run the same code and rules as the client (checked: the build fingerprint).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any

from pipeline.engine import MIN_CHUNK, READ_AHEAD, Progress, Work
from pipeline.records import Article
from pipeline.settings import Settings

RUN = 64  # documents per task
IN_FLIGHT = 3  # tasks per worker thread at the cluster
ALLOWED_FAILURES = 1  # a task whose worker died is tried once more
KILLED = "its worker process died twice while processing it (out of memory, or a crash in a library)"


class ClusterError(OSError):
    """No usable cluster at the address, or workers that run other code or rules than this client."""


def map_stream(
    work: Work, items: Iterable[Article], settings: Settings, on_document: Progress | None, address: str
) -> Iterator[tuple[Sequence[Article], Any]]:
    """``work`` over runs of ``items`` on the cluster at ``address``, in order, each run with its output."""
    from distributed import Client

    try:
        client = Client(address, timeout="10s")
    except OSError as err:
        raise ClusterError(f"no Dask scheduler at {address}: {err}") from err
    with client:
        _check_workers(client, settings)
        # (a lambda travels by value: the scheduler need not import this package)
        client.run_on_scheduler(
            lambda dask_scheduler, n=ALLOWED_FAILURES: setattr(dask_scheduler, "allowed_failures", n)
        )
        slots = max(1, sum(client.nthreads().values())) * IN_FLIGHT
        yield from _in_order(client, work, iter(items), settings, on_document, slots)


def _check_workers(client: Any, settings: Settings) -> None:
    from pipeline.incremental import build_fingerprint

    if not client.scheduler_info().get("workers"):
        client.wait_for_workers(1, timeout=60)
    mine = build_fingerprint(settings)
    try:
        theirs = client.run(build_fingerprint, settings)
    except Exception as err:  # what a worker raised, re-raised here as a bare Exception with its text
        raise ClusterError(
            f"the workers cannot run the pipeline ({err}): start them in the project folder, with PYTHONPATH=."
        ) from err
    other = sorted(worker for worker, fingerprint in theirs.items() if fingerprint != mine)
    if other:
        raise ClusterError(
            f"workers {', '.join(other)} run other code, rules or libraries than this client: "
            "start them from the same version of the project"
        )


def _in_order(
    client: Any, work: Work, stream: Iterator[Article], settings: Settings, on_document: Progress | None, slots: int
) -> Iterator[tuple[Sequence[Article], Any]]:
    pending: deque[tuple[list[Article], Any]] = deque()
    buffer: deque[Article] = deque()
    read = done = 0
    exhausted = False
    while True:
        while not exhausted and len(buffer) < READ_AHEAD:
            block = list(islice(stream, MIN_CHUNK))
            read += len(block)
            buffer.extend(block)
            exhausted = len(block) < MIN_CHUNK
        while buffer and len(pending) < slots:
            run = [buffer.popleft() for _ in range(min(RUN, len(buffer)))]
            pending.append((run, client.submit(_work_on_worker, work, run, settings, pure=False)))
        if not pending:
            return
        run, future = pending.popleft()
        output = _result(client, work, run, future, settings)
        done += len(run)
        if on_document:
            on_document(done, read)
        yield run, output


def _result(client: Any, work: Work, run: list[Article], future: Any, settings: Settings, alone: bool = False) -> Any:
    """A run's output; a run whose worker died twice, again one document at a time, each alone (sent when the one
    before it is done). A worker that dies takes down whatever else it was given: a document is rejected only when
    it killed its worker twice while it was the one document of this build there (``alone``)."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        if len(run) == 1 and alone:
            return work([replace(run[0], status="rejected", reason=KILLED)], None, settings)
    outputs = [_result(client, work, [article], client.submit(_work_on_worker, work, [article], settings, pure=False),
                       settings, alone=True) for article in run]  # fmt: skip
    return _joined(outputs)


def _joined(outputs: list[Any]) -> Any:
    """One run's output from the outputs of its documents processed one by one."""
    import pyarrow as pa

    first = outputs[0]
    fields = {}
    for name in first.__dataclass_fields__:
        values = [getattr(o, name) for o in outputs]
        fields[name] = pa.concat_tables(values) if isinstance(values[0], pa.Table) else [v for o in values for v in o]
    return type(first)(**fields)


# On each worker: the rules and dictionaries, loaded by its first task and kept for the others.
_LOADED: dict[str, Any] = {}


def _work_on_worker(work: Work, run: list[Article], settings: Settings) -> Any:
    from pipeline import build, clean

    key = repr(settings)
    if key not in _LOADED:
        _LOADED.clear()
        clean.default_rules(settings.data_dir)
        _LOADED[key] = build.load_resources(settings)
    return work(run, _LOADED[key], settings)
