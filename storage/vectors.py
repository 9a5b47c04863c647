"""Vector indexes: a small Protocol, Chroma's persistent client, and an in-memory numpy one.

Vectors are computed by our own embedder and passed in precomputed (Chroma's default embedding
function downloads a model and fails offline). Scores are cosine similarities (higher is better).
Every entry carries its `bank` and every query is scoped to it (Chroma: one collection per
bank, so no filter is needed).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import httpx
import numpy as np

from storage.errors import ChromaUnavailable

__all__ = ["VectorIndex", "StoredVectors", "ChromaVectorIndex", "InMemoryVectorIndex"]

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


@runtime_checkable
class StoredVectors(Protocol):
    """Optional ability: read back the vectors stored for some ids in one bank (recall's
    whole-turn channel averages a turn's fact vectors instead of embedding the turn again)."""

    def vectors_of(self, ids: Sequence[str], bank: str) -> dict[str, np.ndarray]: ...


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

    def vectors_of(self, ids: Sequence[str], bank: str) -> dict[str, np.ndarray]:
        return {
            i: self._rows[i][0].copy()
            for i in ids
            if i in self._rows and self._rows[i][1]["bank"] == bank
        }

    def ids(self, bank: str | None = None) -> set[str]:
        return {i for i, (_, m) in self._rows.items() if bank is None or m["bank"] == bank}


class ChromaVectorIndex:
    """Chroma's embedded persistent client (or a server's client); cosine space; **one
    collection per bank**, named `<prefix>_b<hash of the bank>`.

    A bank's collection holds only that bank's vectors, so a query needs no metadata filter:
    a `where` filter makes Chroma pre-select ids from its metadata store (~40 ms, growing with
    the bank), a plain HNSW query takes a few ms. Vectors from the older single-collection
    layout (collection named `prefix`, bank in the metadata) are moved over on open.

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
        url: str | None = None,
    ) -> None:
        """`path` for the embedded persistent client, or `client` (e.g. a Chroma server's
        `HttpClient` from `storage.chroma_server.http_client`) with `path=None`; `collection`
        is the name prefix of this memory's collections (default `engram_facts_<dim>`). With
        `url` (the server's), a server that stops answering raises `ChromaUnavailable`."""
        self.dim = dim
        self.url = url
        self.path = Path(path) if path is not None else None
        self._owns_client = client is None  # ours to close: the embedded persistent client
        if client is None:
            import chromadb
            from chromadb.config import Settings

            if self.path is None:
                raise ValueError("ChromaVectorIndex needs a folder path or a client")
            client = chromadb.PersistentClient(
                path=str(self.path), settings=Settings(anonymized_telemetry=False)
            )
        self.client = client
        self.prefix = (collection or f"engram_facts_{dim}")[:480]
        self._colls: dict[str, Any] = {}  # bank -> collection
        self.collection = _AllBanks(self)  # `get(ids=..., include=...)` across banks
        self._adopt_legacy()

    def close(self) -> None:
        """Release the embedded client: Chroma keeps each persistent client's system (its
        HNSW indexes, its SQLite connections) in a process-wide cache until the last client of
        that folder is closed, so a process that opens many memories in turn (a benchmark, a
        server cycling banks) would otherwise grow with every one. A client handed in (a
        server's HttpClient) belongs to the caller. Idempotent."""
        self._colls.clear()
        if self._owns_client and self.client is not None:
            client, self.client = self.client, None
            close = getattr(client, "close", None)
            if close is not None:
                close()

    def _name(self, bank: str) -> str:
        return f"{self.prefix}_b{hashlib.sha1(bank.encode()).hexdigest()[:20]}"

    def _coll(self, bank: str, *, create: bool) -> Any | None:
        coll = self._colls.get(bank)
        if coll is not None:
            return coll
        if create:
            coll = self.client.get_or_create_collection(
                self._name(bank),
                metadata={"hnsw:space": "cosine", "engram_bank": bank},
                embedding_function=None,
            )
        else:
            try:
                coll = self.client.get_collection(self._name(bank), embedding_function=None)
            except Exception:  # noqa: BLE001 - chromadb's NotFoundError (type varies by client)
                return None
        self._colls[bank] = coll
        return coll

    def _all(self) -> list[Any]:
        """Every bank collection of this memory (others' collections on a server excluded)."""
        mine = f"{self.prefix}_b"
        return [
            self.client.get_collection(c.name, embedding_function=None)
            for c in self.client.list_collections()
            if c.name.startswith(mine) and len(c.name) == len(mine) + 20
        ]

    def _adopt_legacy(self) -> None:
        """Move vectors of the single-collection layout into per-bank collections, once."""
        if not any(c.name == self.prefix for c in self.client.list_collections()):
            return
        old = self.client.get_collection(self.prefix, embedding_function=None)
        while True:
            got = old.get(limit=1000, include=["embeddings", "metadatas"])
            if not got["ids"]:
                break
            metas = [dict(m or {}) for m in got["metadatas"] or []]
            banks = [str(m.pop("bank", "default")) for m in metas]
            vectors = got["embeddings"]  # an ndarray: no truth value
            self.upsert(got["ids"], [] if vectors is None else list(vectors), banks, metas)
            old.delete(ids=got["ids"])
        self.client.delete_collection(self.prefix)

    @contextlib.contextmanager
    def _answering(self) -> Iterator[None]:
        """A Chroma server that stopped answering is `ChromaUnavailable`, not an httpx error."""
        try:
            yield
        except httpx.TransportError as exc:
            if self.url is None:
                raise
            raise ChromaUnavailable(self.url, f"{type(exc).__name__}: {exc}") from exc

    def upsert(self, ids, vectors, banks, metadatas=None) -> None:  # type: ignore[no-untyped-def]
        with self._answering():
            self._upsert(ids, vectors, banks, metadatas)

    def _upsert(self, ids, vectors, banks, metadatas=None) -> None:  # type: ignore[no-untyped-def]
        if not ids:
            return
        metas = _metas(banks, metadatas)
        by_bank: dict[str, list[int]] = {}
        for n, b in enumerate(banks):
            by_bank.setdefault(b, []).append(n)
        step = 1000
        for bank, rows in by_bank.items():
            coll = self._coll(bank, create=True)
            for s in range(0, len(rows), step):
                part = rows[s : s + step]
                coll.upsert(  # type: ignore[union-attr]
                    ids=[ids[n] for n in part],
                    embeddings=[list(map(float, vectors[n])) for n in part],
                    metadatas=[metas[n] for n in part],
                )

    def delete(self, ids: Sequence[str]) -> None:
        if ids:
            with self._answering():
                for coll in self._all():
                    coll.delete(ids=list(ids))

    def query(self, vector, k, bank, where=None) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
        with self._answering():
            return self._query(vector, k, bank, where)

    def _query(self, vector, k, bank, where=None) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
        if k <= 0:
            return []
        coll = self._coll(bank, create=False)
        if coll is None:
            return []
        conds = [{a: b} for a, b in (where or {}).items()]
        flt: dict[str, Any] | None = (
            None if not conds else conds[0] if len(conds) == 1 else {"$and": conds}
        )
        res = coll.query(  # type: ignore[union-attr]
            query_embeddings=[list(map(float, vector))],
            n_results=k,  # more than the collection holds is fine (no count(): ~7 ms a call)
            where=flt,
            include=["distances"],
        )
        ids, dists = res["ids"][0], (res["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def vectors_of(self, ids: Sequence[str], bank: str) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        with self._answering():
            coll = self._coll(bank, create=False)
            if coll is None:
                return {}
            got = coll.get(ids=list(ids), include=["embeddings"])
        vecs = got.get("embeddings")
        if vecs is None:
            return {}
        # one float32 matrix, rows handed out as views: a turn channel reads ~3,000 vectors, and
        # building Python floats of them cost more than the whole rest of a recall
        matrix = np.asarray(vecs, dtype=np.float32)
        return {i: matrix[k] for k, i in enumerate(got["ids"])}

    def count(self, bank: str | None = None) -> int:
        with self._answering():
            if bank is not None:
                coll = self._coll(bank, create=False)
                return coll.count() if coll is not None else 0
            return sum(c.count() for c in self._all())

    def ids(self, bank: str | None = None) -> set[str]:
        with self._answering():
            if bank is not None:
                coll = self._coll(bank, create=False)
                colls = [coll] if coll is not None else []
            else:
                colls = self._all()
            return {i for c in colls for i in c.get(include=[])["ids"]}


class _AllBanks:
    """`get(ids=..., include=...)` over every bank collection (what a single collection used to
    answer; `storage.migrate` reads stored vectors through it)."""

    def __init__(self, index: ChromaVectorIndex) -> None:
        self.index = index

    def get(
        self, ids: Sequence[str] | None = None, include: Sequence[str] = ()
    ) -> dict[str, list[Any]]:
        """Like a Chroma collection's `get`: the given ids, or every entry when `ids` is None."""
        out: dict[str, list[Any]] = {"ids": [], "embeddings": [], "metadatas": []}
        for coll in self.index._all():
            got = coll.get(ids=list(ids) if ids is not None else None, include=list(include))
            out["ids"] += list(got["ids"])
            for key in ("embeddings", "metadatas"):
                if got.get(key) is not None:
                    out[key] += list(got[key])
        return out
