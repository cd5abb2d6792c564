"""Datelines: where a report was filed ("KHARTOUM, Dec. 15 (Xinhua) --", "BEIRUT (Reuters) -", "Srinagar:").

Cleaning cuts the dateline off the first paragraph (``CleanText.dateline``), so it is never a place of the
sentence's event; here it is geocoded once per document for ``documents.csv``'s ``dateline_place``. The first
part names the town; later parts may name its country or state ("PORT-AU-PRINCE, Haiti (AP)", "NASIR, South
Sudan, April 22, 2025"), which then decides between namesakes. A town is preferred to a region of the same
name (a report is filed from a town), then a capital, then the larger town.
"""

from __future__ import annotations

import math
import re

from pipeline.namekeys import name_key
from pipeline.places import Gazetteer
from pipeline.places.gazetteer import FLAG_CAPITAL, FLAG_CURATED, KIND_NAMES, GazetteerIndex
from pipeline.records import Place

_AGENCY = re.compile(r"\([^)]*\)")  # "(Reuters)", "(AP)", "(Kurdistan 24)"
# What a dateline's town may be: a filing place is a town first (Maputo the city, not the province).
KIND_ORDER = {"city": 3.0, "admin": 1.0, "region": 1.0, "feature": 0.0, "country": 2.0}


def dateline_place(dateline: str, gazetteer: Gazetteer) -> Place | None:
    """The place a dateline names, or None when it names none the gazetteer knows (or its country says no)."""
    index = gazetteer.index
    parts = [p.strip() for p in _AGENCY.sub(" ", dateline).split(",") if p.strip()]
    if not parts:
        return None
    candidates = index.lookup(name_key(parts[0]))
    if not candidates:
        return None
    within = _named_regions(parts[1:], index)
    if within:
        candidates = [e for e in candidates if any(_inside(e, r, index) for r in within)]
        if not candidates:
            return None  # "NASIR, South Sudan": the only Nasir known is elsewhere
    best = max(candidates, key=lambda e: _rank(e, index))
    kind = KIND_NAMES[index.kinds[best]]
    country = index.country_names.get(index.countries[best], index.countries[best])
    return Place(name=index.names[best], lat=round(index.lat[best], 5), lon=round(index.lon[best], 5), kind=kind,
                 country=country, precision=index.precision[best] or 1, admin1=index.admin1[best])  # fmt: skip


def _named_regions(parts: list[str], index: GazetteerIndex) -> list[int]:
    """Countries and first-level regions named after the town ("Haiti", "Illinois"); dates are skipped."""
    out: list[int] = []
    for part in parts:
        if any(ch.isdigit() for ch in part):
            continue
        out.extend(e for e in index.lookup(name_key(part)) if KIND_NAMES[index.kinds[e]] in ("country", "admin"))
    return out


def _inside(entry: int, region: int, index: GazetteerIndex) -> bool:
    if index.countries[entry] != index.countries[region]:
        return False
    return KIND_NAMES[index.kinds[region]] == "country" or index.admin1[entry] == index.admin1[region]


def _rank(entry: int, index: GazetteerIndex) -> tuple[float, float]:
    flags = index.flags[entry]
    bonus = (2.0 if flags & FLAG_CAPITAL else 0.0) + (1.0 if flags & FLAG_CURATED else 0.0)
    return KIND_ORDER.get(KIND_NAMES[index.kinds[entry]], 0.0) + bonus, math.log10(index.population[entry] + 1)
