"""Sub-call cache: answers keyed on the (model, prompt) content, plus in-batch dedup.

The cache lives for one run tree (the root RLM run creates it and children share it). Keys are
sha256 digests, so prompts of any size cost 32 bytes of key. Only successful answers are stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["SubCallCache", "cache_key", "dedup"]


def cache_key(model: str, prompt: str) -> str:
    h = hashlib.sha256()
    h.update(model.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(prompt.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


class SubCallCache:
    """In-memory (model, prompt) -> answer map with hit/miss counters."""

    def __init__(self, enabled: bool = True, max_entries: int = 100_000) -> None:
        self.enabled = enabled
        self.max_entries = max_entries
        self._store: dict[str, str] = {}
        self.hits = 0
        self.misses = 0

    def get(self, model: str, prompt: str) -> str | None:
        if not self.enabled:
            return None
        value = self._store.get(cache_key(model, prompt))
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, model: str, prompt: str, answer: str) -> None:
        if not self.enabled or len(self._store) >= self.max_entries:
            return
        self._store[cache_key(model, prompt)] = answer

    def __len__(self) -> int:
        return len(self._store)


def dedup(prompts: Sequence[str]) -> tuple[list[str], list[int]]:
    """Unique prompts in first-seen order, and for each original prompt its unique index."""
    index: dict[str, int] = {}
    unique: list[str] = []
    where: list[int] = []
    for p in prompts:
        i = index.get(p)
        if i is None:
            i = index[p] = len(unique)
            unique.append(p)
        where.append(i)
    return unique, where
