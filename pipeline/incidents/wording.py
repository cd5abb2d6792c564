"""What a row's sentence tells around its time expression: that its date is when the happening was said or
reported (``report_dated``, ``restates``), some days after it (``aftermath``), that it is another happening than
the one its page told before (``sequel``), a political act in a clause of its own (``clause_type``), a related
type by its triggers (``tells``), a happening already known (``anaphoric``); and its words, which tell one story
from another (``words_of``)."""

from __future__ import annotations

import datetime as dt
import re

from pipeline import eventtypes
from pipeline.incidents.rules import (
    AFTERMATH,
    AFTERMATH_DAYS,
    ANAPHORA,
    ANAPHORA_NOUNS,
    ATTRIBUTION,
    CAPTION_AFTERMATH,
    CLOSES,
    COMMON_WORDS,
    CREDIT_AFTER,
    DATELINE_AFTER,
    DATELINE_BEFORE,
    POLITICAL,
    QUOTED_DAY,
    REACTION_AFTER,
    REACTION_TYPE,
    RECALL_OPENING,
    RECALLED_DAY,
    RELATED_TO,
    REPORT_LAG,
    REPORT_VERBS,
    SAID_THAT,
    SEQUEL,
    SEQUEL_BEFORE,
    SET_OFF,
    WORD,
    WORD_ENDINGS,
)
from pipeline.settings import DATA_DIR

# The triggers of the related types (data/event_types.csv), read when a sentence is first asked (``tells``)
TRIGGERS: dict[str, re.Pattern[str]] = {}
EVENT_RULES: list[eventtypes.EventTypeRules] = []  # the event types (data/event_types.csv), read when first asked


def report_dated(sentence: str, time_text: str) -> bool:
    """Whether a date tells when a happening was reported rather than when it happened: governed by a verb of
    saying ("a monitor said on Wednesday", "reported on Thursday 21 November that"), a dateline ("Aug. 3 (UPI) --")
    or a photo caption's date before its credit ("- 21 November 2019 (EMC)")."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0:
        return False
    before, after = sentence[:at], sentence[at + len(time_text):]
    if after[:2] in ("'s", "’s"):
        return False  # "the Observatory said Monday's airstrike killed 10": the date is the airstrike's
    if QUOTED_DAY.fullmatch(time_text.strip()) and quoted(before):
        return True  # '"... condemns the airstrike today," the spokesman said': the day he said it
    return bool(_said_before(before) or _said_after(before, after) or CREDIT_AFTER.match(after) or (
        len(before) < 60 and DATELINE_BEFORE.match(before) and DATELINE_AFTER.match(after)))  # fmt: skip


def aftermath(sentence: str, time_text: str) -> tuple[dt.timedelta, bool] | None:
    """How many days before its date the happening a row tells was, when its time expression is followed by "a day
    after" and one of the ``anaphora_nouns`` ("On Sunday, a day after the devastating strike, ..."): that
    happening's (``aftermath_days``), exactly (True); by "following" or "after" alone ("on Sunday following the
    rocket attack", ``aftermath_words``; or before a date that closes its sentence, a caption's: "shows rescuers
    ... following a shooting attack in Krasnogorsk, 23 March 2024."), up to ``report_lag_days`` before (False). None
    otherwise."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0:
        return None
    found = AFTERMATH.match(sentence, at + len(time_text))
    if found is None:  # a caption's closing date, of what it shows "following the attack" (told before the date)
        closing = CLOSES.fullmatch(sentence, at + len(time_text)) is not None and SET_OFF.search(sentence, 0, at)
        return (REPORT_LAG, False) if closing and CAPTION_AFTERMATH.search(sentence, 0, at) else None
    return (dt.timedelta(days=AFTERMATH_DAYS[found[1].lower()]), True) if found[1] else (REPORT_LAG, False)


def sequel(sentence: str, time_text: str) -> bool:
    """Whether the time expression, or the word right before it, places the happening before or after another its
    document tells ("Earlier in the evening", "Later that night": ``sequel_words``), or the sentence opens by
    recalling an earlier happening ("Recall that sixteen people were killed ... last Saturday": ``recall_openings``)."""
    if SEQUEL.search(time_text) or RECALL_OPENING is not None and RECALL_OPENING.match(sentence):
        return True
    at = sentence.find(time_text) if time_text else -1
    return at > 0 and SEQUEL_BEFORE.search(sentence[max(0, at - 20) : at]) is not None


def attributed_only(sides: frozenset[str], sentence: str) -> frozenset[str]:
    """Those of ``sides`` the sentence names only inside an attribution ("According to Kenyan officials, ...":
    ``attribution_words``): its name, or a word starting with it, there and nowhere else in the sentence."""
    if ATTRIBUTION is None or not sides or not sentence:
        return frozenset()
    spans = [m.span() for m in ATTRIBUTION.finditer(sentence)]
    if not spans:
        return frozenset()
    found = set()
    for side in sides:
        named = [m.start() for m in re.finditer(r"\b" + re.escape(side), sentence, re.IGNORECASE)]
        if named and all(any(a <= at < b for a, b in spans) for at in named):
            found.add(side)
    return frozenset(found)


def recalled_day(sentence: str, time_text: str) -> bool:
    """Whether a day written in full is told as the start of a past its page recalls ("since the military seized
    power in a Feb. 1, 2021, coup": ``recalled_day_cues``), not as a day of its news."""
    if RECALLED_DAY is None or not time_text:
        return False
    at = sentence.find(time_text)
    return at > 0 and RECALLED_DAY.search(sentence, max(0, at - 200), at) is not None


def restates(said: tuple[str, str], sentence: str, time_text: str) -> bool:
    """Whether the date is in brackets right after a date of saying of the same sentence, which it restates ("the
    air force asserted on Friday (Oct 6)"). ``said``: that sentence and its time expression."""
    return bool(said[1]) and said[0] == sentence and bool(time_text) and re.search(
        re.escape(said[1]) + r"\s*\(\s*" + re.escape(time_text), sentence) is not None


def said_that(sentence: str, time_text: str) -> bool:
    """Whether the time expression stands in a clause of saying opened before it ("the Committee said that four men
    had been taken into custody on Friday night"): a verb of saying and, within a few words, "that"."""
    at = sentence.find(time_text) if time_text else -1
    return at > 0 and SAID_THAT.search(sentence, 0, at) is not None


def _said_before(before: str) -> bool:
    """Whether the words before a date end with a verb of saying, then perhaps whom it was told and "on" ("said
    on", "told AFP on")."""
    words = before[-40:].split()
    if words and words[-1].lower() == "on":
        words.pop()
    if words and words[-1][:1].isupper() and len(words) > 1:
        words.pop()  # whom it was told ("told AFP")
    return bool(words) and words[-1].lower() in REPORT_VERBS


PASSIVE = frozenset({"was", "were", "is", "are", "been", "being", "be"})


def _said_after(before: str, after: str) -> bool:
    """Whether a date that opens its sentence is followed, after a comma, by its speaker and a verb of saying ("On
    Saturday, the Investigative Committee said the death toll had risen")."""
    if before.strip().lower() not in ("", "on") or not after.startswith(","):
        return False
    words = [w.lower() for w in re.split(r"[,;.:“”\"]", after[1:], maxsplit=1)[0].split()[:6]]  # (no clause between)
    # its speaker said it: not a happening that "was reported" then ("Later in the day, a second explosion was
    # reported in the village")
    return any(w in REPORT_VERBS and (k == 0 or words[k - 1] not in PASSIVE) for k, w in enumerate(words))


def quoted(before: str) -> bool:
    """Whether what follows ``before`` is inside a quotation (a quotation mark opened and not closed)."""
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_type(sentence: str, time_text: str) -> str:
    """The political type (a threat, talks, an agreement) whose trigger directly follows the row's time expression,
    when one does: "The explosion comes after the president on Wednesday threatened to launch an offensive" dates
    a threat, though its sentence opens with an explosion. "" otherwise."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0:
        return ""
    after = sentence[at + len(time_text) : at + len(time_text) + 40].lower()
    rest = after.lstrip()
    if not rest or len(rest) == len(after):
        return ""
    rules = _event_rules()
    kind = eventtypes.named_type(rules.main.match(rest) if rules.main is not None else None, rules.main_names)
    return kind if kind in POLITICAL else ""


# What may stand between a trigger and the date it governs: "on", "in", "at" ("attacked on Saturday"), and an
# object opened by a determiner ("attacked the town on Wednesday afternoon")
ON_BEFORE = re.compile(r"(?:\s+(?:the|a|an|its|their)(?:\s+[a-z][a-z-]*){1,2})?(?:\s+(?:on|in|at))?$")


def reaction_type(sentence: str, time_text: str) -> str:
    """The type of a reaction told of the row's own date (``reaction_stems``: "The UN Secretary General on Wednesday
    strongly condemned the attack"; "In a statement on Sunday, the Prime Minister denounced Iran"), when a verb of
    one follows its time expression within ``reaction_words_after`` words; not after a possessive ("condemned
    Friday's attack": the attack's date), nor when a violent trigger comes before it ("Gunmen killed nine people on
    Sunday, and the governor condemned it": the killing's date). "" otherwise."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0 or REACTION_AFTER is None:
        return ""
    after = sentence[at + len(time_text) : at + len(time_text) + 120]
    if after[:2] in ("'s", "’s") or not REACTION_AFTER.match(after):
        return ""
    rules = _event_rules()
    if rules.main is not None and any(kind and kind not in POLITICAL for kind in (
            eventtypes.named_type(found, rules.main_names) for found in rules.main.finditer(sentence[:at].lower()))):
        return ""
    return REACTION_TYPE


def told_type(sentence: str, time_text: str) -> str:
    """The type whose trigger stands right before the row's time expression, when one does ("dozens of people have
    died since Islamist militants attacked on 24 March": an attack, though its sentence opens with "Fighting"):
    what the date is the date of. "" otherwise."""
    at = sentence.find(time_text) if time_text else -1
    if at <= 0:
        return ""
    before = ON_BEFORE.sub("", sentence[max(0, at - 40) : at].lower().rstrip())  # ("attacked on" Saturday)
    if not before or not before[-1].isalpha():
        return ""
    rules = _event_rules()
    if rules.main is None:
        return ""
    found = [*rules.main.finditer(before)]  # (the last trigger: it must end where the time expression starts)
    if not found or found[-1].end() != len(before):
        return ""
    return eventtypes.named_type(found[-1], rules.main_names)


def _event_rules() -> eventtypes.EventTypeRules:
    if not EVENT_RULES:
        EVENT_RULES.append(eventtypes.load_rules(DATA_DIR))
    return EVENT_RULES[0]


def words_of(sentence: str) -> frozenset[str]:
    """The words of a sentence that may tell its story from another's (four letters or more, not among the
    ``common_words`` of news), lower-cased, each without an ending of inflection (``word_endings``: "strikes" and
    "strike", "northwestern" and "northwest" are one word)."""
    return frozenset(map(_stem, WORD.findall(sentence.lower()))) - COMMON_STEMS


def _stem(word: str) -> str:
    for ending in WORD_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


COMMON_STEMS = frozenset(map(_stem, COMMON_WORDS))  # ("according" is "accord", as in a sentence)


def tells(sentence: str, event_type: str) -> bool:
    """Whether a sentence tells a related type (``related_types``) by its triggers ("an airstrike hit a convoy":
    a strike and a movement)."""
    if not TRIGGERS:
        TRIGGERS.update((t.name, t.pattern) for t in eventtypes.load_rules(DATA_DIR).types if t.name in RELATED_TO)
    pattern = TRIGGERS.get(event_type)
    return pattern is not None and pattern.search(sentence.lower()) is not None


def anaphoric(sentence: str) -> bool:
    """Whether a sentence tells its happening as one already known ("the attack", "Saturday's blast"): the nouns
    looked for in the lower-cased sentence first (a few microseconds saved on each of many sentences)."""
    lowered = sentence.lower()
    return any(noun in lowered for noun in ANAPHORA_NOUNS) and ANAPHORA.search(sentence) is not None
