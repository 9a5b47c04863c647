"""Aliases and identifiers through the public Memory API on the real stack (spaCy, SQLite,
Chroma, MiniLM): a name followed by an identifier ("Host web-07", "Pixel 8") is its own entity
and never links to the bare head noun or to a sibling with another number; a rank or office
before a name ("Sergeant Maria Lopez") is a title, so the bare name resolves to that person."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture

pytestmark = pytest.mark.slow

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 3, 8, 9, 0, tzinfo=UTC)


mem = real_memory_fixture("alias")


def _entity_of(mem: Memory, bank: str, name: str, fact_ids: list[str]) -> bool:
    ent = mem.entity(name, bank=bank)
    return ent is not None and bool({h.fact_id for h in ent.facts} & set(fact_ids))


# --- must stay apart: an identifier makes the name distinct (negatives)
@pytest.mark.parametrize(
    "intro,head,note,variant",
    [
        ("Host web-07 was patched on Monday.", "Host web-07", "Host web-08 needs a reboot.",
         "Host web-08"),
        ("Pixel 7 units failed the drop test.", "Pixel 7", "Pixel 8 units passed the drop test.",
         "Pixel 8"),
        ("Locker 12 is jammed again.", "Locker 12", "Locker 14 was emptied.", "Locker 14"),
        ("Printer lab-2 is out of toner.", "Printer lab-2", "Printer lab-3 prints fine.",
         "Printer lab-3"),
        ("Galaxy S23 stock arrived.", "Galaxy S23", "Galaxy S24 stock is delayed.",
         "Galaxy S24"),
        ("Tram 9 runs every ten minutes.", "Tram 9", "Tram 11 was cancelled today.", "Tram 11"),
    ],
)  # fmt: skip
def test_identifier_bearing_names_never_merge(
    mem: Memory, intro: str, head: str, note: str, variant: str
) -> None:
    bank = f"id-{abs(hash(intro))}"
    r0 = mem.retain(intro, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    first = mem.entity(head, bank=bank)
    assert first is not None and first.name == head
    assert not _entity_of(mem, bank, head, r1.fact_ids)  # the note is not about the first one
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.id != first.id and ent.name == variant
    assert _entity_of(mem, bank, variant, r1.fact_ids)
    assert not _entity_of(mem, bank, variant, r0.fact_ids)


# --- a bare head noun is not the numbered thing, either way round (negatives)
@pytest.mark.parametrize(
    "intro,note,bare,numbered",
    [
        ("Scanner maintenance is on Friday.", "Scanner sc-3 jammed twice.", "Scanner",
         "Scanner sc-3"),
        ("Kiosk sales were slow.", "Kiosk 4 sold out of water.", "Kiosk", "Kiosk 4"),
    ],
)  # fmt: skip
def test_numbered_name_is_not_its_head_noun(
    mem: Memory, intro: str, note: str, bare: str, numbered: str
) -> None:
    bank = f"head-{abs(hash(intro))}"
    mem.retain(intro, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    assert not _entity_of(mem, bank, bare, r1.fact_ids)
    assert _entity_of(mem, bank, numbered, r1.fact_ids)


# --- the same identifier is the same thing (positives)
@pytest.mark.parametrize(
    "intro,note,name",
    [
        ("Host web-07 was patched on Monday.", "Host web-07 rebooted at noon.", "Host web-07"),
        ("Pixel 7 units failed the drop test.", "Pixel 7 units were recalled.", "Pixel 7"),
        ("Locker 12 is jammed again.", "Locker 12 was repaired by the janitor.", "Locker 12"),
    ],
)  # fmt: skip
def test_same_identifier_resolves(mem: Memory, intro: str, note: str, name: str) -> None:
    bank = f"same-{abs(hash(intro + note))}"
    r0 = mem.retain(intro, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    assert _entity_of(mem, bank, name, r0.fact_ids) and _entity_of(mem, bank, name, r1.fact_ids)


# --- a rank or office before a name is a title (positives)
@pytest.mark.parametrize(
    "intro,note,variant,canonical",
    [
        ("Sergeant Maria Lopez leads the night patrol.", "Maria Lopez filed the incident report.",
         "Maria Lopez", "Sergeant Maria Lopez"),
        ("Judge Harold Finch presides over the appeal.", "Harold Finch adjourned the hearing.",
         "Harold Finch", "Judge Harold Finch"),
        ("Father Tomasz Nowak runs the parish kitchen.", "Tomasz Nowak ordered more soup pots.",
         "Tomasz Nowak", "Father Tomasz Nowak"),
    ],
)  # fmt: skip
def test_rank_before_a_name_is_a_title(
    mem: Memory, intro: str, note: str, variant: str, canonical: str
) -> None:
    bank = f"rank-{abs(hash(intro))}"
    mem.retain(intro, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "resolved" and ent.name == canonical
    assert ent.kind == "person"
    assert _entity_of(mem, bank, canonical, r1.fact_ids)


# --- ... but a title never merges different people (negatives)
@pytest.mark.parametrize(
    "intro,note,variant",
    [
        ("Sergeant Maria Lopez leads the night patrol.", "Maria Lorenz filed the report.",
         "Maria Lorenz"),
        ("Judge Harold Finch presides over the appeal.", "Harold Fischer adjourned the hearing.",
         "Harold Fischer"),
        ("Father Tomasz Nowak runs the parish kitchen.", "Tomasz Nowicki ordered soup pots.",
         "Tomasz Nowicki"),
    ],
)  # fmt: skip
def test_title_does_not_merge_other_surnames(
    mem: Memory, intro: str, note: str, variant: str
) -> None:
    bank = f"rank-neg-{abs(hash(intro))}"
    r0 = mem.retain(intro, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.name == variant
    assert not _entity_of(mem, bank, variant, r0.fact_ids)
    assert _entity_of(mem, bank, variant, r1.fact_ids)


@pytest.mark.parametrize("name", ["Security Team Lead", "General Availability", "Chief Engineer"])
def test_office_words_without_a_name_are_no_person(name: str) -> None:
    from memory.resolve import person_name

    assert person_name(name) is None


# --- a first name alone finds the one person of that first name, also for given names the
# English lexicon lacks (the NER model reads "Daichi Mori" as a person)
@pytest.mark.parametrize(
    "intro,note,variant,canonical",
    [
        ("Daichi Mori glazes the bowls.", "Daichi fired the second kiln load.", "Daichi",
         "Daichi Mori"),
        ("Chiamaka Eze coaches the debate team.", "Chiamaka booked the regional final.",
         "Chiamaka", "Chiamaka Eze"),
    ],
)  # fmt: skip
def test_first_name_alone_resolves(
    mem: Memory, intro: str, note: str, variant: str, canonical: str
) -> None:
    bank = f"first-{abs(hash(intro))}"
    mem.retain(intro, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "resolved" and ent.name == canonical
    assert _entity_of(mem, bank, canonical, r1.fact_ids)


@pytest.mark.parametrize(
    "intros,note,variant",
    [
        (["Daichi Mori glazes the bowls.", "Daichi Ishikawa sells the bowls."],
         "Daichi fired the kiln.", "Daichi"),
        (["Sipho Ndlovu runs the clinic.", "Sipho Khumalo runs the pharmacy."],
         "Sipho ordered more gloves.", "Sipho"),
    ],
)  # fmt: skip
def test_first_name_with_two_people_stays_ambiguous(
    mem: Memory, intros: list[str], note: str, variant: str
) -> None:
    bank = f"amb-{abs(hash(note))}"
    for i, text in enumerate(intros):
        mem.retain(text, mentioned_at=T0, bank=bank, source=f"intro-{i}")
    mem.retain(note, mentioned_at=T1, bank=bank)
    ent = mem.entity(variant, bank=bank)
    assert ent is not None and ent.status == "ambiguous" and len(ent.candidates) == 2
