"""Issue 11 on wording no bench set uses (a cargo port, a museum, an airline, a school, a parish,
a theatre, a football club): a title or rank with a surname alone ("Inspector Brandt") resolves
to the one person of that surname (English titles, other languages' honorifics: "Frau Keller",
"Señora Ortiz"; names whose capital is outside A-Z: "Łukasz", "Şebnem", "Ísak"), stays
unresolved naming both when there are two, and never
reaches a different surname, a place or an identifier; a titled label opening a chat line
("Coach Okeke: ...") is a person speaking, a field label that starts with a title word
("Major incident:", "Judge panel:") is not. Real stack: spaCy, SQLite, Chroma, MiniLM."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import is_person_label, real_memory_fixture, retain_intro

pytestmark = pytest.mark.slow

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

mem = real_memory_fixture("titles")


def _retain(mem: Memory, bank: str, intro: list[str], note: str) -> list[str]:
    return retain_intro(mem, bank, intro, note, T0, note_after_days=30)


def _bank(*parts: str) -> str:
    return f"t-{abs(hash(parts))}"


# (intro, note, variant, canonical): a title and a surname alone, one candidate
TITLED_SURNAME = [
    (["Helga Brandt manages the cargo terminal."], "Inspector Brandt sealed the hold of the grain ship.", "Inspector Brandt", "Helga Brandt"),
    (["Ravi Chandrasekhar teaches year nine chemistry."], "Mr. Chandrasekhar cancelled the field trip.", "Mr. Chandrasekhar", "Ravi Chandrasekhar"),
    (["Leila Haddadi curates the museum's coin room."], "Dr. Haddadi catalogued the Roman hoard.", "Dr. Haddadi", "Leila Haddadi"),
    (["Tobias Lindqvist flies the morning shuttle to Oslo."], "Captain Lindqvist delayed boarding by ten minutes.", "Captain Lindqvist", "Tobias Lindqvist"),
    (["Chidi Okeke coaches the under-twelve football team."], "Coach Okeke rested two players for the cup tie.", "Coach Okeke", "Chidi Okeke"),
    (["Yuki Tanaka is the detective on the arson case."], "Detective Tanaka interviewed the night guard.", "Detective Tanaka", "Yuki Tanaka"),
    (["Declan Brennan serves the hillside parish."], "Father Brennan rang the bells at noon.", "Father Brennan", "Declan Brennan"),
    (["Omar Baker sits on the county bench."], "Judge Baker dismissed the parking appeal.", "Judge Baker", "Omar Baker"),
    (["Professor Mei-ling Zhou runs the theatre studies course."], "Prof. Zhou moved the seminar to Thursday.", "Prof. Zhou", "Professor Mei-ling Zhou"),
    # honorifics of other languages
    (["Étienne Dubois restores the museum's clocks."], "Monsieur Dubois wound the tower clock.", "Monsieur Dubois", "Étienne Dubois"),
    (["Greta Keller runs the harbour pilots' office."], "Frau Keller approved the night pilotage.", "Frau Keller", "Greta Keller"),
    (["Lucía Ortiz keeps the parish accounts."], "Señora Ortiz paid the organ tuner.", "Señora Ortiz", "Lucía Ortiz"),
    # given names starting with a capital outside A-Z
    (["Łukasz Nowak drives the museum's van."], "Mr. Nowak parked the van at the loading bay.", "Mr. Nowak", "Łukasz Nowak"),
    (["Şebnem Aydın runs the night clinic."], "Dr. Aydın discharged two patients.", "Dr. Aydın", "Şebnem Aydın"),
    (["Ísak Jónsson skippers the whale-watching boat."], "Captain Jónsson turned back at the headland.", "Captain Jónsson", "Ísak Jónsson"),
]  # fmt: skip

# (intro, note, variant, candidates): two people share the surname, the variant names neither
TITLED_AMBIGUOUS = [
    (["Helga Brandt manages the cargo terminal.", "Jonas Brandt runs the customs office."], "Inspector Brandt signed the release papers.", "Inspector Brandt", ("Helga Brandt", "Jonas Brandt")),
    (["Sunita Rao leads the paediatric clinic.", "Vikram Rao leads the cardiology clinic."], "Dr. Rao will cover the weekend rota.", "Dr. Rao", ("Sunita Rao", "Vikram Rao")),
    (["Chidi Okeke coaches the under-twelve team.", "Ngozi Okeke coaches the girls' team."], "Coach Okeke booked the minibus.", "Coach Okeke", ("Chidi Okeke", "Ngozi Okeke")),
    (["Greta Keller runs the harbour pilots' office.", "Jonas Keller skippers the tug."], "Herr Keller moored the tug early.", "Herr Keller", ("Greta Keller", "Jonas Keller")),
]  # fmt: skip

# (intro, note, variant): the note's name is someone or something else; nothing merges
NOT_THE_PERSON = [
    (["Helga Brandt manages the cargo terminal."], "Inspector Brand sealed the hold.", "Inspector Brand"),
    (["Tobias Lindqvist flies the morning shuttle."], "Captain Lindgren flies the evening shuttle.", "Captain Lindgren"),
    (["Ravi Chandrasekhar teaches chemistry."], "Mrs. Chandra teaches biology.", "Mrs. Chandra"),
    (["Dr. Helen Chester runs the dental practice."], "The dental practice moved to Chester in May.", "Chester"),
    (["Anil Ford runs the bus depot."], "The Ford Foundation paid for the new depot roof.", "Ford Foundation"),
    (["Gate A4 closes at nine tonight."], "Gate A5 opened early for the charter flight.", "Gate A5"),
    (["Carmen Vidal sings the lead in the opera."], "Major repairs closed the opera house for a week.", "Major"),
    (["Rose Hunter runs the animal shelter."], "Hunter Valley wineries gave the shelter a grant.", "Hunter Valley"),
]  # fmt: skip


@pytest.mark.parametrize("intro,note,variant,canonical", TITLED_SURNAME)
def test_a_title_and_surname_resolve_to_the_one_person(
    mem: Memory, intro: list[str], note: str, variant: str, canonical: str
) -> None:
    bank = _bank(note, variant)
    fact_ids = _retain(mem, bank, intro, note)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "resolved" and ent.name == canonical
    assert {h.fact_id for h in ent.facts} & set(fact_ids)


@pytest.mark.parametrize("intro,note,variant,candidates", TITLED_AMBIGUOUS)
def test_a_title_and_a_shared_surname_stay_unresolved(
    mem: Memory, intro: list[str], note: str, variant: str, candidates: tuple[str, ...]
) -> None:
    bank = _bank(note, variant, "two")
    fact_ids = _retain(mem, bank, intro, note)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "ambiguous"
    assert set(ent.candidates) >= set(candidates)
    for name in candidates:
        person = mem.entity(name, bank=bank)
        assert person is not None and person.status == "resolved"
        assert not {h.fact_id for h in person.facts} & set(fact_ids)


@pytest.mark.parametrize("intro,note,variant", NOT_THE_PERSON)
def test_a_near_name_a_place_or_an_identifier_merges_nothing(
    mem: Memory, intro: list[str], note: str, variant: str
) -> None:
    bank = _bank(note, variant, "no")
    fact_ids = _retain(mem, bank, intro, note)
    from memory.extract.entities import spot_entities

    for text in intro:
        for m in spot_entities(text, 0, len(text))[:1]:
            first = mem.entity(m.name, bank=bank)
            assert first is not None
            assert not {h.fact_id for h in first.facts} & set(fact_ids), (m.name, variant)


def _is_person(mem: Memory, text: str, label: str) -> bool:
    return is_person_label(mem, text, label, _bank(text, label, "label"), T0)


TITLED_SPEAKERS = [
    ("Inspector Brandt: I want the manifest on my desk by noon.", "Inspector Brandt"),
    ("Dr. Haddadi: The coins are older than we thought.", "Dr. Haddadi"),
    ("Father Brennan: Please keep the side door locked.", "Father Brennan"),
    ("Coach Okeke: We train again on Thursday.", "Coach Okeke"),
    ("Detective Tanaka: Where were you on Friday night?", "Detective Tanaka"),
    ("Professor Zhou: Read the second act before the seminar.", "Professor Zhou"),
    ("Mrs. Achebe: My stall opens late tomorrow.", "Mrs. Achebe"),
    ("Senator Valdés: I will vote against the amendment.", "Senator Valdés"),
]

NOT_SPEAKERS = [
    ("Judge panel: scores are due by Friday.", "Judge panel"),
    ("Major incident: the ferry lost power at sea.", "Major incident"),
    ("General availability: we ship the app in May.", "General availability"),
    ("Officer notes: the rear door was forced.", "Officer notes"),
    ("Sister site: Lisbon takes the overflow calls.", "Sister site"),
    ("Coach schedule: the bus leaves at seven.", "Coach schedule"),
    ("09:30: we start the fire drill.", "09:30"),
    ("Q3: our revenue rose by a tenth.", "Q3"),
    pytest.param(
        "Lisbon: we opened the second office.",
        "Lisbon",
        # the small spaCy model reads "Lisbon" as a person or an organisation in some frames, and
        # "we" is speech: a known gap, kept visible (strict: it fails loudly once it passes)
        marks=pytest.mark.xfail(
            strict=True, reason="a one-word place label with speech reads as a speaker"
        ),
    ),
    ("Action items: I send the minutes tomorrow.", "Action items"),
    ("Owner: Tobias Lindqvist", "Owner"),
    ("Note: the captain will call you back.", "Note"),
]


@pytest.mark.parametrize("text,label", TITLED_SPEAKERS)
def test_a_titled_label_is_a_person_speaking(mem: Memory, text: str, label: str) -> None:
    assert _is_person(mem, text, label)


@pytest.mark.parametrize("text,label", NOT_SPEAKERS)
def test_a_field_label_with_a_title_word_is_no_speaker(mem: Memory, text: str, label: str) -> None:
    assert not _is_person(mem, text, label)
