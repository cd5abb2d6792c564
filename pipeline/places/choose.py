"""Places, second pass: one gazetteer entry per toponym, preferring the countries and governorates the document
names unambiguously, then the feature type and the population, the way geoparsers such as CLAVIN and Mordecai
do; then the place mention and its record."""

from __future__ import annotations

import math
from collections.abc import Sequence

from pipeline.places.gazetteer import FLAG_CAPITAL, FLAG_CURATED, FLAG_DERIVED, GazetteerIndex
from pipeline.places.toponyms import BIG_CITY, Toponym, entry_kind, letters_of, own_key
from pipeline.records import Mention, Place, Sentence

# A country with at least this share of the document's unambiguous places is where an ambiguous name lies
# ("Tera" in a report on Niger is the Nigerien town, not an alternate name of Tehran).
HOME_SHARE = 0.25
# What the kind of an entry adds to its score when a toponym has several candidates.
KIND_SCORE = {"country": 1000, "admin": 4, "city": 6, "region": 2, "feature": 2}
OWN_NAME = 10.0  # what a town named as written adds over one found by an alternate name (a tenth of the population)
WATER = frozenset({"feature", "region"})  # curated kinds a derived region of the same name gives way to


def like_their_neighbours(chosen: list[tuple[Toponym, int]], index: GazetteerIndex) -> list[tuple[Toponym, int]]:
    """ "the heartlands of Helmand and Kandahar": a name joined to a region is the region of that name too."""
    out = list(chosen)
    for k in range(1, len(out)):
        (left, a), (right, b) = out[k - 1], out[k]
        if not right.conjoined or left.sentence != right.sentence:
            continue
        if entry_kind(index, a) == "admin" and entry_kind(index, b) == "city":
            out[k] = (right, _region_namesake(right, a, b, index))
        elif entry_kind(index, b) == "admin" and entry_kind(index, a) == "city":
            out[k - 1] = (left, _region_namesake(left, b, a, index))
    return out


def _region_namesake(match: Toponym, region: int, town: int, index: GazetteerIndex) -> int:
    """The first-level region among ``match``'s candidates in ``region``'s country, else ``town``."""
    for e in match.entries:
        if entry_kind(index, e) == "admin" and index.countries[e] == index.countries[region] and e != region:
            return e
    return town


def within_regions(matches: list[Toponym], sentences: Sequence[Sentence], index: GazetteerIndex) -> list[Toponym]:
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
            entry_kind(index, e) == "country" for e in second.entries
        )  # "the North-West and North-East regions of Nigeria": regions of that country or none
        # "the coastal town of Palma in northern Mozambique": a town in that country ("from Aleppo in Turkey" is not)
        in_region = between == "in" and first.cue and _towns_only(first, index) and not _from_before(
            sentences[first.sentence].text, first.a
        )
        if between != "," and not of_country and not in_region:
            continue
        if between == "," and all(any(entry_kind(index, e) == "country" for e in m.entries) for m in (first, second)):
            continue  # "hosted by Venezuela, Cuba and Norway": a list of countries, not the Cuban town Venezuela
        regions = [e for e in second.entries if entry_kind(index, e) in ("admin", "country")]
        inside = [e for e in first.entries if any(_inside(e, r, index) for r in regions)]
        if inside or of_country:
            out[k] = first._replace(entries=tuple(inside), cue=True)
        elif (between == "," and _abroad(first, second, index)) or (in_region and len(regions) == 1):
            # "NASIR, South Sudan": a town the gazetteer does not know there, not Nasir Extension in Sudan; "the town
            # of Palma in northern Mozambique": not Palma, Mallorca; and not elsewhere in the document either (one
            # sense per name and document)
            placed[first.entries] = index.countries[regions[0] if in_region else second.entries[0]]
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


def _towns_only(match: Toponym, index: GazetteerIndex) -> bool:
    return bool(match.entries) and all(entry_kind(index, e) == "city" for e in match.entries)


def _from_before(text: str, start: int) -> bool:
    """Whether the word before a name is "from" ("refugees from Aleppo in Turkey": where they came from)."""
    words = text[:start].split()
    return bool(words) and words[-1].lower() == "from"


def _abroad(first: Toponym, second: Toponym, index: GazetteerIndex) -> bool:
    """ "Town, Country" where every candidate of the town is a small GeoNames town outside that country."""
    if not first.entries or len(second.entries) != 1 or entry_kind(index, second.entries[0]) != "country":
        return False
    country = index.countries[second.entries[0]]
    return all(
        _small_town(e, index) and index.countries[e] != country for e in first.entries
    )  # fmt: skip


def _inside(entry: int, region: int, index: GazetteerIndex) -> bool:
    if index.countries[entry] != index.countries[region]:
        return False
    return entry_kind(index, region) == "country" or index.admin1[entry] == index.admin1[region]


def document_context(
    matches: Sequence[Toponym], acting: Sequence[str], index: GazetteerIndex
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
            if index.admin1[e] and entry_kind(index, e) != "country":
                admins.add(index.admin1[e])
    for country in acting:
        weights[country] = weights.get(country, 0.0) + 0.5
    total = sum(weights.values()) or 1.0
    return {c: w / total for c, w in weights.items()}, admins, frozenset(firm)


def _sure_entries(m: Toponym, index: GazetteerIndex) -> list[int]:
    entries = list(m.entries)
    countries = [e for e in entries if entry_kind(index, e) == "country"]
    if countries:
        return countries
    sure = [
        e for e in entries
        if index.flags[e] & FLAG_CURATED or (entry_kind(index, e) == "admin" and not index.flags[e] & FLAG_DERIVED)
    ]  # fmt: skip
    if not sure and m.force == "admin":
        sure = [e for e in entries if entry_kind(index, e) == "admin"]  # "Gezira State"
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


def choose_entry(
    match: Toponym, index: GazetteerIndex, countries: dict[str, float], admins: set[str], here: set[str],
    firm: frozenset[str] = frozenset(),
) -> int | None:
    best, best_score = None, -math.inf
    home, home_rank = None, (0.0, -math.inf)  # the best candidate in a country the document is mostly about
    entries = match.entries
    if match.force != "admin" and any(index.flags[e] & FLAG_CURATED and entry_kind(index, e) in WATER for e in entries):
        # "the Red Sea" is the sea, "Red Sea State" the Sudanese state
        entries = tuple(e for e in entries if not index.flags[e] & FLAG_DERIVED)
    letters = letters_of(match.key)
    for e in entries:
        kind = entry_kind(index, e)
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
        if kind == "city" and len(entries) > 1 and own_key(index.names[e]) == letters:
            score += OWN_NAME  # "Nasir" is the town of that name before a quarter that has it as an alternate name
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
    if (_small_town(best, index) and own_key(index.names[best]) != letters_of(match.key)
            and countries.get(index.countries[best], 0.0) < HOME_SHARE <= max(countries.values(), default=0.0)):
        return None  # "Nasir" in a report on South Sudan is not Nasir Extension, a Khartoum quarter
    if (_geonames_town(best, index) and _vowel_apart(own_key(index.names[best]), letters)
            and countries.get(index.countries[best], 0.0) < max(countries.values(), default=0.0)):
        # "Mambasa territory" in a report on DR Congo is not Mombasa, Kenya, whatever its size (the likeness counts
        # for Kenya itself, so Kenya need only be other than the document's main country)
        return None
    if match.force in ("city", "village", "unit") and index.flags[best] & FLAG_DERIVED:
        return None  # "the central Somali city of": a region is not a town
    if (match.single and firm and index.countries[best] not in firm and _geonames_town(best, index)
            and (index.population[best] < BIG_CITY or match.loose)
            and (match.loose or own_key(index.names[best]) != letters or len({index.countries[e] for e in entries}) > 1)):  # fmt: skip  # noqa: E501
        # "in Taji, north of Baghdad" is not Taiji, Japan; "Sakkai" in Kaduna State is not Sakai; but a town named
        # as written and nowhere else stays ("Cuamba", in a report that names Malawi)
        return None
    if match.single and not match.cue:
        # A lone word from GeoNames counts only inside the document's countries or for a city
        # (a big one when it opens the sentence, where every word is capitalised).
        big = BIG_CITY * 10 if match.initial else BIG_CITY
        if index.countries[best] not in countries and index.population[best] < big:
            if not index.flags[best] & FLAG_CAPITAL:
                return None
    return best


def _vowel_apart(own: str, written: str) -> bool:
    """Whether a name as written differs from the entry's own name by one vowel only ("Mambasa", "Mombasa"): a
    likeness the gazetteer lists as an alternate spelling, which may as well be another town of the region."""
    if len(own) != len(written) or own == written:
        return False
    apart = [(a, b) for a, b in zip(own, written, strict=True) if a != b]
    return len(apart) == 1 and all(c in "aeiouy" for c in apart[0])


def feature_name(match: Toponym, feature_nouns: frozenset[str]) -> bool:
    """A name of two words or more ending in a feature noun ("Lido Beach", "Bakara Market")."""
    words = match.key.split()
    return len(words) > 1 and words[-1] in feature_nouns


def foreign_feature(entry: int, index: GazetteerIndex, around: dict[str, float]) -> bool:
    """Whether a feature's name (``feature_name``) is read as a small GeoNames town of a country the rest of the
    document (``around``: the countries' shares without the features' names) is less about than another: in a
    report on Mogadishu, Lido Beach is the city's beach, which no gazetteer holds, not Lido Beach, New York."""
    return _small_town(entry, index) and around.get(index.countries[entry], 0.0) < max(around.values(), default=0.0)


def _geonames_town(entry: int, index: GazetteerIndex) -> bool:
    """A town of GeoNames alone: neither a curated place nor a capital."""
    return entry_kind(index, entry) == "city" and not index.flags[entry] & (FLAG_CURATED | FLAG_CAPITAL)


def _small_town(entry: int, index: GazetteerIndex) -> bool:
    """A town of GeoNames alone (``_geonames_town``) smaller than a big city: one a name may match by chance."""
    return _geonames_town(entry, index) and index.population[entry] < BIG_CITY


def _plain(entry: int, index: GazetteerIndex) -> bool:
    """A GeoNames town or derived region (not a country, not a curated place) may give way to a namesake in the
    document's own countries."""
    return entry_kind(index, entry) != "country" and not index.flags[entry] & FLAG_CURATED


def annotate_match(sentence: Sentence, match: Toponym, entry: int, index: GazetteerIndex) -> tuple[Mention, Place]:
    kind = entry_kind(index, entry)
    own = index.precision[entry] or 1
    precision = own
    if match.qualifier and kind in ("city", "feature"):
        precision = max(own, 2)
    lat, lon = round(index.lat[entry], 5), round(index.lon[entry], 5)
    name = index.names[entry]
    country = index.country_names.get(index.countries[entry], index.countries[entry])
    place = Place(name=name, lat=lat, lon=lon, kind=kind, country=country, precision=own, admin1=index.admin1[entry])
    mention = Mention(kind="place", text=sentence.text[match.a : match.b], start=sentence.start + match.a,
                      end=sentence.start + match.b, value=name, lat=lat, lon=lon, precision=precision)  # fmt: skip
    return mention, place
