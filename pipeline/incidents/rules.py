"""The tunable rules of grouping, as data (``data/incident_rules.toml``), and what is compiled from them: every
threshold, word list and pattern the package's other modules read, in one place; and the event table's columns
and date bases grouping reads."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipeline import patterns
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
# A time of day alone ("around 1 a.m.", "5:30 GMT", or told by a word as data/timex/rules.toml's
# ``time_of_day_words`` reads it: "early in the afternoon"), which an undated page leaves without a day (``clock_day``)
CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\b\.?|GMT|UTC|local time)|\b\d{1,2}:\d{2}\b|o['’]clock"
                   r"|^(?:(?:just|shortly|early|late|at|around|about|approximately|in|during|before|after|until|till|by)\s+)"
                   r"{1,3}(?:the\s+)?(?:(?:early|late)\s+)?(?:dawn|daybreak|sunrise|dusk|sunset|nightfall|midday|noon"
                   r"|morning|afternoon|evening)$", re.IGNORECASE)
WEEKDAY_NAMED = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)  # a weekday anywhere in a text
# a weekday right before a day, perhaps with its part of the day ("on Saturday evening, November 28")
WEEKDAY_BEFORE = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")(?:\s+(?:morning|afternoon|evening|night))?\s*,?\s*$",
                            re.IGNORECASE)  # fmt: skip
# A weekday alone, as the date stage leaves it unresolved on an undated page ("Sunday", "on Sunday", "Sunday night",
# "last Sunday", "midday on Sunday", "around noon on Sunday")
# ... of which "last Sunday" ("late last Sunday") is the one before the latest day its page writes (``page_weekday``)
LAST_WEEKDAY = re.compile(r"(?:(?:late|early)\s+)?last\s", re.IGNORECASE)
WEEKDAY = re.compile(
    r"(?:(?:later|earlier)\s+on\s+|(?:late|early)\s+last\s+|on\s+|late\s+|early\s+|last\s+"
    r"|(?:(?:at\s+)?(?:around|about)\s+)?(?:midday|noon)\s+on\s+)?("
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
# A sequel word right before the time expression, which the date stage left out of it ("Later that night, ..."),
# or with a preposition between ("Earlier in July, the group was responsible for killing dozens")
SEQUEL_BEFORE = re.compile(
    r"\b(" + "|".join(map(re.escape, RULES["sequel_words"])) + r")\s*,?\s*(?:(?:in|on|during)\s+)?$", re.IGNORECASE
)
# A sentence that opens by recalling an earlier happening ("Recall that ...")
RECALL_OPENING = re.compile(
    r"\s*(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in RULES["recall_openings"]) + r")\b", re.IGNORECASE
) if RULES["recall_openings"] else None
REPORT_LAG = dt.timedelta(days=int(RULES["report_lag_days"]))
CLOCK_REPORTED = bool(RULES["clock_reported"])


def _clock_of_report(basis: str, time_text: str | None) -> bool:
    """Whether an event row is a time of day the date stage dated only by its page's publication."""
    return basis == "reported" and CLOCK_REPORTED and CLOCK.search(time_text or "") is not None


def clock_reported(basis: str, start: str | None, time_text: str | None) -> bool:
    """Whether an event row is a time of day its page's publication alone dates ("The attack started around 10 PM",
    no day told before it: ``rows.rows_from`` reads it as a date of report)."""
    return bool(start) and _clock_of_report(basis, time_text)


def clock_undated(basis: str, start: str | None, time_text: str | None) -> bool:
    """Whether an event row is a time of day the date stage gave only its page's publication, on a page without one
    ("The alarm was sounded at 6:00am", after "on the morning of Thursday April 2nd" on an undated page): read as a
    date left unresolved, the day of the row before it (``page_dates.clock_day``)."""
    return not start and _clock_of_report(basis, time_text)


# "last week", "last month" on a page: not its last days, which a page names by their weekday or "yesterday"
LAST_PERIOD = re.compile(r"\blast\s+(?:week|month)\b", re.IGNORECASE)
LAST_PERIOD_RECENT = dt.timedelta(days=int(RULES["last_period_recent_days"]))
# "a monitor said on Wednesday", "reported on Thursday 21 November that", "told AFP on Sunday": the word before
REPORT_VERBS = frozenset(RULES["report_verbs"])
SAID_THAT = re.compile(r"\b(?:" + "|".join(map(re.escape, RULES["report_verbs"])) + r")\s+(?:[\w'’-]+\s+){0,3}?that\b",
                       re.IGNORECASE)  # fmt: skip
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
OFFSET_DAYS = {text.lower(): int(days) for text, days in RULES["offset_days"].items()}  # ``clock_day``
COUNTED_DAYS = {text.lower(): int(days) for text, days in RULES["counted_days"].items()}  # ``page_weekday``
DAYTIME = re.compile(r"\b(" + "|".join(map(re.escape, RULES["daytime_words"])) + r")\b", re.IGNORECASE)
# "early", "late": a night only without one of their day's words ("late Wednesday afternoon" is no night)
WEAK_NIGHT = tuple(
    (re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE),
     re.compile(r"\b(" + "|".join(map(re.escape, unless)) + r")\b", re.IGNORECASE))
    for word, unless in RULES["weak_night_words"].items()
)  # fmt: skip


EVENING = re.compile(r"\b(" + "|".join(map(re.escape, RULES["evening_night_words"])) + r")\b", re.IGNORECASE)
MORNING = re.compile(r"\b(" + "|".join(map(re.escape, RULES["morning_night_words"])) + r")\b", re.IGNORECASE)
DAWN = re.compile(r"\b(" + "|".join(map(re.escape, RULES["dawn_night_words"])) + r")\b", re.IGNORECASE)


def evening_night(time_text: str) -> bool:
    """Whether a time expression tells a night by the weekday of its evening ("late Friday evening", "on Friday
    night"; not "early Saturday", "overnight on Friday", "last night"): ``evening_night_words``."""
    return bool(WEEKDAY_NAMED.search(time_text) and EVENING.search(time_text) and not MORNING.search(time_text)
                and is_night(time_text))  # fmt: skip


def dawn_night(time_text: str) -> bool:
    """Whether a time expression tells a night by the day of its morning ("early Sunday", "early yesterday"; not
    "late Saturday night", "overnight"): ``dawn_night_words``, none of the ``evening_night_words``."""
    return bool(DAWN.search(time_text) and not EVENING.search(time_text) and is_night(time_text))


def firm_night(time_text: str) -> bool:
    """Whether a time expression tells a night by a word of the night ("Saturday night", "overnight", "at dawn":
    ``night_words``), not only by "early" or "late" ("early Sunday" may be its morning)."""
    return NIGHT.search(time_text) is not None


def is_night(time_text: str) -> bool:
    """Whether a time expression tells a night, which may be told as either of its days: "overnight", "Saturday
    night", "early Sunday", "late Tuesday"; not "late Wednesday afternoon", "early Monday evening"."""
    if NIGHT.search(time_text):
        return True
    return any(word.search(time_text) and not unless.search(time_text) for word, unless in WEAK_NIGHT)
RELATED = frozenset(frozenset(pair) for pair in RULES["related_types"])  # types that may tell one incident
NO_TYPES: frozenset[str] = frozenset()
NO_SIDES: frozenset[str] = frozenset()
RELATED_TO = {kind: frozenset(t for pair in RELATED if kind in pair for t in pair if t != kind)
              for pair in RELATED for kind in pair}  # fmt: skip
REPORTING = frozenset(RULES["reporting_types"])  # what someone said, of an incident of another type
# A reaction's verb in the words right after a row's time expression ("on Wednesday strongly condemned"); each word
# with the separators after it read once (an atomic group: a word split between repeats made every sentence that has
# no such verb cost thousands of tries, and grouping twice as slow)
REACTION_AFTER = re.compile(
    r"^\W*(?>[\w'’-]+\W+){0," + str(int(RULES["reaction_words_after"]) - 1) + r"}?(?:"
    + "|".join(map(re.escape, RULES["reaction_stems"])) + r")\w*", re.IGNORECASE) if RULES["reaction_stems"] else None
REACTION_TYPE = RULES["reporting_types"][0] if RULES["reporting_types"] else ""


ROUTE_TYPES = frozenset(RULES["route_types"])  # types whose towns may lie along a route
ROUTE_KM = float(RULES["route_km"])
TIE_LIMIT = int(RULES["tie_limit"])  # compatible incidents a coarse row's words may choose among
WORDS_MARGIN = float(RULES["words_margin"])  # how much rarer the words it shares with the chosen one must weigh
UNSEEN_DOCUMENTS = int(RULES["unseen_documents"])  # news a month's few documents stand for (``Lexicon``)
WORD = re.compile(r"[^\W\d_]{4,}")  # a word of four letters or more
COMMON_WORDS = frozenset(RULES["common_words"])
YEAR_FROM_CORPUS = bool(RULES["year_from_corpus"])  # a page that writes no year may take the corpus's
RECALLED_YEARS = frozenset(RULES["recalled_years"])  # the dates with a year of a past a page recalls, not its news
# A day written in full as the start of a past its page recalls ("since the military seized power in a Feb. 1, 2021,
# coup"): the words before it (``recalled_day_cues``, then up to ``recalled_day_words`` words without a stop)
RECALLED_GRANULARITIES = frozenset(RULES["recalled_day_granularities"])
RECALLED_DAY = re.compile(
    r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in RULES["recalled_day_cues"]) + r")\b"
    r"(?:\s+[^\s,;:.!?]+){0," + str(int(RULES["recalled_day_words"])) + r"}\s+$", re.IGNORECASE
) if RULES["recalled_day_cues"] else None
# A destination phrase ("a train to", "bound for"): the place after it is where someone was going
DESTINATION = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in RULES["destination_words"])
                         + r")\s+(?:to|for)\s+(?:the\s+)?", re.IGNORECASE)  # fmt: skip
# A provenance phrase ("made in", "ordered by Hezbollah from Gold Apollo in"): the place after it is where goods came
# from
PROVENANCE_VERBS = tuple(sorted({phrase.rsplit(" ", 1)[0] for phrase in RULES["provenance_words"]}))  # (a quick test)
PROVENANCE = re.compile(r"\b(?:" + "|".join(
    re.escape(verb) + r"(?:\s+by\s+(?:[\w'’-]+\s+){1,3}?)?\s*" + re.escape(preposition)
    for verb, preposition in (phrase.rsplit(" ", 1) for phrase in RULES["provenance_words"])
) + r")\s+(?:the\s+)?(?:(?:[A-Z][\w'’-]*\s+){1,3}(?:in|of)\s+)?")
WEEKDAY_FROM_CORPUS = bool(RULES["weekday_from_corpus"])  # an undated page's weekday may take the corpus's one day
WEEKDAY_SIDES = bool(RULES["weekday_from_corpus_sides"])  # ... or the corpus's one day of news of its side
SIDE_KEY = "side:"  # a side's key among the towns' (``corpus_dates._side_keys``)
WEEKDAY_WORDS = bool(RULES["weekday_from_corpus_words"])  # ... or the corpus's day of news sharing its rare words
NAME_WORD = re.compile(r"[^\W\d_]+")  # a word of a name (``corpus_dates.name_words``)
NAME_WORD_MIN = int(RULES["name_word_min"])
NAME_WORD_SPELLING = int(RULES["name_word_spelling"])  # a word this long matches one a letter apart
ATTRIBUTION = re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in RULES["attribution_words"])
                         + r")\b[^,;.!?]*", re.IGNORECASE) if RULES["attribution_words"] else None  # (who told it)
COUNTED_WORDS = bool(RULES["counted_from_corpus_words"])  # ... and so may its "yesterday" (any weekday: ANY_DAY)
ANY_DAY = -1  # the weekday of such a "yesterday" among a page's weekdays (``corpus_dates.unplaced_weekdays``)
WORDS_KEY = "words"  # the key among the towns' of a row only the corpus's words may date (``corpus_dates._words_key``)
WORDS_RARITY = float(RULES["words_rarity"])  # how rare in the corpus a page's word must be to count
WORDS_WEEKDAY_MARGIN = float(RULES["words_weekday_margin"])  # by how much the chosen day must outweigh any other
WORDS_SPAN = dt.timedelta(days=int(RULES["words_span_days"]))  # the days a page's weekdays take: within one week
# Rows that only join and joined nothing (their day only their pages give) make an incident when this many pages
# give that day to compatible rows (0: never)
CORROBORATING_DOCUMENTS = int(RULES["corroborating_documents"])
WEEKDAY_NEAR_DAYS = min(3, int(RULES["weekday_near_days"]))  # a weekday its page writes no day of: the nearest
YEARLESS_MONTHS = bool(RULES["yearless_months"])  # a month without a year takes its page's year, as a day does
WORD_ENDINGS = tuple(sorted(RULES["word_endings"], key=len, reverse=True))  # the longest first
# A day a page names only from its publication date ("yesterday", "today"): its stamp may be a day late
PUBLICATION_DAY = re.compile(r"(?:" + "|".join(re.escape(w) for w in RULES["publication_days"]) + r")(?:['’]s)?",
                             re.IGNORECASE) if RULES["publication_days"] else None  # fmt: skip
