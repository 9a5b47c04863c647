"""Another process's writes reach this process's entity graph when it is next read, not on
every writer-lock hold (a writer that only ingests never pays for reloading the graph)."""

from __future__ import annotations

from pathlib import Path

from memory.memory import Memory
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder
from tests.memory.conftest import NOW, day


class CountingStore(Store):
    reloads = 0

    def reload_bank(self, bank: str) -> None:
        type(self).reloads += 1
        super().reload_bank(bank)


def _open(home: Path, cls: type[Store] = Store) -> Memory:
    emb = HashEmbedder(64)
    store = cls.open(home, embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
    return Memory(store, clock=lambda: NOW)


def test_writes_of_another_process_reload_the_graph_only_when_read(tmp_path: Path) -> None:
    home = tmp_path / "home"
    a, b = _open(home), _open(home, CountingStore)
    try:
        b.retain("Gina set up the Oslo office.", source="b1", mentioned_at=day("2025-03-01"))
        a.retain("Jon met Gina in Oslo.", source="a1", mentioned_at=day("2025-03-02"))
        # b writes again: under its lock it learns a wrote, but does not reload the graph
        b.retain("Gina hired Tomas.", source="b2", mentioned_at=day("2025-03-03"))
        assert CountingStore.reloads == 0
        jon_facts = set(a.store.graph.fact_ids()) - set(b.store.graph.fact_ids())
        assert jon_facts  # b's graph has not seen a's fact yet
        hits = b.recall("What did Jon do with Gina?", k=5)
        assert CountingStore.reloads == 1  # the recall read the graph: reloaded once
        assert jon_facts <= set(b.store.graph.fact_ids())
        assert any("Jon" in h.text for h in hits)
        b.recall("Jon and Gina", k=5)
        assert CountingStore.reloads == 1  # nothing new since
    finally:
        a.store.close()
        b.store.close()
