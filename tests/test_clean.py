"""Cleaning keeps every article sentence (as offsets), drops the debris, and marks captions."""

import csv
from pathlib import Path

import pytest

from pipeline import clean
from pipeline.records import Article, CleanText
from pipeline.settings import DATA_DIR

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "sample"
FIXTURES = HERE / "data" / "ingest"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold"
RULES = clean.load_rules(DATA_DIR)

SAMPLE_DEBRIS = [
    "13 users have voted",
    "Newsletter",
    "sixteen − 9 =",
    "Related Items",
    "0 $",
    "news-picture",
    "مشاركة",
    "Do you like this content?",
    "More on this topic",
    "You are here",
    "You might also like",
    "Leave a Reply",
    "Your email address will not be published",
    "2,500 $",
    "Erdogan fumes at Syria",  # a related article's headline above "You might also like"
]


def kept(article: Article, cleaned: CleanText) -> list[str]:
    return [article.text[s.start : s.end] for s in cleaned.segments]


def sample_articles() -> list[Article]:
    meta = {row["file"]: row for row in csv.DictReader((SAMPLE / "metadata.csv").open(encoding="utf-8"))}
    return [
        Article(doc_id=p.stem, file=p.name, text=p.read_text(encoding="utf-8"), publisher=meta[p.name]["publisher"])
        for p in sorted(SAMPLE.glob("*.txt"))
    ]


def article(text: str, publisher: str = "") -> Article:
    return Article(doc_id="t", file="t.txt", text=text, publisher=publisher)


# ---- the rules file: every example is a test -------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule,example", [(r, e) for r in RULES.rules for e in r.examples], ids=lambda x: getattr(x, "name", x)
)
def test_rule_examples_are_classified_by_their_rule(rule, example):
    found = clean.first_rule(example, RULES)
    assert found is not None, f"{example!r} matched no rule"
    assert found[0].name == rule.name, f"{example!r} matched {found[0].name!r}, not {rule.name!r}"


@pytest.mark.parametrize(
    "rule,example", [(r, e) for r in RULES.rules for e in r.not_examples], ids=lambda x: getattr(x, "name", x)
)
def test_rule_counter_examples_do_not_match(rule, example):
    assert rule.matches(example) is None


def test_every_rule_has_examples():
    assert all(rule.examples for rule in RULES.rules)


# ---- the shared sample ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("art", sample_articles(), ids=lambda a: a.doc_id)
def test_sample_debris_is_not_kept(art):
    for piece in kept(art, clean.clean(art, RULES)):
        for debris in SAMPLE_DEBRIS:
            assert debris not in piece, f"{art.doc_id}: debris {debris!r} kept in {piece[:80]!r}"


@pytest.mark.parametrize("art", sample_articles(), ids=lambda a: a.doc_id)
def test_sample_article_sentences_are_kept(art):
    """Every line that reads as prose (ends like a sentence, several words) and is not debris is kept."""
    cleaned = clean.clean(art, RULES)
    joined = "\n".join(kept(art, cleaned))
    prose = [
        line.strip(clean.EDGE_CHARS + "\n")
        for line in art.text.splitlines()
        if len(line.split()) >= 8
        and clean.ends_like_sentence(line)
        and not any(d in line for d in SAMPLE_DEBRIS + ["Your email address", "emailed to you"])
    ]
    assert prose
    for line in prose:
        # A dateline ("ISTANBUL — ") is metadata, so compare the end of the line.
        assert line[-60:] in joined, f"{art.doc_id}: lost {line[:80]!r}"


@pytest.mark.skipif(not GOLD.exists(), reason=f"shared gold not found beside the repo ({GOLD})")
def test_sample_gold_contexts_are_in_kept_segments():
    arts = {a.doc_id: a for a in sample_articles()}
    for name in ("seed_events.csv", "seed_timex.csv"):
        with (GOLD / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                art = arts[row["doc"]]
                pieces = kept(art, clean.clean(art, RULES))
                assert any(row["context"] in p for p in pieces), (row["doc"], row["context"])


def test_sample_caption_of_001_is_kept_as_caption():
    art = next(a for a in sample_articles() if a.doc_id.startswith("001"))
    cleaned = clean.clean(art, RULES)
    captions = [art.text[s.start : s.end] for s in cleaned.segments if s.kind == "caption"]
    assert captions == [
        "Syrian army troops advance towards the rebel-held areas of the northern Aleppo province "
        "on Wednesday (AFP photo)"
    ]
    assert cleaned.byline == "By AFP"
    assert cleaned.dateline == "ISTANBUL"
    assert cleaned.title == "Turkey threatens force against 'radicals' in Syria's Idlib"


def test_sample_metadata_lines():
    arts = {a.doc_id[:3]: a for a in sample_articles()}
    assert clean.clean(arts["002"], RULES).byline == "ARA News"
    # 002 and 003 repeat their headline; it is kept once, as the title.
    for key in ("002", "003"):
        cleaned = clean.clean(arts[key], RULES)
        assert [s.kind for s in cleaned.segments].count("title") == 1


@pytest.mark.parametrize("art", sample_articles(), ids=lambda a: a.doc_id)
def test_segments_are_ordered_stripped_offsets(art):
    cleaned = clean.clean(art, RULES)
    previous_end = 0
    for seg in cleaned.segments:
        assert previous_end <= seg.start < seg.end <= len(art.text)
        piece = art.text[seg.start : seg.end]
        assert piece == piece.strip(clean.EDGE_CHARS + "\n\r")
        assert seg.kind in ("body", "caption", "title")
        previous_end = seg.end


# ---- each kind of debris, in articles written for these tests ----------------------------------------------------

HEAD = "Clashes near Saraqeb leave five dead\n\n"
BODY1 = "Government forces and rebels clashed near Saraqeb on Tuesday, a war monitor said."
BODY2 = "Five fighters were killed and a dozen wounded before the fighting stopped at dawn."


@pytest.mark.parametrize(
    "debris",
    [
        "You are here",
        "Share:",
        "Share: Facebook Twitter WhatsApp",
        "مشاركة :",
        "news-picture",
        "PDF",
        "Newsletter",
        "13 users have voted.",
        "• 3",
        "0 $ ",
        "12,500 $",
        "sixteen − 9 =",
        "Email *",
        "Home > Syria > Idlib",
        "Follow us on Telegram",
        "Advertisement",
        "© 2021 Frontline Monitor",
        "Read also: Russia and Turkey agree on joint patrols",
        "Click to share on Twitter (Opens in new window)",
        "Get top stories and blog posts emailed to you each day.",
        "Published August 15th, 2018 - 11:06 GMT",
    ],
)
def test_inline_debris_is_dropped_and_sentences_kept(debris):
    art = article(f"{HEAD}{BODY1}\n\n{debris}\n\n{BODY2}\n")
    pieces = kept(art, clean.clean(art, RULES))
    assert BODY1 in pieces and BODY2 in pieces
    assert not any(debris.strip() in p for p in pieces)


@pytest.mark.parametrize(
    "marker",
    [
        "Related Items",
        "You might also like",
        "More on this topic:",
        "Do you like this content? Consider helping us!",
        "Leave a Reply",
    ],
)
def test_trailing_blocks_are_dropped_with_what_follows(marker):
    tail = "Ceasefire collapses in the south\nRebels regroup near Ariha\nsixteen − 9 =\n"
    art = article(f"{HEAD}{BODY1}\n\n{BODY2}\n\n{marker}\n\n{tail}")
    pieces = kept(art, clean.clean(art, RULES))
    assert pieces == ["Clashes near Saraqeb leave five dead", BODY1, BODY2]


def test_related_headline_before_a_tail_marker_is_dropped_but_a_subheading_is_kept():
    text = f"{HEAD}{BODY1}\n\nA tense night in Saraqeb\n\n{BODY2}\n\n"
    text += "Assad vows to retake the highway\n\nYou might also like\n"
    pieces = kept(article(text), clean.clean(article(text), RULES))
    assert "A tense night in Saraqeb" in pieces
    assert "Assad vows to retake the highway" not in pieces


def test_a_marker_before_any_article_text_drops_only_itself():
    art = article(f"Related Items\n\n{HEAD}{BODY1}\n\n{BODY2}\n")
    assert kept(art, clean.clean(art, RULES))[-2:] == [BODY1, BODY2]


@pytest.mark.parametrize(
    "caption,kept_text",
    [
        ("Smoke rises over Saraqeb on Tuesday (AFP photo)", "Smoke rises over Saraqeb on Tuesday (AFP photo)"),
        ("Fighters near Ariha. File photo: Reuters", "Fighters near Ariha. File photo: Reuters"),
        ("Caption: Smoke rises over Saraqeb on Tuesday.", "Smoke rises over Saraqeb on Tuesday."),
    ],
)
def test_captions_are_kept_and_marked(caption, kept_text):
    art = article(f"{HEAD}{caption}\n\n{BODY1}\n")
    cleaned = clean.clean(art, RULES)
    captions = [art.text[s.start : s.end] for s in cleaned.segments if s.kind == "caption"]
    assert captions == [kept_text]


@pytest.mark.parametrize(
    "line,dateline,rest",
    [
        ("BEIRUT — Rebels shelled the town on Monday.", "BEIRUT", "Rebels shelled the town on Monday."),
        ("DAMASCUS (Reuters) - Troops advanced overnight.", "DAMASCUS (Reuters)", "Troops advanced overnight."),
        ("Idlib — the last rebel bastion — was shelled.", "", "Idlib — the last rebel bastion — was shelled."),
    ],
)
def test_dateline_is_metadata_and_the_segment_starts_after_it(line, dateline, rest):
    art = article(f"{HEAD}{line}\n")
    cleaned = clean.clean(art, RULES)
    assert cleaned.dateline == dateline
    assert kept(art, cleaned)[-1] == rest


@pytest.mark.parametrize(
    "byline,value",
    [
        ("By Lina Haddad | 9 June 2021", "By Lina Haddad"),
        ("Reporting by: Sam Ortiz | Source: Wire", "Reporting by: Sam Ortiz"),
    ],
)
def test_bylines_are_metadata(byline, value):
    art = article(f"{HEAD}{byline}\n\n{BODY1}\n")
    cleaned = clean.clean(art, RULES)
    assert cleaned.byline == value
    assert byline not in kept(art, cleaned)


def test_sentences_that_resemble_debris_are_kept():
    lines = [
        "Share prices fell in Istanbul on Monday after the strikes on the border.",
        "By Wednesday, Turkish forces had withdrawn from two posts near Morek.",
        "13 users have voted to expel the delegate, the council said on Friday.",
        "Related items were seized by police during the raid in Azaz.",
    ]
    art = article(HEAD + "\n\n".join(lines) + "\n")
    assert kept(art, clean.clean(art, RULES))[1:] == lines


def test_publisher_line_is_a_byline_not_text():
    art = article(f"{HEAD}Frontline Monitor\n\n{BODY1}\n", publisher="Frontline Monitor")
    cleaned = clean.clean(art, RULES)
    assert cleaned.byline == "Frontline Monitor"
    assert "Frontline Monitor" not in kept(art, cleaned)


def test_scraped_page_fixture():
    text = (FIXTURES / "formats" / "page_utf8.txt").read_text(encoding="utf-8")
    art = article(text)
    cleaned = clean.clean(art, RULES)
    assert kept(art, cleaned) == [
        "Shelling hits villages south of Maarat al-Numan",
        "Residents inspect a damaged house in Kafranbel on Monday (AFP photo)",
        "Government artillery shelled three villages south of Maarat al-Numan on Monday, a monitoring group said.",
        "The bombardment followed a night of drone strikes near the Turkish observation post at Morek.",
    ]
    assert [s.kind for s in cleaned.segments] == ["title", "caption", "body", "body"]
    assert (cleaned.byline, cleaned.dateline) == ("By Staff Writer", "ALEPPO")


def test_crlf_text_keeps_exact_offsets():
    text = f"{HEAD}{BODY1}\r\n\r\nShare:\r\n{BODY2}\r\n".replace("\n\n", "\r\n\r\n")
    art = article(text)
    assert kept(art, clean.clean(art, RULES))[1:] == [BODY1, BODY2]


def test_a_single_long_line_is_one_body_segment():
    art = article(BODY1 + " " + BODY2)
    assert [(s.start, s.end, s.kind) for s in clean.clean(art, RULES).segments] == [(0, len(art.text), "body")]


def test_only_the_first_paragraph_has_a_dateline():
    later = "HTS — which controls most of Idlib — rejected the plan on Monday."
    art = article(f"{HEAD}BEIRUT — {BODY1}\n\n{later}\n")
    cleaned = clean.clean(art, RULES)
    assert cleaned.dateline == "BEIRUT"
    assert kept(art, cleaned)[1:] == [BODY1, later]


# ---- the fast paths give exactly what the plain definitions give ------------------------------------------------

# Lines written for these tests: debris, near-debris and prose, with the characters that trip case-folding
# (İ ı ſ and the Kelvin sign), odd whitespace, ligatures, and lines of every length around the max_words limits.
COMPOSED_LINES = [
    "İmage: Anadolu",
    "ıMAGE caption, a convoy near Atarib on Sunday",
    "Smoke over Kafr Nabl on Tuesday (Anadolu file pıcture)",
    "Families leave Maarat al-Numan. Photo credit: ſaed Abu Ali",
    "A convoy crosses the Bab al-Hawa gate. IMAGE VIA local council",
    "Pictures of the damaged bakery circulated widely, the council said on Thursday.",
    "The caption on the poster read 'We will return' when we visited Atarib in March.",
    "ſhare",
    "Share on Facebook",
    "SHARE THIS ARTICLE:",
    "Follow us on Telegram and Twitter",
    "Read more",
    "Read more about the ceasefire signed in Sochi on 17 September 2018 and the patrols that followed it.",
    "Published on Monday, March 9, 2020 at 10:15 GMT",
    "Published on Monday, the report said 40 people had been killed near Saraqib on March 9, 2020.",
    "© 2019 Idlib Observer. All rights reserved.",
    "Copyright laws did not stop the broadcaster from airing the footage from Jisr al-Shughur, lawyers said.",
    "By Leila Haddad and Omar Khatib | Idlib Observer",
    "By nightfall the convoy had reached Sarmada, about 30 km north of the city.",
    "Reporting by Leila Haddad; Editing by Sam Hart",
    "ALEPPO, Syria (AP) — Shelling resumed on the western edge of the city.",
    "Aleppo — the largest city in the north — saw no fighting on Friday.",
    "12 readers have liked this story",
    "1,024 views",
    "Up to 300 families fled the village of Kansafra overnight, volunteers said.",
    "Do you like this content? Consider helping us!",
    "7 + three =",
    "\u2028Photo: Kelvin sign K\u2029",
    "ﬁle photo: AP",
    "\x85 Share \x1c",
    "word " * 13 + "Newsletter",
    "Share: " + "word " * 13,
    "Share: " + "word " * 14,
    "Tags: " + "Idlib, " * 16,
    "Read also: " + "word " * 19,
    "Read also: " + "word " * 20,
]


def plain_first_rule(line: str, rules: clean.BoilerplateRules):
    """The definition: the first rule in file order whose conditions hold and whose pattern matches."""
    for rule in rules.rules:
        found = rule.matches(line)
        if found:
            return rule.name, found.span(), found.groupdict()
    return None


def all_test_lines() -> list[str]:
    lines = [ln for art in sample_articles() for ln in art.text.splitlines() if ln.strip()]
    lines += [e for r in RULES.rules for e in r.examples + r.not_examples]
    return lines + COMPOSED_LINES + [ln.strip() for ln in COMPOSED_LINES]


@pytest.mark.parametrize("line", all_test_lines())
def test_first_rule_is_the_first_matching_rule_in_file_order(line):
    found = clean.first_rule(line, RULES)
    assert (found and (found[0].name, found[1].span(), found[1].groupdict())) == plain_first_rule(line, RULES)


def test_the_combined_screen_covers_the_line_start_rules():
    screen = RULES.screen
    assert screen is not None
    assert [r.name for _, r in screen.loose] == ["photo caption"]  # the only rule not tied to the line start


@pytest.mark.parametrize("rule", [r for r in RULES.rules if r.needs_any], ids=lambda r: r.name)
def test_needs_any_words_are_in_every_line_the_rule_matches(rule):
    for line in all_test_lines():
        if rule.pattern.search(line) and not clean.CASE_SPECIAL.search(line):
            assert any(word in line.lower() for word in rule.needs_any), (rule.name, line)
            assert rule.may_match(line, clean.ascii_lowered(line))


def test_needs_any_must_be_lower_case(tmp_path):
    (tmp_path / "boilerplate.toml").write_text(
        '[[rule]]\nname = "x"\naction = "drop"\npattern = "photo"\nneeds_any = ["Photo"]\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="needs_any"):
        clean.load_rules(tmp_path)


def test_rules_without_a_screen_classify_the_same():
    unscreened = clean.BoilerplateRules(RULES.rules, screen=clean.Screen((), (), ()))
    object.__setattr__(unscreened, "screen", None)
    for line in COMPOSED_LINES:
        found = clean.first_rule(line, unscreened)
        assert (found and (found[0].name, found[1].span(), found[1].groupdict())) == plain_first_rule(line, RULES)


@pytest.mark.parametrize(
    "text",
    COMPOSED_LINES
    + [
        "Ǆemal Bijedić",
        "ﬁve ﬂights, ½ full",
        "STRASSE Straße",
        "ΣΊΣΥΦΟΣ σίσυφος",
        "Ⅻ № 5",
        "حلب، ٢٠٢٠",
        "snake_case and kebab-case",
        "",
    ],
)
def test_fold_is_nfkc_casefold_letters_and_digits(text):
    import unicodedata

    expected = "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
    assert clean.fold(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "\n".join(COMPOSED_LINES),
        "  a  \r\n\r\n\u3000b\u200b\n\x1c\x85\n c \u2028 d \n",
        "\ufeffTitle\n\n\u00a0\n\tBody text.\t\r\n",
        "one line without a break",
        " \n\t\n",
        "",
        "x",
    ],
)
def test_stripped_lines_are_lines_without_edge_whitespace(text):
    expected = []
    pos = 0
    for line in text.replace("\r", "\n").split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while start < end and (text[start].isspace() or text[start] in clean.EDGE_CHARS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in clean.EDGE_CHARS):
            end -= 1
        if start < end:
            expected.append((start, end))
    assert clean.stripped_lines(text) == expected


@pytest.mark.parametrize(
    "line",
    [
        "The convoy left at dawn.",
        "He asked: “Who fired first?”",
        "The strike (near Sarmin.)",
        "Talks resumed in Astana]",
        "Residents said…»\u00a0\u200b",
        "Aid arrived.\n",
        "Aid arrived.\n\n",
        "Aid arrived.’\n",
        "Aid arrived. ",
        "Headline without a stop",
        "Colon at the end:",
        "Semicolon;'",
        ".",
        "",
        "\n",
        "”",
    ],
)
def test_ends_like_sentence_is_the_terminal_pattern_at_the_end(line):
    assert clean.ends_like_sentence(line) == bool(clean.TERMINAL.search(line.rstrip(clean.EDGE_CHARS)))
