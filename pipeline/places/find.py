"""Places of a document: the two passes (``toponyms``, ``choose``) over its sentences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from pipeline import actors as actor_stage
from pipeline.namekeys import name_key
from pipeline.places.choose import (
    annotate_match,
    choose_entry,
    document_context,
    feature_name,
    foreign_feature,
    like_their_neighbours,
    within_regions,
)
from pipeline.places.enclosing import enclose
from pipeline.places.enclosing import load_rules as load_enclosing
from pipeline.places.gazetteer import FLAG_UNIT, load_index, lookup_in
from pipeline.places.relative import load_rules, locate
from pipeline.places.toponyms import PARTICLES, Gazetteer, Toponym, entry_kind, letters_of, read_toponyms
from pipeline.records import Mention, Place, Sentence


def load_gazetteer(data_dir: Path, actors: actor_stage.ActorIndex | None = None) -> Gazetteer:
    """The gazetteer; ``actors`` is the actor index of ``data_dir`` when the caller has loaded it already."""
    actors = actors or actor_stage.load_index(data_dir)
    state_names = frozenset(k for k, aliases in actors.aliases.items() if any(a.form == "place" for a in aliases))
    index = load_index(data_dir)
    return Gazetteer(index=index, actors=actors, rules=actors.rules, state_names=state_names,
                     quiet=PARTICLES | index.lower_starts, relative=load_rules(data_dir),
                     enclosing=load_enclosing(data_dir),
                     actor_keys=frozenset(actors.aliases) | frozenset(actors.demonyms))  # fmt: skip


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
    matches: list[Toponym] = []
    acting: list[str] = []
    named: set[str] = set()  # the countries of the document's demonyms ("the Yemeni capital")
    people: set[str] = set()
    lookup = lookup_in(gazetteer.index)
    walks = walks if walks is not None else actor_stage.document_walks(sentences, gazetteer.actors)
    for number, sentence in enumerate(sentences):
        found, states = read_toponyms(number, sentence.text, gazetteer, people, lookup, walks[number], named)
        matches.extend(found)
        acting.extend(states)
    matches = _with_bare_units(matches, sentences, gazetteer, people, lookup, walks, named)
    countries, admins, firm = document_context(matches, acting, gazetteer.index)
    feature_nouns = gazetteer.rules.feature_nouns
    others = [m for m in matches if not feature_name(m, feature_nouns)]
    # where the document is without its features' names ("Lido Beach" would vouch for the United States itself)
    around = countries if len(others) == len(matches) else document_context(others, acting, gazetteer.index)[0]
    firm |= named
    out: list[list[tuple[Mention, Place]]] = [[] for _ in sentences]
    here: dict[int, set[str]] = {}
    for m in matches:
        if len(m.entries) == 1:
            here.setdefault(m.sentence, set()).add(gazetteer.index.admin1[m.entries[0]])
    matches = within_regions(matches, sentences, gazetteer.index)
    chosen: list[tuple[Toponym, int]] = []
    for match in matches:
        best = choose_entry(match, gazetteer.index, countries, admins, here.get(match.sentence, set()), firm)
        if best is None or (feature_name(match, feature_nouns) and foreign_feature(best, gazetteer.index, around)):
            continue
        if match.force == "admin" and entry_kind(gazetteer.index, best) == "city":
            # "Zaporizhzhia Oblast" spelt as the city: the region around it, never the town's point; but "Yei
            # County" is a second-level unit named after its seat, not Central Equatoria State
            region = gazetteer.index.regions.get(gazetteer.index.admin1[best], best)
            if _named_alike(gazetteer.index.names[region], match.key):
                best = region
        chosen.append((match, best))
    chosen = like_their_neighbours(chosen, gazetteer.index)
    for match, best in chosen:
        out[match.sentence].append(annotate_match(sentences[match.sentence], match, best, gazetteer.index))
    if gazetteer.relative is not None:
        out = locate(sentences, out, gazetteer.index, gazetteer.relative, gazetteer.rules, gazetteer.actor_keys)
    if gazetteer.enclosing is not None:
        names = gazetteer.actor_keys
        out = enclose(sentences, out, gazetteer.index, gazetteer.enclosing, gazetteer.rules, names)
    return out


def _with_bare_units(
    matches: list[Toponym], sentences: Sequence[Sentence], gazetteer: Gazetteer, people: set[str],
    lookup: Callable[[str], tuple[tuple[int, ...], bool]], walks: Sequence[dict[int, actor_stage.Walk]],
    named: set[str],
) -> list[Toponym]:  # fmt: skip
    """The toponyms again for the sentences that write a second-level unit the document names with its noun
    elsewhere by its bare name ("... in Khyber Pakhtunkhwa's Bajaur district" ... "a blast in Bajaur on
    Sunday"): read alone, a unit's name counts only before or after its noun ("Bajaur said" is no place)."""
    index = gazetteer.index
    units = frozenset(e for m in matches for e in m.entries if index.flags[e] & FLAG_UNIT)
    if not units:
        return matches
    bare = {index.names[e].rsplit(" ", 1)[0] for e in units if " " in index.names[e]}
    again = [n for n, s in enumerate(sentences) if any(b in s.text for b in bare)]
    if not again:
        return matches
    kept = [m for m in matches if m.sentence not in again]
    for number in again:
        kept += read_toponyms(number, sentences[number].text, gazetteer, people, lookup, walks[number], named,
                              units)[0]  # fmt: skip
    return sorted(kept, key=lambda m: (m.sentence, m.i))


def _named_alike(region: str, key: str) -> bool:
    """Whether a region's name opens like the toponym ("Zaporiz'ka Oblast" and "zaporizhzhia"): the first four
    letters, which transliterations of one name keep."""
    own = letters_of(name_key(region))
    return len(own) >= 4 and own[:4] == letters_of(key)[:4]
