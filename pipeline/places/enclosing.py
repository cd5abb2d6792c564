"""Names the gazetteer does not know, written with a settlement or unit noun ("Machava village", "Magwi County",
"the village of Liche"): the sentence gets the finest area its document supports.

The area is the first-level region every sub-national place of the document lies in, else the one country of
its places; a document whose places spread over several countries, or that names no town or region at all,
supports none ("the Pakistani Taliban based in Afghanistan stormed a village in Salarzai Tehsil": Afghanistan
alone says nothing of the village). It is given at
precision 3 (a province or a country: the place is inside it, somewhere), and only to a sentence with no town or
region of its own (a country alone is coarser: "Machava village" in a report on Mozambique).
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import patterns
from pipeline.namekeys import EntityRules, name_key
from pipeline.places.gazetteer import GazetteerIndex
from pipeline.records import Mention, Place, Sentence
from pipeline.rulefiles import alternation

RULES_FILE = "enclosing_places.toml"
PRECISION = 3
NAME = r"(?-i:[A-Z][\w'’-]*(?: [A-Z][\w'’-]*){0,3})"  # a capitalised name of one to four words


@dataclass(frozen=True)
class EnclosingRules:
    pattern: re.Pattern[str]
    nouns: re.Pattern[str]  # the nouns alone, over the lower-cased sentence: a cheap test before the pattern


def load_rules(data_dir: Path) -> EnclosingRules | None:
    path = data_dir / RULES_FILE
    if not path.exists():
        return None
    raw = patterns.load_toml(path)["enclosing"]

    pattern = patterns.compile(
        rf"\b(?:the\s+(?:{alternation(raw['before'])})\s+of\s+(?P<a>{NAME})"
        rf"|(?P<b>{NAME})\s+(?:{alternation(raw['after'])})s?)\b",
        re.IGNORECASE,
    )
    nouns = patterns.compile(rf"\b(?:{alternation([*raw['before'], *raw['after']])})")
    return EnclosingRules(pattern, nouns)


def area_of(hits: Sequence[Sequence[tuple[Mention, Place]]], index: GazetteerIndex) -> tuple[str, str]:
    """(kind, code) of the finest area all the document's places lie in: ("admin", "MZ.05"), ("country", "MZ"),
    or ("", "") when they spread over several countries or there are none."""
    admins: set[str] = set()
    countries: set[str] = set()
    for found in hits:
        for _, place in found:
            key = name_key(place.name)
            entries = [e for e in index.lookup(key) if index.names[e] == place.name]
            if not entries:
                continue  # a place located from a phrase: its region is its named town's
            e = entries[0]
            countries.add(index.countries[e])
            if index.kind(e) in ("city", "admin") and index.admin1[e]:
                admins.add(index.admin1[e])
    countries.discard("")
    if len(countries) != 1 or not admins:
        return "", ""  # a country named alone may be where a group is based, not where its villages lie
    if len(admins) == 1:
        return "admin", next(iter(admins))
    return "country", next(iter(countries))


def enclose(
    sentences: Sequence[Sentence], hits: list[list[tuple[Mention, Place]]], index: GazetteerIndex,
    rules: EnclosingRules, words: EntityRules, actors: Container[str] = (),
) -> list[list[tuple[Mention, Place]]]:  # fmt: skip
    """``hits`` with the enclosing area for each sentence that names an unknown settlement or unit and no town or
    region of its own; ``actors``: keys of actor names and demonyms ("Taliban district chief", "Afghan village")."""
    kind, code = "", ""
    out = list(hits)  # a sentence's list is copied when an area is added to it
    for number, sentence in enumerate(sentences):
        if any(p.kind in ("city", "admin", "region") for _, p in out[number]):
            continue
        if rules.nouns.search(sentence.text.lower()) is None:
            continue
        for m in rules.pattern.finditer(sentence.text):
            name = m["a"] or m["b"]
            start = sentence.start + (m.start("a") if m["a"] else m.start("b"))
            if any(name_key(w) in words.stopwords for w in name.split()) or name_key(name) in actors:
                continue  # "On Sunday village elders", "The district", "Taliban district": no place name
            if any(h.start < start + len(name) and start < h.end for h, _ in out[number]):
                continue
            if not kind:
                kind, code = area_of(hits, index)
                if not kind:
                    return out
            entry = index.regions.get(code) if kind == "admin" else _country_entry(code, index)
            if entry is None:
                return out
            place = Place(name=index.names[entry], lat=round(index.lat[entry], 5), lon=round(index.lon[entry], 5),
                          kind=index.kind(entry), country=index.country_names.get(index.countries[entry], ""),
                          precision=PRECISION, admin1=index.admin1[entry])  # fmt: skip
            mention = Mention(kind="place", text=m.group(0), start=sentence.start + m.start(),
                              end=sentence.start + m.end(), value=place.name, lat=place.lat, lon=place.lon,
                              precision=PRECISION)  # fmt: skip
            out[number] = [*out[number], (mention, place)]
            break  # one area per sentence
    return out


def _country_entry(code: str, index: GazetteerIndex) -> int | None:
    name = index.country_names.get(code)
    if not name:
        return None
    entries = index.lookup(name_key(name))
    return next((e for e in entries if index.kind(e) == "country" and index.countries[e] == code), None)
