"""Keep the article, drop the scraper debris, and never move a character.

Cleaning works line by line on ``Article.text`` and returns the kept stretches as
offsets (``CleanText.segments``), so every later offset still points into the
decoded text. The debris rules live in ``data/boilerplate.toml``; the structure
rules (title, repeated title, publisher line, headlines of related articles) are
the few lines of code below.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre_constants
import re._parser as sre_parse
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pipeline import patterns
from pipeline.records import Article, CleanText, Segment
from pipeline.settings import DATA_DIR

ACTIONS = ("tail", "drop", "byline", "caption", "dateline")
# Whitespace Python's str.strip() misses in scraped text.
EDGE_CHARS = " \t\f\v\u00a0\u200b\u200c\u200d\ufeff\u2060\u202f\u3000"
# Everything stripped from a line's ends: str.isspace() characters (all below U+3001) and EDGE_CHARS.
STRIP_CHARS = "".join(sorted({chr(c) for c in range(0x3001) if chr(c).isspace()} | set(EDGE_CHARS)))
# fold() of an ASCII line, done on bytes: lower-case, then delete every byte that is not a letter or digit.
ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
ASCII_NOT_ALNUM = bytes([c for c in range(256) if not (c < 128 and chr(c).isalnum())])
# The only characters an ignore-case regex letter matches whose .lower() is not that letter (İ ı ſ).
CASE_SPECIAL = re.compile("[\u0130\u0131\u017f]")
INLINE_FLAGS = re.compile(r"^\(\?([aiLmsux]+)\)")
TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
# TERMINAL as string tests (its characters and closing marks), to avoid a regex scan of the whole line.
TERMINAL_CHARS = tuple(".!?…:;")
CLOSING_CHARS = "\"'”’»)]"
TITLE_MAX_WORDS = 25
HEADLINE_MAX_WORDS = 20


@dataclass(frozen=True)
class LineRule:
    name: str
    action: str
    pattern: re.Pattern[str]
    max_words: int = 0  # 0 = any length
    no_terminal: bool = False
    examples: tuple[str, ...] = ()
    not_examples: tuple[str, ...] = ()
    needs_any: tuple[str, ...] = ()  # lower-case words one of which every line the pattern matches contains
    needs_bytes: tuple[bytes, ...] = field(default=(), compare=False)  # the same words, encoded

    def __post_init__(self) -> None:
        object.__setattr__(self, "needs_bytes", tuple(word.encode("ascii") for word in self.needs_any))

    def matches(self, line: str) -> re.Match[str] | None:
        if self.max_words and len(line.split()) > self.max_words:
            return None
        if self.no_terminal and ends_like_sentence(line):
            return None
        return self.pattern.search(line)

    def may_match(self, line: str, lowered: bytes) -> bool:
        """False only when the pattern cannot match: none of ``needs_any`` is in the line.

        ``lowered`` is the line's ASCII characters, lower-cased (``ascii_lowered``). An ignore-case match of an
        ASCII word is ASCII itself unless it uses İ, ı or ſ, so dropping the other characters hides no match.
        """
        if not self.needs_any:
            return True
        if not line.isascii() and ("\u0130" in line or "\u0131" in line or "\u017f" in line):
            return True
        for word in self.needs_bytes:
            if word in lowered:
                return True
        return False


@dataclass(frozen=True)
class Screen:
    """A fast "no rule can match this line" test: the line-start rules as one pattern, the others one by one.

    Only a speed-up: a line it lets through is classified by the rules in file order, as before.
    ``anchored[i]`` serves lines of at most ``word_limits[i]`` words (the last entry: any length) and
    holds the line-start rules whose ``max_words`` allows such a line.
    """

    word_limits: tuple[int, ...]
    anchored: tuple[re.Pattern[str] | None, ...]  # group "r<i>" is rule i of BoilerplateRules.rules
    loose: tuple[tuple[int, LineRule], ...]  # rules not tied to the line start (or not combinable), by index


@dataclass(frozen=True)
class BoilerplateRules:
    rules: tuple[LineRule, ...]
    screen: Screen | None = field(default=None, compare=False)
    # Lines are counted up to this many words (str.split(maxsplit=...)): more than any rule or test asks about.
    word_cap: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        if self.screen is None:
            object.__setattr__(self, "screen", build_screen(self.rules))
        if not self.word_cap:
            cap = max([TITLE_MAX_WORDS, HEADLINE_MAX_WORDS, *[r.max_words for r in self.rules]]) + 1
            object.__setattr__(self, "word_cap", cap)

    def words(self, line: str) -> int:
        """The line's word count, or a number above every word limit when it is longer than that."""
        return len(line.split(maxsplit=self.word_cap))


class Line(NamedTuple):
    """One non-blank line of the text and what cleaning made of it (a named tuple, made for every line: see
    records)."""

    start: int  # offsets of the stripped line
    end: int
    label: str  # title | body | caption | byline | dateline-body | debris
    rule: str = ""  # the rule or structure test that decided
    keep_from: int = -1  # for a kept line: where its segment starts (after a dateline or a caption prefix)
    ends_article: bool = False  # a tail marker after article text: everything after it is debris


def load_rules(data_dir: Path) -> BoilerplateRules:
    """Read ``boilerplate.toml`` from ``data_dir``; raises ValueError naming a bad rule."""
    path = data_dir / "boilerplate.toml"
    raw = patterns.load_toml(path)
    rules = []
    for entry in raw.get("rule", []):
        name = entry.get("name", "?")
        if entry.get("action") not in ACTIONS:
            raise ValueError(f"{path}: rule {name!r} has unknown action {entry.get('action')!r}")
        try:
            pattern = patterns.compile(entry["pattern"])
        except (KeyError, re.error) as err:
            raise ValueError(f"{path}: rule {name!r} has a bad pattern: {err}") from err
        rules.append(
            LineRule(
                name=name,
                action=entry["action"],
                pattern=pattern,
                max_words=int(entry.get("max_words", 0)),
                no_terminal=bool(entry.get("no_terminal", False)),
                examples=tuple(entry.get("examples", ())),
                not_examples=tuple(entry.get("not_examples", ())),
                needs_any=tuple(entry.get("needs_any", ())),
            )
        )
        if any(word != word.lower() or not word.isascii() or not word for word in rules[-1].needs_any):
            raise ValueError(f"{path}: rule {name!r}: needs_any words must be lower-case ASCII")
    return BoilerplateRules(tuple(rules))


def line_start_source(rule: LineRule) -> str | None:
    """The rule's pattern as a self-contained group that only matches at the line start, else None."""
    source = rule.pattern.pattern
    if rule.needs_any or "(?P=" in source or "(?(" in source or re.search(r"\\[1-9]", source):
        return None
    if not patterns.remembered("starts at line start", source, lambda: _starts_at_line_start(source)):
        return None
    flags = INLINE_FLAGS.match(source)
    body = source[flags.end() :] if flags else source
    if "(?" in body.replace("(?:", "").replace("(?P<", "").replace("(?=", "").replace("(?!", "").replace(
        "(?<=", ""
    ).replace("(?<!", ""):
        return None  # other inline flags or extensions: keep the rule on its own
    body = non_capturing(re.sub(r"\(\?P<\w+>", "(?:", body))
    return f"(?{flags.group(1)}:{body})" if flags else f"(?:{body})"


def _starts_at_line_start(source: str) -> bool:
    try:
        parsed = sre_parse.parse(source)
    except (re.error, ValueError, AttributeError):  # a private parser that changed: no speed-up, same result
        return False
    return bool(parsed.data) and parsed.data[0] == (sre_constants.AT, sre_constants.AT_BEGINNING)


def non_capturing(source: str) -> str:
    """Every plain group "(" made "(?:": the screen needs no groups of its own, and each one costs at every branch."""
    out = []
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if ch == "[":  # a character class: copied as is (a "]" right after "[" or "[^" is a member)
            j = i + 1
            if j < n and source[j] == "^":
                j += 1
            if j < n and source[j] == "]":
                j += 1
            while j < n and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            out.append(source[i : j + 1])
            i = j + 1
            continue
        out.append("(?:" if ch == "(" and source[i + 1 : i + 2] != "?" else ch)
        i += 1
    return "".join(out)


def build_screen(rules: tuple[LineRule, ...]) -> Screen | None:
    sources = [line_start_source(rule) for rule in rules]
    limits = sorted({r.max_words for r, src in zip(rules, sources, strict=True) if src is not None and r.max_words})
    word_limits = (*limits, sys.maxsize)
    anchored = []
    for limit in word_limits:
        parts = [
            f"(?P<r{i}>{src})"
            for i, (r, src) in enumerate(zip(rules, sources, strict=True))
            if src is not None and (not r.max_words or r.max_words >= limit)
        ]
        try:
            anchored.append(patterns.compile("|".join(parts)) if parts else None)
        except re.error:
            return None
    loose = tuple((i, r) for i, (r, src) in enumerate(zip(rules, sources, strict=True)) if src is None)
    return Screen(word_limits, tuple(anchored), loose)


@functools.lru_cache(maxsize=4)
def default_rules(data_dir: Path = DATA_DIR) -> BoilerplateRules:
    """The rules of ``data_dir`` (the bundled ones when it has none), read once per process."""
    return load_rules(data_dir if (data_dir / "boilerplate.toml").exists() else DATA_DIR)


def ends_like_sentence(line: str) -> bool:
    """TERMINAL.search(line.rstrip(EDGE_CHARS)): sentence punctuation, then only closing marks, at the end.

    Read from the end instead of scanning: strip the closing marks, look at the last character. Like ``$``,
    a single newline at the very end is allowed.
    """
    line = line.rstrip(EDGE_CHARS)
    if line.rstrip(CLOSING_CHARS).endswith(TERMINAL_CHARS):
        return True
    return line.endswith("\n") and line[:-1].rstrip(CLOSING_CHARS).endswith(TERMINAL_CHARS)


def first_rule(line: str, rules: BoilerplateRules, words: int | None = None) -> tuple[LineRule, re.Match[str]] | None:
    """The first rule (in file order) that matches ``line``; ``words`` is its word count when known."""
    if words is None:
        words = rules.words(line)
    start = first_candidate(line, rules, words)
    if start is None:
        return None
    terminal: bool | None = None
    for rule in rules.rules[start:]:
        if rule.max_words and words > rule.max_words:
            continue
        if rule.no_terminal:
            if terminal is None:
                terminal = ends_like_sentence(line)
            if terminal:
                continue
        found = rule.pattern.search(line)
        if found:
            return rule, found
    return None


def first_candidate(line: str, rules: BoilerplateRules, words: int) -> int | None:
    """Index of the first rule that may classify the line, None when none can (most article paragraphs).

    One combined match stands for all line-start rules: its branches are tried in file order, so the branch
    that matches names the first of them whose pattern matches (its other conditions are checked after).
    """
    screen = rules.screen
    if screen is None:
        return 0
    start = len(rules.rules)
    for limit, pattern in zip(screen.word_limits, screen.anchored, strict=True):
        if words <= limit:
            found = pattern.match(line) if pattern is not None else None
            if found is not None and found.lastgroup:
                start = int(found.lastgroup[1:])
            break
    if screen.loose:
        lowered = ascii_lowered(line)
        for index, rule in screen.loose:
            if index >= start:
                break
            if rule.max_words and words > rule.max_words:
                continue
            if rule.may_match(line, lowered) and rule.pattern.search(line):
                start = index
                break
    return start if start < len(rules.rules) else None


def ascii_lowered(line: str) -> bytes:
    """The line's ASCII characters, lower-cased, as bytes (cheap even for long non-ASCII lines)."""
    return line.encode("ascii", "ignore").lower()


def fold(text: str) -> str:
    """Letters and digits only, case-folded: to compare titles and publisher lines."""
    if text.isascii():  # NFKC leaves ASCII alone and casefold() is lower() there
        return text.encode("ascii").translate(ASCII_LOWER, ASCII_NOT_ALNUM).decode("ascii")
    return "".join(filter(str.isalnum, unicodedata.normalize("NFKC", text).casefold()))


def stripped_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without surrounding whitespace; blank lines are left out."""
    return list(iter_stripped_lines(text))


def iter_stripped_lines(text: str) -> Iterator[tuple[int, int]]:
    """stripped_lines() one at a time, for callers that only look at the first lines.

    Lines end at \\r or \\n (both one character, so replacing \\r keeps every offset); str.split and str.strip
    are much cheaper than a regex over every character.
    """
    pos = 0
    for piece in (text.replace("\r", "\n") if "\r" in text else text).split("\n"):
        left = piece.lstrip(STRIP_CHARS)
        if left:
            start = pos + len(piece) - len(left)
            yield start, start + len(left.rstrip(STRIP_CHARS))
        pos += len(piece) + 1


def classify(article: Article, rules: BoilerplateRules) -> list[Line]:
    """Label every non-blank line of the article; the reasons are kept for inspection."""
    text = article.text
    lines: list[Line] = []
    seen_body = False
    tail_from: str = ""
    for start, end in stripped_lines(text):
        line = text[start:end]
        if tail_from:
            lines.append(Line(start, end, "debris", f"after {tail_from}"))
            continue
        words = rules.words(line)
        hit = first_rule(line, rules, words)
        if hit is None:
            is_body = words > TITLE_MAX_WORDS or ends_like_sentence(line)
            seen_body = seen_body or is_body
            lines.append(Line(start, end, "body", "", start))
            continue
        rule, found = hit
        if rule.action == "dateline" and seen_body:
            # Only the first paragraph opens with a dateline; later "HTS — which ..." is article text.
            lines.append(Line(start, end, "body", "", start))
            continue
        if rule.action == "tail":
            lines.append(Line(start, end, "debris", rule.name, ends_article=seen_body))
            if seen_body:
                tail_from = repr(line)
        elif rule.action == "drop":
            lines.append(Line(start, end, "debris", rule.name))
        elif rule.action == "byline":
            lines.append(Line(start, end, "byline", rule.name))
        elif rule.action == "caption":
            strip = found.groupdict().get("strip")
            keep_from = start + found.end("strip") if strip else start
            lines.append(Line(start, end, "caption", rule.name, keep_from))
        else:  # dateline
            seen_body = True
            lines.append(Line(start, end, "dateline-body", rule.name, start + found.end()))
    return mark_structure(article, lines)


def mark_structure(article: Article, lines: list[Line]) -> list[Line]:
    """Title, repeated titles, the publisher's name on a line, and related headlines before a tail."""
    text = article.text
    out = list(lines)
    folded: dict[int, str] = {}  # line index → fold of the line, computed once
    title_index = find_title(text, out)
    if title_index is not None:
        title_key = _folded_line(folded, text, out, title_index)
        copies = [
            i for i, ln in enumerate(out) if ln.label == "body" and _folded_line(folded, text, out, i) == title_key
        ]
        best = max(copies, key=lambda i: sum(ch.isupper() for ch in text[out[i].start : out[i].end]))
        for i in copies:
            ln = out[i]
            if i == best:
                out[i] = Line(ln.start, ln.end, "title", "first headline", ln.start)
            else:
                out[i] = Line(ln.start, ln.end, "debris", "repeated title")
    publisher = fold(article.publisher)
    for i, ln in enumerate(out):
        if publisher and ln.label == "body" and _folded_line(folded, text, out, i) == publisher:
            out[i] = Line(ln.start, ln.end, "byline", "publisher name")
    for i, ln in enumerate(out):
        if ln.ends_article:
            drop_related_headlines(text, out, i)
    return out


def _folded_line(folded: dict[int, str], text: str, lines: list[Line], i: int) -> str:
    """The fold of line i, computed once (``folded`` keeps it). A function of its own, not nested in
    ``mark_structure``: compiled, a nested function and the frame it reads from hold each other, a cycle only the
    garbage collector frees, and with it every line of the article."""
    if i not in folded:
        folded[i] = fold(text[lines[i].start : lines[i].end])
    return folded[i]


def drop_related_headlines(text: str, lines: list[Line], tail_index: int) -> None:
    """Headline-like lines right before a "Related"/"You might also like" marker are links, not article."""
    for j in range(tail_index - 1, -1, -1):
        prev = lines[j]
        if prev.label in ("debris", "byline"):
            continue
        line = text[prev.start : prev.end]
        short = len(line.split(maxsplit=HEADLINE_MAX_WORDS + 1)) <= HEADLINE_MAX_WORDS
        if prev.label == "body" and short and not ends_like_sentence(line):
            lines[j] = Line(prev.start, prev.end, "debris", "related headline")
            continue
        return


def find_title(text: str, lines: list[Line]) -> int | None:
    """The first short line without sentence punctuation, before any article paragraph."""
    for i, ln in enumerate(lines):
        if ln.label in ("debris", "byline"):
            continue
        if ln.label != "body":
            return None
        line = text[ln.start : ln.end]
        words = len(line.split(maxsplit=TITLE_MAX_WORDS + 1))  # up to one more than the limit
        if ends_like_sentence(line) or words > TITLE_MAX_WORDS:
            return None
        if words >= 3:
            return i
    return None


def clean(article: Article, rules: BoilerplateRules | None = None) -> CleanText:
    """The kept stretches of ``article.text`` (title, body, captions) and its metadata lines."""
    rules = rules or default_rules()
    text = article.text
    segments: list[Segment] = []
    title = byline = dateline = ""
    for ln in classify(article, rules):
        if ln.label == "byline" and not byline:
            found = first_rule(text[ln.start : ln.end], rules)
            value = found[1].groupdict().get("value") if found else None
            byline = (value or text[ln.start : ln.end]).strip()
        elif ln.label == "title":
            title = title or text[ln.start : ln.end]
            segments.append(Segment(ln.start, ln.end, "title"))
        elif ln.label == "caption":
            segments.append(Segment(ln.keep_from, ln.end, "caption"))
        elif ln.label == "dateline-body":
            if not dateline:
                found = first_rule(text[ln.start : ln.end], rules)
                dateline = found[1].group("dateline") if found else ""
            if ln.keep_from < ln.end:
                segments.append(Segment(ln.keep_from, ln.end, "body"))
        elif ln.label == "body":
            segments.append(Segment(ln.start, ln.end, "body"))
    return CleanText(segments=tuple(segments), title=title or article.title, byline=byline, dateline=dateline)


def kept_text(article: Article, cleaned: CleanText) -> str:
    """The kept segments joined by newlines (for duplicate detection and display)."""
    return "\n".join(article.text[s.start : s.end] for s in cleaned.segments)
