"""retain_many commits chunks in order while later chunks are prepared ahead (Memory._pipelined):
results keep the input order across many chunks, and a failing commit stops the batch without
losing the chunks already committed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select

from memory.memory import PREPARE_AHEAD, Memory
from memory.retain import RetainItem
from storage.schema import Episode
from tests.memory.conftest import day, open_memory

TEXTS = [f"Person{i} reviewed the design of service {i}." for i in range(9)]


def _items() -> list[RetainItem]:
    out = [RetainItem(t, day("2025-03-01"), f"src{i}", "b") for i, t in enumerate(TEXTS)]
    return out + [RetainItem(TEXTS[3], day("2025-03-01"), "src3", "b")]  # a duplicate, last


def test_many_chunks_keep_input_order(tmp_path: Path) -> None:
    mem = open_memory(tmp_path / "home")
    try:
        results = asyncio.run(mem.aretain_many(_items(), chunk=2))  # 5 chunks, 2 ahead
        assert len(TEXTS) // 2 > PREPARE_AHEAD
        with mem.store.db.session() as s:
            stored = {e.id: e.text for e in s.exec(select(Episode)).all()}
        assert [stored[r.episode_id] for r in results[:-1]] == TEXTS
        assert results[-1].noop and results[-1].episode_id == results[3].episode_id
        assert len(stored) == len(TEXTS)
    finally:
        mem.store.close()


def test_a_failing_commit_keeps_earlier_chunks_and_stops(tmp_path: Path) -> None:
    mem: Memory = open_memory(tmp_path / "home")
    commit = mem._retainer.commit
    calls = 0

    async def failing_third(p):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        return await commit(p)

    mem._retainer.commit = failing_third  # type: ignore[method-assign]
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            asyncio.run(mem.aretain_many(_items()[:-1], chunk=2))
        with mem.store.db.session() as s:
            kept = sorted(e.text for e in s.exec(select(Episode)).all())
        assert kept == sorted(TEXTS[:4]) and calls == 3  # chunks 1-2 stored, 4-5 never committed
    finally:
        mem.store.close()
