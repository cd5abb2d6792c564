"""Incidents: rows of several documents that report one happening are grouped; neighbours stay apart."""

import datetime as dt
import shutil

import pandas as pd
import pyarrow as pa
import pytest

from pipeline import cli, incidents
from pipeline.incidents import grouping, page_dates, rules, wording
from pipeline.incidents import rows as incident_rows
from pipeline.incidents import tables as incident_tables
from tests.conftest import REPO

CORPUS = REPO / "tests" / "data" / "incidents"
COPIES = REPO / "tests" / "data" / "incidents_copies"
SARAQIB, NAYRAB, IDLIB = (35.86, 36.80), (35.86, 36.76), (35.93, 36.63)
PARTIES = {"Russia": "Russia", "Syrian government": "Syrian government", "HTS": "HTS", "White Helmets": "",
           "Vladimir Putin": "Russia"}  # fmt: skip


def row(doc, day, place="Saraqib", where=SARAQIB, precision=1, actors="Russia", kind="attack / strike",
        end=None, basis="relative", publisher=None, granularity="day", sentence=""):  # fmt: skip
    return {
        "event_id": f"{doc}-{day}-{place}", "doc_id": doc, "publisher": publisher or doc, "published": day,
        "date_basis": basis, "date_start": day, "date_end": end or day, "granularity": granularity,
        "actors": actors, "locations": place, "event_type": kind, "lat": where[0] if where else None,
        "lon": where[1] if where else None, "place_precision": precision if where else None,
        "time_text": "on Sunday", "time_value": day, "sentence": sentence,
    }  # fmt: skip


def grouped(*rows, parties=PARTIES):
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    ids, table = incidents.incidents_of(columns, parties)
    return ids, {t["incident_id"]: t for t in table}


def test_outlets_reporting_the_same_strike_form_one_incident():
    ids, table = grouped(row("a", "2021-03-14"), row("b", "2021-03-14", publisher="Other"),
                         row("c", "2021-03-14", actors="Russia; White Helmets"))  # fmt: skip
    assert len(set(ids)) == 1
    incident = table[ids[0]]
    assert (incident["date_start"], incident["granularity"], incident["place"]) == ("2021-03-14", "day", "Saraqib")
    assert (incident["sources"], incident["documents"], incident["date_agreement"]) == (3, 3, "agree")
    assert incident["explanation"].startswith("same day 2021-03-14; Saraqib; attack / strike; actors Russia")
    assert incident["explanation"].endswith("3 sources")


@pytest.mark.parametrize(
    "other",
    [
        row("b", "2021-03-28"),  # the same town two weeks later
        row("b", "2021-03-14", place="Al-Nayrab", where=NAYRAB),  # a nearby village the same day
        row("b", "2021-03-14", place="Idlib", where=IDLIB, precision=3, actors="Syrian government"),  # another side
        row("b", "2021-03-14", kind="protest"),  # another kind of event
    ],
    ids=["two-weeks-later", "nearby-village", "other-side", "other-type"],
)
def test_incidents_that_share_a_town_a_day_or_an_actor_stay_apart(other):
    ids, _ = grouped(row("a", "2021-03-14"), other)
    assert ids[0] != ids[1] and all(ids)


def test_in_the_same_town_the_same_day_a_bystander_named_does_not_split_a_strike():
    """"The Khan Sheikhoun attack of April 4 ... drew a response in the form of US missile strikes" names the US."""
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2021-03-14", actors="Syrian government"))
    assert ids[0] == ids[1]


def test_a_town_named_like_its_province_is_read_as_the_province():
    columns = {name: [r[name] for r in [row("a", "2021-03-14", place="Idlib", where=IDLIB),
                                        row("b", "2021-03-14")]] for name in incidents.COLUMNS_READ}  # fmt: skip
    places = {"Saraqib": (*SARAQIB, "city", "Syria", 1, ""), "Idlib": (*IDLIB, "city", "Syria", 1, "")}
    ids, _ = incidents.incidents_of(columns, PARTIES, places, frozenset({"Idlib"}))
    assert ids[0] == ids[1]  # "Idlib" (the province) holds Saraqib
    ids, _ = incidents.incidents_of(columns, PARTIES, places, frozenset())
    assert ids[0] != ids[1]  # read as the city of Idlib, it is another town


def test_a_country_contains_its_towns_and_a_meeting_its_subject():
    syria = {"place": "Syria", "where": (34.8, 39.0), "precision": 3}
    columns = {name: [r[name] for r in [row("a", "2021-03-14"), row("b", "2021-03-14", **syria)]]
               for name in incidents.COLUMNS_READ}  # fmt: skip
    places = {"Saraqib": (*SARAQIB, "city", "Syria", 1, ""), "Syria": (34.8, 39.0, "country", "Syria", 3, "")}
    ids, _ = incidents.incidents_of(columns, PARTIES, places)
    assert ids[0] == ids[1]
    talks = {"kind": "meeting / talks", "actors": "Russia; Turkey"}
    ids, _ = grouped(row("a", "2020-03-05", place="Moscow", where=(55.75, 37.62), **talks),
                     row("b", "2020-03-05", place="Idlib", where=IDLIB, actors="Russia",
                         kind="agreement / ceasefire"))  # fmt: skip
    assert ids[0] == ids[1]  # held in Moscow, about Idlib: the same sides the same day


def test_a_coarser_report_joins_only_when_nothing_contradicts_it():
    week = {"end": "2021-03-14", "granularity": "week"}
    ids, table = grouped(row("a", "2021-03-14"), row("b", "2021-03-08", **week))
    assert ids[0] == ids[1] and table[ids[0]]["date_agreement"] == "consistent"
    assert table[ids[0]]["date_start"] == "2021-03-14" and table[ids[0]]["granularity"] == "day"
    # two strikes that week: the week-long report could be either, so it joins neither
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2021-03-10"), row("c", "2021-03-08", **week))
    assert len(set(ids)) == 3


def test_of_several_fits_a_coarse_report_joins_the_one_that_shares_its_side():
    week = {"end": "2021-03-14", "granularity": "week", "actors": "Vladimir Putin"}
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2021-03-10", actors=""), row("c", "2021-03-08", **week))
    assert ids[0] == ids[2] and len(set(ids)) == 2  # Russia's strike, not the one that names no side
    # two that share its side: it could be either, so it joins neither
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2021-03-10"), row("c", "2021-03-08", **week))
    assert len(set(ids)) == 3


def test_a_day_written_without_a_year_takes_its_documents_year_to_join_but_never_founds():
    anchor = row("w", "2021-03-10", place="Idlib", where=IDLIB, precision=3, basis="explicit")

    def undated(day, **kw):
        found = row("w", "", basis="unresolved", **kw)
        return found | {"time_value": "XXXX-" + day, "event_id": "w-" + day, "time_text": "on " + day}

    ids, table = grouped(row("a", "2021-03-14"), anchor, undated("03-14"))
    assert ids[0] == ids[2] and table[ids[0]]["date_start"] == "2021-03-14"
    ids, _ = grouped(row("a", "2021-03-14"), anchor, undated("03-20"))  # no incident that day: none made
    assert ids[2] == ""
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2020-03-14"), undated("03-14"))  # no year: nor the corpus
    assert ids[2] == ""
    other_year = row("w", "2020-05-01", place="Idlib", where=IDLIB, precision=3, basis="explicit")
    ids, _ = grouped(row("a", "2021-03-14"), anchor, other_year, undated("03-14"))  # two years: none taken
    assert ids[3] == ""


def test_a_page_that_writes_no_day_with_a_year_takes_the_year_it_writes_alone():
    """An undated page: "Missiles struck a cafe in Saraqib on March 14" and "the deadliest attack in 2021". With no
    day or month written with a year, the year written alone gives the day its year: it joins the strike of that
    day, never makes one. Two years written alone give none; a day written with a year outranks them."""

    def page(*years, day="03-14"):
        found = row("w", "", basis="unresolved") | {"time_value": "XXXX-" + day, "event_id": "w-" + day}
        alone = [row("w", f"{y}-01-01", end=f"{y}-12-31", granularity="year", basis="explicit") | {
            "event_id": f"w-{y}"} for y in years]  # fmt: skip
        return [found, *alone]

    ids, table = grouped(row("a", "2021-03-14"), *page(2021))
    assert ids[0] == ids[1] and table[ids[0]]["documents"] == 2
    ids, _ = grouped(row("a", "2021-03-14"), *page(2021, day="03-20"))  # no incident that day: none made
    assert ids[1] == ""
    ids, _ = grouped(row("a", "2021-03-14"), *page(2021, 2014))  # "since 2014": which year is not said
    assert ids[1] == ""
    written = row("w", "2020-05-01", place="Idlib", where=IDLIB, precision=3, basis="explicit") | {"event_id": "w-d"}
    ids, _ = grouped(row("a", "2021-03-14"), *page(2021), written)  # a day with its year is the page's year
    assert ids[1] == ""


def test_a_weekday_written_with_a_day_refuses_a_year_it_does_not_fall_on():
    """"early Sunday, March 14", on an undated page whose only year is that of "a 2020 ambush": 14 March 2020 was a
    Saturday, so the page has not said its year; the corpus's year of the March it names (2021, when 14 March was a
    Sunday) is its year, and the day joins the strike of that day. A year written alone ("in 2019", "late 2021") is
    no news of a month for the corpus's years: another page's "2020" does not make March 2020 the corpus's too."""

    def page(*extra, text="early Sunday, March 14"):
        found = row("w", "", basis="unresolved") | {"time_value": "XXXX-03-14", "event_id": "w-day", "time_text": text}
        alone = row("w", "2020-01-01", end="2020-12-31", granularity="year", basis="explicit") | {"event_id": "w-2020"}
        return grouped(row("a", "2021-03-14"), found, alone, *extra)

    ids, _ = page()
    assert ids[0] == ids[1] != ""
    ids, _ = page(text="March 14")  # no weekday: the page's year stands (2020), and no incident is of that day
    assert ids[1] == ""
    ids, _ = page(row("b", "2020-03-01", end="2020-05-31", granularity="season", basis="explicit", place="Idlib",
                      where=IDLIB, precision=3))  # fmt: skip  # (a spring of 2020: no month's news)
    assert ids[0] == ids[1] != ""
    assert page_dates.anchored_day("XXXX-03-14", 2020, "early Sunday, March 14") is None
    assert page_dates.anchored_day("XXXX-03-14", 2021, "early Sunday, March 14") == dt.date(2021, 3, 14)


def test_a_page_that_writes_no_year_takes_the_corpus_year_of_the_months_it_names():
    """"Saraqib, March 14 (Agency): jets struck the town on Sunday", on a page that writes no year at all: the corpus
    has news of March only in 2021, so its "March 14" is of 2021 and joins the strike of that day (never making
    one), and its "on Sunday" is the Sunday it writes as "March 14" (14 March 2021 is a Sunday). With March news of
    2020 too, which year is not known: its "March 14" joins nothing."""

    def page(*extra):
        day = row("w", "", basis="unresolved") | {"time_value": "XXXX-03-14", "event_id": "w-day",
                                                   "time_text": "March 14"}
        sunday = row("w", "", basis="unresolved") | {"time_value": "XXXX-WXX-7", "event_id": "w-sunday"}
        return grouped(row("a", "2021-03-14"), day, sunday, *extra)

    ids, table = page()
    assert ids[0] == ids[1] == ids[2] and table[ids[0]]["documents"] == 2
    ids, _ = page(row("b", "2020-03-02", place="Idlib", where=IDLIB, precision=3, basis="explicit"))
    assert ids[1] == ""
    assert ids[2] == ids[0]  # (its Sunday in Saraqib is still the corpus's one Sunday of news of Saraqib)
    ids, _ = page(row("b", "2020-05-02", place="Idlib", where=IDLIB, precision=3, basis="explicit"))  # not March
    assert ids[0] == ids[1] == ids[2]


def test_a_day_written_with_its_weekday_takes_the_corpus_year_it_falls_on():
    """"Today (Sunday, March 14), jets struck Saraqib ... Last Sunday, jets struck the town too", on a page that
    writes no year, in a corpus with March news of 2020 and 2021: 14 March is a Sunday only in 2021, so the page
    takes 2021 and its day joins the strike of that day; its "Last Sunday" is the Sunday a week before its own
    Sunday (7 March), not the 14th. Without the weekday, which year is not known."""

    def page(text="Sunday, March 14"):
        day = row("w", "", basis="unresolved") | {"time_value": "XXXX-03-14", "event_id": "w-day", "time_text": text}
        last = row("w", "", basis="unresolved") | {"time_value": "", "event_id": "w-last", "time_text": "Last Sunday"}
        other = row("b", "2020-03-02", place="Idlib", where=IDLIB, precision=3, basis="explicit")
        return grouped(row("a", "2021-03-14"), row("c", "2021-03-07"), other, day, last)[0]

    ids = page()
    assert ids[3] == ids[0] != ids[1] == ids[4] != ""
    ids = page("March 14")
    assert ids[3] == ids[4] == ""
    ids = page("Saturday, March 14")  # (14 March 2020: the corpus's other year)
    assert ids[3] == "" and ids[2] != ""
    # a weekday the date stage reads apart, right before the day: "on Sunday evening, March 14" (the page's Sunday
    # joins as its day does)
    day = row("w", "", basis="unresolved", sentence="The jets struck on Sunday evening, March 14 in the town.")
    day.update(time_value="XXXX-03-14", event_id="w-day", time_text="March 14")
    other = row("b", "2020-03-02", place="Idlib", where=IDLIB, precision=3, basis="explicit")
    ids = grouped(row("a", "2021-03-14"), other, day)[0]
    assert ids[2] == ids[0] != ""
    assert page_dates.page_weekday("last Sunday", (dt.date(2021, 3, 14),), 2021) == dt.date(2021, 3, 7)
    assert page_dates.page_weekday("on Sunday", (dt.date(2021, 3, 14),), 2021) == dt.date(2021, 3, 14)
    # (a page without a year of its own, whose days are the corpus's days of its weekdays: as "on Sunday")
    assert page_dates.page_weekday("last Sunday", (dt.date(2021, 3, 14),)) == dt.date(2021, 3, 14)


def test_a_year_of_a_past_the_page_recalls_is_not_the_year_of_its_news():
    """"On March 14, jets struck Saraqib ... a repetition of the strike of November 2020" on an undated page: the
    page's first date has no year and would fall, in 2020, before the month it recalls with one, so 2020 is not
    the year of its news; as a page that writes none, it takes the corpus's year of March news that puts its day
    after November 2020 (2021) and joins the strike of that day. Told the other way round ("In November 2020 ...
    On March 14"), or falling after the recalled month, the page's own year holds as before."""

    def page(recalled="2020-11", day_first=True, corpus=("2021-03-14",)):
        day = row("w", "", basis="unresolved") | {"time_value": "XXXX-03-14", "event_id": "w-day",
                                                   "time_text": "On March 14"}
        past = row("w", f"{recalled}-01", basis="explicit", granularity="month", place="", where=None) | {
            "date_end": f"{recalled}-28", "time_value": recalled, "event_id": "w-past", "time_text": "November 2020"}
        pages = [day, past] if day_first else [past, day]
        return grouped(*(row(f"a{n}", d) for n, d in enumerate(corpus)), *pages)[0]

    ids = page()
    assert ids[1] == ids[0] != ""  # 14 March 2021
    ids = page(corpus=("2020-03-14", "2021-03-14"))
    assert ids[2] == ids[1] != ids[0]  # the page's year of the corpus falls after what it recalls
    ids = page(day_first=False)
    assert ids[2] == ""  # "In November 2020 ... On March 14": 14 March 2020, no news that day
    ids = page(recalled="2020-02", corpus=("2020-03-14", "2021-03-14"))
    assert ids[2] == ids[0] != ids[1]  # 14 March 2020 falls after February 2020: the page's own year


def test_an_undated_pages_yesterday_is_the_day_before_its_latest_day_when_it_names_that_day():
    """"The toll of yesterday's strike on Saraqib has risen to 12, officials said on March 15, 2021 ... On Sunday,
    the strike hit the market" on an undated page: its latest day, the 15th, is the day it was written, so its
    "yesterday" is the 14th, the Sunday it names, and joins the strike of that day. Without the page naming that
    Sunday, its "yesterday" is not known (the page may have been written a day after its latest date)."""

    def page(*extra):
        written = row("w", "2021-03-15", basis="explicit", place="", where=None, actors="", kind="") | {
            "event_id": "w-written", "time_text": "March 15, 2021"}
        yesterday = row("w", "", basis="unresolved") | {"time_value": "", "event_id": "w-yesterday",
                                                         "time_text": "yesterday's"}
        return grouped(row("a", "2021-03-14"), written, yesterday, *extra)[0]

    sunday = row("w", "", basis="unresolved", place="", where=None) | {
        "time_value": "XXXX-WXX-7", "event_id": "w-sunday", "time_text": "on Sunday"}
    ids = page(sunday)
    assert ids[2] == ids[3] == ids[0] != ""
    assert page()[2] == ""
    assert page_dates.counted_day("Yesterday", frozenset({dt.date(2021, 3, 14), dt.date(2021, 3, 15)})) == (
        dt.date(2021, 3, 14))
    assert page_dates.counted_day("yesterday", frozenset({dt.date(2021, 3, 13), dt.date(2021, 3, 15)})) is None


def test_a_day_without_a_year_that_names_nothing_gives_its_page_no_day():
    """"The pilgrimage, starting on March 20", naming nothing, on an undated page whose "Jets struck Saraqib on
    Sunday" the corpus's news of Saraqib dates: the yearless day tells no news, so it neither takes the corpus's
    year nor makes the page's Sunday the one nearest it (21 March); the Sunday is the corpus's (14 March)."""
    sunday = row("w", "", basis="unresolved") | {"time_value": "XXXX-WXX-7", "event_id": "w-sunday", "published": ""}
    bare = row("w", "", basis="unresolved", place="", where=None, actors="", kind="") | {
        "time_value": "XXXX-03-20", "event_id": "w-bare", "time_text": "on March 20", "published": ""}
    ids, _ = grouped(row("a", "2021-03-14"), sunday, bare)
    assert ids[0] == ids[1] != ""


def test_a_time_of_day_after_a_day_its_page_gives_is_of_that_day():
    """"Jets struck Saraqib on Sunday. The raid, carried out around 1 a.m., ...", on an undated page: the date stage
    leaves the time of day unresolved, the same day as the Sunday it cannot place; the grouping gives it the day it
    gives that Sunday (the corpus's news of Saraqib on a Sunday), and it joins the strike. After a day the page does
    not place, it has none. A day told from that day ("the day before": ``offset_days``) is that many days from it;
    a speaker's "this morning" inside a quotation after it (``quoted_days``) is that day, as the day it was said."""

    def page(sunday_text="on Sunday", clock_text="around 1 a.m."):
        sunday = row("w", "", basis="unresolved") | {"time_value": "", "event_id": "w-sunday", "published": "",
                                                       "time_text": sunday_text}
        clock = row("w", "", basis="unresolved", place="", where=None) | {
            "time_value": "", "event_id": "w-clock", "published": "", "time_text": clock_text,
            "sentence": f"The raid, carried out {clock_text}, lasted an hour."}
        return grouped(row("a", "2021-03-14"), sunday, clock)[0]

    ids = page()
    assert ids[0] == ids[1] == ids[2] != ""
    for worded in ("early in the afternoon", "in the early evening", "at dawn", "around midday", "shortly after noon"):
        ids = page(clock_text=worded)
        assert ids[0] == ids[1] == ids[2] != "", worded
    assert page(clock_text="the evening prayers")[2] == ""  # (no time of day)
    ids = page("in the spring")  # (no day: nor has the time of day after it)
    assert ids[2] == ""
    # "Mourners gathered on Monday for those killed the day before": a day told from its page's day before it
    monday = row("w", "", basis="unresolved", kind="protest", actors="") | {
        "time_value": "", "event_id": "w-monday", "published": "", "time_text": "on Monday"}
    before = row("w", "", basis="unresolved", place="", where=None) | {
        "time_value": "", "event_id": "w-before", "published": "", "time_text": "the day before",
        "sentence": "Mourners gathered on Monday for those killed the day before."}
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2021-03-15", kind="protest", actors=""), monday, before)
    assert ids[0] == ids[3] != ids[1] == ids[2]
    # '"We struck the town this morning," the group said', after the Sunday: the day it was said; unquoted, none
    said = row("w", "", basis="unresolved", place="", where=None) | {
        "time_value": "", "event_id": "w-said", "published": "", "time_text": "this morning",
        "sentence": "“We struck the town this morning,” the group said."}
    sunday = row("w", "", basis="unresolved") | {"time_value": "", "event_id": "w-sunday", "published": "",
                                                   "time_text": "on Sunday"}
    ids, _ = grouped(row("a", "2021-03-14"), sunday, said)
    assert ids[0] == ids[1] == ids[2] != ""
    ids, _ = grouped(row("a", "2021-03-14"), sunday, said | {"sentence": "The group struck the town this morning."})
    assert ids[0] == ids[1] != ids[2]


def test_an_undated_pages_weekday_in_a_town_takes_the_corpus_one_day_of_that_towns_news_on_that_weekday():
    """"Jets struck Saraqib on Sunday", on a page without a date or a day of its own: the corpus's only news of
    Saraqib on a Sunday is of 14 March 2021, so the page's Sunday is that day and its row joins the strike (never
    making one); so does "at around midday on Sunday". With news of Saraqib on another Sunday, which is not known;
    without any, it joins nothing; a weekday placed only in a province, or a statement, is not placed so."""

    def page(*extra, where=SARAQIB, precision=1, kind="attack / strike", time_text="on Sunday"):
        sunday = row("w", "", basis="unresolved", where=where, precision=precision, kind=kind) | {
            "time_value": "XXXX-WXX-7", "event_id": "w-sunday", "published": "", "time_text": time_text}
        return grouped(*extra, sunday)

    ids, table = page(row("a", "2021-03-14"), row("b", "2021-03-13"))  # (a Saturday: not a Sunday)
    assert ids[0] == ids[2] != "" and table[ids[0]]["documents"] == 2
    ids, _ = page(row("a", "2021-03-14"), row("b", "2021-03-13"), time_text="at around midday on Sunday")
    assert ids[0] == ids[2] != ""
    ids, _ = page(row("a", "2021-03-14"), row("b", "2021-03-21", actors="HTS"))
    assert ids[2] == ""
    assert page()[0] == [""]
    assert page(row("a", "2021-03-14"), where=IDLIB, precision=3)[0][1] == ""
    assert page(row("a", "2021-03-14"), kind="statement / accusation")[0][1] == ""
    days = {"x": (dt.date(2021, 3, 14),)}  # (a page given a day of its own by the corpus's year)
    wanted = {"x": ((6, (35.86, 36.8)),), "y": ((0, (35.86, 36.8)),)}
    assert incidents.unplaced_weekdays_left(wanted, days) == {"y": wanted["y"]}


def test_an_undated_pages_weekday_in_a_town_takes_no_day_whose_news_names_none_of_the_people_its_row_names():
    """"Governor Omar Haddad was killed in a car bomb in Saraqib, police told the agency on Sunday", on a page without a
    date: the corpus's only Sunday of Saraqib news names neither Haddad nor the police, in any row of its documents,
    so the page (which may be of any year) takes no day from it; a report of that day that names Haddad in another
    row of its document gives it; a row that names no one contradicts nothing."""

    def page(*extra, actors="Omar Haddad; Saraqib Police"):
        sunday = row("w", "", basis="unresolved", actors=actors) | {
            "time_value": "XXXX-WXX-7", "event_id": "w-sunday", "published": "", "time_text": "on Sunday"}
        return grouped(*extra, sunday)

    ids, _ = page(row("a", "2021-03-14", actors="HTS"))
    assert ids[0] != "" and ids[1] == ""
    ids, _ = page(row("a", "2021-03-14", actors=""))
    assert ids[1] == ""
    ids, _ = page(row("a", "2021-03-14", actors="HTS"), actors="")
    assert ids[0] == ids[1] != ""
    news = (row("a", "2021-03-14", actors="HTS"), row("a", "2021-03-14", actors="Omar al-Haddad", basis="reported"))
    days = incidents.town_days({name: [r[name] for r in news] for name in incidents.MONTH_COLUMNS}, {SARAQIB})
    assert days[SARAQIB] == {dt.date(2021, 3, 14)} and days[(*SARAQIB, "haddad")] == {dt.date(2021, 3, 14)}
    wanted = {"w": ((6, (*SARAQIB, "haddad omar police saraqib")),)}
    assert incidents.towns_of(wanted) == {SARAQIB}
    assert incidents.with_corpus_weekdays(wanted, days, {}) == {"w": (dt.date(2021, 3, 14),)}
    assert incidents.with_corpus_weekdays(wanted, {SARAQIB: days[SARAQIB]}, {}) == {}
    # a name spelt a letter apart is the same name ("Lamlas", "Lamles"); a short word must be spelt alike
    spelt = {SARAQIB: days[SARAQIB], (*SARAQIB, "lamles"): days[SARAQIB], (*SARAQIB, "sad"): days[SARAQIB]}
    given = incidents.with_corpus_weekdays({"w": ((6, (*SARAQIB, "lamlas")),)}, spelt, {})
    assert given == {"w": (dt.date(2021, 3, 14),)}
    assert incidents.with_corpus_weekdays({"w": ((6, (*SARAQIB, "saad")),)}, spelt, {}) == {}


def test_an_undated_pages_weekday_in_no_town_takes_the_corpus_one_day_of_its_sides_news_on_that_weekday():
    """"On Sunday, the rebels attacked the bulker", placed nowhere, on a page without a date or a day of its own:
    the corpus's only dated news of an attack naming the rebels on a Sunday is of 14 March 2021, so the page's
    Sunday is that day and its row joins that attack (never making one). With the side's news on two Sundays, or
    none, it joins nothing; a statement is not placed so."""
    rebels = {"place": "", "where": None, "actors": "HTS"}

    def page(*extra, kind="attack / strike"):
        sunday = row("w", "", basis="unresolved", kind=kind, **rebels) | {
            "time_value": "XXXX-WXX-7", "event_id": "w-sunday", "published": ""}
        return grouped(*extra, sunday)

    ids, table = page(row("a", "2021-03-14", **rebels), row("b", "2021-03-13", **rebels))  # (a Saturday)
    assert ids[0] == ids[2] != "" and table[ids[0]]["documents"] == 2
    assert page(row("a", "2021-03-14", **rebels), row("b", "2021-03-21", **rebels))[0][2] == ""
    assert page(row("a", "2021-03-14"))[0][1] == ""  # (Russia's news that Sunday: not the rebels')
    assert page(row("a", "2021-03-14", **rebels), kind="statement / accusation")[0][1] == ""


def test_an_undated_pages_weekday_in_no_town_takes_the_corpus_day_of_news_that_shares_its_rare_words():
    """"Friday's assault on the Qalaat opera house", placed nowhere and naming no side, on a page without a date or
    a day of its own: of the corpus's two Fridays of violent news, only 12 March 2021's shares the page's rare words
    ("Qalaat", "opera", "house"), so the page's Friday is that day and its row joins that attack (never making
    one). With both Fridays' news sharing them, with none sharing them, of a night alone (either of its days), or on
    a page that writes a later month ("since April 2021": written after it), the page's Friday is no day."""
    stormed = "Gunmen stormed the Qalaat opera house in Saraqib on Friday, killing twelve people."
    bakery = "Jets struck a bakery in Saraqib on Friday, killing four people."
    friday, other = row("a", "2021-03-12", sentence=stormed), row("b", "2021-03-19", sentence=bakery)

    def page(*extra, time_text="Friday", sentence="Friday's assault on the Qalaat opera house was the deadliest.",
             doc="w", actors=""):  # fmt: skip
        line = row(doc, "", basis="unresolved", place="", where=None, actors=actors, sentence=sentence)
        line.update(time_value="XXXX-WXX-5", time_text=time_text, event_id=f"{doc}-friday", published="")
        return [line, *extra]

    ids, table = grouped(friday, other, *page())
    assert ids[0] == ids[2] != ids[1] and table[ids[0]]["documents"] == 2
    assert grouped(friday, row("b", "2021-03-19", sentence=stormed), *page())[0][2] == ""  # (both share them)
    assert grouped(friday, other, *page(sentence="Friday's assault killed many people."))[0][2] == ""
    assert grouped(friday, other, *page(time_text="Friday night"))[0][2] == ""
    # its night beside it on the page ("gunmen stormed the hall late Friday night") joins its page's story of that
    # day, as a day that names nothing does; not one told inside a clause of saying ("the Committee said that four
    # men had been detained on Friday night": another happening)
    night = row("w", "", basis="unresolved", place="", where=None, actors="",
                sentence="Gunmen stormed the opera house late Friday night.")
    night.update(time_value="XXXX-WXX-5", time_text="late Friday night", event_id="w-night", published="")
    ids, _ = grouped(friday, other, *page(night))
    assert ids[0] == ids[2] == ids[3] != ""
    detained = night | {"sentence": "The Committee said that four men had been detained late Friday night."}
    ids, _ = grouped(friday, other, *page(detained))
    assert ids[0] == ids[2] != "" and ids[3] == ""
    since = row("w", "2021-04-01", end="2021-04-30", basis="explicit", granularity="month", place="", where=None,
                actors="", kind="") | {"time_text": "since April 2021", "published": ""}  # fmt: skip
    assert grouped(friday, other, *page(since))[0][2] == ""
    # two such pages naming a side the day's attack does not: they join it, nor make an incident together
    ids, _ = grouped(friday, other, *page(actors="HTS"), *page(actors="HTS", doc="v"))
    assert ids[2] == ids[3] == ""


def _undated_row(sentence, time_text, time_value):
    """A row of an undated page "w", placed nowhere and naming no side, its date left unresolved."""
    line = row("w", "", basis="unresolved", place="", where=None, actors="", sentence=sentence)
    line.update(time_value=time_value, time_text=time_text, event_id=f"w-{time_text.lower()}", published="",
                countries="")  # fmt: skip
    return line


def _beside_two_fridays_of_news(stormed, line, countries):
    """The incident ids of the corpus's news of two Fridays in Saraqib, a week apart (the first told by ``stormed``, in
    Syria), and an undated page's ``line``; ``countries``: those the undated page names (``page_countries``)."""
    friday = row("a", "2021-03-12", sentence=stormed) | {"countries": "Syria"}
    other = row("b", "2021-03-19", sentence="Jets struck a bakery in Saraqib on Friday.") | {"countries": "Syria"}
    rows = (friday, other, line)
    columns = {name: [r[name] for r in rows] for name in (*incidents.COLUMNS_READ, "countries")}
    return incidents.incidents_of(columns, PARTIES, countries=countries)[0]


def test_an_undated_pages_weekday_takes_no_day_of_news_of_countries_it_never_names():
    """"Friday's assault on the Qalaat opera house", placed nowhere, on an undated page whose other rows are placed
    in Jordan ("AMMAN, March 12:", rows the grouping does not read, given as the page's ``countries``): the
    corpus's only Friday of news sharing its rare words is an attack in Syria, so the page's Friday is no day and
    its row joins nothing. A page that names Syria too, or names no country at all, takes that Friday."""
    stormed = "Gunmen stormed the Qalaat opera house in Saraqib on Friday, killing twelve people."
    line = _undated_row("Friday's assault on the Qalaat opera house was the deadliest.", "Friday", "XXXX-WXX-5")

    def page_ids(countries):
        return _beside_two_fridays_of_news(stormed, line, countries)

    assert page_ids({"w": frozenset({"Jordan"})})[2] == ""
    ids = page_ids({"w": frozenset({"Jordan", "Syria"})})
    assert ids[0] == ids[2] != ""
    ids = page_ids({})
    assert ids[0] == ids[2] != ""


def test_words_every_kind_of_news_uses_tell_no_undated_pages_weekday():
    """"Gunmen attacked a school in Syria on Friday, injuring children, officials in the region and the city said",
    on an undated page placed only in Syria: the corpus's Friday of news in Ukraine shares the words any report of
    violence uses ("officials", "children", "injured", "region", "city": ``common_words``), its Friday in Syria the
    page's rare ones ("gunmen", "school"). Those words weigh nothing, so the Syrian Friday leads and the page's row
    joins its attack; counted, the Ukrainian Friday led, whose country the page never names, and the page took none."""
    assert not wording.words_of("Officials said children were injured in the city and the region, including two.")
    school = row("a", "2021-03-12", sentence="Gunmen stormed the school in Saraqib on Friday.") | {"countries": "Syria"}
    kyiv = row("b", "2021-03-19", place="Kyiv", where=(50.45, 30.52), sentence=(
        "Officials said children were injured in the city and the region on Friday, including two."))
    kyiv["countries"] = "Ukraine"
    line = row("w", "", basis="unresolved", place="Syria", where=(34.8, 39.0), precision=3, actors="", sentence=(
        "Gunmen attacked a school in Syria on Friday, injuring children, officials in the region and the city said,"
        " including two."))
    line.update(time_value="XXXX-WXX-5", time_text="on Friday", event_id="w-friday", published="", countries="Syria")
    rows = (school, kyiv, line)
    columns = {name: [r[name] for r in rows] for name in (*incidents.COLUMNS_READ, "countries")}
    places = {"Saraqib": (*SARAQIB, "city", "Syria", 1, ""), "Syria": (34.8, 39.0, "country", "Syria", 3, "")}
    ids, _ = incidents.incidents_of(columns, PARTIES, places, countries={"w": frozenset({"Syria"})})
    assert ids[0] == ids[2] != ids[1]


def test_two_pages_that_give_one_happening_the_same_inferred_day_make_an_incident():
    """"Jets struck Saraqib on Tuesday" on two undated pages, each of which writes "March 16, 2021" (a Tuesday): the
    day is only their pages', so alone each joins an incident and makes none; together (two pages agreeing) they
    make one. One page alone, or two pages whose Tuesdays are in towns far apart, make none."""

    def page(doc, place="Saraqib", where=SARAQIB):
        line = row(doc, "2021-03-16", place="", where=None, actors="", kind="", basis="explicit")
        line.update(event_id=f"{doc}-line", time_text="March 16, 2021")
        tuesday = row(doc, "", basis="unresolved", place=place, where=where)
        tuesday.update(event_id=f"{doc}-tuesday", time_value="XXXX-WXX-2", time_text="on Tuesday", published="")
        return [line, tuesday]

    ids, table = grouped(*page("v"), *page("w"))
    assert ids[1] == ids[3] != "" and table[ids[1]]["documents"] == 2
    assert grouped(*page("v"))[0][1] == ""
    ids, _ = grouped(*page("v"), *page("w", place="Kharkiv", where=(49.99, 36.23)))
    assert ids[1] == ids[3] == ""


def test_a_day_a_page_names_only_from_its_stamp_may_be_the_day_before():
    """"Jets struck Saraqib yesterday" on a page stamped 15 March: its day is the 14th only if the stamp is the day
    it was written, and pages are often stamped a day late. Of a strike in Saraqib reported by others on the 13th
    (and nothing on the 14th), it joins that strike, whichever row comes first, and its page's row of that day
    placed nowhere follows it. Not when its page writes the 14th in full, not another town's or another type's, not
    when nothing of the day before fits (it is then of its own day, as before), and not when its own day holds the
    town's strike."""

    def late(doc="y", day="2021-03-14", text="yesterday", **kw):
        found = row(doc, day, **kw)
        found.update(event_id=f"{doc}-{day}-{kw.get('place', 'Saraqib')}-late", time_text=text, published="2021-03-15")
        return found

    unplaced = late(place="", where=None, actors="", text="yesterday's")
    for rows in ([row("a", "2021-03-13"), late(), unplaced], [late(), unplaced, row("a", "2021-03-13")]):
        ids, table = grouped(*rows)
        assert len(set(ids)) == 1 and ids[0] != "", rows
        assert table[ids[0]]["date_start"] == "2021-03-13" and table[ids[0]]["date_agreement"] != "agree"
    written = late(text="March 14, 2021") | {"date_basis": "explicit", "event_id": "y-written"}
    assert len(set(grouped(row("a", "2021-03-13"), late(), written)[0])) == 2  # (its page writes the 14th)
    assert len(set(grouped(row("a", "2021-03-13"), late(place="Al-Nayrab", where=NAYRAB))[0])) == 2
    assert len(set(grouped(row("a", "2021-03-13"), late(kind="protest"))[0])) == 2
    assert len(set(grouped(row("a", "2021-03-12"), late())[0])) == 2  # (two days before)
    ids, _ = grouped(row("a", "2021-03-13"), row("b", "2021-03-14"), late())
    assert ids[1] == ids[2] != ids[0]  # (its own day holds the town's strike)
    assert page_dates.publication_days(
        {k: [v[k] for v in (late(), written)] for k in ("doc_id", "date_basis", "date_start", "date_end", "time_text")}
    ) == set()
    # a day the page also names by its weekday ("attacked on Saturday ... 'at about 11 a.m today,' he said Saturday")
    # is that day whatever its stamp: a page stamped a day late still finds the Saturday it names
    weekday = late(text="on Sunday") | {"event_id": "y-weekday"}
    assert page_dates.publication_days(
        {k: [v[k] for v in (late(), weekday)] for k in ("doc_id", "date_basis", "date_start", "date_end", "time_text")}
    ) == set()
    assert len(set(grouped(row("a", "2021-03-13"), late(), weekday)[0])) == 2  # (not the day before's strike)


def test_a_month_without_its_year_takes_its_pages_year():
    """"a March attack on Saraqib" on a page that writes "20 March 2021" elsewhere: March 2021, which holds one
    strike on Saraqib, joined; on a page that writes no year, no month of any year; "March last year" is not the
    page's March."""
    march = row("v", "", basis="unresolved", granularity="month")
    march.update(event_id="v-march", time_value="XXXX-03", time_text="March", published="")
    written = row("v", "2021-03-20", basis="explicit", place="", where=None, actors="", kind="")
    ids, _ = grouped(row("a", "2021-03-14"), written, march)
    assert ids[2] == ids[0] != ""
    assert grouped(row("a", "2021-03-14"), march)[0][1] == ""
    last = march | {"time_text": "March last year"}  # (named from another year: not the page's)
    assert grouped(row("a", "2021-03-14"), written, last)[0][2] == ""


def test_a_coarse_report_in_a_town_joins_its_towns_incident_over_one_placed_nowhere():
    """"Jets struck Saraqib on 14 March" on an undated page (its year only its page's: a row that only joins) fits
    the strike on Saraqib that day and, as it names no side, an attack by another side placed nowhere that day:
    the one incident of its town is the one it tells. Placed only in the province, which holds a second town's
    incident too, it cannot tell and joins neither; a week in the town is too coarse to choose so."""
    day = row("c", "", basis="unresolved", actors="")
    day.update(event_id="c-day", time_value="XXXX-03-14", time_text="on 14 March", published="")
    written = row("c", "2021-03-20", basis="explicit", place="", where=None, actors="", kind="")
    unplaced = row("b", "2021-03-14", place="", where=None, actors="HTS")
    ids, _ = grouped(row("a", "2021-03-14"), unplaced, written, day)
    assert ids[3] == ids[0] != ids[1]
    province = day | {"locations": "Idlib", "lat": IDLIB[0], "lon": IDLIB[1], "place_precision": 3}
    nayrab = row("d", "2021-03-14", place="Al-Nayrab", where=NAYRAB, actors="HTS")
    assert grouped(row("a", "2021-03-14"), nayrab, written, province)[0][3] == ""
    week = row("e", "2021-03-14", end="2021-03-20", actors="", granularity="week") | {"time_text": "this week"}
    ids, _ = grouped(row("a", "2021-03-14"), unplaced, week)
    assert ids[2] not in (ids[0], ids[1])


def test_an_incident_first_placed_at_a_far_namesake_is_found_from_its_other_towns():
    far = {"place": "Tomahawk; Saraqib", "where": (45.47, -89.73)}  # a gazetteer's namesake first
    places = {"Tomahawk": (45.47, -89.73, "town", "US", 1, ""), "Saraqib": (*SARAQIB, "town", "Syria", 1, "")}
    rows = [row("a", "2021-03-14", **far), row("b", "2021-03-14")]
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    ids, _ = incidents.incidents_of(columns, PARTIES, places)
    assert ids[0] == ids[1]


def test_a_province_joins_the_one_town_it_may_mean():
    province = {"place": "Idlib", "where": IDLIB, "precision": 3}
    ids, table = grouped(row("a", "2021-03-14"), row("b", "2021-03-14", **province))
    assert ids[0] == ids[1] and table[ids[0]]["place"] == "Saraqib"
    assert "(also Idlib)" in table[ids[0]]["explanation"]
    ids, _ = grouped(row("a", "2021-03-14"), row("c", "2021-03-14", place="Al-Nayrab", where=NAYRAB),
                     row("b", "2021-03-14", **province))  # fmt: skip
    assert len(set(ids)) == 3


def test_a_person_stands_for_his_side():
    ids, _ = grouped(row("a", "2021-03-14"), row("b", "2021-03-14", actors="Vladimir Putin"))
    assert ids[0] == ids[1]


def test_a_side_named_only_through_a_person_does_not_contradict():
    """"A missile struck the president's hometown of Saraqib on Friday", "Vladimir Putin said": a person named is
    mostly someone who speaks of the happening (or whose town it is), not who did it. A report placed nowhere that
    names HTS joins a strike whose reports name its side only through a person; it stays apart from one whose
    reports name Russia itself."""
    unplaced = {"place": "", "where": None}
    ids, _ = grouped(row("a", "2021-03-14", actors="Vladimir Putin"), row("b", "2021-03-14", actors="HTS", **unplaced))
    assert ids[0] == ids[1]
    ids, _ = grouped(row("a", "2021-03-14", actors="Russia"), row("b", "2021-03-14", actors="HTS", **unplaced))
    assert ids[0] != ids[1]


def test_a_branch_of_an_armed_group_shares_its_side():
    """"Militants of JNIM, al-Qaeda's Sahel branch" and "an attack claimed by an al-Qaeda affiliate": a group
    affiliated to another armed group is on that group's side too (and so is a person who belongs to it), so a
    report placed nowhere that names the one joins the strike whose reports name the other; a group affiliated to a
    state stays its own side, and a group of no branch stays apart."""
    parties = incidents.parties_of({
        "al-Qaeda": ("armed group", ""), "JNIM": ("armed group", "al-Qaeda"), "HTS": ("armed group", ""),
        "Iyad Ag Ghali": ("person", "JNIM"), "Russia": ("state", ""), "Wagner": ("armed group", "Russia")})
    assert parties["JNIM"] == "JNIM|al-Qaeda" and parties["Iyad Ag Ghali"] == "JNIM|al-Qaeda"
    assert parties["Wagner"] == "Wagner" and parties["al-Qaeda"] == "al-Qaeda"
    unplaced = {"place": "", "where": None}
    ids, _ = grouped(row("a", "2021-03-14", actors="al-Qaeda"), row("b", "2021-03-14", actors="JNIM", **unplaced),
                     parties=parties)  # fmt: skip
    assert ids[0] == ids[1] != ""
    ids, _ = grouped(row("a", "2021-03-14", actors="HTS"), row("b", "2021-03-14", actors="JNIM", **unplaced),
                     parties=parties)  # fmt: skip
    assert ids[0] != ids[1]


def test_a_place_a_train_was_going_to_is_not_where_it_happened():
    """"A bomb exploded at the station as a crowd awaited a train to Nayrab": the row is not placed in Nayrab;
    "A bomb exploded near Nayrab as a crowd awaited a train" is."""
    bound = row("b", "2021-03-14", place="Nayrab", where=NAYRAB, actors="",
                sentence="A bomb exploded at the station as a crowd awaited a train to Nayrab.")  # fmt: skip
    near = bound | {"sentence": "A bomb exploded near Nayrab as a crowd awaited a train."}
    columns = {name: [r[name] for r in (bound, near)] for name in incidents.COLUMNS_READ}
    assert [r.place for r in incidents.rows_from(columns, PARTIES)] == ["", "Nayrab"]
    assert incident_rows._destinations("Jets hit a bus bound for the Nayrab market") == ("Nayrab market",)


def test_where_goods_came_from_is_not_where_it_happened():
    """"Pagers ordered by the group from Acme Radio in Nayrab exploded in their hands": where the goods came from
    (``provenance_words``), not where the blasts were; "made in Nayrab" too. "Pagers exploded in Nayrab" is."""
    ordered = row("b", "2021-03-14", place="Nayrab", where=NAYRAB, actors="",
                  sentence="Pagers ordered by the group from Acme Radio in Nayrab exploded in their hands.")
    made = ordered | {"sentence": "Pagers made in Nayrab exploded in their hands."}
    there = ordered | {"sentence": "Pagers exploded in Nayrab."}
    curfew = ordered | {"sentence": "A curfew ordered by the army in Nayrab was lifted."}  # where it was ordered
    columns = {name: [r[name] for r in (ordered, made, there, curfew)] for name in incidents.COLUMNS_READ}
    assert [r.place for r in incidents.rows_from(columns, PARTIES)] == ["", "", "Nayrab", "Nayrab"]


def test_rows_that_are_no_incident_have_no_id():
    ids, table = grouped(
        row("a", "2021-03-14", basis="reported"),  # only the day it was reported
        row("b", "2021-01-01", end="2021-12-31", granularity="year"),  # too vague
        row("c", "", end=""),  # no date
    )
    assert ids == ["", "", ""] and table == {}


def test_grouping_reads_each_row_once_per_nearby_incident_not_all_pairs():
    """10,000 rows, 200 strikes (40 days, 50 towns 5 km apart) reported 50 times each, group in one pass."""
    rows = [row(f"d{i}", f"2021-03-{1 + i % 40 % 28:02d}" if i % 40 < 28 else f"2021-04-{1 + i % 40 - 28:02d}",
                place=f"T{i % 50}", where=(33 + (i % 50) // 10 * 0.05, 36 + (i % 50) % 10 * 0.05))
            for i in range(10_000)]  # fmt: skip
    ids, table = grouped(*rows)
    assert all(ids) and len(table) == 200
    assert {t["reports"] for t in table.values()} == {50}


def test_the_cli_writes_incidents_and_marks_copies(tmp_path):
    out = tmp_path / "out"
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    shutil.copy(COPIES / "saraqib_copy.txt", corpus)
    assert cli.main(["build", str(corpus), "--out", str(out), "--no-progress"]) == 0
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    copy = docs.loc["saraqib_copy"]
    assert copy["status"] == "duplicate" and copy["reason"].startswith("near-duplicate of saraqib_wire (similarity 0.")
    assert (copy["published"], copy["published_basis"]) == ("2021-03-14", "duplicate")
    assert "saraqib_wire" in copy["published_evidence"]
    evts = pd.read_parquet(out / "events.parquet")
    assert "saraqib_copy" not in set(evts["doc_id"])
    table = pd.read_parquet(out / "incidents.parquet")
    assert list(table.columns[:13]) == [
        "incident_id", "date_start", "date_end", "granularity", "place", "lat", "lon", "actors", "event_type",
        "sources", "documents", "first_reported", "date_agreement",
    ]  # fmt: skip
    csv = pd.read_csv(out / "incidents.csv", dtype=str, keep_default_na=False)
    assert csv["incident_id"].tolist() == table["incident_id"].tolist()
    assert table["incident_id"].is_unique
    assert set(evts["incident_id"]) - {""} == set(table["incident_id"])
    market = evts[evts["sentence"].str.contains("vegetable market") & (evts["time_text"] != "")]
    incident = table.set_index("incident_id").loc[market["incident_id"].iloc[0]]
    assert (incident["sources"], incident["documents"], incident["first_reported"]) == (3, 3, "2021-03-14")
    assert evts.loc[evts["date_basis"] == "reported", "incident_id"].eq("").all()


def test_an_undated_original_gives_way_to_its_dated_copy(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(COPIES / "saraqib_copy.txt", corpus / "a_first.txt")  # undated, read first
    shutil.copy(CORPUS / "saraqib_wire.txt", corpus / "b_later.txt")
    (corpus / "metadata.csv").write_text("file,published\nb_later.txt,2021-03-14\n", encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(corpus), "--out", str(out), "--no-progress"]) == 0
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert docs.loc["b_later", "status"] == "ok"
    assert docs.loc["a_first", "status"] == "duplicate" and "b_later" in docs.loc["a_first", "reason"]
    assert docs.loc["a_first", "published_basis"] == "duplicate"
    assert set(pd.read_parquet(out / "events.parquet")["doc_id"]) == {"b_later"}


UNDATED = (
    "Rescuers in Idlib are still counting the cost of the bombing.\n\n"
    "On 14 March 2021, Russian warplanes struck the vegetable market in Saraqib, killing nine people, volunteers "
    "said. On Sunday the town buried its dead, and shops in the market stayed closed.\n"
)


def test_an_undated_report_of_a_dated_incident_is_bounded_not_dated(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "undated_review.txt").write_text(UNDATED, encoding="utf-8")
    other = ("Far from the front, on 5 June 2020, Turkish troops held talks with Russian officers in Idlib city "
             "about patrols on the highway, a Turkish official said.")
    (corpus / "undated_other.txt").write_text(other, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(corpus), "--out", str(out), "--no-progress"]) == 0
    docs = pd.read_csv(out / "documents.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    review = docs.loc["undated_review"]
    assert (review["published"], review["published_basis"]) == ("2021-03-14", "inferred")
    assert review["published_evidence"].startswith("not before 2021-03-14: reports incident inc-")
    assert "Wire One 2021-03-14" in review["published_evidence"]
    assert (docs.loc["undated_other", "published"], docs.loc["undated_other", "published_basis"]) == ("", "unknown")
    evts = pd.read_parquet(out / "events.parquet")
    rows = evts[evts["doc_id"] == "undated_review"]
    assert set(rows["published_basis"]) == {"inferred"}
    sunday = rows[rows["time_text"] == "On Sunday"]
    assert sunday["date_basis"].tolist() == ["unresolved"] and sunday["date_start"].tolist() == [""]


def test_an_undated_pages_weekday_joins_the_one_incident_of_its_town_on_that_weekday(tmp_path):
    """A page without a date: its "on Tuesday" in Jisr al-Shughur is the corpus's one Tuesday of news of Jisr
    al-Shughur (6 April 2021) and joins that strike; its "on Sunday" in Saraqib fits two Sundays and joins none."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    text = ("Russian jets bombed Jisr al-Shughur on Tuesday, killing three fighters, a monitor said.\n\n"
            "Jets also struck Saraqib on Sunday, killing two farmers, residents said.\n")
    (corpus / "undated_weekday.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["build", str(corpus), "--out", str(out), "--no-progress"]) == 0
    evts = pd.read_parquet(out / "events.parquet").set_index("doc_id")
    jisr = evts.loc["strike_jisr"]
    jisr = jisr[jisr["time_text"] == "on Tuesday"]["incident_id"].tolist()
    page = evts.loc["undated_weekday"]
    assert page[page["time_text"] == "on Tuesday"]["incident_id"].tolist() == jisr != [""]
    assert page[page["time_text"] == "on Sunday"]["incident_id"].tolist() == [""]


def test_a_night_told_as_two_days_is_one_incident_whose_dates_disagree():
    late = {**row("a", "2019-10-26"), "time_text": "late Saturday night"}
    early = {**row("b", "2019-10-27"), "time_text": "early Sunday"}
    ids, table = grouped(late, early)
    assert ids[0] == ids[1]
    incident = table[ids[0]]
    assert (incident["date_start"], incident["date_end"], incident["date_agreement"]) == (
        "2019-10-26", "2019-10-27", "disagree"
    )
    assert incident["explanation"].startswith("dates disagree 2019-10-26..2019-10-27")
    ids, _ = grouped(row("a", "2019-10-26"), row("b", "2019-10-27"))  # two days, neither a night
    assert ids[0] != ids[1]


def test_a_page_that_tells_an_evenings_night_apart_from_the_next_day_tells_two_happenings():
    """A page that tells "late Friday evening" (rockets downed over the town) and, in another sentence, "on
    Saturday" (the town shelled): its Friday evening does not join Saturday's incident as one night, since no
    report of it tells Saturday as a night. A page's "last night" and "on Sunday" do, when another report tells the
    massacre "early Sunday"; so does a Friday evening told by a page that tells no Saturday."""
    assert rules.evening_night("late Friday evening") and rules.evening_night("on Friday night")
    assert not rules.evening_night("early Saturday") and not rules.evening_night("overnight on Friday")
    assert not rules.evening_night("last night") and not rules.evening_night("Friday evening")  # (no night)
    evening = {**row("p", "2023-12-29"), "time_text": "late Friday evening", "sentence": "Rockets were downed."}
    saturday = {**row("p", "2023-12-30"), "sentence": "The town was shelled on Saturday."}
    other = row("q", "2023-12-30", publisher="Other")
    for order in ((saturday, other, evening), (evening, saturday, other)):
        ids, _ = grouped(*order)
        assert ids[order.index(saturday)] == ids[order.index(other)] != ids[order.index(evening)]
    alone = {**evening, "doc_id": "r", "publisher": "r", "event_id": "r-evening"}
    ids, _ = grouped(other, alone)
    assert ids[0] == ids[1]
    last_night = {**row("d", "2025-07-26"), "time_text": "Last night", "sentence": "We heard gunfire."}
    sunday = {**row("d", "2025-07-27"), "sentence": "Gunmen attacked the church on Sunday."}
    early = {**row("e", "2025-07-27"), "time_text": "early Sunday"}
    ids, _ = grouped(early, sunday, last_night)
    assert ids[0] == ids[1] == ids[2]


def test_late_or_early_in_the_daytime_is_no_night():
    """"late" and "early" make a night only without a word of the day (``weak_night_words``): "late Tuesday",
    "early Thursday" may be told as either of their days; "late Wednesday afternoon" is Wednesday's, and does not join
    Tuesday's incident."""
    assert rules.is_night("late Tuesday") and rules.is_night("early Sunday") and rules.is_night("early Sunday morning")
    assert rules.is_night("late Tuesday night") and rules.is_night("late Tuesday evening")
    assert not rules.is_night("late Wednesday afternoon") and not rules.is_night("early Monday afternoon")
    assert not rules.is_night("late Thursday morning") and not rules.is_night("on Sunday")
    tuesday = row("a", "2024-09-17")
    afternoon = {**row("b", "2024-09-18"), "time_text": "late Wednesday afternoon"}
    ids, _ = grouped(tuesday, afternoon)
    assert ids[0] != ids[1]
    thursday = {**row("c", "2024-09-19"), "time_text": "early Thursday"}
    ids, _ = grouped({**afternoon, "time_text": "late Wednesday"}, thursday)  # one night, told as either day
    assert ids[0] == ids[1]


def test_a_coarse_row_among_more_incidents_than_it_can_tell_apart_joins_none():
    """A report with no town on a day of more than SCAN_LIMIT incidents joins none of them, even the one it fits."""
    many = [row(f"d{k}", "2021-03-14", place=f"Town {k}", where=(30 + k * 0.6, 40.0), actors=f"Side {k}")
            for k in range(rules.SCAN_LIMIT + 5)]  # fmt: skip
    coarse = row("x", "2021-03-14", place="", where=None, actors="Side 3")
    sides = PARTIES | {f"Side {k}": f"Side {k}" for k in range(len(many))}
    ids, _ = grouped(*many, coarse, parties=sides)
    assert len(set(ids[:-1])) == len(many) and ids[-1] not in ids[:-1]
    ids, _ = grouped(*many[:5], coarse, parties=sides)  # among a few, it joins the one that shares its side
    assert ids[-1] == ids[3]



def test_a_crowded_pool_is_counted_only_as_far_as_the_scan_limit():
    """``_beyond`` tells whether a pool adds more than ``room`` incidents to those seen, as the union would, for
    pools and seen sets that overlap in every way (so a crowded day costs a coarse row at most SCAN_LIMIT looks)."""
    import random

    rnd = random.Random(5)
    rows = [row(f"d{k}", f"2021-03-{1 + k % 28:02d}", place=f"Town {k}", where=(30 + k * 0.6, 40.0)) for k in range(60)]
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    items = incidents.group(incidents.rows_from(columns, PARTIES))
    assert len(items) == 60
    for _ in range(500):
        pool = rnd.sample(items, rnd.randint(0, 40))
        seen = {id(x) for x in rnd.sample(items, rnd.randint(0, 40))}
        room = rnd.randint(0, 45)
        assert grouping._beyond(seen, pool, room) == (len(seen.union(map(id, pool))) - len(seen) > room)

MAARAT, JISR, SYRIA, QUNEITRA = (35.65, 36.68), (35.81, 36.32), (34.8, 39.0), (33.13, 35.82)
PLACES = {"Saraqib": (*SARAQIB, "city", "SY", 1, ""), "Al-Nayrab": (*NAYRAB, "village", "SY", 1, ""),
          "Maarat al-Numan": (*MAARAT, "city", "SY", 1, ""), "Jisr al-Shughur": (*JISR, "city", "SY", 1, ""),
          "Idlib": (*IDLIB, "admin", "SY", 3, ""), "Quneitra": (*QUNEITRA, "admin", "SY", 3, ""),
          "Syria": (*SYRIA, "country", "SY", 3, "")}  # fmt: skip
COUNTRY = {"place": "Syria", "where": SYRIA, "precision": 3}
PROVINCE = {"place": "Idlib", "where": IDLIB, "precision": 3}
MOVED = "deployment / troop movement"


def placed(*rows):
    """Grouped with a places table (countries and provinces are known as such)."""
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    ids, _ = incidents.incidents_of(columns, PARTIES | {"Turkey": "Turkey"}, PLACES, frozenset({"Idlib"}))
    return ids


STRUCK = "An airstrike hit a Turkish convoy on Tuesday."  # a strike (its type) that also tells a movement
ATTACKED = "A Turkish convoy was attacked on its way to an observation post on Tuesday."  # typed as a movement


def test_a_convoy_that_moved_and_was_struck_is_one_incident():
    """One outlet tells the convoy's movement through a town, others the strike on it, placed in the province or
    only in the country: related types (``related_types``) whose sentences tell both ("an airstrike hit a
    convoy"), that share a side, the same day, nothing contradicting."""
    convoy = row("a", "2021-04-06", actors="Turkey", kind=MOVED)
    ids = placed(convoy, row("b", "2021-04-06", actors="Turkey", sentence=STRUCK, **PROVINCE),
                 row("c", "2021-04-06", actors="Turkey; Syrian government", sentence=STRUCK, **COUNTRY),
                 row("d", "2021-04-06", place="Syria; Idlib", where=SYRIA, precision=3, actors="Turkey", kind=MOVED,
                     sentence=ATTACKED),
                 row("e", "2021-04-06", actors="Turkey", **PROVINCE))  # fmt: skip
    assert len(set(ids)) == 1 and all(ids)  # (e: a strike told bare, once the incident's reports tell a strike)


@pytest.mark.parametrize(
    "other",
    [
        row("b", "2021-04-06", actors="Syrian government", sentence=STRUCK, **PROVINCE),  # no side shared
        row("b", "2021-04-06", actors="", sentence=STRUCK, **PROVINCE),  # a strike that names no side
        row("b", "2021-04-06", actors="Turkey", kind="protest", **PROVINCE),  # not a kind a convoy's story takes
        row("b", "2021-04-06", place="Jisr al-Shughur", where=JISR, actors="Turkey", sentence=STRUCK),  # off route
        row("b", "2021-04-07", actors="Turkey", sentence=STRUCK, **PROVINCE),  # the next day
        # the same sides the same day in the province, but nothing tells a convoy: "an airstrike killed Turkish
        # soldiers in Idlib" is not the rebels' advance with Turkish support that day
        row("b", "2021-04-06", actors="Turkey; Syrian government", sentence="An airstrike killed Turkish troops.",
            **PROVINCE),
    ],
    ids=["other-side", "no-side", "unrelated-type", "another-town", "next-day", "not-told"],
)
def test_a_convoys_movement_and_a_strike_that_merely_share_a_day_a_side_or_a_province_stay_apart(other):
    ids = placed(row("a", "2021-04-06", actors="Turkey", kind=MOVED), other)
    assert ids[0] != ids[1] and all(ids)


def test_another_sides_advance_that_day_is_not_the_convoy_whose_strike_named_that_side():
    """The strike's reports name the side that struck; the convoy's movement is Turkey's: a movement the same day
    by the other side, placed nowhere, is compared with the incident's movements, not with its strike."""
    ids = placed(row("a", "2021-04-06", actors="Turkey", kind=MOVED),
                 row("b", "2021-04-06", actors="Turkey; Syrian government", sentence=STRUCK, **COUNTRY),
                 row("c", "2021-04-06", place="", where=None, actors="Syrian government", kind=MOVED))  # fmt: skip
    assert ids[0] == ids[1] != ids[2]


def test_a_movement_names_a_route_a_strike_one_place():
    """Where a convoy passed and where it was going (25 km apart) are one movement; two strikes that far apart
    the same day by the same side are two."""
    ids = placed(row("a", "2021-04-06", actors="Turkey", kind=MOVED),
                 row("b", "2021-04-06", place="Maarat al-Numan", where=MAARAT, actors="", kind=MOVED))  # fmt: skip
    assert ids[0] == ids[1]
    ids = placed(row("a", "2021-04-06"), row("b", "2021-04-06", place="Maarat al-Numan", where=MAARAT))
    assert ids[0] != ids[1]


def test_a_country_named_beside_a_town_does_not_let_the_whole_country_match():
    """"Saraqib in Syria's Idlib province": a report placed in another province the same day is elsewhere, while a
    report placed only in Syria may be the same strike."""
    town = row("a", "2021-04-06", place="Saraqib; Syria; Idlib")
    ids = placed(town, row("b", "2021-04-06", place="Quneitra", where=QUNEITRA, precision=3))
    assert ids[0] != ids[1]
    ids = placed(town, row("b", "2021-04-06", **COUNTRY))
    assert ids[0] == ids[1]


def test_nothing_contradicting_is_not_enough_something_must_agree():
    """A row placed nowhere with a side and a type, and an incident only placed (no type, no side): nothing
    agrees, so they stay apart; the same row joins an incident of its type."""
    ids = placed(row("a", "2021-04-06", actors="", kind=""), row("b", "2021-04-06", place="", where=None))
    assert ids[0] != ids[1] and all(ids)
    ids = placed(row("a", "2021-04-06", actors=""), row("b", "2021-04-06", place="", where=None))
    assert ids[0] == ids[1]


def test_a_report_that_fits_two_incidents_joins_the_one_whose_reports_share_its_rare_words():
    """"Syrian jets struck near the Turkish convoy" in Idlib province fits the convoy (Turkey) and another side's
    advance that day (the Syrian government): the convoy's reports share its rare words, so it joins the convoy;
    told without them, it could be either and joins neither. Other documents of the month make the words rare (a
    word's rarity is counted among the month's reports)."""
    others = [row(f"x{k}", "2021-04-01", place="Al-Nayrab", where=NAYRAB, sentence=f"Shelling hit the town {k}.")
              for k in range(6)]  # fmt: skip
    convoy = row("a", "2021-04-06", actors="Turkey", kind=MOVED,
                 sentence="A Turkish convoy of armoured vehicles drove through Saraqib on Tuesday.")  # fmt: skip
    advance = row("b", "2021-04-06", place="Maarat al-Numan", where=MAARAT, actors="Syrian government", kind=MOVED,
                  sentence="Syrian government forces advanced on Maarat al-Numan on Tuesday.")  # fmt: skip
    strike = {"actors": "Syrian government; Turkey", **PROVINCE}
    told = row("c", "2021-04-06", sentence="Syrian jets struck near the Turkish convoy of armoured vehicles.", **strike)
    ids = placed(*others, convoy, advance, told)
    assert ids[-3] == ids[-1] != ids[-2]
    bare = row("c", "2021-04-06", sentence="Syrian jets struck in Idlib province on Tuesday.", **strike)
    ids = placed(*others, convoy, advance, bare)
    assert len(set(ids[-3:])) == 3


def test_in_a_month_of_two_documents_the_words_they_share_still_tell_which_incident():
    """A month whose only documents are one page telling two strikes that Monday (a market in Maarat al-Numan, a
    shelling in Quneitra) and another placing "an airstrike on a crowded vegetable market" only in Syria: counted
    among two documents every shared word is used by both and would weigh nothing; counted as a sample of the
    news (``unseen_documents``), the market's words still tell the market from the shelling."""
    market = row("a", "2021-04-05", place="Maarat al-Numan", where=MAARAT, actors="",
                 sentence="Airstrikes hit a crowded vegetable market in Maarat al-Numan in the northwest on Monday.")
    shelling = row("a", "2021-04-05", actors="", place="Quneitra", where=QUNEITRA, precision=3,
                   sentence="Shelling killed two people in Quneitra province on Monday.")
    told = row("b", "2021-04-05", actors="", **COUNTRY,
               sentence="An airstrike on a crowded vegetable market in northwest Syria killed dozens on Monday.")
    ids = placed(market, shelling, told)
    assert ids[0] == ids[2] != ids[1]
    bare = told | {"sentence": "An attack in Syria killed dozens on Monday."}
    ids = placed(market, shelling, bare)
    assert len(set(ids)) == 3


def test_a_page_that_names_the_victims_in_one_sentence_and_the_accused_in_another_tells_one_happening():
    """A drone strike in "Idlib" (a town named like its province, read as the province): one outlet names the
    victims' side; a page tells it without a side, then names the side it accuses ("Russian-backed fighters are
    behind the drone strike in Idlib today"). Its two sentences tell one happening of that day in that town, so the
    accusation joins the strike. The same accusation from a page that told nothing else of it stays apart (another
    side, in a province); so does one of a page that names only the province (two sides' strikes in a province, or
    in a country, the same day are often two)."""
    town = {"place": "Idlib", "where": IDLIB, "precision": 1}
    victims = row("b", "2021-04-05", actors="Syrian government", **town,
                  sentence="Syrian army cadets were killed in a drone strike in Idlib on Monday.")
    told = row("a", "2021-04-05", actors="", **town, sentence="A drone struck a ceremony in Idlib on Monday.")
    accused = row("a", "2021-04-05", actors="Russia", **town,
                  sentence="Russian-backed fighters are behind the drone strike in Idlib today.")
    accused["event_id"] += "-2"
    ids = placed(victims, told, accused)
    assert ids[0] == ids[1] == ids[2]
    ids = placed(victims, accused | {"doc_id": "c", "publisher": "c"})
    assert ids[0] != ids[1] and all(ids)
    told, accused = (row("a", "2021-04-05", actors=r["actors"], sentence=r["sentence"], **PROVINCE) | {
        "event_id": r["event_id"]} for r in (told, accused))
    ids = placed(victims, told, accused)
    assert ids[0] == ids[1] != ids[2]


def test_a_report_that_fits_a_happening_and_one_told_only_as_its_aside_joins_the_happening():
    """A page tells a truck bomb in Saraqib on Saturday, then "Later in the day, a second explosion was reported"
    in a nearby village: the second is told only as an aside of the first. Another page's "No group has claimed
    Saturday's attack", placed nowhere, fits both; it joins the happening the news is about, not the aside. Were
    the second told as a happening of its own (by another page), it could be either and joins neither."""
    truck = row("a", "2021-04-03", actors="", sentence="A truck bomb went off in Saraqib on Saturday afternoon.")
    aside = row("a", "2021-04-03", actors="", place="Al-Nayrab", where=NAYRAB,
                sentence="Later in the day, a second explosion was reported in Al-Nayrab.")
    aside["time_text"] = "Later in the day"
    claim = row("b", "2021-04-03", actors="", place="", where=None, sentence="No group has claimed Saturday's attack.")
    ids = placed(truck, aside, claim)
    assert ids[0] == ids[2] != ids[1]
    # another outlet's report of the second explosion does not make it the day's main news
    second = row("d", "2021-04-03", actors="", place="Al-Nayrab", where=NAYRAB, sentence="A blast hit Al-Nayrab.")
    ids = placed(truck, aside, second, claim)
    assert ids[0] == ids[3] != ids[1] == ids[2]
    own = aside | {"doc_id": "c", "publisher": "c", "time_text": "on Saturday"}
    ids = placed(truck, own, claim)
    assert len(set(ids)) == 3


def test_a_night_that_names_nothing_joins_the_story_of_its_page_that_shares_its_words():
    """A page of Sunday embeds tweets: one tells the strike on Sarmin (which another outlet dates "early Sunday"),
    one a remark of a side dated that day (what a side says joins only in the same town); a third line, "Eyewitness
    filmed last night in #Sarmin confirms children were on scene", names no place, side or type the stages read, and
    its night is Saturday's. A night is told as either of its days, and of its page's two stories that day it shares
    its words with the strike: it joins the strike. A line that shares no word with either joins neither."""
    strike = row("a", "2021-03-14", sentence="Jets struck the village of Sarmin near Saraqib early Sunday.")
    strike["time_text"] = "early Sunday"
    killed = row("b", "2021-03-14", actors="", place="", where=None,
                 sentence="Seven reportedly killed by locals in Sarmin — A. Witness (@witness) March 14, 2021")
    remark = row("b", "2021-03-14", actors="HTS", place="", where=None, kind="statement / accusation",
                 sentence="HTS vowed revenge — B. Reporter (@reporter) March 14, 2021")
    remark["event_id"] += "-2"
    filmed = row("b", "2021-03-13", actors="", place="", where=None, kind="",
                 sentence="Eyewitness filmed last night in #Sarmin confirms children were on scene.")
    filmed["time_text"] = "last night"
    ids = placed(strike, killed, remark, filmed)
    assert ids[0] == ids[1] == ids[3] != ids[2]
    ids = placed(strike, killed, remark, filmed | {"sentence": "Eyewitness footage filmed last night."})
    assert ids[3] == ""


def test_a_report_placed_nowhere_that_tells_the_attack_joins_its_pages_story_of_that_day():
    """A page tells "No group has claimed Saturday's blast, though HTS has stepped up attacks" (joining another
    outlet's truck bomb in Saraqib that day) and "A police captain says the blast occurred Saturday as forces trailed
    the truck", a statement placed nowhere, which as it stands joins nothing (what was said joins only in the same
    town). It tells its happening as one already known ("the blast"), so once every other row is placed it joins its
    page's story of that day. Without such words it stays apart; on a page that tells nothing else that day it is an
    incident of its own."""
    truck = row("a", "2021-04-03", actors="", sentence="A truck bomb went off in Saraqib on Saturday afternoon.")
    claim = row("b", "2021-04-03", actors="HTS", place="", where=None,
                sentence="No group has claimed Saturday's blast, though HTS has stepped up attacks.")
    said = row("b", "2021-04-03", actors="", place="", where=None, kind="statement / accusation",
               sentence="A police captain says the blast occurred Saturday as forces trailed the truck.")
    said["event_id"] += "-2"
    ids = placed(said, truck, claim)
    assert ids[0] == ids[1] == ids[2]
    ids = placed(said | {"sentence": "A police captain says talks were held Saturday."}, truck, claim)
    assert ids[1] == ids[2] != ids[0] and ids[0]
    ids = placed(said | {"doc_id": "c", "publisher": "c"}, truck, claim)
    assert ids[1] == ids[2] != ids[0] and ids[0]
    plural = "Asked about Saturday's truck explosions, a police captain called them a serious escalation."
    ids = placed(said | {"sentence": plural}, truck, claim)  # ("explosions", "bloodshed": the nouns' plurals too)
    assert ids[0] == ids[1] == ids[2]
    assert wording.anaphoric("Saturday's bloodshed marks a grim reminder of the threat.")


def test_what_a_page_says_placed_nowhere_of_its_own_incident_joins_it():
    """"“Last night we heard gunfire near the church,” an elder told AFP": what someone said, placed nowhere and
    naming no side, on a page whose strike that day is placed, is of its page's incident (as said in a place inside
    the incident's, ``own_saying``); another page's such words are not, nor does a page's violent row placed nowhere
    join its own page's statement this way."""
    strike = row("a", "2021-04-03", sentence="Jets struck Saraqib on Saturday.")
    said = row("a", "2021-04-03", actors="", place="", where=None, kind="statement / accusation",
               sentence="“We heard the jets at dawn,” a resident told the agency on Saturday.")
    said["event_id"] += "-said"
    ids = placed(strike, said)
    assert ids[0] == ids[1] != ""
    ids = placed(strike, said | {"doc_id": "b", "publisher": "b"})
    assert ids[0] != ids[1]
    killed = row("a", "2021-04-03", actors="", place="", where=None, sentence="Seven were killed on Saturday.")
    killed["event_id"] += "-killed"
    ids = placed(said, killed)
    assert ids[0] != ids[1]


def _apart_as_a_sequel(told, sequel, plain):
    """``sequel``, a row of ``told``'s page told as another happening, stays apart from it (both incidents); its
    sentence written ``plain`` instead, it joins it."""
    ids, _ = grouped(told, sequel)
    assert ids[0] != ids[1] and all(ids)
    ids, _ = grouped(told, sequel | {"sentence": plain})
    assert ids[0] == ids[1]


def test_a_sequel_word_right_before_the_time_expression_makes_a_sequel():
    """"Later that night, drones hit the town, killing one more person": the date stage reads "that night", leaving
    "Later" out; the word right before the time expression still tells another happening than the strike its page
    told that day, so the two stay apart. Without the word, the same row joins the strike."""
    strike = row("a", "2021-04-02", actors="", sentence="A missile struck Saraqib on Friday evening.")
    later = row("a", "2021-04-02", actors="", sentence="Later that night, drones hit Saraqib, killing one more person.")
    later.update(event_id="a-later", time_text="that night")
    _apart_as_a_sequel(strike, later, "That night, drones hit Saraqib, killing one more person.")
    assert wording.sequel("Earlier in July, the group killed dozens in the province.", "July")
    assert not wording.sequel("In July, the group killed dozens in the province.", "July")


def test_a_date_in_brackets_after_a_date_of_saying_is_one_too():
    """"The air force asserted on Friday (April 2) that it had shot down 25 drones", placed only in Syria, the day
    after a strike on Saraqib and the day of one on Maarat al-Numan: both its dates tell when it was said, so it may
    be of either day and joins neither strike (read as of Friday, the bracketed date would join Friday's)."""
    thursday = row("a", "2021-04-01")
    friday = row("b", "2021-04-02", place="Maarat al-Numan", where=MAARAT)
    said = "The air force asserted on Friday (April 2) that it had shot down 25 drones."
    weekday = row("c", "2021-04-02", sentence=said, **COUNTRY) | {"time_text": "on Friday"}
    bracketed = row("c", "2021-04-02", sentence=said, **COUNTRY) | {"event_id": "c-2", "time_text": "April 2"}
    ids = placed(thursday, friday, weekday, bracketed)
    assert ids[2] not in ids[:2] and ids[3] not in ids[:2]


def test_a_report_of_the_afternoon_is_not_of_a_night():
    """A strike on Saraqib on Thursday and drones "launched overnight" on Maarat al-Numan that night: "On Thursday
    afternoon, a missile tore through the cafe", placed nowhere, is not the night's, so it joins the strike; told
    without its hour, it could be either and joins neither."""
    strike = row("a", "2021-04-01")
    night = row("b", "2021-04-01", place="Maarat al-Numan", where=MAARAT,
                sentence="Drones launched overnight hit Maarat al-Numan.") | {"time_text": "overnight"}
    afternoon = row("c", "2021-04-01", place="", where=None, sentence="A missile tore through the cafe.")
    afternoon["time_text"] = "On Thursday afternoon"
    ids = placed(strike, night, afternoon)
    assert ids[0] == ids[2] != ids[1]
    ids = placed(strike, night, afternoon | {"time_text": "On Thursday"})
    assert len(set(ids)) == 3


def test_early_on_a_day_may_be_its_morning_and_joins_a_report_of_its_noon():
    """"A car bomb hit the hospital in Saraqib shortly after noon" (a daytime) and "jets struck the town early Sunday"
    (a night only by "early", which may be the morning of that Sunday): one incident, whichever comes first. "Drones
    launched overnight" (a word of the night) stay apart from the noon's."""
    noon = row("a", "2021-03-14", sentence="A car bomb hit the hospital shortly after noon.") | {
        "time_text": "shortly after noon"}
    early = row("b", "2021-03-14", sentence="Jets struck the town early Sunday.") | {"time_text": "early Sunday"}
    night = row("c", "2021-03-14", sentence="Drones launched overnight hit the town.") | {"time_text": "overnight"}
    assert rules.is_night("early Sunday") and not rules.firm_night("early Sunday") and rules.firm_night("overnight")
    for rows in ((noon, early), (early, noon)):
        ids, _ = grouped(*rows)
        assert ids[0] == ids[1] != ""
    ids, _ = grouped(noon, night)
    assert ids[0] != ids[1]


def test_a_date_right_after_a_trigger_is_the_date_of_that_type():
    """"Fighting goes on in Saraqib, where dozens have died since gunmen attacked on 14 March": the sentence opens
    with a clash, but its date is the attack's, so the row is an attack and joins the attack on Saraqib that day,
    though neither names a side (told as a clash, a related type, it would need a side in common)."""
    told = "Fighting goes on in Saraqib, where dozens have died since gunmen attacked on 14 March."
    assert wording.told_type(told, "on 14 March") == "attack / strike"
    assert wording.told_type("Fighting broke out in Saraqib on 14 March.", "on 14 March") == ""
    assert wording.told_type("Fighting raged after gunmen attacked on Sunday.", "Sunday") == "attack / strike"
    convoy = "Foreigners died in a convoy, trapped since gunmen attacked the town on Sunday afternoon."
    assert wording.told_type(convoy, "on Sunday afternoon") == "attack / strike"  # (an object between)
    assert wording.told_type("Gunmen attacked a school in Saraqib on Sunday.", "on Sunday") == ""
    attack = row("a", "2021-03-14", actors="")
    fighting = row("b", "2021-03-14", actors="", kind="armed clash", sentence=told) | {"time_text": "on 14 March"}
    ids, _ = grouped(attack, fighting)
    assert ids[0] == ids[1] != ""
    ids, _ = grouped(attack, fighting | {"sentence": "Fighting went on in Saraqib on 14 March, as gunmen attacked."})
    assert ids[0] != ids[1]


def test_a_saying_in_an_incident_does_not_make_it_a_saying_for_other_pages():
    """A page tells the shelling of Al-Nayrab and "The monitor said shells fell shortly after midday" (a saying
    placed nowhere, its own incident's); another page tells the Saraqib strike and "Traders said the market had been
    busy on Sunday". That saying is about its own page's strike: the Al-Nayrab incident, though it holds a saying
    too, is what was said about a happening, which another page's saying placed nowhere does not join."""
    quiet = {"place": "", "where": None, "actors": "", "kind": "statement / accusation"}
    nayrab = row("a", "2021-03-14", place="Al-Nayrab", where=NAYRAB, actors="Syrian government")
    monitor = row("a", "2021-03-14", sentence="The monitor said shells fell shortly after midday.", **quiet) | {
        "event_id": "a-monitor", "time_text": "shortly after midday"}
    traders = row("b", "2021-03-14", sentence="Traders said the market had been busy on Sunday.", **quiet) | {
        "event_id": "b-traders"}
    ids, _ = grouped(nayrab, monitor, row("b", "2021-03-14"), traders)
    assert ids[0] == ids[1] != ids[2] == ids[3]


def test_what_a_side_said_about_an_incident_joins_it_in_the_same_town():
    """"The army announced on Monday it had imposed full control over Saraqib" (a statement: nothing else fits)
    and "the army retook Saraqib on Monday" (a clash): one incident. What was said in the province, or by a side
    the incident does not name, stays apart."""
    said = {"kind": "statement / accusation", "actors": "Syrian government"}
    taken = row("a", "2021-04-06", actors="Syrian government", kind="armed clash")
    ids = placed(taken, row("b", "2021-04-06", **said))
    assert ids[0] == ids[1]
    ids = placed(taken, row("b", "2021-04-06", **(said | PROVINCE)))
    assert ids[0] != ids[1]
    ids = placed(taken, row("b", "2021-04-06", **(said | {"actors": "Russia"})))
    assert ids[0] != ids[1]


def test_a_name_the_dictionary_does_not_know_is_no_side():
    """"..., said Hassan Muwlef, director of the Red Crescent office": a person quoted by one outlet and named by no
    dictionary is no side of the fight, so it cannot tell two reports of a strike in the province apart."""
    quoted = row("b", "2021-03-14", actors="Hassan Muwlef", **PROVINCE)
    assert len(set(placed(row("a", "2021-03-14", **PROVINCE), quoted))) == 1
    assert len(set(placed(row("a", "2021-03-14", **PROVINCE), row("b", "2021-03-14", actors="Syrian government",
                                                                   **PROVINCE)))) == 2  # fmt: skip


def test_a_sea_places_no_report():
    """"Thursday's attack on the Red Sea port city": the sea's centre, hundreds of kilometres off, says nothing of
    where on it or its shores the attack was; the report is placed nowhere and joins the day's one strike."""
    columns = {name: [r[name] for r in [row("a", "2021-03-14"), row("b", "2021-03-14", place="Red Sea",
                                                                    where=(20.3, 38.7), precision=2)]]
               for name in incidents.COLUMNS_READ}  # fmt: skip
    ids, _ = incidents.incidents_of(columns, PARTIES, PLACES | {"Red Sea": (20.3, 38.7, "feature", "", 2, "")})
    assert ids[0] == ids[1]
    ids, _ = incidents.incidents_of(columns, PARTIES, PLACES)  # read as a place 30 km wide, it is elsewhere
    assert ids[0] != ids[1]


def test_a_weekday_on_an_undated_page_is_the_day_its_page_writes_in_full():
    """An undated page's "Sunday" is the one day it writes in full that is a Sunday (a caption's "March 14, 2021"):
    it joins that day's incident. A page that writes no Sunday in full: its Sunday is the one nearest the days it
    writes, when within three days of each ("Monday, March 15 ... on Sunday": the day before); otherwise (days
    written a week apart) it stays out of every incident."""
    sunday = row("v", "2021-03-14", basis="unresolved", end="")
    sunday.update(date_start="", time_value="", time_text="Sunday")
    caption = row("v", "2021-03-14", basis="explicit")
    ids, _ = grouped(row("a", "2021-03-14"), caption, sunday)
    assert ids[0] == ids[1] == ids[2]
    ids, _ = grouped(row("a", "2021-03-14"), row("v", "2021-03-15", basis="explicit"), sunday)
    assert ids[2] == ids[0] != ""
    ids, _ = grouped(row("a", "2021-03-14"), row("v", "2021-03-18", basis="explicit"), sunday)
    assert ids[2] == ""  # (Thursday 18 March: its nearest Sunday is the 21st, a day of no news)
    apart = (row("v", "2021-03-11", basis="explicit"), row("v", "2021-03-18", basis="explicit"))
    ids, _ = grouped(row("a", "2021-03-14"), *apart, sunday)
    assert ids[3] == ""  # (the 14th is near the 11th, not the 18th: no one Sunday near every day it writes)



def test_a_day_a_page_writes_only_as_the_start_of_a_past_it_recalls_is_not_its_weekdays_day():
    """An undated page's "residents said Sunday" is not the one Sunday it writes in full when that day is told as the
    start of a past the page recalls ("since the army seized power in a March 14, 2021, coup"); the same day written
    as news ("the strike of March 14, 2021") is."""
    sunday = row("v", "2021-03-14", basis="unresolved", end="", where=None, actors="",
                 sentence="Gunships fired on the school for an hour, residents said Sunday.")
    sunday.update(date_start="", time_value="", time_text="Sunday")
    coup = row("v", "2021-03-14", basis="explicit", actors="",
               sentence="It was the worst attack since the army seized power in a March 14, 2021, coup.")
    coup.update(time_text="March 14, 2021")
    ids, _ = grouped(row("a", "2021-03-14"), coup, sunday)
    assert ids[2] == ""
    news = dict(coup, sentence="The strike of March 14, 2021, killed seven.")
    ids, _ = grouped(row("a", "2021-03-14"), news, sunday)
    assert ids[0] == ids[2] != ""
    # and its day written without a year takes no year from that past: the corpus's year of its month's news
    day = row("v", "", basis="unresolved", sentence="Helicopters approached the town on the afternoon of March 14.")
    day.update(time_value="XXXX-03-14", time_text="March 14", event_id="v-day")
    recalled = dict(coup, date_start="2019-02-01", date_end="2019-02-01", time_text="Feb. 1, 2019", event_id="v-coup",
                    sentence="It was the worst attack since the army seized power in a Feb. 1, 2019, coup.")
    ids, _ = grouped(row("a", "2021-03-14"), recalled, day, sunday)
    assert ids[0] == ids[2] == ids[3] != "" and ids[1] != ids[0]
    ids, _ = grouped(row("a", "2021-03-14"), dict(recalled, sentence="The coup of Feb. 1, 2019, came first."), day)
    assert ids[2] == ""  # (a page of 2019: its March 14 is of 2019)
    assert wording.recalled_day("Ever since the coup of March 14, 2021, the town has been shelled.", "March 14, 2021")
    assert not wording.recalled_day("Shelled since May, the town was hit on March 14, 2021.", "March 14, 2021")

def test_an_undated_pages_weekday_told_later_or_earlier_is_still_that_weekday():
    """"Later on Thursday", "early last Thursday" on an undated page are its Thursday (``WEEKDAY``): placed by the
    day its page writes in full that is a Thursday, as "on Thursday" is."""
    days = (dt.date(2021, 3, 18),)
    for text in ("Later on Thursday", "earlier on Thursday", "early last Thursday", "late last Thursday night"):
        assert page_dates.page_weekday(text, days) == days[0], text
    assert page_dates.page_weekday("Thursday's attack", days) is None


def test_a_sayings_night_does_not_make_the_happening_it_tells_of_a_night():
    """A page's strike in Saraqib on Sunday and its source's word "given at about 10 p.m. last night" (a statement of
    the night before, which joins its page's incident): the strike is no night for that, so a Saturday's attack in
    Saraqib (an undated page's "March 13", which only joins) is not its night's other day."""
    strike = row("a", "2021-03-14", sentence="Gunmen attacked the farmers in Saraqib at about 4pm on Sunday.")
    said = row("a", "2021-03-13", place="", where=None, actors="", kind="statement / accusation",
               sentence="The source, who gave the news at about 10 p.m. last night, said the bodies lay in the field.")
    said.update(time_text="last night", event_id="a-said")
    other_day = row("w", "", basis="unresolved", sentence="Gunmen attacked Saraqib on March 13.")
    other_day.update(time_value="XXXX-03-13", time_text="March 13", event_id="w-day")
    own_year = row("w", "2021-03-20", basis="explicit", place="Idlib", where=IDLIB, precision=3)
    ids, _ = grouped(strike, said, other_day, own_year)
    assert ids[0] == ids[1] != "" and ids[2] != ids[0]
    ids, _ = grouped(strike, said | {"event_type": "attack / strike"}, other_day, own_year)
    assert ids[2] == ids[0]  # (the same night told as a happening: either of its days)


def test_a_reaction_told_of_its_own_date_is_a_statement_not_the_attack_it_names():
    """"In a statement on Sunday, the governor denounced Russia and called the air strike a crime": the date is the
    reaction's, so the row is a statement (which joins what happened only in the same town), not a report of the
    strike placed nowhere that joins it by its side. A date the attack's own ("condemned Sunday's strike", "jets
    struck the market on Sunday, and the governor condemned it") stays the attack's."""
    strike = row("a", "2021-03-14", sentence="Russian jets struck Saraqib on Sunday.")
    text = "In a statement on Sunday, the governor denounced Russia and called the air strike a crime."
    reaction = row("b", "2021-03-14", place="", where=None, sentence=text)
    ids, table = grouped(strike, reaction)
    assert ids[0] != ids[1] != "" and table[ids[1]]["event_type"] == "statement / accusation"
    ids, _ = grouped(strike, reaction | {"sentence": "The governor condemned Sunday's air strike on the town.",
                                         "time_text": "Sunday"})
    assert ids[0] == ids[1]
    assert wording.reaction_type("The UN chief on Wednesday strongly condemned the attack.", "on Wednesday")
    assert wording.reaction_type("The army on Thursday denied carrying out the air strike.", "on Thursday")
    assert not wording.reaction_type("Jets struck the market on Sunday, and the governor condemned it.", "on Sunday")


def test_a_sentence_that_recalls_an_earlier_happening_tells_another_one():
    """"Gunmen raided Saraqib early Sunday ... Recall that six people were killed in Saraqib last Saturday": the
    page tells the Saturday as an earlier happening, so it stays apart from the night's raid (which, a night told by
    its morning, may be told as the day before). Without the opening, the Saturday joins the night; a witness who
    "recalled that" the gunmen came on Saturday night, mid-sentence, tells the same night."""
    raid = row("a", "2021-03-14", actors="", sentence="Gunmen raided Saraqib early Sunday.")
    raid["time_text"] = "early Sunday"
    recalled = row("a", "2021-03-13", actors="", sentence="Recall that six were killed in Saraqib last Saturday.")
    recalled.update(event_id="a-recalled", time_text="last Saturday")
    _apart_as_a_sequel(raid, recalled, "Six were killed in Saraqib last Saturday.")
    assert wording.sequel("It would be recalled that gunmen killed 16 in the town last Saturday.", "last Saturday")
    assert not wording.sequel("A survivor recalled that the gunmen came on Saturday night.", "on Saturday night")


def test_a_happening_told_earlier_or_later_is_not_the_one_its_document_told_beside_it():
    """"A car bomb went off in Saraqib late Tuesday. ... Earlier in the evening, a fuel tanker blew up in Saraqib":
    two happenings of one town and one evening, told by one page, stay apart; another page's "earlier on Tuesday"
    may still tell the first."""
    late = row("a", "2021-04-06", actors="")
    earlier = row("a", "2021-04-06", actors="")
    earlier.update(event_id="a-earlier", time_text="Earlier in the evening")
    ids, _ = grouped(late, earlier)
    assert ids[0] != ids[1] and all(ids)
    other = row("b", "2021-04-06", actors="")
    other["time_text"] = "earlier on Tuesday"
    ids, _ = grouped(late, other)
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    ("sentence", "time_text", "reported"),
    [
        ("Jets struck the market, a monitor said on Wednesday.", "on Wednesday", True),
        ("Our correspondent reported on Thursday 21 November that missiles hit the camp.", "on Thursday 21 November",
         True),
        ("Aug. 3 (Wire) -- At least 55 civilians were killed in an airstrike on a market.", "Aug. 3", True),
        ("Fires in the camp after a missile strike - 21 November 2019 (Photo Agency)", "21 November 2019", True),
        ("Jets struck the market on Wednesday, a monitor said.", "on Wednesday", False),
        ("Jets struck the market at 10 pm on Wednesday (1900 GMT).", "on Wednesday", False),
        ("Jets struck the market, killing ten, according to officials on Friday (Oct 6).", "on Friday", False),
        ("The monitor said Monday's airstrike on the market killed 10.", "Monday", False),
        ("On Saturday, the town's council said the toll had risen to 12.", "On Saturday", True),
        ("On Saturday, the monitor said the toll had risen to 12.", "Saturday", True),
        ("On Saturday, jets struck the market, the monitor said.", "On Saturday", False),
        ("Later in the day, a second explosion was reported in the village.", "Later in the day", False),
    ],
)
def test_a_date_of_saying_a_dateline_or_a_caption_is_when_it_was_reported(sentence, time_text, reported):
    assert wording.report_dated(sentence, time_text) is reported


def test_a_happening_dated_by_its_report_may_be_the_day_before():
    """"Jets struck Saraqib, a monitor said on Monday": the strike was on Monday or the night before, so the report
    joins Sunday's strike on Saraqib; when both days had one, the day it names."""
    said = row("b", "2021-03-15", sentence="Jets struck Saraqib, a monitor said on Monday.")
    said["time_text"] = "on Monday"
    ids, _ = grouped(row("a", "2021-03-14"), said)
    assert ids[0] == ids[1]
    ids, _ = grouped(row("a", "2021-03-14"), row("c", "2021-03-15"), said)
    assert ids[0] != ids[1] == ids[2]
    bare = said | {"sentence": "Jets struck Saraqib on Monday, a monitor said."}
    ids, _ = grouped(row("a", "2021-03-14"), bare)
    assert ids[0] != ids[1]


def test_a_date_of_saying_beside_the_day_it_tells_is_one_happening():
    """"The toll of Sunday's strike on Saraqib rose to 12, a monitor said on Monday": one sentence, two dates, but
    the date of saying tells the day it may lag, so both rows are the strike; a sentence that tells a day two days
    before its date of saying ("Friday's strike ... said on Monday") still tells two happenings."""
    sentence = "The toll of Sunday's strike on Saraqib rose to 12, a monitor said on Monday."
    day = row("b", "2021-03-14", sentence=sentence) | {"time_text": "Sunday", "event_id": "b-sunday"}
    said = row("b", "2021-03-15", sentence=sentence) | {"time_text": "on Monday", "event_id": "b-monday"}
    ids, _ = grouped(row("a", "2021-03-14"), day, said)
    assert ids[0] == ids[1] == ids[2]
    friday = sentence.replace("Sunday", "Friday")
    day = row("b", "2021-03-12", sentence=friday) | {"time_text": "Friday", "event_id": "b-friday"}
    ids, _ = grouped(row("a", "2021-03-12"), day, said | {"sentence": friday})
    assert ids[0] == ids[1] != ids[2]


def test_a_day_finds_the_incident_a_date_of_saying_founded():
    """"Jets struck Saraqib, a monitor said on Monday ... After Monday's attack, the town mourned": the saying
    founds an incident of Sunday or Monday, and the page's unplaced "Monday's attack" joins it rather than making
    an incident of its own (a day's row finds the incidents of a date of saying's days)."""
    said = row("b", "2021-03-15", sentence="Jets struck Saraqib, a monitor said on Monday.")
    said["time_text"] = "on Monday"
    after = row("b", "2021-03-15", place="", where=None, actors="",
                sentence="After Monday's attack, the town mourned.") | {"time_text": "Monday's", "event_id": "b-after"}
    ids, table = grouped(said, after)
    assert ids[0] == ids[1] != ""


def test_a_quoted_today_is_the_day_it_was_said():
    """'"We condemn the airstrike today," the envoy said' in a story of the next morning: the speaker's today."""
    assert wording.report_dated('"We condemn the airstrike today in the market," the envoy said.', "today")
    assert wording.report_dated("“We condemn the airstrike today,” the envoy said.", "today")
    assert not wording.report_dated("The airstrike today killed ten, the envoy said.", "today")
    assert not wording.report_dated('"It was a massacre," the envoy said of the airstrike today.', "today")


def test_one_sentence_with_two_dates_tells_two_happenings():
    """"Sunday's strike on Saraqib came after last week's bombing of the town": the week fits Wednesday's bombing
    and Sunday's strike, but its own sentence tells Sunday's apart, so it is Wednesday's. A night told as two days
    in one sentence ("late Saturday ... early Sunday") is still one happening."""
    text = "Sunday's strike on Saraqib came after last week's bombing of the town."
    sunday = row("r", "2021-03-14", sentence=text) | {"time_text": "Sunday"}
    week = row("r", "2021-03-08", end="2021-03-14", granularity="week", sentence=text) | {"time_text": "last week"}
    ids, _ = grouped(row("a", "2021-03-10"), row("b", "2021-03-14"), sunday, week)
    assert ids[1] == ids[2] and ids[3] == ids[0] != ids[1]
    ids, _ = grouped(row("a", "2021-03-10"), row("b", "2021-03-14"), week)  # told alone it could be either
    assert ids[2] not in ids[:2]
    text = "Jets struck Saraqib late Saturday night and again early Sunday."
    night = row("r", "2021-03-13", sentence=text) | {"time_text": "late Saturday night"}
    early = row("r", "2021-03-14", sentence=text) | {"time_text": "early Sunday"}
    ids, _ = grouped(night, early)
    assert ids[0] == ids[1]


def test_a_date_that_names_nothing_joins_what_its_document_tells_of_that_day():
    """"— A. Witness (@witness) March 14, 2021", an embedded tweet's date line, names nothing: it is what its page
    tells of that day when the page tells one happening then; else (two that day, or none) it is no incident."""
    line = row("t", "2021-03-14", place="", where=None, actors="", kind="", basis="explicit")
    line.update(event_id="t-line", time_text="March 14, 2021")
    ids, _ = grouped(row("a", "2021-03-14"), row("t", "2021-03-14"), line)
    assert ids[0] == ids[1] == ids[2]
    ids, _ = grouped(row("a", "2021-03-14"), row("t", "2021-03-15"), line)  # its page tells nothing that day
    assert ids[2] == ""
    other = row("t", "2021-03-14", place="Al-Nayrab", where=NAYRAB, actors="Syrian government")
    ids, _ = grouped(row("a", "2021-03-14"), row("t", "2021-03-14"), other, line)  # two happenings that day
    assert ids[0] == ids[1] != ids[2] and ids[3] == ""


def test_a_date_line_joins_its_pages_statement_of_that_day_about_the_day_before():
    """"Saree announced on March 15 that the ship had sunk" (dated when it was said: the sinking was that day or the
    day before) joins the sinking of 14 March; the page's tweet "— A. Witness (@witness) March 15, 2021" names
    nothing and is what its page tells of that day: the same incident. A date line two days on stays out."""
    said = row("t", "2021-03-15", place="", where=None, actors="", sentence="Saree announced on March 15 that the "
               "ship had sunk after being struck.") | {"time_text": "on March 15"}  # fmt: skip
    line = row("t", "2021-03-15", place="", where=None, actors="", kind="", basis="explicit")
    line.update(event_id="t-line", time_text="March 15, 2021")
    ids, _ = grouped(row("a", "2021-03-14"), said, line)
    assert ids[0] == ids[1] == ids[2] != ""
    later = line | {"date_start": "2021-03-16", "date_end": "2021-03-16", "time_text": "March 16, 2021"}
    ids, _ = grouped(row("a", "2021-03-14"), said, later)
    assert ids[0] == ids[1] and ids[2] == ""


def test_a_day_whose_year_its_page_gives_joins_an_incident_founded_after_it():
    """An undated page's "On Sunday, March 14" (its year from the page's "March 15, 2021") placed in a town joins
    the strike another page tells that day placed nowhere, though it comes first in the order rows are taken (a
    town before no place): rows that only join are taken once every row that may found an incident is placed."""
    sunday = row("v", "", basis="unresolved") | {"time_value": "XXXX-03-14", "time_text": "On Sunday, March 14",
                                                  "event_id": "v-sunday", "published": ""}  # fmt: skip
    written = row("v", "2021-03-15", basis="explicit", place="", where=None, actors="", kind="")
    unplaced = row("a", "2021-03-14", place="", where=None)
    ids, _ = grouped(sunday, written, unplaced)
    assert ids[0] == ids[2] != ""


def test_words_are_compared_without_their_endings():
    """"Air strikes killed 43 people in northwest Syria" fits the strikes "on northwestern Idlib, killing people"
    and the shelling of a southern town where "people were killed" the same day: as written, each shares as many
    rare words with it; without their endings ("strikes", "strike"; "northwestern", "northwest"; "killing",
    "killed") the strikes share more by far. (Other documents of the month make the words rare.)"""
    daraa = (32.62, 36.10)
    others = [row(f"x{k}", "2021-04-01", place="Al-Nayrab", where=NAYRAB, sentence=f"Shelling hit the town {k}.")
              for k in range(6)]  # fmt: skip
    text = "Jets carried out strikes on northwestern Idlib, killing people."
    strikes = row("a", "2021-04-06", actors="", sentence=text, **PROVINCE)
    shelling = row("b", "2021-04-06", place="Daraa", where=daraa, actors="",
                   sentence="Rebels shelled the district, and people were killed.")  # fmt: skip
    lede = row("c", "2021-04-06", actors="", sentence="Air strikes killed 43 people in northwest Syria.", **COUNTRY)
    rows = [*others, strikes, shelling, lede]
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    places = PLACES | {"Daraa": (*daraa, "city", "SY", 1, "")}
    ids, _ = incidents.incidents_of(columns, PARTIES, places, frozenset({"Idlib"}))
    assert ids[-3] == ids[-1] != ids[-2]
    assert wording.words_of("Strikes killed people") == wording.words_of("a strike killing people")


@pytest.mark.parametrize(
    ("sentence", "time_text", "kind"),
    [
        ("The blast comes after the president on Wednesday threatened to launch an offensive.", "on Wednesday",
         "threat / warning"),
        ("Shelling resumed after the two sides on Monday agreed to a truce.", "on Monday", "agreement / ceasefire"),
        ("Clashes that erupted on Sunday killed ten fighters.", "on Sunday", ""),  # a violent verb: the sentence's
        ("The army shelled the town on Sunday, officials said.", "on Sunday", ""),
    ],
)
def test_a_political_act_dated_in_its_own_clause_is_read_as_that(sentence, time_text, kind):
    """"The explosion comes after the Turkish president on Wednesday threatened to launch a new offensive": the date
    is the threat's, though the sentence opens with the explosion (and is typed by it)."""
    assert wording.clause_type(sentence, time_text) == kind


def test_a_threat_typed_by_its_sentences_explosion_joins_the_threat():
    threat = row("a", "2021-03-10", actors="Russia", kind="threat / warning", **COUNTRY,
                 sentence="Russia on Wednesday threatened to launch an offensive.")  # fmt: skip
    told = row("b", "2021-03-10", actors="Russia", kind="attack / strike", **COUNTRY,
               sentence="The blast comes after Russia on Wednesday threatened to launch an offensive.")  # fmt: skip
    told["time_text"] = threat["time_text"] = "on Wednesday"
    ids = placed(threat, told)
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    ("sentence", "time_text", "days"),
    [
        ("On Sunday, a day after the devastating strike, a crater was visible in Saraqib.", "On Sunday", (1, True)),
        ("Relatives buried the dead on Wednesday, two days after one of the deadliest attacks.", "on Wednesday",
         (2, True)),
        ("Residents gather on the field on Sunday following the rocket attack.", "on Sunday", (1, False)),  # or Sunday
        ("On Sunday, a day after the talks, the army shelled Saraqib.", "On Sunday", None),  # not a happening's noun
        ("A day after the strike, on Sunday, rescuers searched the rubble.", "on Sunday", None),  # "after" before it
        # a caption's closing date, set off by a comma, of what it shows following the attack: that day or before
        ("A photo shows rescuers clearing rubble following an air strike in Saraqib, Syria, 14 March 2021.",
         "14 March 2021", (1, False)),
        ("The market burned after an air strike on 14 March 2021.", "on 14 March 2021", None),  # (the strike's date)
        ("Following the strike, rescuers on 14 March 2021 searched the rubble.", "on 14 March 2021", None),  # (inside)
    ],
)
def test_a_day_told_as_the_day_after_a_happening_tells_that_happening(sentence, time_text, days):
    found = wording.aftermath(sentence, time_text)
    assert found == (None if days is None else (rules.ONE_DAY * days[0], days[1]))


def test_a_day_after_the_strike_joins_the_strike_of_the_day_before():
    """"On Sunday, a day after the devastating strike, a crater was visible" (placed nowhere) tells the strike
    another outlet dates Saturday in Saraqib: it joins it. Without "a day after the strike" it stays apart."""
    strike = row("a", "2021-03-13", actors="", sentence="A rocket hit a football pitch in Saraqib on Saturday.")
    after = row("b", "2021-03-14", actors="", place="", where=None,
                sentence="On Sunday, a day after the devastating strike, a crater was visible.")
    after["time_text"] = "On Sunday"
    ids = placed(strike, after)
    assert ids[0] == ids[1]
    ids = placed(strike, after | {"sentence": "On Sunday, a crater was visible."})
    assert ids[0] != ids[1] and all(ids)


def joins_its_page_only(story: dict, row_: dict, other_side: dict) -> None:
    """``row_`` joins its page's ``story``; the same row on another page, or naming another side, does not."""
    ids = placed(story, row_)
    assert ids[0] == ids[1]
    ids = placed(story, row_ | {"doc_id": "b", "publisher": "b"})
    assert ids[0] != ids[1] and all(ids)
    ids = placed(story, row_ | other_side)
    assert ids[0] != ids[1] and all(ids)


def test_what_a_page_says_of_its_own_incident_that_day_joins_it_where_one_place_holds_the_other():
    """A page tells a strike on Saraqib on Tuesday, and "300 people had gathered early Tuesday morning, an eyewitness
    told CNN", typed by its verb of saying and placed only in the province, naming no side: what the page says of that
    day in the province that holds the town is its incident. Another page's saying stays apart (what was said joins
    only in the same town and when it shares a side), and so does a saying that names another side."""
    strike = row("a", "2021-03-09", actors="Russia", sentence="Jets struck Saraqib on Tuesday.")
    said = row("a", "2021-03-09", actors="", kind="statement / accusation", **PROVINCE,
               sentence="About 300 people had gathered early Tuesday morning, an eyewitness told CNN.")
    said["event_id"] += "-2"
    joins_its_page_only(strike, said, {"actors": "HTS"})


def test_a_day_after_a_strike_that_joins_no_strike_of_the_day_before_is_of_its_own_day():
    """"Jets struck Al-Nayrab on Sunday, a day after the rocket attack": when no incident of Saturday takes it (the
    attack was elsewhere, by another side), it is Sunday's strike on Al-Nayrab, not an incident made of Saturday."""
    attack = row("a", "2021-03-13", actors="HTS", sentence="A rocket hit Saraqib on Saturday.")
    struck = row("b", "2021-03-14", actors="Russia", place="Al-Nayrab", where=NAYRAB,
                 sentence="Jets struck Al-Nayrab on Sunday, a day after the rocket attack.")
    ids, table = grouped(attack, struck, parties=PARTIES | {"HTS": "HTS"})
    assert ids[0] != ids[1] and all(ids)
    assert table[ids[1]]["date_start"] == "2021-03-14"


def test_a_pages_row_typed_by_a_word_before_that_tells_its_incident_joins_it():
    """A page tells a rocket strike on Saraqib on Saturday, and "The warning siren for incoming rocket fire sounded at
    6:18 p.m. on Saturday", typed a warning by its first trigger, placed nowhere and naming no side: its sentence
    tells a strike, its page's incident that day, so it joins it. Another page's such row, or one naming a side
    ("Russia warned on Saturday of rocket fire"), stays apart."""
    strike = row("a", "2021-03-13", actors="", sentence="A rocket hit a football pitch in Saraqib on Saturday.")
    siren = row("a", "2021-03-13", actors="", place="", where=None, kind="threat / warning",
                sentence="The warning siren for incoming rocket fire sounded at 6:18 p.m. on Saturday.")
    siren["event_id"] += "-2"
    joins_its_page_only(strike, siren, {"actors": "Russia", "sentence": "Russia warned on Saturday of rocket fire."})


def test_a_day_told_only_as_following_a_strike_joins_the_one_strike_it_fits():
    """"Residents gather on the soccer field in Saraqib on Sunday following the rocket attack" (a photo caption of the
    next day) may tell Saturday's strike or one of Sunday: it joins the one strike on Saraqib of those days; when
    there are two it cannot tell which, and stays a row of its own Sunday (joining Sunday's)."""
    strike = row("a", "2021-03-13", actors="", sentence="A rocket hit a football pitch in Saraqib on Saturday.")
    caption = row("b", "2021-03-14", actors="",
                  sentence="Residents gather on the soccer field in Saraqib on Sunday following the rocket attack.")
    ids = placed(strike, caption)
    assert ids[0] == ids[1]
    sunday = row("c", "2021-03-14", actors="", sentence="Shells hit Saraqib on Sunday.")
    ids = placed(strike, sunday, caption)
    assert ids[0] != ids[1] == ids[2]


def test_a_day_after_the_strike_told_first_still_joins_the_strike():
    """"Rescuers searched the rubble in Saraqib on Sunday, a day after the strike", a precise row of an earlier
    document than the strike's, waits until the strike of Saturday is placed, then joins it."""
    after = row("a", "2021-03-14", actors="",
                sentence="Rescuers searched the rubble in Saraqib on Sunday, a day after the strike.")
    strike = row("b", "2021-03-13", actors="", sentence="A rocket hit a football pitch in Saraqib on Saturday.")
    ids = placed(after, strike)
    assert ids[0] == ids[1]


def test_last_week_on_a_page_is_not_the_day_before_it():
    """"The attack follows the group's hijacking of a train last week", placed nowhere, on a page of Monday 15 March
    2021: last week is 8 to 14 March, but a page names the day before it as "Sunday" or "yesterday", so the week
    does not join the strike of Sunday 14 March; a strike of Thursday 11 March it joins. "This week" is as read."""

    def week(text, published="2021-03-15"):
        told = row("w", "2021-03-08", end="2021-03-14", granularity="week", place="", where=None) | {
            "time_text": text, "published": published, "event_id": "w-week"}
        return told

    ids, _ = grouped(row("a", "2021-03-14"), week("last week"))
    assert ids[0] != ids[1]
    ids, _ = grouped(row("a", "2021-03-11"), week("last week"))
    assert ids[0] == ids[1] != ""
    ids, _ = grouped(row("a", "2021-03-14"), week("this week", "2021-03-14"))
    assert ids[0] == ids[1] != ""


def test_a_time_of_day_its_page_dates_only_by_publication_is_of_that_day_or_the_day_before():
    """"The attack on the market in Saraqib started around 10 PM", told before any day on a page of Monday 15 March
    2021: the date stage dates it only by the page's publication (``reported``); as a date of report it is that
    day or the day before, and joins the strike of Sunday 14 March. A row its publication dates without a time of
    day joins nothing, nor does a time of day three days after the strike."""

    def told(text, day="2021-03-15"):
        return row("w", day, basis="reported") | {"time_text": text, "event_id": "w-" + text, "published": day}

    ids, _ = grouped(row("a", "2021-03-14"), told("around 10 PM"))
    assert ids[0] == ids[1] != ""
    ids, _ = grouped(row("a", "2021-03-14"), told(""))
    assert ids[1] == ""
    ids, _ = grouped(row("a", "2021-03-14"), told("around 10 PM", "2021-03-17"))
    assert ids[0] != ids[1]
    evts = pa.table({"date_basis": ["reported", "reported", "relative", "unresolved"],
                     "time_text": ["around 10 PM", "", "on Sunday", "on Friday"]})  # fmt: skip
    assert incident_tables.dated_positions(evts) == [0, 2, 3]


def test_an_undated_pages_last_weekday_takes_the_towns_day_in_the_week_before_its_other_day():
    """"Jets struck Saraqib on Sunday ... Last Sunday, jets struck Khan Shaykhun", on a page without a date or a year:
    its "on Sunday" is the corpus's one Sunday of news of Saraqib (21 March 2021); the corpus has news of Khan
    Shaykhun on two Sundays, and "Last Sunday" is the one in the week before (14 March), not the one of 2020. A
    plain "on Sunday" in Khan Shaykhun stays unknown."""
    khan = {"place": "Khan Shaykhun", "where": (35.44, 36.65)}

    def page(text="Last Sunday"):
        sunday = row("w", "", basis="unresolved") | {"time_value": "", "event_id": "w-sunday", "published": ""}
        last = row("w", "", basis="unresolved", **khan) | {
            "time_value": "", "event_id": "w-last", "published": "", "time_text": text}
        return grouped(row("a", "2021-03-21"), row("b", "2021-03-14", **khan), row("c", "2020-05-03", **khan),
                       sunday, last)[0]  # fmt: skip

    ids = page()
    assert ids[0] == ids[3] != "" and ids[1] == ids[4] != "" and ids[2] != ids[4]
    ids = page("on Sunday")
    assert ids[0] == ids[3] != "" and ids[4] == ""


# A wide province whose point lies far from some of its towns, and a town of the next province near that point
# (invented coordinates and codes).
WIDE = {"Wide Province": (30.0, 70.0, "admin", "XX", 3, "XX.01"), "Far Town": (30.9, 70.1, "city", "XX", 1, "XX.01"),
        "Border Town": (30.3, 70.0, "city", "XX", 1, "XX.02"), "Uncoded Town": (30.3, 70.1, "city", "XX", 1, "")}


def in_wide(*rows):
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    ids, _ = incidents.incidents_of(columns, PARTIES, WIDE, frozenset({"Wide Province"}))
    return ids


def wide(doc, place, actors=""):
    return row(doc, "2023-07-30", place=place, where=WIDE[place][:2], precision=WIDE[place][4], actors=actors)


def test_a_province_holds_its_towns_by_their_region_however_far_from_its_point():
    """A report placed only in a province ("a blast in Khyber Pakhtunkhwa on Sunday") joins the day's incident in a
    town of that province 100 km from the province's point: the places table gives each its first-level region
    (``admin1``), and a province contains the towns of its region, not those within a fixed radius of its point."""
    ids = in_wide(wide("a", "Far Town"), wide("b", "Far Town"), wide("c", "Wide Province"))
    assert len(set(ids)) == 1 and all(ids)


def test_a_town_near_a_provinces_point_but_in_the_next_region_is_not_in_it():
    """A town 33 km from the province's point, across the border of its region, is no place of that province: a
    report placed in the province does not join that town's incident (it makes its own)."""
    ids = in_wide(wide("a", "Border Town"), wide("b", "Border Town"), wide("c", "Wide Province"))
    assert ids[0] == ids[1] and ids[2] != ids[0]


def test_without_a_known_region_a_province_holds_the_towns_near_its_point():
    """A place whose region is unknown (a curated place without a code) is in the province when within
    ``province_km`` of its point, as before regions were known."""
    ids = in_wide(wide("a", "Uncoded Town"), wide("b", "Uncoded Town"), wide("c", "Wide Province"))
    assert len(set(ids)) == 1 and all(ids)


def test_an_undated_pages_weekday_takes_no_day_from_its_own_dated_rows():
    """ "Helicopters fired on a village school, residents said Monday ... since the junta seized power in a Feb. 1,
    2021, coup": the page's own dated row (a Monday) shares every rare word of the page, but a page's own news is no
    news of its weekdays; another page's news of a Monday sharing them is."""
    from pipeline.incidents import corpus_words

    def rows(*found):
        return {k: [r[k] for r in found] for k in corpus_words.WORDS_COLUMNS}

    def one(doc, day, basis, sentence):
        return {"doc_id": doc, "date_basis": basis, "date_start": day, "date_end": day, "granularity": "day",
                "event_type": "attack / strike", "sentence": sentence, "countries": "Myanmar"}

    said = "Helicopters fired on the village school in Tabayin, residents said Monday."
    recalled = "The junta seized power in a Feb. 1, 2021, coup after helicopters fired on Tabayin villages."
    own = [one("p", "", "unresolved", said), one("p", "2021-02-01", "explicit", recalled)]
    others = [one(f"q{k}", f"2021-03-0{k + 1}", "explicit", f"Protesters marched in Yangon {k}.")
              for k in range(4)]
    news = corpus_words.corpus_words(rows(*own, *others), {"p": frozenset({0})})
    assert news.days() == {}
    told = one("r", "2022-09-19", "explicit", "Helicopters fired on the village school in Tabayin on Monday.")
    news = corpus_words.corpus_words(rows(*own, *others, told), {"p": frozenset({0})})
    assert news.days() == {"p": (dt.date(2022, 9, 19),)}


def test_a_night_told_by_its_morning_is_the_night_before_that_day():
    """Missiles that struck "early Sunday" struck in the night before Sunday: a report of Saturday night is of that
    night, a report of Monday in the same town ("inspected the missile attack site on Monday") is not; a night told
    by its evening ("Saturday night") is the night after that day: "early Sunday" joins it, a report of Friday does
    not (``dawn_night_words``, ``evening_night_words``)."""
    def told(doc, day, text):
        return row(doc, day) | {"time_text": text, "event_id": f"{doc}-{day}-{text}"}

    dawn = [told("a", "2021-03-14", "early Sunday"), told("b", "2021-03-14", "early on Sunday")]
    ids, _ = grouped(*dawn, told("c", "2021-03-13", "late Saturday night"), told("d", "2021-03-15", "on Monday"))
    assert ids[0] == ids[1] == ids[2] != ids[3]
    evening = [told("a", "2021-03-13", "on Saturday night"), told("b", "2021-03-13", "late Saturday night")]
    ids, _ = grouped(*evening, told("c", "2021-03-14", "early Sunday"), told("d", "2021-03-12", "on Friday"))
    assert ids[0] == ids[1] == ids[2] != ids[3]
    ids, _ = grouped(told("a", "2021-03-14", "on Sunday"), told("b", "2021-03-15", "on Monday night"),
                     told("c", "2021-03-13", "early Saturday"))  # fmt: skip
    assert len(set(ids)) == 3  # (the night after Monday, the night before Saturday: neither is Sunday's)


def test_a_sequel_placed_nowhere_joins_no_other_pages_incident_by_its_day_alone():
    """ "Later on Friday evening, a hospital spokesperson stated that at least 55 people had died": told apart from
    its page's bombing (``sequel_words``), placed nowhere and naming no side, it does not join another page's
    bombing of that day elsewhere (nothing but the day ties it there); naming that incident's side, it may."""
    here = row("a", "2023-09-29", actors="", place="Mastung", where=(29.8, 66.84))
    there = row("b", "2023-09-29", actors="HTS", place="Hangu", where=(33.53, 71.06))
    later = row("a", "2023-09-29", actors="", place="", where=None) | {
        "event_id": "a-later", "time_text": "Later on Friday evening"}
    ids, _ = grouped(here, there, later)
    assert len(set(ids)) == 3 and all(ids)
    ids, _ = grouped(here, there, later | {"actors": "HTS"})
    assert ids[2] == ids[1] != ids[0]


def test_a_year_a_page_writes_only_as_the_start_of_a_past_it_recalls_is_not_its_year():
    """An undated page: "At 5:30am on the morning of Sunday March 14 gunmen stormed the school in Saraqib" and "the
    deadliest attack since the 2010 bombing of the embassy". 14 March 2010 was a Sunday too, so the weekday does not
    refuse that year; but a year told as the start of a past the page recalls ("since the 2010 bombing":
    ``recalled_day_granularities``) is no year of its news: the page writes none, and takes the corpus's (2021)."""
    day = row("w", "", basis="unresolved", actors="HTS",
              sentence="At 5:30am on the morning of Sunday March 14 gunmen stormed the school in Saraqib.")
    day.update(time_value="XXXX-03-14", time_text="on the morning of Sunday March 14", event_id="w-day")
    past = row("w", "2010-01-01", end="2010-12-31", granularity="year", basis="explicit", place="", where=None,
               sentence="It was the deadliest attack since the 2010 bombing of the embassy.")
    past.update(time_value="2010", time_text="2010", event_id="w-2010")
    ids, _ = grouped(row("a", "2021-03-14", actors="HTS"), day, past, parties=PARTIES | {"HTS": "HTS"})
    assert ids[0] == ids[1] != ""
    assert wording.recalled_day("the worst attack since the 2010 bombing of the embassy", "2010")


def test_a_row_that_only_joins_does_not_narrow_its_incidents_place_and_town_rows_find_a_country_incident():
    """A strike told by a dated page only in Syria; two undated pages whose "March 14" only the corpus's year dates,
    one in Deir ez-Zor, one in Saraqib (no type: it joins only the one incident it may mean). Each joins the
    incident: a town's row finds the day's incidents placed only in a province or a country, filed under that
    place's own point (``_Index.by_coarse``), and a row that only joins leaves the incident's place as the pages
    that date it give it (the first undated town would shut out every other town of the country)."""
    places = {"Saraqib": (*SARAQIB, "city", "Syria", 1, ""), "Deir ez-Zor": (35.33, 40.14, "city", "Syria", 1, ""),
              "Syria": (34.8, 39.0, "country", "Syria", 3, "")}

    def undated(doc, place, where, kind):
        found = row(doc, "", place=place, where=where, actors="HTS", kind=kind, basis="unresolved")
        found.update(time_value="XXXX-03-14", time_text="March 14", event_id=f"{doc}-day")
        return found

    rows = [row("a", "2021-03-14", place="Syria", where=(34.8, 39.0), precision=3, actors="HTS"),
            undated("v", "Deir ez-Zor", (35.33, 40.14), "attack / strike"), undated("w", "Saraqib", SARAQIB, "")]
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    ids, table = incidents.incidents_of(columns, PARTIES | {"HTS": "HTS"}, places)
    assert ids[0] == ids[1] == ids[2] != ""
    assert {t["incident_id"]: t for t in table}[ids[0]]["place"] == "Syria"


def test_what_a_page_says_in_a_town_is_no_saying_of_its_incident_placed_only_in_the_country():
    """A dated page tells an attack placed only in Syria; an undated page, whose "March 14" only the corpus's year
    dates, tells it in Saraqib and joins it, then "the president told the nation in a televised address from
    Damascus on March 14", placed in Damascus and naming no side: a town of the country is no place that holds the
    attack, so the address is no saying of it (in a province that holds the town, a page's saying joins)."""
    places = {"Saraqib": (*SARAQIB, "city", "Syria", 1, ""), "Damascus": (33.51, 36.29, "city", "Syria", 1, ""),
              "Syria": (34.8, 39.0, "country", "Syria", 3, "")}

    def undated(place, where, kind, actors, sentence, n):
        found = row("w", "", place=place, where=where, actors=actors, kind=kind, basis="unresolved", sentence=sentence)
        found.update(time_value="XXXX-03-14", time_text="March 14", event_id=f"w-{n}")
        return found

    rows = [row("a", "2021-03-14", place="Syria", where=(34.8, 39.0), precision=3, actors="HTS"),
            undated("Saraqib", SARAQIB, "attack / strike", "HTS",
                    "Gunmen attacked a school in Saraqib on March 14.", 1),
            undated("Damascus", (33.51, 36.29), "statement / accusation", "",
                    "The president told the nation in a televised address from Damascus on March 14.", 2)]
    columns = {name: [r[name] for r in rows] for name in incidents.COLUMNS_READ}
    ids, _ = incidents.incidents_of(columns, PARTIES | {"HTS": "HTS"}, places)
    assert ids[0] == ids[1] != ids[2]


def test_a_side_named_only_as_who_told_it_contradicts_no_side():
    """"According to Russian officials, twelve people were killed in Idlib on Sunday", placed only in the province:
    Russia is named only as who told it (``attribution_words``), so it does not contradict HTS, the side of the
    attack in Saraqib that day, and the row joins it. "Russian jets killed twelve people in Idlib on Sunday,
    according to officials" names Russia as a side of its own: it stays apart."""
    attack = row("a", "2021-03-14", actors="HTS", sentence="HTS fighters attacked Saraqib on Sunday.")
    told = row("b", "2021-03-14", place="Idlib", where=IDLIB, precision=3, actors="Russia",
               sentence="According to Russian officials, twelve people were killed in Idlib on Sunday.")
    ids, _ = grouped(attack, told)
    assert ids[0] == ids[1] != ""
    ids, _ = grouped(attack, dict(told, sentence="Russian jets killed twelve people in Idlib on Sunday, according to "
                                                 "officials."))
    assert ids[0] != ids[1] and all(ids)
    assert wording.attributed_only(frozenset({"Russia", "HTS"}), told["sentence"]) == {"Russia"}


def test_an_undated_pages_yesterday_takes_the_day_of_the_corpus_news_sharing_its_rare_words():
    """"Gunmen stormed the Qalaat opera house yesterday, taking hostages", placed nowhere, on an undated page that
    writes no day and no weekday: its "yesterday" is the day of the corpus's violent news, of any weekday, whose
    sentences share the page's rare words by far the most (``counted_from_corpus_words``), the opera house attack,
    not the bakery strike a week later; the row joins it, never makes one. A page naming only a country the news
    of that day never names takes no day."""
    stormed = "Gunmen stormed the Qalaat opera house in Saraqib on Friday and took hostages."
    line = _undated_row("Gunmen stormed the Qalaat opera house yesterday, taking hostages.", "yesterday", "")

    def page_ids(countries):
        return _beside_two_fridays_of_news(stormed, line, countries)

    ids = page_ids({})
    assert ids[0] == ids[2] != "" and ids[1] != ids[0]
    assert page_ids({"w": frozenset({"Jordan"})})[2] == ""


def test_a_time_of_day_the_date_stage_gave_only_the_missing_publication_is_of_its_pages_day():
    """"Jets struck Saraqib on Sunday. The sirens sounded at 6:00am.", on an undated page: the date stage reads "at
    6:00am" as a time of the page's publication (``reported``), which the page does not have; it is the day the
    grouping gives the Sunday before it (``clock_undated``), and joins the strike. On a dated page, such a time stays
    a date of report."""
    sunday = row("w", "", basis="unresolved") | {"time_value": "", "event_id": "w-sunday", "published": "",
                                                   "time_text": "on Sunday"}
    clock = row("w", "", basis="reported", place="", where=None) | {
        "time_value": "", "event_id": "w-clock", "published": "", "time_text": "at 6:00am", "date_end": "",
        "granularity": "unknown", "sentence": "The sirens sounded at 6:00am."}
    ids, _ = grouped(row("a", "2021-03-14"), sunday, clock)
    assert ids[0] == ids[1] == ids[2] != ""
    assert rules.clock_undated("reported", "", "at 6:00am")
    assert not rules.clock_undated("reported", "2021-03-14", "at 6:00am")
