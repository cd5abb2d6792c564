"""The shared gold, scored end to end on what the real CLI writes, with floors that fail the build."""

import pandas as pd
import pytest

from pipeline.geo import km
from tests.conftest import GOLD

pytestmark = pytest.mark.skipif(not GOLD.exists(), reason=f"shared gold not found beside the repo ({GOLD})")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(GOLD / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def built(sample_build):
    evts = pd.read_csv(sample_build / "events.csv", dtype=str, keep_default_na=False)
    docs = pd.read_csv(sample_build / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    places = pd.read_csv(sample_build / "places.csv", keep_default_na=False).set_index("name")
    return evts, docs, places


def rows_of_sentence(evts: pd.DataFrame, doc: str, context: str) -> pd.DataFrame:
    rows = evts[(evts["doc_id"] == doc) & evts["sentence"].str.contains(context, regex=False)]
    assert len(rows), f"no event row for {doc}: {context!r}"
    return rows


def test_publication_dates(built):
    _, docs, _ = built
    # The evidence column holds unescaped quotes, so only the first two fields are read.
    lines = (GOLD / "seed_pubdates.csv").read_text(encoding="utf-8").splitlines()[1:]
    gold = dict(line.split(",")[:2] for line in lines if line.strip())
    assert len(gold) == 5
    for doc, published in gold.items():
        assert docs.loc[doc, "published"] == published, doc
        assert (docs.loc[doc, "published_basis"] == "unknown") == (published == ""), doc
    assert docs.loc["000_327ddc401ef0ba9e", "ambiguous"].lower() == "true"


def test_temporal_expressions_all_exact(built):
    evts, _, _ = built
    misses = []
    for g in read("seed_timex.csv").itertuples():
        rows = rows_of_sentence(evts, g.doc, g.context)
        hit = rows[rows["time_text"] == g.expression]
        got = hit["time_value"].tolist()
        if got[:1] != [g.value] or hit["granularity"].iloc[0] != g.granularity:
            misses.append((g.doc, g.expression, g.value, got, hit["granularity"].tolist()))
    assert not misses, misses


def split(cell: str) -> set[str]:
    return {x.strip() for x in cell.split(";") if x.strip()}


def test_actors_and_places(built):
    evts, _, places = built
    tp = fp = fn = 0
    far = []
    for g in read("seed_events.csv").itertuples():
        rows = rows_of_sentence(evts, g.doc, g.context)
        predicted = split(rows["actors"].iloc[0])
        gold = split(g.actors)
        tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
        found = [places.loc[n] for n in split(rows["locations"].iloc[0]) if n in places.index]
        for coords in filter(None, (c.strip() for c in g.location_coords.split(";"))):
            point = tuple(float(x) for x in coords.split(","))
            if not any(km(point, (p["lat"], p["lon"])) <= 40 for p in found):
                far.append((g.doc, g.context, coords))
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.95, f"actor F1 {f1:.3f}"
    assert not far, far
