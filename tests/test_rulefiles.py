import re

import pytest

from pipeline.rulefiles import compile_pattern


def test_placeholders_are_filled_and_the_pattern_ignores_case():
    source, regex = compile_pattern(r"\b{MONTH} (\d+)", {"MONTH": "(?:March|April)"}, "rule m")
    assert source == r"\b(?:March|April) (\d+)"
    assert regex.flags & re.IGNORECASE
    assert regex.search("on MARCH 5").group(1) == "5"


def test_a_bad_pattern_names_its_rule():
    with pytest.raises(ValueError, match="rule x: bad pattern"):
        compile_pattern("({OPEN}", {"OPEN": "a"}, "rule x")
