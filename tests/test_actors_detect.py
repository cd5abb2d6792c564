"""Actors detected from the text (pipeline/actors/detect.py) and countries that act (pipeline/actors/match.py).

Every sentence here is written for this project; the names in the detection cases are in no dictionary file,
so only the rules can find them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import actors
from tests.conftest import sentences_of

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def index() -> actors.ActorIndex:
    return actors.load_index(DATA)




def names_per_sentence(index: actors.ActorIndex, *texts: str) -> list[set[str]]:
    return [{m.value for m in found} for found in actors.find_actors(sentences_of(*texts), index)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # organisations and armed groups by their head noun
        ("The Kivu Liberation Front said it had seized two villages.", {"Kivu Liberation Front"}),
        ("Fighters of the Northern Shield Brigade entered the town.", {"Northern Shield Brigade"}),
        ("The Alliance Patriotique Nord claimed the ambush.", {"Alliance Patriotique Nord"}),
        ("The Revolutionary Forces of Tamaru attacked a convoy.", {"Revolutionary Forces of Tamaru"}),
        ("Colonel Ana Ruiz, commander of the 4th Brigade, spoke.", {"Ana Ruiz", "4th Brigade"}),
        ("The Gulf Clan denied any role.", {"Gulf Clan"}),
        # a count or a date before the name is not part of it (a page's "date 2025-03-16" glued to its first line)
        ("Three Kivu Border Corps soldiers were killed.", {"Kivu Border Corps"}),
        ("date 2025-03-16 Kivu Border Corps soldiers were killed.", {"Kivu Border Corps"}),
        ("The 212th Brigade and the 31 Brigade moved north.", {"212th Brigade", "31 Brigade"}),
        # ... but a name of generic words names no one in particular, and a facility is not an actor
        ("According to the Interior Ministry, the clashes stopped.", set()),
        ("Security Forces were deployed overnight.", set()),
        ("The National Army said nothing.", set()),
        ("Gunmen stormed the Government Secondary School in the town.", set()),
        # ... nor is an area ("Local Government Area", Nigeria's second-level unit): a place, not who acted
        ("Gunmen attacked villages in the Kanam and Wase Local Government Areas of the state.", set()),
        ("The raid hit the Tarok Local Government Area on Sunday.", set()),
        # a capitalised name or an acronym before a group noun
        ("Wazalendo militiamen blocked the road.", {"Wazalendo"}),
        ("KLF rebels shelled the airport.", {"KLF"}),
        ("The massacre by the “Ti Makak” gang left dozens dead.", {"Ti Makak"}),  # quoted before its noun
        ("He said “We are leaving” gangs would follow.", set()),  # (a quote's last word is no name)
        ("Kurdish fighters and Sunni militias clashed.", set()),  # peoples and faiths are no group names
        ("Iraqi militias fired rockets.", set()),  # a demonym names no group "Iraqi" (and militias are no state)
        # people: after a title, around a speech verb, in an apposition with a role
        ("Defence Minister Tomas Valdez arrived in the capital.", {"Tomas Valdez"}),
        ("Gen. Peter Okello visited the front.", {"Peter Okello"}),
        ("The Police Public Relations Officer, DSP Musa Bello, confirmed the attack.", {"Musa Bello"}),
        ("Amina Yusuf, senior special assistant to the governor, spoke on Monday.", {"Amina Yusuf"}),
        ("Nuri Hassan said the convoy had been hit.", {"Nuri Hassan"}),
        ("The convoy was hit, said Ahmed Farouk.", {"Ahmed Farouk"}),
        ("Aid workers in Port-au-Prince, Haiti, said the roads were closed.", set()),  # "Prince" is no role here
        ("The Army of Terror is a book about the group.", set()),
    ],
)
def test_detected_in_sentence(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text)[0] == expected


def test_an_acronym_defined_once_names_its_actor_later(index: actors.ActorIndex) -> None:
    found = names_per_sentence(
        index,
        "The Coastal Salvation Movement (CSM) said its fighters held the port.",
        "CSM spokesman Idris Mahdi told reporters the port was calm.",
        "The CSM denied the charge.",
    )
    assert found == [
        {"Coastal Salvation Movement"},
        {"Coastal Salvation Movement", "Idris Mahdi"},
        {"Coastal Salvation Movement"},
    ]


def test_an_acronym_makes_a_generic_looking_name_a_name(index: actors.ActorIndex) -> None:
    found = names_per_sentence(index, "The Southern Transitional Council (STC) took Aden.", "The STC said so.")
    assert found == [{"Southern Transitional Council"}, {"Southern Transitional Council"}]


def test_a_short_form_after_the_full_name_is_the_same_person(index: actors.ActorIndex) -> None:
    found = names_per_sentence(
        index,
        "Valdez said nothing.",  # before the full name: no one
        "Opposition activist Rosa Maria Valdez was detained.",
        "Valdez was released on bail.",
        "Prosecutor Ivan Kolar said Maria Valdez had been charged.",
    )
    assert found == [set(), {"Rosa Maria Valdez"}, {"Rosa Maria Valdez"}, {"Ivan Kolar", "Rosa Maria Valdez"}]


def test_detected_actors_carry_their_type_and_source(index: actors.ActorIndex) -> None:
    named = actors.read_actors(
        sentences_of("Interior Minister Aliou Barry said the Sahel Freedom Front had attacked Turkish troops."), index
    )
    assert named.actors["Aliou Barry"].type == "person"
    assert named.actors["Aliou Barry"].source == "detected"
    assert named.actors["Sahel Freedom Front"].type == "armed group"
    assert named.actors["Turkey"].source == "dictionary"


@pytest.mark.parametrize(
    "text, expected",
    [
        # a country or capital of states.csv acts only where the text says so
        ("Kinshasa accused Kigali of sending troops.", {"DR Congo", "Rwanda"}),
        ("Nairobi on Tuesday recalled its ambassador.", {"Kenya"}),
        ("The proposal was put forward by Peru and Chile.", {"Peru", "Chile"}),
        ("Security forces in Mali repelled the attack.", {"Mali"}),
        ("Police in Haiti said three officers died.", {"Haiti"}),
        ("Myanmar military aircraft bombed a school.", {"Myanmar"}),
        ("Ecuador's prison agency stated that six prisons had riots.", {"Ecuador"}),
        ("Sudanese army chief Abdel Fattah al-Burhan vowed to fight on.", {"Abdel Fattah al-Burhan"}),
        ("Honduran soldiers patrolled the border.", {"Honduras"}),
        # ... and is a place, a possessor or a label elsewhere
        ("Somalia has been at war since 1991.", set()),
        ("Libya has witnessed violence since 2011.", set()),
        ("A bomb exploded in Mogadishu, Somalia.", set()),
        ("Rebels in the Central African Republic on Wednesday launched two attacks.", set()),
        ("Chile's military leader spoke on Monday.", set()),
        ("Rwanda-backed rebels took the town.", set()),
        ("Ecuador's most-wanted prisoner escaped.", set()),
        ("He flew to Nairobi on Monday.", set()),
        ("An attack in Bamako killed five.", set()),
        ("Cameron said the plan had failed.", set()),  # keyed like "Cameroon", not written like it
        ("Man killed in the market.", set()),
    ],
)
def test_countries_act_only_where_the_text_says_so(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text)[0] == expected


def test_generic_names_count_only_where_the_document_names_their_actor(index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, "Government forces took the hill.") == [set()]
    found = names_per_sentence(index, "Government forces took the hill.", "Damascus denied it on Monday.")
    assert found == [{"Syrian government"}, {"Syrian government"}]


def test_every_state_is_in_the_index(index: actors.ActorIndex) -> None:
    for state in ["Sudan", "Mali", "Myanmar", "DR Congo", "Kosovo", "Peru", "Niger"]:
        assert index.actors[state].type == "state", state
    assert index.demonyms["nigerien"] == "Niger" and index.demonyms["nigerian"] == "Nigeria"


@pytest.mark.parametrize(
    "text, person, affiliation",
    [
        ("RSF commander Abdelrahim Dagalo said the army had fled.", "Abdelrahim Dagalo", "Rapid Support Forces"),
        ("Kenyan police chief Japhet Koome said so.", "Japhet Koome", "Kenya"),
        ("Opposition leader Ana Ruiz spoke.", "Ana Ruiz", ""),
    ],
)
def test_a_title_gives_the_affiliation(text: str, person: str, affiliation: str, index: actors.ActorIndex) -> None:
    named = actors.read_actors(sentences_of(text), index)
    assert named.actors[person].affiliation == affiliation
    assert person in {m.value for m in named.mentions[0]}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Saudi Arabia and the United Arab Emirates called for a ceasefire.", {"Saudi Arabia", "United Arab Emirates"}),
        ("Peru and Chile signed the accord.", {"Peru", "Chile"}),
        ("Peru and Chile are neighbours.", set()),
    ],
)
def test_coordinated_countries_share_their_verb(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text)[0] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Viv Ansanm leader Jimmy Cherizier said the fighters would stay.", {"Viv Ansanm", "Jimmy Cherizier"}),
        ("Opposition leader Raila Odinga called for calm.", {"Raila Odinga"}),
        ("Mozambican and Rwandan troops routed Islamic State-linked insurgents.", {"Mozambique", "Rwanda"}),
        ("President Filipe Nyusi thanked Kigali for its support.", {"Filipe Nyusi", "Rwanda"}),
        ("Kenyan officers patrolled the capital.", {"Kenya"}),
        ("The Palestinian Health Ministry said 12 people died.", {"Palestine"}),
    ],
)
def test_groups_before_a_role_labels_and_objects(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text)[0] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Tehrik-e-Jihad Pakistan group claimed the attack.", {"Tehrik-e-Jihad Pakistan"}),
        ("Fighters of the Sudan Liberation Movement clashed with the army.", {"Sudan Liberation Movement"}),
        ("Kenya Defence Forces killed five.", {"Kenya"}),  # a country's own forces are the state
        ("The Pakistan group left.", set()),
    ],
)
def test_a_country_inside_a_name(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text)[0] == expected


def test_a_number_or_a_pronoun_names_no_group(index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, "One group invaded the police station.", "Another gang fled.") == [set(), set()]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Ministry of Social Affairs condemned the killings.", set()),  # an institution of no named state
        ("The Gaza Health Ministry said 20 people died.", set()),  # Gaza is no state
        ("The Kivu Defence Ministry denied it.", set()),
        ("Gunmen Kill Five Villagers, Local Officials Say", set()),  # a headline: capitals prove nothing
    ],
)
def test_institutions_and_headlines(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text)[0] == expected


def test_a_group_found_once_is_found_again_without_its_cue(index: actors.ActorIndex) -> None:
    found = names_per_sentence(
        index,
        "Gunmen of the Bakassi Boys vigilante group attacked a post.",
        "The Bakassi Boys denied it on Saturday.",
        "President Hassan Sheikh Mohamud visited the town; Mohamud said the army would stay.",
    )
    assert found == [{"Bakassi Boys"}, {"Bakassi Boys"}, {"Hassan Sheikh Mohamud"}]


def test_a_document_defines_an_acronym_the_dictionary_gives_another_meaning(index: actors.ActorIndex) -> None:
    # The dictionary's "AA" is a news agency (a source, never an actor); this document says what it means.
    found = names_per_sentence(
        index,
        "The Arakan Army (AA) said it had overrun a junta outpost.",
        "The AA also said it held 12 soldiers.",
    )
    assert found == [{"Arakan Army"}, {"Arakan Army"}]
    assert names_per_sentence(index, "The AA said the rebels had seized the town.") == [set()]  # a source here


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Two people were killed in the strike, Lebanese state media reported.", set()),
        ("Iranian state television said the talks would resume.", set()),
        ("Sudanese state media said the army had retaken the bridge.", set()),
        ("Lebanese troops deployed along the border, state media said.", {"Lebanon"}),
    ],
)
def test_a_demonym_before_media_is_a_source(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names_per_sentence(index, text) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Zambia's deputy defence minister accused Malawi of arming the rebels.", {"Zambia", "Malawi"}),
        ("Zambia's foreign minister Mwila Banda said the talks had failed.", {"Mwila Banda"}),
        ("Lusaka drove the rebels out of the border district.", {"Zambia"}),
    ],
)
def test_a_state_acts_through_an_unnamed_office_or_an_irregular_verb(
    text: str, expected: set[str], index: actors.ActorIndex
) -> None:
    assert names_per_sentence(index, text) == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rebels toppled the government of Amadou Tembely Kone in a night.", {"Amadou Tembely Kone"}),
        ("Forces loyal to Jonas Malaika Dembo took the bridge.", {"Jonas Malaika Dembo"}),
        ("The government of Zambia protested.", {"Zambia"}),  # a state, no person
    ],
)
def test_a_leader_named_by_the_government_or_forces_loyal_to_them(
    text: str, expected: set[str], index: actors.ActorIndex
) -> None:
    assert names_per_sentence(index, text) == [expected]
