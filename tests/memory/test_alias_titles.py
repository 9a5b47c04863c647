"""Titles, ranks, particles and places in entity resolution and speaker labels, through the
public Memory API on the real stack (spaCy, SQLite, Chroma, MiniLM), in wordings of their own
(not the bench's): a title with a surname resolves to the one person of that surname and stays
unresolved between two; a title never renames the person; particles belong to the name; a
place, an imperative verb or a numbered case is no person; a titled label speaks, a date or a
place label does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from memory.memory import Memory
from memory.resolve import name_similarity, person_name
from memory.resolve_store import is_fuller_name
from tests.memory.conftest import entity_holds, real_memory_fixture

pytestmark = pytest.mark.slow

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

mem = real_memory_fixture("titles")


def _bank(*parts: str) -> str:
    return f"t-{abs(hash(parts))}"


def _retain_all(mem: Memory, bank: str, intro: list[str], note: str) -> list[str]:
    for k, text in enumerate(intro):
        mem.retain(text, mentioned_at=T0 + timedelta(days=k), bank=bank)
    return mem.retain(note, mentioned_at=T0 + timedelta(days=30), bank=bank).fact_ids


MERGES = [
    (["Teodora Vasquez commands the engine company."], "Lieutenant Vasquez inspected the ladders.", "Teodora Vasquez"),
    (["Ahmed Siddiqui teaches organic chemistry."], "Professor Siddiqui postponed the midterm.", "Ahmed Siddiqui"),
    (["Sister Bernadette Oyelowo runs the parish kitchen."], "Sister Bernadette visited the sick.", "Sister Bernadette Oyelowo"),
    (["Yusuf bin Hamdan keeps the mosque's accounts."], "Yusuf paid the electricity bill.", "Yusuf bin Hamdan"),
    (["Joris van den Heuvel builds the dyke."], "J. van den Heuvel ordered more sand.", "Joris van den Heuvel"),
    (["Corporal Mateo Silva drives the jeep."], "Cpl. Silva parked by the barracks.", "Corporal Mateo Silva"),
]  # fmt: skip


@pytest.mark.parametrize("intro,note,canonical", MERGES)
def test_a_titled_or_particled_variant_resolves_to_its_one_person(
    mem: Memory, intro: list[str], note: str, canonical: str
) -> None:
    bank = _bank(note)
    fact_ids = _retain_all(mem, bank, intro, note)
    ent = mem.entity(canonical, bank=bank)
    assert ent is not None and ent.name == canonical, ent
    assert entity_holds(mem, bank, canonical, fact_ids)


KEPT_APART = [
    # two people of one surname: a title and the surname name neither
    (["Teodora Vasquez runs engine one.", "Rafael Vasquez runs engine two."], "Lieutenant Vasquez inspected the ladders.", "Lieutenant Vasquez", ["Teodora Vasquez", "Rafael Vasquez"]),
    (["Ahmed Siddiqui teaches chemistry.", "Noura Siddiqui teaches biology."], "Professor Siddiqui postponed the midterm.", "Professor Siddiqui", ["Ahmed Siddiqui", "Noura Siddiqui"]),
    (["Joris van den Heuvel builds the dyke.", "Jet van den Heuvel inspects it."], "J. van den Heuvel ordered sand.", "J. van den Heuvel", ["Joris van den Heuvel", "Jet van den Heuvel"]),
    # another person, another thing
    (["Yusuf bin Hamdan keeps the accounts."], "Yusuf bin Tariq sweeps the courtyard.", "Yusuf bin Tariq", ["Yusuf bin Hamdan"]),
    (["Joris van den Heuvel builds the dyke."], "Joris van Dijk paints the locks.", "Joris van Dijk", ["Joris van den Heuvel"]),
    (["Dakota Lee answers the phones."], "The convoy drove across Dakota overnight.", "Dakota", ["Dakota Lee"]),
    (["Victoria Alvarez runs the kitchen."], "The ferry docked in Victoria at noon.", "Victoria", ["Victoria Alvarez"]),
    (["Sue Okafor handles complaints."], "Sue the supplier for the late delivery.", "Sue", ["Sue Okafor"]),
    (["Case 2023-041 was appealed."], "Case 2023-042 was dismissed.", "Case 2023-042", ["Case 2023-041"]),
]  # fmt: skip


@pytest.mark.parametrize("intro,note,variant,known", KEPT_APART)
def test_other_people_places_verbs_and_numbers_stay_apart(
    mem: Memory, intro: list[str], note: str, variant: str, known: list[str]
) -> None:
    bank = _bank(note, variant)
    fact_ids = _retain_all(mem, bank, intro, note)
    for name in known:
        assert not entity_holds(mem, bank, name, fact_ids), (name, note)
    ent = mem.entity(variant, bank=bank)
    if len(known) == 2:  # two candidates: unresolved, both named
        assert ent is not None and ent.status == "ambiguous"
        assert sorted(ent.candidates) == sorted(known)


def test_a_title_does_not_make_a_name_fuller() -> None:
    assert not is_fuller_name("Lieutenant Vasquez", "Teodora Vasquez")
    assert not is_fuller_name("Corporal Mateo Silva", "Mateo Silva")
    assert is_fuller_name("Teodora Vasquez", "Lieutenant Vasquez")
    assert is_fuller_name("Mateo Silva", "Mateo")


def test_title_words_read_as_titles_only_before_names() -> None:
    assert person_name("Inspector Bhatt") is not None
    assert person_name("Inspector Bhatt").title == "inspector"  # type: ignore[union-attr]
    for phrase in ("Major Incident", "Judge Panel"):  # no title: common words follow
        p = person_name(phrase)
        assert p is None or not p.title
    assert name_similarity("Sister Bernadette", "Sister Bernadette Oyelowo", True)[0] >= 0.9
    assert name_similarity("Sister Bernadette", "Bernadette Oyelowo", True)[0] == 0.0
    assert name_similarity("Yusuf bin Tariq", "Yusuf bin Hamdan", True)[0] == 0.0


SPEAKERS = [
    ("Inspector Bhatt: Nobody leaves the building.", "Inspector Bhatt"),
    ("Cpl. Silva: I refuelled the jeep.", "Cpl. Silva"),
    ("Pastor Nwosu: Thank you all for coming.", "Pastor Nwosu"),
    ("Zeynep: Are the samples labelled?", "Zeynep"),
]
NOT_SPEAKERS = [
    ("Inspector: Ravi Bhatt", "Inspector"),
    ("Tuesday: I teach the late class.", "Tuesday"),
    ("Madrid: We opened the second store.", "Madrid"),
    ("Major incident: the pump failed.", "Major incident"),
    ("General notes: we ship on Friday.", "General notes"),
]


@pytest.mark.parametrize("text,label", SPEAKERS)
def test_titled_and_questioning_speakers_are_people(mem: Memory, text: str, label: str) -> None:
    bank = _bank(text)
    mem.retain(text, mentioned_at=T0, bank=bank)
    ent = mem.entity(label, bank=bank)
    assert ent is not None and ent.status == "resolved" and ent.kind == "person"


@pytest.mark.parametrize("text,label", NOT_SPEAKERS)
def test_fields_days_places_and_units_are_no_speakers(mem: Memory, text: str, label: str) -> None:
    bank = _bank(text)
    mem.retain(text, mentioned_at=T0, bank=bank)
    ent = mem.entity(label, bank=bank)
    assert ent is None or ent.kind != "person"
