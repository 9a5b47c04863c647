"""The lookups that ran once per touched entity, or once per recall, use the indexes added for
them (migrations 0006, 0007). SQLite keeps no statistics here, and with only single-column
indexes it chose `bank` and walked every observation of the bank; these checks read the plan
of the statements the code really sends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from memory.hierarchy import _observations
from memory.memory import Memory
from memory.recall.layers import _observations as observation_hits
from storage.schema import Entity


@contextmanager
def _statements(mem: Memory) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    engine = mem.store.db.engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def _plans(mem: Memory, run: Callable[[], object]) -> list[str]:
    with _statements(mem) as seen:
        run()
    with mem.store.db.engine.connect() as c:
        return [
            " | ".join(str(r[-1]) for r in c.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, tuple(p)))
            for sql, p in seen
            if "observations" in sql
        ]


def test_an_entitys_touched_observations_are_read_by_the_entity_index(mem: Memory) -> None:
    with mem.store.db.session() as s:
        ent = Entity(bank="default", name="Gina")
        s.add(ent)
        s.flush()
        plans = _plans(mem, lambda: _observations(s, "default", ent.id, ent.name, {"use"}))
    assert plans and all("ix_observations_bank_entity_key" in p for p in plans), plans


def test_recall_reads_observations_by_bank_and_id(mem: Memory) -> None:
    mem.retain("Gina uses Rust for the ledger.", source="s1")
    plans = _plans(mem, lambda: observation_hits(mem.store, "default", {"f1": 1.0}, False))
    assert any("ix_observations_bank_id" in p for p in plans), plans
