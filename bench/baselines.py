"""Baseline retrievers for benchmarks: BM25 (rank-bm25) and dense (any `Embedder`), over a
fixed list of documents. In-memory and ad hoc: they rank, they do not persist."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from memory.ports import Embedder
from storage.keyword import STOPWORDS

__all__ = ["tokenize", "BM25Baseline", "DenseBaseline"]

_STOP = STOPWORDS  # the same list the keyword index drops, so the baseline is comparable


def tokenize(text: str) -> list[str]:
    toks = re.findall(r"[^\W_]+", text.lower())
    return [t for t in toks if t not in _STOP] or toks


class BM25Baseline:
    """Okapi BM25 over `docs`; `rank(query, k)` returns document indexes, best first."""

    def __init__(self, docs: Sequence[str]) -> None:
        from rank_bm25 import BM25Okapi

        self._n = len(docs)
        self._bm25 = BM25Okapi([tokenize(d) or [""] for d in docs]) if docs else None

    def rank(self, query: str, k: int) -> list[int]:
        if self._bm25 is None:
            return []
        scores = self._bm25.get_scores(tokenize(query))
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k]]


class DenseBaseline:
    """Cosine similarity between the query and each document embedding."""

    def __init__(self, docs: Sequence[str], embedder: Embedder) -> None:
        self.embedder = embedder
        self._m = np.asarray(embedder.embed(list(docs)), dtype=np.float32) if docs else None

    def rank(self, query: str, k: int) -> list[int]:
        if self._m is None:
            return []
        q = np.asarray(self.embedder.embed([query])[0], dtype=np.float32)
        return [int(i) for i in np.argsort(-(self._m @ q), kind="stable")[:k]]
