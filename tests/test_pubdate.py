"""Publication dates: each printed form, URL dates, metadata, ambiguity, conflicts, fixes, and the sample's gold."""

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline import clean, ingest, pubdate
from pipeline.records import Article
from pipeline.settings import DATA_DIR, Settings

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "sample"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
RULES = pubdate.load_rules(DATA_DIR)
SETTINGS = Settings()
BODY = "Rebels shelled a government position near Kafr Nabl, killing two soldiers, a monitor said."
D = dt.date


def pub(text: str, settings: Settings = SETTINGS, fixes: dict | None = None, **fields) -> pubdate.PubDate:
    art = Article(doc_id=fields.pop("doc_id", "t"), file="t.txt", text=text, **fields)
    return pubdate.find_publication_date(art, clean.clean(art), settings, fixes or {})


# ---- the shared sample must match the gold exactly ----------------------------------------------------------------


@pytest.mark.skipif(not GOLD.exists(), reason=f"shared gold not found beside the repo ({GOLD})")
def test_sample_publication_dates_match_the_gold():
    with (GOLD / "seed_pubdates.csv").open(encoding="utf-8") as handle:
        gold = {row["doc"]: row for row in csv.DictReader(handle)}
    found = {
        a.doc_id: pubdate.find_publication_date(a, clean.clean(a), SETTINGS, {})
        for a in ingest.read_sources([SAMPLE], SETTINGS)
    }
    assert set(found) == set(gold)
    for doc, row in gold.items():
        got = found[doc]
        assert (got.date.isoformat() if got.date else "") == row["published"], doc
        assert (got.basis == "unknown") == (row["published"] == ""), doc
        assert not got.conflict, doc
    assert found["000_327ddc401ef0ba9e"].ambiguous
    assert found["000_327ddc401ef0ba9e"].alternative == D(2020, 3, 5)
    assert found["000_327ddc401ef0ba9e"].basis == "text"
    assert found["001_380e6ef03d52a1a3"].basis == "text" and not found["001_380e6ef03d52a1a3"].ambiguous
    assert found["004_f126eebc56bc62c4"].basis == "url"
    assert found["004_f126eebc56bc62c4"].evidence == "URL path /2020/02/14/"


# ---- the rules file: every example is a test -------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern,example",
    [(p, e) for p in RULES.printed + RULES.url for e in p.examples],
    ids=lambda x: getattr(x, "name", x),
)
def test_pattern_examples(pattern, example):
    text, expected = example.split(" => ")
    if pattern in RULES.url:
        reading = pubdate.url_date(text, RULES)
    else:
        readings = pubdate.read_dates(text, RULES)
        reading = readings[0] if readings else None
    assert reading is not None and reading.date.isoformat() == expected


# ---- printed dates near the top ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header,expected,ambiguous,alternative",
    [
        ("• 5/3/2020", D(2020, 5, 3), True, D(2020, 3, 5)),
        ("By Staff - Feb 13,2020 - Last updated at Feb 14,2020", D(2020, 2, 13), False, None),
        ("Published August 15th, 2018 - 11:06 GMT", D(2018, 8, 15), False, None),
        ("Fri Oct 13, 2017 01:23AM", D(2017, 10, 13), False, None),
        ("31.01.2019", D(2019, 1, 31), False, None),
        ("13/02/2020", D(2020, 2, 13), False, None),
        ("Posted on 7 March 2021", D(2021, 3, 7), False, None),
        ("2021-03-07 10:15", D(2021, 3, 7), False, None),
        ("Sun 5/3/2020", D(2020, 5, 3), False, None),  # 3 May 2020 was a Sunday: the weekday settles it
        ("Thu 5/3/2020", D(2020, 3, 5), False, None),  # 5 March 2020 was a Thursday
        ("05.03.2020", D(2020, 3, 5), True, D(2020, 5, 3)),  # dotted dates read day-first, still ambiguous
    ],
)
def test_printed_date_forms(header, expected, ambiguous, alternative):
    found = pub(f"Truce talks stall in Astana\n\n{header}\n\n{BODY}\n")
    assert (found.date, found.basis, found.ambiguous, found.alternative) == (expected, "text", ambiguous, alternative)
    assert found.evidence.startswith("header line")


def test_a_date_inside_an_article_sentence_is_not_the_publication_date():
    found = pub(
        f"Truce talks stall in Astana\n\nOn March 5, 2020, Russia and Turkey agreed on a ceasefire.\n\n{BODY}\n"
    )
    assert (found.date, found.basis) == (None, "unknown")


def test_a_date_far_below_the_top_is_not_the_publication_date():
    filler = "\n\n".join(f"Paragraph {i} describes the shelling in detail for the record." for i in range(20))
    found = pub(f"Truce talks stall\n\n{filler}\n\nFeb 13, 2020\n")
    assert found.basis == "unknown"


def test_last_updated_is_used_only_when_nothing_else_exists():
    found = pub(f"Truce talks stall in Astana\n\nLast updated: Mar 4, 2021\n\n{BODY}\n")
    assert (found.date, found.basis) == (D(2021, 3, 4), "text")
    assert "last updated" in found.evidence
    with_url = pub(
        f"Truce talks stall in Astana\n\nLast updated: Mar 4, 2021\n\n{BODY}\n", url="https://x.example/2021/03/01/a"
    )
    assert (with_url.date, with_url.basis) == (D(2021, 3, 1), "url")


# ---- conventions, URL, metadata, conflicts --------------------------------------------------------------------------


def test_known_convention_reads_day_first_without_ambiguity():
    text = f"Truce talks stall in Astana\n\n5/3/2020\n\n{BODY}\n"
    by_article = pub(text, date_order="DMY")
    assert (by_article.date, by_article.ambiguous, by_article.alternative) == (D(2020, 3, 5), False, None)
    by_setting = pub(text, Settings(date_order_by_publisher={"Levant Daily": "DMY"}), publisher="levant daily")
    assert (by_setting.date, by_setting.ambiguous) == (D(2020, 3, 5), False)
    month_first = pub(text, Settings(date_order_by_publisher={"Levant Daily": "MDY"}), publisher="Levant Daily")
    assert (month_first.date, month_first.ambiguous) == (D(2020, 5, 3), False)
    assert pub(text, Settings(default_date_order="DMY")).date == D(2020, 3, 5)


def test_printed_date_conflicting_with_the_url_is_flagged():
    found = pub(f"Truce talks stall\n\nFeb 13, 2020\n\n{BODY}\n", url="https://x.example/2020/02/15/truce")
    assert (found.date, found.basis) == (D(2020, 2, 13), "text")
    assert "2020-02-13" in found.conflict and "2020-02-15" in found.conflict


def test_the_url_settles_an_ambiguous_printed_date():
    found = pub(f"Truce talks stall\n\n5/3/2020\n\n{BODY}\n", url="https://x.example/2020/03/05/truce")
    assert (found.date, found.ambiguous, found.conflict) == (D(2020, 3, 5), False, "")
    assert "URL" in found.evidence


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://ipa.example/2020/02/14/turkey-softens/", D(2020, 2, 14)),
        ("https://x.example/news/20200218/strikes.html", D(2020, 2, 18)),
        ("https://x.example/story/2019-01-31-interview", D(2019, 1, 31)),
        ("https://x.example/2020/13/45/not-a-date", None),
        ("https://x.example/world/turkey-syria-idlib-2020", None),
    ],
)
def test_url_dates(url, expected):
    found = pub(f"Truce talks stall\n\n{BODY}\n", url=url)
    assert found.date == expected
    assert found.basis == ("url" if expected else "unknown")


def test_metadata_comes_first_and_disagreement_is_reported():
    found = pub(
        f"Truce talks stall\n\nFeb 13, 2020\n\n{BODY}\n",
        published="2020-02-12",
        published_evidence='metadata.csv published "2020-02-12"',
    )
    assert (found.date, found.basis) == (D(2020, 2, 12), "metadata")
    assert found.evidence == 'metadata.csv published "2020-02-12"'
    assert "printed 2020-02-13" in found.conflict


def test_ambiguous_metadata_value_is_flagged():
    found = pub(BODY, published="2022-05-03", published_evidence="JSONL field 'date' \"5/3/2022\"")
    assert (found.date, found.basis, found.ambiguous, found.alternative) == (
        D(2022, 5, 3),
        "metadata",
        True,
        D(2022, 3, 5),
    )


def test_no_evidence_stays_unknown_never_today():
    found = pub(f"Truce talks stall in Astana\n\nYesterday the talks stalled again.\n\n{BODY}\n")
    assert (found.date, found.basis, found.ambiguous) == (None, "unknown", False)


# ---- the analyst's fixes ----------------------------------------------------------------------------------------


def test_user_fix_wins_over_every_other_evidence():
    found = pub(
        f"Truce\n\nFeb 13, 2020\n\n{BODY}\n",
        fixes={"doc-7": D(2020, 2, 11)},
        doc_id="doc-7",
        published="2020-02-12",
    )
    assert (found.date, found.basis) == (D(2020, 2, 11), "user")


def test_fixes_round_trip(tmp_path):
    path = tmp_path / "sub" / "pubdate_fixes.csv"
    assert pubdate.load_fixes(path) == {}
    pubdate.save_fix(path, "000_a", D(2020, 3, 5), "day-first, per the editor")
    pubdate.save_fix(path, "001_b", D(2020, 2, 13))
    pubdate.save_fix(path, "000_a", D(2020, 5, 3), "changed my mind")
    assert pubdate.load_fixes(path) == {"000_a": D(2020, 5, 3), "001_b": D(2020, 2, 13)}
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["doc_id"] for r in rows] == ["001_b", "000_a"]
    assert rows[1]["note"] == "changed my mind"
    assert list(rows[0]) == ["doc_id", "published", "note", "text_hash"]


def test_a_fix_keyed_by_content_reaches_only_that_text(tmp_path):
    """A fix saved with the document's text hash applies to that text, not to another file of the same name."""
    path = tmp_path / "pubdate_fixes.csv"
    body = f"Truce\n\n{BODY}\n"
    pubdate.save_fix(path, "002_x", D(2020, 2, 11), digest=pubdate.text_hash(body))
    fixes = pubdate.load_fixes(path)
    assert pub(body, fixes=fixes, doc_id="002_x").basis == "user"
    other = pub(f"Another story\n\n{BODY} More.\n", fixes=fixes, doc_id="002_x")
    assert other.basis != "user" and other.date != D(2020, 2, 11)


def test_a_bad_fix_names_the_file_and_line(tmp_path):
    path = tmp_path / "fixes.csv"
    path.write_text("doc_id,published,note\na,2020-02-13,\nb,13/02/2020,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"fixes.csv:3"):
        pubdate.load_fixes(path)


def test_html_metadata_date_and_canonical_url():
    [art] = list(ingest.read_sources([HERE / "data" / "ingest" / "formats" / "report.html"], SETTINGS))
    found = pubdate.find_publication_date(art, clean.clean(art), SETTINGS, {})
    assert (found.date, found.basis) == (D(2021, 6, 9), "metadata")
    assert "htmldate" in found.evidence


def test_html_page_without_meta_date_uses_its_url():
    [art] = list(ingest.read_sources([HERE / "data" / "ingest" / "formats" / "report.html"], SETTINGS))
    art = replace(art, published="", published_evidence="")
    found = pubdate.find_publication_date(art, clean.clean(art), SETTINGS, {})
    assert (found.date, found.basis) == (D(2021, 6, 9), "url")


def test_publisher_convention_rereads_a_structured_date():
    settings = Settings(date_order_by_publisher={"Levant Daily": "DMY"})
    found = pub(BODY, settings, publisher="Levant Daily", published="2022-05-03", published_evidence='field "5/3/2022"')
    assert (found.date, found.ambiguous) == (D(2022, 3, 5), False)


def test_a_wire_dateline_with_a_year_gives_the_date():
    found = pub("Talks resume in Cairo\n\nCAIRO, Feb 13, 2020 (Reuters) - Egyptian mediators met both delegations.\n")
    assert (found.date, found.basis) == (D(2020, 2, 13), "text")
    assert found.evidence == 'header line "Feb 13, 2020"'


@pytest.mark.parametrize(
    "text, expected",
    [
        ("  date 2025-03-16 Three border guards were killed in an ambush on Sunday.", dt.date(2025, 3, 16)),
        ("Published: 12 March 2024 KABUL - A blast struck a market on Monday.", dt.date(2024, 3, 12)),
        ("Posted on Feb 13, 2020 Talks stalled again in Astana on Wednesday.", dt.date(2020, 2, 13)),
        # no label, a label of an update, or a date further on: the text's own words, not the page's date
        ("2025-03-16 was the day three border guards were killed.", None),
        ("Updated 2025-03-16 Three border guards were killed.", None),
        ("Published by the ministry of defence on 2025-03-16, the report lists losses.", None),
    ],
)
def test_a_labelled_date_that_begins_the_text_dates_the_page(text, expected):
    found = pub(text + f"\n\n{BODY}\n")
    assert found.date == expected
    if expected:
        assert found.basis == "text"
