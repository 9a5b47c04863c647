"""Store, graph and the facade on both SQL backends (PostgreSQL skipped when unreachable)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from memory.memory import Memory
from storage.graph import EntityGraph
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder


def test_graph_activation_and_pagerank_are_bank_scoped() -> None:
    g = EntityGraph()
    g.add_fact("f1", "b1", ["alice", "acme"])
    g.add_fact("f2", "b1", ["acme", "bob"])
    g.add_fact("f3", "b1", ["carol"])
    g.add_fact("x1", "b2", ["alice"])
    act = dict(g.activate(["alice"], "b1"))
    assert set(act) == {"f1", "f2"} and act["f1"] > act["f2"]
    pr = [f for f, _ in g.pagerank(["alice"], "b1")]
    assert pr[0] == "f1" and "x1" not in pr and "f3" not in pr
    assert g.activate(["alice"], "b3") == [] and g.activate(["nobody"], "b1") == []
    g.relink("f2", "bob", "alice")
    assert set(g.entities_of("f2")) == {"acme", "alice"}
    g.remove_facts(["f1"])
    assert g.fact_ids("b1") == {"f2", "f3"}
    g.drop_bank("b1")
    assert g.fact_ids() == {"x1"}


def _facade_round_trip(store: Store) -> None:
    mem = Memory(store)
    r = mem.retain("We use MySQL for billing.", source="s1", bank="pgbank")
    r2 = mem.retain("We switched to PostgreSQL for billing.", source="s2", bank="pgbank")
    assert r2.superseded == r.fact_ids
    assert mem.retain("We use MySQL for billing.", source="s1", bank="pgbank").noop
    assert [f.text for f in mem.entity("PostgreSQL", bank="pgbank").facts]  # type: ignore[union-attr]
    assert store.keywords.query("PostgreSQL billing", 3, "pgbank")[0][0] == r2.fact_ids[0]
    mem.forget(source="s2", bank="pgbank")
    assert r2.fact_ids[0] not in store.keywords.ids("pgbank")
    reopened = EntityGraph.load(store.db)
    assert reopened.fact_ids("pgbank") == set(r.fact_ids)
    mem.forget(everything=True, bank="pgbank")


def test_facade_round_trip_on_sqlite(tmp_path: Path) -> None:
    emb = HashEmbedder(64)
    store = Store.open(tmp_path, embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
    assert (tmp_path / "engram.db").exists()
    _facade_round_trip(store)


@pytest.mark.postgres
def test_facade_round_trip_on_postgres(tmp_path: Path, pg_url: str) -> None:
    emb = HashEmbedder(64)
    store = Store.open(tmp_path, pg_url, embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
    assert store.db.dialect == "postgresql"
    with store.db.engine.connect() as c:
        c.execute(text("SELECT 1 FROM engram_migrations"))
    _facade_round_trip(store)


def test_from_env_picks_the_embedder_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from agent.errors import ConfigError
    from agent.wiring import open_store, settings_from_env

    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path))
    monkeypatch.setenv("ENGRAM_EMBEDDER", "onnx")
    store = open_store(settings_from_env())
    try:
        assert store.embedder.backend == "onnx"  # type: ignore[attr-defined]
    finally:
        store.close()
    monkeypatch.setenv("ENGRAM_EMBEDDER", "gpu")
    with pytest.raises(ConfigError, match="onnx-int8"):
        settings_from_env()
