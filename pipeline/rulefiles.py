"""What every rule file shares: patterns written with {NAME} placeholders, compiled once."""

from __future__ import annotations

import re
from collections.abc import Mapping

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
