import pytest

from pipeline import sentences
from pipeline.records import Article, CleanText, Segment
from pipeline.sentences import split


def sentences_of(text: str, segments=None) -> list[str]:
    article = Article(doc_id="d", file="d.txt", text=text)
    cleaned = CleanText(segments=tuple(segments or [Segment(0, len(text))]))
    return [s.text for s in split(article, cleaned)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rebels withdrew. The army advanced.", ["Rebels withdrew.", "The army advanced."]),
        # Abbreviations and initials do not end a sentence.
        (
            "Gen. Salim Idris spoke on Feb. 3 in the U.S. capital. Talks went on.",
            ["Gen. Salim Idris spoke on Feb. 3 in the U.S. capital.", "Talks went on."],
        ),
        ("Officials from the U.S. and Turkey met.", ["Officials from the U.S. and Turkey met."]),
        ("Aid reached the U.S. The convoy left.", ["Aid reached the U.S.", "The convoy left."]),
        # A closing quote stays with its sentence; a comma inside a quote does not split.
        (
            "“The ceasefire holds,” he said. “We will see.” Then he left.",
            ["“The ceasefire holds,” he said.", "“We will see.”", "Then he left."],
        ),
        ("Is it over? Nobody knows!", ["Is it over?", "Nobody knows!"]),
        # Lines without end punctuation (headlines) are sentences of their own.
        ("Clashes in Idlib\n\nFighting resumed on Monday.", ["Clashes in Idlib", "Fighting resumed on Monday."]),
        # A wrapped line that continues in lower case is one sentence.
        ("The convoy moved\nslowly north.", ["The convoy moved\nslowly north."]),
        ("Casualties rose to 3.5 percent. Nobody left.", ["Casualties rose to 3.5 percent.", "Nobody left."]),
    ],
)
def test_split(text, expected):
    assert sentences_of(text) == expected


def test_offsets_index_the_document_text():
    text = "HEADER\n\nFirst one. Second one.\n\nFOOTER"
    start = text.index("First")
    end = text.index("\n\nFOOTER")
    article = Article(doc_id="d", file="d.txt", text=text)
    result = split(article, CleanText(segments=(Segment(start, end, "body"),)))
    assert [s.text for s in result] == ["First one.", "Second one."]
    for s in result:
        assert text[s.start : s.end] == s.text
        assert s.kind == "body"
    assert [s.index for s in result] == [0, 1]


def test_segments_keep_their_kind_and_numbering_runs_on():
    text = "A caption here.\nBody one. Body two."
    cut = text.index("\n")
    result = split(
        Article(doc_id="d", file="d.txt", text=text),
        CleanText(segments=(Segment(0, cut, "caption"), Segment(cut + 1, len(text), "body"))),
    )
    assert [(s.index, s.kind) for s in result] == [(0, "caption"), (1, "body"), (2, "body")]


def test_punctuation_only_pieces_are_dropped():
    assert sentences_of("—\n\n• 3\n\nReal text.") == ["• 3", "Real text."]


def test_word_before_a_dot_is_the_regex_search_it_replaces():
    import random
    import re

    old = re.compile(r"([\w'’.-]+)$")
    rnd = random.Random(3)
    alphabet = "ab Z9_'’.-,\n\t é²٣ー"
    for _ in range(20000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 70))) + "."
        dot = len(text) - 1
        found = old.search(text, max(0, dot - 40), dot)
        assert sentences._word_before(text, dot) == (found.group(1) if found else "")
