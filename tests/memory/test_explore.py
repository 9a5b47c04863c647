"""Bounded reads for browsing (memory.explore): each page is the facade's answer cut to the
page (same items, same order, same fields), bounded by what was asked, and kept to its bank."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from agent.repl_memory import jsonable
from memory import explore
from memory.errors import InvalidInput, NotFound
from memory.memory import Memory
from tests.memory.conftest import day

NOTES = [
    ("2025-03-01", "Sarah Kim joined the payments team."),
    ("2025-04-02", "Sarah Kim and Tom Berg paired on the ledger service."),
    ("2025-05-03", "Sarah K. reviewed the Kafka design with Tom Berg."),
    ("2025-06-04", "Sarah Kim moved the ledger service to the Atlas cluster."),
    ("2025-07-05", "We use MySQL for billing."),
    ("2025-08-06", "We switched to PostgreSQL for billing."),
    ("2025-09-07", "I think the batch API is the right next feature."),
    ("2025-10-08", "I am fairly sure the batch API is the right next feature."),
    ("2025-11-09", "I doubt the batch API is the right next feature."),
]


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture
def notes(mem: Memory) -> Memory:
    for at, text in NOTES:
        mem.retain(text, mentioned_at=day(at), source=f"note-{at}")
    mem.retain("Sarah Kim runs the other bank's standup.", bank="elsewhere")
    return mem


def test_entity_list_pages_by_name_and_finds_aliases(notes: Memory) -> None:
    everything = run(explore.entity_list(notes, limit=500))
    names = [e["name"] for e in everything["entities"]]
    assert names == sorted(names) and everything["total"] == len(names) >= 6
    pages = [run(explore.entity_list(notes, offset=o, limit=2)) for o in range(0, len(names), 2)]
    assert [e["name"] for p in pages for e in p["entities"]] == names
    assert {p["total"] for p in pages} == {len(names)}
    sarah = next(e for e in everything["entities"] if e["name"] == "Sarah Kim")
    assert sarah["facts"] == len(notes.entity("Sarah Kim").facts)  # type: ignore[union-attr]
    by_alias = run(explore.entity_list(notes, prefix="sarah k."))
    assert [e["name"] for e in by_alias["entities"]] == ["Sarah Kim"] and by_alias["total"] == 1
    assert run(explore.entity_list(notes, prefix="zz"))["entities"] == []
    other = run(explore.entity_list(notes, bank="elsewhere"))
    assert [e["facts"] for e in other["entities"] if e["name"] == "Sarah Kim"] == [1]
    for bad in ({"limit": 0}, {"offset": -1}, {"limit": 501}):
        with pytest.raises(InvalidInput):
            run(explore.entity_list(notes, **bad))


def test_entity_page_is_the_facade_view_one_page_at_a_time(notes: Memory) -> None:
    full = notes.entity("Sarah Kim").to_dict()  # type: ignore[union-attr]
    pages = [run(explore.entity_page(notes, "Sarah Kim", offset=o, limit=2)) for o in (0, 2, 4)]
    assert [f for p in pages for f in p["facts"]] == full["facts"]
    first = pages[0]
    assert first["facts_total"] == len(full["facts"]) == 4
    assert {k: first[k] for k in ("id", "name", "kind", "aliases")} == {
        k: full[k] for k in ("id", "name", "kind", "aliases")}  # fmt: skip
    by_alias = run(explore.entity_page(notes, "Sarah K.", limit=1))
    assert by_alias["name"] == "Sarah Kim" and len(by_alias["facts"]) == 1
    assert run(explore.entity_page(notes, "Nobody", limit=5)) is None


def test_merge_log_and_its_undoing(notes: Memory) -> None:
    assert run(explore.merge_log(notes, "Tom Berg"))["merges"] == []
    notes.merge("Tom Berg", "Kafka")
    (m,) = run(explore.merge_log(notes, "Tom Berg"))["merges"]
    assert m["merged_name"] == "Kafka" and m["kept"] == "Tom Berg" and m["undone_at"] is None
    assert m["moved"]["aliases"] >= 1 and m["moved"]["links"] + m["moved"]["dropped"] == 1
    notes.split("Kafka")
    (undone,) = run(explore.merge_log(notes, "Tom Berg"))["merges"]
    assert undone["undone_at"] is not None
    (seen_from_kafka,) = run(explore.merge_log(notes, "Kafka"))["merges"]
    assert seen_from_kafka["id"] == m["id"]
    with pytest.raises(NotFound):
        run(explore.merge_log(notes, "Nobody"))


def test_supersessions_seen_from_either_side(notes: Memory) -> None:
    for name in ("MySQL", "PostgreSQL", "we"):
        (pair,) = run(explore.supersessions(notes, name))["supersessions"]
        assert pair["old"]["text"] == "We use MySQL for billing."
        assert pair["new"]["text"] == "We switched to PostgreSQL for billing."
        assert pair["at"] == pair["old"]["invalidated_at"] and pair["at"].startswith("2025-08-06")
        assert pair["old"]["source"] == "note-2025-07-05" and pair["new"]["invalidated_at"] is None
    assert run(explore.supersessions(notes, "Sarah Kim"))["supersessions"] == []


def test_neighbourhood_is_bounded_and_counts_shared_facts(notes: Memory,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    hood = run(explore.neighbourhood(notes, "Sarah Kim"))
    shared = {n["name"]: n["shared"] for n in hood["nodes"]}
    assert shared["Tom Berg"] == 2 and hood["entity"]["facts"] == 4 and not hood["sampled"]
    assert all(e["source"] == hood["entity"]["id"] for e in hood["edges"])
    assert [n["shared"] for n in hood["nodes"]] == sorted(shared.values(), reverse=True)
    one = run(explore.neighbourhood(notes, "Sarah Kim", limit=1))
    assert [n["name"] for n in one["nodes"]] == ["Tom Berg"] and len(one["edges"]) == 1
    elsewhere = run(explore.neighbourhood(notes, "Sarah Kim", bank="elsewhere"))
    assert "Tom Berg" not in {n["name"] for n in elsewhere["nodes"]}
    monkeypatch.setattr(explore, "NEIGHBOUR_SAMPLE", 2)
    assert run(explore.neighbourhood(notes, "Sarah Kim"))["sampled"] is True


def test_belief_page_is_the_facade_answer_cut_to_the_page(notes: Memory) -> None:
    facade = jsonable([b.to_dict() for b in notes.beliefs()])
    page = run(explore.belief_page(notes, limit=20))
    assert page["total"] == len(facade) >= 1
    for mine, theirs in zip(page["beliefs"], facade, strict=True):
        same = {k: theirs[k] for k in theirs if k != "history"}
        assert {k: mine[k] for k in same} == same  # every field the facade gives, same values
        assert mine["evidence_total"] == len(mine["history"]) == len(theirs["history"])
        for a, b in zip(mine["history"], theirs["history"], strict=True):
            assert (a["at"], a["confidence"]) == (b["at"], b["confidence"])
            assert {k: a["evidence"][k] for k in b["evidence"]} == b["evidence"]
    (batch,) = run(explore.belief_page(notes, topic="batch API"))["beliefs"]
    assert [h["evidence"]["stance"] for h in batch["history"]] == [
        "support",
        "support",
        "contradict",
    ]
    newest = run(explore.belief_page(notes, topic="batch API", points=1))["beliefs"][0]
    assert newest["history"] == batch["history"][-1:] and newest["evidence_total"] == 3
    assert run(explore.belief_page(notes, topic="zebra"))["beliefs"] == []
