"""The clause around a temporal expression: its direction and the reported speech it sits in.

Past narration looks back (the default); "will", "is to", "plans to", "deadline", and "by" or
"until" right before the expression look forward, unless the clause's own verb is past ("had
pulled out by April", "continued until Tuesday"). Reported speech: the ranges of a sentence inside
quotation marks, whether a date dates a verb of saying next to it ("sources said on Saturday"),
the clause such a verb introduces ("said on Saturday that ..."), and who speaks (the word before
or after the first verb of saying outside quotes), so that a later quote by the same speakers is
dated by that statement.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.records import Sentence, TimeExpr
from pipeline.timex.detect import detect
from pipeline.timex.rules import TimexRules, tokens

# How long an unclosed quotation may run on before it is taken as a typo.
_MAX_QUOTE_SENTENCES = 6
_QUOTE_MARKS = ' “"'

# Characters between a verb of saying and a date for the date to be the speech's.
_SPEECH_REACH = 45
_AUXILIARIES = frozenset({"be", "been", "being", "have", "has"})
_PASSIVE = frozenset({"was", "were", "is", "are", "be", "been"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
_NOT_SPEAKERS = frozenset("the a an on in at also later earlier then had has have was were is are also had".split())
_PUNCTUATION = frozenset(',;:()“”"—–.')
_SPEECH_STOPS = frozenset({"“", "”", '"', ";", "."})
_CLAUSE_REACH = 100  # characters either side of an expression searched for its clause's cues
_QUOTE = re.compile("[“”\"‘’']")
_DOUBLE_OPEN, _DOUBLE_CLOSE = frozenset('“"'), frozenset('”"')
_SINGLE_OPEN, _SINGLE_CLOSE = frozenset("‘'"), frozenset("’'")
_BEFORE_OPENING = frozenset(' \t\n(—–“"')
_CLOSING_AFTER = frozenset(",.!?;:")


@dataclass(frozen=True)
class Quotes:
    """Whether a quotation runs on into the next sentence, and for how many sentences it has."""

    open: bool = False
    age: int = 0

    def after(self, text: str) -> tuple[list[tuple[int, int]], Quotes]:
        """The quoted ranges of the sentence ``text``, and the state for the sentence after it."""
        ranges, still_open = quoted(text, self.open)
        if not still_open and not self.open and not self.age:
            return ranges, self  # the usual case: no quotation runs on before or after
        age = self.age + 1 if still_open else 0
        return ranges, Quotes(still_open and age < _MAX_QUOTE_SENTENCES, age)


def inside(ranges: list[tuple[int, int]], offset: int) -> bool:
    """Whether the sentence offset lies in one of the quoted ranges."""
    return any(a <= offset < b for a, b in ranges)


def other_speaker(said_by: str | None, speaker: str) -> bool:
    """Whether someone other than the speaker of the last dated statement speaks now (not a pronoun)."""
    return bool(said_by) and said_by not in PRONOUNS and said_by != speaker


def continues(sentences: Sequence[Sentence], index: int, rules: TimexRules) -> str:
    """The opener ("In response") by which a sentence continues the date of the one before, or "".

    Only when the sentence right before names a date itself: the date continued is not an older one.
    """
    opener = rules.continuation.match(sentences[index].text)
    if opener is None or index == 0 or not detect(sentences[index - 1], rules, ""):
        return ""
    return opener.group(0).strip(_QUOTE_MARKS)


def quoted(text: str, open_at_start: bool) -> tuple[list[tuple[int, int]], bool]:
    """Character ranges of ``text`` inside quotation marks, and whether a quote is still open.

    Double quotes, and single ones (‘…’ or '…') when the mark cannot be an apostrophe: a single
    quote opens after a space before a letter, and closes after punctuation, or before a non-letter
    unless it ends a plural's possessive ("the rebels’ attack").
    """
    ranges: list[tuple[int, int]] = []
    start, mark = (0, "any") if open_at_start else (-1, "")
    for m in _QUOTE.finditer(text):
        ch, i = m.group(), m.start()
        if start < 0:
            if ch in _DOUBLE_OPEN:
                start, mark = i, "double"
            elif ch in _SINGLE_OPEN and _opens_single(text, i):
                start, mark = i, "single"
        elif (ch in _DOUBLE_CLOSE and mark != "single") or (
            ch in _SINGLE_CLOSE and mark != "double" and _closes_single(text, i)
        ):
            ranges.append((start, i + 1))
            start, mark = -1, ""
    if start >= 0:
        ranges.append((start, len(text)))
    return ranges, start >= 0


def _opens_single(text: str, i: int) -> bool:
    after = text[i + 1 : i + 2]
    return (i == 0 or text[i - 1] in _BEFORE_OPENING) and (after.isalpha() or (text[i] == "‘" and after.isdigit()))


def _closes_single(text: str, i: int) -> bool:
    before, after = text[i - 1 : i] if i else "", text[i + 1 : i + 3]
    if before in _CLOSING_AFTER:
        return True
    if not before or before.isspace() or after[:1].isalpha():
        return False  # "won’t", "’90s"
    return not (before in "sS" and after[:1] == " " and after[1:2].islower())  # "the rebels’ attack"


def said_on(sentence: Sentence, expr: TimeExpr, rules: TimexRules) -> bool:
    """Whether the expression dates a verb of saying next to it ("sources said on Saturday")."""
    if expr.field("kind") not in ("weekday", "date", "numeric_date", "deictic") or expr.field("since"):
        return False
    s, e = expr.start - sentence.start, expr.end - sentence.start
    before = tokens(sentence.text[max(0, s - _SPEECH_REACH) : s])
    words_after = 0
    for i in range(len(before) - 1, -1, -1):
        if before[i] in _SPEECH_STOPS:
            break
        if words_after <= 4 and before[i] in rules.speech.last and rules.speech.length_at(before, i, ending=True):
            return True
        words_after += 1
    after = tokens(sentence.text[e : e + _SPEECH_REACH])
    for i, token in enumerate(after[:3]):
        if token in _SPEECH_STOPS or token == ",":
            break
        if rules.speech.length_at(after, i, ending=False):
            return True
    return False


def speaker(text: str, quoted: list[tuple[int, int]], rules: TimexRules) -> str | None:
    """The word naming who speaks in the first verb of saying outside quotes; None without such a verb."""
    pieces, at = [], 0
    for a, b in quoted:
        pieces.append(text[at:a])
        at = b
    toks = tokens(" , ".join([*pieces, text[at:]]))
    first = rules.speech.first
    for i, token in enumerate(toks):
        if token not in first:  # the quick test length_at begins with, without the call
            continue
        n = rules.speech.length_at(toks, i, ending=False)
        if not n:
            continue
        before = [t for t in toks[max(0, i - 6) : i] if not _names_time(t, rules)]
        if before and before[-1] not in _PUNCTUATION:
            return before[-1]
        after = [t for t in toks[i + n : i + n + 3] if not _names_time(t, rules)]
        return after[0] if after and after[0] not in _PUNCTUATION else ""
    return None


def _names_time(token: str, rules: TimexRules) -> bool:
    """Words skipped when looking for a speaker: articles, auxiliaries and the words of dates."""
    return token in _NOT_SPEAKERS or token in rules.names or token in rules.core_class


def reported_clause(sentence: Sentence, speech_end: int, expr: TimeExpr) -> bool:
    """Whether the expression sits in the clause a dated verb of saying introduces ("said on X that ...")."""
    between = sentence.text[speech_end - sentence.start : expr.start - sentence.start]
    return " that " in f" {between} " or between.strip().startswith(",")


def _cue(toks: list[str], i: int, rules: TimexRules, ending: bool) -> tuple[str, int]:
    """(forward | weak | past | aim | brk | "", phrase length) of the cue at token ``i`` ("": a phrase that is no
    cue, "due to a")."""
    word = toks[i]
    if word in rules.breaks:
        return "brk", 1
    n = rules.cues.length_at(toks, i, ending) if word in (rules.cues.last if ending else rules.cues.first) else 0
    if n:
        lo = i - n + 1 if ending else i
        return rules.cues.labels[tuple(toks[lo : lo + n])], n
    if word.endswith(rules.past_suffix) and len(word) > 4 and word not in rules.past_exceptions:
        return "past", 1
    return "", 1


def _preposition(left: list[str], i: int) -> bool:
    """ "before"/"after" right before the expression ("shortly before midnight Wednesday") is its preposition."""
    return left[i] in ("before", "after") and i >= len(left) - 2


def direction(sentence: Sentence, expr: TimeExpr, rules: TimexRules) -> tuple[str, str]:
    """("forward" | "past", the cue word or "") from the clause around the expression."""
    text = sentence.text
    s, e = expr.start - sentence.start, expr.end - sentence.start
    left = tokens(text[max(0, s - _CLAUSE_REACH) : s])
    right = tokens(text[e : e + _CLAUSE_REACH])
    cut = len(left) - 1
    while cut >= 0 and (left[cut] not in rules.breaks or _preposition(left, cut)):  # the last clause break, or -1
        cut -= 1
    by = rules.forward_before.length_at(left, len(left) - 1, ending=True) if left else 0
    if by or expr.field("by"):
        had = [i for i in range(cut + 1, len(left)) if left[i] in rules.forward_before_past]
        if had and "to" not in left[had[-1] + 1 :]:  # "who had entered … to leave by May 1" looks ahead
            return "past", "had"  # "had pulled out by April"
        verb = len(left) - by - 1  # the word right before "until": "continued until Tuesday" looks back
        if by and verb > cut and _cue(left, verb, rules, ending=True)[0] == "past":
            if not (verb > cut + 1 and left[verb - 1] in _PASSIVE):  # "was extended until Friday" looks ahead
                return "past", left[verb]
        return "forward", " ".join(left[len(left) - by :]) if by else "by"
    i = len(left) - 1
    while i > cut:
        kind, n = _cue(left, i, rules, ending=True)
        if kind == "brk":  # a preposition of the expression ("before midnight Wednesday"), not a clause break
            i -= n
            continue
        if kind == "past" and i - n >= 0 and left[i - n] in _AUXILIARIES:
            i -= n  # "will be held", "had been killed": a participle, the auxiliary decides
            continue
        if kind == "weak":
            later, word = _first_cue(right, rules)
            return ("past", word) if later == "past" else ("forward", left[i])
        if kind == "aim":  # "vowed to retake it in the spring"; after the date it is the aim's own date (past)
            return "forward", " ".join(left[i - n + 1 : i + 1])
        if kind:
            return kind, " ".join(left[i - n + 1 : i + 1])
        i -= n
    later, word = _first_cue(right, rules)
    return ("forward", word) if later in ("forward", "weak") else ("past", word)


def _first_cue(right: list[str], rules: TimexRules) -> tuple[str, str]:
    """The first cue after the expression within its clause."""
    i = 0
    while i < len(right):
        kind, n = _cue(right, i, rules, ending=False)
        if kind == "brk":
            if i == 0 and right[0] == ",":
                i += 1
                continue  # "On Monday, the army will ..." : the clause is the one after the comma
            break
        if kind:
            return kind, " ".join(right[i : i + n])
        i += n
    return "", ""


# Where a sentence turns to another event: ", while", ", whereas", "; ", ", and then", ", but".
_CLAUSE_TURN = re.compile(r"(?:,\s+(?:while|whereas|but|and then|meanwhile)\s|;\s+|\s+while\s+(?=[A-Z]))")


def clause_starts(text: str) -> list[int]:
    """Offsets (in the sentence) where its clauses start: 0, then after each turn to another event.

    "Russian jets struck Jisr al-Shughur on September 2, while Turkish troops entered Idlib on Monday"
    has two clauses; a comma alone does not make one ("Haftar, the LNA's commander, said on Monday").
    """
    if ";" not in text and "while" not in text and "whereas" not in text and ", but" not in text and (
        "meanwhile" not in text and "and then" not in text
    ):
        return [0]  # most sentences: substring tests are much cheaper than the pattern
    return [0, *[m.end() for m in _CLAUSE_TURN.finditer(text)]]
