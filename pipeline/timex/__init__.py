"""Dates, first step: temporal expressions detected with compiled rules and written underspecified
(``resolve`` anchors them).

``rules`` loads the rules (data, ``data/timex/``) once per build; ``detect`` finds the expressions of a
sentence with them. The rules are data: each a regular expression with named groups and a class of core words
every match contains.
"""

from __future__ import annotations

from pipeline import native

native.activate_subpackage(__path__, "timex")  # the compiled modules of this package, when they are fresh

from pipeline.timex.detect import detect, may_hold_a_date, underspecified  # noqa: E402
from pipeline.timex.rules import (  # noqa: E402
    OTHER_DIGITS_UNICODE,
    Rule,
    TimexRules,
    ascii_lower,
    first_characters,
    holiday_key,
    load_rules,
    tokens,
)

__all__ = [
    "OTHER_DIGITS_UNICODE", "Rule", "TimexRules", "ascii_lower", "detect", "first_characters", "holiday_key",
    "load_rules", "may_hold_a_date", "tokens", "underspecified",
]  # fmt: skip
