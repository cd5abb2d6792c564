"""Dictionary names in a sentence: the longest alias that fits, demonyms before a force noun."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pipeline.actors.dictionary import TITLE_TYPES, ActorIndex, Alias, Walk, fitting_alias, name_walks
from pipeline.namekeys import (
    Token,
    acronym_matches,
    labels_a_group,
    titles_a_person,
    tokens_of,
    toponym_role,
)
from pipeline.records import Mention, Sentence


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
        if labels_a_group(tokens, j, rules):
            return None  # "Turkish-backed factions": a label, as "Ankara-backed"; the factions act
        return chain, j + 1  # "a Russian-brokered ceasefire": the broker acts
    k, steps = j, 0
    while k < len(tokens) and tokens[k].joined and not tokens[k - 1].possessive and steps < 4:
        if tokens[k].key in rules.source_nouns:
            return None  # "Lebanese state media reported": a source, the state does not act
        if tokens[k].key in rules.force_nouns:
            after = k + 1
            if after < len(tokens) and tokens[after].joined and tokens[after].key in rules.source_nouns:
                return None  # "Israeli army radio said"
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


class _NameStarts:
    """Whether a person's name or surname starts at token k (what ``toponym_role`` asks of a word after a place).

    An object rather than a function nested in ``actors_in_sentence``: compiled, a nested function and the frame
    it reads from hold each other, a cycle only the garbage collector frees, and with it the sentence's tokens
    (a third of the objects the collector freed on the bench). This one is freed as soon as the sentence is read.
    """

    def __init__(
        self, tokens: Sequence[Token], walks: dict[int, Walk], index: ActorIndex, lower_text: bool, people: set[str],
        shouting: bool,
    ) -> None:  # fmt: skip
        self.tokens = tokens
        self.walks = walks
        self.index = index
        self.lower_text = lower_text
        self.people = people  # (the caller's set, which grows as it reads)
        self.shouting = shouting

    def __call__(self, k: int) -> bool:
        walk = self.walks.get(k)
        if not walk:
            return False
        hit = fitting_alias(self.tokens, k, walk, self.index, self.lower_text, self.people, self.shouting)
        return hit is not None and hit[1].form in ("name", "surname")


def actors_in_sentence(
    sentence: Sentence, index: ActorIndex, people: set[str], walks: dict[int, Walk] | None = None,
    covered: list[tuple[int, int]] | None = None, generic: list[int] | None = None,
    defined: dict[str, str] | None = None,
) -> list[Mention]:
    """The actors named in one sentence; ``people`` (persons fully named so far) grows as it reads.

    ``walks``: the sentence's ``name_walks`` when the caller has made them. ``covered`` receives the spans of tokens
    inside any dictionary name (also sources and names read as places), ``generic`` the positions in the
    result of the mentions made by a generic alias ("government forces"), which only count in a document that
    names their actor otherwise. ``defined``: the acronyms the document has defined so far; one defined as
    another actor than the dictionary's ("the Arakan Army (AA)", not Anadolu's AA) is left to detection.
    """
    tokens = tokens_of(sentence.text)
    if walks is None:
        walks = name_walks(tokens, index)
    lower_text = not any(map(str.isupper, sentence.text))
    shouting = not any(map(str.islower, sentence.text))
    found: list[Mention] = []
    starts_name = _NameStarts(tokens, walks, index, lower_text, people, shouting)
    end = 0  # tokens before it are inside a name already found
    # A name opens where a walk found a key, a demonym at a demonym: no other word starts anything.
    demonyms: set[int] = set()
    countries: set[int] = set()
    for i in [i for i, token in enumerate(tokens) if token.key in index.openers]:  # one pass: few words open any
        token = tokens[i]
        if token.key in index.demonyms:
            demonyms.add(i)
        if token.cap and (token.key in index.countries or token.pkey in index.country_prefixes):
            countries.add(i)
    acting_end = -1  # where the last country that acts ends ("by Egypt and Qatar")
    waiting: list[tuple[int, int, str]] = []  # countries that did not act (yet): a coordinated one may
    for i in sorted(walks.keys() | demonyms | countries):
        if i < end:
            continue
        walk = walks.get(i)
        hit = fitting_alias(tokens, i, walk, index, lower_text, people, shouting) if walk else None
        country = country_at(tokens, i, index) if hit is None and i in countries else None
        if country is not None:
            j, alias = country
            if country_acts(tokens, i, j, index, starts_name, acting_end):
                if covered is not None:
                    covered.append((i, j))  # (a country that does not act may be part of a group's name)
                found.append(_mention(sentence, tokens, i, j, alias.actor))
                acting_end = j
                while waiting and _coordinated(tokens, waiting[-1][1], i):
                    # "Saudi Arabia and the United Arab Emirates called for": the first one acts too
                    a, b, first = waiting.pop()
                    found.insert(len(found) - 1, _mention(sentence, tokens, a, b, first))  # in text order
            else:
                waiting.append((i, j, alias.actor))
            end = j
            continue
        if hit is not None:
            j, alias = hit
            if defined and j - i == 1 and defined.get(tokens[i].text, alias.actor) != alias.actor:
                end = j  # the document's own meaning of the acronym wins over the dictionary's
                continue
            if alias.letters and j - i > 1 and sentence.text[tokens[i].end : tokens[i].end + 1] != ".":
                end = i + 1  # "A U.N. peacekeeper": spaced letters are no dotted acronym ("A.U.")
                continue
            if j - i == 1 and i > 0 and _inside_longer_name(tokens, i, j, alias, index):
                end = j  # "Abdelrahim Dagalo" is not "Dagalo" (Mohamed Hamdan Dagalo): detection reads it
                continue
            if covered is not None:
                covered.append((i, j))
            if (j < len(tokens) and tokens[j].joined and not tokens[j - 1].possessive
                    and tokens[j].key in index.rules.source_nouns):  # fmt: skip
                end = j  # "Israeli army radio reported": a source, as after a demonym ("the LNA's media centre
                continue  # said" is the LNA speaking)
            if j < len(tokens) and tokens[j].joined and tokens[j].key in index.rules.ally_nouns:
                end = j  # "an airstrike by U.S. allies", "Russia's allies": the allies act, not the state
                continue
            if _acts(tokens, i, j, alias, index, starts_name):
                if alias.form == "generic" and generic is not None:
                    generic.append(len(found))
                found.append(_mention(sentence, tokens, i, j, alias.actor))
                if index.actors[alias.actor].type == "person":
                    people.add(alias.actor)
            end = j
            continue
        demonym = _demonym_at(tokens, i, index, lower_text)
        if demonym is not None:
            chain, end = demonym
            if covered is not None:
                covered.append((i, end))
            if end < len(tokens) and tokens[end].joined and tokens[end].key in index.rules.ally_nouns:
                continue  # "Iranian proxies": they act, not Iran
            if end < len(tokens) and tokens[end].joined and tokens[end].key in index.rules.title_words:
                if titles_a_person(tokens, end, index.rules):
                    continue  # "Sudanese army chief Abdel Fattah al-Burhan": a title, the person acts
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
    suffix = nxt is not None and nxt.hyphen and nxt.key in index.rules.actor_suffixes
    if suffix and labels_a_group(tokens, j, index.rules):
        return False  # "Islamic State-linked insurgents": a label; the insurgents act
    if titled and nxt is not None and not tokens[j - 1].possessive and nxt.key in index.rules.title_words:
        # "Kremlin spokesman Dmitry Peskov", "UN envoy Geir Pedersen": a name used as a title adjective;
        # "a Defence Ministry spokeswoman said" names no person: the ministry speaks.
        return not titles_a_person(tokens, j, index.rules)
    return True


def _coordinated(tokens: Sequence[Token], j: int, i: int) -> bool:
    """Only "and" / "or" (and "the") between the end of one name (j) and the start of the next (i)."""
    between = [t.key for t in tokens[j:i]]
    return bool(between) and between[0] in ("and", "or") and all(k in ("and", "or", "the") for k in between)


def country_at(tokens: Sequence[Token], i: int, index: ActorIndex) -> tuple[int, Alias] | None:
    """The longest country name or capital of states.csv starting at token i, with its end."""
    best: tuple[int, Alias] | None = None
    prefix = ""
    for j in range(i, min(len(tokens), i + 6)):
        token = tokens[j]
        if j > i and not token.joined:
            break
        key = f"{prefix} {token.key}" if prefix else token.key
        for alias in index.countries.get(key, ()):
            if alias.letters and not acronym_matches(tokens, i, j + 1, alias.letters):
                continue
            if not alias.letters and " ".join(t.text.lower() for t in tokens[i : j + 1]) not in index.country_surfaces:
                continue  # "Cameron" is not "Cameroon"
            best = (j + 1, alias)
            break
        prefix = f"{prefix} {token.pkey}" if prefix else token.pkey
        if prefix not in index.country_prefixes:
            break
    return best


def country_acts(
    tokens: Sequence[Token], i: int, j: int, index: ActorIndex, starts_name: Callable[[int], bool], acting_end: int
) -> bool:
    """Whether a country or capital at tokens[i:j] stands for its state acting (see [states] of actor_rules)."""
    rules, detect = index.rules, index.detect
    if detect is None:
        return False
    before = tokens[i - 1].key if i >= 1 and tokens[i].joined else ""
    if (
        len(before) > 4 and before.endswith("ed") and before not in rules.locatives
        and before not in detect.state_not_verbs and not tokens[i - 1].cap
    ):
        return True  # "thanked Kigali", "urged Moscow": the object of a verb of saying or acting
    if before == "in" and i >= 2 and tokens[i - 2].key in detect.personnel:
        return i < 3 or tokens[i - 3].key not in detect.group_nouns  # "Security forces in CAR", "Police in Haiti"
    if before in detect.state_verbs or before in rules.speech_verbs:
        return tokens[i - 1].key not in ("has", "have", "had", "will", "would")  # "Kinshasa accused Kigali"
    if toponym_role(tokens, i, j, rules, starts_name) != "actor":
        return False
    n = len(tokens)
    nxt = tokens[j] if j < n and tokens[j].joined else None
    if nxt is not None and nxt.hyphen:
        # "Iran-backed militias", "Rwanda-based": labels ("a Qatar-brokered truce": Qatar acts)
        return nxt.key in rules.actor_suffixes and not labels_a_group(tokens, j, rules)
    if i >= 2 and tokens[i].joined and tokens[i - 1].key in ("the", "a", "an") and tokens[i - 2].key in rules.locatives:
        return False  # "in the Central African Republic"
    if tokens[j - 1].possessive:
        # "Pakistan's army", "Ecuador's prison agency": the owner of a force or institution acts
        # ("Burkina Faso's military leader" is a title: the person acts)
        for p in range(j, min(n, j + 3)):
            if tokens[p].key in rules.force_nouns or tokens[p].key == "agency":
                return p + 1 >= n or tokens[p + 1].key not in rules.title_words
            if tokens[p].key in rules.title_words and tokens[p].joined:
                # "Saudi Arabia's deputy defense minister accused Iran": an office and no name, the state
                # speaks; "Sudan's foreign minister Ali Sadiq said": the person does
                return not titles_a_person(tokens, p, rules)
        return False
    if nxt is not None and nxt.key in rules.force_nouns:
        return True  # "Myanmar military", "Rwanda troops"
    if i >= 1 and tokens[i].joined and tokens[i - 1].key == "by":
        return True  # "violations by Pakistan"
    if i >= 2 and tokens[i - 1].key in rules.conjunctions and acting_end == i - 1:
        return True  # "by Egypt and Qatar"
    k = j
    auxiliary = False
    while k < n and k - j < 5 and tokens[k].joined and (tokens[k].key in detect.state_skip or tokens[k].text.isdigit()):
        auxiliary = auxiliary or tokens[k].key in detect.state_verbs
        k += 1
    if k >= n or not tokens[k].joined or tokens[k].cap:
        return False
    word = tokens[k].key
    if word in detect.state_not_verbs:
        return False  # "Somalia has been at war", "Libya has witnessed violence"
    if auxiliary or word in detect.state_verbs or word in rules.speech_verbs:
        return True
    return word.endswith("ed") and len(word) > 4


def _inside_longer_name(tokens: Sequence[Token], i: int, j: int, alias: Alias, index: ActorIndex) -> bool:
    """A person's one-word alias right after another capitalised name word is part of someone else's name."""
    if j - i != 1 or i == 0 or not tokens[i].joined or index.actors[alias.actor].type != "person":
        return False
    before = tokens[i - 1]
    rules = index.rules
    if not before.cap or before.possessive or not before.text.isalpha():
        return False
    return not ({before.key} & (rules.not_names | rules.title_words | rules.role_words))
