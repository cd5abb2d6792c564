"""Incident grouping and near-duplicate detection scored against gold sets (scripts/score_incidents.py).

The bundled gold is our own corpus (tests/data/incidents: fifteen articles, eight incidents, with a nearby village
shelled the same day, the same town struck two weeks later, a clash the same day with one of the same sides, and a
convoy told as a movement, a strike and a photo caption beside another side's advance and a strike elsewhere the
same day). Real articles, when present in the git-ignored folders (INCIDENTS_REAL names the development set), are
scored too.
"""

import functools
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import score_incidents  # noqa: E402

CORPUS = REPO / "tests" / "data" / "incidents"
REAL = Path(os.environ.get("INCIDENTS_REAL", REPO / "tests" / "data" / "incidents_real"))
HELDOUT = REPO / "tests" / "data" / "incidents_heldout"
BLIND_NAMES = ("blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10",
               "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18",
               "blind19")  # fmt: skip
FITTED = BLIND_NAMES[:10]  # the batches the rules were fitted to before batch 11 was written
BEFORE_12 = BLIND_NAMES[:11]  # those written before batch 12
BEFORE_13 = BLIND_NAMES[:12]  # those written before batch 13
BEFORE_14 = BLIND_NAMES[:13]  # those written before batch 14
BEFORE_15 = BLIND_NAMES[:14]  # those written before batch 15
BEFORE_16 = BLIND_NAMES[:15]  # those written before batch 16
BEFORE_17 = BLIND_NAMES[:16]  # those written before batch 17
BEFORE_18 = BLIND_NAMES[:17]  # those written before batch 18
BEFORE_19 = BLIND_NAMES[:18]  # those written before batch 19
BLIND = {name: REPO / "tests" / "data" / f"incidents_{name}" for name in BLIND_NAMES}


def test_grouping_on_our_corpus_meets_the_floors():
    score = score_incidents.score_grouping(CORPUS)
    assert score["precision"] >= 0.95 and score["recall"] >= 0.90, score


def test_near_duplicates_are_found_with_no_false_merge():
    score = score_incidents.score_near_duplicates([REPO / "data" / "sample", CORPUS])
    assert score["rate"] >= 0.95 and score["false_merges"] == 0, score


@pytest.mark.skipif(not REAL.exists(), reason="the real articles are not committed")
def test_grouping_on_real_articles_meets_the_floors():
    """33 reports of 14 incidents (tests/data/incidents_real_sources.csv); the texts are rebuilt from there (30
    could be found again: the gold of the other 3 is left out). Precision 1.00, recall 0.96 (0.76 before days
    without a year took their document's year, a coarse report the one incident that shares its side, and
    incidents were filed under every town they name; 0.92 when the grouping went a month at a time and a word's
    rarity was counted among the month's few documents, 0.93 once a month's documents stood for more news
    (``unseen_documents``), 0.96 once a night that names nothing, "filmed last night in #Barisha", joined its
    page's story that shares its words). The misses: a citation-only "It was perpetrated on 22 July 2019" on a
    page that dates nothing else that day, a day without a year on a page with no year at all."""
    score = score_incidents.score_grouping(REAL)
    assert score["precision"] >= 0.95 and score["recall"] >= 0.90, score


@pytest.mark.skipif(not HELDOUT.exists(), reason="the real articles are not committed")
def test_grouping_on_held_out_real_articles_meets_the_floors():
    """7 reports of 2 incidents and 2 distractors (tests/data/incidents_heldout_sources.csv), written and scored
    after the first tuning: precision 0.90, recall 0.38 at first, 1.00 and 0.42 after the second round of rules.
    The misses were one convoy's reports typed as an attack in some sentences and as a troop movement in others,
    and ledes placed only in "Syria"; with related types told in one sentence ("an airstrike hit a convoy"), each
    type's sides, a movement's route and a country named beside a town no longer widening it: 1.00 / 1.00."""
    score = score_incidents.score_grouping(HELDOUT)
    assert score["precision"] >= 0.95 and score["recall"] >= 0.90, score


@pytest.mark.parametrize(
    ("name", "precision", "recall"),
    [("blind", 0.70, 0.88), ("blind2", 0.95, 0.95), ("blind3", 0.95, 0.65), ("blind4", 0.95, 0.95),
     ("blind5", 0.95, 0.95), ("blind6", 0.95, 0.95), ("blind7", 0.95, 0.95), ("blind8", 0.95, 0.95),
     ("blind9", 0.95, 0.95), ("blind10", 0.95, 0.75), ("blind11", 0.95, 0.70), ("blind12", 0.95, 0.40),
     ("blind13", 0.90, 0.62), ("blind14", 0.95, 0.89), ("blind15", 0.95, 0.78),
     ("blind16", 0.95, 0.65), ("blind17", 0.95, 0.70), ("blind18", 0.94, 0.36),
     ("blind19", 0.95, 0.57)],
)
def test_grouping_on_blind_batches_of_real_articles_keeps_its_score(name, precision, recall):
    """Eighteen batches of real reports (tests/data/incidents_blind*_sources.csv), each scored before any rule was
    fitted to it, then kept as they stand.

    - blind: the Saraqib battles of February and March 2020, the Balyun strike, the Idlib market strike with a
      school strike the same day. Blind 0.50 / 0.78 with the first related types (0.70 / 0.78 before them: a
      Saraqib recapture had joined the same day's strike on Turkish troops); now 0.75 / 1.00. Left: "the attack
      was carried out yesterday by Syrian government forces" (the school strike, named in the sentence before)
      placed nowhere, joins the market strike, the only attack that day (its page tells the school strike in the
      sentence before, which has no date of its own, so grouping does not read it).
    - blind2: the Damascus army-bus bombing, the Ariha shelling an hour later and a depot blast in Hama, the same
      day. Blind 0.50 / 0.75: soldiers killed on a bus, placed nowhere (Damascus read as the government), joined
      the shelling by their own side; then 1.00 / 0.75 (it joined nothing); 1.00 / 1.00 once "in the center of
      Damascus" was read as a place (data/entity_rules.toml place_nouns), not the government acting.
    - blind3: the Qah camp missile strike told on the day, the next day and a year later. Blind 1.00 / 0.33
      with this round's rules (1.00 / 0.29 before). (Reading night words anywhere in a sentence was tried: it
      joined the wrong days, 0.50 / 0.14, and the development set fell to 0.91 precision.) Then 1.00 / 0.71 once a
      date of saying or a caption's date let the happening be the day before ("reported on Thursday 21 November
      that", "- 21 November 2019 (EMC)"). Left: a tweet's date line that names nothing.
    - blind4: the Afrin market car bomb of December 2018, the Dahyan school-bus strike and the Hodeidah market
      strike a week before it, the Azaz car bombs of June 2019 and January 2020, two Afrin blasts of one evening.
      Blind 0.96 / 0.43; 1.00 / 0.71 once a name no dictionary holds (a doctor quoted) was no side, a sea placed
      nothing, an undated page's "Sunday" was the Sunday it writes in full, a dateline ("Aug. 3 (UPI) --") dated
      when it was reported and "earlier in the evening" told another happening than its page's other; 0.76 with
      the coalition's other names, 0.83 with a quoted "today" as the day it was said, 0.91 once "by U.S. allies"
      was not the US acting, 0.98 once a threat dated in its own clause ("the president on Wednesday threatened")
      was read as one. Left: "one day after" another event.
    - blind5 (written after the first of those rules): the Kabul airport bombing and the drone strike three days
      later, the Baghdad Tayaran Square bombing with the same square's of 2018. 1.00 / 0.82 with the rules of
      the time and with those before the round; 1.00 / 1.00 once one sentence with two dates told two happenings
      ("Sunday's attack was the second since the Kabul airport bombings last week").
    - blind6 (written after all of them): the Kramatorsk station strike and restaurant strike, the Mogadishu
      truck bomb and a second blast "later in the day". 1.00 / 0.59 (0.75 / 0.71 with the code before the round,
      which joined the second blast to the first): told apart, an unplaced "Saturday's blast" can no longer tell
      which of the two it is; 0.76 once it joined the one not told only as an aside of the other ("Later in the
      day, a second explosion"); 1.00 once "Capt. Mohamed Hussein says the blast occurred Saturday", a statement
      placed nowhere that joined nothing, joined its page's story of that day as a row that tells "the blast"
      (``anaphora_nouns``).
    - blind7 (written after all of them): the Homs military academy drone strike, the Jisr al-Shughur market
      strike. 1.00 / 0.42, as before the round: two embedded tweets' date lines name nothing, and a tweet names
      the accused side where the others name the victims', in "Homs" read as the province. 0.58 once a day that
      names nothing joined what its page tells of that day (one of the two date lines: the other page tells two
      happenings that day); 1.00 once a page's row of the same type and place joined the incident its page told
      there whatever side it names (the victims in one sentence, the accused in another).
    - blind8 (written after every rule of the round): the Afrin hospital shelling of June 2021, the Mariupol
      theatre strike. 1.00 / 0.86, the same before the round: an undated page's "on Wednesday" that nothing on
      its page dates; 1.00 / 1.00 once an undated page's weekday in a town took the corpus's one day of news of
      that town on that weekday.
    - blind9 (written after the fifth round's rules for small months, a page's sides, asides and nights): the Hroza
      cafe strike of 5 October 2023 and the Kharkiv strike of the next day, with a night of drones shot down across
      the country. Blind 0.77 / 0.35 (the same with the code before the round): "officials on Friday (Oct 6)." read
      as a caption's credit, a country-wide "air force asserted on Friday (Oct 6) that it had shot down 25 drones
      launched overnight" joined the city's strike, and "On Thursday afternoon" could be the drones' night. 0.79 /
      0.45 once a bracketed date was no credit, 1.00 / 0.45 once a bracketed date after a date of saying was one
      too, 1.00 / 0.61 once an afternoon was not a night; 0.73 once a page that writes no day with a year took the
      year it writes alone ("in 2023 ... on Oct. 5"); 1.00 once a page that writes no year took the corpus's
      ("October 6 (ANI) ... on Friday": the corpus's October news is all of 2023).
    - blind10 (written after every rule of the fifth round): the Kryvyi Rih strike of 4 April 2025 and the drones
      "later that night", the Sumy strike of 13 April. Blind 0.78 / 0.94 (the same with the code before the round):
      "Later that night, the Russians also launched drones" joined the strike (the date stage reads "that night").
      0.86 / 0.39 once the word right before a time expression told a sequel: the drones stay apart, but a report
      its outlet dates Saturday joins the drones' night, and "Zelenskyy's hometown" names a side that splits the
      unplaced "Friday evening" and "Friday night" from the strike. 0.89 / 0.55 once an incident first told as an
      aside stayed one when another report joined it ("Friday night" joins the strike); 0.96 / 0.71 once a side
      named only through a person ("Zelenskyy's hometown", a president quoted) contradicted none (the unplaced
      "Friday evening missile strike" naming Russia joins the strike). Left: a report its outlet dates Saturday
      joins the drones' night (a wrong pair and seven missed), an undated page's "officials reported Sunday" (0.96
      / 0.77 with the ninth round: in Sumy, it joins the Sumy strike rather than stay between it and a strike of
      that day placed nowhere).
    - blind11 (written after the sixth round, from conflicts none of the others covers): the Quetta station bombing,
      the Peshawar Police Lines mosque bombing (a case filed and a death two days later, a Jamrud mosque blast in
      July), the Majdal Shams rocket strike and Israel's Beirut strike three days later, the Pazigyi air strike in
      Myanmar, the Barsalogho massacre in Burkina Faso. Blind 0.93 / 0.10 (13 of 124 gold pairs, one wrong: the case
      filed and the death of one Wednesday in Peshawar). 0.96 / 0.19 once "On Sunday, a day after the devastating
      strike" told the strike of the day before, what a page says of its own incident that day ("had gathered early
      Tuesday morning, an eyewitness told CNN") joined it where one place holds the other, and a page's row typed
      by a word before ("The warning siren for incoming rocket fire sounded ... on Saturday") joined its page's
      incident whose type its sentence tells; 0.96 / 0.21 once a photo of the next day "following the rocket attack"
      joined the one strike it fits of that day or the day before. The eighth round: 0.98 / 0.33 once an undated
      page's weekday in a town ("On Saturday" in Majdal Shams) took the corpus's one day of news of that town on
      that weekday, joining only; 0.975 / 0.315 once "machine-gunned" was an attack (the massacre was a threat
      by "threatened by jihadist groups"; its statement now stays apart); 0.98 / 0.34 once a branch (JNIM) shared
      its parent's side (al-Qaeda); 0.98 / 0.37 once "On that day" after a day without its year was that day;
      0.98 / 0.43 once "due to a rocket strike" was no forward cue; 0.98 / 0.49 once a time of day alone ("at
      around 1:40pm") was the narrative's day; 0.98 / 0.51 once "a train to Peshawar" was no place of the
      bombing. Left: Barsalogho is in no gazetteer and "Ouagadougou's ruling junta" places the massacre in the
      capital (Burkina Faso is no state of the actor dictionary), its video of the next day and the group's
      statement stay apart; the undated pages' Beirut strike "on Tuesday", which no dated report tells (joining
      only, it makes no incident), and their "over the weekend"; "According to New York Times on Monday, July
      29" two days after the strike (read as a date of saying, it founds the next day's incident). The ninth round
      (below, written for batch 12): 0.986 / 0.56 once two undated pages whose Tuesday in Beirut is the Tuesday after
      their Saturday of the rocket strike made the Beirut strike together, 0.986 / 0.565 once "an August attack" took
      its page's year.
    - blind12 (written after the eighth round, from conflicts and kinds of event none of the others covers): the
      Cali truck bomb and the Amalfi police helicopter downed by a drone the same day by the same side, the
      Pont-Sondé massacre in Haiti with the government's condemnation and the prime minister's visit, the Saudi
      hospital drone strike in El Fasher with the Abu Shouk shelling the same morning and the same hospital's strike
      of December, the Magic Seas and Eternity C sunk by the Houthis a day apart with Israel's strikes on Hodeidah.
      Twelve of its eighteen pages are undated. Blind 1.00 / 0.10 (9 of 87 gold pairs, none wrong). The ninth round,
      fitted to its general causes: 1.00 / 0.17 once an undated page's weekday that none of its written days falls
      on was the one nearest them (within three days) and "Later on Thursday" a weekday; 1.00 / 0.18 once a name
      someone goes by ("known as “Calarcá”") was no place; 1.00 / 0.21 once rows that only join were taken
      after every row that may found an incident; 1.00 / 0.24 once a tweet's date line joined its page's
      statement about the day before; 1.00 / 0.345 once an undated page's weekday placed nowhere took the corpus's
      one day of its side's news on that weekday ("On Sunday, the Houthis attacked the bulker"); 1.00 / 0.38 once
      two undated pages agreeing on a day they infer made an incident together (and the same after the round's
      corrections of places, sides and continued dates, which changed no score). Left: pages that date nothing and
      name no town or side on their weekday ("The attack, which took place on Friday"), a report dated the day
      after ("killed today" on a page of the next day), "Hours earlier" after an undated sentence, a weekday
      written with its day but no year on a page that writes other years ("on Monday, July 7": taking the year the
      weekday fits joined a Houthi claim to the EU's statement of that Wednesday, two wrong pairs for one). The tenth
      round changed none of it. The eleventh: 1.00 / 0.40 once an undated page's weekday in no town took the
      corpus's one day of violent news on that weekday that shares its rare words ("Thursday's attack" of the gang
      that left the town strewn with bodies: the Pont-Sondé massacre's Thursday).
    - blind13 (written after the ninth round, from conflicts and kinds of event none of the others covers): the
      Kerman bombing in Iran and the Islamic State's claim the next day (with the day of mourning that Thursday),
      the TUSAS attack near Ankara and Turkey's strikes on the PKK in Iraq and Syria that night, the Gwoza suicide
      bombings in Nigeria, the Kuriga school kidnapping (with an abduction in the same district the Thursday
      before last), the Crocus City Hall attack and the arrests of its suspects that night. Eleven of its twenty
      pages are undated. Blind 0.85 / 0.315 (23 of 27 predicted, 23 of 73 gold pairs): the Islamic State's claim
      and the day of mourning, both told "Thursday" in Kerman; an unplaced dateline of the Ankara attack that
      Turkey's strikes in Iraq joined; "Penultimate Thursday" read as the kidnapping's Thursday. The tenth round:
      an abduction is an attack and "Penultimate Thursday" no date (the same score); 0.91 / 0.53 once a day a page
      names only from its stamp ("Tears flowed freely yesterday", on a page of the day after) could be the day
      before and join the one incident there of its type in its town; 0.93 / 0.55 once a caption closing with its
      date, of what it shows "following a shooting attack", told that attack of that day or the day before. Left:
      the undated pages' "Friday's assault on the Crocus City Hall" placed only in Russia and the Ankara attack's
      "on Wednesday" placed near Ankara, which nothing on their pages or in the corpus's news of their places
      dates; a kidnapping told with no trigger word ("gunmen ... rode on motorbikes into the school grounds") in a
      village no gazetteer holds (Kuriga). Wrong: the claim and the day of mourning, both "Thursday" on one undated
      page in Kerman (two pairs); a dateline placed nowhere and naming no side that Turkey's strikes in Iraq join.
      The eleventh round: 0.93 / 0.575 (42 of 45, 42 of 73) once an undated page's weekday in no town took the
      corpus's one day of violent news on that weekday that shares its rare words ("Friday's assault on the Crocus
      City Hall", placed only in Russia: 22 March; the Ankara attack's Wednesday too, which finds no incident there
      to join), never founding; a night of such a day joins nothing ("taken into custody on Friday night", the
      arrests, had joined the attack of that evening: four wrong pairs). The sixteenth round: 0.94 / 0.63 (46 of 49)
      once a date opening its sentence before its speaker and verb of saying was a date of saying ("On Saturday,
      the Russian Investigative Committee said the death toll ..." joins the attack of the Friday).
    - blind14 (written after the eleventh round): the pager explosions across Lebanon and the walkie-talkie
      explosions the next day, the Pahalgam massacre and the Poonch shelling two weeks later, the JNIM attack on
      Bamako, the Komanda church massacre told as Saturday night and early Sunday; eleven of its 21 pages undated.
      Blind 0.59 / 0.21 (50 of 85 predicted, 50 of 240 gold pairs): "late Wednesday afternoon" read as a night
      joined the two Lebanon days; "around 2 am" took the day of "the April 22 Pahalgam terror attack"; places read
      from a side ("an attack by Israel"), victims' origins ("from the UAE and Nepal"), a likeness ("mini
      Switzerland"), a Brazilian town for "Congo", Mombasa for "Mambasa". The twelfth round: 0.99 / 0.88 (211 of
      213, 211 of 240), with "late" or "early" a night only without a word of the day, a past event's day no day
      of a time of day after it, a country named as the side that did it, where victims or goods came from and a
      likeness no place, a weekday that refuses a year it does not fall on, a date of a year no month's news, the
      plural nouns of a happening already known, a page's unplaced saying of its own incident, a time of day, a day
      told from it ("the day before") and a quoted "this morning" after a day its undated page gets, a time zone
      in a time's span, a night the corpus's words date joining its page's story (not inside "said that"). Left:
      a district read as its town 35 km off ("Anantnag district"), a health ministry's toll read as its state, a
      day named from a stamp three days late ("yesterday's attack").
    - blind15 (written after the twelfth round, never fitted to): the Lido beach attacks in Mogadishu of 2016 and
      2024, the Kunduz and Kandahar mosque bombings a week apart and Kunduz's of 2022, the Marawi university
      bombing, the Wad al-Nourah and Alseriha massacres in Sudan, the Noshki convoy attack and the Jaffar Express
      hijacking; 11 of its 24 pages undated. Blind 0.957 / 0.489; 0.981 / 0.591 after fixes of the twelfth round
      (none fitted to it). The thirteenth round, fitted to its general causes: 1.00 / 0.784 (69 of 69, 69 of
      88), once a day written with its weekday took only a corpus year it falls on ("Today (Friday, October 15)":
      2021, not 2024), "Last Friday" beside a page's own Friday was the week before, "last week" on a page of a
      Monday no longer held the Sunday before (a hijacking "last week" had joined the convoy attack of that
      Sunday), a time of day its page dates only by publication ("started around 10 PM") was a date of report,
      "Noshki" was the gazetteer's Nushki and the Frontier Corps Pakistan's, and an undated page's "Last Friday" in
      Kunduz, whose news the corpus holds on two Fridays, the one in the week before its "on Friday" in Kandahar.
      Left: one Alseriha page split three ways (a dateline,
      a committee's seat, a troop movement); the undated Jaffar Express page, whose weekday no dated report
      tells; "late on Friday" at Lido, a night of a day only the corpus's words give its undated page.
    - blind16 (written after the thirteenth round): the Kokorou and Abankor mosque attacks in Niger, the Poltava
      institute strike and the Lviv strike the next day, the Dantewada and Bijapur IED blasts in Chhattisgarh, the
      Christmas Eve attacks across Bokkos and Barkin Ladi in Plateau with the Lisham attack the day before and the
      Kwahaslalek attack a month later, the Kurram convoy attack; 9 of its 23 pages undated. Blind 1.00 / 0.318
      (61 of 192 gold pairs), and the same after the fixes fitted to batches 14 and 15. The fourteenth round,
      fitted to its general causes: 1.00 / 0.667 (128 of 128, 128 of 192), once a year a page writes only of a
      month its first, yearless day would precede was of a past it recalls ("On September 3 ... in November
      2023"), an undated page's "yesterday" the day before its latest day when it names that day, a date of
      saying beside the day it may lag one happening, a day's row found the incident a date of saying founded,
      a sentence opening "Recall that" told another happening, a weekday before a given name's ", who" or verb of
      saying no date ("Monday Kasa, who confirmed"), "Local Government Areas" no actor, and a time of day told by
      a word ("early in the afternoon") the narrative's day. Left: a lede placed
      "in the Bastar region" read as the village Bastar; a dateline's date ("Lower Kurram, November 21, 2024–")
      which the date stage takes as the publication date; a weekday and a day that disagree ("Friday, March 22"
      of a Friday the 21st); clock times beside a day of their own; a month ("In April 2023") among two
      incidents of that month.
    - blind17 (written after the fourteenth round): the Kumba school attack in Cameroon, the Bajaur convention
      bombing of 2023 and a Bajaur jirga bombing of 2008 with the Mamond helicopter raid the day before, three
      Dnipro strikes (January 2023, February and June 2024), the Palma attack in Mozambique and the Amarula hotel
      convoy two days later, the Belgorod centre shelling with the rockets downed over the region the night before
      and the drones of that day; 10 of its 26 pages undated. Blind 0.861 / 0.466 (68 of 79, 68 of 146). The
      fifteenth round, fitted to its wrong pairs: 0.919 / 0.466 once an undated page's weekday took no day from
      the corpus's news sharing its rare words when that news names none of the countries the page names (the
      2008 Dawn page had joined the Palma attack through "helicopters"); 1.00 / 0.459 (67 of 67) once a page that
      tells "late Friday evening" and "on Saturday" apart told two happenings; 1.00 / 0.507 (74 of 74) once "at
      around midday on Saturday" was a weekday the corpus's news of its town dates. Left: undated pages'
      "Saturday" placed only in Cameroon and "Last Wednesday" that nothing dates; the 2008 page's dateline "KHAR,
      Nov 6:" read as no date; a "Palma" read as the Spanish city; "about 4 pm" placed only in its province; a
      statement placed nowhere. The sixteenth round, fixing mechanisms that should have dated undated pages' rows:
      1.00 / 0.562 (82 of 82) once words any report of violence uses ("officials", "children", "region") no longer
      outweighed a page's rare words (the Kumba page's "Saturday" had gone to Belgorod's); 1.00 / 0.623 (91 of 91)
      once "around midday" and "shortly after noon" were times of day (the development set keeps its pairs, as
      "early Sunday", a night only by "early", no longer contradicts a noon); 1.00 / 0.671 (98 of 98) once a date
      right after a trigger ("since Islamist militants attacked on 24 March") was of that trigger's type, not the
      sentence's first ("Fighting continues"); 1.00 / 0.705 (103 of 103) with an object between ("since the
      insurgents attacked the town on Wednesday afternoon", in a sentence opening with a convoy). 1.00 / 0.822 with
      the lead's changes of that session merged (provinces hold their regions' towns; a district known by its bare
      name; a clock time read with its day scored by its sentence's row).
    - blind18: the Togoga market airstrike in Tigray and Mekelle strikes months later, the Zabarmari massacre with
      the next day's burial and a 2023 attack there, Iran's missiles on Erbil with the Israeli strike near Damascus
      a week before, the Aden airport attack with the Aden governor bombings of 2021 and 2015, the Let Yet Kone
      school attack in Myanmar (28 reports, 13 undated). Blind 0.653 / 0.272 (66 of 101, 66 of 243), written
      after the sixteenth round: precision far below the target, from undated pages whose weekdays took the
      corpus's days of another happening (an Erbil page's "last Monday" of a strike in Syria and its "Monday" of a
      site visit; a 2015 Aden page's "Sunday" the 2021 bombing's, its town's only Sunday of news; a Myanmar page's
      "Monday" the Monday it writes in full, of the 2021 coup it recalls). 0.680 / 0.272 once a day its page names by
      its weekday is no stamp's day (a Saturday's story joined the Friday before); 0.805 / 0.272 once a night told
      by its morning ("early yesterday" of the Erbil missiles) is the night before that day, not the next day's
      (the page's Monday site visit joined it), and one told by its evening the night after (batch 11 0.645 ->
      0.702; batch 1 1.00 -> 0.889 recall: its Balyun pair was right only as both rows joined the Saraqib advance
      told "overnight" the night before, which "late on Thursday" no longer joins); 0.815 / 0.272 once a day written
      only as the start of a past its page recalls ("since ... a Feb. 1, 2021, coup") is no day of its weekdays;
      0.846 / 0.272 once a town's day of news that names none of the people an undated page's row there names gives
      that row no day (the 2015 Aden governor's "Sunday" had taken the 2021 bombing's); 0.855 / 0.292 with "dead"
      an attack trigger ("Friday's violence ... left 14 people dead": the Let Yet Kone pages' Friday now has news);
      0.870 / 0.329 with a recalled day no year of its page either (its "Sept. 16" takes the corpus's 2022); 0.920 /
      0.329 with a reaction told of its own date a statement ("In a statement on Sunday, ... denounced Iran"); 0.941
      / 0.329 with a denial such a reaction ("The Ethiopian army on Thursday denied carrying out deadly airstrikes");
      0.947 / 0.366 once a saying's night ("who obliged information at about 10.pm last night") makes no night of the
      happening whose incident it joins (the Zabarmari burial's had, and the massacre's reports fitted both days).
    - blind19: the Garissa university attack with the Mandera quarry attack months before, the Mastung procession
      bombing with the Hangu mosque bombing the same day, the Odesa double-tap strike with the Odesa drone strike two
      weeks before, the Kabul maternity hospital attack with the Nangarhar funeral bombing the same day, the Jangebe
      school kidnapping with the Kagara one nine days before (28 reports, 10 undated). Blind 0.815 / 0.295 (66 of
      81, 66 of 224), written after the sixteenth round and scored after the seventeenth (0.759 / 0.295 with the
      code of before that session, 0.836 / 0.272 as then scored); 0.857 / 0.295 once a sequel placed nowhere
      ("Later on Friday evening, a hospital spokesperson stated ...") joins no other page's incident by its day
      alone (it had joined the Hangu bombing). Left: "9 p.m." of a rescue's end dated the day before, a country's
      row ("eastern Afghanistan") that joined the day's one incident before the province's report founded its own
      (taking countries after provinces cost batch 14 0.879 -> 0.742)."""
    folder = BLIND[name]
    if not folder.exists():
        pytest.skip("the real articles are not committed")
    score = _blind_score(name)
    assert score["precision"] >= precision and score["recall"] >= recall, score


@functools.cache
def _blind_score(name: str) -> dict:
    return score_incidents.score_grouping(BLIND[name])


def test_grouping_pooled_over_the_blind_batches_keeps_its_score():
    """All the pairs of the blind batches, together (``score_incidents.py --pooled``). Over the ten the rules were
    fitted to, the targets: 0.98 / 0.83 before the sixth round (227 of 232 predicted pairs right, 227 of 272 gold
    pairs found), 0.985 / 0.94 after it (255 of 259, 255 of 272). With batch 11, written after them and scored
    blind (0.93 / 0.10), the recall is below the target: 0.98 / 0.68 blind (268 of 273, 268 of 396), 0.98 / 0.71
    after the seventh round (281 of 286, 281 of 396), 0.985 / 0.81 after the eighth (319 of 324, 319 of 396; the
    ten: 0.985 / 0.94, 256 of 260, 256 of 272). With batch 12, written after the eighth round and scored blind
    (1.00 / 0.10), the twelve: 0.985 / 0.68 blind (328 of 333, 328 of 483); after the ninth round 0.986 / 0.75
    (361 of 366, 361 of 483; the eleven 0.985 / 0.83, 328 of 333, 328 of 396; the ten 0.985 / 0.95, 258 of 262,
    258 of 272): recall on batches never tuned on stays far below the target. With batch 13, written after the
    ninth round and scored blind (0.85 / 0.315), the thirteen: 0.977 / 0.69 blind (384 of 393, 384 of 556); after
    the tenth round 0.980 / 0.72 (401 of 409, 401 of 556; the twelve as before); after the eleventh 0.981 / 0.73
    (405 of 413, 405 of 556; the twelve 0.986 / 0.76, 363 of 368, 363 of 483). With batch 14, written after the
    eleventh round and scored blind (0.59 / 0.21), the fourteen: 0.914 / 0.57 blind (455 of 498, 455 of 796);
    after the twelfth round 0.984 / 0.79 (626 of 636, 626 of 796; the thirteen 0.981 / 0.75, 415 of 423, 415 of
    556; the eleven 0.985 / 0.85; the ten 0.985 / 0.95). With batch 15, written after the twelfth round and scored
    blind (0.957 / 0.489), the fifteen: 0.984 / 0.77 before the thirteenth round (678 of 689, 678 of 884), 0.986 /
    0.79 after it (695 of 705, 695 of 884; the fourteen as before, 0.984 / 0.79). With batch 16, written after
    the thirteenth round and scored blind (1.00 / 0.318), the sixteen: 0.987 / 0.70 blind (756 of 766, 756 of
    1076); after the fourteenth round 0.988 / 0.77 (824 of 834, 824 of 1076; the fifteen 0.986 / 0.79, 696 of
    706, 696 of 884). With batch 17, written after the fourteenth round and scored blind (0.861 / 0.466), the
    seventeen: 0.977 / 0.730 blind (892 of 913, 892 of 1222); after the fifteenth round 0.989 / 0.735 (898 of
    908, 898 of 1222; the sixteen as before, 0.988 / 0.77, 824 of 834, 824 of 1076); after the sixteenth round,
    fixing the mechanisms that should have dated undated pages' rows, 0.989 / 0.761 (930 of 940, 930 of 1222; the
    sixteen 0.988 / 0.769, 827 of 837); 0.990 / 0.792 (968 of 978, 968 of 1222) once a clock time the date stage
    read with its day is scored by its sentence's row, and with provinces holding their regions' towns and a
    district named with its noun known by its bare name. With batch 18, written after that and scored blind
    (0.653 / 0.272), the eighteen: 0.962 / 0.706 (1034 of 1075, 1034 of 1465), with its two fixes of this
    session (a day its page names by its weekday is not a stamp's day; an undated page's weekday takes no day from
    its own rows); 0.976 / 0.710 (1040 of 1066) once a night told by its morning is the night before its day (the
    seventeen 0.990 / 0.797, 974 of 984); 0.980 / 0.719 (1054 of 1076) after the seventeenth round, fitted to batch
    18's wrong pairs and undated pages (a recalled day no date of its page, a town's day of news that names none of
    the people a page's row names, "dead" an attack trigger); 0.984 / 0.719 (1054 of 1071) with a reaction told of its
    own date a statement; 0.986 / 0.719 (1054 of 1069) with a denial such a reaction; 0.986 / 0.726 (1063 of 1078)
    once a saying's night makes no night of the happening it joins."""
    if not all(BLIND[name].exists() for name in BLIND_NAMES):
        pytest.skip("the real articles are not committed")
    # the batches written before each later one, and the recall floor of their pool (precision: 0.95 each)
    floors = [(FITTED, 0.90), (BEFORE_12, 0.82), (BEFORE_13, 0.74), (BEFORE_14, 0.74), (BEFORE_15, 0.78),
              (BEFORE_16, 0.78), (BEFORE_17, 0.76), (BEFORE_18, 0.78), (BEFORE_19, 0.72)]  # fmt: skip
    for names, recall in floors:
        pool = score_incidents.pooled([_blind_score(name) for name in names])
        assert pool["precision"] >= 0.95 and pool["recall"] >= recall, (len(names), pool)
    # with batch 19, scored blind after the seventeenth round (0.977 / 0.668): 0.979 / 0.709 after the eighteenth
    pool = score_incidents.pooled([_blind_score(name) for name in BLIND_NAMES])
    assert pool["precision"] >= 0.97 and pool["recall"] >= 0.70, pool
