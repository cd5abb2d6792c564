"""The installed version of a distribution, without importing it or ``importlib.metadata`` (0.01-0.05 s).

Read from the name of its ``*.dist-info`` folder beside the package, found by the standard path finder (past
import hooks: ``python -m pipeline`` runs as if pandas were absent); ``importlib.metadata`` when that is not
how it was installed.
"""

from __future__ import annotations

from importlib.machinery import PathFinder
from pathlib import Path


def installed_version(distribution: str, package: str = "") -> str:
    """The version of ``distribution`` (whose importable package is ``package``, when its name differs);
    raises ``importlib.metadata.PackageNotFoundError`` when it is not installed."""
    spec = PathFinder.find_spec(package or distribution.replace("-", "_"))
    if spec is not None and spec.origin:
        prefix = distribution.replace("-", "_") + "-"
        found = [p.name for p in Path(spec.origin).parent.parent.glob(f"{prefix}*.dist-info")
                 if p.name.lower().startswith(prefix.lower())]  # fmt: skip
        if len(found) == 1:
            return found[0][len(prefix) :].removesuffix(".dist-info")
    from importlib import metadata

    return metadata.version(distribution)
