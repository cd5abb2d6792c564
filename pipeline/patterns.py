"""The rule files' regular expressions, compiled once per machine rather than once per build.

Python compiles a regular expression in two steps: its parser and code generator, written in Python, turn the
pattern into a program of integers, and ``_sre.compile`` makes the pattern object from that program in C. The
rules' ~100 patterns (some of thousands of alternatives) take ~0.05 s in the first step on every build, a third of
loading the rules and all of it before the workers start. ``compile`` keeps each program in
``data/cache/patterns-*.marshal`` (beside the gazetteer's index) and makes the pattern object from it; ``save``
writes what was compiled anew. The file is named after the interpreter and its regex engine, and any pattern
it cannot give is compiled as usual: the result is always ``re.compile``'s.

The same file keeps other facts that cost more to derive than to read (``remembered``): what a pattern's match
may begin with, the rule files parsed from their TOML (keyed by a hash of their bytes, so an edited file is
parsed again). ~0.06 s of every build, before the workers start.
"""

from __future__ import annotations

import _sre
import hashlib
import marshal
import os
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]  # (no stub for re._compiler)
from typing import Any, TypeVar

from pipeline.settings import DATA_DIR

CACHE = DATA_DIR / "cache" / f"patterns-{sys.implementation.cache_tag}-{_sre.MAGIC}-{_sre.CODESIZE}.marshal"

_programs: dict[tuple, Any] | None = None  # (pattern, flags) -> what _sre.compile takes; (kind, key, "") -> a fact
_added = False
_used: set[tuple] = set()  # the patterns and facts this process asked for: what the file keeps
_MISSING = object()
T = TypeVar("T")


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001  (re.compile's name and signature)
    """``re.compile(pattern, flags)``, from the program kept for it when there is one."""
    programs = _loaded()
    key = (pattern, int(flags))
    _used.add(key)
    program = programs.get(key)
    if program is not None:
        try:
            return _sre.compile(pattern, *program)  # type: ignore[no-any-return]
        except (TypeError, ValueError, RuntimeError):
            pass  # not this engine's program after all: compiled below
    compiled = re.compile(pattern, flags)
    found = _program(pattern, int(flags))
    if found is not None:
        global _added
        programs[key] = found
        _added = True
    return compiled


def remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept under (``kind``, ``key``) for the next process: ``key`` must name everything the value
    depends on. A value marshal cannot write is computed every time."""
    programs = _loaded()
    slot = (kind, key, "")  # a third item: never a (pattern, flags) key
    _used.add(slot)
    value = programs.get(slot, _MISSING)
    if value is not _MISSING:
        return value  # type: ignore[no-any-return]
    value = compute()
    try:
        marshal.dumps(value)  # type: ignore[arg-type]  # (a value marshal refuses raises here)
    except ValueError:
        return value
    global _added
    programs[slot] = value
    _added = True
    return value


def load_toml(path: Path) -> dict[str, Any]:
    """``tomllib.load`` of the file at ``path``, kept by the hash of its bytes (raises as tomllib does)."""
    data = Path(path).read_bytes()
    key = hashlib.blake2b(data, digest_size=16).hexdigest()
    kept = remembered("toml", key, lambda: tomllib.loads(data.decode("utf-8")))
    try:
        return marshal.loads(marshal.dumps(kept))  # type: ignore[no-any-return]  # the caller's own copy
    except ValueError:
        return kept  # not kept (a date in it): parsed for this call alone


def save(path: Path | None = None) -> None:
    """Write the programs this process used, when some were compiled anew (those of rules since changed are
    dropped; a read-only data folder keeps none)."""
    global _added
    if not _added or _programs is None:
        return
    path = path or CACHE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps({k: v for k, v in _programs.items() if k in _used}))
        os.replace(tmp, path)
        _added = False
    except OSError:
        pass


def _loaded() -> dict[tuple, Any]:
    global _programs
    if _programs is None:
        try:
            _programs = marshal.loads(CACHE.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            _programs = {}
    return _programs


def _program(pattern: str, flags: int) -> tuple[Any, ...] | None:
    """What ``re._compiler.compile`` hands ``_sre.compile`` after the pattern: flags, program, groups and names."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        state = parsed.state
        names = [None] * state.groups
        for name, i in state.groupdict.items():
            names[i] = name
        return (int(flags | state.flags), [int(c) for c in code], state.groups - 1, dict(state.groupdict),
                tuple(names))  # fmt: skip
    except Exception:  # noqa: BLE001  (another engine: nothing kept, re.compile's object used)
        return None
