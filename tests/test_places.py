"""Places: toponyms, disambiguation, qualifiers and precision, labels, and the cached gazetteer index."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline import places
from pipeline.geo import km
from pipeline.namekeys import name_key
from pipeline.places import gazetteer
from tests.conftest import sentences_of

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def gaz() -> places.Gazetteer:
    return places.load_gazetteer(DATA)


def found(gaz: places.Gazetteer, *texts: str) -> list[list[tuple[str, str, float, float, int, str]]]:
    return [
        [(m.text, m.value, m.lat, m.lon, m.precision, p.kind) for m, p in hits]
        for hits in places.find_places(sentences_of(*texts), gaz)
    ]


def test_a_capital_in_the_possessive_before_its_rulers_is_no_place(gaz: places.Gazetteer) -> None:
    """ "the head of Kabul's ruling junta", "Kabul's new rulers": the state that rules from the capital
    (``government_nouns``), not a place of the sentence; "Kabul's main market", "Kabul's mayor" are places."""
    assert found(gaz, "Militias were armed by Captain Ali, the head of Kabul's ruling junta.") == [[]]
    assert found(gaz, "Kabul's new rulers denied it.") == [[]]
    assert [g[1] for g in found(gaz, "Shells hit Kabul's main market.")[0]] == ["Kabul"]
    assert [g[1] for g in found(gaz, "Kabul's mayor visited the site.")[0]] == ["Kabul"]


def test_a_name_someone_goes_by_is_no_place(gaz: places.Gazetteer) -> None:
    """ "a militia led by a man known as “Saraqib,”" or "alias Saraqib" names a person, not the town
    (``alias_words``, ``alias_quoted``); unquoted after "known as" it may still be the town."""
    assert found(gaz, "The attack was claimed by a militia led by a man known as “Saraqib,” officials said.") == [[]]
    assert found(gaz, "Its commander, alias Saraqib, was killed.") == [[]]
    assert [g[1] for g in found(gaz, "Shells fell on the town known as Saraqib overnight.")[0]] == ["Saraqib"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, point, precision): the point is the real place, within 40 km
        ("Shells fell on Saraqib and Ariha overnight.", [("Saraqib", (35.86, 36.80), 1), ("Ariha", (35.81, 36.61), 1)]),
        ("Fighting raged in Maarat al-Numan.", [("Maarat al-Numan", (35.65, 36.68), 1)]),
        ("Ma'arrat al-Nu'man emptied of civilians.", [("Maarat al-Numan", (35.65, 36.68), 1)]),
        ("A missile hit a vehicle in Al-Nayrab.", [("Al-Nayrab", (35.86, 36.76), 1)]),
        ("Patrols along the M4 highway were suspended.", [("M4 highway", (35.82, 36.55), 2)]),
        ("Troops advanced in the northern Aleppo province.", [("Aleppo", (36.20, 37.16), 3)]),
        ("The clashes that erupted in east Idlib were unprecedented.", [("Idlib", (35.93, 36.63), 2)]),
        ("Civilians fled from villages near Saraqib.", [("Saraqib", (35.86, 36.80), 2)]),
        ("Protests broke out across northwest Syria.", [("Syria", (34.8, 39.0), 3)]),
        ("Militants were deployed in Syria's Idlib province.",
         [("Syria", (34.8, 39.0), 3), ("Idlib", (35.93, 36.63), 3)]),
        ("Ceasefire monitors arrived in Hatay province.", [("Hatay", (36.20, 36.16), 3)]),
        ("The talks in Geneva resumed on Monday.", [("Geneva", (46.20, 6.15), 1)]),
        ("He spoke to ministers in Brussels.", [("Brussels", (50.85, 4.35), 1)]),
        ("The convoy reached Qamishli and Hasakah province.",
         [("Qamishli", (37.05, 41.23), 1), ("Hasakah", (36.50, 40.75), 3)]),
        ("Rockets hit Kharkiv on Tuesday.", [("Kharkiv", (49.99, 36.23), 1)]),
        ("Families returned to Jisr al-Shughour.", [("Jisr al-Shughur", (35.81, 36.32), 1)]),
    ],
)  # fmt: skip
def test_places_in_sentence(text: str, expected: list, gaz: places.Gazetteer) -> None:
    got = found(gaz, text)[0]
    assert [g[1] for g in got] == [e[0] for e in expected]
    for (_, _, lat, lon, precision, _), (_, point, want_precision) in zip(got, expected, strict=True):
        assert km((lat, lon), point) <= 40
        assert precision == want_precision


@pytest.mark.parametrize(
    "text, expected",
    [
        # (value, kind, country, a point inside the region): a region is a region, at precision 3
        ("Fighting spread to Gezira State on Monday.", [("Gezira State", "Sudan", (14.4, 33.5))]),
        ("Paramilitaries entered the capital of Gezira.", [("Gezira State", "Sudan", (14.4, 33.5))]),
        ("Russian forces shelled Kherson Oblast overnight.", [("Kherson Oblast", "Ukraine", (46.7, 33.4))]),
        ("Militants attacked a village in Tillaberi Region.", [("Tillaberi Region", "Niger", (14.2, 1.5))]),
        ("Clashes were reported in Arauca Department.", [("Arauca Department", "Colombia", (6.7, -71.0))]),
        ("M23 rebels advanced in North Kivu.",
         [("North Kivu Province", "DR Congo", (-0.8, 29.0))]),
        ("The Arakan Army seized towns in Rakhine State.", [("Rakhine State", "Myanmar", (19.8, 93.9))]),
        ("Troops were deployed to Sinaloa state.", [("Sinaloa State", "Mexico", (25.0, -107.5))]),
        ("Drones hit Zaporizhzhia Oblast overnight.", [("Zaporizhia Oblast", "Ukraine", (47.5, 35.5))]),  # via the city
        ("Fighting in the Donetsk, Luhansk and Kherson regions went on.",
         [("Donetsk Oblast", "Ukraine", (48.0, 37.8)), ("Luhansk Oblast", "Ukraine", (48.8, 39.0)),
          ("Kherson Oblast", "Ukraine", (46.7, 33.4))]),
        ("Separatists control parts of the North-West and South-West regions.",
         [("North-West Region", "Cameroon", (6.3, 10.3)),  # "North-West" takes the type of its neighbour
          ("South-West Region", "Cameroon", (5.2, 9.3))]),
        ("There was fighting from the northern province of Badakhshan to the heartlands of Helmand and Kandahar.",
         [("Badakhshan Province", "Afghanistan", (37.0, 71.0)), ("Helmand Province", "Afghanistan", (31.0, 64.2)),
          ("Kandahar Province", "Afghanistan", (31.1, 65.8))]),
        ("Ships off Red Sea State were searched.", [("Red Sea State", "Sudan", (19.5, 36.5))]),
    ],
)  # fmt: skip
def test_first_level_regions_of_every_country(text: str, expected: list, gaz: places.Gazetteer) -> None:
    got = found(gaz, text)[0]
    assert [g[1] for g in got] == [e[0] for e in expected]
    for (_, _, lat, lon, precision, kind), (_, _, point) in zip(got, expected, strict=True):
        assert (kind, precision) == ("admin", 3)
        assert km((lat, lon), point) <= 100  # a point inside the region, near its middle
    hits = places.find_places(sentences_of(text), gaz)[0]
    assert [p.country for _, p in hits] == [e[1] for e in expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        # transliterations and spellings of towns, from GeoNames' alternate names
        ("Houthi forces in Sanaa said the strike hit Hodeidah.", [(15.35, 44.21), (14.80, 42.95)]),
        ("Residents of Sana'a fled to Al Hudaydah.", [(15.35, 44.21), (14.80, 42.95)]),
        ("Shelling hit Zaporizhzhia and the plant near Zaporozhye.", [(47.84, 35.14), (47.84, 35.14)]),
        ("The RSF took El Geneina, also written Al-Junaynah.", [(13.45, 22.45), (13.45, 22.45)]),
        ("Gunmen in Culiacán and Culiacan clashed.", [(24.80, -107.39), (24.80, -107.39)]),
        ("Clashes erupted in the capital Tripoli Monday night.", [(32.89, 13.19)]),  # a weekday is no surname
        ("Taliban fighters took a district outside the city of Kunduz Saturday.", [(36.73, 68.86)]),
        ("Bandits abducted pupils in Faskari LGA of Katsina State.", [(11.72, 7.03), (12.4, 7.6)]),
        ("Missiles hit Dnipro on Tuesday.", [(48.47, 35.04)]),  # the city
    ],
)
def test_spellings_and_transliterations(text: str, expected: list, gaz: places.Gazetteer) -> None:
    got = found(gaz, text)[0]
    assert len(got) == len(expected), got
    for hit, point in zip(got, expected, strict=True):
        assert km(hit[2:4], point) <= 40, hit


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ships in the Red Sea and the Black Sea were attacked.", ["Red Sea", "Black Sea"]),
        ("Troops crossed the Dnipro River near the Kakhovka Reservoir.", ["Dnipro River", "Kakhovka Reservoir"]),
        ("Ukrainian forces landed on the right bank of the Dnipro.", ["Dnipro River"]),  # the river, not the city
        ("Houthis fired at vessels in the Bab el-Mandeb strait.", ["Bab el Mandeb"]),  # as Natural Earth names it
        ("A tanker was hit in the Gulf of Aden and another in the Strait of Hormuz.",
         ["Gulf of Aden", "Strait of Hormuz"]),
        ("Fishermen on Lake Chad fled the attacks.", ["Lake Chad"]),
    ],
)  # fmt: skip
def test_water_bodies_and_features(text: str, expected: list, gaz: places.Gazetteer) -> None:
    got = found(gaz, text)[0]
    assert [g[1] for g in got] == expected
    assert {g[5] for g in got} == {"feature"}


def test_the_documents_country_decides_an_ambiguous_name(gaz: places.Gazetteer) -> None:
    got = found(
        gaz,
        "Ten soldiers were killed in an ambush in the region of Tillaberi near Burkina Faso.",
        "Western Niger, where the departments of Tera and Bankilare are located, is the centre of the violence.",
    )
    tera = [hit for hit in got[1] if hit[0] == "Tera"]
    assert tera and km(tera[0][2:4], (14.01, 0.75)) <= 40  # Tera in Niger, not Tehran


def test_town_found_only_by_another_of_its_names_needs_a_cue(gaz: places.Gazetteer) -> None:
    """A small town's alternate names are often common words or first names: "Born" (Bourne, Massachusetts),
    "Joaquin" (Estacion Joaquin, Mexico). Found only by one, it needs a locative word; its own name does not."""
    got = found(
        gaz,
        "The United States launched five strikes on the militia.",
        "Born in Basra in 1954, he was working with Iran already in the 1980s.",
        "Clashes erupted in Sinaloa between gunmen loyal to the sons of Joaquin Guzman.",
        "Gunmen attacked a bus near Joaquin overnight.",  # a cue: the Mexican village
    )
    assert [g[1] for g in got[1]] == ["Basrah"]
    assert "Estacion Joaquin" not in [g[1] for g in got[2]]
    assert [g[1] for g in got[3]] == ["Estacion Joaquin"]


def test_small_namesake_abroad_is_not_the_place(gaz: places.Gazetteer) -> None:
    """ "Waat" is, for the gazetteer, only a spelling of Watt, a Swiss village: in a report on South Sudan, or
    written "Waat, South Sudan", it is a town the gazetteer does not know, not that village."""
    on_south_sudan = found(gaz, "Fighting spread across South Sudan.", "White Army fighters overran a base in Waat.")
    assert [g[1] for g in on_south_sudan[1]] == []
    on_sudan = found(
        gaz,
        "The army shelled Omdurman and Khartoum in Sudan.",
        "Refugees arrived from Waat, South Sudan, on Monday.",
        "More were still walking from Waat.",
    )
    assert [g[1] for g in on_sudan[1]] == ["South Sudan"]
    assert [g[1] for g in on_sudan[2]] == []  # the same name, later in the document


def test_natural_earth_towns_and_spellings(gaz: places.Gazetteer) -> None:
    """Towns of Natural Earth that cities1000 lacks (Nasir, a South Sudanese seat GeoNames lists without a
    population), before a quarter of Khartoum that has the name only as an alternate one; and Natural Earth's
    spellings of towns it has ("Kyaukphyu" for GeoNames' Kyaukpyu)."""
    ((nasir,),) = found(gaz, "White Army fighters overran a base in Nasir.")
    ((kyaukphyu,),) = found(gaz, "Troops raided a village in Kyaukphyu Township.")
    assert nasir[1] == "Nasir" and km(nasir[2:4], (8.60, 33.07)) <= 10
    assert kyaukphyu[1] == "Kyaukpyu" and km(kyaukphyu[2:4], (19.43, 93.55)) <= 10


def test_a_region_in_the_possessive_holds_the_unit_after_it(gaz: places.Gazetteer) -> None:
    """ "Rakhine state's Ann township": the state and the town of the township, not two states joined by "and"
    (a possessive is no conjunction), and "Ann" before "township" is a name, not the article "an"."""
    got = found(gaz, "Fighters seized the camp near two villages of Rakhine state's Ann township.")[0]
    assert [(g[1], g[5]) for g in got] == [("Rakhine State", "admin"), ("Ann", "city")]
    assert km(got[1][2:4], (19.78, 94.03)) <= 10


def test_a_known_name_inside_a_longer_name_is_no_place(gaz: places.Gazetteer) -> None:
    """ "Thein Taung Kone pagoda", "Portail Saint Joseph Police Station": a GeoNames name of several words opened
    by another capitalised word is the tail of a longer name; after a direction or a locative it is a place."""
    got = found(
        gaz,
        "A junta outpost at Thein Taung Kone pagoda was also shelled.",
        "Police regained control of Portail Saint Joseph Police Station in Port-au-Prince.",
        "Fighting reached Ras al-Ain and Tal Abyad.",
    )
    assert [g[1] for g in got[0]] == []
    assert [g[1] for g in got[1]] == ["Port-au-Prince"]
    assert [g[1] for g in got[2]] == ["Ras al-Ain", "Tal Abyad"]


@pytest.mark.parametrize(
    "text",
    [
        "Turkey breached the 2018 Astana agreement, Moscow said.",  # labels and acting states
        "The Astana and Geneva processes will continue.",
        "They want the termination of the Idlib memorandum.",
        "The junta is attacking civilians in breach of the Geneva Conventions.",  # a treaty, not the city
        "The Geneva Protocols ban such gases.",
        "A missile landed near Ben Gurion Airport.",  # a facility named after a person: not Bern ("Ben")
        "Flights resumed at Aden Adde International Airport.",  # Mogadishu's airport, not Aden
        "Ankara rejects the plan.",
        "Russia and Turkey agreed on a ceasefire.",
        "Hassan Hassan, a senior fellow at the Tahrir Institute, said so.",  # people and institutions
        "Hassan added that the group was divided.",
        "However, Monday was quiet.",
        "Turkish troops killed four protesters at the Al-Karama sit-in.",
        "The Syrian Observatory for Human Rights counted the dead.",
        "US special envoy for Syria James Jeffrey held talks.",
        "Meta said it removed the posts.",  # a Colombian department, here a company
        "Mary said she would return.",  # a Turkmen province and town, here a person
        "Abductors took nine pupils from Sakkai village.",  # a village unknown to the gazetteer is not Sakai, Japan
    ],
)
def test_not_places(text: str, gaz: places.Gazetteer) -> None:
    assert found(gaz, text)[0] == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # a capital that speaks or acts is its state, not the place of the event
        ("Kinshasa accused Kigali last week of backing the rebels.", []),
        ("Later, New Delhi directed all foreign nationals to leave the country.", []),
        ("Kyiv drove Russian forces out of the Kherson region last year.", ["Kherson Oblast"]),
        ("The president said that Baku had restored its sovereignty.", []),
        ("The separatists agreed to end a lightning offensive by Baku.", []),
        ("Kyiv said on Monday it had repelled the attack.", []),
        # a town before "-based" or "-backed" is where a group sits, not where the event is
        ("According to a Srinagar-based spokesperson, the firing began at night.", []),
        ("Goma-backed fighters attacked Sake on Sunday.", ["Sake"]),
        # a ship's flag, owner or operator labels the ship
        ("The Panama-flagged, Greece-owned tanker was struck off Aden on Monday.", ["Aden"]),
        # the city itself: hit, a host, a place of residence, the scene of a summit
        ("Missiles struck Kyiv on Monday.", ["Kyiv"]),
        ("Kyiv was hit by drones overnight.", ["Kyiv"]),
        ("Residents of Kyiv sheltered in the metro.", ["Kyiv"]),
        ("Kyiv will host the talks.", ["Kyiv"]),
        ("The summit in Kigali ended on Friday.", ["Kigali"]),
        ("Kyiv suffered blackouts on Monday.", ["Kyiv"]),
    ],
)
def test_a_capital_acting_for_its_state_is_no_place(text: str, expected: list, gaz: places.Gazetteer) -> None:
    """Every state's capital (states.csv), not only the curated ones: the place where the city is the scene, none
    where it stands for its government ("Kinshasa accused Kigali")."""
    assert [g[1] for g in found(gaz, text)[0]] == expected


CAPITALS = Path(__file__).resolve().parent / "data" / "places" / "capitals.csv"


def test_capitals_batch(gaz: places.Gazetteer) -> None:
    """Sentences written for this project (tests/data/places/capitals.csv) from conflicts in Ethiopia, Sudan, DR
    Congo, Mali, Somalia, Kenya, Burkina Faso, South Sudan, Myanmar, Yemen, Afghanistan, Lebanon and Iraq: capitals
    that speak or act, "X-based" and "X-backed", and capitals that are the scene. Written and scored before the
    rule: 22/24 gold places within 40 km, 11 false places (every acting capital); with it 23/24, 3 (still read as
    places: "whom Kinshasa accuses Kigali of backing"; "Shire" as Shiree, Mongolia); 23/24, 2 once a likeness
    only by doubled letters needs the country too (Shire is then missed: the gazetteer lacks it as Inda Silase's
    other name)."""
    near, scored, false = score_batch(gaz, CAPITALS)
    assert scored == 24
    assert near >= 23 and false <= 2, (near, false)


@pytest.mark.parametrize(
    "texts, expected",
    [
        (["The mayor of Springfield, Illinois, met officials in Chicago."],
         [("Springfield", (39.80, -89.64)), ("Illinois", (40.0, -89.2)), ("Chicago", (41.88, -87.63))]),
        (["He moved to Austin, Texas, last year."], [("Austin", (30.27, -97.74)), ("Texas", (31.5, -99.0))]),
        (["Officials in Kabul and Kandahar said the Taliban had taken the district."],
         [("Kabul", (34.53, 69.17)), ("Kandahar", (31.61, 65.71))]),
        (["Sale of the company was announced in London."], [("London", (51.51, -0.13))]),
        (["In Washington, the State Department backed Ankara.", "UN officials in Geneva welcomed the truce."],
         [("Washington", (38.9, -77.04)), ("Geneva", (46.20, 6.15))]),
    ],
)  # fmt: skip
def test_general_news(texts: list[str], expected: list, gaz: places.Gazetteer) -> None:
    got = [hit for hits in found(gaz, *texts) for hit in hits]
    assert [g[1] for g in got] == [e[0] for e in expected]
    for hit, (_, point) in zip(got, expected, strict=True):
        assert km(hit[2:4], point) <= 161, hit


def test_country_names_are_countries(gaz: places.Gazetteer) -> None:
    (hit,) = found(gaz, "Refugees returned to Turkey.")[0]
    assert (hit[1], hit[5]) == ("Turkey", "country")
    assert km(hit[2:4], (39.0, 35.0)) < 200  # not Turkey, North Carolina
    (hit,) = found(gaz, "Sanctions were imposed on trade with firms in Russia.")[0]
    assert hit[5] == "country" and hit[2] > 40


def test_nayrab_follows_the_documents_governorates(gaz: places.Gazetteer) -> None:
    idlib = found(gaz, "Turkish troops entered Idlib province.", "A post was set up in Nayrab.")[1]
    aleppo = found(gaz, "Rebels shelled Aleppo city and its airport.", "Residents of Nayrab fled.")[1]
    assert km(idlib[0][2:4], (35.86, 36.76)) < 5
    assert km(aleppo[0][2:4], (36.19, 37.22)) < 5


def test_mentions_carry_document_offsets(gaz: places.Gazetteer) -> None:
    sents = sentences_of("Quiet day.", "Clashes erupted in east Idlib.")
    text = " ".join(s.text for s in sents)
    ((mention, place),) = places.find_places(sents, gaz)[1]
    assert text[mention.start : mention.end] == mention.text == "east Idlib"
    assert (mention.kind, mention.value, place.name, place.country) == ("place", "Idlib", "Idlib", "Syria")


def test_curated_table_is_well_formed() -> None:
    rows = gazetteer.read_curated(DATA / gazetteer.PLACES_FILE)
    waters = {name_key(r["name"]) for r in gazetteer.read_curated(DATA / gazetteer.WATERS_FILE)}
    for row in rows:
        assert row["kind"] in gazetteer.KIND_CODES, row["name"]
        if row["kind"] == "feature" and not row["lat"]:
            assert name_key(row["name"]) in waters, row["name"]  # spellings lent to a derived water
        elif row["kind"] != "country" or row["lat"]:
            assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180, row["name"]
        if row["precision"]:
            assert row["precision"] in {"1", "2", "3"}, row["name"]
    assert {"Al-Nayrab", "M4 highway", "M5 highway", "Idlib de-escalation zone", "Idlib"} <= {r["name"] for r in rows}


def test_loading_and_matching_are_cheap(gaz: places.Gazetteer) -> None:
    start = time.perf_counter()
    places.load_gazetteer(DATA)
    assert time.perf_counter() - start < 1.5  # from the cache: a compact index, not the GeoNames JSON
    sents = sentences_of(*["Turkish forces and HTS militants clashed near Saraqib in east Idlib on Monday."] * 200)
    start = time.perf_counter()
    places.find_places(sents, gaz)
    assert (time.perf_counter() - start) / len(sents) < 0.002


def test_a_gazetteer_shares_the_actor_index_it_is_given(gaz: places.Gazetteer) -> None:
    from pipeline import actors

    index = actors.load_index(DATA)
    shared = places.load_gazetteer(DATA, index)
    assert shared.actors is index
    sents = sentences_of("Turkish forces shelled Saraqib while Ankara said talks in Moscow would resume.")
    assert places.find_places(sents, shared) == places.find_places(sents, gaz)


def test_a_district_lies_in_the_documents_country(gaz: places.Gazetteer) -> None:
    got = found(
        gaz,
        "Insurgents attacked villages in Cabo Delgado province in northern Mozambique.",
        "There was another attack on the Maganja post, in Palma district, on Tuesday.",
    )
    assert all(hit[1] != "Palma" or km(hit[2:4], (-10.78, 40.47)) <= 40 for hit in got[1])  # never Palma, Spain


def test_a_demonym_before_city_is_no_region(gaz: places.Gazetteer) -> None:
    (got,) = found(gaz, "A blast hit the central Somali city of Beledweyne on Sunday.")
    assert [hit[1] for hit in got] == ["Beledweyne"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a compass word is a region only with its type: it takes the type of the region it is joined to
        ("Militants declared a state in the Northwest and neighbouring Southwest Region of Cameroon.",
         [("North-West Region", (6.3, 10.3)), ("South-West Region", (5.0, 9.3))]),
        ("Separatists have fought in the Southwest and Northwest regions since 2017, officials in Yaounde said.",
         [("South-West Region", (5.0, 9.3)), ("North-West Region", (6.3, 10.3)), ("Yaounde", (3.87, 11.52))]),
        ("Attacks rose in the Centre-Nord and Sahel regions of Burkina Faso.",
         [("Centre-Nord Region", (13.2, -1.1)), ("Sahel Region", (14.1, -0.6))]),
    ],
)  # fmt: skip
def test_a_compass_region_takes_its_neighbours_type(text: str, expected: list, gaz: places.Gazetteer) -> None:
    got = [g for g in found(gaz, text)[0] if g[5] != "country"]
    assert [g[1] for g in got] == [e[0] for e in expected]
    for hit, (_, point) in zip(got, expected, strict=True):
        assert km(hit[2:4], point) <= 40 and (hit[4] == 3 or hit[5] == "city"), hit


def test_a_list_of_countries_is_no_town_in_the_next(gaz: places.Gazetteer) -> None:
    got = found(gaz, "The talks, hosted by Venezuela, Cuba and Norway, began in November.")[0]
    assert [(g[1], g[5]) for g in got] == [("Venezuela", "country"), ("Cuba", "country"), ("Norway", "country")]


def test_regions_of_a_named_country_lie_in_it(gaz: places.Gazetteer) -> None:
    got = found(gaz, "Bandits attacked villages in the North-East and North-West regions of Nigeria.")[0]
    assert [g[1] for g in got] == ["Nigeria"]  # not Cameroon's North-West Region


@pytest.mark.parametrize(
    "texts, absent, present",
    [
        # a one-word small town abroad, or a name read only with its doubled letters once, needs its country
        (["A car bomb exploded in Taji, north of Baghdad, killing three soldiers."], "Taiji", ["Baghdad"]),
        (["Gunmen attacked Sakkai in Kaduna State, Nigeria, on Sunday.", "Residents of Sakkai fled to Kaduna."],
         "Sakai", ["Kaduna State", "Nigeria", "Kaduna"]),
        # doubled in the gazetteer, single in the text: "Shire" in Tigray is not Shiree, a hamlet in Mongolia
        (["Fighting reached Shire, in Tigray, on Tuesday."], "Shiree", ["Tigray Region"]),
        (["Kenyan troops in Kismayo repelled the attack."], "", ["Kismayo"]),  # a large town's likeness stays
        # towns of the document's own countries still count
        (["Warplanes bombed the port of Hodeidah and a cement factory in Bajil, east of the city."],
         "", ["Al Hudaydah", "Bajil"]),
        (["Girls were abducted from a school in Chibok, Borno State, in 2014."], "", ["Chibok", "Borno State"]),
    ],
)  # fmt: skip
def test_a_small_town_abroad_needs_its_country(texts: list[str], absent: str, present: list, gaz) -> None:
    names = [hit[1] for hits in found(gaz, *texts) for hit in hits]
    assert absent not in names
    assert all(name in names for name in present), names


@pytest.mark.parametrize(
    "text, expected",
    [
        # a facility named after its town places the event at the town
        ("Israeli warplanes struck Sanaa International Airport and power stations.", [("Sanaa", (15.35, 44.21))]),
        ("The last US troops left Kandahar Air Base on Friday.", [("Kandahar", (31.61, 65.71))]),
        ("Hassan Hassan, a senior fellow at the Tahrir Institute, said so.", []),  # not every capitalised word
    ],
)  # fmt: skip
def test_a_facility_named_after_its_town(text: str, expected: list, gaz: places.Gazetteer) -> None:
    got = found(gaz, text)[0]
    assert [g[1] for g in got] == [e[0] for e in expected]
    for hit, (_, point) in zip(got, expected, strict=True):
        assert km(hit[2:4], point) <= 40, hit


# ------------------------------------------------------------------------------ places located relative to another


@pytest.mark.parametrize(
    "text, name, point",
    [
        # an unknown name: the named town moved by the distance along the bearing, at precision 2
        ("Gunmen stormed the village of Mbwelele, about 60 km north of Bunia, on Sunday.", "Mbwelele", (2.10, 30.25)),
        ("Residents fled Tuloba, a village 30 miles south of Kismayo.", "Tuloba", (-0.80, 42.55)),
        ("Troops entered Dungoro, some 45 kilometres southwest of Maiduguri.", "Dungoro", (11.56, 12.87)),
        ("A bomb exploded near the village of Tsangaya, 12 km outside Bama.", "Tsangaya", (11.52, 13.69)),  # no bearing
    ],
)  # fmt: skip
def test_an_unknown_place_is_located_from_the_named_one(text: str, name: str, point: tuple, gaz) -> None:
    got = {g[1]: g for g in found(gaz, text)[0]}
    assert name in got, got
    _, _, lat, lon, precision, kind = got[name]
    assert km((lat, lon), point) <= 10 and precision == 2 and kind == "city"


def test_relative_phrases_keep_known_towns_and_skip_what_is_no_name(gaz) -> None:
    texts = [
        "Heavy fighting continued around Bakhmut, 90 km northeast of Donetsk.",  # the known town agrees, roughly
        "On Sunday, 20 km north of Bunia, gunmen attacked a camp.",  # a day is no place
        "The convoy was stopped 20 km north of the capital.",  # no named place to start from
        "The border town lies 30 km from Syria.",  # a country's middle says nothing
        "Fighting raged in Badakhshan province, 300 km north of Kabul.",  # a region is not moved to a point
        "Troops overran a base held by the Taliban, 30 km south of Kandahar.",  # an actor is no place
    ]
    got = [found(gaz, text)[0] for text in texts]  # one document each
    assert [g[1] for g in got[0]] == ["Bakhmut", "Donetsk"]
    assert km(got[0][0][2:4], (48.59, 38.00)) <= 10
    assert [g[1] for g in got[1]] == ["Bunia"]
    assert got[2] == [] and [g[1] for g in got[3]] == ["Syria"]
    assert [(g[1], g[4]) for g in got[4]] == [("Badakhshan Province", 3), ("Kabul", 1)]
    assert [g[1] for g in got[5]] == ["Kandahar"]


def test_relative_moves_along_the_bearing() -> None:
    from pipeline.places.relative import moved

    assert km(moved((0.0, 0.0), 111.2, 0), (1.0, 0.0)) < 1
    assert km(moved((10.0, 20.0), 100, 90), (10.0, 20.0)) == pytest.approx(100, abs=0.5)
    assert moved((10.0, 20.0), 100, 90)[1] > 20.9


BATCH = Path(__file__).resolve().parent / "data" / "places" / "relative.csv"


def test_relative_places_batch(gaz: places.Gazetteer) -> None:
    """Sentences written for this project (tests/data/places/relative.csv): relative phrases, regions in the
    possessive before a township, towns only Natural Earth has, and traps (a day, the capital, a country).
    Written and scored before the rules: 27/41 gold places within 40 km, 2 false places (a namesake in Odesa
    oblast, Engels for Pokrovsk); with them 36/41, 1. A false place lies farther than 40 km from every gold
    place of its sentence and is not named in its gold."""
    near, scored, false = score_batch(gaz, BATCH)
    assert scored == 41
    assert near >= 35 and false <= 1, (near, false)


def test_conflict_verbs_are_locative_cues(gaz: places.Gazetteer) -> None:
    """A small town found by one of its alternate names needs a locative cue ("Born in Basra" is not Bourne);
    the verbs of attacks and captures are such cues: "shelling hit Kupiansk" is GeoNames' Kupyansk."""
    got = found(gaz, "Shelling hit Kupiansk in the east of Ukraine on Monday.", "Troops seized Kupiansk again.")
    assert [g[1] for g in got[0]] == ["Kupyansk", "Ukraine"] and [g[1] for g in got[1]] == ["Kupyansk"]
    assert km(got[0][0][2:4], (49.71, 37.62)) <= 10


# ----------------------------------------------------------------- unknown settlements: the area the document supports


def test_an_unknown_village_gets_the_region_its_document_supports(gaz: places.Gazetteer) -> None:
    """Every place of this report lies in Cabo Delgado: "Namitil village", which the gazetteer lacks, gets the
    province at precision 3; a sentence with a town of its own keeps only its town."""
    got = found(
        gaz,
        "Insurgents burned houses in Mocimboa da Praia, in Cabo Delgado province, on Monday.",
        "On Tuesday they killed two farmers in Namitil village.",
        "Soldiers later searched the village of Ntapuala and Mocimboa da Praia.",
    )
    assert [(g[0], g[1], g[4]) for g in got[1]] == [("Namitil village", "Cabo Delgado Province", 3)]
    assert [g[1] for g in got[2]] == ["Mocimboa da Praia"]


def test_an_unknown_part_of_a_town_gets_the_region_its_document_supports(gaz: places.Gazetteer) -> None:
    """A named quarter or neighbourhood the gazetteer lacks ("Tuloni Quarters", "the Kiberi neighbourhood", "the
    neighbourhood of Kiberi") lies in its town's region; a quarter of the year and "Headquarters" are no place."""
    got = found(
        gaz,
        "Gunmen attacked Gusau, the capital of Zamfara State, on Saturday.",
        "On Sunday they abducted nine students from Tuloni Quarters behind the polytechnic.",
    )
    assert [(g[0], g[1], g[4]) for g in got[1]] == [("Tuloni Quarters", "Zamfara State", 3)]
    for unknown in ("A shell landed in the Kiberi neighbourhood.", "A shell landed in the neighbourhood of Kiberi."):
        got = found(gaz, "Shelling hit Goma, the capital of North Kivu, on Monday.", unknown)
        assert [(g[1], g[4]) for g in got[1]] == [("North Kivu Province", 3)], unknown
    got = found(gaz, "Protests hit Kano.", "Profits rose in the Third Quarter.", "They met at Army Headquarters.")
    assert got[1:] == [[], []]


def test_no_area_when_the_document_spreads_or_the_name_is_no_place(gaz: places.Gazetteer) -> None:
    spread = found(gaz, "Fighting hit Kharkiv and Belgorod.", "Shells fell on Pryvilnenko village.")
    assert spread[1] == []  # two countries: neither is sure
    one_country = found(gaz, "Fighting hit Kharkiv and Kherson.", "Shells fell on Pryvilnenko village.")
    assert [(g[1], g[4]) for g in one_country[1]] == [("Ukraine", 3)]  # two regions of one country: the country
    nothing = found(gaz, "Troops moved near Goma.", "A Taliban district chief and Sunday village elders met.")
    assert nothing[1] == []  # an actor and a day before the nouns


def test_a_country_named_alone_supports_no_area(gaz: places.Gazetteer) -> None:
    got = found(gaz, "Fighters based in Afghanistan stormed a village in Salarzai Tehsil on Friday.")
    assert [g[1] for g in got[0]] == ["Afghanistan"]  # no second area from the country alone
    got = found(gaz, "Militants based in Afghanistan crossed the border.", "They stormed Batwar village.")
    assert got[1] == []


DISTRICTS = Path(__file__).resolve().parent / "data" / "places" / "districts.csv"


def test_district_batch(gaz: places.Gazetteer) -> None:
    """Sentences written for this project (tests/data/places/districts.csv): second-level units named with their
    noun ("Bajaur district", "Askira-Uba LGA", "Masisi territory", "Yei County"), and traps ("the district
    commissioner"). Written and scored before data/districts.csv: 22/33 gold places within 40 km, 1 false place
    (Yei County as Central Equatoria State); with it 30/33, 0. Scored by ``score_batch``."""
    near, scored, false = score_batch(gaz, DISTRICTS)
    assert scored == 33
    assert near >= 30 and false == 0, (near, false)


def test_a_district_name_counts_only_before_its_noun(gaz: places.Gazetteer) -> None:
    """ "Bajaur district", "the district of Kurram", "Bajaur and Khyber districts" are the units (precision 2, kind
    region); "Bajaur" alone, in a document that never writes its noun, names nothing the gazetteer knows as a place
    by itself."""
    got = found(
        gaz, "Militants attacked a checkpoint in Bajaur district.",
        "Clashes erupted in the district of Kurram.", "The army entered Bajaur and Khyber districts.",
    )  # fmt: skip
    assert [(g[1], g[4], g[5]) for g in got[0]] == [("Bajaur District", 2, "region")]
    assert km(got[0][0][2:4], (34.78, 71.53)) <= 40
    assert found(gaz, "Officials from Bajaur said so.") == [[]]
    assert [g[1] for g in got[1]] == ["Kurram District"]
    assert [g[1] for g in got[2]] == ["Bajaur District", "Khyber District"]


def test_a_county_named_after_its_seat_is_not_the_state_around_it(gaz: places.Gazetteer) -> None:
    """ "Yei County" spelt as the town Yei: the town (the county's seat), not Central Equatoria State; a region
    spelt as its town ("Zaporizhzhia Oblast") is still the region."""
    got = found(gaz, "Gunmen ambushed a bus in Yei County.", "Shelling hit Zaporizhzhia Oblast.")
    assert [g[1] for g in got[0]] == ["Yei"]
    assert got[1][0][5] == "admin"


ELSEWHERE = Path(__file__).resolve().parent / "data" / "places"


def score_batch(gaz: places.Gazetteer, path: Path, loose: bool = False) -> tuple[int, int, int]:
    """(gold places within 40 km, gold places with a point, false places) of a batch of single sentences. A false
    place lies farther than 40 km from every gold place of its sentence and is not named in its gold; ``loose``:
    a system name counts as a gold one when it opens with it ("Zulia State" is Zulia)."""
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    near = scored = false = 0
    for row in rows:
        hits = found(gaz, row["sentence"])[0]
        names = [n.strip().lower() for n in row["locations"].split(";")] if row["locations"] else []
        coords = row["location_coords"].split(";") if row["location_coords"] else []
        gold = [(n, tuple(map(float, c.split(",")))) for n, c in zip(names, coords, strict=True) if c.strip()]
        got = [(g[1].lower(), (g[2], g[3])) for g in hits]
        scored += len(gold)
        if loose:
            near += sum(any(m.startswith(n) or km(p, q) <= 40 for m, q in got) for n, p in gold)
            named = [m for m, _ in got if any(m == n or m.startswith(n + " ") for n in names)]
        else:
            near += sum(any(n == m or km(p, q) <= 40 for m, q in got) for n, p in gold)
            named = [m for m, _ in got if m in names]
        false += sum(m not in named and not any(km(p, q) <= 40 for _, p in gold) for m, q in got)
    return near, scored, false


def test_places_of_conflicts_in_no_gold_set(gaz: places.Gazetteer) -> None:
    """Sentences written for this project from conflicts in none of the gold sets (Burkina Faso, the West Bank
    and Gaza, Manipur, Venezuela, southern Thailand, Casamance, Papua, Sinai, Western Sahara...), one at a time.
    Written and scored before the fixes they led to: 30/41 within 40 km, 3 false places (after adding four places
    the gold first forgot: the sentences' countries and Cabo Delgado); with the cue of "the Jenin refugee camp", a
    lone town named as written that a named neighbour country no longer drops ("Cuamba ... toward Malawi") and
    regencies: 34/41, 3. Still missed: towns no package has (Bunagana, Mahbes, Mecula, Arbinda as written),
    Casamance, the new Central Papua province; false: the curated Sahel for Burkina Faso's Sahel Region, Sinai for
    North Sinai.

    A second batch (elsewhere2.csv: Benin, north-east Syria, Sistan-Baluchestan, Somaliland, western Uganda,
    Chhattisgarh, Manipur, Cauca, Rio, Burundi, Rwanda...): 37/39, 2 false places (after adding two places the gold
    first forgot: Lebanon, the Sahel region) before "Mogadishu's Lido beach area" stopped being Lido Beach, New
    York (a town's name of several words is written with capitals); 37/39, 1 after. Missed: Kuriga and Mokha (in
    no table); false: "the W National Park" read as the town National Park. ("near the border with Congo", once
    "Congo" was read as the country, is DR Congo: the gold had left it out, as it names border countries elsewhere.)"""
    near, scored, false = score_batch(gaz, ELSEWHERE / "elsewhere.csv", loose=True)
    assert scored == 41
    assert near >= 34 and false <= 3, (near, false)
    near, scored, false = score_batch(gaz, ELSEWHERE / "elsewhere2.csv", loose=True)
    assert scored == 39
    assert near >= 37 and false <= 1, (near, false)


@pytest.mark.parametrize(
    "text",
    [
        "A Police department spokesman said the roads were closed.",  # Police County, Poland, is a county
        "The Forest Department said the fires were out.",  # Forest County, Wisconsin
    ],
)
def test_a_unit_needs_its_own_type_noun(text: str, gaz: places.Gazetteer) -> None:
    """A unit counts before "district" or its own type ("Magwi County", "Soum Province"), not before any unit noun
    of another country's units."""
    assert found(gaz, text) == [[]]


def test_a_country_named_as_the_side_that_did_it_is_no_place(gaz: places.Gazetteer) -> None:
    """ "an attack by Israel", "Hezbollah blamed Israel", "by Israel's spy agency": the side that acted
    (``agent_before``), not where it happened; so is a country joined to it ("by Egypt and Qatar"). A place after
    all: "by Israel's northern border" (a stretch of land), and "talks hosted by Norway" (``host_words``)."""
    assert found(gaz, "Officials said nine were killed in what they called an attack by Israel.") == [[]]
    assert found(gaz, "Hezbollah blamed Israel for the blasts.") == [[]]
    assert found(gaz, "The blasts were carried out by Israel's spy agency.") == [[]]
    assert [g[1] for g in found(gaz, "Rockets fired by Egypt and Qatar hit Gaza.")[0]] == ["Gaza Strip"]
    assert [g[1] for g in found(gaz, "Shells fell by Israel's northern border.")[0]] == ["Israel"]
    assert [g[1] for g in found(gaz, "Talks hosted by Norway began.")[0]] == ["Norway"]


def test_where_victims_come_from_is_no_place(gaz: places.Gazetteer) -> None:
    """ "a tourist from Nepal", "a UAE national", "two foreign nationals, one each from the UAE and Nepal": where
    people come from (``origin_nouns``), not where it happened; "Tourists fled from Kashmir" is a place."""
    assert found(gaz, "A tourist from Nepal was among the dead.") == [[]]
    assert found(gaz, "A UAE national died in the attack.") == [[]]
    got = found(gaz, "The dead included two foreign nationals, one each from the UAE and Nepal, in Pahalgam.")[0]
    assert [g[1] for g in got] == ["Pahalgam"]
    assert [g[1] for g in found(gaz, "Tourists fled from Kashmir.")[0]] == ["Kashmir"]


def test_a_likeness_is_no_place(gaz: places.Gazetteer) -> None:
    """ "meadows known as “mini Switzerland”", "a little Beirut" (``likeness_words``, in lower case) compare a
    place to another; "Little Rock" is a name."""
    assert found(gaz, "Gunmen opened fire in the meadows known as “mini Switzerland”.") == [[]]
    assert found(gaz, "The camp has become a little Beirut.") == [[]]


def test_congo_alone_is_a_country_not_a_small_town_abroad(gaz: places.Gazetteer) -> None:
    """ "eastern Congo" is the country (DR Congo, the larger, when the document names neither), never the small
    Brazilian town of that name."""
    got = found(gaz, "Rebels attacked a church in eastern Congo.")[0]
    assert [(g[1], g[5]) for g in got] == [("DR Congo", "country")]
    got = found(gaz, "Gunmen killed six soldiers in Cibitoke province, near the border with Congo.")[0]
    assert [g[1] for g in got] == ["Cibitoke Province", "DR Congo"]


def test_a_town_spelt_one_vowel_apart_abroad_is_no_likeness(gaz: places.Gazetteer) -> None:
    """ "Mambasa" in a report on DR Congo is not Mombasa, Kenya, which the gazetteer lists under that spelling:
    a name one vowel apart from a town's own name, outside the document's main country, is no place; alone, with
    nothing to say where the document is, it stays the town."""
    got = found(gaz, "Rebels killed ten in Beni, in DR Congo's North Kivu province.",
                "In February, 23 civilians were killed in Mambasa.")
    assert [g[1] for g in got[1]] == []
    assert [g[1] for g in found(gaz, "Fighting in Mambasa.")[0]] == ["Mombasa"]


def test_a_towns_feature_is_not_a_small_namesake_abroad(gaz: places.Gazetteer) -> None:
    """ "Lido Beach" in a report on Mogadishu is the city's beach, which no gazetteer holds, not Lido Beach, a
    village of New York; the sentence keeps its other place. Where the document is about that country, or says
    nothing of where it is, the namesake stays."""
    got = found(gaz, "Militants attacked a restaurant on Lido Beach in Mogadishu, Somalia's capital, on Friday.",
                "Survivors said gunmen opened fire on swimmers at Lido Beach.")
    assert [g[1] for g in got[0]] == ["Mogadishu", "Somalia"]
    assert [g[1] for g in got[1]] == []
    assert "Lido Beach" in [g[1] for g in found(gaz, "A storm flooded homes in Lido Beach, New York.")[0]]


def test_a_town_said_to_lie_in_a_country_is_none_of_its_namesakes_elsewhere(gaz: places.Gazetteer) -> None:
    """ "the coastal town of Palma in northern Mozambique": a town the gazetteer does not know there, not Palma,
    Mallorca (a big city, which the size of namesakes abroad would otherwise pick), here and later in the
    document; but "refugees from Aleppo in Turkey" came from Aleppo, and a town that lies there stays."""
    got = found(gaz, "Insurgents overran a hotel in the coastal town of Palma in northern Mozambique's Cabo Delgado.",
                "The Palma attack lasted days.")
    assert [g[1] for g in got[0]] == ["Mozambique", "Cabo Delgado Province"]
    assert [g[1] for g in got[1]] == []
    assert [g[1] for g in found(gaz, "Refugees from Aleppo in Turkey protested.")[0]] == ["Aleppo", "Turkey"]
    assert "Springfield" in [g[1] for g in found(gaz, "Fighting in the town of Springfield in Illinois.")[0]]


def test_every_place_knows_its_first_level_region(gaz: places.Gazetteer) -> None:
    """A place carries the code of the first-level region it lies in (``admin1``, GeoNames' "PK.03"), so that
    grouping can tell a town of a province from one across its border; a curated province written without its
    code ("Khyber Pakhtunkhwa", "Borno") takes that of the derived region of its country that bears its name."""
    hits = places.find_places(sentences_of(
        "A blast hit Khar in Khyber Pakhtunkhwa.", "Gunmen struck Maiduguri in Borno."), gaz)
    regions = [[(p.name, p.admin1) for _, p in sentence] for sentence in hits]
    assert [r[1] for r in regions[0]] == ["PK.03", "PK.03"] and regions[0][0][0] == "Khar"
    assert regions[1][0][1] == regions[1][1][1] != ""
    lookup = gazetteer.lookup_in(gaz.index)
    for name in ("khyber pakhtunkhwa", "borno"):  # the curated entry and the derived region alike
        entries = [e for e in lookup(name)[0] if gaz.index.kind(e) == "admin"]
        assert len(entries) >= 2 and len({gaz.index.admin1[e] for e in entries}) == 1, name


def test_a_district_its_document_names_with_its_noun_counts_by_its_bare_name(gaz: places.Gazetteer) -> None:
    """ "Bajaur district" in one sentence makes "a blast in Bajaur" in another the district; in a document that
    never names the district with its noun, "in Bajaur" alone stays no place (a unit's name alone is too often a
    person's or a word's)."""
    named = found(gaz, "Gunmen attacked a rally in the Bajaur district on Sunday.",
                  "The leader was killed in a blast in Bajaur, police said.")
    assert [h[1] for h in named[1]] == [h[1] for h in named[0]] == ["Bajaur District"]
    assert found(gaz, "The leader was killed in a blast in Bajaur, police said.") == [[]]
