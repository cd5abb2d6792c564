"""``python -m pipeline`` and the ``newsline`` command: the command line, in a process of its own.

Such a process never makes a numpy array or a pandas frame, so it runs as if neither were installed: both
are optional dependencies of pyarrow (since version 16), and a pyarrow without them is a setup pyarrow
itself supports and tests. Importing them costs ~0.55 s of CPU (numpy ~0.15 s at ``import pyarrow``,
pandas ~0.4 s at the first list pyarrow converts, only to ask whether it is a pandas object), more than
half of what a 1k-article build spends outside its stages. Should a later pyarrow need either on this
path, the build fails with an ImportError instead of changing silently. The library itself imports them
as usual: the dashboard and the tests need them.
"""

import gc
import os
import sys
from importlib.machinery import ModuleSpec

NOT_INSTALLED = frozenset({"numpy", "pandas"})


class _WithoutNumpyOrPandas:
    """An import hook under which ``import numpy`` and ``import pandas`` fail, for the whole process."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name.partition(".")[0] in NOT_INSTALLED:
            raise ImportError(f"{name} is not needed by the command line")
        return None


def run() -> None:
    """``newsline`` and ``python -m pipeline``: the command line without numpy or pandas, and a quick exit."""
    # Arrow's buffers from malloc, from the first one on (see ``engine.use_system_allocator``, which a build
    # called as a library sets when its workers fork: the pool Arrow made at import keeps ~30 MB more).
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    # Loading the rules and the pass over the whole corpus make many short-lived containers, as the stages do:
    # a young-generation collection every YOUNG_COLLECTION_EVERY of them, as in the workers (pipeline/engine.py),
    # not every 700 (~8 ms of the 0.35 s before the workers start).
    from pipeline.engine import YOUNG_COLLECTION_EVERY

    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])
    if NOT_INSTALLED.isdisjoint(sys.modules):  # (run in a process that has them already, they stay usable)
        sys.meta_path.insert(0, _WithoutNumpyOrPandas())

    from pipeline.cli import main

    kept: list[object] = []  # the build's rules and dictionaries, never freed: the process ends below
    code = main(keep=kept)
    # Every output file is written, closed and in place, and the worker processes have been joined: skip the
    # interpreter's teardown, which frees each of the gazetteer's 700,000 strings and every module one by one
    # (~0.07 s of a 1k-article build, 3% of it). Errors raise before this line and exit as usual.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
