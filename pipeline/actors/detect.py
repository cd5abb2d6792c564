"""Actors found from the text itself, with no dictionary entry: a small rule-based recogniser for conflict news.

- organisations and armed groups: capitalised names headed by a noun such as Forces, Army, Front, Alliance,
  Council, Ministry ("Rapid Support Forces", "Alliance Fleuve Congo", "Revolutionary Armed Forces of
  Colombia"), unless every other word is generic ("the Interior Ministry", "Security Forces");
- a capitalised word or acronym before a group noun: "M23 rebels", "Fano militiamen", "JNIM fighters";
- acronyms defined in the text ("the Tigray People's Liberation Front (TPLF)") and used again later;
- people: a capitalised name after a title or role ("Defence Minister Rustem Umerov", "Gen. Kong Thou"),
  before or after a speech verb ("Onyema Nwachukwu said", "said Yahya Saree"), or before an apposition with
  a role ("Garba Shehu, senior special assistant ..."); later a surname alone ("Umerov added") is the same person.

The words are data (``data/actor_rules.toml``); the dictionary's names have been matched before and are not
read again here. What is found carries its canonical name (the full name as first written, ASCII-folded), a
type and, where the title says it, an affiliation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import patterns
from pipeline.namekeys import EntityRules, Token, fold, key_set, skeleton
from pipeline.records import Mention

RULES_FILE = "actor_rules.toml"
ARTICLES = frozenset({"the", "a", "an"})
NAME_TITLES = frozenset({"sheikh", "shaikh", "sayyid", "sayed", "mullah", "haji", "hajji", "emir"})
LINKS = frozenset({"e", "i", "ul", "ud", "wa", "wal", "as", "ash", "ad", "an"})  # "Tehrik-e-Jihad", "Ahl as-Sunna"
NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "abu", "van", "von", "de", "der", "da", "ben", "wal", "bint"})


@dataclass(frozen=True)
class DetectRules:
    armed_heads: frozenset[str]
    organisation_heads: frozenset[str]
    joiners: frozenset[str]
    generic_words: frozenset[str]
    international_prefixes: frozenset[str]
    group_nouns: frozenset[str]
    group_not_names: frozenset[str]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    state_verbs: frozenset[str]
    state_skip: frozenset[str]
    state_not_verbs: frozenset[str]
    facilities: frozenset[str]
    personnel: frozenset[str]
    institution_heads: frozenset[str] = frozenset()  # a state's institutions: only with the state in the name
    group_descriptors: frozenset[str] = frozenset()  # "X vigilante group"
    group_roles: frozenset[str] = frozenset()  # "X leader Y": roles whose capitalised owner X is a group
    person_cues: frozenset[str] = frozenset()  # titles, roles, speech verbs
    heads: frozenset[str] = frozenset()  # armed_heads | organisation_heads
    leader_cues: frozenset[tuple[str, ...]] = frozenset()  # "government of X", "forces loyal to X": X leads


def load_detect_rules(data_dir: Path, rules: EntityRules) -> DetectRules:
    raw = patterns.load_toml(data_dir / RULES_FILE)
    orgs, groups, people, states = raw["organisations"], raw["groups"], raw["people"], raw["states"]
    leader_cues = frozenset(tuple(skeleton(w) for w in cue.split()) for cue in people.get("leader_cues", []))
    person_cues = key_set(people["titles"]) | rules.speech_verbs | rules.role_words | {c[0] for c in leader_cues}
    return DetectRules(
        armed_heads=key_set(orgs["armed_heads"]), organisation_heads=key_set(orgs["organisation_heads"]),
        joiners=key_set(orgs["joiners"]), generic_words=key_set(orgs["generic_words"]),
        international_prefixes=key_set(orgs["international_prefixes"]), group_nouns=key_set(groups["nouns"]),
        group_not_names=key_set(groups["not_names"]), titles=key_set(people["titles"]),
        title_modifiers=key_set(people["title_modifiers"]), state_verbs=key_set(states["verbs"]),
        state_skip=key_set(states["skip"]), state_not_verbs=key_set(states["not_verbs"]),
        facilities=key_set(orgs["facilities"]), personnel=key_set(states["personnel"]),
        person_cues=person_cues, leader_cues=leader_cues,
        heads=key_set(orgs["armed_heads"]) | key_set(orgs["organisation_heads"]),
        group_roles=key_set(people["group_roles"]), institution_heads=key_set(orgs["institution_heads"]),
        group_descriptors=key_set(groups["descriptors"]),
    )  # fmt: skip


class Owners:
    """The actor each token of a sentence names (its dictionary mentions, its demonyms), worked out only when
    a title asks for them."""

    def __init__(self, tokens: Sequence[Token], mentions: Sequence[Mention], at: int, demonyms: dict[str, str]):
        self.tokens = tokens
        self.mentions = mentions
        self.at = at
        self.demonyms = demonyms

    def of_tokens(self) -> dict[int, str]:
        out = {k: self.demonyms[t.key] for k, t in enumerate(self.tokens) if t.key in self.demonyms}
        for m in self.mentions:
            out.update((k, m.value) for k, t in enumerate(self.tokens) if m.start <= self.at + t.start < m.end)
        return out


@dataclass
class DocumentState:
    """What detection has learnt so far in one document: acronyms defined, people fully named."""

    acronyms: dict[str, str] = field(default_factory=dict)  # "TPLF" -> canonical name
    surnames: dict[str, str] = field(default_factory=dict)  # key of a name's tail ("san miguel") -> full name
    surname_words: set[str] = field(default_factory=set)  # the first word of every tail
    names: dict[tuple[str, ...], str] = field(default_factory=dict)  # keys of a detected group's name -> its name
    name_starts: set[str] = field(default_factory=set)  # the first key of every such name
    types: dict[str, str] = field(default_factory=dict)  # canonical name -> type
    affiliations: dict[str, str] = field(default_factory=dict)


def canonical(text: str) -> str:
    return " ".join(fold(text).replace("’", "'").split())


def _is_acronym_token(token: Token) -> bool:
    text = token.text
    return token.cap and text.isupper() and 2 <= len(text) <= 8


def _name_word(token: Token, rules: EntityRules, detect: DetectRules) -> bool:
    """A word that may be part of a person's name."""
    if not token.cap or not token.text.replace("'", "").replace("-", "").isalpha() or len(token.text) < 2:
        return False
    key = token.key
    return (
        key not in rules.not_names and key not in rules.title_words and key not in detect.titles
        and key not in rules.speech_verbs and key not in detect.armed_heads and key not in detect.organisation_heads
        and not _is_acronym_token(token)
    )  # fmt: skip


def _person_run(tokens: Sequence[Token], i: int, blocked: set[int], rules: EntityRules, detect: DetectRules) -> int:
    """The end of a person's name starting at token i (i itself when none): 1-4 name words, particles inside."""
    j = i
    n = len(tokens)
    while j < n and j - i < 5 and j not in blocked:
        token = tokens[j]
        if j > i and not token.joined:
            break
        if j > i and tokens[j - 1].possessive:
            break
        if _name_word(token, rules, detect):
            j += 1
        elif token.key in NAME_PARTICLES and j > i and j + 1 < n and tokens[j + 1].joined and tokens[j + 1].cap:
            j += 1
        elif (
            token.key in NAME_TITLES and token.cap and j > i and j + 1 < n and tokens[j + 1].joined
            and _name_word(tokens[j + 1], rules, detect)
        ):  # fmt: skip
            j += 1  # "Hassan Sheikh Mohamud": an honorific inside a name
        else:
            break
    while j > i and tokens[j - 1].key in NAME_PARTICLES:
        j -= 1
    return j


def _title_before(text: str, tokens: Sequence[Token], i: int, detect: DetectRules) -> int:
    """Where the title before token i starts (i when no role word stands right before it).

    "Defence Minister Rustem Umerov", "Gen. Kong Thou", "Public Relations Officer, DSP Abubakar Sadiq".
    """
    k = i - 1
    if k < 0:
        return i
    gap = text[tokens[k].end : tokens[i].start]
    if _is_acronym_token(tokens[k]) and len(tokens[k].text) <= 4 and k >= 1:
        before = text[tokens[k - 1].end : tokens[k].start].strip()
        if before in ("", ",") and tokens[k - 1].key in detect.titles:
            return k - 1  # a rank written as an acronym after the office: "Officer, DSP Abubakar Sadiq"
    if not (tokens[i].joined or gap == ". "):
        return i
    if tokens[k].key not in detect.titles:
        return i
    while k - 1 >= 0 and tokens[k].joined and (
        tokens[k - 1].key in detect.titles or tokens[k - 1].key in detect.title_modifiers
    ):
        k -= 1
    return k


def _has_role_after(text: str, tokens: Sequence[Token], j: int, rules: EntityRules, detect: DetectRules) -> bool:
    """ "X Y, the group's spokesman," / "X Y, senior special assistant ...": an apposition with a role."""
    if j >= len(tokens) or text[tokens[j - 1].end : tokens[j].start].strip() != ",":
        return False
    for t in tokens[j : j + 7]:
        if t.cap:
            continue  # an apposition's role is written in lower case ("Port-au-Prince" holds no "Prince")
        if t.key in rules.role_words or t.key in detect.titles - {"mr", "mrs", "ms", "dr", "head", "late"}:
            return True
    return False


def numeral(token: Token) -> bool:
    """A number that may begin a unit's name ("444 Brigade", "3rd Division"); a date's ("2025-03-16") is none."""
    text = token.text
    digits = text[:-2] if text[-2:] in ("st", "nd", "rd", "th") else text
    return digits.isdigit() and not token.hyphen


def may_name_an_actor(tokens: Sequence[Token], detect: DetectRules, state: DocumentState) -> bool:
    """A cheap test before ``detect_in_sentence``, in one pass: a head noun next to a capitalised word, a group
    noun after one, an acronym defined before, a name seen before, or two capitalised words and a person cue."""
    pair = cue = False
    prev: Token | None = None
    cap_before = False  # a capitalised word before ``prev`` (when prev is a group descriptor)
    for t in tokens:
        key = t.key
        if t.cap:
            if key in state.surname_words or key in state.name_starts or (
                key.upper() == t.text and t.text in state.acronyms
            ):
                return True
            if prev is not None and t.joined and (prev.cap or prev.text[:1].isdigit()):
                if key in detect.heads or prev.key in detect.heads:
                    return True  # "Arakan Army", "444 Brigade", "Alliance Fleuve Congo"
                pair = True
        elif prev is not None and key in detect.group_nouns and (t.joined or t.start - prev.end <= 2) and (
            prev.cap or (cap_before and prev.key in detect.group_descriptors)
        ):  # (a mark between: perhaps the quoted name's closing one, "the “Ti Makak” gang")
            return True  # "Fano militiamen", "KLF rebels", "the Bakassi Boys vigilante group"
        if key in detect.person_cues:
            cue = True
        cap_before = prev is not None and prev.cap
        prev = t
    return pair and cue


def detect_in_sentence(
    text: str, tokens: Sequence[Token], blocked: set[int], rules: EntityRules, detect: DetectRules,
    state: DocumentState, state_words: dict[str, str] | None = None, owners: Owners | None = None,
) -> list[tuple[int, int, str, str]]:
    """Actors in one sentence outside the ``blocked`` tokens (dictionary names): (i, j, name, type).

    ``owners``: the actor each token names (dictionary mentions, demonyms), for the affiliation a title
    gives ("RSF commander X" -> Rapid Support Forces, "Sudanese army chief X" -> Sudan). ``state_words``
    (demonyms and one-word country names, with their state) are part of a detected name only inside it
    ("Sudan Liberation Movement"; "Iraqi militia" names no group "Iraqi").
    """
    found: list[tuple[int, int, str, str]] = []
    n = len(tokens)
    taken: set[int] = set(blocked)
    speech = rules.speech_verbs

    def add(i: int, j: int, name: str, kind: str) -> None:
        found.append((i, j, name, kind))
        taken.update(range(i, j))
        state.types.setdefault(name, kind)
        if kind != "person" and kind != "state":  # seen again later without its cue: "RED-Tabara denied"
            seen = tuple(t.key for t in tokens[i:j])
            state.names.setdefault(seen, name)
            state.name_starts.add(seen[0])

    state_at: set[int] = set()  # country names and demonyms no dictionary name took: inside a name only
    state_words = state_words or {}

    def open_at(p: int) -> bool:
        return p not in taken or p in state_at

    # Where each rule may apply, in one pass over the words.
    heads = detect.heads
    head_at: list[int] = []
    acronym_at: list[int] = []
    group_at: list[int] = []
    name_at: list[int] = []
    for k, t in enumerate(tokens):
        if t.key in state_words:
            taken.add(k)
            if k not in blocked:
                state_at.add(k)
        elif not t.cap:
            if t.key in detect.group_nouns:
                group_at.append(k)
        elif t.key in heads:
            head_at.append(k)
        elif t.text.isupper() and len(t.text) >= 2:
            acronym_at.append(k)
        else:
            name_at.append(k)

    # 0. Names of groups found earlier in the document.
    if state.names:
        for k in range(n):
            if k in taken or not tokens[k].cap or tokens[k].key not in state.name_starts:
                continue
            for keys, known in state.names.items():
                end = k + len(keys)
                if keys[0] == tokens[k].key and end <= n and tuple(t.key for t in tokens[k:end]) == keys:
                    if not taken.intersection(range(k, end)):
                        add(k, end, known, state.types.get(known, "organisation"))
                    break

    # 1. Organisations headed by a noun, with an acronym defined after them.
    for h in head_at:
        if h in taken:
            continue
        i = h
        while i - 1 >= 0 and open_at(i - 1) and tokens[i].joined and not tokens[i - 1].possessive and (
            (tokens[i - 1].cap and tokens[i - 1].key not in ARTICLES
             and (tokens[i - 1].key not in rules.not_names or tokens[i - 1].key in detect.generic_words))
            or numeral(tokens[i - 1])
        ):  # fmt: skip
            i -= 1
        if i - 1 >= 0 and tokens[i].joined and tokens[i - 1].possessive and tokens[i - 1].cap and i - 1 not in taken:
            if tokens[i - 1].key not in rules.not_names:
                i -= 1  # "Tigray People's Liberation Front"
        j = h + 1
        while j < n and open_at(j) and tokens[j].joined:
            if tokens[j].cap or tokens[j].text.isdigit():
                j += 1
            elif tokens[j].key in detect.joiners and tokens[j].key != "and" and j + 1 < n and (
                tokens[j + 1].cap or (tokens[j + 1].key == "the" and j + 2 < n and tokens[j + 2].cap)
            ):
                j += 2 if tokens[j + 1].key == "the" else 1
            else:
                break
        while j > h + 1 and tokens[j - 1].key in detect.joiners:
            j -= 1
        if tokens[j - 1].key in speech:
            j -= 1
        words = [t.key for t in tokens[i:j]]
        if any(w in detect.facilities for w in words):
            continue  # "Government Secondary School", "Federal Medical Centre": places, not actors
        acronym = _defined_acronym(text, tokens, j)
        own = [w for p, w in zip(range(i, j), words, strict=True) if p not in state_at]
        international = any(" ".join(words[:k]) in detect.international_prefixes for k in (1, 2))
        if tokens[h].key in detect.institution_heads and not acronym and not international and not (
            set(range(i, j)) & state_at
        ):
            continue  # "the Ministry of Social Affairs": a state's institution, but the text names no state
        if i in state_at and tokens[i].key in state_words and not acronym:
            if all(w in detect.generic_words or w in rules.force_nouns for w in own):
                add(i, j, state_words[tokens[i].key], "state")  # "Kenya Defence Forces": the state's own forces
                continue
        elif not acronym and all(w in detect.generic_words or w in heads or w in detect.joiners for w in own):
            continue  # "the Interior Ministry", "Security Forces": no one in particular (unless it has an acronym)
        if j - i < 2:
            continue
        name = canonical(text[tokens[i].start : tokens[j - 1].end])
        kind = "international organisation" if international else (
            "armed group" if any(w in detect.armed_heads for w in words) else "organisation")  # fmt: skip
        add(i, j, name, kind)
        if acronym:
            state.acronyms[acronym] = name

    # 2. Acronyms: defined earlier, or before a group noun or a speech verb.
    for k in acronym_at:
        if k in taken or len(tokens[k].text) > 8:
            continue
        word = tokens[k].text
        if word in state.acronyms:
            add(k, k + 1, state.acronyms[word], state.types.get(state.acronyms[word], "organisation"))
            continue
        nxt = tokens[k + 1] if k + 1 < n and tokens[k + 1].joined else None
        if nxt is not None and nxt.key in detect.group_nouns and word.lower() not in detect.group_not_names:
            add(k, k + 1, word, "armed group")
            state.acronyms[word] = word

    # 3. A capitalised word before a group noun: "Fano militiamen", "the Ti Makak gang".
    for noun_at in group_at:
        if noun_at in taken or noun_at == 0 or not (tokens[noun_at].joined or _quoted_before(text, tokens, noun_at)):
            continue
        k = noun_at
        if tokens[k - 1].key in detect.group_descriptors and not tokens[k - 1].cap and tokens[k - 1].joined and k >= 2:
            k -= 1  # "the Bakassi Boys vigilante group"
        i = k
        quoted = not tokens[k].joined  # (the name's closing quotation mark before its noun: ``_quoted_before``)
        while i - 1 >= 0 and open_at(i - 1) and k - i < 4 and (tokens[i].joined or (quoted and i == k)):
            prev = tokens[i - 1]
            if prev.cap and prev.key not in rules.not_names and prev.key not in detect.group_not_names:
                i -= 1
            elif prev.key in NAME_PARTICLES | LINKS and prev.hyphen and tokens[i].hyphen and i - 2 >= 0:
                i -= 1  # "Tehrik-e-Jihad Pakistan": a particle between capitalised words
            else:
                break
        while i < k and not tokens[i].cap:
            i += 1
        if i == k or all(p in state_at for p in range(i, k)):
            continue  # nothing, or only a country or demonym ("Pakistani militias"): no group's name
        if i == 0 and k - i == 1 and tokens[0].key in detect.group_not_names:
            continue
        name = canonical(text[tokens[i].start : tokens[k - 1].end])
        add(i, k, name, "armed group")

    # 4. People: after a title, around a speech verb, before an apposition with a role (not in a headline,
    # where every word is capitalised and a capital proves nothing).
    k = 0
    if n >= 4 and not any(not t.cap and len(t.text) > 3 and t.text.isalpha() for t in tokens):
        name_at = [p for p in name_at if " ".join(t.key for t in tokens[p : p + 3]) in state.surnames
                   or tokens[p].key in state.surname_words]  # fmt: skip
    for start in name_at:
        if start < k:
            continue
        k = start
        if k in taken or not _name_word(tokens[k], rules, detect):
            k += 1
            continue
        j = _person_run(tokens, k, taken, rules, detect)
        if j == k:
            k += 1
            continue
        size = j - k
        title = _title_before(text, tokens, k, detect)
        titled = title < k
        before = k >= 1 and tokens[k - 1].key in speech and tokens[k].joined
        after = j < n and tokens[j].joined and tokens[j].key in speech
        role = _has_role_after(text, tokens, j, rules, detect)
        led = k >= 2 and tokens[k].joined and tokens[k - 1].joined and (  # "the government of Abdrabbuh Mansur Hadi"
            (tokens[k - 2].key, tokens[k - 1].key) in detect.leader_cues)
        short = " ".join(t.key for t in tokens[k:j])
        if short in state.surnames:
            add(k, j, state.surnames[short], "person")  # "Umerov", "San Miguel" after the full name
        elif size >= 2 and (titled or before or after or role or led):
            name = canonical(text[tokens[k].start : tokens[j - 1].end])
            add(k, j, name, "person")
            owner = _title_owner(tokens, title, k, owners.of_tokens()) if titled and owners is not None else ""
            if not owner and titled:
                owner = _group_before_title(text, tokens, title, taken, rules, detect, add)
            if owner:
                state.affiliations.setdefault(name, owner)
            words = [t.key for t in tokens[k:j]]
            for cut in range(1, len(words)):  # every tail of the name: "Miguel", "San Miguel"
                tail = " ".join(words[cut:])
                if len(tail) >= 4 and tail not in rules.not_names:
                    state.surnames.setdefault(tail, name)
                    state.surname_words.add(words[cut])
        k = max(j, k + 1)
    found.sort()
    return found


_CLOSING_QUOTES = frozenset('"\u201d\u2019\'\u00bb')


def _quoted_before(text: str, tokens: Sequence[Token], k: int) -> bool:
    """Whether only a closing quotation mark stands between token ``k`` and the name before it ("the “Gran
    Grif” gang": a quoted group's name before its noun)."""
    gap = text[tokens[k - 1].end : tokens[k].start].strip()
    return len(gap) == 1 and gap in _CLOSING_QUOTES and tokens[k - 1].cap


def _group_before_title(
    text: str, tokens: Sequence[Token], title: int, taken: set[int], rules: EntityRules, detect: DetectRules,
    add: Callable[[int, int, str, str], None],
) -> str:
    """ "Viv Ansanm leader Jimmy Cherizier": capitalised words right before a group role name the group."""
    if title == 0 or tokens[title].key not in detect.group_roles or not tokens[title].joined:
        return ""
    i = title
    while i - 1 >= 0 and title - i < 3 and i - 1 not in taken and tokens[i].joined and tokens[i - 1].cap:
        key = tokens[i - 1].key
        if key in ARTICLES or key in rules.not_names or key in detect.generic_words or key in rules.title_words:
            break
        i -= 1
    if i == title or (i == 0 and title - i == 1):
        return ""  # nothing, or one capitalised word that opens the sentence
    name = canonical(text[tokens[i].start : tokens[title - 1].end])
    add(i, title, name, "organisation")
    return name


def _title_owner(tokens: Sequence[Token], title: int, k: int, owners: dict[int, str]) -> str:
    """The actor named in or right before a person's title ("RSF commander", "Sudanese army chief")."""
    for p in range(k - 1, max(-1, title - 2), -1):
        if p in owners:
            return owners[p]
    return ""


def acronym_defined_after(text: str, tokens: Sequence[Token], end: int) -> str:
    """ "the Arakan Army (AA)": the acronym in brackets right after the name that ends at ``end`` (an offset in
    ``text``), else ""."""
    j = next((k for k, t in enumerate(tokens) if t.start >= end), len(tokens))
    return _defined_acronym(text, tokens, j) if j > 0 else ""


def _defined_acronym(text: str, tokens: Sequence[Token], j: int) -> str:
    """ "Rapid Support Forces (RSF)": the acronym in brackets right after token j - 1, else ""."""
    if j >= len(tokens) or not _is_acronym_token(tokens[j]):
        return ""
    gap = text[tokens[j - 1].end : tokens[j].start]
    if gap.strip() != "(":
        return ""
    close = text[tokens[j].end : tokens[j].end + 1]
    return tokens[j].text if close == ")" else ""
