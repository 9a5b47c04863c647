"""Issue 11, given names on wording no bench set uses (an orchestra, a law firm, a courier depot,
a vineyard, a brewery, a mill; a rehearsal chat, a school staff room, a tearoom; a tuning shop,
a greenhouse, an apiary): a given name the parse reads as a place or a make stays apart from
the person who bears it (the object of "in", of a verb of touring, of a journey "to"; a
modifier the NER model runs into its noun, or of a plural noun), while the same name as a
subject, an object or a recipient is the person, also after a place of that spelling was
recorded; a line label that is a lone given name is a person speaking when the body is a
request, the NER model reads a full name as a person in every frame, or the bank knows a
person of that name, while headings stay labels; shared surnames and given names with two
candidates are ambiguous, a compatible variant with one candidate resolves, and near-miss
spellings never merge. Real stack: spaCy, SQLite, Chroma, MiniLM."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from memory.memory import Memory
from tests.memory.conftest import entity_holds, is_person_label, real_memory_fixture, retain_intro

pytestmark = pytest.mark.slow

T0 = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)

mem = real_memory_fixture("given_names")

FLORENCE = ["Florence Hart plays first violin in the orchestra."]
LINCOLN = ["Lincoln Moss manages the law firm's archive."]
AUSTIN = ["Austin Reed runs the courier depot."]
SAVANNAH = ["Savannah Price prunes the vines at the vineyard."]
VICTORIA = ["Victoria Okafor brews the stout at the brewery."]
ADELAIDE = ["Adelaide Cross repairs the looms at the mill."]


def _retain(mem: Memory, bank: str, intro: list[str], note: str) -> list[str]:
    return retain_intro(mem, bank, intro, note, T0, note_after_days=20)


def _bank(*parts: object) -> str:
    return f"g-{abs(hash(parts))}"


# (intro, note, the person): the given name is a place or a make, never its bearer
MORGAN = ["Morgan Hale drives taxi 12."]
_LOOSE = pytest.mark.xfail(strict=True, reason="a first name read as a PERSON in 2 of 3 frames")
NOT_THE_PERSON = [
    (FLORENCE, "The orchestra toured Florence in May.", "Florence Hart"),
    (FLORENCE, "Our cellos were stored in Florence over the winter.", "Florence Hart"),
    (FLORENCE, "The orchestra's trip to Florence is in June.", "Florence Hart"),
    (FLORENCE, "We export the orchestra's recordings to Florence every spring.", "Florence Hart"),
    (LINCOLN, "The firm opened an office in Lincoln last year.", "Lincoln Moss"),
    (LINCOLN, "Our Lincoln branch handles the probate cases.", "Lincoln Moss"),
    (AUSTIN, "The courier's old Austin van was scrapped.", "Austin Reed"),
    (AUSTIN, "The depot bought two Austin trucks at auction.", "Austin Reed"),
    (SAVANNAH, "The vineyard opened a tasting room in Savannah.", "Savannah Price"),
    (SAVANNAH, "The wine club toured Savannah last spring.", "Savannah Price"),
    (VICTORIA, "The brewery ships to Victoria station every week.", "Victoria Okafor"),
    (ADELAIDE, "The mill's wool is spun in Adelaide.", "Adelaide Cross"),
    (ADELAIDE, "The looms were shipped across Adelaide in crates.", "Adelaide Cross"),
    # a first name the lexicon lacks and the NER model reads as an ORG in one frame: a make
    (MORGAN, "The garage restored an old Morgan roadster.", "Morgan Hale"),
    (MORGAN, "They bought a Morgan roadster at auction.", "Morgan Hale"),
    (MORGAN, "A green Morgan sports car is parked outside.", "Morgan Hale"),
]  # fmt: skip

# (intro, note, the person): the same given name said of the person
THE_PERSON = [
    (FLORENCE, "Florence said the strings were flat.", "Florence Hart"),
    (FLORENCE, "I met Florence after the rehearsal.", "Florence Hart"),
    (FLORENCE, "Florence fixed the hose in the garden.", "Florence Hart"),
    (FLORENCE, "We have confidence in Florence as leader.", "Florence Hart"),
    (LINCOLN, "Lincoln signed the lease on Friday.", "Lincoln Moss"),
    (LINCOLN, "I sent the deeds to Lincoln yesterday.", "Lincoln Moss"),
    (LINCOLN, "I visited Lincoln in hospital.", "Lincoln Moss"),
    (AUSTIN, "Austin repaired the van's brakes.", "Austin Reed"),
    (AUSTIN, "We asked Austin about the late parcels.", "Austin Reed"),
    (AUSTIN, "The delivery logs were exported to Austin for review.", "Austin Reed"),
    (SAVANNAH, "I gave the cellar keys to Savannah.", "Savannah Price"),
    (VICTORIA, "We thanked Victoria for the recipe.", "Victoria Okafor"),
    (ADELAIDE, "The weavers trust Adelaide with the repairs.", "Adelaide Cross"),
    # a first name the lexicon lacks and the NER model reads as a PERSON in two frames of three
    # is not taken for its bearer alone: precision over recall (the same word is a make above)
    pytest.param(MORGAN, "Morgan said the cab needs new tyres.", "Morgan Hale", marks=_LOOSE),
    pytest.param(MORGAN, "I asked Morgan about the night fares.", "Morgan Hale", marks=_LOOSE),
]  # fmt: skip

# (intro: the person, then a place or make of that spelling; note; the person)
THE_PERSON_AFTER_A_PLACE = [
    (FLORENCE + ["The orchestra toured Florence in May."], "Florence said the strings were flat.", "Florence Hart"),
    (AUSTIN + ["The courier's old Austin van was scrapped."], "Austin repaired the brakes.", "Austin Reed"),
    (LINCOLN + ["The firm opened an office in Lincoln last year."], "Lincoln signed the lease on Friday.", "Lincoln Moss"),
]  # fmt: skip

# left as they are: the parse gives no handle (no entity reading, a singular noun; a parse that
# takes "looms" for a verb); a guess either way would cost the other side
_NO_HANDLE = pytest.mark.xfail(strict=True, reason="the parse reads no place or make here")
NO_HANDLE = [
    pytest.param(SAVANNAH, "Our Savannah cellar holds the reserve casks.", "Savannah Price", marks=_NO_HANDLE),
    pytest.param(ADELAIDE, "The mill sold two Adelaide looms to a museum.", "Adelaide Cross", marks=_NO_HANDLE),
]  # fmt: skip


@pytest.mark.parametrize("intro,note,person", NOT_THE_PERSON + NO_HANDLE)
def test_a_given_name_read_as_a_place_or_a_make_is_not_its_bearer(
    mem: Memory, intro: list[str], note: str, person: str
) -> None:
    bank = _bank(note, "place")
    fact_ids = _retain(mem, bank, intro, note)
    assert not entity_holds(mem, bank, person, fact_ids)


@pytest.mark.parametrize("intro,note,person", THE_PERSON + THE_PERSON_AFTER_A_PLACE)
def test_the_given_name_said_of_the_person_is_the_person(
    mem: Memory, intro: list[str], note: str, person: str
) -> None:
    bank = _bank(note, intro[-1], "person")
    fact_ids = _retain(mem, bank, intro, note)
    assert entity_holds(mem, bank, person, fact_ids)


# (line, label): a lone given name speaking, on a body that is no first-person speech
SPEAKERS = [
    ("Keiko: strings from bar forty, please.", "Keiko"),
    ("Dmitri: the piano lid up, please.", "Dmitri"),
    ("Chloe: the rosé is ready.", "Chloe"),
    ("Grace Mensah: table six wants the bill.", "Grace Mensah"),
    ("Joel Okafor: the kiln is cooling.", "Joel Okafor"),
]

# (line, label): headings and fields on the same bodies stay labels
FIELDS = [
    ("Reminder: strings from bar forty, please.", "Reminder"),
    ("Agenda: the piano lid up, please.", "Agenda"),
    ("Status: the rosé is ready.", "Status"),
    ("Next steps: table six wants the bill.", "Next steps"),
    ("Outcome: the kiln is cooling.", "Outcome"),
    ("Budget: the rosé is ready.", "Budget"),
    ("Decision: strings from bar forty, please.", "Decision"),
    ("Summary: the kiln is cooling.", "Summary"),
    ("TODO: strings from bar forty, please.", "TODO"),
]


@pytest.mark.parametrize("text,label", SPEAKERS)
def test_a_lone_given_name_label_is_a_person_speaking(mem: Memory, text: str, label: str) -> None:
    assert is_person_label(mem, text, label, _bank(text, "speaker"), T0)


@pytest.mark.parametrize("text,label", FIELDS)
def test_a_heading_label_is_no_person(mem: Memory, text: str, label: str) -> None:
    assert not is_person_label(mem, text, label, _bank(text, "field"), T0)


# (intro, line, label, the person): a label the bank knows as a person speaks, whatever the body
KNOWN_SPEAKERS = [
    ("Pablo Ruiz teaches the year nine class.", "Pablo: tests are marked.", "Pablo", "Pablo Ruiz"),
    ("Priyanka Rao plans the wedding seating.", "Priyanka: seating plan done.", "Priyanka", "Priyanka Rao"),
    ("Yara Haddad keeps the allotment.", "Yara: hedges trimmed, gate locked.", "Yara", "Yara Haddad"),
]  # fmt: skip

# the same bodies under labels of no person the bank knows, or a known name read as a place
UNKNOWN_SPEAKERS = [
    ("Pablo Ruiz teaches the year nine class.", "Progress: tests are marked.", "Progress", "Pablo Ruiz"),
    ("Priyanka Rao plans the wedding seating.", "Result: seating plan done.", "Result", "Priyanka Rao"),
    ("Georgia Mendes runs the travel desk.", "Georgia: office closed for the public holiday.", "Georgia", "Georgia Mendes"),
]  # fmt: skip


def _speaker_alias(mem: Memory, intro: str, line: str, label: str, person: str) -> bool:
    bank = _bank(intro, line, "known")
    mem.retain(intro, mentioned_at=T0, source="intro", bank=bank)
    mem.retain(line, mentioned_at=T0 + timedelta(days=1), source="line", bank=bank)
    ent = mem.entity(person, bank=bank)
    return ent is not None and ent.kind == "person" and label in ent.aliases


@pytest.mark.parametrize("intro,line,label,person", KNOWN_SPEAKERS)
def test_a_label_the_bank_knows_as_a_person_speaks(
    mem: Memory, intro: str, line: str, label: str, person: str
) -> None:
    assert _speaker_alias(mem, intro, line, label, person)


@pytest.mark.parametrize("intro,line,label,person", UNKNOWN_SPEAKERS)
def test_a_label_the_bank_does_not_know_as_a_person_stays_a_label(
    mem: Memory, intro: str, line: str, label: str, person: str
) -> None:
    assert not _speaker_alias(mem, intro, line, label, person)


# (intro, note, variant, candidates): two known people fit the name
AMBIGUOUS = [
    (["Aiko Tanaka tunes the pianos.", "Hiro Tanaka tunes the harps."], "Tanaka's van broke down.", "Tanaka", ("Aiko Tanaka", "Hiro Tanaka")),
    (["Ingrid Holm keeps the hives.", "Lars Holm keeps the goats."], "Holm sold the honey at the market.", "Holm", ("Ingrid Holm", "Lars Holm")),
    (["Priya Nair teaches maths.", "Priya Shah teaches art."], "Priya marked the exams.", "Priya", ("Priya Nair", "Priya Shah")),
    (["Tom Ellis drives the tractor.", "Tom Baker drives the lorry."], "Tom refuelled this morning.", "Tom", ("Tom Baker", "Tom Ellis")),
    (["Kate Morgan sings alto.", "Kate Lowe sings soprano."], "Kate missed the rehearsal.", "Kate", ("Kate Lowe", "Kate Morgan")),
]  # fmt: skip

# (intro, note, variant, the person): one candidate, a compatible variant
RESOLVES = [
    (["Thomas Ellis drives the tractor."], "Tom Ellis refuelled the tractor.", "Tom Ellis", "Thomas Ellis"),
    (["Katherine Lowe sings soprano."], "Kate Lowe missed the rehearsal.", "Kate Lowe", "Katherine Lowe"),
    (["William Drury keeps the accounts."], "Bill Drury filed the tax return.", "Bill Drury", "William Drury"),
    (["Margaret Okoye runs the pharmacy."], "Maggie Okoye restocked the shelves.", "Maggie Okoye", "Margaret Okoye"),
    (["Kenji Sato repairs the bicycles."], "K. Sato fixed the gears.", "K. Sato", "Kenji Sato"),
    (["Hana Cho runs the nursery."], "Ms Cho planted the tulips.", "Ms Cho", "Hana Cho"),
    (["Aiko Tanaka tunes the pianos."], "Tanaka's van broke down.", "Tanaka", "Aiko Tanaka"),
    (["Ingrid Holm keeps the hives."], "Holm sold the honey at the market.", "Holm", "Ingrid Holm"),
]  # fmt: skip

# (intro, note, the known person): a near-miss spelling, or a nickname with no surname (the
# issue: a nickname joins only with the same surname), never merges
NEVER_MERGE = [
    (["Aziz Rahman fixes the boilers."], "Azim Rahman fixed the radiator.", "Aziz Rahman"),
    (["Kenji Sato repairs the bicycles."], "Kenji Saito fixed the gears.", "Kenji Sato"),
    (["Ingrid Holm keeps the hives."], "Ingrid Holmes sold the honey.", "Ingrid Holm"),
    (["Ruth Ode edits the newsletter."], "Ruth Odell edited the newsletter.", "Ruth Ode"),
    (["Kenji Sato repairs the bicycles."], "Saito fixed the gears.", "Kenji Sato"),
    (["Ingrid Holm keeps the hives."], "Holmes sold the honey at the market.", "Ingrid Holm"),
    (["Aziz Rahman fixes the boilers."], "Azim fixed the radiator.", "Aziz Rahman"),
    (["Ruth Ode edits the newsletter."], "Odell edited the newsletter.", "Ruth Ode"),
    (["Hana Cho runs the nursery."], "Ms Choi planted the tulips.", "Hana Cho"),
    (["Kenji Sato repairs the bicycles."], "K. Saito fixed the gears.", "Kenji Sato"),
    (["Thomas Ellis drives the tractor."], "Tom refuelled the tractor.", "Thomas Ellis"),
    (["Margaret Okoye runs the pharmacy."], "Maggie restocked the shelves.", "Margaret Okoye"),
    (["William Drury keeps the accounts."], "Bill filed the tax return.", "William Drury"),
]  # fmt: skip


@pytest.mark.parametrize("intro,note,variant,candidates", AMBIGUOUS)
def test_a_name_two_people_share_is_ambiguous(
    mem: Memory, intro: list[str], note: str, variant: str, candidates: tuple[str, ...]
) -> None:
    bank = _bank(note, *intro, "ambiguous")
    fact_ids = _retain(mem, bank, intro, note)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "ambiguous"
    assert set(ent.candidates) >= set(candidates)
    for name in candidates:
        assert not entity_holds(mem, bank, name, fact_ids)


@pytest.mark.parametrize("intro,note,variant,person", RESOLVES)
def test_a_compatible_variant_of_one_person_resolves(
    mem: Memory, intro: list[str], note: str, variant: str, person: str
) -> None:
    bank = _bank(note, *intro, "resolves")
    fact_ids = _retain(mem, bank, intro, note)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "resolved" and ent.name == person
    assert entity_holds(mem, bank, person, fact_ids)


@pytest.mark.parametrize("intro,note,person", NEVER_MERGE)
def test_a_near_miss_never_merges(mem: Memory, intro: list[str], note: str, person: str) -> None:
    bank = _bank(note, *intro, "near")
    fact_ids = _retain(mem, bank, intro, note)
    assert not entity_holds(mem, bank, person, fact_ids)
