"""Recall over facts indexed in their episode context: speaker and sibling sentences are
searchable, one hit per turn, and forget leaves no trace in a sibling's context."""

from __future__ import annotations

from memory.memory import Memory
from memory.recall.fusion import one_per_group
from tests.memory.conftest import day


def test_one_per_group_keeps_the_best_of_each_group() -> None:
    order = ["a1", "a2", "b1", "a3", "c1", "b2"]
    assert one_per_group(order, lambda d: d[0]) == ["a1", "b1", "c1"]


def test_speaker_and_sibling_sentence_find_the_turn(mem: Memory) -> None:
    turn = mem.retain(
        "Caroline: I went to a support group yesterday. It was so powerful.",
        source="chat:1",
        mentioned_at=day("2025-05-08"),
    )
    mem.retain(
        "Melanie: I painted a lake at sunrise.", source="chat:2", mentioned_at=day("2025-05-08")
    )
    hits = mem.recall("What did Caroline find powerful at the support group?", k=5)
    assert hits[0].source == "chat:1"
    # one hit per turn, though both of its sentences match
    assert [h.episode_id for h in hits].count(turn.episode_id) == 1
    ep_text = "Caroline: I went to a support group yesterday. It was so powerful."
    assert hits[0].span is not None and ep_text[slice(*hits[0].span)] == hits[0].text


def test_forgetting_a_sentence_scrubs_its_siblings_context(mem: Memory) -> None:
    mem.retain("Zanzibarquux joined Acme. Bob likes tea.", source="x")
    mem.forget(entity="Zanzibarquux")
    assert mem.store.keywords.query("Zanzibarquux", 10, "default") == []
    assert [h.text for h in mem.recall("Bob tea", k=3)] == ["Bob likes tea."]
