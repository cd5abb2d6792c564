"""Incidents: the event rows of the whole corpus that report the same real-world happening, grouped.

A row can be part of an incident when it has a date of its own (``explicit``, ``relative`` or ``inherited``;
a ``reported`` row's date is only when it was reported) no coarser than a month, and says something about
what happened (an event type, an actor or a place); a day that names nothing (an embedded tweet's date line,
"— A. Witness (@witness) October 5, 2023"; of a night, "filmed last night", either of its days) joins what its
document tells of that day when that is one incident, or of its document's stories that day the one that shares
its words the most, and never makes one; so does, once every other row is placed, a row placed nowhere that tells
"the attack" (``anaphora_nouns``) and joined nothing as it stood; a tweet's date line also joins a statement its
page dates that day about the day before. Rows are taken finest first: days before weeks and months, towns before
provinces; rows that only join (a day whose year or weekday only its page or the corpus gives) once every row that
may found an incident is placed. A row joins an incident when nothing contradicts it and something agrees (a
place, a side or a type):

- dates: a day joins the same day (a night may be told as either of its days: "late Saturday night", "early
  Sunday"; an afternoon is no night: ``daytime_words``); a coarser value (a week, a month) only contains the
  incident's date. A date that tells when a happening was said or reported (``report_dated``: "a monitor said on
  Wednesday", a dateline "Aug. 3 (UPI) --", a photo caption's date before its credit, a quoted "today", a date in
  brackets after one of these: ``_restates``) lets it be that day or the day before. An undated
  page's "Sunday" is the one Sunday its page writes in full (a caption's "June 2, 2019"), joining, never founding;
  a page that writes no year takes the corpus's for its days without one, when one year alone has news of their
  months (``corpus_years``), joining, never founding;
  an undated page's weekday in a town placed by no day of its is the corpus's one day of news of that town on
  that weekday; placed nowhere, of a side it names (``weekday_from_corpus_sides``), joining; placed nowhere or
  only in a province or a country, and dated by neither, the corpus's one day of violent news on that weekday whose
  sentences share the page's rare words by far the most (``weekday_from_corpus_words``: "Friday's assault on the
  Crocus City Hall", ``CorpusWords``), joining, never founding, not even with another page, a night of it not at all;
  an undated page's weekday that no day it writes falls on is the one nearest them, within three days of each
  (``weekday_near_days``: "first attacked on Monday, July 7 ... a second attack on Tuesday morning"), joining;
  rows that only join and joined nothing make an incident together when two pages or more tell them
  (``corroborating_documents``: two undated pages that agree on a day they could only infer);
- one document: a row told "earlier" or "later" (``sequel_words``: "Earlier in the evening, a tanker blew up"; or
  the word right before its time expression: "Later that night")
  is another happening than the one its document told beside it, so it never shares an incident with another row
  of its document; and one sentence that tells two dates tells two happenings ("Sunday's attack came after last
  week's bombing");
- place: every place the sentence names counts, the finest first, except a country or a province named beside
  a finer place inside it ("Maaret al-Numan in Syria's Idlib province" is no report placed in "Syria"). The same
  town (or two names within ``SAME_TOWN_KM``); a coarser place contains the other: a country its towns, a
  region or a province those within ``RADIUS_KM``, two provinces only when they are the same. A town named like
  its province ("Idlib") is read as the province; a sea or a gulf (``water_kinds``) places nothing;
- actors: the parties named (states and armed groups of the dictionary; a person stands for the side he or she
  belongs to; monitors, media, aid groups and names no dictionary holds, mostly people quoted, are no party)
  overlap, or one side names none, or names its sides only through people (``Row.groups``: a president quoted,
  "Zelenskyy's hometown", contradicts no side); in the same town the same
  day they need not (a sentence also names victims, bystanders and the sides of a response), nor when a row of its
  page of the same type and town is in the incident (a page names the victims in one sentence, the accused in
  another);
- event type: the same, or one side has none; meetings, agreements, statements and threats are one kind,
  and may be placed where they were held or what they were about when they share a side. A row whose time
  expression is followed directly by a political trigger is read as that type (``clause_type``: "the explosion
  comes after the president on Wednesday threatened to launch an offensive" dates a threat). Types that may
  tell one incident (``related_types``: a convoy's movement that was struck) join when the sentence of one
  also tells the other's type by its triggers ("an airstrike hit a convoy"), they share a side, and their
  places are the same or one holds the other (not merely near). What a side said (``reporting_types``: "the
  army announced it had imposed full control over the town") joins an incident of another type in the same
  town when they share a side. An incident told with several types keeps each type's sides: a report of one
  type is compared with the sides the incident's reports of that type name (a convoy's movement is Turkey's;
  another side's advance that day is another movement);
- a movement names a route (where a convoy passed, where it was going): for it, two towns within ``route_km``
  are one place.

A row that is precise (a day or a date of saying, a town, an event type) joins the nearest compatible incident
(of the day it names, when two are as near). A row that is
coarse in any of these (a week, a province, no place, no type) joins only when exactly one incident is
compatible; or, of a day, the one whose reports share its rare words by far the most (``words_margin``: the
words weighed by how few documents use them); or, of a day in a town, that town's one incident when the others are
placed nowhere ("officials reported Sunday" in Sumy: the Sumy strike, not a strike of the day placed nowhere); or
the only one that shares its side when the others name none
(for a row that is placed or political: a violent report placed nowhere names its victims too); or, of a day,
the only one not first told as an aside of another happening ("Later in the day, a second explosion").
Otherwise it stays an incident of its own. Incidents are looked up by day and by map cell, so the rows are never
compared all against all.

The functions are pure: ``incidents_of`` takes the event table's columns and gives back each row's incident
id and the incident rows (``incident_tables`` does the same over the Arrow tables).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pipeline import eventtypes, geo, patterns
from pipeline.settings import DATA_DIR

# The event table's columns grouping reads.
COLUMNS_READ = (
    "event_id", "doc_id", "publisher", "published", "date_basis", "date_start", "date_end", "granularity",
    "actors", "locations", "event_type", "lat", "lon", "place_precision", "time_text", "time_value", "sentence",
)  # fmt: skip
OWN_DATE = frozenset({"explicit", "relative", "inherited"})  # a date of its own
# The rows grouping reads (the build holds only these for the pass over the corpus): a date of its own, or a day
# and month without a year ("On 7 April" on an undated page), which the document's own dates may place.
DATED = OWN_DATE | {"unresolved"}
YEARLESS_DAY = re.compile(r"XXXX-(\d\d)-(\d\d)")  # TimeML: a day and month written without a year
YEARLESS_MONTH = re.compile(r"XXXX-(\d\d)")  # a month written without a year
RELATIVE_WORD = re.compile(r"\b(?:last|next|this|previous|coming|past|following)\b", re.IGNORECASE)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A weekday alone, as the date stage leaves it unresolved on an undated page ("Sunday", "on Sunday", "Sunday night",
# "last Sunday": the one before the page was written, as "on Sunday" is)
WEEKDAY = re.compile(
    r"(?:(?:later|earlier)\s+on\s+|(?:late|early)\s+last\s+|on\s+|late\s+|early\s+|last\s+)?("
    + "|".join(WEEKDAYS) + r")(?:\s+(?:morning|afternoon|evening|night))?",
    re.IGNORECASE,
)
RULES_FILE = DATA_DIR / "incident_rules.toml"


def _rules(path: Path = RULES_FILE) -> dict:
    """The tunable rules of grouping, as data (``data/incident_rules.toml``)."""
    return patterns.load_toml(path)


RULES = _rules()
ANCHORS = frozenset(RULES["year_anchors"])  # the granularities of a document's own dates that give it its year
FALLBACK_ANCHORS = frozenset(RULES["fallback_year_anchors"])  # those that give it on a page that writes none of those
SAME_TOWN_KM = float(RULES["same_town_km"])  # two town names closer than this are one place
RADIUS_KM = {1: SAME_TOWN_KM, 2: float(RULES["region_km"]), 3: float(RULES["province_km"])}  # by precision
MAX_SPAN_DAYS = int(RULES["max_span_days"])  # a date this long or longer is too vague to make an incident
POLITICAL = frozenset(RULES["political"])
UNPLACED_KM = RADIUS_KM[3] + 1  # the distance given to a pair where one side names no place
CELL_DEG = float(RULES["cell_degrees"])  # map cells for the look-up (~55 km)
SCAN_LIMIT = int(RULES["scan_limit"])  # incidents looked at for a coarse row: past this many, it cannot tell
NOT_PARTIES = frozenset(RULES["not_parties"])
BRANCH_KINDS = frozenset(RULES["branch_kinds"])  # a group of one of these kinds affiliated to another: its branch
BRANCH_OF = "|"  # between a branch's side and the sides of the groups it is a branch of (``parties_of``)
JOIN = "; "
ONE_DAY = dt.timedelta(days=1)
WATER_KINDS = frozenset(RULES["water_kinds"])  # places of these kinds without a country are seas and gulfs
SEQUEL = re.compile(r"\b(" + "|".join(map(re.escape, RULES["sequel_words"])) + r")\b", re.IGNORECASE)
# A sequel word right before the time expression, which the date stage left out of it ("Later that night, ...")
SEQUEL_BEFORE = re.compile(r"\b(" + "|".join(map(re.escape, RULES["sequel_words"])) + r")\s*,?\s*$", re.IGNORECASE)
REPORT_LAG = dt.timedelta(days=int(RULES["report_lag_days"]))
# "a monitor said on Wednesday", "reported on Thursday 21 November that", "told AFP on Sunday": the word before
REPORT_VERBS = frozenset(RULES["report_verbs"])
# A dateline: the date opens the sentence (after a place), then an agency and a dash ("Aug. 3 (UPI) --")
DATELINE_BEFORE = re.compile(r"^\W*(?:[A-Z][\w'’. -]*,\s*)?$")
DATELINE_AFTER = re.compile(r"^\s*(?:\([^)]{1,40}\))?\s*(?:--|—|–|-|:)\s")
# A photo caption: the date closes it, followed only by the credit, a name ("- 21 November 2019 (EMC)"; not a time
# or a date in brackets, "(1900 GMT)", "on Friday (Oct 6).")
CREDIT_AFTER = re.compile(r"^\s*[.,]?\s*[(\[](?![^)\]]*(?:GMT|UTC|[Ll]ocal))[^)\]\d]{1,60}[)\]]\W*$")
# A day named from the speaker's own day ("today", "this morning"): inside a quotation, the day it was said
QUOTED_DAY = re.compile(r"(?:" + "|".join(map(re.escape, RULES["quoted_days"])) + r")", re.IGNORECASE)
# A happening told as one already known ("the attack", "Saturday's blast", "this deadly strike"): ``anaphora_nouns``
ANAPHORA = re.compile(
    r"\b(?:the|this|that|(?:" + "|".join([*WEEKDAYS, "yesterday", "today"]) + r")['’]s)\s+(?:[\w-]+\s+){0,2}?(?:"
    + "|".join(map(re.escape, RULES["anaphora_nouns"])) + r")\b", re.IGNORECASE)
ANAPHORA_NOUNS = tuple(RULES["anaphora_nouns"])
# A day told as some days after a happening named right after it ("On Sunday, a day after the devastating strike"):
# the days back, by the words before "after" (``aftermath_days``)
AFTERMATH_DAYS = {k.lower(): int(v) for k, v in RULES["aftermath_days"].items()}
AFTERMATH = re.compile(
    r"\s*,?\s*(?:(" + "|".join(map(re.escape, sorted(AFTERMATH_DAYS, key=len, reverse=True))) + r")\s+after|"
    + "|".join(map(re.escape, RULES["aftermath_words"])) + r")\s+"
    r"(?:[\w'’-]+\s+){0,5}?(?:" + "|".join(map(re.escape, RULES["anaphora_nouns"])) + r")\b", re.IGNORECASE)
# A photo caption that tells what it shows as after a happening and closes with its date ("... shows rescuers
# clearing the rubble following a shooting attack in Krasnogorsk, outside Moscow, Russia, 23 March 2024.")
CAPTION_AFTERMATH = re.compile(
    r"\b(?:" + "|".join(map(re.escape, RULES["aftermath_words"])) + r")\s+(?:[\w'’-]+\s+){0,5}?(?:"
    + "|".join(map(re.escape, RULES["anaphora_nouns"])) + r")\b", re.IGNORECASE)
CLOSES = re.compile(r"\W*")  # what may follow a date that closes its sentence
SET_OFF = re.compile(r",\s*$")  # ... set off by a comma (not "after a Houthi attack on July 6.": the attack's date)
NIGHT = re.compile(r"\b(" + "|".join(map(re.escape, RULES["night_words"])) + r")\b", re.IGNORECASE)
DAYTIME = re.compile(r"\b(" + "|".join(map(re.escape, RULES["daytime_words"])) + r")\b", re.IGNORECASE)
RELATED = frozenset(frozenset(pair) for pair in RULES["related_types"])  # types that may tell one incident
NO_TYPES: frozenset[str] = frozenset()
NO_SIDES: frozenset[str] = frozenset()
RELATED_TO = {kind: frozenset(t for pair in RELATED if kind in pair for t in pair if t != kind)
              for pair in RELATED for kind in pair}  # fmt: skip
REPORTING = frozenset(RULES["reporting_types"])  # what someone said, of an incident of another type
# The triggers of the related types (data/event_types.csv), read when a sentence is first asked (``tells``)
TRIGGERS: dict[str, re.Pattern[str]] = {}
EVENT_RULES: list[eventtypes.EventTypeRules] = []  # the event types (data/event_types.csv), read when first asked
ROUTE_TYPES = frozenset(RULES["route_types"])  # types whose towns may lie along a route
ROUTE_KM = float(RULES["route_km"])
TIE_LIMIT = int(RULES["tie_limit"])  # compatible incidents a coarse row's words may choose among
WORDS_MARGIN = float(RULES["words_margin"])  # how much rarer the words it shares with the chosen one must weigh
UNSEEN_DOCUMENTS = int(RULES["unseen_documents"])  # news a month's few documents stand for (``Lexicon``)
WORD = re.compile(r"[^\W\d_]{4,}")  # a word of four letters or more
COMMON_WORDS = frozenset(RULES["common_words"])
YEAR_FROM_CORPUS = bool(RULES["year_from_corpus"])  # a page that writes no year may take the corpus's
# A destination phrase ("a train to", "bound for"): the place after it is where someone was going
DESTINATION = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in RULES["destination_words"])
                         + r")\s+(?:to|for)\s+(?:the\s+)?", re.IGNORECASE)  # fmt: skip
WEEKDAY_FROM_CORPUS = bool(RULES["weekday_from_corpus"])  # an undated page's weekday may take the corpus's one day
WEEKDAY_SIDES = bool(RULES["weekday_from_corpus_sides"])  # ... or the corpus's one day of news of its side
SIDE_KEY = "side:"  # a side's key among the towns' (``_side_keys``)
WEEKDAY_WORDS = bool(RULES["weekday_from_corpus_words"])  # ... or the corpus's day of news sharing its rare words
WORDS_KEY = "words"  # the key among the towns' of a row only the corpus's words may date (``_words_key``)
WORDS_RARITY = float(RULES["words_rarity"])  # how rare in the corpus a page's word must be to count
WORDS_WEEKDAY_MARGIN = float(RULES["words_weekday_margin"])  # by how much the chosen day must outweigh any other
WORDS_SPAN = dt.timedelta(days=int(RULES["words_span_days"]))  # the days a page's weekdays take: within one week
# A page whose weekdays only the corpus's words date is also named in ``days`` under this prefix: its rows join an
# incident, never make one, not even with another page's (``corroborating_documents``)
WORDED = "\0words:"  # (no document id holds a NUL)
# Rows that only join and joined nothing (their day only their pages give) make an incident when this many pages
# give that day to compatible rows (0: never)
CORROBORATING_DOCUMENTS = int(RULES["corroborating_documents"])
WEEKDAY_NEAR_DAYS = min(3, int(RULES["weekday_near_days"]))  # a weekday its page writes no day of: the nearest
YEARLESS_MONTHS = bool(RULES["yearless_months"])  # a month without a year takes its page's year, as a day does
WORD_ENDINGS = tuple(sorted(RULES["word_endings"], key=len, reverse=True))  # the longest first
# A day a page names only from its publication date ("yesterday", "today"): its stamp may be a day late
PUBLICATION_DAY = re.compile(r"(?:" + "|".join(re.escape(w) for w in RULES["publication_days"]) + r")(?:['’]s)?",
                             re.IGNORECASE) if RULES["publication_days"] else None  # fmt: skip


def parties_of(dictionary: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Each actor's side, from the actor dictionary (name -> (type, affiliation)): a state or an armed group
    is its own side, a person the side he or she belongs to; an observer (a monitor, the media, an aid group)
    is none (""). A branch (``branch_kinds``: an armed group affiliated to another) is on its side and on the
    side of the group it is a branch of, and of that group's own, written one after the other (``BRANCH_OF``:
    "Jama'at Nusrat al-Islam wal-Muslimin|al-Qaeda"), and so is a person who belongs to it."""
    sides = {}
    for name, (kind, affiliation) in dictionary.items():
        if kind in NOT_PARTIES:
            sides[name] = ""
        elif kind != "person":
            chain = [name]
            while kind in BRANCH_KINDS and affiliation in dictionary and affiliation not in chain:
                kind, parent = dictionary[affiliation][0], affiliation
                if kind not in BRANCH_KINDS:
                    break
                chain.append(parent)
                affiliation = dictionary[parent][1]
            sides[name] = BRANCH_OF.join(chain)
    for name, (kind, affiliation) in dictionary.items():
        if kind == "person":
            sides[name] = (sides.get(affiliation) or affiliation) if affiliation in dictionary else ""
    return sides


class Spot(NamedTuple):
    """A place a row names: where it is, how precisely, and in which country."""

    name: str
    lat: float
    lon: float
    precision: int  # 1 town, 2 region or near, 3 province or country
    country: str
    is_country: bool
    town: bool = False  # named as a town, though read as its province ("Homs")


class Row(NamedTuple):
    """What grouping reads of one event row (a named tuple: one is made for every dated row)."""

    position: int  # in the event table
    event_id: str
    doc_id: str
    publisher: str
    published: str
    start: dt.date
    end: dt.date
    granularity: str
    spots: tuple[Spot, ...]  # every place the sentence names, the finest first
    actors: tuple[str, ...]
    parties: frozenset[str]
    groups: frozenset[str]  # the sides named themselves (a state, an armed group), not through a person
    event_type: str
    night: bool  # "late Saturday night", "overnight", "early Sunday": a night reported on either of its days
    daytime: bool  # "on Thursday afternoon" (and no night word): not a night's happening
    sequel: bool  # "earlier in the evening", "hours later": another happening than the one its document told before
    reported: bool  # its date is when it was said or reported (``report_dated``): it starts the day before
    bare: bool  # a day that names nothing else (a tweet's date line): joins what its document tells of that day
    anaphoric: bool  # it told "the attack" and joined nothing: now its page's story's (``_deferred``)
    precise: bool  # a day, a town and a violent or physical event type: joins the nearest compatible incident
    anchored: bool  # a day and month whose year comes from its document's own dates: joins, never founds
    political: bool  # a meeting, an agreement, a statement or a threat
    sentence: str  # read only when it matters: the types it tells (``tells``), its words (``Lexicon``)
    # The finest place (fields, not properties: read for every comparison)
    spot: Spot | None
    place: str
    lat: float | None
    lon: float | None
    precision: int  # 3 without a place
    told_day: dt.date | None = None  # "On Sunday, a day after the strike": the day it names (it is dated the strike's)
    late: bool = False  # its day its page gives only as "yesterday" or "today" (``publication_days``): maybe a day late
    worded: bool = False  # its day only the corpus's news sharing its page's rare words gives: it never founds


@dataclass(eq=False)
class Incident:
    members: list[Row]
    start: dt.date
    end: dt.date
    place: Row  # the member with the finest place
    parties: set[str] = field(default_factory=set)  # every side its reports name
    event_type: str = ""  # the first type told
    night: bool = False
    sides: dict[str, set[str]] = field(default_factory=dict)  # the sides its reports of each type name ("": none)
    told: dict[str, bool] = field(default_factory=dict)  # whether its reports tell a type (``_told``), once asked
    documents: dict[str, bool] = field(default_factory=dict)  # its documents: whether one of their rows is a sequel
    hours: set[bool] = field(default_factory=set)  # the parts of the day its reports name (True: the night)
    groups: set[str] = field(default_factory=set)  # the sides its reports name themselves (``Row.groups``)
    merged: bool = False  # moved into another incident (``_late_pages``)

    def __post_init__(self) -> None:
        for row in self.members:
            self.documents[row.doc_id] = self.documents.get(row.doc_id, False) or row.sequel
            self.groups |= row.groups
            if row.night or row.daytime:
                self.hours.add(row.night)

    def add(self, row: Row) -> None:
        self.members.append(row)
        self.documents[row.doc_id] = self.documents.get(row.doc_id, False) or row.sequel
        for kind, told in self.told.items():
            if not told:
                self.told[kind] = row.event_type == kind or tells(row.sentence, kind)
        self.sides.setdefault(row.event_type, set()).update(row.parties)
        if row.start <= self.end and row.end >= self.start:  # a night's other day leaves the dates as they were
            self.start, self.end = max(self.start, row.start), min(self.end, row.end)
        self.night = self.night or row.night
        if row.night or row.daytime:
            self.hours.add(row.night)
        if row.spots and (not self.place.spots or row.precision < self.place.precision):
            self.place = row
        self.parties |= row.parties
        self.groups |= row.groups
        self.event_type = self.event_type or row.event_type


# name -> (lat, lon, kind, country, precision): the rows of places.csv
Places = Mapping[str, tuple[float, float, str, str, int]]


def _destinations(sentence: str) -> tuple[str, ...]:
    """What follows each destination phrase of a sentence ("a train to ", "bound for ": ``destination_words``)."""
    if " to " not in sentence and " for " not in sentence:
        return ()
    return tuple(sentence[m.end():] for m in DESTINATION.finditer(sentence))


def _spots(columns: Mapping[str, Sequence], i: int, places: Places, provinces: frozenset[str]) -> tuple[Spot, ...]:
    """The row's places: its first with the precision its mention had (e.g. "near X"), the others as in the
    places table; the finest first, without a country or province it names a finer place of. A town named like its
    province ("Idlib", "Aleppo") is as coarse as the province: news says "Idlib" for both."""
    names = [n for n in (columns["locations"][i] or "").split(JOIN) if n]
    lat, lon = columns["lat"][i], columns["lon"][i]
    sentences = columns.get("sentence")
    away = _destinations(sentences[i] or "") if sentences and names else ()
    spots = []
    for k, name in enumerate(names):
        if away and any(a.startswith(name) for a in away):
            continue  # where it was going ("as a crowd awaited a train to Peshawar"), not where it happened
        known = places.get(name)
        if known is not None and known[2] in WATER_KINDS and not known[3]:
            continue  # a sea's or a gulf's centre says nothing of where on it or its shores ("the Red Sea port city")
        if k == 0 and lat is not None and lon is not None and not (isinstance(lat, float) and math.isnan(lat)):
            precision = columns["place_precision"][i]
            kind, country = (known[2], known[3]) if known else ("", "")
            precision = int(precision) if precision is not None else 3
            spots.append(Spot(name, float(lat), float(lon), 3 if name in provinces else precision, country,
                              kind == "country" or name == country, precision == 1))  # fmt: skip
        elif known is not None:
            spots.append(Spot(name, known[0], known[1], 3 if name in provinces else int(known[4]), known[3],
                              known[2] == "country" or name == known[3], int(known[4]) == 1))  # fmt: skip
    # A country or a province named beside a finer place inside it ("Maaret al-Numan in Syria's Idlib province")
    # places the row no further: kept, it would let any place of that country or province match the row.
    countries = {s.country for s in spots if not s.is_country and s.country}
    towns = [s for s in spots if s.precision < 3 and not s.is_country]
    spots = [s for s in spots if not (s.is_country and s.country in countries) and not (
        s.precision == 3 and not s.is_country and any(distance_km(s, t) <= RADIUS_KM[3] for t in towns))]
    spots.sort(key=lambda s: (s.is_country, s.precision))  # stable: among equals, the sentence's order
    return tuple(spots)


def document_years(columns: Mapping[str, Sequence]) -> dict[str, int]:
    """Each document's year when its own dates of a day or a month written with a year all fall in one ("On 4
    April 2017 ... On 7 April"): the year a day written without one most likely has. A page that writes no such
    date takes the year of its years written alone, when they are all one ("the deadliest attack in 2023 ... on
    Oct. 5": ``fallback_year_anchors``)."""
    years: dict[str, set[int]] = {}
    fallback: dict[str, set[int]] = {}
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis == "explicit" and start:
            granularity = columns["granularity"][i]
            if granularity in ANCHORS:
                years.setdefault(columns["doc_id"][i], set()).add(int(start[:4]))
            elif granularity in FALLBACK_ANCHORS:
                fallback.setdefault(columns["doc_id"][i], set()).add(int(start[:4]))
    found = {doc: next(iter(them)) for doc, them in fallback.items() if len(them) == 1 and doc not in years}
    found.update((doc, next(iter(them))) for doc, them in years.items() if len(them) == 1)
    return found


def document_days(columns: Mapping[str, Sequence]) -> dict[str, tuple[dt.date, ...]]:
    """Each document's own days written in full ("People gathered at the site in Azaz, June 2, 2019"): on an
    undated page, the day its "Sunday" most likely is."""
    days: dict[str, set[dt.date]] = {}
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis == "explicit" and start and columns["granularity"][i] == "day" and start == columns["date_end"][i]:
            days.setdefault(columns["doc_id"][i], set()).add(dt.date.fromisoformat(start))
    return {doc: tuple(sorted(found)) for doc, found in days.items()}


def _weekday(time_text: str, days: Sequence[dt.date]) -> dt.date | None:
    """A weekday the date stage could not place ("Sunday" on an undated page) as the one day of its document's own
    full dates that falls on it (a caption's "June 2, 2019", a Sunday), when exactly one does."""
    found = WEEKDAY.fullmatch((time_text or "").strip())
    if found is None or not days:
        return None
    weekday = WEEKDAYS.index(found[1].lower())
    fitting = [d for d in days if d.weekday() == weekday]
    if fitting or not WEEKDAY_NEAR_DAYS:
        return fitting[0] if len(fitting) == 1 else None
    # none of its days falls on it: the day of that weekday within ``weekday_near_days`` of each of them, when one
    near = {d + dt.timedelta(days=(weekday - d.weekday() + 3) % 7 - 3) for d in days}
    if len(near) != 1:
        return None
    day = next(iter(near))
    return day if all(abs((day - d).days) <= WEEKDAY_NEAR_DAYS for d in days) else None


def _anchored_month(value: str, year: int | None, time_text: str) -> tuple[dt.date, dt.date] | None:
    """A month written without a year ("an August attack": ``XXXX-08``) in its document's year, when it has one
    (``yearless_months``); not one named from another year ("last October", "October last year")."""
    found = YEARLESS_MONTH.fullmatch(value or "") if YEARLESS_MONTHS else None
    if found is None or year is None or RELATIVE_WORD.search(time_text):
        return None
    month = int(found[1])
    return dt.date(year, month, 1), dt.date(year + month // 12, month % 12 + 1, 1) - ONE_DAY


def _anchored(value: str, year: int | None) -> dt.date | None:
    """A day written without a year (``XXXX-04-07``) in its document's year, when it has one."""
    found = YEARLESS_DAY.fullmatch(value or "")
    if found is None or year is None:
        return None
    try:
        return dt.date(year, int(found[1]), int(found[2]))
    except ValueError:  # 29 February of another year
        return None


def report_dated(sentence: str, time_text: str) -> bool:
    """Whether a date tells when a happening was reported rather than when it happened: governed by a verb of
    saying ("a monitor said on Wednesday", "reported on Thursday 21 November that"), a dateline ("Aug. 3 (UPI) --")
    or a photo caption's date before its credit ("- 21 November 2019 (EMC)")."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0:
        return False
    before, after = sentence[:at], sentence[at + len(time_text):]
    if after[:2] in ("'s", "’s"):
        return False  # "the Observatory said Monday's airstrike killed 10": the date is the airstrike's
    if QUOTED_DAY.fullmatch(time_text.strip()) and _quoted(before):
        return True  # '"... condemns the airstrike today," the spokesman said': the day he said it
    return bool(_said_before(before) or CREDIT_AFTER.match(after) or (
        len(before) < 60 and DATELINE_BEFORE.match(before) and DATELINE_AFTER.match(after)))  # fmt: skip


def aftermath(sentence: str, time_text: str) -> tuple[dt.timedelta, bool] | None:
    """How many days before its date the happening a row tells was, when its time expression is followed by "a day
    after" and one of the ``anaphora_nouns`` ("On Sunday, a day after the devastating strike, ..."): that
    happening's (``aftermath_days``), exactly (True); by "following" or "after" alone ("on Sunday following the
    rocket attack", ``aftermath_words``; or before a date that closes its sentence, a caption's: "shows rescuers
    ... following a shooting attack in Krasnogorsk, 23 March 2024."), up to ``report_lag_days`` before (False). None
    otherwise."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0:
        return None
    found = AFTERMATH.match(sentence, at + len(time_text))
    if found is None:  # a caption's closing date, of what it shows "following the attack" (told before the date)
        closing = CLOSES.fullmatch(sentence, at + len(time_text)) is not None and SET_OFF.search(sentence, 0, at)
        return (REPORT_LAG, False) if closing and CAPTION_AFTERMATH.search(sentence, 0, at) else None
    return (dt.timedelta(days=AFTERMATH_DAYS[found[1].lower()]), True) if found[1] else (REPORT_LAG, False)


def _sequel(sentence: str, time_text: str) -> bool:
    """Whether the time expression, or the word right before it, places the happening before or after another its
    document tells ("Earlier in the evening", "Later that night": ``sequel_words``)."""
    if SEQUEL.search(time_text):
        return True
    at = sentence.find(time_text) if time_text else -1
    return at > 0 and SEQUEL_BEFORE.search(sentence[max(0, at - 20) : at]) is not None


def _restates(said: tuple[str, str], sentence: str, time_text: str) -> bool:
    """Whether the date is in brackets right after a date of saying of the same sentence, which it restates ("the
    air force asserted on Friday (Oct 6)"). ``said``: that sentence and its time expression."""
    return bool(said[1]) and said[0] == sentence and bool(time_text) and re.search(
        re.escape(said[1]) + r"\s*\(\s*" + re.escape(time_text), sentence) is not None


def _said_before(before: str) -> bool:
    """Whether the words before a date end with a verb of saying, then perhaps whom it was told and "on" ("said
    on", "told AFP on")."""
    words = before[-40:].split()
    if words and words[-1].lower() == "on":
        words.pop()
    if words and words[-1][:1].isupper() and len(words) > 1:
        words.pop()  # whom it was told ("told AFP")
    return bool(words) and words[-1].lower() in REPORT_VERBS


def _quoted(before: str) -> bool:
    """Whether what follows ``before`` is inside a quotation (a quotation mark opened and not closed)."""
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def clause_type(sentence: str, time_text: str) -> str:
    """The political type (a threat, talks, an agreement) whose trigger directly follows the row's time expression,
    when one does: "The explosion comes after the president on Wednesday threatened to launch an offensive" dates
    a threat, though its sentence opens with an explosion. "" otherwise."""
    at = sentence.find(time_text) if time_text else -1
    if at < 0:
        return ""
    after = sentence[at + len(time_text) : at + len(time_text) + 40].lower()
    rest = after.lstrip()
    if not rest or len(rest) == len(after):
        return ""
    if not EVENT_RULES:
        EVENT_RULES.append(eventtypes.load_rules(DATA_DIR))
    rules = EVENT_RULES[0]
    found = rules.main.match(rest) if rules.main is not None else None
    kind = rules.main_names[int(found.lastgroup[1:])] if found is not None and found.lastgroup else ""
    return kind if kind in POLITICAL else ""


def words_of(sentence: str) -> frozenset[str]:
    """The words of a sentence that may tell its story from another's (four letters or more, not among the
    ``common_words`` of news), lower-cased, each without an ending of inflection (``word_endings``: "strikes" and
    "strike", "northwestern" and "northwest" are one word)."""
    return frozenset(map(_stem, WORD.findall(sentence.lower()))) - COMMON_STEMS


def _stem(word: str) -> str:
    for ending in WORD_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


COMMON_STEMS = frozenset(map(_stem, COMMON_WORDS))  # ("according" is "accord", as in a sentence)


def tells(sentence: str, event_type: str) -> bool:
    """Whether a sentence tells a related type (``related_types``) by its triggers ("an airstrike hit a convoy":
    a strike and a movement)."""
    if not TRIGGERS:
        TRIGGERS.update((t.name, t.pattern) for t in eventtypes.load_rules(DATA_DIR).types if t.name in RELATED_TO)
    pattern = TRIGGERS.get(event_type)
    return pattern is not None and pattern.search(sentence.lower()) is not None


class Lexicon:
    """The words of the rows' sentences and how rare each is among their documents (log((documents +
    ``unseen_documents``) / documents using it)), read the first time a report must be told by its words. The
    month's documents are a sample of the news: in a month of two documents a word both use is not a word every
    document uses, so it still weighs something (log 3), while among many documents the few unseen ones barely
    count."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows
        self.read: dict[str, frozenset[str]] = {}  # by sentence (a sentence with several dates gives several rows)
        self.rarity: dict[str, float] = {}

    def words(self, row: Row) -> frozenset[str]:
        found = self.read.get(row.sentence)
        if found is None:
            found = self.read[row.sentence] = words_of(row.sentence)
        return found

    def weights(self) -> dict[str, float]:
        if not self.rarity and self.rows:  # a document's rows come one after another (the event table's order)
            used: Counter[str] = Counter()
            total = 0
            for _, same in itertools.groupby(self.rows, key=lambda r: r.doc_id):
                total += 1
                used.update(frozenset[str]().union(*(self.words(r) for r in same)))
            total += UNSEEN_DOCUMENTS
            self.rarity = {word: math.log(total / count) for word, count in used.items()}
        return self.rarity


def rows_from(
    columns: Mapping[str, Sequence], parties: Mapping[str, str], places: Places | None = None,
    provinces: frozenset[str] = frozenset(), years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None,
) -> list[Row]:
    """The event rows that can be part of an incident, from the event table's columns (as lists). ``years``,
    ``days``: each document's year and own days (``document_years``, ``document_days``), when ``columns`` hold
    only some of its rows."""
    rows: list[Row] = []
    same: dict[tuple[Spot, ...], tuple[Spot, ...]] = {}  # one tuple for the same places (``compatible``'s memo)
    known: dict[str, tuple[tuple[str, ...], frozenset[str], frozenset[str]]] = {}  # ``_sides`` of each actors cell
    if years is None or days is None:
        unresolved = "unresolved" in columns["date_basis"]
        years = document_years(columns) if unresolved else {}
        days = document_days(columns) if unresolved else {}
    sentences = columns.get("sentence")
    late = publication_days(columns)
    bare_rows: list[Row] = []
    said = ("", "")  # the sentence and time expression of the last row dated when it was said (``_restates``)
    for i, basis in enumerate(columns["date_basis"]):
        start, end = columns["date_start"][i], columns["date_end"][i]
        anchored = worded = False
        if basis == "unresolved":
            day = _anchored(columns["time_value"][i], years.get(columns["doc_id"][i])) or _weekday(
                columns["time_text"][i], days.get(columns["doc_id"][i], ())
            )
            month = None if day is not None else _anchored_month(
                columns["time_value"][i], years.get(columns["doc_id"][i]), columns["time_text"][i] or ""
            )
            if day is not None:
                first = last = day
                worded = bool(days) and WORDED + columns["doc_id"][i] in days
            elif month is not None:
                first, last = month
            else:
                continue
            anchored = True
        elif basis not in OWN_DATE or not start or not end:
            continue
        else:
            first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        time_text = columns["time_text"][i] or ""
        if worded and NIGHT.search(time_text):
            continue  # a night of a day only the corpus's words gave: of its two days, words cannot tell which
        sentence = sentences[i] or "" if sentences else ""
        event_type = columns["event_type"][i] or ""
        if event_type and event_type not in POLITICAL and sentence:
            event_type = clause_type(sentence, time_text) or event_type  # "the president on Wednesday threatened"
        reported = first == last and event_type not in POLITICAL and (
            report_dated(sentence, time_text) or _restates(said, sentence, time_text))
        said = (sentence, time_text) if reported else ("", "")
        told_day = None
        if reported:
            first -= REPORT_LAG  # when it was said, reported or photographed: it happened then or just before
        elif first == last and ("after" in sentence or "following" in sentence):
            after = aftermath(sentence, time_text)
            if after is not None:  # "On Sunday, a day after the strike, ...": it tells the strike, of the day before
                told_day, first = first, first - after[0]
                last = first if after[1] else last  # ("following the strike": that day or the day before)
        if (last - first).days >= MAX_SPAN_DAYS:  # "in 2011", "last year": when, too vaguely to count as one
            continue
        written = columns["actors"][i] or ""
        names, sides, groups = known.get(written) or known.setdefault(written, _sides(written, parties))
        spots = _spots(columns, i, places or {}, provinces)
        spots = same.setdefault(spots, spots)
        bare = not (names or spots or event_type)
        if bare and (first != last or reported):
            continue
        spot = spots[0] if spots else None
        (bare_rows if bare else rows).append(
            Row(
                position=i, event_id=columns["event_id"][i], doc_id=columns["doc_id"][i],
                publisher=columns["publisher"][i] or "", published=columns["published"][i] or "",
                start=first, end=last, granularity=columns["granularity"][i], spots=spots,
                actors=names, parties=sides, groups=groups,
                event_type=event_type, night=bool(NIGHT.search(time_text)), sequel=_sequel(sentence, time_text),
                daytime=bool(DAYTIME.search(time_text)) and not NIGHT.search(time_text),
                reported=reported, bare=bare, anaphoric=False,
                precise=(first == last or reported) and spot is not None and spot.precision == 1 and bool(event_type)
                and event_type not in POLITICAL and not anchored, anchored=anchored or bare,
                political=event_type in POLITICAL, sentence=sentence, spot=spot, place=spot.name if spot else "",
                lat=spot.lat if spot else None, lon=spot.lon if spot else None, precision=spot.precision if spot else 3,
                told_day=told_day, late=first == last and (columns["doc_id"][i], first) in late, worded=worded,
            )
        )  # fmt: skip
    # A day that names nothing is kept only where its document tells something else that day (few rows to look up);
    # a night ("filmed last night") where it tells something of either of its days
    if bare_rows:
        told = {(r.doc_id, d) for r in rows if (r.end - r.start).days <= REPORT_LAG.days for d in (r.start, r.end)}
        rows.extend(r for r in bare_rows if (r.doc_id, r.start) in told or r.night and (
            (r.doc_id, r.start - ONE_DAY) in told or (r.doc_id, r.start + ONE_DAY) in told))
    return rows


def publication_days(columns: Mapping[str, Sequence]) -> set[tuple[str, dt.date]]:
    """The days each page names only counting from its publication date ("Tears flowed freely yesterday as suicide
    bombers attacked ..." on a page stamped the day after the one it was written): a day one of its rows gives as
    "yesterday" or "today" (``publication_days``) and none writes in full."""
    found: set[tuple[str, dt.date]] = set()
    if PUBLICATION_DAY is None:
        return found
    written: set[tuple[str, dt.date]] = set()
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis not in ("relative", "explicit") or not start or start != columns["date_end"][i]:
            continue
        key = (columns["doc_id"][i], dt.date.fromisoformat(start))
        if basis == "explicit":
            written.add(key)
        elif PUBLICATION_DAY.fullmatch((columns["time_text"][i] or "").strip()):
            found.add(key)
    return found - written


def _sides(written: str, parties: Mapping[str, str]) -> tuple[tuple[str, ...], frozenset[str], frozenset[str]]:
    """A row's actors (its ``actors`` cell), the sides they stand for (``parties_of``) and those of them named
    themselves, not through a person (``Row.groups``)."""
    names = tuple(a for a in written.split(JOIN) if a)
    if not names:
        return names, NO_SIDES, NO_SIDES
    return (names, frozenset(s for a in names for s in parties.get(a, "").split(BRANCH_OF) if s),
            frozenset(a for a in names if parties.get(a, "").split(BRANCH_OF)[0] == a))  # fmt: skip


def distance_km(a: Spot, b: Spot) -> float:
    """Great-circle distance between two places."""
    return geo.km((a.lat, a.lon), (b.lat, b.lon))


# How two places matched (``place_match``)
TOWN, ROUTE, CONTAINS, NEAR = "town", "route", "contains", "near"


def place_match(a: Row, b: Row, route: bool = False) -> tuple[float | None, str]:
    """How far apart two rows' places are (None: they cannot be the same place), and how they matched: the
    same ``town`` (or two within SAME_TOWN_KM); two towns along a ``route`` (within ROUTE_KM, when ``route``);
    a coarser place that ``contains`` the other (a country the places of that country, a province those within
    its radius, two provinces the same one); a region or "near X" within its radius (``near``)."""
    towns_a = [s for s in a.spots if s.precision == 1 and not s.is_country]
    towns_b = [s for s in b.spots if s.precision == 1 and not s.is_country]
    if towns_a and towns_b:
        nearest = min(0.0 if s.name == t.name else distance_km(s, t) for s in towns_a for t in towns_b)
        if nearest <= SAME_TOWN_KM:
            return nearest, TOWN
        return (nearest, ROUTE) if route and nearest <= ROUTE_KM else (None, "")
    best: float | None = None
    how = ""
    for s in a.spots:
        for t in b.spots:
            km: float | None
            if s.is_country or t.is_country:
                km = 0.0 if s.country and s.country == t.country else None
            elif s.precision == t.precision == 3:  # two provinces: the same one
                km = 0.0 if s.name == t.name else None
            else:
                apart = distance_km(s, t)
                km = apart if apart <= RADIUS_KM.get(max(s.precision, t.precision), RADIUS_KM[3]) else None
            if km is not None and (best is None or km < best):
                best = km
                how = CONTAINS if s.is_country or t.is_country or max(s.precision, t.precision) == 3 else NEAR
    return best, how


# How a row's event type agrees with an incident's (``_kin``)
SAME_KIND, RELATED_KIND, REPORTED_KIND = 0, 1, 2


def _kin(row: Row, incident: Incident) -> tuple[set[str], int] | None:
    """Whether the row's event type agrees with the incident's (None: it contradicts them): the sides to compare
    the row's with, and how. ``SAME_KIND``: the same type, or one side names none; political types are one
    kind. ``RELATED_KIND``: related types (``related_types``), which join only when one's sentence also tells
    the other's ("an airstrike hit a convoy": ``_told_both``, asked last, as it reads sentences).
    ``REPORTED_KIND``: what someone said (``reporting_types``) about an incident of another type. An incident
    told with several types is compared by the sides its reports of the row's type name (and those of reports
    without a type)."""
    kind, sides = row.event_type, incident.sides
    if kind in sides:
        if len(sides) > 1 and kind and not row.political and len(sides) > 1 + ("" in sides):  # several types
            return sides[kind] | sides.get("", set()), SAME_KIND
        return incident.parties, SAME_KIND
    if not kind or len(sides) == ("" in sides) or (row.political and not POLITICAL.isdisjoint(sides)):
        return incident.parties, SAME_KIND  # (the row or the incident has no type; political kinds)
    if not RELATED_TO.get(kind, NO_TYPES).isdisjoint(sides):
        return incident.parties, RELATED_KIND
    if kind in REPORTING or all(t in REPORTING for t in sides if t):
        return incident.parties, REPORTED_KIND
    return None


def _told_both(row: Row, incident: Incident, told: dict[str, bool]) -> bool:
    """Whether the row's sentence tells one of the incident's related types, or one of its reports the row's
    type. ``told``: what the row's sentence tells, filled in as asked."""
    for t in sorted(RELATED_TO.get(row.event_type, NO_TYPES).intersection(incident.sides)):
        if t not in told:
            told[t] = tells(row.sentence, t)
        if told[t]:
            return True
    return _told(incident, row.event_type)


def _told(incident: Incident, kind: str) -> bool:
    """Whether one of the incident's reports tells ``kind`` (by its type or by its sentence); kept up to date
    by ``Incident.add`` once asked."""
    told = incident.told.get(kind)
    if told is None:
        told = incident.told[kind] = any(m.event_type == kind or tells(m.sentence, kind) for m in incident.members)
    return told


def told_dates(row: Row) -> tuple[dt.date, dt.date]:
    """The dates the row's time expression says (a date of saying as said, before it was let start the day
    before)."""
    return (row.end, row.end) if row.reported else (row.start, row.end)


def _told_apart(row: Row, incident: Incident) -> bool:
    """Whether its sentence tells the incident's rows of it with other dates than the row's own (not a night told
    as two days, "late Saturday ... early Sunday"). Asked only when the incident holds a row of its document."""
    start, end = told_dates(row)
    for other in incident.members:
        if other.doc_id != row.doc_id or other.sentence != row.sentence:
            continue
        other_start, other_end = told_dates(other)
        if (other_start, other_end) == (start, end):
            continue
        one_night = (other.night or row.night) and start == end and other_start == other_end
        if one_night and abs((start - other_start).days) == 1:
            continue
        return True
    return False


def _told_beside(row: Row, incident: Incident) -> bool:
    """Whether the incident holds a row of the row's document of the same type placed by the same town's name
    (though read as its province: "Homs"): a page tells one happening of a day in a town, naming in one sentence
    its victims, in another who is accused of it ("#Turkey backed Al-Qaeda terrorists are behind the drone strike
    at the #Homs military college today"), so the sides it names need not agree. (A second happening there it
    tells as such: ``sequel_words``; in a province or a country, two sides' strikes the same day are often two.)
    Asked only when the incident holds a row of its document."""
    return row.spot is not None and row.spot.town and any(
        m.doc_id == row.doc_id and m.place == row.place and m.event_type == row.event_type for m in incident.members
    )


def _same_night(row: Row, incident: Incident) -> bool:
    """One night told as two days ("late Saturday night", "early Sunday"): adjacent days, one of them a night."""
    return (
        (row.night or incident.night) and row.start == row.end and incident.start == incident.end
        and abs((row.start - incident.start).days) == 1
    )  # fmt: skip


class Fit(NamedTuple):
    """How a row fits an incident it may join."""

    km: float  # how far (UNPLACED_KM without a place to compare)
    sided: bool  # the incident names a side to compare the row's with
    shares: bool  # and the row shares one


BARE_FIT = Fit(UNPLACED_KM, False, False)  # a bare row fits by its document alone
Matched = dict[tuple[int, int, bool], tuple[float | None, str]]


def compatible(row: Row, incident: Incident, told: dict[str, bool] | None = None, matched: Matched | None = None
               ) -> Fit | None:
    """How ``row`` fits ``incident``, or None when something contradicts it. ``told``: which related types the
    row's sentence tells, filled in as asked (one per row). ``matched``: ``place_match`` by the identity of the
    two rows' places (``rows_from`` gives rows that name the same places the same tuple), kept by the caller for
    the run."""
    documents = incident.documents
    if row.doc_id in documents:
        if row.sequel or documents[row.doc_id]:
            return None  # "Earlier in the evening, ...": another happening than the one its document told beside it
        if row.sentence and _told_apart(row, incident):
            return None  # "Sunday's strike came after last week's bombing": one sentence, two dates, two happenings
        if row.bare:  # a tweet's date line: what its document tells of that day (of a night: of either of its days)
            return BARE_FIT if incident.start <= row.start <= incident.end or _same_night(row, incident) or any(
                m.reported and m.doc_id == row.doc_id and m.start <= row.start <= m.end for m in incident.members
            ) else None  # (or the day its page says it was reported: "Saree announced on July 7 that the ship sank")
    elif row.bare:
        return None
    if row.start > incident.start or row.end < incident.end:  # a day is the same day; a week contains it
        if not (row.start == row.end and incident.start <= row.start <= incident.end) and not _same_night(
            row, incident
        ):
            return None
    if (row.night or row.daytime) and incident.hours == {not row.night}:
        return None  # "on Thursday afternoon": not what every report of the incident that names its hour calls a night
    kin = _kin(row, incident)
    if kin is None and row.doc_id in documents and not row.spots and not row.parties and row.start == row.end and (
            tells(row.sentence, incident.event_type)):
        # a page's row of that day placed nowhere and naming no side, typed otherwise by a word before ("The warning
        # siren for incoming rocket fire sounded at 6:18 p.m. on Saturday"), whose sentence tells its page's incident
        kin = incident.parties, SAME_KIND
    if kin is None:
        return None
    sides, kind = kin
    shared = bool(row.parties & sides)
    # What a page says of its own incident that day ("300 people had gathered in the village early Tuesday morning,
    # an eyewitness told CNN") names no side of its own: it joins where one place holds the other (below)
    own_saying = kind == REPORTED_KIND and not row.parties and row.doc_id in documents
    if kind != SAME_KIND and not shared and not own_saying:  # told as another type: the same side must be named
        return None
    same_town = False
    if not row.spots or not incident.place.spots:
        if kind == REPORTED_KIND:  # what was said joins what happened in the same town
            return None
        km = UNPLACED_KM
    else:
        route = row.event_type in ROUTE_TYPES or incident.place.event_type in ROUTE_TYPES
        if matched is None:
            found, how = place_match(row, incident.place, route)
        else:
            key = (id(row.spots), id(incident.place.spots), route)
            known = matched.get(key)
            if known is None:
                known = matched[key] = place_match(row, incident.place, route)
            found, how = known
        same_town = how == TOWN
        if (kind == RELATED_KIND and how == NEAR) or (
                kind == REPORTED_KIND and not same_town and not (own_saying and how == CONTAINS)):
            return None  # told as another type: not merely near each other; what was said, in the same town
        if found is None and not (shared and row.political and incident.event_type in POLITICAL):
            return None  # a meeting is placed where it was held or what it was about: its sides say which
        km = UNPLACED_KM if found is None else found
    # The sides: a sentence also names bystanders, victims and the sides of a response, so in the same town the
    # same day two reports of the same kind of event are one incident whoever they name; elsewhere they must
    # share a side (or one names none). A side named only through a person (an official quoted, "Zelenskyy's
    # hometown") is no contradiction: people named are mostly those who speak of it, not who did it.
    if row.parties and sides and not shared and not same_town and row.groups and incident.groups and not (
            row.doc_id in documents and _told_beside(row, incident)):
        return None
    # Nothing contradicts; something must agree: a place, a side or a type ("Syrian forces entered its outskirts
    # earlier Monday" is no part of what a photo credit "Al Quneitra Today" placed that day).
    if km == UNPLACED_KM and not shared and not (row.event_type and len(incident.sides) > ("" in incident.sides)):
        return None
    if kind == RELATED_KIND and not _told_both(row, incident, {} if told is None else told):
        return None
    return Fit(km, bool(sides), shared)


def _cells(row: Row) -> list[tuple[int, int] | None]:
    """The map cells a town's incidents may lie in (around each town the sentence names: its first place may be a
    namesake far away), and None for incidents without a place."""
    around = {(y + dy, x + dx) for cell in _home(row) if cell is not None for y, x in (cell,)
              for dy in (-1, 0, 1) for dx in (-1, 0, 1)}  # fmt: skip
    cells: list[tuple[int, int] | None] = [*sorted(around)]
    cells.append(None)
    return cells


def _home(row: Row) -> list[tuple[int, int] | None]:
    """The map cells an incident placed by ``row`` is filed under: of its first place and of every town it names
    (None without a place)."""
    if row.lat is None or row.lon is None:
        return [None]
    cells = {(int(row.lat // CELL_DEG), int(row.lon // CELL_DEG))}
    cells.update((int(s.lat // CELL_DEG), int(s.lon // CELL_DEG)) for s in row.spots if s.precision == 1)
    filed: list[tuple[int, int] | None] = [*sorted(cells)]
    return filed


def _order(row: Row) -> tuple:
    """Finest first: days before coarser dates, precise rows before coarse ones, towns before provinces; a day that
    names nothing last, once its document's other rows have joined their incidents."""
    return (row.bare, row.anchored, (row.end - row.start).days, not row.precise, row.precision, row.lat is None,
            row.position)  # fmt: skip


def group(rows: Sequence[Row]) -> list[Incident]:
    """The incidents the rows form, each row in exactly one."""
    incidents: list[Incident] = []
    index = _Index()
    matched: Matched = {}  # place_match of two rows' places, by identity
    lexicon = Lexicon(rows)
    deferred: list[Row] = []  # placed nowhere, telling "the attack": their page's story, when no other takes them
    # "a day after the strike" that joined no strike of the day before: tried again once every other row is placed
    # (the strike's may come later), then, still joining none, a row of its own day
    again: list[Row] = []
    tried: set[int] = set()
    orphans: list[Row] = []  # rows that only join and joined nothing
    founders = True  # rows that may found an incident come first
    for row in itertools.chain(sorted(rows, key=_order), again, _deferred(deferred)):
        if founders and (row.anchored or row.bare):  # every incident of a page's stamp is formed: the day before's?
            founders = False
            if any(i.members[0].late for i in incidents):
                incidents = _late_pages(incidents, index, matched)
        candidates: list[tuple[Fit, int, Incident]] = []
        seen: set[int] = set()
        told: dict[str, bool] = {}
        sided = sharing = 0  # candidates that name a side; that share one with the row
        too_many = False
        for pool in index.pools(row):
            if not row.precise and len(seen) + len(pool) > SCAN_LIMIT and _beyond(seen, pool, SCAN_LIMIT - len(seen)):
                too_many = True  # it joins none of them, as it would after reading them all: read none
                break
            for incident in pool:
                if id(incident) in seen or incident.merged:
                    continue
                seen.add(id(incident))
                fit = compatible(row, incident, told, matched)
                if fit is not None:
                    candidates.append((fit, len(candidates), incident))
                    sided += fit.sided
                    sharing += fit.shares
                    if not row.precise and len(candidates) > TIE_LIMIT:
                        break  # a coarse row among too many to tell apart joins none: the rest would change nothing
            if not row.precise and (
                len(seen) > SCAN_LIMIT or len(candidates) > TIE_LIMIT
                or (row.start != row.end and len(candidates) > 1 and not (row.parties and sided == sharing <= 1))
            ):  # fmt: skip
                break  # too many to tell apart (words tell only a day's): a coarse row joins none (``_only_fit``)
        chosen = None
        if row.precise and candidates:
            chosen = min(candidates, key=lambda c: (c[0].km, c[2].end != row.end, c[1]))[2]  # (the day it names)
        elif not too_many and len(seen) <= SCAN_LIMIT and len(candidates) <= TIE_LIMIT:
            chosen = _only_fit([(c[0], c[2]) for c in candidates], row, lexicon)
        if chosen is None and row.late:  # its page's stamp may be a day late: the day before's, when one fits
            chosen = _day_before(row, index, matched)
        if chosen is None and row.told_day is not None:  # it joins the happening it names; else it tells its own day's
            if row.position in tried:
                again.append(row._replace(start=row.told_day, end=row.told_day, told_day=None))
            else:
                tried.add(row.position)
                again.append(row)
            continue
        if chosen is None and not row.spots and not row.bare and row.start == row.end and not row.sequel and (
                _anaphoric(row.sentence)):
            deferred.append(row)  # once every other row is placed: its page's story that day (``_deferred``)
            continue
        if chosen is None and row.anaphoric:
            row = row._replace(bare=False, anaphoric=False)  # its page tells none: a happening of its own
        if chosen is None and row.anchored:
            if not row.bare and not row.worded:  # (a day only the corpus's words give corroborates nothing)
                orphans.append(row)
            continue  # its year is only its document's: it joins an incident, it does not make one
        if chosen is not None:
            before = _home(chosen.place)
            was_night = chosen.night
            chosen.add(row)
            if _home(chosen.place) != before or chosen.night != was_night:  # findable from its new place or days
                index.file_cell(chosen)
            continue
        incident = Incident([row], row.start, row.end, row, set(row.parties), row.event_type, row.night,
                            {row.event_type: set(row.parties)})  # fmt: skip
        incidents.append(incident)
        index.add(incident)
    if any(i.members[0].late for i in incidents):  # a page's day only its stamp gives, whose day before came later
        incidents = _late_pages(incidents, index, matched)
    if len(orphans) >= CORROBORATING_DOCUMENTS > 0:  # days only their pages give, which other pages give too
        found = group([r._replace(anchored=False) for r in orphans])
        incidents += [i for i in found if len(i.documents) >= CORROBORATING_DOCUMENTS]
    return incidents


def _day_before(row: Row, index: _Index, matched: Matched) -> Incident | None:
    """The incident of the day before that a row of a day its page gives only as "yesterday" or "today" joins when
    none of its own day takes it (``publication_days``: the page's stamp is often the next day's): the only one
    there of its type in its town, or the only one that already holds a row of its page (its page's other rows of
    that day follow the first). Never one of another town, type or page."""
    day = row.start - ONE_DAY
    shifted = row._replace(start=day, end=day, late=False)
    found: list[Incident] = []
    for pool in index.pools(shifted):
        for incident in pool:
            if incident.merged or incident.start != day or incident.end != day or any(i is incident for i in found):
                continue
            own = row.doc_id in incident.documents
            if not own and not (row.precise and incident.event_type in ("", row.event_type)):
                continue
            fit = compatible(shifted, incident, None, matched)
            if fit is not None and (own or fit.km <= SAME_TOWN_KM):
                found.append(incident)
    return found[0] if len(found) == 1 else None


def _late_pages(incidents: list[Incident], index: _Index, matched: Matched) -> list[Incident]:
    """The incidents whose day only one page's stamp gives (every member a row of a day that page names only as
    "yesterday" or "today", or a row that only joins), founded before the incident of the day before that their
    finest row joins (``_day_before``) was formed: moved into it."""
    gone: set[int] = set()
    for incident in incidents:
        members = incident.members
        if not members[0].late or not all(m.late or m.anchored for m in members) or len(
                {m.doc_id for m in members if m.late}) != 1:
            continue
        first = min((m for m in members if m.late), key=_order)
        before = _day_before(first, index, matched)
        if before is None or id(before) in gone:
            continue
        for member in members:
            before.add(member)
        gone.add(id(incident))
        incident.merged = True  # (left in the look-up's pools: passed over there)
    return [i for i in incidents if id(i) not in gone]


def _beyond(seen: set[int], pool: Sequence[Incident], room: int) -> bool:
    """Whether ``pool`` holds more than ``room`` incidents not in ``seen`` (a pool holds each incident once): read
    no further than it takes to tell, so a crowded day costs a coarse row no more than SCAN_LIMIT looks."""
    if len(pool) > room + len(seen):
        return True
    new = 0
    for incident in pool:
        if id(incident) not in seen:
            new += 1
            if new > room:
                return True
    return False


def _anaphoric(sentence: str) -> bool:
    """Whether a sentence tells its happening as one already known ("the attack", "Saturday's blast"): the nouns
    looked for in the lower-cased sentence first (a few microseconds saved on each of many sentences)."""
    lowered = sentence.lower()
    return any(noun in lowered for noun in ANAPHORA_NOUNS) and ANAPHORA.search(sentence) is not None


def _deferred(rows: list[Row]) -> Iterator[Row]:
    """The rows that refer back to their page's story ("the attack was carried out yesterday") and joined nothing
    as they stand, once every other row is placed: each as a day that names nothing (``bare``), which joins what its
    document tells of that day (of its page's stories that day, the one that shares its words the most)."""
    for row in rows:
        yield row._replace(bare=True, anaphoric=True)


def _only_fit(candidates: list[tuple[Fit, Incident]], row: Row, lexicon: Lexicon) -> Incident | None:
    """The incident a coarse row joins: the only compatible one; or, for a row of one day, the one whose reports
    share its rare words by far the most ("jets struck near a Turkish convoy": the convoy's, not another side's
    advance that day; "soldiers were killed when bombs blew up on an army bus": the bus bombing that names no
    side, not the shelling by the soldiers' side that day); or, among several, the only one that shares a side
    with it (the others fit only because they name none: "Putin and Erdogan ... agreed last week" is the
    meeting of the two, not the ceasefire that began that week with no side named), when it is placed or
    political ("Syrian soldiers were killed" placed nowhere is not the Syrian army's shelling elsewhere); or,
    for a row of one day still, the only one not first told as an aside of another happening (its finest report a
    ``sequel``; reports joining it later do not make it the day's main news): an unplaced "Saturday's blast" is
    the truck bomb its day's news is about, not "later in the day, a second explosion"."""
    if len(candidates) < 2:
        return candidates[0][1] if candidates else None
    if row.start == row.end:  # (a week or a month holds too many stories for words to tell which)
        chosen = _by_words([c for _, c in candidates], row, lexicon)
        if chosen is not None:
            return chosen
    # (a violent report placed nowhere names its victims as well as who struck: a side shared is no evidence)
    sharing = [c for fit, c in candidates if fit.shares] if row.parties and (row.spots or row.political) else []
    if len(sharing) == 1 and all(c is sharing[0] or not fit.sided for fit, c in candidates):
        return sharing[0]
    # of a day (or a date of saying) in a town: the one incident of that town, when the others are placed nowhere
    if row.precision == 1 and row.spots and row.end - row.start <= REPORT_LAG:
        town = [c for fit, c in candidates if fit.km <= SAME_TOWN_KM and c.place.spots]
        if len(town) == 1 and all(c is town[0] or not c.place.spots for _, c in candidates):
            return town[0]
    if row.start == row.end:  # the others were first told as asides of another happening ("later in the day")
        told = [c for _, c in candidates if not c.members[0].sequel]
        if len(told) == 1:
            return told[0]
    return None


def _by_words(incidents: Sequence[Incident], row: Row, lexicon: Lexicon) -> Incident | None:
    """The incident whose reports share the row's rarest words, when it outweighs every other by WORDS_MARGIN
    (log units: a word used by a quarter as many documents, or several a little rarer); for a day that names
    nothing (an embedded tweet's date line), which chooses only among its own page's stories of that day, when it
    outweighs them at all."""
    weights, words = lexicon.weights(), lexicon.words(row)
    scored = []
    for k, incident in enumerate(incidents):
        theirs = frozenset[str]().union(*(lexicon.words(m) for m in incident.members))
        scored.append((sum(weights.get(w, 0.0) for w in words & theirs), k))
    scored.sort(reverse=True)
    if len(scored) < 2:
        return None
    lead = scored[0][0] - scored[1][0]
    if lead < WORDS_MARGIN and not (row.bare and lead > 0):  # (a bare day: among its own page's stories, any lead)
        return None
    return incidents[scored[0][1]]


NO_INCIDENTS: list[Incident] = []  # (never added to: a pool of a day without incidents)


@dataclass
class _Index:
    """The incidents formed so far: a day's by map cell and all together; a week's or a month's by its dates."""

    by_cell: dict[tuple[dt.date, tuple[int, int] | None], list[Incident]] = field(default_factory=dict)
    by_day: dict[dt.date, list[Incident]] = field(default_factory=dict)
    by_span: dict[tuple[dt.date, dt.date], list[Incident]] = field(default_factory=dict)

    def add(self, incident: Incident) -> None:
        if incident.start == incident.end:
            days = [incident.start]
            if incident.night:  # findable from the day before and after too
                days += [incident.start - ONE_DAY, incident.start + ONE_DAY]
            for day in days:
                for cell in _home(incident.place):
                    self.by_cell.setdefault((day, cell), []).append(incident)
                self.by_day.setdefault(day, []).append(incident)
        elif (incident.end - incident.start).days < MAX_SPAN_DAYS:
            self.by_span.setdefault((incident.start, incident.end), []).append(incident)

    def file_cell(self, incident: Incident) -> None:
        if incident.start == incident.end:
            days = [incident.start]
            if incident.night:
                days += [incident.start - ONE_DAY, incident.start + ONE_DAY]
            for day in days:
                pools = [self.by_cell.setdefault((day, cell), []) for cell in _home(incident.place)]
                for pool in [*pools, self.by_day.setdefault(day, [])]:
                    if not any(i is incident for i in pool):
                        pool.append(incident)

    def pools(self, row: Row) -> Iterator[list[Incident]]:
        """The incidents ``row`` may join: of its day (or the day before or after: a night), in its map cells
        when it names a town; of each day of its week or month, and those of the same week or month (one day after
        another: a coarse row stops reading once it has seen too many)."""
        if row.start == row.end:  # a night's incident is filed under its neighbour days too (``add``)
            days = [row.start, row.start - ONE_DAY, row.start + ONE_DAY] if row.night else [row.start]
            if row.bare and not row.night:  # (its page's report of that day may tell the day before)
                days.append(row.start - REPORT_LAG)
            if row.lat is None or row.precision > 1 or row.political:  # no town: any of the day's
                yield from (self.by_day.get(day, NO_INCIDENTS) for day in days)
            else:
                yield from (self.by_cell.get((day, cell), NO_INCIDENTS) for day in days for cell in _cells(row))
            return
        yield self.by_span.get((row.start, row.end), NO_INCIDENTS)
        day = row.start
        while day <= row.end:
            yield self.by_day.get(day, NO_INCIDENTS)
            day += ONE_DAY


# ---- the incident rows ---------------------------------------------------------------------------------------------


def incident_id(incident: Incident) -> str:
    """Stable for the same input: from the event id of its first report in input order (so a report added after
    the others leaves the incidents it joins their ids, and a rebuild the rows of their reports as they were)."""
    first = min(incident.members, key=lambda m: m.position)
    return "inc-" + hashlib.sha1(first.event_id.encode("utf-8")).hexdigest()[:10]


def best_date(members: Sequence[Row]) -> tuple[dt.date, dt.date, str, str]:
    """The finest value the members agree on: (start, end, granularity, agreement). Agreement is ``single`` (one
    report), ``agree`` (all give the same value), ``consistent`` (coarser values contain the finest) or
    ``disagree`` (no value fits every report: the span of all of them)."""
    start, end = max(m.start for m in members), min(m.end for m in members)
    finest = min(members, key=lambda m: ((m.end - m.start).days, m.position))
    if start > end:
        low, high = min(m.start for m in members), max(m.end for m in members)
        return low, high, "range", "disagree"
    if len(members) == 1:
        return start, end, finest.granularity, "single"
    same = all((m.start, m.end) == (start, end) for m in members)
    granularity = finest.granularity if (finest.start, finest.end) == (start, end) else "range"
    return start, end, granularity, "agree" if same else "consistent"


def _ranked(values: Sequence[str]) -> list[str]:
    """Distinct values, most frequent first (ties: first seen)."""
    counts = Counter(v for v in values if v)
    return sorted(counts, key=lambda v: -counts[v])


def incident_row(incident: Incident) -> dict:
    members = incident.members
    if len(members) == 1:  # most incidents are told once: no counting to do
        return _single_row(incident, members[0])
    start, end, granularity, agreement = best_date(members)
    place = incident.place
    actors = _ranked([a for m in members for a in m.actors])
    event_type = (_ranked([m.event_type for m in members]) or [""])[0]
    documents = sorted({m.doc_id for m in members})
    sources = {m.publisher or m.doc_id for m in members}
    published = [m.published for m in members if m.published]
    return {
        "incident_id": incident_id(incident),
        "date_start": start.isoformat(),
        "date_end": end.isoformat(),
        "granularity": granularity,
        "place": place.place,
        "lat": place.lat,
        "lon": place.lon,
        "actors": JOIN.join(actors),
        "event_type": event_type,
        "sources": len(sources),
        "documents": len(documents),
        "first_reported": min(published) if published else "",
        "date_agreement": agreement,
        "explanation": explanation(incident, start, end, agreement, actors, event_type, len(sources)),
        "reports": len(members),
    }


def _single_row(incident: Incident, row: Row) -> dict:
    actors = list(dict.fromkeys(row.actors))
    parts = [f"one report: {_date_words(row.start, row.end)}"] + [p for p in (row.place, row.event_type) if p]
    if actors:
        parts.append("actors " + ", ".join(actors))
    return {
        "incident_id": incident_id(incident), "date_start": row.start.isoformat(), "date_end": row.end.isoformat(),
        "granularity": row.granularity, "place": row.place, "lat": row.lat, "lon": row.lon,
        "actors": JOIN.join(actors), "event_type": row.event_type, "sources": 1, "documents": 1,
        "first_reported": row.published, "date_agreement": "single",
        "explanation": "; ".join([*parts, "1 source"]), "reports": 1,
    }  # fmt: skip


def _date_words(start: dt.date, end: dt.date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()}..{end.isoformat()}"


def explanation(
    incident: Incident, start: dt.date, end: dt.date, agreement: str, actors: list[str], event_type: str, sources: int
) -> str:
    """Why the members were joined, e.g. ``same day 2021-03-14; Saraqib within 2 km; actors Russia; 3 sources``."""
    members = incident.members
    if len(members) == 1:
        row = members[0]
        parts = [f"one report: {_date_words(start, end)}"]
        if row.place:
            parts.append(row.place)
    else:
        parts = [
            {"agree": "same day" if start == end else "same dates", "consistent": "dates contain",
             "disagree": "dates disagree"}[agreement] + f" {_date_words(start, end)}"
        ]  # fmt: skip
        place = incident.place
        if place.lat is not None:
            placed = [m for m in members if m.spot is not None]
            # how far its towns and "near X" lie (a province or a country holds the place: named, not measured)
            far = max([distance_km(m.spot, place.spot) for m in placed if m.precision < 3], default=0.0)  # type: ignore[arg-type]
            names = _ranked([m.place for m in placed])
            within = f" within {max(1, math.ceil(far))} km" if far > 0.5 else ""
            others = f" (also {', '.join(n for n in names if n != place.place)})" if len(names) > 1 else ""
            parts.append(f"{place.place}{within}{others}")
            if len(placed) < len(members):
                parts.append(f"{len(members) - len(placed)} without a place")
        else:
            parts.append("no place named")
    if event_type:
        parts.append(event_type)
    if actors:
        parts.append("actors " + ", ".join(actors))
    parts.append(f"{sources} source{'s' if sources != 1 else ''}")
    return "; ".join(parts)


def incidents_of(
    columns: Mapping[str, Sequence], parties: Mapping[str, str], places: Places | None = None,
    provinces: frozenset[str] = frozenset(), years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None,
) -> tuple[list[str], list[dict]]:
    """Each event row's incident id ("" for a row that is none) and the incident rows, month after month (the
    month of the rows' dates as written, ``row_months``), by date within a month.

    The rows are grouped a month at a time: an incident's reports are all dated in one month, and how rare a word
    is (``Lexicon``) is counted among that month's reports. So a corpus too large to hold is grouped a month at a
    time (``incident_months``), and a rebuild groups again only the months its changes touch.

    ``parties``: each actor's side (``parties_of``); ``places``: the places table by name; ``provinces``: the
    names of provinces (a town of the same name is read as the province); ``years``, ``days``: as ``rows_from``."""
    ids, by_month = incidents_by_month(columns, parties, places, provinces, years, days)
    return ids, [row for _, rows in by_month for row in rows]


def incidents_by_month(
    columns: Mapping[str, Sequence], parties: Mapping[str, str], places: Places | None = None,
    provinces: frozenset[str] = frozenset(), years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None,
) -> tuple[list[str], list[tuple[int, list[dict]]]]:
    """As ``incidents_of``, the incident rows of each month apart: (month, its incident rows), month after month."""
    ids = [""] * len(columns["event_id"])
    found: list[tuple[int, list[dict]]] = []
    months, years, days = row_months(columns, years, days)
    by_month: dict[int, list[int]] = {}
    for i, month in enumerate(months):
        if month >= 0:
            by_month.setdefault(month, []).append(i)
    for month in sorted(by_month):
        picked = by_month[month]
        rows = []
        for incident in group(rows_from({k: [v[i] for i in picked] for k, v in columns.items()}, parties, places,
                                        provinces, years, days)):  # fmt: skip
            row = incident_row(incident)
            for member in incident.members:
                ids[picked[member.position]] = row["incident_id"]
            rows.append(row)
        found.append((month, sorted(rows, key=lambda r: (r["date_start"], r["date_end"], r["incident_id"]))))
    return ids, found


def month_of(day: dt.date) -> int:
    """A month as a number (``row_months``)."""
    return day.year * 12 + day.month - 1


# The columns ``row_months`` reads
MONTH_COLUMNS = ("doc_id", "date_basis", "date_start", "date_end", "granularity", "time_value", "time_text",
                 "event_type", "lat", "lon", "place_precision", "actors")


def row_months(
    columns: Mapping[str, Sequence], years: Mapping[str, int] | None = None,
    days: Mapping[str, tuple[dt.date, ...]] | None = None, corpus: bool = True,
) -> tuple[list[int], Mapping[str, int], Mapping[str, tuple[dt.date, ...]]]:
    """Each row's month (``month_of`` its date as written; -1 for a row that cannot be part of an incident), and
    the years and own days (``document_years``, ``document_days``) of the documents with a date the date stage left
    unresolved, which the rows' months depend on: from ``columns`` (every row of each of their documents) unless
    given; then, when ``columns`` are the whole corpus (``corpus``), the years the corpus gives the pages that
    write none (``with_corpus_years``). What the pass over a corpus too large to hold reads first
    (``incident_months``, part by part, without the corpus's years: it asks for them once every part is read)."""
    if years is None or days is None:
        unresolved = [i for i, basis in enumerate(columns["date_basis"]) if basis == "unresolved"]
        wanted = {columns["doc_id"][i] for i in unresolved}
        years = {doc: year for doc, year in document_years(columns).items() if doc in wanted} if wanted else {}
        days = {doc: found for doc, found in document_days(columns).items() if doc in wanted} if wanted else {}
        months = _months(columns, years, days)
        if corpus and wanted:
            given = bool(with_corpus_years(yearless_days(columns, years, unresolved), months, years, days))
            weekdays = unplaced_weekdays(columns, days, unresolved)  # then the weekdays no day of theirs places
            if weekdays and with_corpus_weekdays(weekdays, town_days(columns, towns_of(weekdays)), days):
                given = True
            worded = worded_weekdays(weekdays, days) if weekdays and "sentence" in columns else {}
            if worded and with_corpus_words(corpus_words(columns, worded), days):  # then the rare words'
                given = True
            if given:
                months = _months(columns, years, days)
        return months, years, days
    return _months(columns, years, days), years, days


def yearless_days(
    columns: Mapping[str, Sequence], years: Mapping[str, int], unresolved: Sequence[int] | None = None
) -> dict[str, tuple[str, ...]]:
    """The days written without a year ("October 6": ``XXXX-10-06``) of the documents that write no year at all
    (no date of theirs is ``explicit``: a page that writes two years has said which it may mean). ``unresolved``:
    the positions of the rows whose date is unresolved, when known."""
    found: dict[str, dict[str, None]] = {}
    basis = columns["date_basis"]
    for i in range(len(basis)) if unresolved is None else unresolved:
        if basis[i] == "unresolved" and columns["doc_id"][i] not in years:
            value = columns["time_value"][i] or ""
            if YEARLESS_DAY.fullmatch(value):
                found.setdefault(columns["doc_id"][i], {})[value] = None
    if found:  # (rare: a page without a year)
        written = {columns["doc_id"][i] for i, b in enumerate(basis) if b == "explicit" and columns["date_start"][i]}
        return {doc: tuple(values) for doc, values in found.items() if doc not in written}
    return {}


def corpus_years(wanted: Mapping[str, Sequence[str]], present: Iterable[int]) -> dict[str, int]:
    """The year the corpus gives each page that writes none (``wanted``: its days without a year, ``XXXX-10-06``):
    the one year whose news (``present``: the months, ``month_of``, of the corpus's rows) fills the months of those
    days, when only one does (``year_from_corpus``)."""
    if not YEAR_FROM_CORPUS or not wanted:
        return {}
    years_of: dict[int, set[int]] = {}
    for month in set(present):
        if month >= 0:
            years_of.setdefault(month % 12 + 1, set()).add(month // 12)
    found = {}
    for doc, values in wanted.items():
        months = {int(v[5:7]) for v in values}
        fitting = set.intersection(*(years_of.get(m, set()) for m in months))
        if len(fitting) == 1:
            found[doc] = next(iter(fitting))
    return found


def with_corpus_years(
    wanted: Mapping[str, Sequence[str]], months: Iterable[int], years: dict[str, int],
    days: dict[str, tuple[dt.date, ...]],
) -> dict[str, int]:
    """Gives the pages that write no year (``wanted``: their days without one, ``yearless_days``) the year the
    corpus gives them (``corpus_years`` of the rows' ``months``, into ``years``), and those days, in that year, as
    days of their own (into ``days``: an undated page's "on Friday" is the Friday it writes as "October 6").
    Returns the years given."""
    given = corpus_years(wanted, months)
    for doc, year in given.items():
        years[doc] = year
        own = set(days.get(doc, ()))
        for value in wanted[doc]:
            found = _anchored(value, year)
            if found is not None:
                own.add(found)
        days[doc] = tuple(sorted(own))
    return given


def _months(
    columns: Mapping[str, Sequence], years: Mapping[str, int], days: Mapping[str, tuple[dt.date, ...]]
) -> list[int]:
    months = []
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis in OWN_DATE and start:
            months.append(int(start[:4]) * 12 + int(start[5:7]) - 1)
            continue
        day = None
        if basis == "unresolved":
            doc = columns["doc_id"][i]
            day = _anchored(columns["time_value"][i], years.get(doc)) or _weekday(columns["time_text"][i],
                                                                                 days.get(doc, ()))  # fmt: skip
            if day is None:
                month = _anchored_month(columns["time_value"][i], years.get(doc), columns["time_text"][i] or "")
                day = month[0] if month is not None else None
        months.append(month_of(day) if day is not None else -1)
    return months


def _town(columns: Mapping[str, Sequence], i: int) -> tuple[float, float] | None:
    """The town a row of a violent or physical type names (its finest place, when a town), as a key (its
    coordinates, rounded); None for any other row."""
    lat, lon, event_type = columns["lat"][i], columns["lon"][i], columns["event_type"][i]
    if columns["place_precision"][i] != 1 or _unplaced(columns, i) or lon is None or not event_type or (
            event_type in POLITICAL):
        return None
    return round(float(lat), 2), round(float(lon), 2)


# Where the corpus's news of an undated page's weekday is looked up: a town (its coordinates, rounded: ``_town``) or,
# for a row in no town, a side it names (``_side_keys``)
NewsKey = tuple[float, float] | str


def _side_keys(columns: Mapping[str, Sequence], i: int) -> tuple[str, ...]:
    """The actors a row of a violent or physical type names, as keys of the corpus's news of them
    (``weekday_from_corpus_sides``); none for any other row."""
    event_type = columns["event_type"][i]
    if not WEEKDAY_SIDES or not event_type or event_type in POLITICAL:
        return ()
    return tuple(SIDE_KEY + name for name in (columns["actors"][i] or "").split(JOIN) if name)


def _unplaced(columns: Mapping[str, Sequence], i: int) -> bool:
    lat = columns["lat"][i]
    return lat is None or (isinstance(lat, float) and math.isnan(lat))


def unplaced_weekdays(
    columns: Mapping[str, Sequence], days: Mapping[str, tuple[dt.date, ...]], unresolved: Sequence[int] | None = None
) -> dict[str, tuple[tuple[int, NewsKey], ...]]:
    """The weekdays ("on Saturday", left unresolved) of the undated pages that write no day in full (whose weekdays
    are those days', ``_weekday``), each with the town its row names (``_town``): what the corpus's news of that
    town may place (``corpus_weekdays``). ``unresolved``: the positions of the rows whose date is unresolved, when
    known."""
    if not WEEKDAY_FROM_CORPUS:
        return {}
    found: dict[str, dict[tuple[int, NewsKey], None]] = {}
    basis = columns["date_basis"]
    for i in range(len(basis)) if unresolved is None else unresolved:
        if basis[i] != "unresolved":
            continue
        written = WEEKDAY.fullmatch((columns["time_text"][i] or "").strip())
        if written is None or YEARLESS_DAY.fullmatch(columns["time_value"][i] or ""):
            continue  # (a day the date stage read, "Sunday, March 14": its own)
        doc = columns["doc_id"][i]
        if days.get(doc):
            continue  # a page that writes a day in full: its weekdays are those days' (``_weekday``), or none
        weekday = WEEKDAYS.index(written[1].lower())
        town = _town(columns, i)
        # (placed nowhere: the sides it names; in a province or a country, too coarse for either: and both, the
        # corpus's news that shares its page's rare words, ``corpus_words``)
        keys = (town,) if town is not None else (*_side_keys(columns, i), *_words_key(columns, i)) if _unplaced(
            columns, i) else _words_key(columns, i)  # fmt: skip
        for key in keys:
            found.setdefault(doc, {})[(weekday, key)] = None
    return {doc: tuple(pairs) for doc, pairs in found.items()}


def unplaced_weekdays_left(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], days: Mapping[str, tuple[dt.date, ...]]
) -> dict[str, tuple[tuple[int, NewsKey], ...]]:
    """Those of ``wanted`` (``unplaced_weekdays``) of the pages that still have no day of their own (a year the
    corpus gave them gives them their days without a year)."""
    return {doc: tuple(pairs) for doc, pairs in wanted.items() if not days.get(doc)}


def towns_of(wanted: Mapping[str, Sequence[tuple[int, NewsKey]]]) -> set[NewsKey]:
    return {town for pairs in wanted.values() for _, town in pairs if town != WORDS_KEY}


def _words_key(columns: Mapping[str, Sequence], i: int) -> tuple[str, ...]:
    """``WORDS_KEY`` for a row of a violent or physical type in no town (``weekday_from_corpus_words``)."""
    event_type = columns["event_type"][i]
    return (WORDS_KEY,) if WEEKDAY_WORDS and event_type and event_type not in POLITICAL else ()


def town_days(columns: Mapping[str, Sequence], towns: set[NewsKey]) -> dict[NewsKey, set[dt.date]]:
    """The days of the rows with a day of their own in each of ``towns`` (``_town``: of a violent or physical
    type)."""
    found: dict[NewsKey, set[dt.date]] = {}
    if not towns:
        return found
    sides = any(isinstance(key, str) for key in towns)
    for i, basis in enumerate(columns["date_basis"]):
        start = columns["date_start"][i]
        if basis in OWN_DATE and start and columns["granularity"][i] == "day" and start == columns["date_end"][i]:
            town = _town(columns, i)
            for key in (town, *_side_keys(columns, i)) if sides else (town,):
                if key in towns:
                    found.setdefault(key, set()).add(dt.date.fromisoformat(start))
    return found


def corpus_weekdays(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], found: Mapping[NewsKey, Iterable[dt.date]]
) -> dict[str, tuple[dt.date, ...]]:
    """The days the corpus gives the undated pages' weekdays (``wanted``: each page's weekdays and the towns of
    their rows, ``unplaced_weekdays``; ``found``: the corpus's days of news of each town, ``town_days``): the one
    day of that town's news that falls on that weekday, when exactly one does (``weekday_from_corpus``)."""
    given = {}
    for doc, pairs in wanted.items():
        own: set[dt.date] = set()
        for weekday, town in pairs:
            fitting = {d for d in found.get(town, ()) if d.weekday() == weekday}
            if len(fitting) == 1:
                own |= fitting
        if own:
            given[doc] = tuple(sorted(own))
    return given


def with_corpus_weekdays(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], found: Mapping[NewsKey, Iterable[dt.date]],
    days: dict[str, tuple[dt.date, ...]],
) -> dict[str, tuple[dt.date, ...]]:
    """Gives the undated pages the days the corpus gives their weekdays (``corpus_weekdays``), as days of their own
    (into ``days``: the page's every "Saturday" is that day, and joins an incident of it, never makes one).
    Returns the days given."""
    given = corpus_weekdays(wanted, found)
    for doc, own in given.items():
        days[doc] = tuple(sorted(set(days.get(doc, ())) | set(own)))
    return given


# ---- an undated page's weekday from the corpus's news that shares its rare words ---------------------------------

# The event table's columns ``CorpusWords`` reads
WORDS_COLUMNS = ("doc_id", "date_basis", "date_start", "date_end", "granularity", "event_type", "sentence")


def worded_weekdays(
    wanted: Mapping[str, Sequence[tuple[int, NewsKey]]], days: Mapping[str, tuple[dt.date, ...]]
) -> dict[str, frozenset[int]]:
    """The weekdays of the undated pages that neither the corpus's year nor its news of their towns or sides gave a
    day (``wanted``: ``unplaced_weekdays``; ``days``: the pages' days, as given), of rows of a violent type in no town
    (``WORDS_KEY``): what only the corpus's news that shares the pages' rare words may date (``CorpusWords``)."""
    found = {}
    for doc, pairs in wanted.items():
        weekdays = frozenset(weekday for weekday, key in pairs if key == WORDS_KEY)
        if weekdays and not days.get(doc):
            found[doc] = weekdays
    return found


class CorpusWords:
    """The corpus's dated news that the undated pages' weekdays (``worded_weekdays``) may take, by their rare words
    (``weekday_from_corpus_words``): read from the event rows grouping reads (``DATED``; ``WORDS_COLUMNS``), a
    table at a time (``add``; a document's rows all in one), after the pages' own rows (``add_pages``). Keeps, of the
    words the pages use (``words_of``), how many documents use each, and the days of violent news on the pages'
    weekdays that use them; then gives each page the day of that weekday whose news shares its rare words by far
    the most (``days``)."""

    def __init__(self, pages: Mapping[str, frozenset[int]]) -> None:
        self.pages = pages
        self.since: dict[str, str] = {}  # the start of the latest date each page writes: its days are no earlier
        self.weekdays = frozenset[int]().union(*pages.values())
        self.page_words: dict[str, set[str]] = {}
        self.wanted: frozenset[str] = frozenset()  # every word of the pages
        self.used: Counter[str] = Counter()  # documents using each of those
        self.documents = 0
        self.day_words: dict[dt.date, set[str]] = {}  # the words of the pages each day of news uses

    def add_pages(self, columns: Mapping[str, Sequence]) -> None:
        """The words of the pages' rows among ``columns`` (those of the pages' tables: read first)."""
        sentences, basis, starts = columns["sentence"], columns["date_basis"], columns["date_start"]
        for i, doc in enumerate(columns["doc_id"]):
            if doc in self.pages and basis[i] in DATED:
                self.page_words.setdefault(doc, set()).update(words_of(sentences[i] or ""))
                if basis[i] == "explicit" and starts[i] and starts[i] > self.since.get(doc, ""):
                    self.since[doc] = starts[i]  # ("since the war began in April 2023": written after it)
        self.wanted = frozenset[str]().union(*self.page_words.values())

    def add(self, columns: Mapping[str, Sequence]) -> None:
        """The documents of ``columns`` (every table once, each document's rows all in one): how many use each of
        the pages' words, and the days of violent news on the pages' weekdays that use them."""
        read: dict[str, frozenset[str]] = {}
        using: dict[str, set[str]] = {}
        wanted, weekdays = self.wanted, self.weekdays
        for i, doc in enumerate(columns["doc_id"]):
            basis = columns["date_basis"][i]
            if basis not in DATED:
                continue
            sentence = columns["sentence"][i] or ""
            words = read.get(sentence)
            if words is None:
                words = read[sentence] = words_of(sentence) & wanted
            using.setdefault(doc, set()).update(words)
            start, event_type = columns["date_start"][i], columns["event_type"][i]
            if (words and basis in OWN_DATE and start and start == columns["date_end"][i]
                    and columns["granularity"][i] == "day" and event_type and event_type not in POLITICAL):
                day = dt.date.fromisoformat(start)
                if day.weekday() in weekdays:
                    self.day_words.setdefault(day, set()).update(words)
        self.documents += len(using)
        for them in using.values():
            self.used.update(them)

    def shared_days(self) -> set[dt.date]:
        """The days of news that share a word with a page (the days any page may take)."""
        return set(self.day_words)

    def days(self) -> dict[str, tuple[dt.date, ...]]:
        """Each page's days: for each of its weekdays, the day of that weekday (not before the latest date the page
        writes, when it writes one) whose news shares the page's rare words (``words_rarity``) weighing the most, by
        ``words_weekday_margin`` over any other day of that weekday; of those, the one whose words weigh the most and
        those within ``words_span_days`` of it (a page's weekdays are of one week)."""
        total = self.documents + UNSEEN_DOCUMENTS
        weight = {word: math.log(total / count) for word, count in self.used.items()}
        given = {}
        for doc, weekdays in self.pages.items():
            rare = {w for w in self.page_words.get(doc, ()) if weight.get(w, 0.0) >= WORDS_RARITY}
            since = dt.date.fromisoformat(self.since[doc][:10]) if doc in self.since else dt.date.min
            chosen = []
            for weekday in sorted(weekdays):
                scored = sorted(((math.fsum(sorted(weight[w] for w in rare & found)), day)
                                 for day, found in self.day_words.items() if day.weekday() == weekday and day >= since),
                                reverse=True)  # fmt: skip
                if scored and scored[0][0] - (scored[1][0] if len(scored) > 1 else 0.0) >= WORDS_WEEKDAY_MARGIN:
                    chosen.append(scored[0])
            if chosen:
                first = max(chosen)[1]
                given[doc] = tuple(sorted(day for _, day in chosen if abs(day - first) <= WORDS_SPAN))
        return given


def with_corpus_words(news: CorpusWords, days: dict[str, tuple[dt.date, ...]]) -> dict[str, tuple[dt.date, ...]]:
    """Gives the undated pages the days the corpus's news gives their weekdays by their rare words
    (``CorpusWords.days``), as days of their own (into ``days``, the page named under ``WORDED`` too: its rows join
    an incident of that day, never make one). Returns the days given."""
    given = news.days()
    for doc, own in given.items():
        days[doc] = days[WORDED + doc] = own
    return given


def corpus_words(columns: Mapping[str, Sequence], pages: Mapping[str, frozenset[int]]) -> CorpusWords:
    """``CorpusWords`` of the whole corpus's rows (``columns``: every row grouping reads)."""
    news = CorpusWords(pages)
    news.add_pages(columns)
    news.add(columns)
    return news
