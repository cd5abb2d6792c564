"""Event types from trigger words: every rule's example is executed, plus sentences the rules never saw."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import eventtypes

DATA = Path(__file__).resolve().parents[1] / "data"
RULES = eventtypes.load_rules(DATA)


@pytest.mark.parametrize("event_type", RULES.types, ids=[t.name for t in RULES.types])
def test_each_rule_example_classifies_as_its_type(event_type: eventtypes.EventType) -> None:
    assert event_type.example, f"{event_type.name}: give an example sentence in {eventtypes.EVENT_TYPES_FILE}"
    assert eventtypes.classify(event_type.example, RULES) == event_type.name


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Heavy fighting between HTS and the Syrian army continued near Kafr Nabl.", "armed clash"),
        ("Rebels repelled an infiltration attempt on the Latakia front.", "armed clash"),
        ("Russian warplanes carried out dozens of air strikes on Ariha.", "attack / strike"),
        ("A car bomb exploded in Azaz, killing six people.", "attack / strike"),
        ("Turkish forces opened fire on HTS militants, killing four protesters.", "attack / strike"),
        ("Erdogan threatened to strike government forces anywhere in Syria.", "threat / warning"),
        ("Ankara gave Damascus an ultimatum to withdraw by the end of the month.", "threat / warning"),
        ("Hundreds demonstrated in Idlib against the crossing.", "protest"),
        ("Residents staged a sit-in outside the council building.", "protest"),
        ("The truce brokered by Moscow and Ankara took effect at midnight.", "agreement / ceasefire"),
        ("Turkey deployed 5,000 additional troops to Idlib.", "deployment / troop movement"),
        ("Syrian army troops advance towards the rebel-held areas.", "deployment / troop movement"),
        ("Putin and Erdogan met in Sochi on Thursday.", "meeting / talks"),
        ("The Kremlin accused Ankara of failing to neutralise militants.", "statement / accusation"),
        ("Putin and Erdogan agreed on a truce after fighting that killed dozens.", "agreement / ceasefire"),
        ("Activists said government forces attacked the village at dawn.", "attack / strike"),
        ("Men on motorbikes machine-gunned villagers in a district threatened by armed groups.", "attack / strike"),
        ("Two policemen were gunned down at a checkpoint outside the town.", "attack / strike"),
        ("A shepherd was shot dead near the border fence.", "attack / strike"),
        ("Gunmen on motorbikes abducted forty pupils from a village school.", "attack / strike"),
        ("The teachers kidnapped last month are still held in the forest.", "attack / strike"),
        ("Militants hijacked a passenger train and took its passengers hostage.", "attack / strike"),
        ("Friday's violence at the village school left nine people dead.", "attack / strike"),  # (a toll, no verb)
        ("The deadline for the talks passed on Friday.", "threat / warning"),  # ("dead" is a whole word)
        ("The Balochistan Liberation Army claimed the bombing of the convoy.", "attack / strike"),  # a name, no clash
        ("Troops completed the liberation of the town.", "armed clash"),
        ("Idlib is home to three million people.", ""),
        ("The weather was mild.", ""),
    ],
)
def test_classify_unseen_sentences(text: str, expected: str) -> None:
    assert eventtypes.classify(text, RULES) == expected


def test_stems_match_whole_words_only() -> None:
    assert eventtypes.classify("The clashes went on.", RULES) == "armed clash"
    assert eventtypes.classify("The Talksport presenter was quiet.", RULES) == ""


def test_a_rule_without_triggers_is_refused(tmp_path: Path) -> None:
    (tmp_path / eventtypes.EVENT_TYPES_FILE).write_text("event_type,priority,triggers,example\nprotest,1,,\n")
    with pytest.raises(ValueError, match="triggers"):
        eventtypes.load_rules(tmp_path)


def _search_everywhere(text: str, rules: eventtypes.EventTypeRules) -> str:
    """The plain reading: search the combined patterns at every position (what the word heads must match)."""
    lower = text.lower()
    for fallback, pattern in ((False, rules.main), (True, rules.fallback)):
        match = pattern.search(lower) if pattern is not None else None
        if match is not None and match.lastgroup is not None:
            return [t for t in rules.types if t.fallback == fallback][int(match.lastgroup[1:])].name
    return ""


@pytest.mark.parametrize(
    "text",
    [
        "The de-escalation zone held, officials said.",
        "The de escalation zone held.",
        "Deescalation talks were set for Monday.",
        "A counter-attack and a counterattack were repelled; a counter attack failed.",
        "Officials_said nothing; the_ceasefire held; 2clashes were seen.",
        "UNDER THE CEASEFIRE, TROOPS PULLED OUT.",
        "Saidov spoke; the Claims Court sat; Ankara's warnings went unheeded.",
        "Ünited forces clashed, şaid the mayor.",
        "",
        # ASCII without apostrophes: the heads come from the sentence's tokens
        "de_escalation, re-attack and x9strikes; ab_shelled then 5clashes, so officials met.",
        "Militants raided;attacked,shelled the post (U.S. officials said).",
        "No trigger word at all here, only places like Idlib.",
        "O'Brien said the shelling stopped.",  # an apostrophe: the plain scan
    ],
)
def test_trying_only_word_heads_finds_the_same_first_trigger(text: str) -> None:
    assert eventtypes.classify(text, RULES) == _search_everywhere(text, RULES)


@pytest.mark.parametrize(
    "text, from_tokens",
    [("Rebels shelled Ariha.", True), ("Assad's forces shelled Ariha.", False), ("Kalın said.", False)],
)
def test_word_heads_come_from_tokens_only_in_ascii_without_apostrophes(text: str, from_tokens: bool) -> None:
    heads = eventtypes._word_heads(text)
    assert (heads is not None) == from_tokens
    if heads is not None:
        assert heads[0] == ["reb", "she", "ari"] and heads[1] == [0, 7, 15]


def test_trigger_heads() -> None:
    assert eventtypes.trigger_heads(["clash*", "de-escalation", "air strike*"]) == {"cla", "de", "dee", "air"}
    assert eventtypes.trigger_heads(["9/11 attack"]) is None  # no letter first: every position is tried
