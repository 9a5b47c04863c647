"""What the fast MiniLM engines share, and the bfloat16 torch engine.

`SortedEncoder.encode(texts)` tokenizes all texts in one call (the model's own tokenizer.json,
truncated at 256 wordpieces like sentence-transformers), sorts them by length so each batch
carries little padding, runs `_forward` per batch, mean-pools over the attention mask and
L2-normalises in float32 (sentence-transformers' Pooling(mean) + Normalize), and restores the
input order.

`TorchBf16MiniLM` runs the transformer in bfloat16 on CPUs with AMX (Intel Sapphire Rapids and
later), where oneDNN's bf16 matmuls are ~3-4x faster than fp32; pooling stays float32, and the
vectors are checked against fp32 on probe sentences when the engine loads (cosine >= 0.999).

Nothing heavy is imported at module import.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MAX_SEQ_LENGTH",
    "INPUT_NAMES",
    "PROBES",
    "SortedEncoder",
    "TorchBf16MiniLM",
    "amx_bf16_available",
    "load_tokenizer",
    "mean_pool_normalise",
    "pad_batch",
]

MAX_SEQ_LENGTH = 256  # sentence-transformers' max_seq_length for this model
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
PROBES = (
    "Sarah finishes the migration two weeks early.",
    "We chose PostgreSQL over MySQL in October because of JSONB support and the licence.",
    "ok",
    "The deployment was blocked by the flaky CI runners " * 12,
)
_BF16_MIN_COSINE = 0.999


def amx_bf16_available(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """True when the CPU advertises AMX bf16 (fast bfloat16 matmuls in oneDNN)."""
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return False
    flags = next((line for line in text.splitlines() if line.startswith("flags")), "")
    return "amx_bf16" in flags.split()


def load_tokenizer(tokenizer_file: Path, max_seq_length: int = MAX_SEQ_LENGTH) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_file))
    tok.enable_truncation(max_length=max_seq_length)
    tok.no_padding()
    return tok


def pad_batch(ids: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(input_ids, attention_mask, token_type_ids) as int64, right-padded with 0 ([PAD])."""
    import numpy as np

    width = max(len(x) for x in ids)
    input_ids = np.zeros((len(ids), width), dtype=np.int64)
    mask = np.zeros((len(ids), width), dtype=np.int64)
    for row, x in enumerate(ids):
        input_ids[row, : len(x)] = x
        mask[row, : len(x)] = 1
    return input_ids, mask, np.zeros_like(input_ids)


def mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) + Normalize: masked mean, then L2 (eps 1e-12)."""
    import numpy as np

    m = mask[..., None].astype(np.float32)
    summed = (hidden.astype(np.float32) * m).sum(axis=1)
    pooled = summed / np.clip(m.sum(axis=1), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class SortedEncoder(ABC):
    """Length-sorted batching + float32 pooling around a per-batch `_forward` (each engine
    implements it)."""

    dim = 384

    def __init__(self, tokenizer_file: Path, *, batch_size: int = 64) -> None:
        self.tokenizer = load_tokenizer(tokenizer_file)
        self.batch_size = batch_size

    @abstractmethod
    def _forward(self, arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
        """Last hidden state (batch, tokens, 384) for padded int64 inputs."""

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """(n, 384) vectors; `batch_size` texts per forward pass (default: the encoder's)."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        size = batch_size or self.batch_size
        ids = [e.ids for e in self.tokenizer.encode_batch([str(t) for t in texts])]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), size):
            rows = order[start : start + size]
            arrays = pad_batch([ids[i] for i in rows])
            out[rows] = mean_pool_normalise(self._forward(arrays), arrays[1])
        return out


class TorchBf16MiniLM(SortedEncoder):
    """The transformer in bfloat16 (torch + oneDNN), pooling in float32.

    Raises RuntimeError if the bf16 vectors drift from fp32 on the probe sentences.
    """

    def __init__(self, model_dir: Path, *, threads: int = 1, batch_size: int = 64) -> None:
        super().__init__(model_dir / "tokenizer.json", batch_size=batch_size)
        import torch
        from transformers import AutoModel

        self._torch = torch
        self.threads = threads
        self.model = AutoModel.from_pretrained(str(model_dir)).eval()
        want = self.encode(PROBES)
        self.model = self.model.to(torch.bfloat16)
        worst = float((self.encode(PROBES) * want).sum(axis=1).min())
        if worst < _BF16_MIN_COSINE:
            raise RuntimeError(f"bf16 vectors drift from fp32 (cosine {worst:.5f})")

    def _forward(self, arrays: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
        torch = self._torch
        if self.threads and torch.get_num_threads() != self.threads:
            torch.set_num_threads(self.threads)
        feed = {k: torch.from_numpy(a) for k, a in zip(INPUT_NAMES, arrays, strict=True)}
        with torch.inference_mode():
            hidden = self.model(**feed).last_hidden_state
        return hidden.float().numpy()  # type: ignore[no-any-return]
