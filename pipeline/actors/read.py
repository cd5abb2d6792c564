"""One document's actors: dictionary names, then detection on the words they leave, then the document checks.

``read_actors`` is the stage's entry point (see ``pipeline/actors/__init__.py``); it is compiled with the other
modules of the package (``pipeline/native.py``), as it runs once per sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.actors.detect import (
    DocumentState,
    Owners,
    acronym_defined_after,
    detect_in_sentence,
    may_name_an_actor,
)
from pipeline.actors.dictionary import ActorIndex, Walk, document_walks
from pipeline.actors.match import actors_in_sentence
from pipeline.namekeys import tokens_of
from pipeline.records import Actor, Mention, Sentence

DICTIONARY = "dictionary"
DETECTED = "detected"


@dataclass(frozen=True)
class DocumentActors:
    """The actors of one document: per sentence its mentions, and a record for every name they carry."""

    mentions: list[list[Mention]]
    actors: dict[str, Actor]  # dictionary entries and detected actors (``Actor.source`` says which)


def read_actors(
    sentences: Sequence[Sentence], index: ActorIndex, walks: Sequence[dict[int, Walk]] | None = None
) -> DocumentActors:
    """Dictionary names first, then detection on the words they leave, then the document-level checks."""
    people: set[str] = set()
    walks = walks if walks is not None else document_walks(sentences, index)
    state = DocumentState()
    per_sentence: list[list[Mention]] = []
    generic_at: list[tuple[int, Mention]] = []
    detect = index.detect
    for number, (sentence, walk) in enumerate(zip(sentences, walks, strict=True)):
        covered: list[tuple[int, int]] = []  # spans of tokens inside dictionary names
        generic: list[int] = []
        mentions = actors_in_sentence(sentence, index, people, walk, covered, generic, state.acronyms)
        if generic:
            generic_at.extend((number, mentions[k]) for k in generic)
        if detect is None:
            per_sentence.append(mentions)
            continue
        tokens = tokens_of(sentence.text)
        for named_here in mentions:  # an acronym the dictionary expands is defined for this document too
            if named_here.text.isupper() and 2 <= len(named_here.text) <= 8:
                state.acronyms.setdefault(named_here.text, named_here.value)
            elif "(" in sentence.text:  # and so is one defined after its name: "the Arakan Army (AA)", later "the AA"
                defined = acronym_defined_after(sentence.text, tokens, named_here.end - sentence.start)
                if defined:
                    state.acronyms.setdefault(defined, named_here.value)
        if not may_name_an_actor(tokens, detect, state):
            per_sentence.append(mentions)  # no cue word, acronym or name seen before: nothing to detect
            continue

        found = detect_in_sentence(
            sentence.text, tokens, {k for a, b in covered for k in range(a, b)}, index.rules, detect, state,
            index.state_words,
            Owners(tokens, mentions, sentence.start, index.demonyms),
        )
        for i, j, name, _ in found:
            first, last = tokens[i].start, tokens[j - 1].end
            value = index.actors[name].name if name in index.actors else name
            mentions.append(
                Mention("actor", sentence.text[first:last], sentence.start + first, sentence.start + last, value)
            )
        if found:
            mentions.sort(key=lambda m: m.start)
        per_sentence.append(mentions)
    if generic_at:
        drop = _unnamed_generics(sentences, per_sentence, generic_at, index)
        per_sentence = [[m for m in ms if id(m) not in drop] for ms in per_sentence]
    records: dict[str, Actor] = {}
    for mentions in per_sentence:
        for m in mentions:
            if m.value in records:
                continue
            known = index.actors.get(m.value)
            records[m.value] = known if known is not None else Actor(
                name=m.value, type=state.types.get(m.value, ""), affiliation=state.affiliations.get(m.value, ""),
                source=DETECTED,
            )  # fmt: skip
    return DocumentActors(mentions=per_sentence, actors=records)


def _unnamed_generics(
    sentences: Sequence[Sentence], per_sentence: list[list[Mention]], generic_at: list[tuple[int, Mention]],
    index: ActorIndex,
) -> set[int]:
    """The ids of the generic mentions ("government forces") whose actor the document names nowhere else:
    by a mention, or by a one-word name, place or demonym of it anywhere ("in Syria", "Syrian")."""
    generic_ids = {id(m) for _, m in generic_at}
    named = {m.value for ms in per_sentence for m in ms if id(m) not in generic_ids}
    needed = {m.value for _, m in generic_at} - named
    for sentence in sentences:
        if not needed:
            break
        keys = {t.key for t in tokens_of(sentence.text)}
        needed = {actor for actor in needed if index.namers.get(actor, frozenset()).isdisjoint(keys)}
    return {id(m) for _, m in generic_at if m.value in needed}


def find_actors(
    sentences: Sequence[Sentence], index: ActorIndex, walks: Sequence[dict[int, Walk]] | None = None
) -> list[list[Mention]]:
    """Per sentence, the actor mentions (kind "actor", value = canonical name), in document order.

    ``walks``: the document's ``document_walks`` when the caller has made them.
    """
    return read_actors(sentences, index, walks).mentions
