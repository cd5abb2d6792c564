"""Actors: who acts in a sentence, as canonical names from ``data/actors.csv``.

The dictionary is an analyst's file: one row per actor with its type,
affiliation, aliases, the place names that stand for it when it acts
(``places``: "Ankara", "Damascus") and its demonyms ("Turkish"). Matching is a
longest-match walk over name keys (see ``namekeys``): whole words only,
acronyms (US, HTS) only in capitals, surnames ("Akar said") only after a full
mention in the same document, place names only where they act, demonyms only
before a force or institution noun ("Turkish forces", not "Turkish President").
Media and monitors are in the file so that they are recognised and left out.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.namekeys import (
    KEY,
    EntityRules,
    Token,
    acronym_keys,
    acronym_matches,
    fold,
    is_acronym,
    load_entity_rules,
    name_key,
    prefixes_of,
    titles_a_person,
    tokenize,
    tokens_of,
    toponym_role,
)
from pipeline.records import Actor, Candidate, Mention, Sentence

ACTORS_FILE = "actors.csv"
# Types that are recognised but never reported as actors.
SOURCE_TYPES = frozenset({"media", "monitor", "platform"})
# Types whose name before a title word is part of the title ("US special envoy", "UN envoy").
TITLE_TYPES = frozenset({"state", "international organisation"})
# Two capitalised words in a row (a cheap test before looking for candidate names).
_NAME_PAIR = re.compile(r"[A-Z][\w'’]+[ -](?:(?:al|el|bin|ibn|van|von|de)[ -])?[A-Z]")
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "van", "von", "de", "der", "da", "ben"})


@dataclass(frozen=True)
class Alias:
    actor: str
    form: str  # name | place | surname | source
    letters: str = ""  # acronyms: the capitals that must appear as written
    capital: bool = False  # the alias starts with a capital: so must the text


@dataclass(frozen=True)
class ActorIndex:
    actors: dict[str, Actor]
    aliases: dict[str, tuple[Alias, ...]]
    demonyms: dict[str, str]  # demonym key -> state
    prefixes: frozenset[str]  # word prefixes of every alias key, to stop a look-up early
    rules: EntityRules
    # Every key a name or demonym may start with (aliases, prefixes, demonyms, "assad" for "assad's"):
    # words outside it start nothing, so a sentence is walked only at its few other words.
    starters: frozenset[str] = frozenset()


def read_dictionary(path: Path) -> list[dict[str, str]]:
    """The rows of actors.csv with every column present (missing cells are "")."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def split_names(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def load_index(data_dir: Path) -> ActorIndex:
    rules = load_entity_rules(data_dir)
    rows = read_dictionary(data_dir / ACTORS_FILE)
    actors: dict[str, Actor] = {}
    table: dict[str, list[Alias]] = {}
    demonyms: dict[str, str] = {}

    def add(text: str, actor: str, form: str) -> None:
        if is_acronym(text):
            keys = acronym_keys(text)
            letters = "".join(ch for ch in fold(text) if ch.isalpha())
            entry = Alias(actor, form, letters=letters)
        else:
            keys = [name_key(text)]
            entry = Alias(actor, form, capital=text[:1].isupper())
        for key in keys:
            if not key:
                continue
            bucket = table.setdefault(key, [])
            if all(a.actor != actor or a.form != form for a in bucket):
                bucket.append(entry)

    surnames: list[tuple[str, str]] = []
    for row in rows:
        name = row["name"]
        actors[name] = Actor(name=name, type=row.get("type", ""), affiliation=row.get("affiliation", ""))
        form = "source" if actors[name].type in SOURCE_TYPES else "name"
        places = split_names(row.get("places", ""))
        for text in places:  # first, so that "Turkey" is read as a place name that may act
            add(text, name, "place" if form == "name" else form)
        for text in [name, *split_names(row.get("aliases", ""))]:
            if text not in places:
                add(text, name, form)
        for text in split_names(row.get("demonyms", "")):
            demonyms[name_key(text)] = name
        if actors[name].type == "person":
            last = tokenize(name)[-1]
            if len(last.key) >= 4 and last.key not in rules.not_names:
                surnames.append((last.text, name))
    for text, name in surnames:  # after every full name, so a name always wins over a surname
        add(text, name, "surname")
    aliases = {k: tuple(v) for k, v in table.items()}
    prefixes = prefixes_of(aliases)
    starters = frozenset(aliases) | prefixes | frozenset(demonyms) | {p[:-2] for p in prefixes if p.endswith("'s")}
    return ActorIndex(actors=actors, aliases=aliases, demonyms=demonyms, prefixes=prefixes, rules=rules,
                      starters=starters)  # fmt: skip


# The dictionary keys the walk from one token meets, shortest first: (end token, aliases of the key).
Walk = tuple[tuple[int, tuple[Alias, ...]], ...]


def name_walks(tokens: Sequence[Token], index: ActorIndex) -> dict[int, Walk]:
    """Every token that opens a dictionary key, with its walk.

    Actors, places (actor names mask places) and candidates (known names are no candidates) each used to
    walk the same sentence from the same words (~137k look-ups on the 1k-article bench, half of them from
    "the" or "a" that open no key in the text); the walks are now made once per sentence and each stage
    keeps the longest key that fits its own conditions (``fitting_alias``).
    """
    walks: dict[int, Walk] = {}
    aliases, prefixes = index.aliases, index.prefixes
    last = len(tokens) - 1
    starters = index.starters
    for i, token in enumerate(tokens):
        if token.key not in starters:
            continue
        if token.key not in aliases:  # most starters ("the", "a", demonyms) open no key here: no walk
            after = tokens[i + 1] if i < last else None
            if after is None or not after.joined or token.pkey not in prefixes:
                continue
            if f"{token.pkey} {after.key}" not in aliases and f"{token.pkey} {after.pkey}" not in prefixes:
                continue
        walk = _walk(tokens, i, index)
        if walk:
            walks[i] = walk
    return walks


def document_walks(sentences: Sequence[Sentence], index: ActorIndex) -> list[dict[int, Walk]]:
    """``name_walks`` of every sentence of a document, for ``find_actors``, ``find_places`` and ``find_candidates``."""
    return [name_walks(tokens_of(s.text), index) for s in sentences]


def _walk(tokens: Sequence[Token], i: int, index: ActorIndex) -> Walk:
    hits: list[tuple[int, tuple[Alias, ...]]] = []
    prefix = ""
    for j in range(i, len(tokens)):
        token = tokens[j]
        if j > i and not token.joined:
            break
        exact = f"{prefix} {token.key}" if prefix else token.key
        aliases = index.aliases.get(exact)
        if aliases:
            hits.append((j + 1, aliases))
        prefix = f"{prefix} {token.pkey}" if prefix else token.pkey
        if prefix not in index.prefixes:
            break
    return tuple(hits)


def longest_alias(
    tokens: Sequence[Token], i: int, index: ActorIndex, lower_text: bool, people: Collection[str],
    shouting: bool = False,
) -> tuple[int, Alias] | None:
    """The longest dictionary name starting at token i that fits the text, with its end (see ``fitting_alias``)."""
    return fitting_alias(tokens, i, _walk(tokens, i, index), index, lower_text, people, shouting)


def fitting_alias(
    tokens: Sequence[Token], i: int, walk: Walk, index: ActorIndex, lower_text: bool, people: Collection[str],
    shouting: bool = False,
) -> tuple[int, Alias] | None:
    """The longest name of ``walk`` (from token i) that fits the text, with its end.

    ``lower_text``: the sentence has no capitals (names match in any case); ``shouting``: it has no
    lower-case letters (acronyms that are words, "US", "IS", are not trusted).
    """
    for end, aliases in reversed(walk):
        for alias in aliases:
            if alias.letters and not acronym_matches(tokens, i, end, alias.letters):
                continue
            if alias.letters and shouting and alias.letters.lower() in index.rules.word_acronyms:
                continue  # "LET US", "WHAT IS": in capitals an acronym may be a word
            if alias.capital and not tokens[i].cap and not lower_text:
                continue
            if alias.form == "surname" and alias.actor not in people:
                continue
            return end, alias
    return None


def _demonym_at(tokens: Sequence[Token], i: int, index: ActorIndex, lower_text: bool) -> tuple[list[int], int] | None:
    """"Turkish forces", "Russian-Turkish intervention": the demonym tokens and the end of the noun."""
    rules = index.rules
    if tokens[i].key not in index.demonyms or not (tokens[i].cap or lower_text):
        return None
    chain = [i]
    j = i + 1
    while j < len(tokens):
        if tokens[j].key in index.demonyms and (tokens[j].hyphen or (lower_text and tokens[j].joined)):
            chain.append(j)  # "Russian-Turkish intervention"
            j += 1
        elif tokens[j].key in rules.conjunctions and j + 1 < len(tokens) and tokens[j + 1].key in index.demonyms:
            chain.append(j + 1)  # "Turkish and Russian officials"
            j += 2
        else:
            break
    if j < len(tokens) and tokens[j].hyphen and tokens[j].key in rules.actor_suffixes:
        return chain, j + 1  # "Turkish-backed factions": the backer acts, as in "Ankara-backed"
    k, steps = j, 0
    while k < len(tokens) and tokens[k].joined and not tokens[k - 1].possessive and steps < 4:
        if tokens[k].key in rules.force_nouns:
            return chain, k + 1
        if tokens[k].key not in rules.modifiers:
            return None
        k += 1
        steps += 1
    return None


def _mention(sentence: Sentence, tokens: Sequence[Token], i: int, j: int, actor: str) -> Mention:
    a, b = tokens[i].start, tokens[j - 1].end
    last = tokens[j - 1].text
    if j - i > 1 and len(last) == 1 and last.isupper() and sentence.text[b : b + 1] == ".":
        b += 1  # the final dot of "U.S."
    return Mention(kind="actor", text=sentence.text[a:b], start=sentence.start + a, end=sentence.start + b, value=actor)


def actors_in_sentence(
    sentence: Sentence, index: ActorIndex, people: set[str], walks: dict[int, Walk] | None = None
) -> list[Mention]:
    """The actors named in one sentence; ``people`` (persons fully named so far) grows as it reads.

    ``walks``: the sentence's ``name_walks`` when the caller has made them.
    """
    tokens = tokens_of(sentence.text)
    if walks is None:
        walks = name_walks(tokens, index)
    lower_text = not any(map(str.isupper, sentence.text))
    shouting = not any(map(str.islower, sentence.text))
    found: list[Mention] = []

    def starts_name(k: int) -> bool:
        walk = walks.get(k)
        hit = fitting_alias(tokens, k, walk, index, lower_text, people, shouting) if walk else None
        return hit is not None and hit[1].form in ("name", "surname")

    end = 0  # tokens before it are inside a name already found
    # A name opens where a walk found a key, a demonym at a demonym: no other word starts anything.
    demonyms = {i for i, token in enumerate(tokens) if token.key in index.demonyms}
    for i in sorted(walks.keys() | demonyms):
        if i < end:
            continue
        walk = walks.get(i)
        hit = fitting_alias(tokens, i, walk, index, lower_text, people, shouting) if walk else None
        if hit is not None:
            j, alias = hit
            if _acts(tokens, i, j, alias, index, starts_name):
                found.append(_mention(sentence, tokens, i, j, alias.actor))
                if index.actors[alias.actor].type == "person":
                    people.add(alias.actor)
            end = j
            continue
        demonym = _demonym_at(tokens, i, index, lower_text)
        if demonym is not None:
            chain, end = demonym
            for k in chain:
                stop = end if len(chain) == 1 else k + 1
                found.append(_mention(sentence, tokens, k, stop, index.demonyms[tokens[k].key]))
    return found


def _acts(
    tokens: Sequence[Token], i: int, j: int, alias: Alias, index: ActorIndex, starts_name: Callable[[int], bool]
) -> bool:
    if alias.form == "source":
        return False
    if alias.form == "place":
        return toponym_role(tokens, i, j, index.rules, starts_name) == "actor"
    nxt = tokens[j] if j < len(tokens) and tokens[j].joined else None
    titled = index.actors[alias.actor].type in TITLE_TYPES
    if titled and nxt is not None and not tokens[j - 1].possessive and nxt.key in index.rules.title_words:
        # "Kremlin spokesman Dmitry Peskov", "UN envoy Geir Pedersen": a name used as a title adjective;
        # "a Defence Ministry spokeswoman said" names no person: the ministry speaks.
        return not titles_a_person(tokens, j, index.rules)
    return True


def find_actors(
    sentences: Sequence[Sentence], index: ActorIndex, walks: Sequence[dict[int, Walk]] | None = None
) -> list[list[Mention]]:
    """Per sentence, the actor mentions (kind "actor", value = canonical name), in document order.

    ``walks``: the document's ``document_walks`` when the caller has made them.
    """
    people: set[str] = set()
    walks = walks if walks is not None else document_walks(sentences, index)
    return [actors_in_sentence(s, index, people, w) for s, w in zip(sentences, walks, strict=True)]


def _known_tokens(tokens: Sequence[Token], index: ActorIndex, walks: dict[int, Walk]) -> set[int]:
    """Tokens inside any dictionary name (actors, sources, place names; not bare surnames)."""
    known: set[int] = set()
    end = 0
    for i, walk in sorted(walks.items()):
        if i < end or not tokens[i].cap:  # a candidate name is capitalised; so is any name that would hide it
            continue
        hit = fitting_alias(tokens, i, walk, index, True, ())
        if hit is None:
            continue
        known.update(range(i, hit[0]))
        end = hit[0]
    return known


def _looks_like_name(token: Token, rules: EntityRules) -> bool:
    if not (token.cap and token.text.isalpha() and len(token.text) > 1):
        return False
    return token.key not in rules.not_names and token.key not in rules.role_words and token.key not in rules.title_words


def find_candidates(
    sentences: Sequence[Sentence], index: ActorIndex, found: Sequence[Sequence[Mention]],
    walks: Sequence[dict[int, Walk]] | None = None,
) -> list[Candidate]:
    """Capitalised names missing from the dictionary that look like actors.

    A name of two to four capitalised words counts when a role word stands before it
    ("spokesman X"), a speech verb right after it ("X said"), or an apposition with a role
    follows it ("X, a former spokesperson for ...").
    """
    rules = index.rules
    candidates: list[Candidate] = []
    for number, (sentence, mentions) in enumerate(zip(sentences, found, strict=True)):
        if not _NAME_PAIR.search(sentence.text):
            continue  # no two capitalised words in a row: no candidate
        tokens = tokens_of(sentence.text)
        if rules.role_words.isdisjoint(map(KEY, tokens)) and rules.speech_verbs.isdisjoint(map(KEY, tokens)):
            continue  # every actor cue (_has_actor_cue) needs a role word or a speech verb: 40% of the rest
        known = _known_tokens(tokens, index, walks[number] if walks is not None else name_walks(tokens, index))
        covered = {k for k, t in enumerate(tokens) for m in mentions if m.start <= sentence.start + t.start < m.end}
        blocked = known | covered
        i = 0
        while i < len(tokens):
            if i in blocked or not _looks_like_name(tokens[i], rules):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and j - i < 5 and j not in blocked and _continues(tokens, j):
                if _looks_like_name(tokens[j], rules) or (tokens[j].key in NAME_PARTICLES and j + 1 < len(tokens)):
                    j += 1
                    continue
                break
            while j > i and tokens[j - 1].key in NAME_PARTICLES:
                j -= 1
            if 2 <= j - i <= 4 and _has_actor_cue(sentence.text, tokens, i, j, rules):
                name = " ".join(fold(sentence.text[tokens[i].start : tokens[j - 1].end]).split())
                candidates.append(Candidate(name=name, sentence=sentence.text, doc_id=sentence.doc_id))
            i = max(j, i + 1)
    return candidates


def _continues(tokens: Sequence[Token], j: int) -> bool:
    return tokens[j].joined and not tokens[j - 1].possessive


def _has_actor_cue(text: str, tokens: Sequence[Token], i: int, j: int, rules: EntityRules) -> bool:
    if i > 0 and tokens[i].joined and tokens[i - 1].key in rules.role_words:
        return True
    if j < len(tokens) and tokens[j].joined and tokens[j].key in rules.speech_verbs:
        return True
    after = text[tokens[j - 1].end : tokens[j].start] if j < len(tokens) else ""
    if after.strip() == "," and j < len(tokens) and tokens[j].key in rules.apposition_openers:
        return any(t.key in rules.role_words for t in tokens[j + 1 : j + 9])
    return False
