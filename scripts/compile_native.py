"""Compile the pipeline's stage modules to C with mypyc (``make compile``), into build/native/.

The modules (``pipeline.native.MODULES``) are compiled together, so that they call each other's functions
directly, and the build is written next to the sources' fingerprint: ``pipeline`` uses it only while the
sources are the ones compiled (see pipeline/native.py). The package's other modules are byte-compiled
(``__pycache__``), as an installed package is: a process started with PYTHONDONTWRITEBYTECODE, or by a user
who cannot write the folder, would otherwise compile them from source on every run (~0.04 s of each build).
Needs a C compiler and the Python headers; mypy (which brings mypyc) and setuptools come from requirements-dev.txt.
"""

from __future__ import annotations

import compileall
import os
import shutil
import sys
import sysconfig
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ["NEWSLINE_NATIVE"] = "0"  # this process reads the sources; it never runs the compiled modules

from pipeline import native  # noqa: E402

GROUP = "newsline_native"  # the shared runtime module of the compiled modules


def check_toolchain() -> None:
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
    missing = [f"a C compiler ({compiler})"] if shutil.which(compiler) is None else []
    missing += [f"the Python headers ({headers})"] if not headers.is_file() else []
    if missing:
        raise SystemExit(
            f"make compile needs {' and '.join(missing)}; on Debian: apt-get install gcc python3-dev.\n"
            "Without them the pipeline runs as pure Python (the same results, slower)."
        )


def compile_modules(native_dir: Path = native.NATIVE_DIR) -> None:
    from mypyc.build import mypycify
    from setuptools import Distribution

    stamp = native.fingerprint()  # of the sources as they are now: an edit during the build makes it stale
    sources = [f"pipeline/{native.module_file(name)}.py" for name in native.MODULES]  # module names follow
    os.chdir(REPO)
    with tempfile.TemporaryDirectory(prefix="newsline-compile-") as tmp:
        work = Path(tmp)
        extensions = mypycify(sources, opt_level="3", group_name=GROUP, target_dir=str(work / "c"))
        dist = Distribution({"name": "newsline-native", "ext_modules": extensions, "script_name": "compile_native"})
        dist.verbose = False  # not a line per compiler call
        command = dist.get_command_obj("build_ext")
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "obj")
        dist.run_command("build_ext")
        shutil.rmtree(native_dir, ignore_errors=True)
        native_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(work / "lib", native_dir)
    (native_dir / native.STAMP).write_text(stamp + "\n", encoding="utf-8")


def main() -> int:
    check_toolchain()
    compile_modules()
    compileall.compile_dir(native.PACKAGE_DIR, quiet=1)  # (a source edited later is read from source: no stale code)
    if not native.fresh():
        raise SystemExit("the sources changed while they were compiled: run make compile again")
    print(f"compiled {len(native.MODULES)} stage modules into {native.NATIVE_DIR.relative_to(REPO)}/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
