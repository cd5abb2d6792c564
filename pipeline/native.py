"""The stage modules compiled to C (mypyc), used only when they were compiled from the sources as they are.

``make compile`` (``scripts/compile_native.py``) compiles MODULES (the stages every sentence goes through,
and the records they pass on) into ``build/native/`` and writes there the fingerprint of what it compiled:
every source file of the package, the Python version and the extension suffix. When ``pipeline`` is
imported, ``activate`` compares that fingerprint with the sources on disk; only if they agree are the
compiled modules found first. After any edit, on another Python, or with nothing compiled, the pure-Python
modules run: the same results, slower. So a stale compiled module can never run in place of the code on disk.

``NEWSLINE_NATIVE=0`` turns the compiled modules off; ``NEWSLINE_NATIVE=require`` makes a missing or stale
build an ImportError (``make test`` and ``make bench`` set it, so they cannot pass on the wrong code).
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from pathlib import Path

MODULES = (
    "records", "namekeys", "actors.dictionary", "actors.match", "actors.detect", "actors.candidates", "actors.read",
    "places.toponyms", "places.choose", "places.relative", "places.enclosing", "places.find",
    "timex.rules", "timex.detect", "resolve.values", "resolve.document",
    "clause", "sentences", "clean", "eventtypes", "events", "neardup",
    "incidents.rules", "incidents.wording", "incidents.records", "incidents.page_dates", "incidents.corpus_words",
    "incidents.corpus_dates", "incidents.rows", "incidents.matching", "incidents.grouping", "incidents.summary",
)  # fmt: skip
# A subpackage's modules ("actors.match") are compiled to build/native/pipeline/actors/; its __init__ stays
# Python and calls ``activate_subpackage`` so that they are found there first.
SUBPACKAGES = ("actors", "places", "timex", "resolve", "incidents")
PACKAGE_DIR = Path(__file__).resolve().parent
NATIVE_DIR = PACKAGE_DIR.parent / "build" / "native"
STAMP = "FINGERPRINT"
SWITCH = "NEWSLINE_NATIVE"


def module_file(name: str) -> str:
    """The path of a module of MODULES inside the package, without its suffix ("actors.match" -> "actors/match")."""
    return name.replace(".", "/")


def activate_subpackage(package_path: list[str], name: str, native_dir: Path = NATIVE_DIR) -> None:
    """Put a subpackage's compiled modules first on its ``__path__`` when ``activate`` put the package's there."""
    import pipeline

    compiled = native_dir / "pipeline"
    if pipeline.__path__ and pipeline.__path__[0] == str(compiled) and (compiled / name).is_dir():
        package_path.insert(0, str(compiled / name))


def fingerprint(package_dir: Path = PACKAGE_DIR) -> str:
    """What a compiled build depends on: the package's sources (a compiled module reads the types of the
    others), the interpreter and its extension suffix."""
    digest = hashlib.sha256(f"{sys.implementation.cache_tag} {sysconfig.get_config_var('EXT_SUFFIX')}".encode())
    for source in sorted(package_dir.rglob("*.py")):
        digest.update(f"\0{source.relative_to(package_dir).as_posix()}\0".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def fresh(native_dir: Path = NATIVE_DIR, package_dir: Path = PACKAGE_DIR) -> bool:
    """Whether ``native_dir`` holds every module of MODULES, compiled from the sources in ``package_dir``."""
    try:
        stamp = (native_dir / STAMP).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    compiled = all((native_dir / "pipeline" / f"{module_file(name)}{suffix}").is_file() for name in MODULES)
    return compiled and stamp == fingerprint(package_dir)


def activate(package_path: list[str], native_dir: Path = NATIVE_DIR, package_dir: Path = PACKAGE_DIR) -> bool:
    """Put the compiled modules first on ``package_path`` (the package's ``__path__``) when they are fresh.

    Returns whether they are in use. Called once, by ``pipeline/__init__``, before any stage is imported.
    """
    switch = os.environ.get(SWITCH, "").strip().lower()
    if switch in ("0", "off", "no"):
        return False
    if not fresh(native_dir, package_dir):
        if switch == "require":
            raise ImportError(
                f"{SWITCH}=require, but {native_dir} holds no compiled modules for these sources: run `make compile`"
            )
        return False
    package_path.insert(0, str(native_dir / "pipeline"))
    if str(native_dir) not in sys.path:
        sys.path.append(str(native_dir))  # the modules' shared runtime, a top-level module of its own
    return True


def in_use() -> bool:
    """Whether the stage modules imported in this process are the compiled ones."""
    from pipeline import namekeys

    return Path(namekeys.__file__ or "").suffix != ".py"
