import os
import re
import subprocess
import sys
import sysconfig

import pandas as pd
import pytest

from pipeline import native
from tests.conftest import REPO

SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


def fake_build(tmp_path):
    """A package folder and a "compiled" folder stamped with its fingerprint (empty files stand for modules)."""
    package, built = tmp_path / "pkg", tmp_path / "native"
    package.mkdir(parents=True)
    (package / "stage.py").write_text("X = 1\n")
    (built / "pipeline").mkdir(parents=True)
    for name in native.MODULES:
        target = built / "pipeline" / f"{native.module_file(name)}{SUFFIX}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    (built / native.STAMP).write_text(native.fingerprint(package) + "\n")
    return package, built


@pytest.fixture
def switch(monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))  # activate may append to it
    monkeypatch.delenv(native.SWITCH, raising=False)
    return lambda value: monkeypatch.setenv(native.SWITCH, value)


def test_fingerprint_follows_every_source(tmp_path):
    package, _ = fake_build(tmp_path)
    before = native.fingerprint(package)
    (package / "stage.py").write_text("X = 2\n")
    edited = native.fingerprint(package)
    (package / "other.py").write_text("")
    assert len({before, edited, native.fingerprint(package)}) == 3


def test_a_fresh_build_is_found_first(tmp_path, switch):
    package, built = fake_build(tmp_path)
    path = [str(package)]
    assert native.activate(path, built, package)
    assert path == [str(built / "pipeline"), str(package)]
    assert str(built) in sys.path


def test_a_stale_or_partial_build_is_never_used(tmp_path, switch):
    package, built = fake_build(tmp_path)
    (package / "stage.py").write_text("X = 2\n")  # edited after the build
    path = [str(package)]
    assert not native.activate(path, built, package)
    assert path == [str(package)]
    package, built = fake_build(tmp_path / "again")
    (built / "pipeline" / f"{native.module_file(native.MODULES[0])}{SUFFIX}").unlink()
    assert not native.activate([str(package)], built, package)
    assert not native.activate([str(package)], tmp_path / "nothing", package)


def test_the_switch_turns_off_or_requires(tmp_path, switch):
    package, built = fake_build(tmp_path)
    switch("0")
    assert not native.activate([str(package)], built, package)
    switch("require")
    assert native.activate([str(package)], built, package)
    (package / "stage.py").write_text("X = 2\n")
    with pytest.raises(ImportError, match="make compile"):
        native.activate([str(package)], built, package)


REQUIRED = os.environ.get(native.SWITCH) == "require"  # make test and make bench set it, after make compile
compiled = pytest.mark.skipif(not REQUIRED and not native.fresh(), reason="no compiled modules: run make compile")


@pytest.mark.skipif(not REQUIRED, reason=f"only when {native.SWITCH}=require")
def test_the_stages_run_compiled_when_required():
    assert native.in_use()


TEMPLATES = [
    "Rebels in {place} said on {weekday} that drones had struck the town {n} times since {month}.",
    "The governor of {place} announced last week that schools would reopen by the end of the month.",
    "Turkish and Russian patrols met near {place} on {month} {day}, {year}, the ministry said.",
    "\u201cWe will hold our positions,\u201d a commander of Hayat Tahrir al-Sham told reporters two days ago.",
    "Prices in {place} rose sharply in {year}; the next day, traders closed their shops.",
    "Aid workers counted {n} tents in camps north of {place}.",
]
PLACES = ["Idlib", "Aleppo", "Ankara", "Sarmin", "Homs"]
WEEKDAYS = ["Monday", "Wednesday", "Friday", "Sunday"]
MONTHS = ["January", "March", "June", "October"]


def compose(folder, articles):
    """Articles from the templates above, varied by number; with metadata for half of them."""
    rows = ["file,published"]
    for i in range(articles):
        values = {"place": PLACES[i % 5], "weekday": WEEKDAYS[i % 4], "month": MONTHS[i % 4], "n": i + 2,
                  "day": i % 27 + 1, "year": 2015 + i % 6}  # fmt: skip
        text = " ".join(TEMPLATES[(i + k) % len(TEMPLATES)].format(**values) for k in range(4))
        (folder / f"a{i:03d}.txt").write_text(f"Fighting around {values['place']} ({i})\n\n{text}\n")
        if i % 2:
            rows.append(f"a{i:03d}.txt,2020-{i % 12 + 1:02d}-{i % 28 + 1:02d}")
    (folder / "metadata.csv").write_text("\n".join(rows) + "\n")


@compiled
def test_compiled_and_pure_builds_agree(tmp_path):
    """The whole command line, compiled and pure, on enough articles to use the worker processes."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    compose(corpus, 240)
    outputs = {}
    for switch in ("require", "0"):
        out = tmp_path / f"out-{switch}"
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "build", str(corpus), str(REPO / "data" / "sample"), "--out", str(out),
             "--no-progress"],
            cwd=REPO, capture_output=True, text=True, timeout=300, env={**os.environ, native.SWITCH: switch},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        # 245 documents: the composed articles repeat their templates, so some are near-duplicates of others
        ok, duplicate = (int(n) for n in re.search(r"(\d+) ok, 0 rejected, (\d+) duplicate", done.stderr).groups())
        assert ok + duplicate == 245 and ok > 150, done.stderr
        outputs[switch] = out
    for name in ("events.csv", "documents.csv", "places.csv", "mentions.csv", "candidates.csv"):
        assert (outputs["require"] / name).read_bytes() == (outputs["0"] / name).read_bytes(), name
    compiled_events = pd.read_parquet(outputs["require"] / "events.parquet")
    pd.testing.assert_frame_equal(compiled_events, pd.read_parquet(outputs["0"] / "events.parquet"))
    assert len(compiled_events) > 1000
