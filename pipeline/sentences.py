"""Split the kept segments of an article into sentences, keeping document offsets."""

from __future__ import annotations

import re

from pipeline.records import Article, CleanText, Sentence

# Words that end with a period without ending the sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr gen lt col maj capt cpt sgt adm brig cmdr st jr sr prof gov sen rep rev pres
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vs etc approx est dept gov't inc ltd co corp fig al""".split()
)
# Words that open a new sentence after a dotted acronym such as "U.S." ("... the U.S. The talks ...").
OPENERS = frozenset(
    "the a an he she it they we i this that these those but however in on at after before meanwhile".split()
)

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)")
_LINE_BREAK = re.compile(r"\n[ \t]*")
_WORD_PUNCT = "_'’.-"  # with the letters and digits, what a word before a dot is made of (``\w`` and these)
_WORD_AFTER = re.compile(r"\s+[\"'“‘(\[]*(\S+)")


def split(article: Article, cleaned: CleanText) -> list[Sentence]:
    """Sentences of every kept segment, in document order."""
    sentences: list[Sentence] = []
    for segment in cleaned.segments:
        for start, end in _spans(article.text, segment.start, segment.end):
            sentences.append(
                Sentence(
                    doc_id=article.doc_id,
                    index=len(sentences),
                    start=start,
                    end=end,
                    text=article.text[start:end],
                    kind=segment.kind,
                )
            )
    return sentences


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], whitespace trimmed."""
    cuts = [start]
    for match in _END.finditer(text, start, end):
        if _is_boundary(text, match.start(), match.end(), end):
            cuts.append(match.end())
    for match in _LINE_BREAK.finditer(text, start, end):
        if _line_break_is_boundary(text, match.start(), match.end(), end):
            cuts.append(match.start())
    cuts.append(end)
    spans = []
    ordered = sorted(set(cuts))
    for a, b in zip(ordered, ordered[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a and any(ch.isalnum() for ch in text[a:b]):
            spans.append((a, b))
    return spans


def _is_boundary(text: str, dot: int, after: int, limit: int) -> bool:
    if text[dot] != ".":
        return True
    word = _word_before(text, dot)
    nxt = _WORD_AFTER.match(text, after, limit)
    if not nxt:
        return True
    following = nxt.group(1)
    if following[0].islower() or following[0] in ",;:":
        return False
    bare = word.lower().strip("'’.-")
    if bare in ABBREVIATIONS and not text[dot + 1 : after].strip():
        return False
    if "." in word or (len(word) == 1 and word.isupper()):
        # "U.S." or an initial: a boundary only if a sentence opener follows.
        return following.lower().strip("\"'“‘,") in OPENERS
    return True


def _word_before(text: str, dot: int) -> str:
    r"""The run of word characters, apostrophes, dots and hyphens ending at ``dot``, at most 40 long.

    A backward scan: ``re.search(r"[\w'’.-]+$")`` over the 40 characters tried every start in turn (~4 us a
    dot). ``str.isalnum`` is ``\w`` without the underscore (both are CPython's Py_UNICODE_ISALNUM).
    """
    lo, end = max(0, dot - 40), dot
    if end > lo and text[end - 1] == "\n":
        end -= 1  # as ``$`` also matches before a newline that ends the searched text
    k = end
    while k > lo and (text[k - 1].isalnum() or text[k - 1] in _WORD_PUNCT):
        k -= 1
    return text[k:end]


def _line_break_is_boundary(text: str, brk: int, after: int, limit: int) -> bool:
    """A line break ends a sentence unless the next line plainly continues it."""
    if after >= limit:
        return True
    nxt = text[after]
    if nxt == "\n":
        return True
    previous = text[max(0, brk - 1)]
    return not (nxt.islower() and previous.isalpha())
