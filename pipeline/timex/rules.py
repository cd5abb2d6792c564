"""The date rules, loaded: ``data/timex/rules.toml`` (each rule a regular expression with named groups and the
class of core words every match contains: a month name, a weekday, a unit such as "week", a four-digit
number...) and the word lists of ``words.toml``, compiled once per build, with the characters each rule's
match may begin with (``first_characters``) and the tokens the cue lists are written in."""

from __future__ import annotations

import functools
import re
import re._constants as sre
import re._parser as sre_parse
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline import patterns
from pipeline.calendars import HolidaySpec, spec_of
from pipeline.namekeys import skeleton
from pipeline.rulefiles import alternation, compile_pattern

_PUNCTUATION = ',;:()“”"—–.'
_TOKEN = re.compile(r"\d+(?:[.:]\d+)+\w*|[\w]+|['’]ll\b|[,;:()“”\"—–.]")  # "11.59pm" is one word
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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
    named_event: re.Pattern[str]  # after a day: up to four words and an event noun ("the April 22 ... attack")
    named_event_days: int  # how far before publication such a day no longer dates a bare time of day after it
    calendar: Mapping[str, HolidaySpec]  # holiday_key(name) → where it lies in its calendar (pipeline/calendars.py)
    dateline_before: re.Pattern[str]  # what may come before a dateline's date in its sentence
    dateline_after: re.Pattern[str]  # what follows a dateline's date
    habitual: frozenset[str]  # words that make a clause generic ("every", "usually"): a bare season is no date there


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
    return patterns.remembered("first characters", f"{flags}:{pattern}", lambda: _first_characters(pattern, flags))


def _first_characters(pattern: str, flags: int) -> frozenset[str] | None:
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
    words = patterns.load_toml(folder / "words.toml")
    spec = patterns.load_toml(folder / "rules.toml")
    months = {k: int(v) for k, v in words["months"].items()}
    weekdays = {k: int(v) for k, v in words["weekdays"].items()}
    numbers = {k.lower(): int(v) for k, v in words["numbers"].items()}
    ordinals = {k.lower(): int(v) for k, v in words["ordinals"].items()}
    seasons = {k.lower(): (v["code"], int(v["first_month"])) for k, v in words["seasons"].items()}
    whole = [k for k in months if len(k) > 4 or k in ("May", "June", "July")]  # a month name alone, or "Feb."
    places = {
        "MONTH": rf"\b(?-i:{alternation(months)})",
        "WEEKDAY": rf"\b(?-i:{alternation(weekdays)})",
        "MONTH_ALONE": rf"\b(?-i:(?:{alternation(whole)})\b"
        rf"|(?:{alternation([k for k in months if k not in whole])})\.)",
        "NUM": rf"\b(?:{alternation(numbers)})",
        "ORD": alternation(ordinals),
        "PART": alternation(words["parts"]["words"]),
        "SEASON": alternation(seasons),
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
                not_after=patterns.compile(
                    item["not_after"] + "$" if not item["not_after"].endswith("$") else item["not_after"]
                )
                if "not_after" in item
                else None,
                not_before=patterns.compile(item["not_before"], re.IGNORECASE) if "not_before" in item else None,
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
    for kind, key in (("past", "past"), ("weak", "forward_weak"), ("forward", "forward"), ("aim", "forward_aim"),
                      ("", "cause")):  # fmt: skip
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
        core_scan=patterns.compile(rf"\b(?:(?:{core_trie})\b|\d\w*)"),
        core_scan_wide=patterns.compile(rf"\b(?:(?:{core_trie})\b|[\d{re.escape(_other_digits())}]\w*)"),
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
        count_after=patterns.compile(rf"\s*(?:(?:{alternation(years['count_after'])})\b|[%$])", re.I),
        count_before=patterns.compile(rf"(?:\b(?:{alternation(years['count_before'])})|[#$€£©])\s*$", re.I),
        continuation=patterns.compile(rf"\s*[\"“]?(?:{alternation(words['continuation']['openers'])})\b", re.I),
        holidays={holiday_key(k): _month_day(v) for k, v in words["holidays"]["fixed"].items()},
        calendar={holiday_key(k): spec_of(v) for k, v in words["holidays"]["calendar"].items()},
        named_dates={str(k): str(v) for k, v in words.get("named_dates", {}).items()},
        named_event=patterns.compile(
            rf"\s+(?:[\w'’-]+\s+){{0,4}}?(?:{alternation(words['named_events']['nouns'])})\b", re.I
        ),
        named_event_days=int(words["named_events"]["days"]),
        habitual=frozenset(w.lower() for w in cues.get("habitual", ())),
        dateline_before=patterns.compile(spec["dateline_before"]),
        dateline_after=patterns.compile(spec["dateline_after"]),
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
