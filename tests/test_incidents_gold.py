"""Incident grouping and near-duplicate detection scored against gold sets (scripts/score_incidents.py).

The bundled gold is our own corpus (tests/data/incidents: ten articles, five incidents, with a nearby village
shelled the same day, the same town struck two weeks later, and a clash the same day with one of the same
sides). Real articles, when present in the git-ignored folder named by INCIDENTS_REAL, are scored too.
"""

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import score_incidents  # noqa: E402

CORPUS = REPO / "tests" / "data" / "incidents"
REAL = Path(os.environ.get("INCIDENTS_REAL", REPO / "tests" / "data" / "incidents_real"))
HELDOUT = REPO / "tests" / "data" / "incidents_heldout"


def test_grouping_on_our_corpus_meets_the_floors():
    score = score_incidents.score_grouping(CORPUS)
    assert score["precision"] >= 0.95 and score["recall"] >= 0.90, score


def test_near_duplicates_are_found_with_no_false_merge():
    score = score_incidents.score_near_duplicates([REPO / "data" / "sample", CORPUS])
    assert score["rate"] >= 0.95 and score["false_merges"] == 0, score


@pytest.mark.skipif(not REAL.exists(), reason="the real articles are not committed")
def test_grouping_on_real_articles_meets_the_floors():
    """33 reports of 14 incidents (tests/data/incidents_real_sources.csv); the texts are rebuilt from there (30
    could be found again: the gold of the other 3 is left out). Precision 1.00, recall 0.92 (0.76 before days
    without a year took their document's year, a coarse report the one incident that shares its side, and
    incidents were filed under every town they name). The misses: dated sentences that name nothing else (a
    citation-only "It was perpetrated on 22 July 2019", "filmed last night in #Barisha"), a lede placed only
    in "Syria" against one placed in the province, a day without a year on a page with no year at all."""
    score = score_incidents.score_grouping(REAL)
    assert score["precision"] >= 0.95 and score["recall"] >= 0.90, score


@pytest.mark.skipif(not HELDOUT.exists(), reason="the real articles are not committed")
def test_grouping_on_held_out_real_articles_keeps_its_first_score():
    """7 reports of 2 incidents and 2 distractors (tests/data/incidents_heldout_sources.csv), written and scored
    after the tuning, never tuned on: precision 0.90, recall 0.38 at first, 0.91 and 0.42 after the second round
    of rules. The misses: one convoy's reports typed as an attack in some sentences and as a troop movement in
    others, and ledes placed only in "Syria"."""
    score = score_incidents.score_grouping(HELDOUT)
    assert score["precision"] >= 0.9 and score["recall"] >= 0.40, score
