"""What every rule file shares: patterns written with {NAME} placeholders, compiled once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from pipeline import patterns


def compile_pattern(source: str, fill: Mapping[str, str], rule: str) -> tuple[str, re.Pattern[str]]:
    """``source`` with its placeholders filled, and compiled case-insensitively.

    Raises ValueError naming ``rule`` when the filled pattern is not a regular expression.
    """
    for key, value in fill.items():
        source = source.replace("{" + key + "}", value)
    try:
        return source, patterns.compile(source, re.IGNORECASE)
    except re.error as err:
        raise ValueError(f"{rule}: bad pattern: {err}") from err


def alternation(words: Iterable[object]) -> str:
    """The words as the alternatives of one regular expression: longest first, then by text (the same words give
    the same pattern in every process, whatever a set's order, so ``patterns.compile`` finds its kept program);
    a space in a word matches any run of whitespace."""
    items = sorted({str(w) for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
