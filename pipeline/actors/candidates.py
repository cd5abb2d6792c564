"""Candidates: capitalised names with an actor cue that no dictionary entry or detection rule took."""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.actors.dictionary import _NAME_PAIR, NAME_PARTICLES, ActorIndex, Walk, fitting_alias, name_walks
from pipeline.namekeys import (
    KEY,
    EntityRules,
    Token,
    fold,
    tokens_of,
)
from pipeline.records import Candidate, Mention, Sentence


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


def _looks_like_name(token: Token, not_name_words: frozenset[str]) -> bool:
    if not (token.cap and token.text.isalpha() and len(token.text) > 1) or token.text.isupper():
        return False  # "DSP Sadiq": a rank in capitals is no part of a name
    return token.key not in not_name_words


def find_candidates(
    sentences: Sequence[Sentence], index: ActorIndex, found: Sequence[Sequence[Mention]],
    walks: Sequence[dict[int, Walk]] | None = None,
) -> list[Candidate]:
    """Names missing from the dictionary that look like actors: the detected actors, and the other names
    with a cue.

    Every actor that detection found (a mention whose name is no dictionary entry) is a candidate; so is a
    name of two to four capitalised words when a role word stands before it ("spokesman X"), a speech verb
    right after it ("X said"), or an apposition with a role follows it ("X, a former spokesperson for ...").
    """
    rules = index.rules
    titles = index.detect.titles if index.detect is not None else frozenset()  # "Mr Gambo", "Major X"
    words = rules.not_names | rules.role_words | rules.title_words | titles  # never the start of a name
    candidates: list[Candidate] = []
    for number, (sentence, all_mentions) in enumerate(zip(sentences, found, strict=True)):
        mentions = [m for m in all_mentions if m.value in index.actors]
        seen: set[str] = set()
        for m in all_mentions:
            if m.value not in index.actors and m.value not in seen:
                seen.add(m.value)
                candidates.append(Candidate(name=m.value, sentence=sentence.text, doc_id=sentence.doc_id))
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
            if i in blocked or not _looks_like_name(tokens[i], words):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and j - i < 5 and j not in blocked and _continues(tokens, j):
                if _looks_like_name(tokens[j], words) or (tokens[j].key in NAME_PARTICLES and j + 1 < len(tokens)):
                    j += 1
                    continue
                break
            while j > i and tokens[j - 1].key in NAME_PARTICLES:
                j -= 1
            if 2 <= j - i <= 4 and _has_actor_cue(sentence.text, tokens, i, j, rules):
                name = " ".join(fold(sentence.text[tokens[i].start : tokens[j - 1].end]).split())
                if name not in seen:
                    seen.add(name)
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
