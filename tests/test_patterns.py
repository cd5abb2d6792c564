"""Regular expressions made from their kept programs behave as re.compile's."""

import re

import pytest

from pipeline import patterns

CASES = [
    (r"(?P<day>\d{1,2})\s+(?P<month>jan(?:uary)?|feb(?:ruary)?)\b", re.IGNORECASE),
    (r"^(?:related (?:items|articles)|you (?:might|may) also like)\b", 0),
    (r"\b(?:(?:mon|tues)day)\b|\d\w*", 0),
]
TEXTS = ["On 12 January, and 3 Feb.", "Related articles: more", "You may also like this", "monday 2019x tuesday"]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache in a folder of the test's own."""
    cache = tmp_path / "cache" / "patterns.marshal"
    monkeypatch.setattr(patterns, "CACHE", cache)
    monkeypatch.setattr(patterns, "_programs", None)
    monkeypatch.setattr(patterns, "_added", False)
    monkeypatch.setattr(patterns, "_used", set())
    return cache


def same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        assert [m.groupdict() or m.group() for m in a.finditer(text)] == [
            m.groupdict() or m.group() for m in b.finditer(text)
        ]


@pytest.mark.parametrize(("source", "flags"), CASES)
def test_a_pattern_from_its_kept_program_is_re_compiles(fresh, source, flags):
    first = patterns.compile(source, flags)
    patterns.save()
    assert fresh.exists()
    patterns._programs = None  # as in the next build: read from the file
    again = patterns.compile(source, flags)
    assert (source, int(flags)) in patterns._programs
    same(again, re.compile(source, flags))
    same(first, re.compile(source, flags))


def test_a_damaged_program_is_compiled_again(fresh):
    source, flags = CASES[0]
    patterns.compile(source, flags)
    patterns._programs[(source, int(flags))] = (int(flags), [999999], 0, {}, ())
    same(patterns.compile(source, flags), re.compile(source, flags))


def test_nothing_is_written_when_nothing_is_new(fresh):
    patterns.save()
    assert not fresh.exists()


def test_the_file_keeps_only_the_patterns_in_use(fresh):
    old, new = CASES[0], CASES[1]
    patterns.compile(*old)
    patterns.save()
    patterns._programs, patterns._used = None, set()  # the next build: its rules changed
    patterns.compile(*new)
    patterns.save()
    kept = patterns.marshal.loads(fresh.read_bytes())
    assert set(kept) == {(new[0], int(new[1]))}


def test_a_rule_file_is_read_from_the_cache_until_it_changes(fresh, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('words = ["a", "b"]\n[section]\nlimit = 3\n', encoding="utf-8")
    first = patterns.load_toml(rules)
    assert first == {"words": ["a", "b"], "section": {"limit": 3}}
    first["words"].append("mutated")  # the caller's copy: the kept value is untouched
    patterns.save()
    patterns._programs = None  # the next build
    assert patterns.load_toml(rules) == {"words": ["a", "b"], "section": {"limit": 3}}
    rules.write_text('words = ["c"]\n', encoding="utf-8")  # edited: parsed again
    assert patterns.load_toml(rules) == {"words": ["c"]}


def test_a_value_marshal_cannot_write_is_computed_every_time(fresh, tmp_path):
    rules = tmp_path / "dated.toml"
    rules.write_text("when = 2024-03-01\n", encoding="utf-8")
    assert str(patterns.load_toml(rules)["when"]) == "2024-03-01"
    patterns.save()
    assert not fresh.exists()  # nothing kept
    assert str(patterns.load_toml(rules)["when"]) == "2024-03-01"


def test_a_bad_rule_file_raises_as_tomllib_does(fresh, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("words = [\n", encoding="utf-8")
    with pytest.raises(patterns.tomllib.TOMLDecodeError):
        patterns.load_toml(bad)


def test_the_same_words_make_the_same_pattern_in_any_order():
    from pipeline.rulefiles import alternation

    words = ["three", "seven", "eight", "one", "two", "ten", "eleven"]
    assert alternation(words) == alternation(list(reversed(words))) == alternation(set(words))
