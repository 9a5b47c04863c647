"""One conformance suite for every VectorIndex backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage.vectors import ChromaVectorIndex, InMemoryVectorIndex, VectorIndex
from tests.fakes import HashEmbedder
from tests.storage.shared_fixtures import chroma_server_url  # noqa: F401 (fixture)

EMB = HashEmbedder(dim=32)


@pytest.fixture(params=["memory", "chroma", "chroma_server"])
def index(request: pytest.FixtureRequest, tmp_path) -> Iterator[VectorIndex]:  # type: ignore[no-untyped-def]
    if request.param == "memory":
        yield InMemoryVectorIndex(EMB.dim)
    elif request.param == "chroma":
        yield ChromaVectorIndex(tmp_path / "chroma", EMB.dim)
    else:
        from uuid import uuid4

        from storage.chroma_server import http_client

        client = http_client(request.getfixturevalue("chroma_server_url"))
        name = f"t_{uuid4().hex[:12]}"
        yield ChromaVectorIndex(None, EMB.dim, client=client, collection=name)
        for c in client.list_collections():  # one collection per bank, named after `name`
            if c.name.startswith(name):
                client.delete_collection(c.name)


def _add(index: VectorIndex, items: list[tuple[str, str, str]], **meta: str) -> None:
    ids = [i for i, _, _ in items]
    vecs = EMB.embed([t for _, _, t in items])
    index.upsert(ids, vecs, [b for _, b, _ in items], [dict(meta) for _ in items])


def test_is_a_vector_index(index: VectorIndex) -> None:
    assert isinstance(index, VectorIndex)


def test_query_ranks_nearest_first_and_scores_cosine(index: VectorIndex) -> None:
    _add(index, [("a", "b1", "alice likes tea"), ("b", "b1", "bob rides bikes")])
    hits = index.query(EMB.embed(["alice likes tea"])[0], 2, "b1")
    assert [h[0] for h in hits] == ["a", "b"]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)


def test_bank_scoping(index: VectorIndex) -> None:
    _add(index, [("a", "b1", "alice likes tea"), ("b", "b2", "alice likes tea")])
    assert [h[0] for h in index.query(EMB.embed(["alice"])[0], 10, "b2")] == ["b"]
    assert index.query(EMB.embed(["alice"])[0], 10, "nope") == []
    assert index.count("b1") == 1 and index.count() == 2
    assert index.ids("b2") == {"b"}


def test_upsert_replaces_and_delete_removes(index: VectorIndex) -> None:
    _add(index, [("a", "b1", "alice likes tea")])
    _add(index, [("a", "b1", "bob rides bikes")])
    assert index.count() == 1
    top = index.query(EMB.embed(["bob rides bikes"])[0], 1, "b1")
    assert top[0][1] == pytest.approx(1.0, abs=1e-4)
    index.delete(["a", "missing"])
    assert index.count() == 0 and index.ids() == set()


def test_where_filters_metadata(index: VectorIndex) -> None:
    _add(index, [("a", "b1", "alice likes tea")], layer="fact")
    _add(index, [("o", "b1", "alice likes tea")], layer="observation")
    hits = index.query(EMB.embed(["alice"])[0], 5, "b1", where={"layer": "observation"})
    assert [h[0] for h in hits] == ["o"]


def test_k_larger_than_collection_and_zero(index: VectorIndex) -> None:
    _add(index, [("a", "b1", "alice likes tea")])
    assert len(index.query(EMB.embed(["x"])[0], 50, "b1")) == 1
    assert index.query(EMB.embed(["x"])[0], 0, "b1") == []


def test_chroma_persists_across_reopen(tmp_path) -> None:  # type: ignore[no-untyped-def]
    idx = ChromaVectorIndex(tmp_path / "c", EMB.dim)
    _add(idx, [("a", "b1", "alice likes tea")])
    again = ChromaVectorIndex(tmp_path / "c", EMB.dim)
    assert again.ids("b1") == {"a"}


def test_chroma_one_collection_per_bank_no_filter_needed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    idx = ChromaVectorIndex(tmp_path / "c", EMB.dim)
    _add(idx, [("a", "b1", "alice likes tea"), ("b", "b2", "alice likes tea")])
    names = sorted(c.name for c in idx.client.list_collections())
    assert len(names) == 2 and all(n.startswith(idx.prefix + "_b") for n in names)
    assert idx.collection.get(ids=["a", "b"], include=["embeddings"])["ids"] in (
        ["a", "b"],
        ["b", "a"],
    )


def test_chroma_adopts_the_single_collection_layout(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(
        path=str(tmp_path / "c"), settings=Settings(anonymized_telemetry=False)
    )
    old = client.get_or_create_collection(
        f"engram_facts_{EMB.dim}", metadata={"hnsw:space": "cosine"}, embedding_function=None
    )
    vecs = EMB.embed(["alice likes tea", "bob rides bikes"])
    old.add(ids=["a", "b"], embeddings=vecs, metadatas=[{"bank": "b1", "layer": "fact"},
                                                        {"bank": "b2", "layer": "fact"}])  # fmt: skip
    idx = ChromaVectorIndex(None, EMB.dim, client=client)
    assert idx.ids("b1") == {"a"} and idx.ids("b2") == {"b"}
    assert [h[0] for h in idx.query(vecs[0], 5, "b1", where={"layer": "fact"})] == ["a"]
    assert f"engram_facts_{EMB.dim}" not in {c.name for c in client.list_collections()}
