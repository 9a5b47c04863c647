"""Recall's whole-turn channel (RecallConfig.turn_weight) on the real stack: SQLite, embedded
Chroma, MiniLM, spaCy. A long turn whose topic is spread over its sentences is scored as one
turn, and the stored vectors it averages are read back per bank."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from memory.memory import Memory
from memory.recall.pipeline import RecallConfig
from storage.vectors import InMemoryVectorIndex, StoredVectors
from tests.memory.conftest import real_memory_fixture

T0 = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
mem = real_memory_fixture("turns")

LONG = (
    "Assistant: Sure. Hydraulic fracturing injects water, sand and chemicals into shale rock. "
    "Several states regulate it closely. Pennsylvania requires operators to test nearby "
    "drinking water wells before drilling begins. The tests continue for a year after the "
    "well is complete. Operators must publish the results."
)
OTHERS = [
    "User: I am planning a hiking trip to the Rocky Mountains next month.",
    "User: Which groundwater pumps are the quietest for a small garden?",
    "Assistant: Shale is a fine-grained sedimentary rock made of clay minerals.",
    "User: My cousin works as a drilling engineer on offshore platforms.",
]
QUERY = (
    "Which state did you say requires fracking companies to monitor groundwater quality "
    "at nearby wells before and after drilling?"
)


def _fill(mem: Memory, bank: str) -> dict[str, list[str]]:
    """source -> fact ids"""
    out = {}
    for i, text in enumerate([*OTHERS, LONG]):
        r = mem.retain(text, mentioned_at=T0, bank=bank, source=f"s:{i}")
        out[f"s:{i}"] = list(r.fact_ids)
    return out


def test_chroma_and_in_memory_read_back_stored_vectors_per_bank(mem: Memory) -> None:
    bank = "turns-read"
    r = mem.retain(LONG, mentioned_at=T0, bank=bank, source="s:0")
    index = mem.store.vectors
    assert isinstance(index, StoredVectors)
    got = index.vectors_of(r.fact_ids, bank)
    assert set(got) == set(r.fact_ids) and all(
        len(v) == mem.store.embedder.dim for v in got.values()
    )
    assert index.vectors_of(r.fact_ids, "another-bank") == {}
    small = InMemoryVectorIndex(2)
    small.upsert(["a", "b"], [[1.0, 0.0], [0.0, 2.0]], ["x", "y"])
    got_small = small.vectors_of(["a", "b", "c"], "x")
    assert list(got_small) == ["a"] and np.allclose(got_small["a"], [1.0, 0.0])


def test_every_fact_of_a_turn_shares_its_turn_score(mem: Memory) -> None:
    bank = "turns-score"
    facts = _fill(mem, bank)
    hits = mem.recall(QUERY, bank=bank, k=50, layers=("fact",),
                      config=RecallConfig(turn_weight=1.0, one_per_passage=False))  # fmt: skip
    long_hits = [h for h in hits if h.source == f"s:{len(OTHERS)}"]
    assert len(long_hits) >= 3
    scores = {h.channels["turn"] for h in long_hits}
    assert len(scores) == 1  # one score per turn
    # it is the cosine between the query vector and the mean of the turn's fact vectors
    index = mem.store.vectors
    assert isinstance(index, StoredVectors)
    vecs = np.asarray(list(index.vectors_of(facts[f"s:{len(OTHERS)}"], bank).values()))
    mean = vecs.sum(axis=0)
    q = np.asarray(mem.store.embedder.embed([QUERY])[0])
    assert scores.pop() == pytest.approx(float(mean @ q) / float(np.linalg.norm(mean)), abs=1e-5)


def test_the_long_turn_holding_the_topic_has_the_best_turn_score(mem: Memory) -> None:
    """No one sentence of LONG says "fracking", "groundwater" and "monitor" together; its mean
    vector is nearer the question than any distractor turn's, though one distractor shares
    "groundwater" and another "shale"."""
    bank = "turns-rank"
    _fill(mem, bank)
    hits = mem.recall(QUERY, bank=bank, k=10, layers=("fact",),
                      config=RecallConfig(turn_weight=1.5))  # fmt: skip
    best = max(hits, key=lambda h: h.channels.get("turn", -1.0))
    assert best.source == f"s:{len(OTHERS)}"
    assert [h.source for h in hits].index(best.source) <= 1


def test_off_and_without_the_ability_recall_has_no_turn_channel(mem: Memory) -> None:
    bank = "turns-off"
    _fill(mem, bank)
    hits = mem.recall(QUERY, bank=bank, k=5, layers=("fact",), config=RecallConfig(turn_weight=0))
    assert hits and all("turn" not in h.channels for h in hits)
