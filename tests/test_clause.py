"""The clause around an expression: direction cues, quotation ranges, verbs of saying and speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import clause, timex
from pipeline.records import Sentence, TimeExpr

RULES = timex.load_rules(Path(__file__).resolve().parents[1] / "data")


def sentence(text: str, start: int = 0) -> Sentence:
    return Sentence(doc_id="t", index=0, start=start, end=start + len(text), text=text)


def expression(s: Sentence, text: str) -> TimeExpr:
    (found,) = [e for e in timex.detect(s, RULES, "MDY") if e.text == text]
    return found


@pytest.mark.parametrize(
    "text, expr, expected",
    [
        ("The army will attack on Friday.", "on Friday", "forward"),
        ("The army attacked on Friday.", "on Friday", "past"),
        ("On Monday, the army will enter the town.", "On Monday", "forward"),
        ("Talks are to resume on March 3.", "on March 3", "forward"),
        ("The troops must leave by Wednesday.", "Wednesday", "forward"),
        ("The troops had pulled out by April.", "April", "past"),
        ("The curfew continued until Tuesday.", "Tuesday", "past"),
        ("The curfew was extended until Tuesday.", "Tuesday", "forward"),
        ("The deadline of March 1 passed quietly.", "March 1", "past"),
        ("The deadline of March 1 is close.", "March 1", "forward"),
        ("Jets will be sent on Sunday.", "on Sunday", "forward"),
        ("Two people had been killed on Sunday.", "on Sunday", "past"),
        ("Erdogan vowed to clear the border by the end of the month.", "by the end of the month", "forward"),
        ("The coalition hopes to retake Raqqa in the spring.", "the spring", "forward"),
        ("Turkey on Thursday threatened to use force.", "on Thursday", "past"),  # the threat's own date
        ("The UN plans a new round of talks in March.", "March", "forward"),
    ],
)
def test_direction(text: str, expr: str, expected: str) -> None:
    s = sentence(text, start=17)  # document offsets: the sentence need not start at 0
    assert clause.direction(s, expression(s, expr), RULES)[0] == expected


@pytest.mark.parametrize(
    "text, open_at_start, ranges, still_open",
    [
        ("He said “we will fight” today.", False, [(8, 23)], False),
        ('He said "we will fight" today.', False, [(8, 23)], False),
        ("No quotes here.", False, [], False),
        ("“The war goes on,", False, [(0, 17)], True),
        ("the fighting,” he said.", True, [(0, 14)], False),
        ("He said ‘we will fight’ today.", False, [(8, 23)], False),
        ("He said 'we will fight' today.", False, [(8, 23)], False),
        ("‘We won’t stop,’ he said.", False, [(0, 16)], False),  # an apostrophe inside does not close it
        ("‘The rebels’ attack failed,’ he said.", False, [(0, 28)], False),  # nor a plural's possessive
        ("The rebels’ attack and the army's reply.", False, [], False),  # apostrophes open nothing
        ("He said the '90s were calmer.", False, [], False),
        ("‘It will go on.", False, [(0, 15)], True),
        ("‘A new era’ began, he said.", False, [(0, 11)], False),
    ],
)
def test_quoted(text: str, open_at_start: bool, ranges: list[tuple[int, int]], still_open: bool) -> None:
    assert clause.quoted(text, open_at_start) == (ranges, still_open)


@pytest.mark.parametrize(
    "text, expr, expected",
    [
        ("Sources said on Saturday that talks had failed.", "on Saturday", True),
        ("The minister told reporters on Friday the talks were over.", "on Friday", True),
        ("On Friday, the minister told reporters the talks were over.", "On Friday", False),  # the comma ends it,
        ("The ministry announced Tuesday that aid would resume.", "Tuesday", True),
        ("Jets struck the town on Saturday.", "on Saturday", False),
        ("He said the town fell in 2018.", "2018", False),  # a year does not date a statement
        ("He said. Troops moved on Monday.", "on Monday", False),
    ],
)
def test_said_on(text: str, expr: str, expected: bool) -> None:
    s = sentence(text)
    assert clause.said_on(s, expression(s, expr), RULES) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("“Clashes erupted on Sunday,” the sources added.", "sources"),
        ("“Clashes erupted on Sunday,” they added.", "they"),
        ("“Clashes erupted,” said Akar.", "akar"),
        ("Akar said on Monday that the talks failed.", "akar"),
        ("Clashes erupted on Sunday.", None),
    ],
)
def test_speaker(text: str, expected: str | None) -> None:
    ranges, _ = clause.quoted(text, False)
    assert clause.speaker(text, ranges, RULES) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Sources said on Saturday that the town fell on Friday.", True),
        ("Sources said on Saturday, the town fell on Friday.", True),
        ("Sources said on Saturday and troops moved on Friday.", False),
    ],
)
def test_reported_clause(text: str, expected: bool) -> None:
    s = sentence(text)
    speech, later = timex.detect(s, RULES, "MDY")
    assert clause.reported_clause(s, speech.end, later) is expected


def test_quotes_run_on_across_sentences_but_not_forever() -> None:
    state = clause.Quotes()
    ranges, state = state.after("“The war goes on.")
    assert ranges == [(0, 17)] and state.open
    for _ in range(10):
        _, state = state.after("It goes on and on.")
    assert not state.open  # an unclosed quote is a typo after a few sentences
    ranges, state = clause.Quotes(open=True).after("It is over,” he said.")
    assert ranges == [(0, 12)] and not state.open


@pytest.mark.parametrize(
    "said_by, speaker, expected",
    [("akar", "sources", True), ("they", "sources", False), ("sources", "sources", False), (None, "sources", False)],
)
def test_other_speaker(said_by: str | None, speaker: str, expected: bool) -> None:
    assert clause.other_speaker(said_by, speaker) is expected


def test_inside() -> None:
    assert clause.inside([(3, 9)], 3) and not clause.inside([(3, 9)], 9)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Jets struck on Monday. In response, the army shelled the town.", "In response"),
        ("Jets struck on Monday. “Later, the rebels withdrew,” he said.", "Later"),
        ("A car bomb hit the base on Thursday. Hours earlier, a helicopter was shot down.", "Hours earlier"),
        ("Jets struck the town. In response, the army shelled it.", ""),  # no date right before
        ("Jets struck on Monday. The army shelled the town.", ""),  # no opener
    ],
)
def test_continues(text: str, expected: str) -> None:
    sents = [sentence(part + ".") for part in text.rstrip(".").split(". ")]
    assert clause.continues(sents, 1, RULES) == expected


@pytest.mark.parametrize(
    "text, clauses",
    [
        ("Russian jets struck Jisr al-Shughur on September 2, while Turkish troops entered Idlib on Monday.", 2),
        ("Rebels shelled the town on Monday; the army replied on Tuesday.", 2),
        ("Haftar, the LNA's commander, said on Monday that the offensive would go on.", 1),
        ("Troops and police arrived on Friday and left on Sunday.", 1),
    ],
)
def test_clause_starts(text: str, clauses: int) -> None:
    from pipeline.clause import clause_starts

    starts = clause_starts(text)
    assert len(starts) == clauses and starts[0] == 0
