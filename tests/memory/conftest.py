"""Fixtures for the Memory facade: a real Store (SQLite + FTS5) with a hash embedder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from memory.memory import Memory
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder

NOW = datetime(2025, 12, 1, 12, 0, tzinfo=UTC)


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def retain_pair(
    mem: Memory, bank: str, old: str, new: str, at: tuple[str, str] = ("2025-03-01", "2025-04-01")
) -> tuple[list[str], list[str], list[Any]]:
    """Retain `old` then `new` (on the two days of `at`): the old note's fact ids, the ids the
    new note superseded, and the reasons it gave."""
    a = mem.retain(old, mentioned_at=day(at[0]), bank=bank)
    b = mem.retain(new, mentioned_at=day(at[1]), bank=bank)
    return a.fact_ids, b.superseded, b.supersessions


def assert_retires(mem: Memory, old: str, new: str) -> None:
    """`new`, told a month after `old`, retires exactly `old`'s facts and says why."""
    old_ids, retired, why = retain_pair(mem, f"c-{abs(hash((old, new)))}", old, new)
    assert old_ids and set(retired) == set(old_ids), (old, new)
    assert why and why[0].get("rule") and why[0].get("slot"), why


def assert_keeps(mem: Memory, old: str, new: str) -> None:
    """`new`, told a month after `old`, retires nothing."""
    old_ids, retired, _ = retain_pair(mem, f"k-{abs(hash((old, new)))}", old, new)
    assert old_ids and retired == [], (old, new)


def retain_intro(
    mem: Memory, bank: str, intro: list[str], note: str, start: datetime, note_after_days: int
) -> list[str]:
    """Retain the `intro` notes a day apart from `start`, then `note` `note_after_days` after
    `start`: the note's fact ids (the alias modules' "who is this?" shape)."""
    for k, text in enumerate(intro):
        mem.retain(text, mentioned_at=start + timedelta(days=k), source=f"intro-{k}", bank=bank)
    at = start + timedelta(days=note_after_days)
    return mem.retain(note, mentioned_at=at, source="note", bank=bank).fact_ids


def is_person_label(mem: Memory, text: str, label: str, bank: str, at: datetime) -> bool:
    """Retain `text` alone in `bank` at `at`: is its leading `label` a resolved person?"""
    mem.retain(text, mentioned_at=at, bank=bank)
    ent = mem.entity(label, bank=bank)
    return ent is not None and ent.status == "resolved" and ent.kind == "person"


def entity_holds(mem: Memory, bank: str, name: str, fact_ids: list[str]) -> bool:
    """`name` resolves to an entity whose facts include one of `fact_ids`."""
    ent = mem.entity(name, bank=bank)
    return ent is not None and bool({h.fact_id for h in ent.facts} & set(fact_ids))


def open_memory(home: Path, *, chroma: bool = False, **kw: object) -> Memory:
    emb = HashEmbedder(64)
    vectors = None if chroma else InMemoryVectorIndex(emb.dim)
    store = Store.open(home, embedder=emb, vectors=vectors)
    return Memory(store, clock=lambda: NOW, **kw)  # type: ignore[arg-type]


def real_memory_fixture(name: str) -> Any:
    """A module-scoped `mem` on the real stack (SQLite, embedded Chroma, MiniLM, spaCy): one
    store per test module, as the semantics tests use it (`mem = real_memory_fixture("x")`)."""

    @pytest.fixture(scope="module")
    def mem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Memory]:
        m = Memory(Store.open(Path(tmp_path_factory.mktemp(name)) / "home"))
        yield m
        m.store.close()

    return mem


@pytest.fixture
def mem(tmp_path: Path) -> Iterator[Memory]:
    m = open_memory(tmp_path / "home")
    yield m
    m.store.close()
