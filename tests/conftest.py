from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
GOLD = REPO.parent / "shared" / "gold"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The sample built once by the real CLI, shared by the tests that only read it."""
    from pipeline.cli import main

    out = tmp_path_factory.mktemp("sample_out")
    assert main(["build", str(SAMPLE), "--out", str(out), "--no-progress"]) == 0
    return out
