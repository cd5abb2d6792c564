"""Detect temporal expressions with compiled rules and write them underspecified.

The rules are data (``data/timex/rules.toml`` and the word lists in ``words.toml``): each is a
regular expression with named groups and a class of core words every match contains (a month
name, a weekday, a unit such as "week", a four-digit number...). ``detect`` makes one pass over
the words of a sentence to find core words (most sentences have none and stop there), tries each
rule anchored at the few words just before each core word, keeps the longest non-overlapping
matches, and writes each one HeidelTime style (``UNDEF-last-friday``, ``UNDEF-year-03-05``,
``2018``) with canonical ``fields`` for ``resolve``. Only expressions that name a calendar date or
period are returned: durations ("two weeks") and vague words ("now", "recently") have no rule. A
range ("March-April", "12-14 May") is returned with each of its ends after it, days listed after a
month-day ("December 8, 10 and 22") each on its own, and the date of a dateline is dropped.
"""

from __future__ import annotations

import calendar
import functools
import re
import re._constants as sre
import re._parser as sre_parse
import sys
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.calendars import HolidaySpec, spec_of
from pipeline.namekeys import skeleton, tokens_of
from pipeline.records import Sentence, TimeExpr
from pipeline.rulefiles import compile_pattern

_WINDOW_BACK = 40  # characters a match may start before its core word
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")
_WORD_START = re.compile(r"\b\w+")  # a whole word even when the search starts inside the one before
_PUNCTUATION = ',;:()“”"—–.'
_TOKEN = re.compile(r"\d+(?:[.:]\d+)+\w*|[\w]+|['’]ll\b|[,;:()“”\"—–.]")  # "11.59pm" is one word
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_MODS = {"overnight": "", "midday": "", "noon": "", "early": "START", "mid": "MID", "late": "END", "earlier": "EARLIER",
         "later": "LATER"}  # fmt: skip
_EDGES = {"end": "END", "beginning": "START", "start": "START", "middle": "MID"}
_SHIFT_SIGN = {"next": 1, "following": 1, "later": 1, "after": 1, "previous": -1, "preceding": -1,
               "earlier": -1, "before": -1}  # fmt: skip
_DAY_UNITS = {"day", "night", "morning", "afternoon", "evening"}
_REL_WORDS = {"this past": "last", "this coming": "next", "current": "this", "present": "this", "previous": "last",
              "past": "last", "coming": "next"}  # fmt: skip
_HALVES = {"first": "1", "1st": "1", "second": "2", "2nd": "2", "latter": "2"}
# "a day after the vote": the words after the expression name an event, not the narrative's last date
_EVENT_AFTER = re.compile(r"\s+(?!(?:that|this|then|and|or|but)\b)[\w“\"'‘]")


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    regex: re.Pattern[str]
    triggers: frozenset[str]
    not_after: re.Pattern[str] | None
    not_before: re.Pattern[str] | None
    consts: tuple[tuple[str, str], ...]
    examples: tuple[Mapping[str, str], ...]
    first: frozenset[str] | None = None  # lower-cased ASCII characters a match can begin with; None: not known


@dataclass(frozen=True, eq=False)
class Phrases:
    """Token phrases with a label each, and the words they can begin and end with (a quick test)."""

    labels: Mapping[tuple[str, ...], str]
    first: frozenset[str]
    last: frozenset[str]

    @classmethod
    def of(cls, labels: Mapping[tuple[str, ...], str]) -> Phrases:
        return cls(labels, frozenset(p[0] for p in labels), frozenset(p[-1] for p in labels))

    def length_at(self, toks: list[str], i: int, ending: bool) -> int:
        """Length of the longest phrase ending (or starting) at token ``i``, 0 if none."""
        if toks[i] not in (self.last if ending else self.first):
            return 0
        for n in (3, 2, 1):
            lo = i - n + 1 if ending else i
            if lo >= 0 and lo + n <= len(toks) and tuple(toks[lo : lo + n]) in self.labels:
                return n
        return 0


@dataclass(frozen=True, eq=False)
class TimexRules:
    """Compiled rules and the word lists detection and anchoring share."""

    rules: tuple[Rule, ...]
    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    numbers: Mapping[str, int]
    ordinals: Mapping[str, int]
    seasons: Mapping[str, tuple[str, int]]
    names: Mapping[str, str]  # lower-cased month and weekday name → class (capitalised in the text)
    core_class: Mapping[str, str]  # other lower-cased core word → class
    core_keys: frozenset[str]  # name keys (namekeys.skeleton) of the core words: the quick test before the scan
    core_scan: re.Pattern[str]  # finds, in lower-cased text, each whole core word and each word starting with a digit
    core_scan_wide: re.Pattern[str]  # also digits only str.isdigit knows ("²"): slower
    other_digits: frozenset[str]  # those digits
    by_class: Mapping[str, tuple[int, ...]]  # core class → indices of the rules that need it
    lead_words: frozenset[str]  # lower-cased words a match may start with (besides digits)
    cues: Phrases  # lower-cased token phrase → forward | weak | past | aim
    breaks: frozenset[str]  # tokens that end a clause
    forward_before: Phrases  # "by" / "until" right before an expression
    forward_before_past: frozenset[str]  # "had": a "by" that looks back
    speech: Phrases  # verbs of saying
    past_suffix: str
    past_exceptions: frozenset[str]
    count_after: re.Pattern[str]
    count_before: re.Pattern[str]
    continuation: re.Pattern[str]
    holidays: Mapping[str, tuple[int, int]]  # holiday_key(name) → (month, day) every year
    named_dates: Mapping[str, str]  # "9/11" → "2001-09-11": events known by their date alone
    calendar: Mapping[str, HolidaySpec]  # holiday_key(name) → where it lies in its calendar (pipeline/calendars.py)
    dateline_before: re.Pattern[str]  # what may come before a dateline's date in its sentence
    dateline_after: re.Pattern[str]  # what follows a dateline's date
    habitual: frozenset[str]  # words that make a clause generic ("every", "usually"): a bare season is no date there


def _alternation(words: Iterable[object]) -> str:
    items = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)


# The characters of ``_other_digits`` in the Unicode version of Python 3.11 (14.0.0), as code point ranges:
# scanning all 1.1 million code points costs ~0.15 s on every build. tests/test_timex.py checks the table
# against the scan; another Unicode version scans.
OTHER_DIGITS_UNICODE = "14.0.0"
OTHER_DIGIT_RANGES = (
    (0xB2, 0xB3), (0xB9, 0xB9), (0x1369, 0x1371), (0x19DA, 0x19DA), (0x2070, 0x2070), (0x2074, 0x2079),
    (0x2080, 0x2089), (0x2460, 0x2468), (0x2474, 0x247C), (0x2488, 0x2490), (0x24EA, 0x24EA), (0x24F5, 0x24FD),
    (0x24FF, 0x24FF), (0x2776, 0x277E), (0x2780, 0x2788), (0x278A, 0x2792), (0x10A40, 0x10A43),
    (0x10E60, 0x10E68), (0x11052, 0x1105A), (0x1F100, 0x1F10A),
)  # fmt: skip


@functools.cache
def _other_digits() -> str:
    """Characters ``str.isdigit`` takes for digits that ``\\d`` does not ("²"): they begin digit words too."""
    if unicodedata.unidata_version == OTHER_DIGITS_UNICODE:
        return "".join(chr(c) for start, end in OTHER_DIGIT_RANGES for c in range(start, end + 1))
    return _scan_other_digits()


def _scan_other_digits() -> str:
    return "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isdigit() and not c.isdecimal())


def _trie(words: Iterable[str]) -> str:
    """One alternation of ``words`` sharing prefixes ("ma(?:y|r(?:ch)?)"), so re tries few branches per word start."""
    heads: dict[str, list[str]] = {}
    for word in sorted(set(words)):
        heads.setdefault(word[:1], []).append(word[1:])
    parts = []
    for head, tails in heads.items():
        if not head:
            continue
        rest = [t for t in tails if t]
        inner = f"(?:{_trie(rest)})" if rest else ""
        if rest and "" in tails:
            inner += "?"
        parts.append(re.escape(head) + inner)
    return "|".join(parts)


_ANY = None  # first_characters: any character may begin the match


def first_characters(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The ASCII characters (lower-cased) a non-empty match of ``pattern`` can begin with, or None if any may.

    A quick test before an anchored attempt: most word starts cannot begin most rules. Only plain
    letters, digits and ranges of them are followed; anything else (classes, empty matches, non-ASCII
    letters that case-fold to ASCII) gives None, so the test never rejects a position the regex accepts.
    """
    chars, nullable = _first_of(list(sre_parse.parse(pattern, flags)))
    if chars is _ANY or nullable:
        return None
    return frozenset(c.lower() for c in chars) | frozenset(c.upper() for c in chars)


def _first_of(items: list) -> tuple[set[str] | None, bool]:
    """(characters a match of the sequence ``items`` may begin with or None for any, whether it may be empty)."""
    out: set[str] = set()
    chars: set[str] | None
    for op, av in items:
        if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # zero width: what follows begins the match
        if op is sre.LITERAL:
            chars, nullable = {chr(av)}, False
        elif op is sre.IN:
            chars, nullable = _first_in(av), False
        elif op is sre.BRANCH:
            chars, nullable = set(), False
            for alternative in av[1]:
                alt_chars, alt_nullable = _first_of(list(alternative))
                if alt_chars is None:  # _ANY
                    return _ANY, False
                chars |= alt_chars
                nullable = nullable or alt_nullable
        elif op is sre.SUBPATTERN:
            chars, nullable = _first_of(list(av[3]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            chars, nullable = _first_of(list(av[2]))
            nullable = nullable or av[0] == 0
        else:
            return _ANY, False
        if chars is None or not all(c.isascii() for c in chars):  # _ANY
            return _ANY, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_in(av: list) -> set[str] | None:
    chars: set[str] = set()
    for op, value in av:
        if op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE and value[1] < 128:
            chars |= {chr(c) for c in range(value[0], value[1] + 1)}
        elif op is sre.CATEGORY and value is sre.CATEGORY_DIGIT:
            chars |= set("0123456789")  # and other decimal digits: those are never tested (see _matches)
        else:
            return _ANY
    return chars


def load_rules(data_dir: Path) -> TimexRules:
    """Read ``data_dir/timex/{words,rules}.toml`` and compile every rule once."""
    folder = Path(data_dir) / "timex"
    with open(folder / "words.toml", "rb") as fh:
        words = tomllib.load(fh)
    with open(folder / "rules.toml", "rb") as fh:
        spec = tomllib.load(fh)
    months = {k: int(v) for k, v in words["months"].items()}
    weekdays = {k: int(v) for k, v in words["weekdays"].items()}
    numbers = {k.lower(): int(v) for k, v in words["numbers"].items()}
    ordinals = {k.lower(): int(v) for k, v in words["ordinals"].items()}
    seasons = {k.lower(): (v["code"], int(v["first_month"])) for k, v in words["seasons"].items()}
    whole = [k for k in months if len(k) > 4 or k in ("May", "June", "July")]  # a month name alone, or "Feb."
    places = {
        "MONTH": rf"\b(?-i:{_alternation(months)})",
        "WEEKDAY": rf"\b(?-i:{_alternation(weekdays)})",
        "MONTH_ALONE": rf"\b(?-i:(?:{_alternation(whole)})\b"
        rf"|(?:{_alternation([k for k in months if k not in whole])})\.)",
        "NUM": rf"\b(?:{_alternation(numbers)})",
        "ORD": _alternation(ordinals),
        "PART": _alternation(words["parts"]["words"]),
        "SEASON": _alternation(seasons),
        "YEAR": r"(?:1[89]|20)\d\d",
        "DAY": r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?",
    }
    rules = []
    for item in spec["rule"]:
        pattern, regex = compile_pattern(item["pattern"], places, f"timex rule {item['name']!r}")
        rules.append(
            Rule(
                name=item["name"],
                kind=item["kind"],
                regex=regex,
                triggers=frozenset(item.get("triggers", ())),
                not_after=re.compile(
                    item["not_after"] + "$" if not item["not_after"].endswith("$") else item["not_after"]
                )
                if "not_after" in item
                else None,
                not_before=re.compile(item["not_before"], re.IGNORECASE) if "not_before" in item else None,
                consts=tuple((str(k), str(v)) for k, v in item.get("consts", {}).items()),
                examples=tuple(item.get("examples", ())),
                first=first_characters(pattern, regex.flags),
            )
        )
    # No groups and no IGNORECASE: re can then skip ahead by the first characters (about 1 µs a scan).
    names = {w.lower(): "month" for w in months} | {w.lower(): "weekday" for w in weekdays}
    core_class = {w: name for name, ws in words["core"].items() for w in ws}
    cues = words["cues"]
    phrases: dict[tuple[str, ...], str] = {}
    for kind, key in (("past", "past"), ("weak", "forward_weak"), ("forward", "forward"), ("aim", "forward_aim")):
        phrases |= {tuple(tokens(w)): kind for w in cues[key]}
    years = words["years"]
    core_words = frozenset(names) | frozenset(core_class) | {"q1", "q2", "q3", "q4"}  # lower-cased core words and names
    core_trie = _trie(core_words)
    return TimexRules(
        rules=tuple(rules),
        months={k.lower(): v for k, v in months.items()},
        weekdays={k.lower(): v for k, v in weekdays.items()},
        numbers=numbers,
        ordinals=ordinals,
        seasons=seasons,
        names=names,
        core_class=core_class,
        core_keys=frozenset(skeleton(w) for w in core_words),
        core_scan=re.compile(rf"\b(?:(?:{core_trie})\b|\d\w*)"),
        core_scan_wide=re.compile(rf"\b(?:(?:{core_trie})\b|[\d{re.escape(_other_digits())}]\w*)"),
        other_digits=frozenset(_other_digits()),
        by_class={
            c: tuple(k for k, r in enumerate(rules) if c in r.triggers) for c in {t for r in rules for t in r.triggers}
        },
        lead_words=frozenset(w.lower() for w in spec["lead_words"])
        | frozenset(w.lower() for w in list(months) + list(weekdays) + list(numbers) + list(seasons))
        | frozenset(core_class),
        cues=Phrases.of(phrases),
        # brackets do not end a clause: "to begin at 11.59pm local time (8.59pm GMT) on Wednesday"
        breaks=frozenset(tokens(" ".join(cues["clause_break"]))) | (frozenset(_PUNCTUATION) - {"(", ")"}),
        forward_before=Phrases.of({tuple(tokens(w)): "by" for w in cues["forward_before"]}),
        forward_before_past=frozenset(w.lower() for w in cues["forward_before_past"]),
        speech=Phrases.of({tuple(tokens(w)): "speech" for w in cues["speech"]}),
        past_suffix=cues.get("past_suffix", "ed"),
        past_exceptions=frozenset(w.lower() for w in cues.get("past_suffix_exceptions", ())),
        count_after=re.compile(rf"\s*(?:(?:{_alternation(years['count_after'])})\b|[%$])", re.I),
        count_before=re.compile(rf"(?:\b(?:{_alternation(years['count_before'])})|[#$€£©])\s*$", re.I),
        continuation=re.compile(rf"\s*[\"“]?(?:{_alternation(words['continuation']['openers'])})\b", re.I),
        holidays={holiday_key(k): _month_day(v) for k, v in words["holidays"]["fixed"].items()},
        calendar={holiday_key(k): spec_of(v) for k, v in words["holidays"]["calendar"].items()},
        named_dates={str(k): str(v) for k, v in words.get("named_dates", {}).items()},
        habitual=frozenset(w.lower() for w in cues.get("habitual", ())),
        dateline_before=re.compile(spec["dateline_before"]),
        dateline_after=re.compile(spec["dateline_after"]),
    )


def holiday_key(name: str) -> str:
    """'eid al adha' for 'Eid ul-Adha', 'new year's eve' for 'New Year’s  Eve': the key of the holiday tables."""
    key = " ".join(re.split(r"[\s-]+", name.lower().replace("’", "'")))
    return key.replace(" ul ", " al ").replace(" el ", " al ")


def _month_day(text: str) -> tuple[int, int]:
    month, day = text.split("-")
    return int(month), int(day)


def ascii_lower(text: str) -> str:
    """``text`` with only A-Z lower-cased, so offsets stay those of ``text`` (unlike ``str.lower``).

    The same as ``text.translate(_ASCII_LOWER)``, about ten times faster on text that is not pure
    ASCII (curly quotes, dashes): UTF-8 bytes of other characters are never ASCII letters.
    """
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def tokens(text: str) -> list[str]:
    """Lower-cased words and clause punctuation, the units the cue lists are written in."""
    return _TOKEN.findall(ascii_lower(text))


def detect(sentence: Sentence, rules: TimexRules, date_order: str) -> list[TimeExpr]:
    """Temporal expressions of one sentence, with document offsets, in text order."""
    text = sentence.text
    if not may_hold_a_date(text, rules):
        return []  # two sentences in three, on the bench: the scan below costs ~20 times this test
    low = ascii_lower(text)  # keeps offsets, unlike str.lower
    hits: dict[str, list[tuple[int, int]]] = {}
    scan = rules.core_scan if low.isascii() or rules.other_digits.isdisjoint(low) else rules.core_scan_wide
    for m in scan.finditer(low):  # whole core words and digit words: most sentences have none
        start, end = m.span()
        word = m.group()
        name = rules.core_class.get(word)
        if name is None:
            if word in rules.names and text[start].isupper():
                name = rules.names[word]
            elif word[0].isdigit():
                name = _digit_class(low, start, end, word)
            elif word[0] == "q" and len(word) == 2 and word[1] in "1234":
                name = "quarter"
        if name:
            hits.setdefault(name, []).append((start, end))
    if not hits:
        return []
    starts: dict[int, list[int]] = {}  # core start → where a match containing it may begin
    lead = rules.lead_words
    for spans in hits.values():
        for core_start, _ in spans:
            if core_start not in starts:  # the words starting at most _WINDOW_BACK characters before the core
                starts[core_start] = [
                    w.start()
                    for w in _WORD_START.finditer(low, max(0, core_start - _WINDOW_BACK), core_start)
                    if w.group() in lead or w.group()[0].isdigit()
                ] + [core_start]
    found: list[tuple[int, int, int, dict[str, str]]] = []
    for order in sorted({k for name in hits for k in rules.by_class.get(name, ())}):
        rule = rules.rules[order]
        spans = [span for name in rule.triggers for span in hits.get(name, ())]
        for match in _matches(rule, text, spans, starts):
            start = match.end("pre") if "pre" in rule.regex.groupindex and match.group("pre") else match.start()
            end = match.end()
            if end <= start:
                continue
            if rule.not_after and rule.not_after.search(text[max(0, start - 40) : start]):
                continue
            if rule.not_before and rule.not_before.match(text, end):
                continue
            fields = _canonical(rule, match, text, start, end, rules, date_order)
            if fields is not None:
                found.append((start, end, order, fields))
    chosen: list[tuple[int, int, int, dict[str, str]]] = []
    for cand in sorted(found, key=lambda c: (c[0] - c[1], c[0], c[2])):
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    chosen.sort()
    if chosen and chosen[0][3].get("day") and chosen[0][3].get("kind") == "date":
        chosen = _without_datelines(text, chosen, rules)
    for s, e, order, fields in list(chosen):
        if fields.get("kind") == "date" and fields.get("day") and not fields.get("year"):
            chosen.extend(_listed_days(text, e, order, fields, chosen, rules))
        if "ends" in fields:  # each end of a range is a value of its own, after the range (the period)
            for k, span in enumerate(fields.pop("ends").split(",")):
                lo, hi = span.split(":")
                end_fields = {"kind": "range_end", "end": str(k + 1), "range_start": str(sentence.start + s)}
                chosen.append((int(lo), int(hi), order, end_fields))
    chosen.sort(key=lambda c: (c[0], -c[1]))
    return [
        TimeExpr(
            text=text[s:e],
            start=sentence.start + s,
            end=sentence.start + e,
            rule=rules.rules[order].name,
            underspecified=underspecified(fields),
            fields=tuple(sorted(fields.items())),
        )
        for s, e, order, fields in chosen
    ]


_LISTED_DAY = re.compile(r"(?P<join>\s*,\s*(?:and\s+)?|\s+and\s+)(?P<day>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?)\b")
_NOT_AFTER_LIST = re.compile(r"\s*(?:[-–/%.:]\s*\d|\d|%)")  # "10 and 22.5", "10 and 22%"


def _listed_days(
    text: str, end: int, order: int, fields: dict[str, str], chosen: list[tuple[int, int, int, dict[str, str]]],
    rules: TimexRules,
) -> list[tuple[int, int, int, dict[str, str]]]:
    """The days listed after a month-day, "December 8, 10 and 22": each a date of its own in the same month.

    Not when a count follows ("on March 5, 10 and 12 soldiers died").
    """
    days: list[tuple[int, int, int]] = []
    at, last, joined_by_and = end, int(fields["day"]), False
    while m := _LISTED_DAY.match(text, at):
        day = int(_NON_DIGITS.sub("", m.group("day")))
        if day <= last:
            return []
        days.append((m.start("day"), m.end("day"), day))
        last, at, joined_by_and = day, m.end(), "and" in m.group("join")
        if joined_by_and:
            break
    if not days or not joined_by_and or _NOT_AFTER_LIST.match(text, at) or rules.count_after.match(text, at):
        return []
    if any(not (hi <= c[0] or lo >= c[1]) for lo, hi, _ in days for c in chosen):
        return []
    month = int(fields["month"])
    return [(lo, hi, order, {"kind": "date", "month": str(month), "day": str(day), "listed": "1"})
            for lo, hi, day in days if day <= calendar.monthrange(2000, month)[1]]  # fmt: skip


def _without_datelines(
    text: str, chosen: list[tuple[int, int, int, dict[str, str]]], rules: TimexRules
) -> list[tuple[int, int, int, dict[str, str]]]:
    """``chosen`` less the dates of a dateline or date line at the start of the sentence (see rules.toml)."""
    at = 0
    for k, (s, e, _, fields) in enumerate(chosen):
        before = rules.dateline_before.match(text[at:s])
        if not (before and fields.get("day") and fields.get("kind") == "date"):
            return chosen[k:]
        after = rules.dateline_after.match(text, e)
        body = after is not None and text[after.end() : after.end() + 1].isupper()  # "(IANS) The Taliban…"
        ends = bool(after and (after.group("dash") or (after.group("agency") and body)))
        if not before.group("label") and not ends:
            return chosen[k:]
        if not fields.get("year") and not (ends and before.group("place")):  # "KABUL, May 4 (Reuters) -"
            return chosen[k:]
        at = e
    return []


def _range_ends(match: re.Match[str]) -> str:
    """'start:end,start:end' of the two ends of a range match: "12" and "14 May", "June 3" and "5", "1998", "99"."""
    g = match.groupdict()
    if g.get("y1"):
        first, second = match.span("y1"), match.span("y2")
    elif g.get("d1") and match.start("m1") < match.start("d1"):  # June 3 and (June) 5[, 2020]
        first = (match.start("m1"), match.end("d1"))
        second = (match.start("m2") if g.get("m2") else match.start("d2"), match.end())
    elif g.get("d1"):  # 12-14 May[ 2020]
        first, second = match.span("d1"), (match.start("d2"), match.end())
    else:  # March-April[ 2020]
        first, second = match.span("m1"), (match.start("m2"), match.end())
    return f"{first[0]}:{first[1]},{second[0]}:{second[1]}"


def may_hold_a_date(text: str, rules: TimexRules) -> bool:
    """Whether a word of ``text`` may be one the core scan finds: a core word or a word opening with a digit.

    Read from the sentence's shared tokens (namekeys.tokens_of), whose keys are lower-cased like the
    scan's text, and many-to-one (doubled letters once), so a core word's key is never missed; a word with
    an apostrophe inside ("o'clock") is read by the scan as two words, so it sends the sentence on too.
    """
    keys = rules.core_keys
    for token in tokens_of(text):
        if token.key in keys or token.key[:1].isdigit() or "'" in token.text:
            return True
    return False


def _digit_class(low: str, start: int, end: int, word: str) -> str:
    """digit4 for a four-digit number ("2018", "1990s"), numdate for "13.02.2020" or "5/3/2020"."""
    if end + 1 < len(low) and low[end] in "./" and low[end + 1].isdigit():
        return "numdate"
    if len(word) >= 4 and word[:4].isdigit():
        return "digit4"
    if len(word) == 3 and word[1:] == "0s" and start > 0 and low[start - 1] in "'’":
        return "decade_short"
    return ""


def _matches(rule: Rule, text: str, spans: list[tuple[int, int]], starts: dict[int, list[int]]) -> list[re.Match[str]]:
    """Matches of the rule's regex that contain one of ``spans`` (core words).

    Each is tried anchored at the few word starts shortly before its core, earliest first: a handful
    of anchored attempts costs far less than scanning the sentence with leading optional groups.
    Starts whose character cannot begin a match of the rule are skipped without calling re.
    """
    regex, first = rule.regex, rule.first
    found: dict[tuple[int, int], re.Match[str]] = {}
    for core_start, core_end in spans:
        for at in starts[core_start]:
            if first is not None and text[at] not in first and text[at].isascii():
                continue
            m = regex.match(text, at)
            if m and m.end() >= core_end:
                found.setdefault(m.span(), m)
                break
    return list(found.values())


def _first(groups: Mapping[str, str | None], *names: str) -> str:
    for name in names:
        value = groups.get(name)
        if value:
            return value
    return ""


def _canonical(
    rule: Rule, match: re.Match[str], text: str, start: int, end: int, rules: TimexRules, date_order: str
) -> dict[str, str] | None:
    """The fields ``resolve`` reads, or None when the match is not a date after all."""
    g = match.groupdict()
    f: dict[str, str] = {"kind": rule.kind, **dict(rule.consts)}
    mod = _first(g, "mod").lower()
    if mod and _MODS[mod]:
        f["mod"] = _MODS[mod]
    if g.get("since") or (g.get("on") or "").lower() == "since":
        f["since"] = "1"
    rel = _first(g, "rel", "rel2").lower()
    if rel:
        rel = _SPACES.sub(" ", rel)
    if rel:
        f["rel"] = _REL_WORDS.get(rel, rel)
    if _first(g, "year_rel"):
        f["year_rel"] = g["year_rel"].lower()  # type: ignore[union-attr]
    year = _first(g, "year", "year2")
    if year:
        f["year"] = year
    if rule.kind == "named_date":
        y, m, d = rules.named_dates[g["named"]].split("-")  # type: ignore[index]
        f.update(kind="date", year=str(int(y)), month=str(int(m)), day=str(int(d)), named="1")
        return f
    if rule.kind in ("date", "numeric_date"):
        if rule.kind == "numeric_date":
            a, b = int(g["a"]), int(g["b"])  # type: ignore[arg-type]
            day_first = date_order.upper().startswith("D")
            if a > 12 and b <= 12:
                day_first = True
            elif b > 12 and a <= 12:
                day_first = False
            elif a > 12 and b > 12:
                return None
            elif a != b:
                f["ambiguous"] = "DMY" if not day_first else "MDY"
            day, month = (a, b) if day_first else (b, a)
            f["order"] = "DMY" if day_first else "MDY"
        else:
            month_name = _first(g, "month", "month2")
            month = int(g["month_num"]) if g.get("month_num") else rules.months[month_name.rstrip(".").lower()]  # type: ignore[arg-type]
            day_text = _first(g, "day", "day2")
            day = int(_NON_DIGITS.sub("", day_text)) if day_text else 0
        if day and day > calendar.monthrange(int(year) if year else 2000, month)[1]:
            return None
        f["month"] = str(month)
        if day:
            f["day"] = str(day)
        if g.get("weekday"):
            f["weekday"] = str(rules.weekdays[g["weekday"].lower()])
    elif rule.kind == "year":
        if rules.count_after.match(text, end) or rules.count_before.search(text[max(0, start - 20) : start]):
            return None
    elif rule.kind == "decade":
        f["decade"] = g["decade"][:3] if g.get("decade") else ("19" if g["decade2"] >= "20" else "20") + g["decade2"][0]  # type: ignore[index]
    elif rule.kind == "century":
        f["century"] = str(int(g["century"]) - 1)  # type: ignore[arg-type]
    elif rule.kind == "half":
        f["half"] = _HALVES[g["ord"].lower()]  # type: ignore[union-attr]
    elif rule.kind == "weekday":
        f["weekday"] = str(rules.weekdays[g["weekday"].lower()])  # type: ignore[union-attr]
        if g.get("part"):
            f["part"] = g["part"].lower()  # type: ignore[union-attr]
    elif rule.kind == "deictic":
        word = _SPACES.sub(" ", g["word"].lower())  # type: ignore[union-attr]
        offsets = {"yesterday": -1, "tomorrow": 1, "overnight": -1, "last night": -1,
                   "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip
        f["offset"] = str(offsets.get(word, 0))
        f["word"] = word
        if g.get("gloss"):  # "Today (Wednesday night)": the day the writer glosses it as
            f["weekday"] = str(rules.weekdays[g["gloss"].lower()])
        f["unit"] = "day"
    elif rule.kind in ("period", "ago", "anaphora", "past_span"):
        unit = _first(g, "unit", "unit2", "unit3").lower()
        f["unit"] = "day" if unit in _DAY_UNITS else unit
        if g.get("n"):
            n = g["n"].lower()  # type: ignore[union-attr]
            f["n"] = str(rules.numbers[n] if n in rules.numbers else int(n))
        which = _first(g, "which", "which2").lower()
        if rule.kind == "ago":
            f["offset"] = str(-int(f["n"]))
        elif rule.kind == "anaphora" and which:
            f["offset"] = str(_SHIFT_SIGN[which] * int(f.get("n", "1")))
            if which in ("after", "before") and _EVENT_AFTER.match(text, end):
                f["event"] = text[end : end + 60].strip()
    elif rule.kind == "holiday":
        key = holiday_key(g["holiday"])  # type: ignore[arg-type]
        f["holiday"] = key
        if g.get("year_after"):
            f["year"] = g["year_after"]  # type: ignore[assignment]
        if g.get("first"):
            f["first"] = "1"
        elif g.get("hday"):  # "27 Ramadan": a day of the month the holiday is
            f["first"], f["hday"] = "1", g["hday"]  # type: ignore[assignment]
        if key in rules.holidays:  # a fixed date: a month-day like any other
            f["kind"] = "date"
            f["month"], f["day"] = [str(n) for n in rules.holidays[key]]
        elif key not in rules.calendar:
            return None
    elif rule.kind == "week_of_month":
        which = g["ord"].lower()  # type: ignore[union-attr]
        f["week"] = "L" if which in ("last", "final") else str(rules.ordinals[which])
        if g.get("month"):
            f["month"] = str(rules.months[g["month"].rstrip(".").lower()])
        else:
            f["rel"] = "this" if rel == "the" else rel
    elif rule.kind == "season":
        code, first_month = rules.seasons[_first(g, "season", "season2").lower()]
        f["season"] = code
        f["season_month"] = str(first_month)
    elif rule.kind == "quarter":
        q = _first(g, "q", "q2")
        which = _first(g, "ord").lower()
        f["quarter"] = q if q else "4" if which == "last" else str(rules.ordinals[which])
    elif rule.kind == "edge":
        f["mod"] = _EDGES[(_first(g, "edge") or f.pop("edge", "")).lower()]
        if g.get("by"):
            f["by"] = "1"
        if g.get("month"):
            f["month"] = str(rules.months[g["month"].rstrip(".").lower()])
        elif g.get("unit") and not year:
            f["unit"] = g["unit"].lower()
            f["rel"] = "this" if rel in ("the", "") else rel
    elif rule.kind == "range":
        if (g.get("join") or "").strip().lower() == "and" and not g.get("between"):
            return None  # "in 2016 and 2017" names two years, not a range
        f["ends"] = _range_ends(match)
        if g.get("y1"):
            y1, y2 = int(g["y1"]), g["y2"]  # type: ignore[arg-type]
            y2n = int(y2) if len(y2) == 4 else (y1 // 100) * 100 + int(y2)  # type: ignore[arg-type]
            if y2n <= y1:
                return None
            f.update(y1=str(y1), y2=str(y2n))
        else:
            m1 = rules.months[g["m1"].lower()]  # type: ignore[union-attr]
            m2 = rules.months[g["m2"].lower()] if g.get("m2") else m1  # type: ignore[union-attr]
            f.update(m1=str(m1), m2=str(m2))
            if g.get("d1"):
                d1, d2 = int(_NON_DIGITS.sub("", g["d1"])), int(_NON_DIGITS.sub("", g["d2"]))  # type: ignore[arg-type]
                if (m2, d2) <= (m1, d1) and m2 >= m1:
                    return None
                f.update(d1=str(d1), d2=str(d2))
            elif m2 == m1:
                return None
    return f


def underspecified(f: Mapping[str, str]) -> str:
    """HeidelTime-style form of canonical fields: ``UNDEF-last-friday``, ``UNDEF-year-03-05``, ``2018``."""
    kind = f.get("kind", "")
    year = f.get("year", "UNDEF-year")
    rel = f.get("rel", "")
    suffix = f"-{f['mod']}" if f.get("mod") else ""
    if kind in ("date", "numeric_date"):
        if f.get("year_rel"):
            year = f"UNDEF-{f['year_rel']}-year"
        if rel:
            year = f"UNDEF-{rel}-year"
        day = f"-{int(f['day']):02d}" if f.get("day") else ""
        return f"{year}-{int(f['month']):02d}{day}{suffix}"
    if kind == "year":
        return f"{f['year']}{suffix}"
    if kind == "decade":
        return f"{f['decade']}{suffix}"
    if kind == "century":
        return f"{f['century']}{suffix}"
    if kind == "half":
        year = f"UNDEF-{f['year_rel']}-year" if f.get("year_rel") else year
        return f"{year}-H{f['half']}"
    if kind == "this_day":
        return f"{f['year']}-UNDEF-this-month-day"
    if kind == "past_span":
        return f"UNDEF-past-{f['unit']}"
    if kind == "range_end":
        return f"UNDEF-range-end{f['end']}"
    if kind == "weekday":
        name = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[int(f["weekday"]) - 1]
        return f"UNDEF-{rel + '-' if rel else ''}{name}"
    if kind in ("deictic", "ago"):
        off = int(f["offset"])
        return f"UNDEF-this-{f['unit']}" + (f"-{'PLUS' if off > 0 else 'MINUS'}-{abs(off)}" if off else "")
    if kind == "period":
        return f"UNDEF-{rel}-{f['unit']}{suffix}"
    if kind == "anaphora":
        off = int(f.get("offset", "0"))
        return f"UNDEF-REF-{f['unit']}" + (f"-{'PLUS' if off > 0 else 'MINUS'}-{abs(off)}" if off else "")
    if kind == "season":
        return f"{year if 'year' in f else 'UNDEF-' + (rel + '-' if rel else '') + 'year'}-{f['season']}{suffix}"
    if kind == "holiday":
        return f"{year}-{f['holiday'].replace(' ', '_')}"
    if kind == "week_of_month":
        month = f"{year}-{int(f['month']):02d}" if f.get("month") else f"UNDEF-{rel}-month"
        return f"{month}-week{f['week']}"
    if kind == "quarter":
        if f.get("year_rel"):
            year = f"UNDEF-{f['year_rel']}-year"
        return f"{year}-Q{f['quarter']}"
    if kind == "edge":
        if f.get("unit"):
            return f"UNDEF-{f.get('rel', 'this')}-{f['unit']}{suffix}"
        return f"{year}-{int(f['month']):02d}{suffix}" if f.get("month") else f"{year}{suffix}"
    if kind == "range":
        if f.get("y1"):
            return f"{f['y1']}/{f['y2']}"
        d1 = f"-{int(f['d1']):02d}" if f.get("d1") else ""
        d2 = f"-{int(f['d2']):02d}" if f.get("d2") else ""
        return f"{year}-{int(f['m1']):02d}{d1}/{year}-{int(f['m2']):02d}{d2}"
    return "UNDEF"
