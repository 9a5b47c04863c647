"""Turn vectors (storage.turns) on the real stack: SQLite or PostgreSQL, embedded Chroma, MiniLM,
spaCy. Each turn's stored vector is the unit mean of its facts' stored vectors: written at
retain, rewritten or deleted by forget, backfilled for a bank made before the table, and read
by recall's whole-turn channel."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text
from sqlmodel import col, select

from memory.memory import Memory
from memory.recall.pipeline import RecallConfig
from storage.embedder import MiniLMEmbedder
from storage.reconcile import reconcile
from storage.schema import Fact, TurnVector
from storage.store import Store
from storage.turns import read_turns
from storage.vectors import StoredVectors

T0 = datetime(2024, 3, 4, 10, 0, tzinfo=UTC)
LONG = (
    "Assistant: Hydraulic fracturing injects water, sand and chemicals into shale rock. "
    "Pennsylvania requires operators to test nearby drinking water wells before drilling "
    "begins. The tests continue for a year after the well is complete."
)
SHORT = "User: I am planning a hiking trip to the Rocky Mountains next month."
QUERY = "Which state requires fracking companies to monitor groundwater at nearby wells?"
TURNS_ON = RecallConfig(turn_weight=1.0, one_per_passage=False)


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


@pytest.fixture
def mem(tmp_path: Path, embedder: MiniLMEmbedder) -> Iterator[Memory]:
    m = Memory(Store.open(tmp_path / "home", embedder=embedder))
    yield m
    m.store.close()


def _stored(store: Store, bank: str, episode: str) -> np.ndarray | None:
    with store.db.session() as s:
        return read_turns(s, bank, [episode], store.embedder.dim).get(episode)


def _mean_of_facts(store: Store, bank: str, episode: str) -> np.ndarray:
    """The unit mean of the episode's fact vectors, read back from Chroma."""
    with store.db.session() as s:
        ids = list(s.exec(select(Fact.id).where(Fact.episode_id == episode)))
    assert isinstance(store.vectors, StoredVectors)
    vecs = np.asarray(list(store.vectors.vectors_of(ids, bank).values()), dtype=np.float64)
    total = vecs.sum(axis=0)
    return total / np.linalg.norm(total)


def _turn_scores(mem: Memory, bank: str) -> dict[str, float]:
    hits = mem.recall(QUERY, bank=bank, k=20, layers=("fact",), config=TURNS_ON)
    return {h.fact_id: h.channels["turn"] for h in hits if "turn" in h.channels}


def _turn_rows(store: Store) -> int:
    with store.db.session() as s:
        return len(s.exec(select(TurnVector.episode_id)).all())


def test_retain_writes_each_turn_the_unit_mean_of_its_fact_vectors(mem: Memory) -> None:
    bank = "tv-write"
    long, short = (mem.retain(t, mentioned_at=T0, bank=bank, source=f"s{i}")
                   for i, t in enumerate((LONG, SHORT)))  # fmt: skip
    assert len(long.fact_ids) >= 2
    for r in (long, short):
        got = _stored(mem.store, bank, r.episode_id)
        assert got is not None and got.dtype == np.float32
        assert np.allclose(got, _mean_of_facts(mem.store, bank, r.episode_id), atol=1e-6)
    assert _stored(mem.store, "another-bank", long.episode_id) is None


def test_forget_rewrites_a_turn_that_keeps_facts_and_deletes_one_left_empty(mem: Memory) -> None:
    bank = "tv-forget"
    long = mem.retain(LONG, mentioned_at=T0, bank=bank, source="long")
    short = mem.retain(SHORT, mentioned_at=T0, bank=bank, source="short")
    before = _stored(mem.store, bank, long.episode_id)
    mem.forget(long.fact_ids[0], bank=bank)
    after = _stored(mem.store, bank, long.episode_id)
    assert after is not None and before is not None and not np.allclose(after, before)
    assert np.allclose(after, _mean_of_facts(mem.store, bank, long.episode_id), atol=1e-6)
    mem.forget(source="short", bank=bank)
    assert _stored(mem.store, bank, short.episode_id) is None
    mem.forget(everything=True, bank=bank)
    assert _turn_rows(mem.store) == 0


def test_recall_scores_a_turn_by_its_stored_vector(mem: Memory) -> None:
    bank = "tv-recall"
    long = mem.retain(LONG, mentioned_at=T0, bank=bank, source="long")
    mem.retain(SHORT, mentioned_at=T0, bank=bank, source="short")
    scores = _turn_scores(mem, bank)
    assert set(long.fact_ids) <= set(scores)
    # a stored vector equal to the query's: the turn channel scores that turn 1.0
    q = np.asarray(mem.store.embedder.embed([QUERY])[0], dtype=np.float32)
    with mem.store.db.session() as s:
        row = s.get(TurnVector, long.episode_id)
        assert row is not None
        row.vector = (q / np.linalg.norm(q)).tobytes()
        s.add(row)
    again = _turn_scores(mem, bank)
    assert all(again[f] == pytest.approx(1.0, abs=1e-5) for f in long.fact_ids)


def test_a_turn_without_a_stored_vector_scores_the_same_from_its_fact_vectors(
    mem: Memory,
) -> None:
    """What a bank made before turn vectors gets until reconcile has backfilled it."""
    bank = "tv-fallback"
    mem.retain(LONG, mentioned_at=T0, bank=bank, source="long")
    mem.retain(SHORT, mentioned_at=T0, bank=bank, source="short")
    stored = _turn_scores(mem, bank)
    with mem.store.db.session() as s:
        s.execute(text("DELETE FROM turn_vectors"))
    assert _turn_scores(mem, bank) == pytest.approx(stored, abs=1e-5)
    assert reconcile(mem.store).turns == 2
    assert _turn_scores(mem, bank) == pytest.approx(stored, abs=1e-5)


def _make_old(store: Store) -> None:
    """Turn the store's database into one from before migration 0020."""
    with store.db.engine.begin() as c:
        c.execute(text("DROP TABLE turn_vectors"))
        c.execute(text("DELETE FROM engram_migrations WHERE name = '0020_turn_vectors'"))


def _backfill_on_open(home: Path, url: str | None, embedder: MiniLMEmbedder) -> None:
    store = Store.open(home, url, embedder)
    mem = Memory(store)
    bank = "tv-old"
    long = mem.retain(LONG, mentioned_at=T0, bank=bank, source="long")
    short = mem.retain(SHORT, mentioned_at=T0, bank=bank, source="short")
    want = {r.episode_id: _stored(store, bank, r.episode_id) for r in (long, short)}
    _make_old(store)
    store.close()
    store = Store.open(home, url, embedder)  # migrates, then reconcile backfills
    try:
        assert "0020_turn_vectors" in store.db.applied_migrations()
        for ep, vec in want.items():
            got = _stored(store, bank, ep)
            assert got is not None and vec is not None and np.allclose(got, vec, atol=1e-6)
        with store.db.session() as s:
            facts = s.exec(select(TurnVector.facts).where(col(TurnVector.bank) == bank)).all()
        assert sorted(facts) == sorted([len(short.fact_ids), len(long.fact_ids)])
    finally:
        Memory(store).forget(everything=True, bank=bank)  # a shared schema is left clean
        store.close()


def test_a_bank_made_before_turn_vectors_is_backfilled_on_open(
    tmp_path: Path, embedder: MiniLMEmbedder
) -> None:
    _backfill_on_open(tmp_path / "home", None, embedder)


def test_postgres_writes_forgets_and_backfills_turn_vectors(
    tmp_path: Path, embedder: MiniLMEmbedder, pg_url: str
) -> None:
    store = Store.open(tmp_path / "pg", pg_url, embedder)
    mem = Memory(store)
    try:
        long = mem.retain(LONG, mentioned_at=T0, bank="tv-pg", source="long")
        got = _stored(store, "tv-pg", long.episode_id)
        assert got is not None
        assert np.allclose(got, _mean_of_facts(store, "tv-pg", long.episode_id), atol=1e-6)
        assert set(long.fact_ids) <= set(_turn_scores(mem, "tv-pg"))
        mem.forget(everything=True, bank="tv-pg")
        assert _stored(store, "tv-pg", long.episode_id) is None
    finally:
        store.close()
    _backfill_on_open(tmp_path / "pg-old", pg_url, embedder)
