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
  Sunday"; "late" and "early" only without a word of the day, ``weak_night_words``: "late Wednesday afternoon" is
  no night; an afternoon is no night: ``daytime_words``; a page that tells "late Friday evening" and "on Saturday"
  apart tells two happenings unless a report of the incident tells Saturday as a night: ``evening_night_words``);
  a coarser value (a week, a month) only contains the
  incident's date. A date that tells when a happening was said or reported (``report_dated``: "a monitor said on
  Wednesday", a dateline "Aug. 3 (UPI) --", a photo caption's date before its credit, a quoted "today", a date in
  brackets after one of these: ``restates``) lets it be that day or the day before. An undated
  page's "Sunday" is the one Sunday its page writes in full (a caption's "June 2, 2019"), joining, never founding;
  a page that writes no year takes the corpus's for its days without one, when one year alone has news of their
  months (``corpus_years``), joining, never founding;
  an undated page's weekday in a town placed by no day of its is the corpus's one day of news of that town on
  that weekday, when that day's news names one of the people or sides its row names, or the row names none
  (``corpus_dates.town_days``: the page might be of any year); a day a page writes only as the start of a past it
  recalls ("since ... a Feb. 1, 2021, coup": ``page_dates.page_bases``) gives it neither its weekdays' day nor
  its year; placed nowhere, of a side it names (``weekday_from_corpus_sides``), joining; placed nowhere or
  only in a province or a country, and dated by neither, the corpus's one day of violent news on that weekday whose
  sentences share the page's rare words by far the most (``weekday_from_corpus_words``: "Friday's assault on the
  Crocus City Hall", ``CorpusWords``; never news naming none of the countries the page's rows name,
  ``page_countries``), joining, never founding, not even with another page, a night of it only its
  page's story of either of its days, and not inside a clause of saying ("said that ... on Friday night");
  an undated page's "yesterday", on a page that writes no day and no weekday, likewise of any weekday, among the
  news of the countries it names (``counted_from_corpus_words``), joining; a time of day the date stage gave only a
  missing publication is read as one left unresolved (``clock_undated``);
  an undated page's weekday that no day it writes falls on is the one nearest them, within three days of each
  (``weekday_near_days``: "first attacked on Monday, July 7 ... a second attack on Tuesday morning"), joining;
  rows that only join and joined nothing make an incident together when two pages or more tell them
  (``corroborating_documents``: two undated pages that agree on a day they could only infer); a time of day
  after a day its undated page could not date ("killed early Sunday ... around 1 a.m.") is the day given to that
  row, and a day told from it ("killed the day before": ``offset_days``) that many days from it (``clock_day``);
  a weekday written with a day refuses a year it does not fall on, and a page's only year written alone that one
  refuses is not its year;
- one document: a row told "earlier" or "later" (``sequel_words``: "Earlier in the evening, a tanker blew up"; or
  the word right before its time expression: "Later that night", "Earlier in July")
  is another happening than the one its document told beside it, so it never shares an incident with another row
  of its document; and one sentence that tells two dates tells two happenings ("Sunday's attack came after last
  week's bombing");
- place: every place the sentence names counts, the finest first, except a country or a province named beside
  a finer place inside it ("Maaret al-Numan in Syria's Idlib province" is no report placed in "Syria"). The same
  town (or two names within ``SAME_TOWN_KM``); a coarser place contains the other: a country its towns, a
  region those within ``RADIUS_KM``, a province the places of its first-level region (``admin1``; where
  either's is unknown, those within ``province_km`` of its point), two provinces only when they are the same. A
  town named like its province ("Idlib") is read as the province; a sea or a gulf (``water_kinds``) places
  nothing, nor a place where someone was going (``destination_words``) or goods came from (``provenance_words``:
  "ordered ... from Gold Apollo in Taiwan"); an incident placed only in a province or a country is found by a
  town's row of its day wherever the town lies, and a row that only joins never narrows its incident's place;
- actors: the parties named (states and armed groups of the dictionary; a person stands for the side he or she
  belongs to; monitors, media, aid groups and names no dictionary holds, mostly people quoted, are no party)
  overlap, or one side names none, or names its sides only through people (``Row.groups``: a president quoted,
  "Zelenskyy's hometown", contradicts no side; nor does a side named only as who told it, "According to Kenyan
  officials": ``attribution_words``); in the same town the same
  day they need not (a sentence also names victims, bystanders and the sides of a response), nor when a row of its
  page of the same type and town is in the incident (a page names the victims in one sentence, the accused in
  another);
- event type: the same, or one side has none; meetings, agreements, statements and threats are one kind,
  and may be placed where they were held or what they were about when they share a side; a reaction told of its
  own date ("In a statement on Sunday, the Prime Minister denounced Iran ...": ``wording.reaction_type``) is a
  statement, not the attack it names; what a page says in a town is no saying of its incident placed only in the
  country; a statement's night, when it was said, makes no night of the happening it
  joins. A row whose time
  expression is followed directly by a political trigger is read as that type (``clause_type``: "the explosion
  comes after the president on Wednesday threatened to launch an offensive" dates a threat). Types that may
  tell one incident (``related_types``: a convoy's movement that was struck) join when the sentence of one
  also tells the other's type by its triggers ("an airstrike hit a convoy"), they share a side, and their
  places are the same or one holds the other (not merely near). What a side said (``reporting_types``: "the
  army announced it had imposed full control over the town") joins an incident of another type in the same
  town when they share a side; what a page says placed nowhere and naming no side, its page's own incident of
  that day. An incident told with several types keeps each type's sides: a report of one
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
id and the incident rows (``tables`` does the same over the Arrow tables; ``months`` runs it a month at a time
over a corpus too large to hold). The modules, in the order of the flow:

- ``rules``: the tunable rules (``data/incident_rules.toml``) and what is compiled from them;
- ``records``: ``Spot``, ``Row`` and ``Incident``, what grouping reads and builds;
- ``wording``: what a row's sentence tells around its time expression, and its words;
- ``page_dates``: a row's date from its own page where the date stage left it unresolved;
- ``corpus_dates``, ``corpus_words``: the dates the whole corpus gives undated pages, and each row's month;
- ``rows``: the event rows as grouping reads them (``rows_from``);
- ``matching``: whether a row may join an incident (``compatible``);
- ``grouping``: the rows grouped into incidents (``group``);
- ``summary``: the incident rows, month after month (``incidents_of``);
- ``tables``, ``months``: the same over a build's Arrow tables, and the pass a month at a time.
"""

from __future__ import annotations

from pipeline import native

native.activate_subpackage(__path__, "incidents")  # the compiled modules of this package, when they are fresh

from pipeline.incidents.corpus_dates import (  # noqa: E402
    MONTH_COLUMNS,
    month_of,
    row_months,
    town_days,
    towns_of,
    unplaced_weekdays,
    unplaced_weekdays_left,
    with_corpus_weekdays,
    with_corpus_years,
    yearless_days,
)
from pipeline.incidents.corpus_words import WORDS_COLUMNS, CorpusWords, with_corpus_words, worded_weekdays  # noqa: E402
from pipeline.incidents.grouping import group  # noqa: E402
from pipeline.incidents.records import Incident, NewsKey, Places, Row, Spot  # noqa: E402
from pipeline.incidents.rows import parties_of, rows_from  # noqa: E402
from pipeline.incidents.rules import COLUMNS_READ, DATED, OWN_DATE, SIDE_KEY  # noqa: E402
from pipeline.incidents.summary import incidents_by_month, incidents_of  # noqa: E402

__all__ = [
    "COLUMNS_READ", "DATED", "MONTH_COLUMNS", "OWN_DATE", "SIDE_KEY", "WORDS_COLUMNS", "CorpusWords", "Incident",
    "NewsKey", "Places", "Row", "Spot", "group", "incidents_by_month", "incidents_of", "month_of",
    "parties_of", "row_months", "rows_from", "town_days", "towns_of", "unplaced_weekdays", "unplaced_weekdays_left",
    "with_corpus_weekdays", "with_corpus_words", "with_corpus_years", "worded_weekdays", "yearless_days",
]  # fmt: skip
