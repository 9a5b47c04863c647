"""Fixtures for the Memory facade: a real Store (SQLite + FTS5) with a hash embedder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from memory.memory import Memory
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder

NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def open_memory(home: Path, *, chroma: bool = False, **kw: object) -> Memory:
    emb = HashEmbedder(64)
    vectors = None if chroma else InMemoryVectorIndex(emb.dim)
    store = Store.open(home, embedder=emb, vectors=vectors)
    return Memory(store, clock=lambda: NOW, **kw)  # type: ignore[arg-type]


@pytest.fixture
def mem(tmp_path: Path) -> Iterator[Memory]:
    m = open_memory(tmp_path / "home")
    yield m
    m.store.close()
