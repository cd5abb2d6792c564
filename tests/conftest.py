import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "sample"
GOLD = REPO.parent / "shared" / "gold"


def sentences_of(*texts: str, doc: str = "t"):
    """Sentences of one document, one per text, each one character after the last (the stages' input)."""
    from pipeline.records import Sentence

    out, start = [], 0
    for k, text in enumerate(texts):
        out.append(Sentence(doc_id=doc, index=k, start=start, end=start + len(text), text=text))
        start += len(text) + 1
    return out


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


@pytest.fixture(autouse=True)
def main_module_kept():
    """Each test ends with the ``__main__`` it began with. Streamlit's AppTest leaves the page's script there,
    and a process spawned afterwards (a Dask worker of a later test) runs ``__main__``'s file first: the page
    would build data/out in every worker."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main
