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
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.actors.detect import DetectRules, load_detect_rules
from pipeline.namekeys import (
    EntityRules,
    Token,
    acronym_keys,
    acronym_matches,
    fold,
    is_acronym,
    load_entity_rules,
    name_key,
    prefixes_of,
    tokenize,
    tokens_of,
)
from pipeline.records import Actor, Sentence

ACTORS_FILE = "actors.csv"
# Every country as a state, derived by scripts/make_states.py; actors.csv wins where both name a state.
STATES_FILE = "states.csv"
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
    form: str  # name | place | surname | source | generic
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
    detect: DetectRules | None = None  # the rules that find actors the dictionary does not name
    # Country names and capitals of states.csv: kept apart from ``aliases`` (which places/ also reads as
    # names that stand for a state) because they act only where the text says so ("Kinshasa accused").
    countries: dict[str, tuple[Alias, ...]] = field(default_factory=dict)
    country_prefixes: frozenset[str] = frozenset()
    state_words: dict[str, str] = field(default_factory=dict)  # demonyms, one-word country names -> their state
    openers: frozenset[str] = frozenset()  # keys a demonym or a country name may start with
    # The country names as written (lower case): "Cameron" keys like "Cameroon" but is not written like it.
    country_surfaces: frozenset[str] = frozenset()
    # Per actor with generic aliases, the one-word keys that name it otherwise (its names, places, demonyms).
    namers: dict[str, frozenset[str]] = field(default_factory=dict)


def read_dictionary(path: Path) -> list[dict[str, str]]:
    """The rows of actors.csv with every column present (missing cells are "")."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def split_names(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def dictionary_rows(data_dir: Path) -> list[dict[str, str]]:
    """actors.csv, then the rows of states.csv whose names actors.csv does not hold already."""
    rows = read_dictionary(data_dir / ACTORS_FILE)
    columns = ("name", "aliases", "places", "demonyms")
    taken = {name_key(text) for row in rows for col in columns for text in split_names(row.get(col, ""))}
    states = data_dir / STATES_FILE
    by_name = {row["name"]: row for row in rows}
    for row in read_dictionary(states) if states.is_file() else []:
        curated = by_name.get(row["name"])
        if curated is not None and not curated.get("places"):
            # A curated state without places of its own: its country name and capital come from states.csv
            # and act only where the text says so, like every other state's.
            curated["country_places"] = row.get("places", "")
            if not curated.get("demonyms"):
                curated["demonyms"] = row.get("demonyms", "")
            continue
        keys = {name_key(t) for col in ("name", "places") for t in split_names(row.get(col, ""))}
        if keys & taken:
            continue
        row["demonyms"] = "|".join(d for d in split_names(row.get("demonyms", "")) if name_key(d) not in taken)
        row["origin"] = STATES_FILE
        rows.append(row)
    return rows


def load_index(data_dir: Path) -> ActorIndex:
    rules = load_entity_rules(data_dir)
    rows = dictionary_rows(data_dir)
    actors: dict[str, Actor] = {}
    table: dict[str, list[Alias]] = {}
    country_table: dict[str, list[Alias]] = {}
    demonyms: dict[str, str] = {}

    surfaces: set[str] = set()

    def add(text: str, actor: str, form: str, into: dict[str, list[Alias]] = table) -> None:
        if into is country_table:
            surfaces.add(" ".join(t.text.lower() for t in tokenize(text)))
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
            bucket = into.setdefault(key, [])
            same = [k for k, a in enumerate(bucket) if a.actor == actor and a.form == form]
            if not same:
                bucket.append(entry)
            elif bucket[same[0]].capital and not entry.capital and not entry.letters:
                bucket[same[0]] = entry  # "anti-Balaka" is written in lower case too: no capital required

    surnames: list[tuple[str, str]] = []
    for row in rows:
        name = row["name"]
        actors[name] = Actor(name=name, type=row.get("type", ""), affiliation=row.get("affiliation", ""))
        form = "source" if actors[name].type in SOURCE_TYPES else "name"
        places = split_names(row.get("places", ""))
        for text in places:  # first, so that "Turkey" is read as a place name that may act
            if row.get("origin") == STATES_FILE:
                add(text, name, "place", country_table)  # a place first: it acts only where the text says so
            else:
                add(text, name, "place" if form == "name" else form)
        for text in split_names(row.get("country_places", "")):
            add(text, name, "place", country_table)
        country_places = split_names(row.get("country_places", ""))
        for text in [name, *split_names(row.get("aliases", ""))]:
            if text not in places and text not in country_places:
                add(text, name, form)
        for text in split_names(row.get("generic_aliases", "")):
            add(text, name, "generic")  # "government forces": only in a document that names the actor otherwise
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
    countries = {k: tuple(v) for k, v in country_table.items()}
    generic_actors = {a.actor for bucket in aliases.values() for a in bucket if a.form == "generic"}
    namer_keys: dict[str, set[str]] = {actor: set() for actor in generic_actors}
    for table_of in (aliases, countries):
        for key, bucket in table_of.items():
            for a in bucket:
                if a.actor in namer_keys and a.form in ("name", "place") and " " not in key:
                    namer_keys[a.actor].add(key)
    for key, actor in demonyms.items():
        if actor in namer_keys:
            namer_keys[actor].add(key)
    return ActorIndex(actors=actors, aliases=aliases, demonyms=demonyms, prefixes=prefixes, rules=rules,
                      starters=starters, detect=load_detect_rules(data_dir, rules), countries=countries,
                      country_prefixes=prefixes_of(countries),
                      state_words={**{k: v[0].actor for k, v in countries.items() if " " not in k}, **demonyms},
                      openers=frozenset(demonyms) | frozenset(countries) | prefixes_of(countries),
                      namers={actor: frozenset(keys) for actor, keys in namer_keys.items()},
                      country_surfaces=frozenset(surfaces))  # fmt: skip


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
