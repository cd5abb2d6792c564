"""Name keys shared by the actor and place matchers.

A sentence is folded to ASCII character by character (so offsets never move),
cut into word tokens, and each token gets a *key*: lower case, apostrophes
dropped, doubled letters written once. "Hay’at Tahrir al-Sham", "Hayat Tahrir
Al Sham" and "HAYAT TAHRIR AL-SHAM" share one key, as do "İbrahim Kalın" and
"Ibrahim Kalin". Dictionaries are keyed the same way, so matching a sentence is
a handful of dictionary look-ups per token, never a loop over entries.

The context rules that decide whether "Ankara" is the Turkish state or a city
(``toponym_role``) live here too, because actors and places must agree on them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from pipeline import patterns

RULES_FILE = "entity_rules.toml"

_SPECIAL = {
    "ı": "i", "İ": "I", "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'", "´": "'", "ʿ": "'", "ʾ": "'",
    "′": "'", "–": "-", "—": "-", "‐": "-", "‑": "-", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d",
    "Đ": "D", "ß": "s", "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ħ": "h", "Ħ": "H", "\u00a0": " ", "“": '"',
    "”": '"', "ŀ": "l", "ı̇": "i",
}  # fmt: skip


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        base = unicodedata.normalize("NFKD", chr(code))[:1]
        if base.isascii() and base.isalpha():
            table[code] = base
    table.update({ord(k): v for k, v in _SPECIAL.items() if len(k) == 1})
    return table


# A constant translation table (built once from unicodedata, never changed).
FOLD_TABLE: dict[int, str] = _fold_table()
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_SPLIT = re.compile(r"([^\W_]+(?:'[^\W_]+)*)")
_DOUBLE = re.compile(r"(.)\1+")
_SPLIT_ASCII = re.compile(r"([A-Za-z0-9]+(?:'[A-Za-z0-9]+)*)")  # _SPLIT on ASCII text, with cheaper classes
_SPLIT_PLAIN = re.compile(r"([A-Za-z0-9]+)")  # _SPLIT_ASCII on text without an apostrophe
KEY = attrgetter("key")  # the key of a Token, for C-level maps over a sentence


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(match: re.Match[str]) -> str:
    return FOLD_TABLE.get(ord(match.group()), match.group())


def fold(text: str) -> str:
    """ASCII letters for Latin letters with marks, one character for one: offsets stay valid."""
    return text if text.isascii() else _NON_ASCII.sub(_fold_char, text)


def once(match: re.Match[str]) -> str:
    """A run of one character (``_DOUBLE``'s match) as the character once: ``_DOUBLE.sub(once, text)``.

    ``sub`` with the template ``r"\1"`` gives the same text, through two calls of re's Python code
    (``re._subx`` for every ``sub``, ``expand_template`` for every run): ~10,000 instructions a name key.
    """
    return match.group(1)  # type: ignore[no-any-return]  # (the group always takes part)


def skeleton(word: str) -> str:
    """The comparison key of one word: lower case, no apostrophes, doubled letters once."""
    return _DOUBLE.sub(once, word.lower().replace("'", ""))


# Word keys repeat across sentences: remembered (a pure function of the word, so the memo is safe to share).
_WORD_KEYS: dict[str, str] = {}
_WORD_KEYS_MAX = 65536


def _word_key(word: str) -> str:
    """``skeleton(word)``, remembered: a dictionary look-up, cheaper than an lru_cache call once compiled."""
    key = _WORD_KEYS.get(word)
    if key is None:
        if len(_WORD_KEYS) >= _WORD_KEYS_MAX:
            _WORD_KEYS.clear()  # a bound, not a policy: a corpus's vocabulary fits many times over
        key = _WORD_KEYS[word] = skeleton(word)
    return key


class Token(NamedTuple):
    start: int  # offsets within the tokenised text
    end: int  # end of the word, without a possessive 's
    text: str  # folded surface form, without a possessive 's
    key: str
    pkey: str  # the key with its possessive, inside a longer name ("Assad's forces")
    possessive: bool  # the word carried 's ("Turkey's")
    joined: bool  # only spaces or a hyphen separate it from the token before
    hyphen: bool  # a hyphen separates it from the token before ("Ankara-backed")
    cap: bool  # starts with a capital


def tokenize(text: str) -> list[Token]:
    """Word tokens with their keys and joins, in one pass over the words."""
    folded = fold(text)
    # gap, word, gap, word, ..., gap; in ASCII without an apostrophe a word is one plain run (the cheapest pattern).
    # Declared a list of str (re's stubs say str | Any, and its one group always takes part): compiled, the loop
    # below then slices and compares strings directly instead of through generic object calls.
    parts: list[str]
    if folded.isascii():
        parts = (_SPLIT_ASCII if "'" in folded else _SPLIT_PLAIN).split(folded)
    else:
        parts = _SPLIT.split(folded)
    apostrophes = "'" in folded  # folding turns every apostrophe into "'"
    out: list[Token] = []
    new = _NEW_TOKEN
    position = 0
    previous = ""
    for k in range(1, len(parts), 2):
        gap, raw = parts[k - 1], parts[k]
        start = position + len(gap)
        position = start + len(raw)
        word, possessive = raw, False
        if apostrophes and len(raw) > 2 and raw[-2:] in ("'s", "'S"):
            word, possessive = raw[:-2], True
        key = _word_key(word)
        if gap == " ":
            joined, hyphen = True, False
        elif k == 1:
            joined, hyphen = False, False  # the first word joins nothing (unless only a space opens the text)
        else:
            bare = gap.strip()
            if "." in bare and len(previous) == 1 and previous.isupper():
                bare = bare.replace(".", "")  # the dots of "U.S." or "U.S.-led"
            joined, hyphen = bare == "" or bare == "-", bare == "-"
        out.append(new(Token, (start, start + len(word), word, key, key + "'s" if possessive else key, possessive,
                               joined, hyphen, word[0].isupper())))  # fmt: skip
        previous = word
    return out


_NEW_TOKEN = tuple.__new__  # NamedTuple's own __new__ is Python code: build the tuples at C level instead


@lru_cache(maxsize=4096)
def tokens_of(text: str) -> tuple[Token, ...]:
    """``tokenize`` remembered per sentence text: actors, candidates and places read each sentence once.

    A pure function of its argument, so the cache is safe to share; the tuple cannot be changed by a caller.
    """
    return tuple(tokenize(text))


def prefixes_of(keys: Iterable[str]) -> frozenset[str]:
    """Every proper word prefix of every key ("hayat", "hayat tahrir" for "hayat tahrir al sham")."""
    out: set[str] = set()
    for key in keys:
        parts = key.split(" ")
        out.update(" ".join(parts[:k]) for k in range(1, len(parts)))
    return frozenset(out)


def name_key(name: str) -> str:
    """The key of a dictionary name, as ``ngram_key`` would build it from a whole-name sentence."""
    words = _TOKEN.findall(fold(name))
    if not words:
        return ""
    last = words[-1]
    if len(last) > 2 and last[-2:].lower() == "'s":
        words[-1] = last[:-2]  # a final possessive is not part of the key
    return _DOUBLE.sub(once, " ".join(words).lower().replace("'s ", "\0").replace("'", "").replace("\0", "'s "))


def ngram_key(tokens: Sequence[Token], i: int, j: int) -> str:
    if j - i == 1:
        return tokens[i].key
    return " ".join([t.pkey for t in tokens[i : j - 1]] + [tokens[j - 1].key])


def is_acronym(name: str) -> bool:
    """All-capital short names (US, U.S., HTS, SDF) match only in capitals."""
    letters = re.sub(r"[^A-Za-z]", "", fold(name))
    return 2 <= len(letters) <= 6 and letters.isupper() and " " not in name.strip()


def acronym_matches(tokens: Sequence[Token], i: int, j: int, letters: str) -> bool:
    return "".join(t.text for t in tokens[i:j]) == letters


def acronym_keys(name: str) -> list[str]:
    """Keys of an acronym written with and without dots ("US" and "U.S.")."""
    letters = re.sub(r"[^A-Za-z]", "", fold(name))
    return list(dict.fromkeys([skeleton(letters), " ".join(letters.lower())]))  # "SAA" is keyed "sa" as a word


def key_set(words: Iterable[str]) -> frozenset[str]:
    return frozenset(name_key(w) if " " in w or "-" in w else skeleton(w) for w in words)


@dataclass(frozen=True)
class EntityRules:
    """The context words of ``data/entity_rules.toml``, as key sets."""

    locatives: frozenset[str]
    word_acronyms: frozenset[str]
    border_nouns: frozenset[str]
    topic_nouns: frozenset[str]
    target_nouns: frozenset[str]
    conjunctions: frozenset[str]
    to_actor_nouns: frozenset[str]
    actor_suffixes: frozenset[str]
    place_suffixes: frozenset[str]
    labelled_nouns: frozenset[str]
    directions: frozenset[str]
    place_nouns: frozenset[str]
    title_words: frozenset[str]
    title_prepositions: frozenset[str]
    force_nouns: frozenset[str]
    modifiers: frozenset[str]
    speech_verbs: frozenset[str]
    apposition_openers: frozenset[str]
    role_words: frozenset[str]
    not_names: frozenset[str]
    label_nouns: frozenset[str]
    label_joiners: frozenset[str]
    admin_nouns: frozenset[str]
    town_nouns: frozenset[str]
    near_words: frozenset[str]
    stopwords: frozenset[str]
    village_nouns: frozenset[str] = frozenset()
    unit_nouns: frozenset[str] = frozenset()
    plural_admin_nouns: frozenset[str] = frozenset()
    source_nouns: frozenset[str] = frozenset()
    facility_nouns: frozenset[str] = frozenset()
    feature_nouns: frozenset[str] = frozenset()
    district_nouns: frozenset[str] = frozenset()
    facility_modifiers: frozenset[str] = frozenset()
    ally_nouns: frozenset[str] = frozenset()
    alias_words: frozenset[str] = frozenset()
    alias_quoted: frozenset[str] = frozenset()
    likeness_words: frozenset[str] = frozenset()
    agent_before: frozenset[str] = frozenset()
    host_words: frozenset[str] = frozenset()
    origin_nouns: frozenset[str] = frozenset()
    origin_fillers: frozenset[str] = frozenset()
    label_suffixes: frozenset[str] = frozenset()
    government_nouns: frozenset[str] = frozenset()
    government_modifiers: frozenset[str] = frozenset()
    clause_openers: frozenset[str] = frozenset()


def load_entity_rules(data_dir: Path) -> EntityRules:
    raw = patterns.load_toml(data_dir / RULES_FILE)
    flat = {name: words for section in raw.values() for name, words in section.items()}
    return EntityRules(**{name: key_set(words) for name, words in flat.items()})


def _in_a_name(tokens: Sequence[Token], i: int, rules: EntityRules) -> bool:
    before = tokens[i - 1]
    if not before.cap or before.possessive or not before.text.isalpha():
        return False
    if before.key in rules.not_names | rules.locatives | rules.directions | rules.title_words | rules.conjunctions:
        return False
    # In a headline every word is capitalised; there a capital proves nothing.
    return sum(t.cap for t in tokens) <= 0.6 * len(tokens)


def titles_a_person(tokens: Sequence[Token], j: int, rules: EntityRules) -> bool:
    """Whether the title words from token j on lead to a person's name.

    "US special envoy James Jeffrey", "envoy for Syria James Jeffrey", "the UN envoy for Syria,
    Geir Pedersen": only then is a state's name before them a title adjective; "a Defence Ministry
    spokeswoman said" or "EU foreign ministers met" name no person, so the state speaks.
    """
    n = len(tokens)
    k = j
    while k < n and tokens[k].joined and tokens[k].key in rules.title_words:
        k += 1
    if k < n and tokens[k].joined and tokens[k].key in rules.title_prepositions:
        k += 1  # "envoy for Syria James Jeffrey": skip the country, a name must follow it
        start = k
        while k < n and tokens[k].joined and tokens[k].cap:
            k += 1
        if k - start >= 2:
            return True
    return k < n and _is_name_word(tokens[k], rules)  # right after, or after one comma


def _is_name_word(token: Token, rules: EntityRules) -> bool:
    return token.cap and token.key not in rules.not_names and token.key not in rules.title_words


def labels_a_group(tokens: Sequence[Token], k: int, rules: EntityRules) -> bool:
    """Whether "-backed" (token k) labels a group ("Iran-backed militias", "Turkish-backed Syrian factions")
    rather than an act of the backer ("the NATO-backed removal", "a Russian-brokered ceasefire")."""
    for t in tokens[k + 1 : k + 4]:
        if t.key in rules.labelled_nouns:
            return True
        if not t.joined:
            break
    return False


def toponym_role(
    tokens: Sequence[Token], i: int, j: int, rules: EntityRules, starts_name: Callable[[int], bool] | None = None
) -> str:
    """What a country or capital name at tokens[i:j] stands for: "actor", "place", "title" or "name".

    A capital or country that acts or speaks is its state ("Ankara rejects", "between Ankara
    and Moscow"); after a locative word, a direction, or before "'s" + a stretch of land it is a
    place ("in Ankara", "northwest Syria", "Syria's Idlib province"); just before a title or
    after "envoy for" it is part of a title ("US special envoy", "envoy for Syria").
    """
    n = len(tokens)
    last = tokens[j - 1]
    nxt = tokens[j] if j < n and tokens[j].joined else None
    if i >= 1 and tokens[i].joined and _in_a_name(tokens, i, rules):
        return "name"  # "Michael Jordan", "Paris Hilton": part of a person's name
    if i >= 2 and tokens[i].joined and tokens[i - 1].joined:
        if tokens[i - 1].key in rules.title_prepositions and tokens[i - 2].key in rules.title_words - {"foreign"}:
            return "title"
    if nxt is not None and nxt.hyphen and not last.possessive:
        if nxt.key in rules.actor_suffixes:
            # "Ankara-backed rebels": the rebels act, the backer is a label; "the NATO-backed removal": NATO acts
            return "label" if labels_a_group(tokens, j, rules) else "actor"
        if nxt.key in rules.place_suffixes:
            return "place"
        if nxt.key in rules.label_suffixes:
            return "label"  # "a Liberia-flagged, Greece-owned bulker": the ship's, not a side nor a place
    if last.possessive:
        k = j
        while k < n and tokens[k].key in rules.directions:
            k += 1
        if k < n and (
            tokens[k].key in rules.place_nouns
            or (
                tokens[k].cap
                and tokens[k].key not in rules.title_words
                and tokens[k].key not in rules.not_names
                and not (starts_name and starts_name(k))
            )
        ):
            return "place"
        return "actor"
    if nxt is not None and not nxt.hyphen and nxt.key in rules.title_words:
        return "title" if titles_a_person(tokens, j, rules) else "actor"
    if nxt is not None and not nxt.hyphen and nxt.key in rules.topic_nouns:
        return "place"  # "the Syria file", "Turkey's Syria policy"
    if nxt is not None and not nxt.hyphen and nxt.key in rules.force_nouns:
        return "actor"  # "shelled US positions": the name is the owner, not the place
    k = i - 1
    directed = False
    while k >= 0 and tokens[k + 1].joined and tokens[k].key in rules.directions:
        directed = True
        k -= 1
    if k >= 0 and tokens[k + 1].joined:
        word = tokens[k].key
        if word == "the" and (directed or (k >= 1 and tokens[k - 1].key in rules.locatives)):
            return "place"  # "the north of Syria", "in the United States"
        if word in rules.locatives:
            if word == "to" and k >= 1 and tokens[k - 1].key in rules.to_actor_nouns:
                return "actor"
            return "place"
        if word == "with" and k >= 1 and tokens[k - 1].key in rules.border_nouns:
            return "place"
        if word == "on" and k >= 1 and tokens[k - 1].key in rules.target_nouns:
            return "place"  # "an attack on Lebanon"
        if word in rules.conjunctions and not directed and k >= 1 and tokens[k - 1].cap and tokens[k].joined:
            # "in Paris and Berlin", "between Ankara and Moscow": the role of the name before
            s = k - 1
            while s > 0 and tokens[s].joined and tokens[s - 1].cap:
                s -= 1
            return toponym_role(tokens, s, k, rules, starts_name)
        if word == "of" and k >= 1 and tokens[k - 1].key in rules.place_nouns | rules.directions:
            return "place"
    if directed:
        return "place"
    return "actor"
