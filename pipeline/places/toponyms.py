"""Places, first pass: the toponyms of a sentence (longest match over the gazetteer's name keys, skipping
actor and source names, and country or capital names where they act: "Ankara rejects" is the Turkish state, "in
Ankara" a city), with the qualifiers and cues around them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from pipeline import actors as actor_stage
from pipeline.actors.match import country_at
from pipeline.namekeys import KEY, EntityRules, Token, fold, name_key, ngram_key, once, tokens_of, toponym_role
from pipeline.places.enclosing import EnclosingRules
from pipeline.places.gazetteer import (
    FLAG_ACRONYM,
    FLAG_CAPITAL,
    FLAG_CURATED,
    FLAG_DERIVED,
    FLAG_UNIT,
    KIND_NAMES,
    GazetteerIndex,
    nouns_of_type,
)
from pipeline.places.relative import RelativeRules

MAX_NAME_TOKENS = 7
# A lone capitalised word from GeoNames, with no locative word before it and outside the
# document's countries, is a place only for a city at least this large.
BIG_CITY = 100_000
Lookup = tuple[tuple[int, ...], bool]  # a gazetteer look-up: the entries of a key, and whether longer keys follow
_DOUBLED = re.compile(r"(.)\1+")
PARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "er", "es", "ez", "tal", "tel"})


@dataclass(frozen=True)
class Gazetteer:
    index: GazetteerIndex
    actors: actor_stage.ActorIndex  # actor and source names are not places
    rules: EntityRules
    state_names: frozenset[str]  # keys of names that stand for a state when it acts ("Ankara")
    quiet: frozenset[str] = PARTICLES  # lower-case words that may still open a place name
    relative: RelativeRules | None = None  # "X, 60 km north of Y" (None: not read)
    enclosing: EnclosingRules | None = None  # "Machava village" gets its document's region (None: not read)
    actor_keys: frozenset[str] = frozenset()  # keys of actor names and demonyms ("Taliban district" is no place)


class Toponym(NamedTuple):
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


def read_toponyms(
    number: int, text: str, gazetteer: Gazetteer, people: set[str], lookup: Callable[[str], Lookup],
    walks: dict[int, actor_stage.Walk], named: set[str], known_units: frozenset[int] = frozenset(),
) -> tuple[list[Toponym], list[str]]:  # fmt: skip
    """Candidate toponyms of one sentence, and the countries of state names acting in it; adds the countries
    of its demonyms to ``named``. ``known_units``: second-level units its document names with their noun, which
    count by their bare name too ("Bajaur district" ... "a blast in Bajaur")."""
    index, rules, actors = gazetteer.index, gazetteer.rules, gazetteer.actors
    tokens = tokens_of(text)
    lower_text = not any(map(str.isupper, text))
    masked = _actor_spans(tokens, actors, lower_text, people, walks)

    def starts_name(k: int) -> bool:
        return k in masked

    found: list[Toponym] = []
    acting: list[str] = []
    lower = index.lower_keys
    quiet = gazetteer.quiet
    # Most words are neither capitalised nor able to open a place name: no call for them.
    starts = [i for i, t in enumerate(tokens) if lower_text or t.cap or t.key in quiet]
    for i in starts:
        state = actors.state_words.get(tokens[i].key) if tokens[i].cap else None
        if state is not None:
            named.update(index.countries[e] for e in lookup(name_key(state))[0] if entry_kind(index, e) == "country")
    end = 0  # tokens before it belong to a name already read
    aside = origin = 0  # where the last country named as a side that acted, and the last place of origin, end
    for i in starts:
        if i < end or i in masked:
            continue
        opens = tokens[i].cap or lower_text  # then it may start a name (no call needed)
        if not opens and not _may_start(tokens, i, index, lower_text):
            continue
        hit = _longest_place(tokens, i, index, masked, lookup, rules.district_nouns, known_units)
        if hit is not None and not opens and ngram_key(tokens, i, hit[0]) not in lower:
            hit = None  # a lower-case start only for curated lower-case names ("the de-escalation zone")
        if hit is None:
            continue
        j, entries = hit
        if _rules_from(tokens, j, rules) and ngram_key(tokens, i, j) in actors.countries:
            end = j  # "Ouagadougou's ruling junta": the state, not a place
            continue
        if ngram_key(tokens, i, j) in gazetteer.state_names:
            role = toponym_role(tokens, i, j, rules, starts_name)
            if role != "place":
                if role == "actor":
                    states = [e for e in entries if entry_kind(index, e) == "country" or index.flags[e] & FLAG_CAPITAL]
                    acting.extend(index.countries[e] for e in states)
                end = j
                continue
        country = any(entry_kind(index, e) == "country" for e in entries)
        if country and (_an_agent(tokens, i, j, rules, starts_name) or (aside and _conjoined(tokens, aside, i, rules))):
            acting.extend(index.countries[e] for e in entries if entry_kind(index, e) == "country")
            end = aside = j  # "an attack by Israel": the side that did it, not where ("by Egypt and Qatar": both)
            continue
        if _an_origin(tokens, i, j, rules) or (origin and _conjoined(tokens, origin, i, rules)):
            end = origin = j  # "a tourist from Nepal", "one each from the UAE and Nepal": where victims came from
            continue
        if _labels_or_acts(tokens, i, j, entries, gazetteer, starts_name):
            capitals = [e for e in entries if index.flags[e] & FLAG_CAPITAL]
            acting.extend(index.countries[e] for e in capitals)  # none for a label ("a Srinagar-based spokesman")
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
        if match.single and _doubled_apart(fold(tokens[i].text).lower().replace("'", ""), tokens[i].key, match, index):
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
        plausible = _plausible(tokens, i, j, entries, index, rules, match.cue, bool(match.force))
        if demonym or _is_label(tokens, j, rules) or not plausible or _an_alias(tokens, i, rules) or _a_likeness(
                tokens, i, rules):
            end = j
            continue
        found.append(match)
        end = j
    return found, acting


def _doubled_apart(surface: str, key: str, match: Toponym, index: GazetteerIndex) -> bool:
    """Whether a one-word name matches its entries only once doubled letters are read as one: doubled in the text
    ("Sakkai" for Sakai), or in the name of every entry when all are small towns ("Shire" for Shiree, a hamlet in
    Mongolia; a large town's name is no chance likeness: "Kismayo" is Kismaayo)."""
    if surface != key:
        return all(fold(index.names[e]).lower() != surface for e in match.entries)
    if any(index.population[e] >= BIG_CITY for e in match.entries):
        return False  # a large town's likeness is no chance one ("Kismayo")
    names = [fold(index.names[e]).lower() for e in match.entries]
    return surface not in names and all(_DOUBLED.sub(once, n) == surface for n in names)


def _labels_or_acts(
    tokens: Sequence[Token], i: int, j: int, entries: Sequence[int], gazetteer: Gazetteer,
    starts_name: Callable[[int], bool],
) -> bool:  # fmt: skip
    """Whether the name at tokens[i:j] is no place of the sentence's event: a label before "-based", "-backed"
    ("a Srinagar-based spokesman", "Goma-backed rebels": where a group sits, not where it acts), or a capital
    standing for its state (below). A name that is also a country stays a place ("Kuwait")."""
    index, rules = gazetteer.index, gazetteer.rules
    nxt = tokens[j] if j < len(tokens) and tokens[j].joined else None
    if nxt is not None and nxt.hyphen and (
            nxt.key in rules.actor_suffixes or nxt.key in rules.place_suffixes or nxt.key in rules.label_suffixes):
        return True  # (and "a Liberia-flagged, Greece-owned bulker": the ship's labels)
    if not any(index.flags[e] & FLAG_CAPITAL for e in entries):
        return False
    if any(entry_kind(index, e) == "country" for e in entries):
        return False
    return _capital_acts(tokens, i, j, gazetteer, starts_name)


def _capital_acts(
    tokens: Sequence[Token], i: int, j: int, gazetteer: Gazetteer, starts_name: Callable[[int], bool]
) -> bool:
    """A capital of states.csv that speaks or acts as its state: the object of a verb of saying ("Kinshasa
    accused Kigali", "urged Moscow"), the agent after "by" ("a lightning offensive by Baku"), or the subject of
    a clause whose verb is a state's ("New Delhi directed", "Kyiv drove Russian forces out", "said that Baku had
    restored"). Narrower than the actors' reading: "Missiles struck Kyiv", "Kyiv was hit", "Kyiv will host the
    talks" keep the city."""
    detect, rules = gazetteer.actors.detect, gazetteer.rules
    country = country_at(tokens, i, gazetteer.actors)
    if detect is None or country is None or country[0] != j:
        return False
    if i >= 1 and tokens[i].joined and (tokens[i - 1].key in rules.speech_verbs or tokens[i - 1].key == "by"):
        return True  # "accused Kigali", "an offensive by Baku": the state is the one acted on or the agent
    if i >= 1 and tokens[i].joined and tokens[i - 1].key not in rules.clause_openers:
        return False  # "residents of Kyiv", "a claim Kyiv denied": not a clause's subject
    if toponym_role(tokens, i, j, rules, starts_name) != "actor":
        return False
    k = j
    while k < len(tokens) and k - j < 5 and tokens[k].joined and tokens[k].key in detect.state_skip:
        k += 1
    if k >= len(tokens) or not tokens[k].joined or tokens[k].cap:
        return False
    word = tokens[k].key
    if word in detect.state_not_verbs:
        return False
    return word in detect.state_verbs or word in rules.speech_verbs or (word.endswith("ed") and len(word) > 4)


def _own_names(key: str, entries: Sequence[int], index: GazetteerIndex) -> tuple[int, ...]:
    """The candidates ``key`` may name without a cue: all but the small GeoNames towns it names only by one of
    their alternate names. Those are often common words or first names ("Born" for Bourne, "Joaquin" for
    Estacion Joaquin), so a town found only by one needs a locative word or a place noun around it."""
    return tuple(
        e for e in entries
        if entry_kind(index, e) != "city" or index.flags[e] & (FLAG_CURATED | FLAG_CAPITAL)
        or index.population[e] >= BIG_CITY or own_key(index.names[e]) == letters_of(key)
    )  # fmt: skip


@lru_cache(maxsize=65536)
def own_key(name: str) -> str:
    """The key of an entry's own name as GeoNames writes it, letters only ("Dutsin-Ma" is "Dutsinma" too);
    remembered: the same towns recur."""
    return letters_of(name_key(name))


def letters_of(key: str) -> str:
    return "".join(ch for ch in key if ch.isalpha())


def _untyped_region(
    number: int, tokens: Sequence[Token], i: int, j: int, end: int, masked: set[int], index: GazetteerIndex,
    rules: EntityRules, lookup: Callable[[str], Lookup],
) -> Toponym | None:
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
        entries = tuple(e for e in lookup(key)[0] if entry_kind(index, e) == "admin")
        if entries:
            return Toponym(number, y, k, name[0].start, name[-1].end, entries, "admin", "", True, False,
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
    tokens: Sequence[Token], i: int, index: GazetteerIndex, masked: set[int], lookup: Callable[[str], Lookup],
    units: frozenset[str] = frozenset(), known_units: frozenset[int] = frozenset(),
) -> tuple[int, tuple[int, ...]] | None:
    """The longest gazetteer name from ``tokens[i]`` on: (its end, its entries). A second-level unit is among
    them only where one of the ``units`` nouns follows its name ("Bajaur district", not "Bajaur said") or opens
    it ("the district of Bajaur"), or when it is one of ``known_units``."""
    best: tuple[int, tuple[int, ...]] | None = None
    flags = index.flags
    # "the district of Kurram": the noun before the name stands for one after it
    nouns: frozenset[str] | None = None  # units | index.unit_nouns, made for a unit's name only (~4,000 instructions)
    noun_before = tokens[i - 2].key if i >= 2 and tokens[i - 1].key == "of" and tokens[i].joined else ""
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
                entries = tuple(e for e in entries if not flags[e] & FLAG_ACRONYM)
            if j > i and tokens[i].cap and not token.cap and not token.hyphen and len(token.text) > 3:
                # "Mogadishu's Lido beach area" is not Lido Beach, New York: a town's name is written with capitals
                entries = tuple(e for e in entries if entry_kind(index, e) != "city" or flags[e] & FLAG_CURATED)
            if any(flags[e] & FLAG_UNIT for e in entries):
                if nouns is None:
                    nouns = units | index.unit_nouns
                noun = noun_before if noun_before in nouns else _unit_noun_after(tokens, j + 1, nouns)
                entries = tuple(e for e in entries if not flags[e] & FLAG_UNIT or e in known_units or _unit_named(
                    e, noun, index, units))
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


def _unit_noun_after(tokens: Sequence[Token], k: int, nouns: frozenset[str]) -> str:
    """The unit noun at ``tokens[k]``, or after names joined to it ("Bajaur and Khyber districts", "Gwoza, Bama and
    Konduga LGAs": capitalised words, commas and "and"/"or" up to a plural noun); "" when there is none."""
    if k < len(tokens) and tokens[k].joined and tokens[k].key in nouns:
        return tokens[k].key
    for m in range(k, min(len(tokens), k + 8)):
        token = tokens[m]
        if token.key in nouns:
            return token.key if token.key.endswith("s") and token.joined else ""
        if not (token.cap or token.key in ("and", "or")) or token.possessive:
            return ""
    return ""


def _unit_named(entry: int, noun: str, index: GazetteerIndex, anywhere: frozenset[str]) -> bool:
    """Whether ``noun`` names the unit ``entry``: its own type ("Magwi County", "Askira-Uba LGAs") or a noun any
    unit may take ("district"); "the Police department" is not Police County, nor "the Green Zone" Green County."""
    return bool(noun) and (noun in anywhere or noun in nouns_of_type(index.unit_types[entry]))


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
    """Only "and", "or" or a comma between the name ending at ``end`` and the one starting at ``i``; a possessive
    is no conjunction ("Rakhine state's Ann township": the township lies in the state, it is not a second one)."""
    between = tokens[end:i]
    if end > 0 and tokens[end - 1].possessive:
        return False
    return len(between) <= 1 and all(t.key in rules.conjunctions for t in between)


def _plausible(
    tokens: Sequence[Token], i: int, j: int, entries: Sequence[int], index: GazetteerIndex, rules: EntityRules,
    cue: bool, typed: bool = False,
) -> bool:  # fmt: skip
    """Single capitalised words from GeoNames must not be common words or part of a person's name."""
    if any(index.flags[e] & FLAG_CURATED or (entry_kind(index, e) != "city" and not index.flags[e] & FLAG_DERIVED)
           for e in entries):  # fmt: skip
        return True
    words = [t.key for t in tokens[i:j]]
    named = typed and i > 0 and all(t.cap for t in tokens[i:j])  # "Ann township": a name, whatever its key
    if all(w in rules.stopwords for w in words) and not named:
        return False
    if j - i == 1 and len(tokens[i].text) > 1 and tokens[i].text.isupper():
        return False  # "IRNA", "SDF": acronyms, not towns
    if j - i > 1:
        return not _inside_a_longer_name(tokens, i, rules)
    after = tokens[j] if j < len(tokens) and tokens[j].joined and not tokens[j - 1].possessive else None
    if (after is not None and after.cap and after.key not in rules.place_nouns and after.key not in rules.admin_nouns
            and after.key not in rules.town_nouns and after.key not in rules.stopwords
            and not _names_a_facility(tokens, j, rules)):  # fmt: skip
        return False  # "Hassan Hassan", "Tahrir Institute", "Ben Gurion Airport"; but "the city of Kunduz Saturday"
    if after is not None and after.key in rules.speech_verbs and not cue:
        return False  # "Hassan added": a person
    if i > 0 and tokens[i].joined and tokens[i - 1].key in rules.title_words | rules.role_words:
        return False  # "spokesman Jeffrey"
    before = tokens[i - 1] if i > 0 and tokens[i].joined else None
    if before is not None and before.cap and not before.possessive and before.key not in rules.locatives:
        return before.key in rules.directions  # "Mostafa Mahamed", but "Northern Aleppo"
    return True


def _rules_from(tokens: Sequence[Token], j: int, rules: EntityRules) -> bool:
    """Whether the name ending before ``j`` is in the possessive before a government noun ("Ouagadougou's ruling
    junta", "Kabul's new rulers": ``government_nouns``, after any ``government_modifiers``)."""
    if j < 1 or not tokens[j - 1].possessive:
        return False
    k = j
    while k < len(tokens) and tokens[k].joined and tokens[k].key in rules.government_modifiers:
        k += 1
    for size in (2, 1):
        if k + size <= len(tokens) and all(t.joined for t in tokens[k:k + size]):
            if " ".join(t.key for t in tokens[k:k + size]) in rules.government_nouns:
                return True
    return False


def _an_alias(tokens: Sequence[Token], i: int, rules: EntityRules) -> bool:
    """Whether the name at ``i`` is one someone goes by ("known as “Calarcá,”", "alias Calarca"): right after
    one of ``alias_words``, or quoted (not joined to the words before) after one of ``alias_quoted``."""
    for size in (1, 2, 3):
        if i < size or any(not tokens[k].joined for k in range(i - size + 1, i)):
            break
        words = " ".join(t.key for t in tokens[i - size:i])
        if words in rules.alias_words or (words in rules.alias_quoted and not tokens[i].joined):
            return True
    return False


def _a_likeness(tokens: Sequence[Token], i: int, rules: EntityRules) -> bool:
    """Whether the name at ``i`` is a likeness ("meadows known as “mini Switzerland”", "a little Beirut"): right
    after one of ``likeness_words`` written in lower case."""
    for size in (1, 2):
        if i < size or any(not tokens[k].joined for k in range(i - size + 1, i + 1)):
            break
        if not any(t.cap for t in tokens[i - size : i]) and " ".join(t.key for t in tokens[i - size : i]) in (
            rules.likeness_words
        ):
            return True
    return False


def _an_agent(
    tokens: Sequence[Token], i: int, j: int, rules: EntityRules, starts_name: Callable[[int], bool]
) -> bool:
    """Whether the country at tokens[i:j] is named as the side that did it, not where it happened: after one of
    ``agent_before`` ("an attack by Israel", "Hezbollah blamed Israel"; not "hosted by": ``host_words``); in the
    possessive only as the owner of what acted ("by Israel's spy agency"), not of a stretch of land ("by Israel's
    northern border")."""
    if i < 1 or not tokens[i].joined or tokens[i - 1].key not in rules.agent_before:
        return False
    if i >= 2 and tokens[i - 1].joined and tokens[i - 2].key in rules.host_words:
        return False  # "talks hosted by Norway": where they were held
    return not tokens[j - 1].possessive or toponym_role(tokens, i, j, rules, starts_name) == "actor"


def _an_origin(tokens: Sequence[Token], i: int, j: int, rules: EntityRules) -> bool:
    """Whether the name at tokens[i:j] says where people come from: right before one of ``origin_nouns`` ("a UAE
    national"), or after "from" (and "the") that follows one, with only ``origin_fillers`` between ("a tourist from
    Nepal", "two foreign nationals, one each from the UAE")."""
    if j < len(tokens) and tokens[j].joined and not tokens[j].cap and not tokens[j - 1].possessive and (
            tokens[j].key in rules.origin_nouns):
        return True
    k = i - 1
    if k >= 0 and tokens[k].key == "the" and tokens[k + 1].joined:
        k -= 1
    if k < 1 or tokens[k].key != "from" or not tokens[k + 1].joined:
        return False
    k -= 1
    while k >= 0 and k >= i - 6 and (tokens[k].key in rules.origin_fillers or tokens[k].text.isdigit()):
        k -= 1
    return k >= 0 and tokens[k].key in rules.origin_nouns


def _inside_a_longer_name(tokens: Sequence[Token], i: int, rules: EntityRules) -> bool:
    """ "Thein Taung Kone pagoda", "Portail Saint Joseph Police Station": a GeoNames name of several words that a
    capitalised word opens mid-sentence is the tail of a longer name, not a place (unless that word is a
    direction, a locative, a title or a stopword: "Northern Saint Joseph", "Monday Saint Joseph")."""
    if i < 2 or not tokens[i].joined:
        return False
    before = tokens[i - 1]
    if not before.cap or before.possessive or not before.text.isalpha() or before.text.isupper():
        return False
    return not any(before.key in words for words in (rules.directions, rules.locatives, rules.title_words,
                                                      rules.role_words, rules.stopwords))  # fmt: skip


def _names_a_facility(tokens: Sequence[Token], j: int, rules: EntityRules) -> bool:
    """ "Sanaa International Airport", "Kandahar Air Base": from ``j``, capitalised facility modifiers up to a
    facility noun. Another name between makes the facility another's ("Ben Gurion Airport" is not Bern, "Aden Adde
    International Airport" in Mogadishu not Aden)."""
    for k in range(j, min(len(tokens), j + 3)):
        if not tokens[k].joined or not tokens[k].cap or tokens[k - 1].possessive:
            return False
        if tokens[k].key in rules.facility_nouns:
            return True
        if tokens[k].key not in rules.facility_modifiers:
            return False
    return False


def _qualified(
    number: int, tokens: Sequence[Token], i: int, j: int, entries: Sequence[int], index: GazetteerIndex,
    rules: EntityRules,
) -> Toponym:  # fmt: skip
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
    if not cue and j + 1 < len(tokens) and tokens[j].joined and tokens[j].key in rules.facility_modifiers:
        noun = tokens[j + 1]  # "the Jenin refugee camp", "the Rafah border crossing"
        cue = noun.joined and noun.key in rules.town_nouns | rules.facility_nouns
    if k >= 1 and tokens[k].key == "of":
        cue = cue or tokens[k - 1].key in rules.place_nouns | rules.town_nouns | rules.admin_nouns
        if not force and tokens[k - 1].key in rules.admin_nouns and tokens[k - 1].key not in rules.plural_admin_nouns:
            force = "admin"  # "the northern province of Badakhshan", "the region of Tillaberi"
    single = j - i == 1 and all(
        (entry_kind(index, e) == "city" or index.flags[e] & FLAG_DERIVED) and not index.flags[e] & FLAG_CURATED
        for e in entries
    )
    return Toponym(number, i, j, a, b, tuple(entries), force, qualifier, cue, single, initial=i == 0,
                  key=ngram_key(tokens, i, j))  # fmt: skip


def entry_kind(index: GazetteerIndex, entry: int) -> str:
    """``index.kind(entry)``, here so that it is compiled with the loops that ask it of every candidate entry
    (~180,000 times on the 1k-article bench)."""
    return KIND_NAMES[index.kinds[entry]]
