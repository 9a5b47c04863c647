"""Writers of one bank are serialised by its writer lock, so retain embeds nothing while it
holds the lock: fact texts are embedded before it is taken, new observation texts after it is
released (and indexed under a second, short hold, only if SQL still has that text)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path

from sqlmodel import select

from memory.memory import Memory
from storage.schema import Observation
from storage.store import IndexDoc, Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder
from tests.memory.conftest import NOW, day


class WatchedEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.locked = False
        self.calls: list[tuple[bool, list[str]]] = []

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append((self.locked, list(texts)))
        return super().embed(texts)


def _watched(tmp_path: Path) -> tuple[Memory, WatchedEmbedder]:
    emb = WatchedEmbedder()
    store = Store.open(tmp_path / "h", embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
    sync = store.sync
    assert sync is not None
    inner = sync.awriting

    @contextlib.asynccontextmanager
    async def awriting(banks: Iterable[str], **kw: bool) -> AsyncIterator[set[str]]:
        async with inner(banks, **kw) as stale:
            emb.locked = True
            try:
                yield stale
            finally:
                emb.locked = False

    sync.awriting = awriting  # type: ignore[method-assign]
    return Memory(store, clock=lambda: NOW), emb


def test_retain_embeds_nothing_under_the_writer_lock(tmp_path: Path) -> None:
    mem, emb = _watched(tmp_path)
    for n in range(3):
        mem.retain(
            "Sarah finished the report early.", source=f"s{n}", mentioned_at=day("2025-10-01")
        )
    assert emb.calls and not any(locked for locked, _ in emb.calls)
    assert any("consistently" in t for _, texts in emb.calls for t in texts)
    with mem.store.db.session() as s:
        [obs] = s.exec(select(Observation)).all()
    assert obs.id in mem.store.vectors.ids("default")
    hits = mem.recall("Sarah report", k=5, layers=("observation",))
    assert hits and hits[0].metadata["proof_count"] == 3
    mem.store.close()


def test_a_late_observation_text_sql_no_longer_has_is_not_indexed(tmp_path: Path) -> None:
    mem, _ = _watched(tmp_path)
    for n in range(2):
        mem.retain("Sarah finished the report early.", source=f"s{n}")
    with mem.store.db.session() as s:
        [obs] = s.exec(select(Observation)).all()
    mem.store.unindex([obs.id])
    old = IndexDoc(
        obs.id, "default", "Sarah consistently finished it", "observation", "observation"
    )
    asyncio.run(mem._retainer._index_late([old]))
    assert obs.id not in mem.store.vectors.ids("default")  # rewritten meanwhile: skipped
    now = IndexDoc(obs.id, "default", obs.text, "observation", "observation")
    asyncio.run(mem._retainer._index_late([now]))
    assert obs.id in mem.store.vectors.ids("default")
    mem.store.close()


def test_a_hold_that_does_not_catch_up_leaves_it_to_the_next(tmp_path: Path) -> None:
    from storage.db import Database, sqlite_url
    from storage.sync import BankSync

    url = sqlite_url(tmp_path / "engram.db")
    db_a, db_b = Database(url), Database(url)
    db_a.migrate()
    seen: list[str] = []
    a, b = BankSync(db_a, on_stale=seen.append), BankSync(db_b)
    with b.writing(["x"]):  # another process writes
        pass
    with a.writing(["x"], catch_up=False) as stale:
        assert stale == set() and seen == []
    with a.writing(["x"]) as stale:  # the next hold still learns of the other write
        assert stale == {"x"} and seen == ["x"]
    with a.writing(["x"]) as stale:
        assert stale == set() and seen == ["x"]
    db_a.dispose()
    db_b.dispose()
