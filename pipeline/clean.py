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
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.records import Article, CleanText, Segment
from pipeline.settings import DATA_DIR

ACTIONS = ("tail", "drop", "byline", "caption", "dateline")
LINE = re.compile(r"[^\r\n]+")
# Whitespace Python's str.strip() misses in scraped text.
EDGE_CHARS = " \t\f\v\u00a0\u200b\u200c\u200d\ufeff\u2060\u202f\u3000"
TERMINAL = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
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

    def matches(self, line: str) -> re.Match[str] | None:
        if self.max_words and len(line.split()) > self.max_words:
            return None
        if self.no_terminal and ends_like_sentence(line):
            return None
        return self.pattern.search(line)


@dataclass(frozen=True)
class BoilerplateRules:
    rules: tuple[LineRule, ...]


@dataclass(frozen=True)
class Line:
    """One non-blank line of the text and what cleaning made of it."""

    start: int  # offsets of the stripped line
    end: int
    label: str  # title | body | caption | byline | dateline-body | debris
    rule: str = ""  # the rule or structure test that decided
    keep_from: int = -1  # for a kept line: where its segment starts (after a dateline or a caption prefix)
    ends_article: bool = False  # a tail marker after article text: everything after it is debris


def load_rules(data_dir: Path) -> BoilerplateRules:
    """Read ``boilerplate.toml`` from ``data_dir``; raises ValueError naming a bad rule."""
    path = data_dir / "boilerplate.toml"
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    rules = []
    for entry in raw.get("rule", []):
        name = entry.get("name", "?")
        if entry.get("action") not in ACTIONS:
            raise ValueError(f"{path}: rule {name!r} has unknown action {entry.get('action')!r}")
        try:
            pattern = re.compile(entry["pattern"])
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
            )
        )
    return BoilerplateRules(tuple(rules))


@functools.lru_cache(maxsize=4)
def default_rules(data_dir: Path = DATA_DIR) -> BoilerplateRules:
    """The rules of ``data_dir`` (the bundled ones when it has none), read once per process."""
    return load_rules(data_dir if (data_dir / "boilerplate.toml").exists() else DATA_DIR)


def ends_like_sentence(line: str) -> bool:
    return bool(TERMINAL.search(line.rstrip(EDGE_CHARS)))


def first_rule(line: str, rules: BoilerplateRules) -> tuple[LineRule, re.Match[str]] | None:
    for rule in rules.rules:
        found = rule.matches(line)
        if found:
            return rule, found
    return None


def fold(text: str) -> str:
    """Letters and digits only, case-folded: to compare titles and publisher lines."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def stripped_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without surrounding whitespace; blank lines are left out."""
    spans = []
    for found in LINE.finditer(text):
        start, end = found.start(), found.end()
        while start < end and (text[start].isspace() or text[start] in EDGE_CHARS):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in EDGE_CHARS):
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans


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
        hit = first_rule(line, rules)
        if hit is None:
            is_body = len(line.split()) > TITLE_MAX_WORDS or ends_like_sentence(line)
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
    title_index = find_title(text, out)
    if title_index is not None:
        title_key = fold(text[out[title_index].start : out[title_index].end])
        copies = [i for i, ln in enumerate(out) if ln.label == "body" and fold(text[ln.start : ln.end]) == title_key]
        best = max(copies, key=lambda i: sum(ch.isupper() for ch in text[out[i].start : out[i].end]))
        for i in copies:
            ln = out[i]
            if i == best:
                out[i] = Line(ln.start, ln.end, "title", "first headline", ln.start)
            else:
                out[i] = Line(ln.start, ln.end, "debris", "repeated title")
    publisher = fold(article.publisher)
    for i, ln in enumerate(out):
        if publisher and ln.label == "body" and fold(text[ln.start : ln.end]) == publisher:
            out[i] = Line(ln.start, ln.end, "byline", "publisher name")
    for i, ln in enumerate(out):
        if ln.ends_article:
            drop_related_headlines(text, out, i)
    return out


def drop_related_headlines(text: str, lines: list[Line], tail_index: int) -> None:
    """Headline-like lines right before a "Related"/"You might also like" marker are links, not article."""
    for j in range(tail_index - 1, -1, -1):
        prev = lines[j]
        if prev.label in ("debris", "byline"):
            continue
        line = text[prev.start : prev.end]
        if prev.label == "body" and not ends_like_sentence(line) and len(line.split()) <= HEADLINE_MAX_WORDS:
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
        words = len(line.split())
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
