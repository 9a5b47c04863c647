"""Another process's writes reach this process's entity graph when it is next read, not on
every writer-lock hold (a writer that only ingests never pays for reloading the graph)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from memory.memory import Memory
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder
from tests.memory.conftest import NOW, day
from tests.storage.shared_fixtures import pg_database_url  # noqa: F401


class CountingStore(Store):
    reloads = 0

    def reload_bank(self, bank: str) -> None:
        type(self).reloads += 1
        super().reload_bank(bank)


def _open(home: Path, cls: type[Store] = Store, url: str | None = None) -> Memory:
    emb = HashEmbedder(64)
    store = cls.open(home, url, embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
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


class ReloadLog(Store):
    """Counts full reloads of this store's graph (per instance)."""

    def reload_bank(self, bank: str) -> None:
        self.__dict__["reloads"] = self.__dict__.get("reloads", 0) + 1
        super().reload_bank(bank)


def _reloads(m: Memory) -> int:
    return int(m.store.__dict__.get("reloads", 0))


def test_new_facts_are_caught_up_on_and_rewrites_reload(tmp_path: Path) -> None:
    _catch_up_then_rewrite(tmp_path / "home", None)


def test_graph_catch_up_on_postgresql(tmp_path: Path, pg_database_url: str) -> None:  # noqa: F811
    _catch_up_then_rewrite(tmp_path / "home", pg_database_url)


def _catch_up_then_rewrite(home: Path, url: str | None) -> None:
    a = _open(home, url=url)
    a.retain("Gina set up the Oslo office.", source="a1", mentioned_at=day("2025-03-01"))
    b = _open(home, ReloadLog, url)
    try:
        a.retain("Jon met Gina in Oslo.", source="a2", mentioned_at=day("2025-03-02"))
        jon = set(a.store.graph.fact_ids()) - set(b.store.graph.fact_ids())
        assert jon
        b.recall("What did Jon do with Gina?", k=5)
        assert _reloads(b) == 0  # appended facts only: read since the last look
        assert jon <= set(b.store.graph.fact_ids())
        assert {e for f in jon for e in b.store.graph.entities_of(f)} == {
            e for f in jon for e in a.store.graph.entities_of(f)
        }

        a.forget(source="a2")  # another process removes facts: b must reload
        b.recall("Jon and Gina", k=5)
        assert _reloads(b) == 1
        assert not jon & set(b.store.graph.fact_ids())

        # b's own rewrite updates its graph in place; others' appends are caught up on after
        b.forget(source="a1")
        a.retain("Tomas joined Gina in Bergen.", source="a3", mentioned_at=day("2025-03-04"))
        b.recall("Who joined Gina?", k=5)
        assert _reloads(b) == 1
        assert set(b.store.graph.fact_ids()) == set(a.store.fresh_graph("default").fact_ids())
    finally:
        a.store.close()
        b.store.close()


def test_graph_marks_read_the_latest_recording_time_per_bank(tmp_path: Path) -> None:
    from storage.store import graph_marks

    m = _open(tmp_path / "home")
    try:
        m.retain("Gina set up the Oslo office.", source="s1", mentioned_at=day("2025-03-01"))
        m.retain("Jon runs ops.", source="s2", bank="other", mentioned_at=day("2025-03-01"))
        marks = graph_marks(m.store.db, m.store.sync)
        assert set(marks) == {"default", "other"}
        rewrites, latest = marks["default"]
        assert rewrites == 0 and latest is not None and latest.tzinfo is not None
        m.forget(source="s1")
        assert graph_marks(m.store.db, m.store.sync, "default")["default"][0] == 1
    finally:
        m.store.close()


def test_a_failed_rewrite_of_this_process_reloads_the_graph_next_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a rewrite that succeeded may count as reflected in this process's graph: one that
    failed under the lock may have left SQL and the graph apart."""
    home = tmp_path / "home"
    a = _open(home)
    a.retain("Gina set up the Oslo office.", source="a1", mentioned_at=day("2025-03-01"))
    b = _open(home, ReloadLog)
    try:

        def broken(*_args: object, **_kw: object) -> None:
            raise RuntimeError("disk went away mid-forget")

        monkeypatch.setattr(b, "_forget", broken)
        with pytest.raises(RuntimeError):
            b.forget(source="a1")
        a.retain("Jon met Gina in Oslo.", source="a2", mentioned_at=day("2025-03-02"))
        b.recall("Jon and Gina", k=5)
        assert _reloads(b) == 1
    finally:
        a.store.close()
        b.store.close()


def test_catch_up_reads_facts_a_slower_clock_recorded_just_before_the_mark(
    tmp_path: Path,
) -> None:
    """A writer on another host whose clock runs behind records facts "earlier" than the
    latest time this process saw; within CLOCK_SKEW they are still caught up on."""
    from datetime import timedelta

    from storage.schema import Entity, Fact, FactEntity
    from storage.store import CLOCK_SKEW

    m = _open(tmp_path / "home")
    try:
        m.retain("Gina set up the Oslo office.", source="s1", mentioned_at=day("2025-03-01"))
        m.store.reload_bank("default")  # the graph has looked: its mark is the fact's time
        _, mark = m.store._graph_marks["default"]
        assert mark is not None
        with m.store.db.session() as s:
            episode_id = s.exec(select(Fact.episode_id)).first()
            ent = Entity(bank="default", name="Tomas")
            late = Fact(
                bank="default",
                episode_id=episode_id,
                text="Tomas joined.",
                mentioned_at=day("2025-03-02"),
                recorded_at=mark - CLOCK_SKEW + timedelta(seconds=5),
            )
            s.add_all([ent, late])
            s.flush()
            s.add(FactEntity(fact_id=late.id, entity_id=ent.id, bank="default"))
        m.store.catch_up_bank("default")
        assert m.store.graph.entities_of(late.id) == [ent.id]
    finally:
        m.store.close()
