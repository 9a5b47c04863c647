"""Closing a store releases its embedded Chroma: Chroma caches every persistent client's system
(HNSW indexes, SQLite connections) process-wide until the last client of that folder closes, so
a process that opens memories in turn must not keep them all."""

from __future__ import annotations

from pathlib import Path

from chromadb.api.shared_system_client import SharedSystemClient

from storage.store import Store
from storage.vectors import ChromaVectorIndex
from tests.fakes import HashEmbedder


def _systems() -> set[str]:
    return set(SharedSystemClient._identifier_to_system)


def test_closing_the_store_releases_the_chroma_system(tmp_path: Path) -> None:
    before = _systems()
    store = Store.open(tmp_path / "home", embedder=HashEmbedder(16))
    assert isinstance(store.vectors, ChromaVectorIndex)
    assert _systems() - before, "the embedded client registers its system"
    store.close()
    assert _systems() == before
    store.close()  # idempotent


def test_reopening_after_close_finds_the_vectors(tmp_path: Path) -> None:
    path = tmp_path / "chroma"
    one = ChromaVectorIndex(path, 3)
    one.upsert(["a", "b"], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], ["default", "default"])
    one.close()
    two = ChromaVectorIndex(path, 3)
    try:
        assert two.ids("default") == {"a", "b"}
    finally:
        two.close()


def test_a_client_handed_in_is_not_closed(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(tmp_path / "c"),
                                       settings=Settings(anonymized_telemetry=False))  # fmt: skip
    index = ChromaVectorIndex(None, 3, client=client)
    index.close()
    assert client.list_collections() is not None  # still usable: the caller owns it
    client.close()
