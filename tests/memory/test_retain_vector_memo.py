"""Retain does not re-embed a derived text (an observation) it embedded recently: a refresh
re-emits the unchanged text whenever only the proof count moved."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from memory.memory import Memory
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder
from tests.memory.conftest import NOW, day


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.seen: Counter[str] = Counter()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.seen.update(texts)
        return super().embed(texts)


def test_unchanged_observation_text_is_embedded_once(tmp_path: Path) -> None:
    emb = CountingEmbedder()
    store = Store.open(tmp_path / "h", embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
    mem = Memory(store, clock=lambda: NOW)
    for n in range(4):
        mem.retain(
            "Sarah finished the report early.", source=f"s{n}", mentioned_at=day("2025-10-01")
        )
    obs = [t for t in emb.seen if "consistently" in t]
    assert obs, "expected an observation from four matching facts"
    assert all(emb.seen[t] == 1 for t in obs)
    hits = mem.recall("Sarah report", k=5, layers=("observation",))
    assert hits and hits[0].metadata["proof_count"] == 4
    store.close()
