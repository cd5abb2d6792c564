"""Near-duplicate articles: edited copies are found, distinct reports of one incident are not merged."""

import os
import subprocess
import sys

import pytest

from pipeline import neardup
from tests.conftest import REPO

CORPUS = REPO / "tests" / "data" / "incidents"
ORIGINAL = (CORPUS / "saraqib_wire.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p for p in ORIGINAL.split("\n\n") if p.strip()]


def sketch(text: str) -> neardup.Sketch:
    s = neardup.sketch(text)
    assert s is not None
    return s


@pytest.mark.parametrize(
    "copy",
    [
        "Market in Idlib town hit by air raid\n\n" + ORIGINAL,  # another headline
        "\n\n".join(PARAGRAPHS[:3] + PARAGRAPHS[4:]),  # a paragraph removed
        "Share | Tweet | Email\n\n" + ORIGINAL + "\n\nSubscribe to our newsletter for the latest news every day.",
        ORIGINAL.replace("nine civilians", "9 civilians").replace("Sunday", "Sunday morning"),  # light edits
    ],
    ids=["headline", "trimmed", "boilerplate", "edited"],
)
def test_an_edited_copy_is_found_with_its_similarity(copy):
    index = neardup.Index()
    index.add("original", sketch(ORIGINAL))
    found = index.match(sketch(copy))
    assert found is not None and found[0] == "original"
    assert 0.5 <= found[1] <= 1.0  # a word changed mid-sentence leaves its shingles (the sentence ends) alone


def test_distinct_reports_of_the_same_incident_are_not_copies():
    index = neardup.Index()
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
    for name, text in texts.items():
        assert index.match(neardup.sketch(text)) is None, name
        index.add(name, neardup.sketch(text))
    assert len(index.names) == len(texts)


def test_an_excerpt_quoted_in_a_longer_article_is_no_copy():
    excerpt = PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1]
    longer = (CORPUS / "saraqib_weekly.txt").read_text(encoding="utf-8") + "\n\n" + excerpt
    assert neardup.is_copy(sketch(excerpt), sketch(longer)) is None


def test_a_text_too_short_to_judge_has_no_sketch():
    assert neardup.sketch("Russian jets struck Saraqib on Sunday.") is None
    assert neardup.Index().match(None) is None


def test_sketches_are_the_same_in_every_process():
    """Workers sketch their documents; the parent compares them: the hash must not depend on the process."""
    code = "import sys; from pipeline import neardup; print(neardup.sketch(open(sys.argv[1]).read()).hashes[:5])"
    outputs = {
        subprocess.run([sys.executable, "-c", code, str(CORPUS / "saraqib_wire.txt")], cwd=REPO, text=True,
                       capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
        for seed in ("1", "2")
    }  # fmt: skip
    assert outputs == {str(sketch(ORIGINAL).hashes[:5]) + "\n"}


# ---- a worker skips the stages for a copy of a document it processed (neardup.Seen) ------------------------------


def row(doc_id: str, published: str = "") -> dict:
    return {"doc_id": doc_id, "published": published, "published_basis": "metadata" if published else "unknown",
            "published_evidence": ""}  # fmt: skip


def test_a_worker_knows_a_copy_of_what_it_processed():
    seen = neardup.Seen()
    copy = ORIGINAL.replace("nine civilians", "9 civilians")
    assert not seen.is_copy(row("original", "2021-03-14"), "k1", sketch(ORIGINAL))
    assert seen.is_copy(row("copy", "2021-03-15"), "k2", sketch(copy))
    assert seen.is_copy(row("same", ""), "k1", sketch(ORIGINAL))  # the same text
    other = (CORPUS / "saraqib_local.txt").read_text(encoding="utf-8")
    assert not seen.is_copy(row("other", "2021-03-15"), "k3", sketch(other))


def test_a_dated_copy_of_an_undated_document_is_processed():
    # The build keeps the dated copy (its dates resolve) and marks the undated original: the copy is not skipped.
    seen = neardup.Seen()
    assert not seen.is_copy(row("undated"), "k1", sketch(ORIGINAL))
    assert not seen.is_copy(row("dated", "2021-03-14"), "k2", sketch(ORIGINAL + "\n\nShare this story."))


def test_a_worker_forgets_after_a_bound(monkeypatch):
    monkeypatch.setattr(neardup, "FORGET_AFTER", 2)
    seen = neardup.Seen()
    seen.is_copy(row("a", "2021-03-14"), "k1", sketch(ORIGINAL))
    seen.is_copy(row("b", "2021-03-14"), "k2", sketch((CORPUS / "saraqib_local.txt").read_text(encoding="utf-8")))
    assert not seen.is_copy(row("c", "2021-03-14"), "k1", sketch(ORIGINAL))  # forgotten: processed again
    assert len(seen.docs) == 1


def test_similarity_is_the_bottom_k_estimate_whether_or_not_the_sketches_are_whole():
    """Two whole texts (fewer than SKETCH distinct shingles together) take a shortcut: the same figure as the
    bottom-k estimate over the union's SKETCH smallest hashes, which larger pairs still compute."""
    import random

    rnd = random.Random(3)
    for _ in range(300):
        pool = rnd.sample(range(1, 1 << 32), 400)
        a = sorted(rnd.sample(pool, rnd.randint(4, 200)))
        b = sorted(rnd.sample(pool, rnd.randint(4, 200)))
        sa = neardup.Sketch(tuple(a[: neardup.SKETCH]), len(a))
        sb = neardup.Sketch(tuple(b[: neardup.SKETCH]), len(b))
        union = sorted(set(sa.hashes) | set(sb.hashes))[: neardup.SKETCH]
        expected = len(set(sa.hashes) & set(sb.hashes) & set(union)) / len(union)
        assert neardup.similarity(sa, sb) == expected
