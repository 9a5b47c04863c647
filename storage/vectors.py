"""Vector indexes: a small Protocol, Chroma's persistent client, and an in-memory numpy one.

Vectors are computed by our own embedder and passed in precomputed (Chroma's default embedding
function downloads a model and fails offline). Scores are cosine similarities (higher is better).
Every entry carries its `bank` and every query is filtered on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = ["VectorIndex", "ChromaVectorIndex", "InMemoryVectorIndex"]

Meta = Mapping[str, str | int | float | bool]


@runtime_checkable
class VectorIndex(Protocol):
    dim: int

    def upsert(
        self,
        ids: Sequence[str],
        vectors: Sequence[Sequence[float]],
        banks: Sequence[str],
        metadatas: Sequence[Meta] | None = None,
    ) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def query(
        self, vector: Sequence[float], k: int, bank: str, where: Meta | None = None
    ) -> list[tuple[str, float]]:
        """Top-k (id, cosine similarity) within `bank`, optionally matching every `where` pair."""
        ...

    def count(self, bank: str | None = None) -> int: ...

    def ids(self, bank: str | None = None) -> set[str]: ...


def _metas(banks: Sequence[str], metadatas: Sequence[Meta] | None) -> list[dict[str, Any]]:
    metas = [dict(m) for m in metadatas] if metadatas else [{} for _ in banks]
    for m, b in zip(metas, banks, strict=True):
        m["bank"] = b
    return metas


class InMemoryVectorIndex:
    """Exact cosine search over a numpy matrix. For tests and small banks."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._rows: dict[str, tuple[np.ndarray, dict[str, Any]]] = {}

    def upsert(self, ids, vectors, banks, metadatas=None) -> None:  # type: ignore[no-untyped-def]
        for i, v, m in zip(ids, vectors, _metas(banks, metadatas), strict=True):
            vec = np.asarray(v, dtype=np.float32)
            if vec.shape != (self.dim,):
                raise ValueError(f"vector for {i} has shape {vec.shape}, index dim is {self.dim}")
            norm = float(np.linalg.norm(vec)) or 1.0
            self._rows[i] = (vec / norm, m)

    def delete(self, ids: Sequence[str]) -> None:
        for i in ids:
            self._rows.pop(i, None)

    def query(self, vector, k, bank, where=None) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
        cond = {"bank": bank, **(dict(where) if where else {})}
        cand = [
            (i, v)
            for i, (v, m) in self._rows.items()
            if all(m.get(a) == b for a, b in cond.items())
        ]
        if not cand or k <= 0:
            return []
        q = np.asarray(vector, dtype=np.float32)
        q = q / (float(np.linalg.norm(q)) or 1.0)
        sims = np.stack([v for _, v in cand]) @ q
        order = np.argsort(-sims)[:k]
        return [(cand[j][0], float(sims[j])) for j in order]

    def count(self, bank: str | None = None) -> int:
        return len(self.ids(bank))

    def ids(self, bank: str | None = None) -> set[str]:
        return {i for i, (_, m) in self._rows.items() if bank is None or m["bank"] == bank}


class ChromaVectorIndex:
    """Chroma's embedded persistent client; one collection per embedder dimension, cosine space.

    One process should own a folder (Chroma's embedded search index goes stale across
    processes); shared deployments use Chroma's server mode.
    """

    def __init__(
        self,
        path: Path | str | None,
        dim: int,
        *,
        collection: str | None = None,
        client: Any | None = None,
    ) -> None:
        """`path` for the embedded persistent client, or `client` (e.g. a Chroma server's
        `HttpClient` from `storage.chroma_server.http_client`) with `path=None`."""
        self.dim = dim
        self.path = Path(path) if path is not None else None
        if client is None:
            import chromadb
            from chromadb.config import Settings

            if self.path is None:
                raise ValueError("ChromaVectorIndex needs a folder path or a client")
            client = chromadb.PersistentClient(
                path=str(self.path), settings=Settings(anonymized_telemetry=False)
            )
        self.client = client
        self.collection = self.client.get_or_create_collection(
            collection or f"engram_facts_{dim}",
            metadata={"hnsw:space": "cosine"},
            embedding_function=None,
        )

    def upsert(self, ids, vectors, banks, metadatas=None) -> None:  # type: ignore[no-untyped-def]
        if not ids:
            return
        metas = _metas(banks, metadatas)
        step = 1000
        for s in range(0, len(ids), step):
            self.collection.upsert(
                ids=list(ids[s : s + step]),
                embeddings=[list(map(float, v)) for v in vectors[s : s + step]],  # type: ignore[arg-type]
                metadatas=metas[s : s + step],  # type: ignore[arg-type]
            )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            self.collection.delete(ids=list(ids))

    def query(self, vector, k, bank, where=None) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
        if k <= 0:
            return []
        conds = [{"bank": bank}] + [{a: b} for a, b in (where or {}).items()]
        flt: dict[str, Any] = conds[0] if len(conds) == 1 else {"$and": conds}
        n = min(k, self.collection.count())
        if n == 0:
            return []
        res = self.collection.query(
            query_embeddings=[list(map(float, vector))],  # type: ignore[arg-type]
            n_results=n,
            where=flt,
            include=["distances"],
        )
        ids, dists = res["ids"][0], (res["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def count(self, bank: str | None = None) -> int:
        return self.collection.count() if bank is None else len(self.ids(bank))

    def ids(self, bank: str | None = None) -> set[str]:
        res = self.collection.get(where={"bank": bank} if bank else None, include=[])
        return set(res["ids"])
