"""Places: where things happen, geocoded offline from the gazetteer index.

A document is read in two passes. The first finds toponyms in every sentence
(longest match over name keys, skipping actor and source names, and country or
capital names where they act: "Ankara rejects" is the Turkish state, "in Ankara"
a city); the second picks one entry per toponym, preferring the countries and
governorates the document names unambiguously, then the feature type and the
population, the way geoparsers such as CLAVIN and Mordecai do. Qualifiers keep
the base place and coarsen the precision ("east Idlib" is Idlib at precision 2);
names that only label an agreement or a process ("the Astana agreement") are not
places.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline import actors as actor_stage
from pipeline.gazetteer import (
    FLAG_ACRONYM,
    FLAG_CAPITAL,
    FLAG_CURATED,
    FLAG_DERIVED,
    KIND_NAMES,
    GazetteerIndex,
    load_index,
    lookup_in,
)
from pipeline.namekeys import KEY, EntityRules, Token, fold, name_key, ngram_key, tokens_of, toponym_role
from pipeline.records import Mention, Place, Sentence

MAX_NAME_TOKENS = 7
# A lone capitalised word from GeoNames, with no locative word before it and outside the
# document's countries, is a place only for a city at least this large.
BIG_CITY = 100_000
# A country with at least this share of the document's unambiguous places is where an ambiguous name lies
# ("Tera" in a report on Niger is the Nigerien town, not an alternate name of Tehran).
HOME_SHARE = 0.25
# What the kind of an entry adds to its score when a toponym has several candidates.
KIND_SCORE = {"country": 1000, "admin": 4, "city": 6, "region": 2, "feature": 2}
Lookup = tuple[tuple[int, ...], bool]  # a gazetteer look-up: the entries of a key, and whether longer keys follow
WATER = frozenset({"feature", "region"})  # curated kinds a derived region of the same name gives way to
PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "er", "es", "ez", "tal", "tel"})


@dataclass(frozen=True)
class Gazetteer:
    index: GazetteerIndex
    actors: actor_stage.ActorIndex  # actor and source names are not places
    rules: EntityRules
    state_names: frozenset[str]  # keys of names that stand for a state when it acts ("Ankara")
    quiet: frozenset[str] = PARTICLES  # lower-case words that may still open a place name


def load_gazetteer(data_dir: Path, actors: actor_stage.ActorIndex | None = None) -> Gazetteer:
    """The gazetteer; ``actors`` is the actor index of ``data_dir`` when the caller has loaded it already."""
    actors = actors or actor_stage.load_index(data_dir)
    state_names = frozenset(k for k, aliases in actors.aliases.items() if any(a.form == "place" for a in aliases))
    index = load_index(data_dir)
    return Gazetteer(index=index, actors=actors, rules=actors.rules, state_names=state_names,
                     quiet=PARTICLES | index.lower_starts)  # fmt: skip


class _Match(NamedTuple):
    """A candidate toponym. A named tuple, not a frozen dataclass: one is made per capitalised name that the
    gazetteer knows (~18k on the 1k-article bench), and a dataclass's __init__ sets each of its 11 fields
    through object.__setattr__."""

    sentence: int
    i: int
    j: int  # tokens of the name itself
    a: int
    b: int  # character span in the sentence, qualifiers included
    entries: tuple[int, ...]
    force: str  # "admin" | "city" | "village" | "unit" (a district, an LGA) | ""
    qualifier: str  # "direction" | "near" | ""
    cue: bool  # a locative word or a place noun around it
    single: bool  # one token, from GeoNames only: needs support before it counts
    initial: bool = False  # first word of the sentence ("Sale of the company ..."): needs more support
    conjoined: bool = False  # only "and", "or" or a comma between it and the candidate before it
    loose: bool = False  # one word found only with its doubled letters read once, unlike its entry ("Sakkai")
    key: str = ""  # the name key it was found by


def outside_names(hits: list[tuple[Mention, Place]], named: Sequence[Mention]) -> list[tuple[Mention, Place]]:
    """The place mentions that lie inside no longer actor name: "Aung San Suu Kyi" holds no town Aung San
    (``named``: the sentence's actors, dictionary and detected)."""
    if not hits or not named:
        return hits
    return [h for h in hits if not any(
        a.start <= h[0].start and h[0].end <= a.end and a.end - a.start > h[0].end - h[0].start for a in named)]


def find_places(
    sentences: Sequence[Sentence], gazetteer: Gazetteer, walks: Sequence[dict[int, actor_stage.Walk]] | None = None
) -> list[list[tuple[Mention, Place]]]:
    """Per sentence, each place mention with its gazetteer entry (value = Place.name).

    ``walks``: the document's ``actors.document_walks`` over ``gazetteer.actors``, when the caller has made them.
    """
    matches: list[_Match] = []
    acting: list[str] = []
    named: set[str] = set()  # the countries of the document's demonyms ("the Yemeni capital")
    people: set[str] = set()
    lookup = lookup_in(gazetteer.index)
    walks = walks if walks is not None else actor_stage.document_walks(sentences, gazetteer.actors)
    for number, sentence in enumerate(sentences):
        found, states = _toponyms(number, sentence.text, gazetteer, people, lookup, walks[number], named)
        matches.extend(found)
        acting.extend(states)
    countries, admins, firm = _document_context(matches, acting, gazetteer.index)
    firm |= named
    out: list[list[tuple[Mention, Place]]] = [[] for _ in sentences]
    here: dict[int, set[str]] = {}
    for m in matches:
        if len(m.entries) == 1:
            here.setdefault(m.sentence, set()).add(gazetteer.index.admin1[m.entries[0]])
    matches = _within_regions(matches, sentences, gazetteer.index)
    chosen: list[tuple[_Match, int]] = []
    for match in matches:
        best = _choose(match, gazetteer.index, countries, admins, here.get(match.sentence, set()), firm)
        if best is None:
            continue
        if match.force == "admin" and _kind(gazetteer.index, best) == "city":
            # "Zaporizhzhia Oblast" spelt as the city: the region around it, never the town's point
            best = gazetteer.index.regions.get(gazetteer.index.admin1[best], best)
        chosen.append((match, best))
    chosen = _like_their_neighbours(chosen, gazetteer.index)
    for match, best in chosen:
        out[match.sentence].append(_annotate(sentences[match.sentence], match, best, gazetteer.index))
    return out


def _like_their_neighbours(chosen: list[tuple[_Match, int]], index: GazetteerIndex) -> list[tuple[_Match, int]]:
    """ "the heartlands of Helmand and Kandahar": a name joined to a region is the region of that name too."""
    out = list(chosen)
    for k in range(1, len(out)):
        (left, a), (right, b) = out[k - 1], out[k]
        if not right.conjoined or left.sentence != right.sentence:
            continue
        if _kind(index, a) == "admin" and _kind(index, b) == "city":
            out[k] = (right, _region_namesake(right, a, b, index))
        elif _kind(index, b) == "admin" and _kind(index, a) == "city":
            out[k - 1] = (left, _region_namesake(left, b, a, index))
    return out


def _region_namesake(match: _Match, region: int, town: int, index: GazetteerIndex) -> int:
    """The first-level region among ``match``'s candidates in ``region``'s country, else ``town``."""
    for e in match.entries:
        if _kind(index, e) == "admin" and index.countries[e] == index.countries[region] and e != region:
            return e
    return town


def _toponyms(
    number: int, text: str, gazetteer: Gazetteer, people: set[str], lookup: Callable[[str], Lookup],
    walks: dict[int, actor_stage.Walk], named: set[str],
) -> tuple[list[_Match], list[str]]:  # fmt: skip
    """Candidate toponyms of one sentence, and the countries of state names acting in it; adds the countries
    of its demonyms to ``named``."""
    index, rules, actors = gazetteer.index, gazetteer.rules, gazetteer.actors
    tokens = tokens_of(text)
    lower_text = not any(map(str.isupper, text))
    masked = _actor_spans(tokens, actors, lower_text, people, walks)

    def starts_name(k: int) -> bool:
        return k in masked

    found: list[_Match] = []
    acting: list[str] = []
    lower = index.lower_keys
    quiet = gazetteer.quiet
    # Most words are neither capitalised nor able to open a place name: no call for them.
    starts = [i for i, t in enumerate(tokens) if lower_text or t.cap or t.key in quiet]
    for i in starts:
        state = actors.state_words.get(tokens[i].key) if tokens[i].cap else None
        if state is not None:
            named.update(index.countries[e] for e in lookup(name_key(state))[0] if _kind(index, e) == "country")
    end = 0  # tokens before it belong to a name already read
    for i in starts:
        if i < end or i in masked:
            continue
        opens = tokens[i].cap or lower_text  # then it may start a name (no call needed)
        if not opens and not _may_start(tokens, i, index, lower_text):
            continue
        hit = _longest_place(tokens, i, index, masked, lookup)
        if hit is not None and not opens and ngram_key(tokens, i, hit[0]) not in lower:
            hit = None  # a lower-case start only for curated lower-case names ("the de-escalation zone")
        if hit is None:
            continue
        j, entries = hit
        if ngram_key(tokens, i, j) in gazetteer.state_names:
            role = toponym_role(tokens, i, j, rules, starts_name)
            if role != "place":
                if role == "actor":
                    states = [e for e in entries if _kind(index, e) == "country" or index.flags[e] & FLAG_CAPITAL]
                    acting.extend(index.countries[e] for e in states)
                end = j
                continue
        match = _qualified(number, tokens, i, j, entries, index, rules)
        if not match.cue and not match.force:
            kept = _own_names(ngram_key(tokens, i, j), entries, index)
            if not kept:
                end = j
                continue  # "Born in Basra" is not Bourne, "Joaquin Guzman" not Estacion Joaquin
            if len(kept) < len(entries):
                match = _qualified(number, tokens, i, j, kept, index, rules)
        if match.single:
            surface = fold(tokens[i].text).lower().replace("'", "")
            if surface != tokens[i].key and all(fold(index.names[e]).lower() != surface for e in match.entries):
                match = match._replace(loose=True)  # found only once its doubled letters are read as one
        typed = match.force == "admin" and j < len(tokens) and tokens[j].key in rules.admin_nouns
        if not match.force and j - i > 1 and tokens[j - 1].key in rules.plural_admin_nouns:
            match = match._replace(force="admin")  # "the North-West regions", named with their type
        if typed or (j - i > 1 and tokens[j - 1].key in rules.admin_nouns):
            floor = found[-1].j if found else 0  # a name rejected before may be read again with the type
            left = _untyped_region(number, tokens, i, j if typed else j - 1, floor, masked, index, rules, lookup)
            if left is not None:
                found.append(left)  # "the Northwest and neighbouring Southwest Region"
        if found and found[-1].sentence == number and _conjoined(tokens, found[-1].j, i, rules):
            match = match._replace(conjoined=True, cue=match.cue or found[-1].cue)  # "in Kabul and Kandahar"
        k, start = len(found) - 1, i
        while match.force and k >= 0 and not found[k].force and _conjoined(tokens, found[k].j, start, rules):
            found[k] = found[k]._replace(force=match.force)  # "the Donetsk, Luhansk and Kherson regions"
            k, start = k - 1, found[k].i
        demonym = j - i == 1 and tokens[i].key in actors.demonyms and all(
            index.flags[e] & FLAG_DERIVED for e in entries
        )  # "Somali", "Afar": a region of that name is no place here
        if demonym or _is_label(tokens, j, rules) or not _plausible(tokens, i, j, entries, index, rules, match.cue):
            end = j
            continue
        found.append(match)
        end = j
    return found, acting


def _own_names(key: str, entries: Sequence[int], index: GazetteerIndex) -> tuple[int, ...]:
    """The candidates ``key`` may name without a cue: all but the small GeoNames towns it names only by one of
    their alternate names. Those are often common words or first names ("Born" for Bourne, "Joaquin" for
    Estacion Joaquin), so a town found only by one needs a locative word or a place noun around it."""
    return tuple(
        e for e in entries
        if _kind(index, e) != "city" or index.flags[e] & (FLAG_CURATED | FLAG_CAPITAL)
        or index.population[e] >= BIG_CITY or _own_key(index.names[e]) == _letters(key)
    )  # fmt: skip


@lru_cache(maxsize=65536)
def _own_key(name: str) -> str:
    """The key of an entry's own name as GeoNames writes it, letters only ("Dutsin-Ma" is "Dutsinma" too);
    remembered: the same towns recur."""
    return _letters(name_key(name))


def _letters(key: str) -> str:
    return "".join(ch for ch in key if ch.isalpha())


def _untyped_region(
    number: int, tokens: Sequence[Token], i: int, j: int, end: int, masked: set[int], index: GazetteerIndex,
    rules: EntityRules, lookup: Callable[[str], Lookup],
) -> _Match | None:
    """ "the Northwest and neighbouring Southwest Region", "the Southwest and Northwest regions": a name that is
    a region only with its type ("Northwest", "Centre") takes the type of the region it is joined to (its type
    word at ``tokens[j]``)."""
    k = i - 1
    if k >= 0 and tokens[k + 1].joined and not tokens[k].cap and tokens[k].key not in rules.conjunctions:
        k -= 1  # one lower-case word between: "and neighbouring", "and adjacent"
    if k < 1 or not tokens[k + 1].joined or tokens[k].key not in rules.conjunctions:
        return None
    if not tokens[k].joined:
        return None
    for y in range(max(end, k - 3), k):  # the longest name first ("Centre-Nord", "Northwest")
        name = tokens[y:k]
        if any(not t.cap or t.possessive for t in name) or any(not t.joined for t in name[1:]):
            continue
        if any(m in masked for m in range(y, k)):
            continue
        key = " ".join([t.key for t in name] + [tokens[j].key])
        entries = tuple(e for e in lookup(key)[0] if _kind(index, e) == "admin")
        if entries:
            return _Match(number, y, k, name[0].start, name[-1].end, entries, "admin", "", True, False,
                          initial=y == 0)  # fmt: skip
    return None


def _actor_spans(
    tokens: Sequence[Token], actors: actor_stage.ActorIndex, lower_text: bool, people: set[str],
    walks: dict[int, actor_stage.Walk],
) -> set[int]:  # fmt: skip
    """Tokens inside actor or source names (not the place names that stand for a state).

    A surname hides a place only after the person's full name ("Kalin said" after "Ibrahim
    Kalin"); ``people`` collects the persons fully named so far in the document.
    """
    masked: set[int] = set()
    end = 0
    for i, walk in sorted(walks.items()):
        if i < end or not (tokens[i].cap or lower_text):  # names that could hide a place are capitalised
            continue
        hit = actor_stage.fitting_alias(tokens, i, walk, actors, lower_text, people)
        if hit is None:
            continue
        j, alias = hit
        if alias.form != "place":
            masked.update(range(i, j))
            if alias.form == "name" and actors.actors[alias.actor].type == "person":
                people.add(alias.actor)
        end = j
    return masked


def _may_start(tokens: Sequence[Token], i: int, index: GazetteerIndex, lower_text: bool) -> bool:
    token = tokens[i]
    if token.cap or lower_text or token.text[:1].isdigit():
        return True
    if token.key in PARTICLES and i + 1 < len(tokens) and tokens[i + 1].joined and tokens[i + 1].cap:
        return True
    return token.key in index.lower_starts


def _longest_place(
    tokens: Sequence[Token], i: int, index: GazetteerIndex, masked: set[int], lookup: Callable[[str], Lookup]
) -> tuple[int, tuple[int, ...]] | None:
    best: tuple[int, tuple[int, ...]] | None = None
    prefix = ""
    for j in range(i, min(len(tokens), i + MAX_NAME_TOKENS)):
        token = tokens[j]
        if j > i and (not token.joined or j in masked):
            break
        exact = f"{prefix} {token.key}" if prefix else token.key
        entries, more = lookup(exact)
        if entries:
            surface = token.text if j == i else "".join([t.text for t in tokens[i : j + 1]])
            if len(surface) <= 4 and not surface.isupper():  # "US", "UK", "UAE" only in capitals
                entries = tuple(e for e in entries if not index.flags[e] & FLAG_ACRONYM)
            if entries:
                best = (j + 1, tuple(entries))
        if token.possessive:
            prefix = f"{prefix} {token.pkey}" if prefix else token.pkey
            more = lookup(prefix)[1]
        else:
            prefix = exact
        if not more:
            break
    return best


def _is_label(tokens: Sequence[Token], j: int, rules: EntityRules) -> bool:
    """ "the Astana agreement", "the Astana and Geneva processes", "the Idlib memorandum"."""
    k = j
    while k < len(tokens) and k - j < 5 and tokens[k].joined and not tokens[k - 1].possessive:
        key = tokens[k].key
        if key in rules.label_nouns:
            return True
        if key in rules.label_joiners or tokens[k].cap:
            k += 1
            continue
        return False
    return False


def _conjoined(tokens: Sequence[Token], end: int, i: int, rules: EntityRules) -> bool:
    """Only "and", "or" or a comma between the name ending at ``end`` and the one starting at ``i``."""
    between = tokens[end:i]
    return len(between) <= 1 and all(t.key in rules.conjunctions for t in between)


def _plausible(
    tokens: Sequence[Token], i: int, j: int, entries: Sequence[int], index: GazetteerIndex, rules: EntityRules,
    cue: bool,
) -> bool:  # fmt: skip
    """Single capitalised words from GeoNames must not be common words or part of a person's name."""
    if any(index.flags[e] & FLAG_CURATED or (_kind(index, e) != "city" and not index.flags[e] & FLAG_DERIVED)
           for e in entries):  # fmt: skip
        return True
    words = [t.key for t in tokens[i:j]]
    if all(w in rules.stopwords for w in words):
        return False
    if j - i == 1 and len(tokens[i].text) > 1 and tokens[i].text.isupper():
        return False  # "IRNA", "SDF": acronyms, not towns
    if j - i > 1:
        return True
    after = tokens[j] if j < len(tokens) and tokens[j].joined and not tokens[j - 1].possessive else None
    if (after is not None and after.cap and after.key not in rules.place_nouns and after.key not in rules.admin_nouns
            and after.key not in rules.town_nouns and after.key not in rules.stopwords
            and not _names_a_facility(tokens, j, rules)):  # fmt: skip
        return False  # "Hassan Hassan", "Tahrir Institute"; but "the city of Kunduz Saturday"
    if after is not None and after.key in rules.speech_verbs and not cue:
        return False  # "Hassan added": a person
    if i > 0 and tokens[i].joined and tokens[i - 1].key in rules.title_words | rules.role_words:
        return False  # "spokesman Jeffrey"
    before = tokens[i - 1] if i > 0 and tokens[i].joined else None
    if before is not None and before.cap and not before.possessive and before.key not in rules.locatives:
        return before.key in rules.directions  # "Mostafa Mahamed", but "Northern Aleppo"
    return True


def _names_a_facility(tokens: Sequence[Token], j: int, rules: EntityRules) -> bool:
    """ "Sanaa International Airport", "Kandahar Air Base": capitalised words from ``j`` up to a facility noun."""
    for k in range(j, min(len(tokens), j + 3)):
        if not tokens[k].joined or not tokens[k].cap or tokens[k - 1].possessive:
            return False
        if tokens[k].key in rules.facility_nouns:
            return True
    return False


def _qualified(
    number: int, tokens: Sequence[Token], i: int, j: int, entries: Sequence[int], index: GazetteerIndex,
    rules: EntityRules,
) -> _Match:  # fmt: skip
    a, b = tokens[i].start, tokens[j - 1].end
    force = qualifier = ""
    if j < len(tokens) and tokens[j].joined and not tokens[j - 1].possessive:
        if tokens[j].key in rules.admin_nouns:
            force, b = "admin", tokens[j].end
        elif tokens[j].key in rules.town_nouns:
            key = tokens[j].key
            force = "village" if key in rules.village_nouns else ("unit" if key in rules.unit_nouns else "city")
            b = tokens[j].end
    k = i - 1
    while k >= 0 and tokens[k + 1].joined and tokens[k].key in rules.directions:
        qualifier, a = "direction", tokens[k].start
        k -= 1
    if not rules.near_words.isdisjoint(map(KEY, tokens[max(0, k - 2) : k + 1])):
        qualifier = qualifier or "near"
    cue = bool(force) or bool(qualifier) or (k >= 0 and tokens[k].key in rules.locatives)
    if k >= 1 and tokens[k].key == "of":
        cue = cue or tokens[k - 1].key in rules.place_nouns | rules.town_nouns | rules.admin_nouns
        if not force and tokens[k - 1].key in rules.admin_nouns and tokens[k - 1].key not in rules.plural_admin_nouns:
            force = "admin"  # "the northern province of Badakhshan", "the region of Tillaberi"
    single = j - i == 1 and all(
        (_kind(index, e) == "city" or index.flags[e] & FLAG_DERIVED) and not index.flags[e] & FLAG_CURATED
        for e in entries
    )
    return _Match(number, i, j, a, b, tuple(entries), force, qualifier, cue, single, initial=i == 0,
                  key=ngram_key(tokens, i, j))  # fmt: skip


def _within_regions(matches: list[_Match], sentences: Sequence[Sentence], index: GazetteerIndex) -> list[_Match]:
    """ "Springfield, Illinois", "Izmir, Turkey": keep the candidates inside the region named after the comma;
    "the Northwest region of Cameroon": a region of the country named after "of", or no region; "NASIR, South
    Sudan", where the gazetteer has only small namesakes abroad: no place, there and in the rest of the document."""
    out = list(matches)
    placed: dict[tuple[int, ...], str] = {}  # names placed in a country where none of their entries lies
    for k in range(len(out) - 1):
        first, second = out[k], out[k + 1]
        if first.sentence != second.sentence:
            continue
        between = sentences[first.sentence].text[first.b : second.a].strip()
        of_country = between == "of" and first.force == "admin" and any(
            _kind(index, e) == "country" for e in second.entries
        )  # "the North-West and North-East regions of Nigeria": regions of that country or none
        if between != "," and not of_country:
            continue
        regions = [e for e in second.entries if _kind(index, e) in ("admin", "country")]
        inside = [e for e in first.entries if any(_inside(e, r, index) for r in regions)]
        if inside or of_country:
            out[k] = first._replace(entries=tuple(inside), cue=True)
        elif between == "," and _abroad(first, second, index):
            # "NASIR, South Sudan": a town the gazetteer does not know there, not Nasir Extension in Sudan;
            # and not elsewhere in the document either (one sense per name and document)
            placed[first.entries] = index.countries[second.entries[0]]
            out[k] = first._replace(entries=())
        back = k - 1
        while of_country and back >= 0 and out[back].sentence == first.sentence and out[back].force == "admin":
            joint = sentences[first.sentence].text[out[back].b : out[back + 1].a].strip()
            if joint != "," and not (joint.islower() and len(joint.split()) <= 2):
                break  # only "and", "or", a comma or "and neighbouring" between the regions
            kept = [e for e in out[back].entries if any(_inside(e, r, index) for r in regions)]
            out[back] = out[back]._replace(entries=tuple(kept), cue=True)
            back -= 1
    if placed:
        out = [
            m._replace(entries=tuple(e for e in m.entries if index.countries[e] == placed[m.entries]))
            if m.entries in placed else m
            for m in out
        ]  # fmt: skip
    return out


def _abroad(first: _Match, second: _Match, index: GazetteerIndex) -> bool:
    """ "Town, Country" where every candidate of the town is a small GeoNames town outside that country."""
    if not first.entries or len(second.entries) != 1 or _kind(index, second.entries[0]) != "country":
        return False
    country = index.countries[second.entries[0]]
    return all(
        _kind(index, e) == "city" and not index.flags[e] & (FLAG_CURATED | FLAG_CAPITAL)
        and index.population[e] < BIG_CITY and index.countries[e] != country
        for e in first.entries
    )  # fmt: skip


def _inside(entry: int, region: int, index: GazetteerIndex) -> bool:
    if index.countries[entry] != index.countries[region]:
        return False
    return _kind(index, region) == "country" or index.admin1[entry] == index.admin1[region]


def _document_context(
    matches: Sequence[_Match], acting: Sequence[str], index: GazetteerIndex
) -> tuple[dict[str, float], set[str], frozenset[str]]:
    """The share of each country among the document's unambiguous mentions, its governorates, and the
    countries firmly in it (named, acting, or holding a place that is no guess and spelt as its entry).

    A country named as a place, a curated place or governorate, or a name whose candidates all lie in
    one country counts fully; a city that dwarfs its namesakes abroad, or a state acting ("Ankara said"),
    counts half.
    """
    weights: dict[str, float] = {}
    admins: set[str] = set()
    firm: set[str] = set(acting)
    for m in matches:
        lands = {index.countries[e] for e in m.entries}
        big = not m.single or max(index.population[e] for e in m.entries) >= BIG_CITY
        if len(lands) == 1 and not m.loose and big:
            firm.update(lands)  # "the port of Hodeidah": no namesake abroad
        sure = _sure_entries(m, index)
        # A big city chosen over namesakes abroad ("Tera" read as Tehran) is a guess: it counts half.
        guess = len(sure) == 1 and len({index.countries[e] for e in m.entries}) > 1 and _plain(sure[0], index)
        for e in sure:
            if not index.countries[e]:
                continue  # a sea or a strait between countries
            weight = (0.5 if guess else 1.0) / len(sure)
            weights[index.countries[e]] = weights.get(index.countries[e], 0.0) + weight
            if index.flags[e] & FLAG_CAPITAL or (not guess and not m.loose):
                firm.add(index.countries[e])
            if index.admin1[e] and _kind(index, e) != "country":
                admins.add(index.admin1[e])
    for country in acting:
        weights[country] = weights.get(country, 0.0) + 0.5
    total = sum(weights.values()) or 1.0
    return {c: w / total for c, w in weights.items()}, admins, frozenset(firm)


def _sure_entries(m: _Match, index: GazetteerIndex) -> list[int]:
    entries = list(m.entries)
    countries = [e for e in entries if _kind(index, e) == "country"]
    if countries:
        return countries
    sure = [
        e for e in entries
        if index.flags[e] & FLAG_CURATED or (_kind(index, e) == "admin" and not index.flags[e] & FLAG_DERIVED)
    ]  # fmt: skip
    if not sure and m.force == "admin":
        sure = [e for e in entries if _kind(index, e) == "admin"]  # "Gezira State"
    if sure:
        # "Nayrab": a village in Idlib and an airbase at Aleppo, the evidence must come from elsewhere
        return sure if len({index.admin1[e] for e in sure}) == 1 else []
    if len({index.countries[e] for e in entries}) == 1 and not m.single:
        return entries[:1]
    ranked = sorted(entries, key=lambda e: -index.population[e])
    top = ranked[0]
    rivals = [e for e in ranked[1:] if index.countries[e] != index.countries[top]]
    if (m.cue or not m.single) and index.population[top] >= BIG_CITY and all(
        index.population[top] >= 10 * index.population[e] for e in rivals
    ):
        return [top]
    return []


def _choose(
    match: _Match, index: GazetteerIndex, countries: dict[str, float], admins: set[str], here: set[str],
    firm: frozenset[str] = frozenset(),
) -> int | None:
    best, best_score = None, -math.inf
    home, home_rank = None, (0.0, -math.inf)  # the best candidate in a country the document is mostly about
    entries = match.entries
    if match.force != "admin" and any(index.flags[e] & FLAG_CURATED and _kind(index, e) in WATER for e in entries):
        # "the Red Sea" is the sea, "Red Sea State" the Sudanese state
        entries = tuple(e for e in entries if not index.flags[e] & FLAG_DERIVED)
    for e in entries:
        kind = _kind(index, e)
        score = 10.0 * math.log10(index.population[e] + 1)
        score += KIND_SCORE[kind]
        if match.force == "admin":
            score += 500 if kind == "admin" else (-50 if kind == "city" else 0)
        elif match.force in ("city", "village", "unit"):
            score += 500 if kind == "city" else 0
        if index.flags[e] & FLAG_CURATED and kind not in ("admin", "country"):
            score += 100  # the curated table knows the conflict's places ("Geneva" of the talks, villages)
        if index.flags[e] & FLAG_CAPITAL:
            score += 40
        share = countries.get(index.countries[e])
        if share is not None:
            score += 10 + 60 * share
        if index.admin1[e]:
            score += (30 if index.admin1[e] in here else 0) + (20 if index.admin1[e] in admins else 0)
        if score > best_score:
            best, best_score = e, score
        if share is not None and share >= HOME_SHARE and (share, score) > home_rank:
            home, home_rank = e, (share, score)  # in the document's main country first, then the best there
    if best is None:
        return None
    if home is not None and countries.get(index.countries[best], 0.0) < HOME_SHARE and _plain(best, index):
        best = home  # "the departments of Tera and Bankilare" in a Niger report: Tera in Niger, not Tehran
    if match.force == "village" and index.population[best] >= BIG_CITY:
        return None  # "Sakkai village" is not Sakai, Japan
    if match.force in ("village", "unit") and countries.get(index.countries[best], 0.0) < HOME_SHARE <= max(
        countries.values(), default=0.0
    ):
        return None  # "Palma district" in a report on Mozambique is not Palma, Spain
    if (_kind(index, best) == "city" and not index.flags[best] & (FLAG_CURATED | FLAG_CAPITAL)
            and index.population[best] < BIG_CITY and _own_key(index.names[best]) != _letters(match.key)
            and countries.get(index.countries[best], 0.0) < HOME_SHARE <= max(countries.values(), default=0.0)):
        return None  # "Nasir" in a report on South Sudan is not Nasir Extension, a Khartoum quarter
    if match.force in ("city", "village", "unit") and index.flags[best] & FLAG_DERIVED:
        return None  # "the central Somali city of": a region is not a town
    if (match.single and firm and index.countries[best] not in firm and _kind(index, best) == "city"
            and not index.flags[best] & (FLAG_CURATED | FLAG_CAPITAL)
            and (index.population[best] < BIG_CITY or match.loose)):  # fmt: skip
        return None  # "in Taji, north of Baghdad" is not Taiji, Japan; "Sakkai" in Kaduna State is not Sakai
    if match.single and not match.cue:
        # A lone word from GeoNames counts only inside the document's countries or for a city
        # (a big one when it opens the sentence, where every word is capitalised).
        big = BIG_CITY * 10 if match.initial else BIG_CITY
        if index.countries[best] not in countries and index.population[best] < big:
            if not index.flags[best] & FLAG_CAPITAL:
                return None
    return best


def _plain(entry: int, index: GazetteerIndex) -> bool:
    """A GeoNames town or derived region (not a country, not a curated place) may give way to a namesake in the
    document's own countries."""
    return _kind(index, entry) != "country" and not index.flags[entry] & FLAG_CURATED


def _kind(index: GazetteerIndex, entry: int) -> str:
    """``index.kind(entry)``, here so that it is compiled with the loops that ask it of every candidate entry
    (~180,000 times on the 1k-article bench)."""
    return KIND_NAMES[index.kinds[entry]]


def _annotate(sentence: Sentence, match: _Match, entry: int, index: GazetteerIndex) -> tuple[Mention, Place]:
    kind = _kind(index, entry)
    own = index.precision[entry] or 1
    precision = own
    if match.qualifier and kind in ("city", "feature"):
        precision = max(own, 2)
    lat, lon = round(index.lat[entry], 5), round(index.lon[entry], 5)
    name = index.names[entry]
    country = index.country_names.get(index.countries[entry], index.countries[entry])
    place = Place(name=name, lat=lat, lon=lon, kind=kind, country=country, precision=own)
    mention = Mention(kind="place", text=sentence.text[match.a : match.b], start=sentence.start + match.a,
                      end=sentence.start + match.b, value=name, lat=lat, lon=lon, precision=precision)  # fmt: skip
    return mention, place
