"""Entities: canonical view, alias resolution, the identifier guard, merge/split round trips."""

from __future__ import annotations

import pytest

from memory.errors import MergeError
from memory.memory import Memory
from tests.memory.conftest import day


def test_entity_view_has_facts_in_time_order(mem: Memory) -> None:
    mem.retain("Sarah finished the report early.", mentioned_at=day("2025-10-20"))
    mem.retain("Sarah joined the payments team.", mentioned_at=day("2025-03-01"))
    mem.retain("Sarah leads the payments team.", mentioned_at=day("2025-06-01"))
    e = mem.entity("sarah")
    assert e is not None and e.name == "Sarah"
    assert [f.text for f in e.facts] == [
        "Sarah joined the payments team.",
        "Sarah leads the payments team.",
        "Sarah finished the report early.",
    ]
    d = e.to_dict()
    assert set(d) >= {"name", "aliases", "facts"} and d["facts"][0]["mentioned_at"].startswith(
        "2025-03"
    )
    assert mem.entity("Nobody") is None


def test_numbers_and_identifiers_never_merge(mem: Memory) -> None:
    mem.retain("Room 101 is booked for the review.")
    mem.retain("Room 102 is booked for the demo.")
    mem.retain("Flight UA123 was delayed.")
    mem.retain("Flight UA124 was on time.")
    ids = {mem.entity(n).id for n in ("Room 101", "Room 102")}  # type: ignore[union-attr]
    assert len(ids) == 2
    assert mem.entity("Flight UA123").id != mem.entity("Flight UA124").id  # type: ignore[union-attr]


def test_merge_then_split_restores_everything(mem: Memory) -> None:
    mem.retain("Alice Chen leads payments.", mentioned_at=day("2025-01-01"))
    mem.retain("Ali finished the migration early.", mentioned_at=day("2025-02-01"))
    before_a = mem.entity("Alice Chen").to_dict()  # type: ignore[union-attr]
    before_b = mem.entity("Ali").to_dict()  # type: ignore[union-attr]
    assert before_a["id"] != before_b["id"]
    out = mem.merge("Alice Chen", "Ali")
    merged = mem.entity("Ali")
    assert merged is not None and merged.name == "Alice Chen" and "Ali" in merged.aliases
    assert len(merged.facts) == 2
    assert out["merged"] == "Ali"
    graph_facts = set(mem.store.graph.facts_of(before_a["id"], "default"))
    assert {f["fact_id"] for f in before_b["facts"]} <= graph_facts
    mem.split("Ali")
    assert mem.entity("Alice Chen").to_dict() == before_a  # type: ignore[union-attr]
    assert mem.entity("Ali").to_dict() == before_b  # type: ignore[union-attr]
    assert set(mem.store.graph.facts_of(before_b["id"], "default")) == {
        f["fact_id"] for f in before_b["facts"]
    }


def test_split_an_alias_without_a_merge(mem: Memory) -> None:
    mem.retain("Robert Smith leads infra.")
    mem.retain("Robert Smith reviewed the plan.")
    ent = mem.entity("Robert Smith")
    assert ent is not None
    # attach an alias by hand (as resolution would), then split it off
    mem.retain("Bob reviewed the budget.")
    mem.merge("Robert Smith", "Bob")
    mem.split("Bob")
    bob = mem.entity("Bob")
    assert (
        bob is not None
        and bob.id != ent.id
        and [f.text for f in bob.facts] == ["Bob reviewed the budget."]
    )


def test_merge_errors(mem: Memory) -> None:
    mem.retain("Alice leads payments.")
    with pytest.raises(MergeError):
        mem.merge("Alice", "Alice")
    with pytest.raises(MergeError):
        mem.merge("Alice", "Nobody")
    with pytest.raises(MergeError):
        mem.split("Alice")


def test_entities_are_per_bank(mem: Memory) -> None:
    mem.retain("Alice leads payments.", bank="b1")
    assert mem.entity("Alice", bank="b2") is None
    with pytest.raises(MergeError):
        mem.merge("Alice", "Alice", bank="b2")


def test_canonical_name_is_the_fullest_variant_seen() -> None:
    from memory.resolve_store import is_fuller_name

    assert is_fuller_name("Alice Chen", "Alice C.")
    assert is_fuller_name("Alice Chen", "Alice")
    assert not is_fuller_name("Alice C.", "Alice Chen")
    assert not is_fuller_name("Alice", "Alice Chen")
    assert not is_fuller_name("the new Alice Chen from Acme Corp", "Alice Chen")


def test_entity_takes_the_fullest_name_whatever_the_order(mem: Memory) -> None:
    mem.retain("Alice C. joined the platform team.", mentioned_at=day("2025-09-01"))
    mem.retain("Alice Chen now leads the platform team.", mentioned_at=day("2025-10-01"))
    e = mem.entity("Alice C.")
    assert e is not None and e.name == "Alice Chen"
    assert "Alice C" in " ".join(e.aliases)
    assert mem.entity("alice chen").id == e.id  # type: ignore[union-attr]


def test_a_name_seen_as_a_thing_becomes_a_person_when_it_speaks(mem: Memory) -> None:
    # "Tanvi" is in no given-name lexicon: mentioned in passing, nothing says it is a person
    mem.retain("Melanie: Hey Tanvi, how was the group?", mentioned_at=day("2025-09-01"))
    assert mem.entity("Tanvi").kind != "person"  # type: ignore[union-attr]
    mem.retain("Tanvi: I loved it, thanks!", mentioned_at=day("2025-09-01"))
    assert mem.entity("Tanvi").kind == "person"  # type: ignore[union-attr]
