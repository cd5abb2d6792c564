"""Actor matching: dictionary names, acronyms, metonymy, demonyms, titles, surnames, sources, candidates."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline import actors
from pipeline.namekeys import name_key
from tests.conftest import sentences_of

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def index() -> actors.ActorIndex:
    return actors.load_index(DATA)




def names(text: str, index: actors.ActorIndex) -> set[str]:
    return {m.value for m in actors.find_actors(sentences_of(text), index)[0]}


@pytest.mark.parametrize(
    "text, expected",
    [
        # states and their capitals when they act
        ("Ankara rejects any new offensive.", {"Turkey"}),
        ("Moscow accused Ankara of failing to act.", {"Russia", "Turkey"}),
        ("Talks between Ankara and Moscow stalled.", {"Turkey", "Russia"}),
        ("Tehran said the strike was illegal.", {"Iran"}),
        # ... and are places, not actors, where something happens there
        ("The delegations met in Ankara on Monday.", set()),
        ("Officials flew to Moscow and then to Tehran.", set()),
        ("Shelling continued across northwest Syria.", set()),
        ("Troops massed in Syria's Idlib province.", set()),
        ("Protests were held in Paris and Berlin.", set()),
        ("Soldiers patrolled the border with Syria.", set()),
        # demonym + force or institution noun is the state; a title adjective alone is not
        ("Turkish forces shelled the village.", {"Turkey"}),
        ("Russian jets bombed the market.", {"Russia"}),
        ("The Russian foreign ministry issued a statement.", {"Russia"}),
        ("A Turkish armored vehicle was hit.", {"Turkey"}),
        ("Turkish and Russian officials met again.", {"Turkey", "Russia"}),
        ("They rejected a Russian-Turkish intervention.", {"Russia", "Turkey"}),
        ("Turkish President Recep Tayyip Erdogan spoke.", {"Recep Tayyip Erdogan"}),
        ("US special envoy James Jeffrey arrived.", {"James Jeffrey"}),
        ("Kremlin spokesman Dmitry Peskov declined to comment.", {"Dmitry Peskov"}),
        ("UN envoy Geir Pedersen briefed reporters.", {"Geir Pedersen"}),
        ("European Union foreign ministers met in Zagreb.", {"European Union"}),  # a title, but no person
        ("A Turkish Defence Ministry spokeswoman said two soldiers were hurt.", {"Turkey"}),  # no person: the state
        ("The UN envoy for Syria, Geir Pedersen, spoke.", {"Geir Pedersen"}),
        ("Nasrallah warned against any attack on Lebanon.", {"Hassan Nasrallah"}),  # the place attacked
        ("Syrian state media said the army advanced.", set()),
        ("Turkey's National Security Council met.", {"Turkey"}),
        ("Militias shelled US positions near the field.", {"United States"}),
        ("Turkish soldiers would not leave Syria.", {"Turkey"}),
        ("The opposition criticised the government's Syria policy.", set()),
        ("The Syrian jihadist group rejected the plan.", set()),
        ("Syrian rebel fighters returned from the front.", set()),
        # the Syrian government's forms of reference
        ("The regime shelled the town.", set()),  # a generic name: only where the document names Syria
        ("Assad's forces advanced on the town.", {"Syrian government"}),
        ("Government forces took the hill.", set()),
        ("The al-Assad regime was given an ultimatum.", {"Syrian government"}),
        ("Damascus condemned the raid.", {"Syrian government"}),
        ("President Bashar al-Assad visited the front.", {"Bashar al-Assad"}),
        # spelling variants and case rules
        ("Hay’at Tahrir Al-Sham fighters withdrew.", {"HTS"}),
        ("HAYAT TAHRIR AL-SHAM is listed.", {"HTS"}),
        ("The former Nusra front line held.", {"HTS"}),
        ("İbrahim Kalın spoke to reporters.", {"Ibrahim Kalin"}),
        ("Mevlüt Çavuşoğlu met his counterpart.", {"Mevlut Cavusoglu"}),
        ("Let us see what the US does next.", {"United States"}),
        ("The U.S. and its allies disagreed.", {"United States"}),
        ("Give us the hts file.", set()),
        ("SAA troops destroyed an HTS tank.", {"Syrian government", "HTS"}),  # "SAA" keys like a word: "sa"
        ("We bought a turkey for the holiday.", set()),
        ("Members of the US-led coalition met.", {"US-led coalition"}),
        # the Yemen war coalition by the names outlets give it
        ("A Saudi coalition airstrike hit a school bus.", {"Saudi-led coalition"}),
        ("An airstrike launched by the Saudi Arabian-led military coalition hit a bus.", {"Saudi-led coalition"}),
        # a state's allies or proxies act, not the state
        ("Dozens were killed in an airstrike on Thursday by U.S. allies on a bus.", set()),
        ("Iranian proxies fired rockets at the base.", set()),
        ("Russia's allies shelled the town.", set()),
        ("US troops and their allies shelled the town.", {"United States"}),
        ("LET US SEE WHAT TURKEY DOES", {"Turkey"}),  # all capitals: "US" may be a word, "HTS" is not
        ("WHAT IS HTS PLANNING IN IDLIB?", {"HTS"}),
        # media and monitors are sources
        ("Reuters reported the strike, citing the Syrian Observatory for Human Rights.", set()),
        ("The state news agency SANA and Anadolu carried the statement.", set()),
        # "X-backed" is a label: the backer is neither actor nor place
        ("Ankara-backed rebels refused to withdraw.", set()),
        ("Turkish-backed factions clashed with HTS.", {"HTS"}),
        ("Michael Jordan said the team would win.", set()),  # a state name inside a person's name
        ("Kurds Say US Betrayed Them As Turkey Launches Offensive", {"United States", "Turkey"}),  # a headline
        ("A London-based monitor counted the dead.", set()),
        ("Militants ambushed a Frontier Corps patrol near the border.", {"Frontier Corps"}),  # Pakistan's paramilitary
    ],
)
def test_actors_in_sentence(text: str, expected: set[str], index: actors.ActorIndex) -> None:
    assert names(text, index) == expected


def test_surname_only_after_a_full_mention(index: actors.ActorIndex) -> None:
    found = actors.find_actors(
        sentences_of("Akar said nothing.", "Defence Minister Hulusi Akar arrived.", "Akar said troops would stay."),
        index,
    )
    assert [{m.value for m in s} for s in found] == [set(), {"Hulusi Akar"}, {"Hulusi Akar"}]


def test_dotted_acronym_mention_keeps_its_dot(index: actors.ActorIndex) -> None:
    (mention,) = actors.find_actors(sentences_of("The U.S. said so."), index)[0]
    assert (mention.text, mention.value) == ("U.S.", "United States")


def test_mentions_carry_document_offsets(index: actors.ActorIndex) -> None:
    sents = sentences_of("Nothing here.", "Later, Ankara rejects the plan.")
    text = " ".join(s.text for s in sents)
    (mention,) = actors.find_actors(sents, index)[1]
    assert (mention.kind, mention.text, mention.value) == ("actor", "Ankara", "Turkey")
    assert text[mention.start : mention.end] == "Ankara"


def test_candidates_are_unknown_names_next_to_roles_or_speech(index: actors.ActorIndex) -> None:
    sents = sentences_of(
        "Mostafa Mahamed, a former spokesperson for the group, said so on Twitter.",
        "Analyst Karim Haddad said the truce was fragile.",
        "Omar Bakri told reporters the town had fallen.",
        "Recep Tayyip Erdogan said the posts would stay.",
        "Kafr Nabl and Saraqib were shelled.",
    )
    found = actors.find_actors(sents, index)
    got = [c.name for c in actors.find_candidates(sents, index, found)]
    assert got == ["Mostafa Mahamed", "Karim Haddad", "Omar Bakri"]


def test_dictionary_is_consistent(index: actors.ActorIndex) -> None:
    rows = actors.dictionary_rows(DATA)
    assert len(rows) == len(index.actors), "canonical names must be unique"
    known = set(index.actors)
    for row in rows:
        assert row["type"], row["name"]
        if row["affiliation"]:
            assert row["affiliation"] in known, f"{row['name']}: unknown affiliation {row['affiliation']!r}"
        if row["type"] == "person":
            assert row["name"].isascii(), f"people by full ASCII name: {row['name']}"
    # one key may only name one actor (surnames aside), else the dictionary is ambiguous
    clashes = {
        key: {a.actor for a in aliases if a.form != "surname"}
        for key, aliases in index.aliases.items()
        if len({a.actor for a in aliases if a.form != "surname"}) > 1
    }
    assert not clashes, clashes


def test_dictionary_covers_the_conflict(index: actors.ActorIndex) -> None:
    expected = [
        "Turkey", "Russia", "Iran", "United States", "Syrian government", "HTS", "Syrian National Army",
        "National Front for Liberation", "Hurras al-Din", "Turkistan Islamic Party", "Syrian Democratic Forces",
        "Vladimir Putin", "Sergei Lavrov", "Hulusi Akar", "Ali Khamenei", "Mike Pompeo", "Devlet Bahceli",
    ]  # fmt: skip
    for name in expected:
        assert name in index.actors, name
    assert index.actors["Dmitry Peskov"].affiliation == "Russia"
    assert index.actors["Bashar al-Assad"].affiliation == "Syrian government"
    assert name_key("Hay’at Tahrir al-Sham") in index.aliases


def test_loading_and_matching_are_cheap(index: actors.ActorIndex) -> None:
    start = time.perf_counter()
    actors.load_index(DATA)
    assert time.perf_counter() - start < 1.0
    sents = sentences_of(*["Turkish forces and HTS militants clashed near Saraqib, the regime said."] * 200)
    start = time.perf_counter()
    actors.find_actors(sents, index)
    assert (time.perf_counter() - start) / len(sents) < 0.002


WALK_TEXTS = [
    "The Turkish defence minister said the Syrian army and the Syrian Democratic Forces had met in Ankara.",
    "THE U.S. AND THE UN SAID IT WAS OVER, LET US SEE.",
    "Hayat Tahrir al-Sham's fighters and Assad's forces clashed; a spokesman for the US-led coalition said so.",
    "the kremlin and the white house said nothing on the matter of the a-b talks.",
    "Akar said the Turkish-backed factions and Russian-Turkish patrols were in Idlib's south.",
]


@pytest.mark.parametrize("text", WALK_TEXTS)
def test_name_walks_skip_only_words_that_open_no_key(text: str, index: actors.ActorIndex) -> None:
    """The shortcut in ``name_walks`` drops a word only when its full walk finds nothing."""
    from pipeline.actors.dictionary import _walk
    from pipeline.namekeys import tokens_of

    tokens = tokens_of(text)
    walks = actors.name_walks(tokens, index)
    assert walks, text
    for i, token in enumerate(tokens):
        full = _walk(tokens, i, index) if token.key in index.starters else ()
        assert walks.get(i, ()) == full, (text, i, token.text)


def test_shared_walks_change_no_stage(index: actors.ActorIndex) -> None:
    from pipeline import places

    gaz = places.load_gazetteer(DATA, index)
    sents = sentences_of(*WALK_TEXTS, "Ibrahim Kalin said Kalin would go to Ankara; spokesman Karim Haddad said so.")
    walks = actors.document_walks(sents, index)
    found = actors.find_actors(sents, index)
    assert actors.find_actors(sents, index, walks) == found
    assert places.find_places(sents, gaz, walks) == places.find_places(sents, gaz)
    assert actors.find_candidates(sents, index, found, walks) == actors.find_candidates(sents, index, found)
