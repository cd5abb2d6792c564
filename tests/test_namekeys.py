"""Name keys and the context rules shared by actors and places."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.namekeys import fold, load_entity_rules, name_key, tokenize, tokens_of, toponym_role

DATA = Path(__file__).resolve().parents[1] / "data"
RULES = load_entity_rules(DATA)


@pytest.mark.parametrize(
    "variants",
    [
        ["Hayat Tahrir al-Sham", "Hay’at Tahrir Al-Sham", "HAYAT TAHRIR AL SHAM", "Hay'at Tahrir al Sham"],
        ["İbrahim Kalın", "Ibrahim Kalin"],
        ["Mevlüt Çavuşoğlu", "Mevlut Cavusoglu"],
        ["Maarrat al-Numan", "Ma'arat al-Nu'man", "Maarat al Numan"],
    ],
)
def test_spelling_variants_share_a_key(variants: list[str]) -> None:
    assert len({name_key(v) for v in variants}) == 1


def test_folding_keeps_every_offset() -> None:
    text = "Çavuşoğlu met İbrahim Kalın in Türkiye’s capital — “Ankara”."
    folded = fold(text)
    assert len(folded) == len(text) and folded.startswith("Cavusoglu met Ibrahim Kalin")
    tokens = tokenize(text)
    assert [text[t.start : t.end] for t in tokens][:4] == ["Çavuşoğlu", "met", "İbrahim", "Kalın"]
    turkiye = next(t for t in tokens if t.key == "turkiye")
    assert turkiye.possessive and text[turkiye.start : turkiye.end] == "Türkiye"


def test_acronym_dots_and_hyphens_join_tokens() -> None:
    tokens = tokenize("the U.S.-led coalition and Ankara-backed rebels")
    assert [t.key for t in tokens] == ["the", "u", "s", "led", "coalition", "and", "ankara", "backed", "rebels"]
    assert tokens[2].joined and tokens[3].joined and tokens[7].hyphen


@pytest.mark.parametrize(
    "text, name, role",
    [
        ("Ankara rejects the plan.", "Ankara", "actor"),
        ("Officials met in Ankara.", "Ankara", "place"),
        ("Talks between Ankara and Moscow stalled.", "Moscow", "actor"),
        ("Protests were held in Paris and Berlin.", "Berlin", "place"),
        ("Shelling hit northwest Syria.", "Syria", "place"),
        ("Clashes in the north-west of Syria went on.", "Syria", "place"),
        ("Troops entered Syria's Idlib province.", "Syria", "place"),
        ("Turkey's observation posts were encircled.", "Turkey", "actor"),
        ("US special envoy James Jeffrey spoke.", "US", "title"),
        ("The US envoy for Syria James Jeffrey spoke.", "Syria", "title"),
        ("Ankara-backed rebels withdrew.", "Ankara", "label"),
        ("The NATO-backed removal of the ruler.", "NATO", "actor"),
        ("A London-based monitor counted the dead.", "London", "place"),
        ("Houthis struck a Liberia-flagged bulker.", "Liberia", "label"),
        ("They sank the Greece-owned ship.", "Greece", "label"),
        ("Soldiers guarded the border with Syria.", "Syria", "place"),
        ("Nasrallah warned against an attack on Lebanon.", "Lebanon", "place"),
        ("Two bombs blew up in the center of Damascus.", "Damascus", "place"),
        ("Shells fell on the streets of Kyiv.", "Kyiv", "place"),
        ("The government of Damascus rejected it.", "Damascus", "actor"),
        ("Michael Jordan said so.", "Jordan", "name"),
    ],
)
def test_toponym_role(text: str, name: str, role: str) -> None:
    tokens = tokenize(text)
    i = next(k for k, t in enumerate(tokens) if t.text == name)
    assert toponym_role(tokens, i, i + 1, RULES) == role


@pytest.mark.parametrize(
    "text",
    [
        "Turkey's army and the U.S.-led coalition met in Hay’at Tahrir al-Sham's former base.",
        "",
        "  x",
        "İdlib — “Ariha”",
    ],
)
def test_tokens_of_is_tokenize_remembered(text: str) -> None:
    assert tokens_of(text) == tuple(tokenize(text))
    assert tokens_of(text) is tokens_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "the U.S.-led coalition and Ankara-backed rebels shelled 3 villages near Idlib.",
        "Officials_said nothing; the de-escalation zone (north) held -- for now, 2clashes.",
        "  HTS, SDF / YPG: Hayat Tahrir al-Sham",
    ],
)
def test_the_plain_split_reads_words_as_the_apostrophe_aware_ones_do(text: str) -> None:
    # A trailing apostrophe adds no word but sends the text through the ASCII / Unicode apostrophe-aware patterns.
    assert tokenize(text) == tokenize(text + " '") == tokenize(text + " ’")
