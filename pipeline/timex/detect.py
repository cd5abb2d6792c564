"""Temporal expressions of a sentence (``detect``), written underspecified.

``detect`` makes one pass over the words of a sentence to find core words (most sentences have none and stop
there), tries each rule anchored at the few words just before each core word, keeps the longest
non-overlapping matches, and writes each one HeidelTime style (``UNDEF-last-friday``, ``UNDEF-year-03-05``,
``2018``) with canonical ``fields`` for ``resolve``. Only expressions that name a calendar date or period are
returned: durations ("two weeks") and vague words ("now", "recently") have no rule. A range ("March-April",
"12-14 May") is returned with each of its ends after it, days listed after a month-day ("December 8, 10 and
22") each on its own, and the date of a dateline is dropped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping

from pipeline.namekeys import tokens_of
from pipeline.records import Sentence, TimeExpr
from pipeline.timex.rules import Rule, TimexRules, ascii_lower, holiday_key

_WINDOW_BACK = 40  # characters a match may start before its core word
_SPACES = re.compile(r"\s+")
_NON_DIGITS = re.compile(r"\D")
_WORD_START = re.compile(r"\b\w+")  # a whole word even when the search starts inside the one before
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


_CLOCK = re.compile(r"\d{1,2}(?::[0-5]\d|\s?[ap]\.m\.|\s?[ap]m\b)")  # a time of day: "1:40", "8 a.m.", "8pm"


def _digit_class(low: str, start: int, end: int, word: str) -> str:
    """digit4 for a four-digit number ("2018", "1990s"), numdate for "13.02.2020" or "5/3/2020", clock for a time
    of day ("1:40pm", "8 a.m.")."""
    if len(word) <= 4 and _CLOCK.match(low, start):
        return "clock"
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
        unit = _first(g, "unit", "unit2", "unit3").lower() or f.get("unit", "")  # (or the rule's: a time of day)
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
    if kind in ("year", "decade", "century"):  # "2018", "199" (the 1990s), "19" (the 20th century)
        return f"{f[kind]}{suffix}"
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
