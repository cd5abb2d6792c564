"""``python -m pipeline``: the command line, in a process of its own.

Such a process never makes a numpy array or a pandas frame, so pyarrow is imported without numpy, an
optional dependency of pyarrow since version 16: importing numpy is ~0.15 s of CPU, half of the imports of
a whole build. (The library itself imports pyarrow as usual: the dashboard and the tests need numpy.)
"""

import sys
from importlib.machinery import ModuleSpec


class _WithoutNumpy:
    """An import hook under which ``import numpy`` fails; removed once pyarrow is imported."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError("numpy is not needed by the command line")
        return None


if "pyarrow" not in sys.modules:
    _hook = _WithoutNumpy()
    sys.meta_path.insert(0, _hook)
    try:
        import pyarrow  # noqa: F401  (imported here, without numpy, for every module after it)
    finally:
        sys.meta_path.remove(_hook)

from pipeline.cli import main  # noqa: E402

sys.exit(main())
