"""Places located relative to a named one: "the village of X, about 60 km north of Y", "X, a village 30 miles south
of Y", "X, 12 km outside Y".

Read after the two passes, over each sentence's chosen places (``data/relative_places.toml`` holds the words):

- X unknown to the gazetteer, Y a town: X is placed at Y moved by the distance along the bearing (at Y itself
  when no bearing is given), at precision 2: a place near a point, not a point;
- X known but chosen far from where the phrase puts it (a namesake elsewhere): X and Y are placed on the pair of
  their candidates that agrees with the distance and the bearing, else X at the point the phrase gives.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import patterns
from pipeline.geo import EARTH_RADIUS_KM, km
from pipeline.namekeys import EntityRules, fold, name_key
from pipeline.places.gazetteer import GazetteerIndex
from pipeline.records import Mention, Place, Sentence
from pipeline.rulefiles import alternation

RULES_FILE = "relative_places.toml"
PRECISION = 2  # near a point: the phrase gives a distance, not the place
AGREE_KM = 40.0  # a candidate this close to where the phrase puts it agrees with it (or 0.6 of the distance: news
BEARING_SLACK = 0.6  # bearings are rounded to eight points, distances to tens of km)
# A capitalised name ("Dogo Nahawa", "Ras al-Ain"), matched with case even where the rest of the phrase is not.
NAME = r"(?-i:[A-Z][\w'’.-]*(?:[ -](?:[A-Z][\w'’.-]*|al|el|de|du|la|le))*)"


@dataclass(frozen=True)
class RelativeRules:
    pattern: re.Pattern[str]  # the phrase before Y: "X, a village about 60 km north of "
    units: dict[str, float]  # km per unit
    bearings: dict[str, float]  # degrees clockwise from north
    links: tuple[str, ...]  # the words the phrase ends with, lower case: a cheap test before the pattern
    distance: re.Pattern[str]  # a number and a unit anywhere in the sentence: the first, cheapest test


def load_rules(data_dir: Path) -> RelativeRules | None:
    path = data_dir / RULES_FILE
    if not path.exists():
        return None
    raw = patterns.load_toml(path)["relative"]
    units = {str(k).lower(): float(v) for k, v in raw["units"].items()}
    bearings = {str(k).lower(): float(v) for k, v in raw["bearings"].items()}
    pattern = patterns.compile(
        rf"(?:\bthe\s+(?:{alternation(raw['settlements'])})\s+of\s+)?(?P<x>{NAME})"
        rf"(?:\s+(?:{alternation(raw['areas'])}))?\s*,?\s*"
        rf"(?:(?:an?|the)\s+(?:{alternation(raw['settlements'])})\s*,?\s*)?"
        rf"(?:(?:{alternation(raw['hedges'])})\s+)?(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>{alternation(list(units))})\.?"
        rf"(?:\s*\([^)]*\))?\s+(?:(?P<bearing>{alternation(list(bearings))})\s+)?"
        rf"(?:{alternation(raw['links'])})\s+(?:the\s+(?:town|city|village)\s+of\s+)?$",
        re.IGNORECASE,
    )
    links = tuple(" " + str(w).lower() for w in raw["links"]) + (" the town of", " the city of", " the village of")
    distance = patterns.compile(rf"\d\s*(?:{alternation(list(units))})\b", re.IGNORECASE)
    return RelativeRules(pattern, units, bearings, links, distance)


def moved(point: tuple[float, float], distance: float, bearing: float) -> tuple[float, float]:
    """The point ``distance`` km from ``point`` along ``bearing`` (degrees clockwise from north), on a sphere."""
    lat, lon, theta, delta = (math.radians(point[0]), math.radians(point[1]), math.radians(bearing),
                              distance / EARTH_RADIUS_KM)  # fmt: skip
    lat2 = math.asin(math.sin(lat) * math.cos(delta) + math.cos(lat) * math.sin(delta) * math.cos(theta))
    lon2 = lon + math.atan2(math.sin(theta) * math.sin(delta) * math.cos(lat),
                            math.cos(delta) - math.sin(lat) * math.sin(lat2))  # fmt: skip
    return round(math.degrees(lat2), 5), round((math.degrees(lon2) + 540) % 360 - 180, 5)


def locate(
    sentences: Sequence[Sentence], hits: list[list[tuple[Mention, Place]]], index: GazetteerIndex,
    rules: RelativeRules, words: EntityRules, actors: Container[str] = (),
) -> list[list[tuple[Mention, Place]]]:  # fmt: skip
    """``hits`` (per sentence, as ``find_places`` makes them) with the places the relative phrases locate;
    ``actors``: keys of actor names and demonyms ("a base held by the Taliban, 30 km south of Kandahar")."""
    return [_in_sentence(s, found, index, rules, words, actors) if found and rules.distance.search(s.text) else found
            for s, found in zip(sentences, hits, strict=True)]  # fmt: skip


def _in_sentence(
    sentence: Sentence, found: list[tuple[Mention, Place]], index: GazetteerIndex, rules: RelativeRules,
    words: EntityRules, actors: Container[str],
) -> list[tuple[Mention, Place]]:  # fmt: skip
    out = list(found)
    for anchor, (y_mention, y_place) in enumerate(found):
        if y_place.kind != "city":
            continue  # a distance from a region's or a country's middle says nothing
        head = sentence.text[: y_mention.start - sentence.start]
        if not head.rstrip().lower().endswith(rules.links) or not any(ch.isdigit() for ch in head[-80:]):
            continue  # most names follow no distance: no pattern for them
        m = rules.pattern.search(head[-200:])
        if m is None:
            continue
        distance = float(m["n"]) * rules.units[m["unit"].lower().rstrip(".")]
        bearing = rules.bearings.get(re.sub(r"\s+", " ", m["bearing"].lower())) if m["bearing"] else None
        x_start = sentence.start + len(head) - len(head[-200:]) + m.start("x")
        x_name = m["x"]
        while " " in x_name and name_key(x_name.split(" ", 1)[0]) in words.stopwords:
            opener = x_name.split(" ", 1)[0]
            x_name, x_start = x_name[len(opener) + 1 :], x_start + len(opener) + 1  # "In Tamou, ..."
        if any(name_key(w) in words.stopwords for w in x_name.split()) or x_name.isupper():
            continue  # "On Sunday, 20 km north of": a day, not a place
        if name_key(x_name) in actors:
            continue  # "held by the Taliban, 30 km south of": an actor
        x_end = x_start + len(x_name)
        known = next((k for k, (xm, _) in enumerate(out) if _overlap(xm, x_start, x_end)), None)
        y_point = (y_place.lat, y_place.lon)
        target = moved(y_point, distance, bearing) if bearing is not None else y_point
        if known is not None:
            x_mention, x_place = out[known]
            if x_place.kind != "city":
                continue  # "Idlib province, 20 km from Aleppo": a region is not moved to a point
            if km((x_place.lat, x_place.lon), y_point) <= distance * 1.5 + AGREE_KM:
                continue  # "Bakhmut, 90 km northeast of Donetsk": the known town agrees, roughly
            pair = _agreeing_pair(x_mention, y_mention, distance, bearing, index)
            if pair is not None:
                out[known] = _placed(x_mention, _entry_place(index, pair[0]))
                out[anchor] = _placed(y_mention, _entry_place(index, pair[1]))
                continue
            x_start, x_end, x_name = x_mention.start, x_mention.end, x_mention.text
            del out[known]  # a namesake far away: the point the phrase gives
        place = Place(name=fold(x_name), lat=target[0], lon=target[1], kind="city", country=y_place.country,
                      precision=PRECISION)  # fmt: skip
        mention = Mention(kind="place", text=x_name, start=x_start, end=x_end, value=place.name, lat=place.lat,
                          lon=place.lon, precision=PRECISION)  # fmt: skip
        out.append((mention, place))
    out.sort(key=lambda h: h[0].start)
    return out


def _overlap(mention: Mention, start: int, end: int) -> bool:
    return mention.start < end and start < mention.end


def _placed(mention: Mention, place: Place) -> tuple[Mention, Place]:
    return mention._replace(value=place.name, lat=place.lat, lon=place.lon, precision=place.precision), place


def _agreeing_pair(
    x: Mention, y: Mention, distance: float, bearing: float | None, index: GazetteerIndex
) -> tuple[int, int] | None:
    """The candidates of X and Y that agree best with the phrase ("Novoselivka, 15 km west of Pokrovsk": the
    Ukrainian village near the Ukrainian town, not namesakes in Odesa oblast and Russia), if any agree."""
    xs = _candidates(x, index)
    ys = _candidates(y, index)
    best, best_miss = None, math.inf
    for ey in ys[:50]:
        point = (index.lat[ey], index.lon[ey])
        target = moved(point, distance, bearing) if bearing is not None else point
        tolerance = max(AGREE_KM, distance * BEARING_SLACK) if bearing is not None else distance + AGREE_KM
        for ex in xs[:200]:
            miss = km((index.lat[ex], index.lon[ex]), target)
            if miss <= tolerance and miss < best_miss:
                best, best_miss = (ex, ey), miss
    return best


def _candidates(mention: Mention, index: GazetteerIndex) -> list[int]:
    seen: dict[int, None] = {}
    for name in (mention.text, mention.value):
        for e in index.lookup(name_key(name)):
            if index.kind(e) == "city":
                seen.setdefault(e, None)
    return list(seen)


def _entry_place(index: GazetteerIndex, entry: int) -> Place:
    country = index.country_names.get(index.countries[entry], index.countries[entry])
    return Place(name=index.names[entry], lat=round(index.lat[entry], 5), lon=round(index.lon[entry], 5),
                 kind=index.kind(entry), country=country, precision=index.precision[entry] or 1,
                 admin1=index.admin1[entry])  # fmt: skip
