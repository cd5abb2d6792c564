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
from pathlib import Path

EVENT_TYPES_FILE = "event_types.csv"


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


def _combined(types: list[EventType]) -> re.Pattern[str] | None:
    if not types:
        return None
    return re.compile("|".join(f"(?P<t{k}>{t.pattern.pattern})" for k, t in enumerate(types)))


def trigger_pattern(triggers: list[str]) -> re.Pattern[str]:
    """One case-insensitive whole-word pattern for a type's triggers ("air strike*" -> air\\s+strike\\w*)."""
    parts = []
    for trigger in sorted((t.lower() for t in triggers), key=len, reverse=True):
        stem = trigger.endswith("*")
        words = [re.escape(w) for w in trigger.rstrip("*").split()]
        parts.append(r"[\s-]+".join(words).replace(r"\-", r"[\s-]?") + (r"\w*" if stem else ""))
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")  # matched against lower-cased text


def load_rules(data_dir: Path) -> EventTypeRules:
    with open(data_dir / EVENT_TYPES_FILE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    types = []
    for row in rows:
        triggers = [t.strip() for t in row["triggers"].split("|") if t.strip()]
        if not row["event_type"].strip() or not triggers:
            raise ValueError(f"{EVENT_TYPES_FILE}: a row needs event_type and triggers: {row}")
        fallback = (row.get("fallback") or "").strip().lower() in ("yes", "true", "1")
        types.append(EventType(row["event_type"].strip(), int(row["priority"]), trigger_pattern(triggers),
                               (row.get("example") or "").strip(), fallback))  # fmt: skip
    ordered = sorted(types, key=lambda t: t.priority)
    return EventTypeRules(
        types=tuple(ordered),
        main=_combined([t for t in ordered if not t.fallback]),
        fallback=_combined([t for t in ordered if t.fallback]),
    )


def classify(text: str, rules: EventTypeRules) -> str:
    """The type whose trigger comes first in ``text`` (fallback types last); "" when nothing fits."""
    lower = text.lower()
    for fallback, pattern in ((False, rules.main), (True, rules.fallback)):
        match = pattern.search(lower) if pattern is not None else None
        if match is not None and match.lastgroup is not None:
            group = [t for t in rules.types if t.fallback == fallback]
            return group[int(match.lastgroup[1:])].name
    return ""
