"""Event types: an ACLED-like typology assigned from trigger words, as data in ``data/event_types.csv``.

Each type lists its trigger words (``*`` ends a stem: ``clash*`` matches "clashes").
A sentence gets the type whose trigger comes first, since the main clause usually
leads ("threatened to strike" is a threat, "opened fire, killing protesters" a
strike, "agreed on a ceasefire after fighting" an agreement); the priority breaks
ties, and a ``fallback`` type (statements: "said") counts only when nothing else
fits. Nothing at all gives "".
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from itertools import accumulate, compress
from pathlib import Path

from pipeline import patterns
from pipeline.namekeys import tokens_of

EVENT_TYPES_FILE = "event_types.csv"
# The first (up to) three word characters of each word: where a trigger may start.
_HEAD = re.compile(r"((?<!\w)\w{1,3})")  # (the lookbehind is cheaper than \b in the regex engine)


@dataclass(frozen=True)
class EventType:
    name: str
    priority: int
    pattern: re.Pattern[str]
    example: str = ""
    fallback: bool = False


@dataclass(frozen=True)
class EventTypeRules:
    types: tuple[EventType, ...]  # most urgent first
    # One scan finds the first trigger: a group per type, in priority order (so a tie goes to the
    # more urgent type); fallback types have their own pattern, tried only when nothing else fits.
    main: re.Pattern[str] | None = None
    fallback: re.Pattern[str] | None = None
    # The first three letters of every trigger of main / fallback types: a trigger can only start at a
    # word that opens with one of them, so only those words are tried (None: a trigger is too short to tell).
    main_heads: frozenset[str] | None = None
    fallback_heads: frozenset[str] | None = None
    main_names: tuple[str, ...] = ()
    fallback_names: tuple[str, ...] = ()


def _combined(types: list[EventType]) -> re.Pattern[str] | None:
    if not types:
        return None
    return patterns.compile("|".join(f"(?P<t{k}>{t.pattern.pattern})" for k, t in enumerate(types)))


def trigger_heads(triggers: list[str]) -> frozenset[str] | None:
    """What the first (up to three) word characters of a text matching each trigger can be.

    "clash*" -> "cla"; "de-escalation" -> "de" ("de escalation") and "dee" ("deescalation"). None when a
    trigger does not open with a letter (then every position must be tried).
    """
    heads: set[str] = set()
    for trigger in triggers:
        lower = trigger.lower()
        lead = re.match(r"[a-z]+", lower)
        joined = re.match(r"[a-z]+", lower.replace("-", ""))
        if lead is None or joined is None:
            return None
        heads.update((lead.group()[:3], joined.group()[:3]))
    return frozenset(heads)


def _heads(rows: list[tuple[EventType, list[str]]]) -> frozenset[str] | None:
    parts = [trigger_heads(triggers) for _, triggers in rows]
    return None if any(p is None for p in parts) else frozenset[str]().union(*[p for p in parts if p is not None])


def trigger_pattern(triggers: list[str]) -> re.Pattern[str]:
    """One case-insensitive whole-word pattern for a type's triggers ("air strike*" -> air\\s+strike\\w*)."""
    parts = []
    for trigger in sorted((t.lower() for t in triggers), key=len, reverse=True):
        stem = trigger.endswith("*")
        words = [re.escape(w) for w in trigger.rstrip("*").split()]
        parts.append(r"[\s-]+".join(words).replace(r"\-", r"[\s-]?") + (r"\w*" if stem else ""))
    return patterns.compile(r"\b(?:" + "|".join(parts) + r")\b")  # matched against lower-cased text


def load_rules(data_dir: Path) -> EventTypeRules:
    with open(data_dir / EVENT_TYPES_FILE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    types = []
    triggers_of: dict[int, list[str]] = {}
    for row in rows:
        triggers = [t.strip() for t in row["triggers"].split("|") if t.strip()]
        if not row["event_type"].strip() or not triggers:
            raise ValueError(f"{EVENT_TYPES_FILE}: a row needs event_type and triggers: {row}")
        fallback = (row.get("fallback") or "").strip().lower() in ("yes", "true", "1")
        types.append(EventType(row["event_type"].strip(), int(row["priority"]), trigger_pattern(triggers),
                               (row.get("example") or "").strip(), fallback))  # fmt: skip
        triggers_of[id(types[-1])] = triggers
    ordered = sorted(types, key=lambda t: t.priority)
    main = [t for t in ordered if not t.fallback]
    rest = [t for t in ordered if t.fallback]
    return EventTypeRules(
        types=tuple(ordered),
        main=_combined(main),
        fallback=_combined(rest),
        main_heads=_heads([(t, triggers_of[id(t)]) for t in main]),
        fallback_heads=_heads([(t, triggers_of[id(t)]) for t in rest]),
        main_names=tuple(t.name for t in main),
        fallback_names=tuple(t.name for t in rest),
    )


def _first_match(
    lower: str, pattern: re.Pattern[str], heads: frozenset[str] | None, parts: list[str], starts: list[int]
) -> re.Match[str] | None:
    """``pattern.search(lower)``, trying the pattern only where a word opens with a trigger's first letters.

    Every trigger opens with a letter after a word boundary, so the leftmost match starts at one of
    those words, and ``match`` there (the boundary sees the letter before ``pos``) picks the same group.
    ``parts`` is ``lower`` split around each word's head; ``starts`` (filled once, when needed) the offsets.
    """
    if heads is None:
        return pattern.search(lower)
    words = parts[1::2]
    for k in compress(range(len(words)), map(heads.__contains__, words)):
        if not starts:
            starts.extend(accumulate(map(len, parts), initial=0))
        found = pattern.match(lower, starts[2 * k + 1])
        if found is not None:
            return found
    return None


def _word_heads(text: str) -> tuple[list[str], list[int]] | None:
    r"""The head of each word and where it starts, read from the sentence's tokens (already made by the actor
    and place stages, so no second scan of the text); None when the tokens cannot tell (see ``classify``).

    In ASCII text without apostrophes a word (``\w`` run) that can open a trigger starts with a letter, so it
    starts a token there too, and its first three characters are the token's.
    """
    if "'" in text or not text.isascii():
        return None
    tokens = tokens_of(text)
    return [t.text[:3].lower() for t in tokens], [t.start for t in tokens]


def _first_token_match(
    lower: str, pattern: re.Pattern[str], heads: frozenset[str], words: list[str], starts: list[int]
) -> re.Match[str] | None:
    """``_first_match`` over token heads: the same positions in the same order, so the same first match."""
    for k in range(len(words)):
        if words[k] in heads:
            found = pattern.match(lower, starts[k])
            if found is not None:
                return found
    return None


def named_type(match: re.Match[str] | None, names: tuple[str, ...]) -> str:
    """The type a match of a combined trigger pattern (``EventTypeRules.main``, ``.fallback``) found: the name of its
    group (``t<k>``: ``names[k]``); "" for no match."""
    return names[int(match.lastgroup[1:])] if match is not None and match.lastgroup is not None else ""


def classify(text: str, rules: EventTypeRules) -> str:
    """The type whose trigger comes first in ``text`` (fallback types last); "" when nothing fits."""
    lower = text.lower()
    if rules.main_heads is not None and rules.fallback_heads is not None:
        heads = _word_heads(text)
        if heads is not None:
            words, offsets = heads  # (passed one by one: compiled, a call with *heads is a generic one, ~10,000
            for pattern, first, names in (  # instructions a sentence)
                (rules.main, rules.main_heads, rules.main_names),
                (rules.fallback, rules.fallback_heads, rules.fallback_names),
            ):
                kind = named_type(_first_token_match(lower, pattern, first, words, offsets), names) if (
                    pattern is not None) else ""
                if kind:
                    return kind
            return ""
    parts = _HEAD.split(lower)  # gap, head, gap, head, ...: C-level, the offsets only when a head fits
    starts: list[int] = []
    for pattern, head_set, names in (
        (rules.main, rules.main_heads, rules.main_names),
        (rules.fallback, rules.fallback_heads, rules.fallback_names),
    ):
        kind = named_type(_first_match(lower, pattern, head_set, parts, starts), names) if pattern is not None else ""
        if kind:
            return kind
    return ""
