"""Detection: every rule's examples in data/timex/rules.toml, and sentences that must yield nothing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline import resolve, sentences, timex
from pipeline.records import Article, CleanText, PubDate, Segment, Sentence, TimeExpr
from pipeline.timex import rules as timex_rules

DATA = Path(__file__).resolve().parents[1] / "data"
RULES = timex.load_rules(DATA)


def sentence(text: str, index: int = 0, start: int = 0) -> Sentence:
    return Sentence(doc_id="t", index=index, start=start, end=start + len(text), text=text)


def pub_of(text: str) -> PubDate:
    return PubDate(dt.date.fromisoformat(text), "metadata") if text else PubDate(None, "unknown")


EXAMPLES = [
    pytest.param(rule.name, ex, id=f"{rule.name}-{n}") for rule in RULES.rules for n, ex in enumerate(rule.examples)
]


def test_every_rule_has_examples() -> None:
    assert all(rule.examples for rule in RULES.rules)


@pytest.mark.parametrize("rule_name, example", EXAMPLES)
def test_rule_example(rule_name: str, example: dict) -> None:
    """Each rule's examples, run through detect and resolve_document exactly as the build does."""
    sents = _split(example["sentence"])
    exprs = [timex.detect(s, RULES, "MDY") for s in sents]
    values = resolve.resolve_document(sents, exprs, pub_of(example["pub"]), RULES)
    pairs = [(e, v) for es, vs in zip(exprs, values, strict=True) for e, v in zip(es, vs, strict=True)]
    hits = [(e, v) for e, v in pairs if e.text == example["text"]]
    assert hits, f"{example['text']!r} not detected; found {[e.text for e, _ in pairs]}"
    expr, value = hits[-1]
    assert expr.rule == rule_name
    assert (value.value, value.granularity) == (example["value"], example["granularity"]), value.resolution
    assert value.resolution.startswith(f"{expr.text} → ")


def _split(text: str) -> list[Sentence]:
    """The examples hold one or two sentences: split them as the build does."""
    article = Article(doc_id="t", file="t.txt", text=text)
    return sentences.split(article, CleanText(segments=(Segment(0, len(text)),)))


NOTHING = [
    "00:00",
    "0 $ 2,500 $ 5,000 $ 3,516 $",
    "13 users have voted.",
    "Turkey deployed more than 10,000 soldiers in observation posts.",
    "We will control the field.",
    "The talks may resume soon, he said.",
    "Thousands march in the capital against the decision.",
    "Erdogan has now given Damascus a warning.",
    "The group had 2000 fighters in the area.",
    "Over the past two weeks 14 soldiers were killed.",
    "The fighting has gone on for years.",
    "Idlib, the last opposition bastion, holds about 3.7 million people.",
    "Any tension between the two sides cannot last long.",
    "A 15-20km zone was supposed to be established.",
    "UN Security Council Resolution 2042 was cited.",
    "Recently, the militants fired rockets.",
    "The curfew runs from 10 p.m. to 6 a.m. in the city.",  # a span of hours every day, no day's time
    "The team scored 3:20 into the second half.",
    "The Arab Spring reached Syria.",
    "The fall of Aleppo was a turning point.",
    "Sixteen − 9 = 7.",
    "The price rose by 12% to $2019.",
    "Get top stories and blog posts emailed to you each day.",
    "In the coming days, aid will arrive.",
    "The army lost 2015 soldiers, the report said.",
    "Refugees reached Christmas Island by boat.",
    "Volunteers sold Christmas trees for the camps.",
    "A ceasefire would last through the winter of discontent.",
    "The regime survived the Arab Spring of the last decade.",
    "The cold lasted for two weeks in the winter months.",
    "Families prepared for a new year of hardship.",
    "The first week was quiet, then shelling resumed.",
    "Farmers planted after the fall of the town.",
    "Fighting eased for a week of talks.",
    "Rescuers worked around the clock at the college.",  # ("o'clock" needs its hour)
]


@pytest.mark.parametrize("text", NOTHING)
def test_no_date_in(text: str) -> None:
    assert timex.detect(sentence(text), RULES, "MDY") == []


@pytest.mark.parametrize(
    "text, spans",
    [
        ("The meeting took place at 10:30 local time.", ["at 10:30"]),  # (the narrative's day, or none)
        ("It took place at around 1:40pm as prayers were offered.", ["at around 1:40pm"]),
        ("Just before 8 a.m., a plane bombed the village.", ["Just before 8 a.m."]),
        ("The siren sounded at about 6:18 p.m. on Saturday.", ["on Saturday"]),  # the day dates it
        ("On Saturday at 6 pm the town was shelled.", ["On Saturday"]),
        ("July 26, 2023 03:32 am | Updated 03:32 am IST - Peshawar", ["July 26, 2023"]),
    ],
)
def test_a_time_of_day_alone_is_an_expression_beside_a_day_none(text: str, spans: list[str]) -> None:
    assert [e.text for e in timex.detect(sentence(text), RULES, "MDY")] == spans


SPANS = [
    ("Turkish sources ruled out on Saturday that Ankara would act.", ["on Saturday"]),
    ("The offensive continued in December and in 2018.", ["December", "2018"]),
    ("The deal was broken by March, officials said.", ["March"]),
    ("Aid was cut from January to March.", ["January to March", "January", "March"]),  # the range, then each end
    ("Erdogan gave Damascus until the end of the month.", ["the end of the month"]),
    ("Wednesday's convoy reached Idlib on Thursday morning.", ["Wednesday", "on Thursday morning"]),
    ("The elections of May 2018 came after the 2016 coup.", ["May 2018", "2016"]),
    ("Rebels withdrew early on Friday, a day after the strike.", ["early on Friday", "a day after"]),
    ("Shelling resumed on Christmas Eve and over New Year’s Day.", ["on Christmas Eve", "New Year’s Day"]),
    ("The truce held over Eid ul-Fitr and through the summer.", ["Eid ul-Fitr", "the summer"]),
    ("Talks began in the first week of March 2019.", ["the first week of March 2019"]),
    ("The spring offensive began in the spring of 2019.", ["the spring of 2019"]),
    ("Troops burned homes on December 8, 10 and 22.", ["on December 8", "10", "22"]),  # listed days
    ("On March 5, 10 and 12 soldiers were killed.", ["On March 5"]),  # a count, not days
    ("Talks ran on 12-14 May and in 1998-99.", ["12-14 May", "12", "14 May", "1998-99", "1998", "99"]),
    # datelines and date lines are publication evidence, not events
    ("January 25, 2017 (JUBA) - The army denied it clashed on Monday.", ["on Monday"]),
    ("NASIR, South Sudan, April 22, 2025 — The general visited on Monday.", ["on Monday"]),
    ("KABUL, May 4 (Reuters) - Gunmen struck on Sunday.", ["on Sunday"]),
    ("Kabul, May 10 (IANS) The Taliban said on Monday.", ["on Monday"]),
    ("On May 10 (Monday), troops left.", ["On May 10", "Monday"]),
    ("Published: 12 March 2020", []),
    ("January 25, 2017 was the day the war began.", ["January 25, 2017"]),
]


@pytest.mark.parametrize("text, spans", SPANS)
def test_spans_follow_the_gold_conventions(text: str, spans: list[str]) -> None:
    assert [e.text for e in timex.detect(sentence(text), RULES, "MDY")] == spans


def test_offsets_are_document_offsets() -> None:
    s = sentence("Clashes erupted on Sunday.", start=100)
    (expr,) = timex.detect(s, RULES, "MDY")
    assert (expr.start, expr.end) == (100 + 16, 100 + 25)
    assert isinstance(expr, TimeExpr) and expr.underspecified == "UNDEF-sunday"


@pytest.mark.parametrize(
    "text, order, expected",
    [("on 5/3/2020", "MDY", "2020-05-03"), ("on 5/3/2020", "DMY", "2020-03-05"), ("on 25/3/2020", "MDY", "2020-03-25")],
)
def test_numeric_order(text: str, order: str, expected: str) -> None:
    (expr,) = timex.detect(sentence(f"It happened {text}."), RULES, order)
    assert expr.underspecified == expected


def test_ambiguous_numeric_date_is_flagged() -> None:
    (expr,) = timex.detect(sentence("It happened on 5/3/2020."), RULES, "MDY")
    assert expr.field("ambiguous") == "DMY"


def test_underspecified_forms() -> None:
    found = timex.detect(sentence("Last Friday and last week, on March 5, in 2018."), RULES, "MDY")
    assert [e.underspecified for e in found] == ["UNDEF-last-friday", "UNDEF-last-week", "UNDEF-year-03-05", "2018"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("It happened on Christmas Day.", "UNDEF-year-12-25"),
        ("It happened during Eid el-Adha 2019.", "2019-eid_al_adha"),
        ("It happened in the last week of April.", "UNDEF-year-04-weekL"),
        ("It happened in the second week of last month.", "UNDEF-last-month-week2"),
        ("It happened during the winter.", "UNDEF-year-WI"),
    ],
)
def test_underspecified_forms_of_new_families(text: str, expected: str) -> None:
    (expr,) = timex.detect(sentence(text), RULES, "MDY")
    assert expr.underspecified == expected


def test_holiday_key_normalises_spelling() -> None:
    assert timex.holiday_key("Eid ul-Adha") == timex.holiday_key("Eid al Adha") == "eid al adha"
    assert timex.holiday_key("New Year’s  Eve") == "new year's eve"


@pytest.mark.parametrize(
    "text",
    [
        "The statement was issued by Jan Egeland in Geneva.",
        "He told the Sunday Times that the talks had failed.",
        "Prayers are held every Friday in the mosque.",
        "The curfew starts at 2030 GMT in the city.",
        "Protests are held on Fridays across the province.",
        "Penultimate Thursday, gunmen raided a village in the same district.",  # the Thursday before last: unknown
        "Monday Obi, who chairs the council, confirmed the raid.",  # a given name
        "Evening prayers were cut short by the blast.",  # a time of day as a noun's modifier
        "The assault came in the morning of the second day.",  # (a time of day before "of": its day's)
        "The council chairman Friday Adamu said ten houses burned.",
        "© 2020 Reuters. All rights reserved.",
    ],
)
def test_names_and_routines_are_not_dates(text: str) -> None:
    assert timex.detect(sentence(text), RULES, "MDY") == []


@pytest.mark.parametrize("rule_name, example", EXAMPLES)
def test_examples_start_with_a_lead_word(rule_name: str, example: dict) -> None:
    """Detection tries matches only at lead words: a rule whose match begins elsewhere would be cut short."""
    first = timex.tokens(example["text"])[0]
    assert first in RULES.lead_words or first[0].isdigit(), f"add {first!r} to lead_words in rules.toml"


@pytest.mark.parametrize(
    "text",
    ["Plain ASCII, On MONDAY 5 May.", "“Rebels ÉTAIENT here” — İstanbul, ÖMER said on Friday’s 3rd", "", "Σ ǅ ß Ä"],
)
def test_ascii_lower_lowers_only_ascii_and_keeps_offsets(text: str) -> None:
    low = timex.ascii_lower(text)
    assert low == "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    assert len(low) == len(text)


def test_offsets_survive_text_that_lower_would_lengthen() -> None:
    text = "İstanbul talks ended on Monday, March 2, 2020."
    found = timex.detect(sentence(text, start=7), RULES, "MDY")
    assert [(e.text, text[e.start - 7 : e.end - 7]) for e in found] == [("on Monday, March 2, 2020",) * 2]


@pytest.mark.parametrize(
    "pattern, flags, expected",
    [
        (r"(?:on\s+)?\b(?-i:Mon|Tue)", 2, "oOmMtT"),
        (r"[a-c\d]x", 0, "abcABC0123456789"),
        (r"(?:the\s+)?", 0, None),  # may match empty
        (r"\w+day", 0, None),  # a class: any word character
        (r"[^x]y", 0, None),
        (r"(?=\d)\d{4}", 0, "0123456789"),
    ],
)
def test_first_characters(pattern: str, flags: int, expected: str | None) -> None:
    found = timex.first_characters(pattern, flags)
    assert found == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda r: r.name)
def test_first_characters_never_reject_where_the_rule_matches(rule: timex.Rule) -> None:
    texts = [ex["sentence"] for r in RULES.rules for ex in r.examples] + [
        "Late last night and early on Tuesday, 3/4/2019, in the 1990s, at the end of Q3, 10 days ago, that same week"
    ]
    tried = 0
    for text in texts:
        for at in range(len(text)):
            if rule.regex.match(text, at):
                tried += 1
                assert rule.first is None or text[at] in rule.first or not text[at].isascii()
    assert tried


@pytest.mark.parametrize("text", ["In ²⁰¹⁹ and 2019 the fighting went on.", "Fighting went on in 2019 and in ²⁰¹⁹."])
def test_digits_only_isdigit_knows_are_scanned_like_the_old_word_loop(text: str) -> None:
    low = timex.ascii_lower(text)
    assert RULES.core_scan_wide.findall(low) == [w for w in re.findall(r"\w+", low) if w[0].isdigit()]
    assert [e.text for e in timex.detect(sentence(text), RULES, "MDY")] == ["2019"]


def test_the_table_of_other_digits_is_the_scan_of_unicode():
    import unicodedata

    if unicodedata.unidata_version == timex.OTHER_DIGITS_UNICODE:
        assert timex_rules._other_digits() == timex_rules._scan_other_digits()
