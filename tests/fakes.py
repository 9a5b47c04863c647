"""Fakes for every swappable part (no mocks): a scripted LM and a deterministic embedder."""

from __future__ import annotations

import asyncio
import hashlib
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from rlm.lm import Completion, Message, Usage

__all__ = ["ScriptedLM", "HashEmbedder"]


class ScriptedLM:
    """An in-process LM that answers from a script.

    `responses` is a list of strings consumed in order (the last one repeats if `repeat_last`),
    or a function `(messages) -> str`. Every call is recorded in `calls`. `delay_s` simulates
    latency; tokens are counted as whitespace-separated words.
    """

    def __init__(
        self,
        responses: Sequence[str] | Callable[[list[Message]], str],
        *,
        model: str = "scripted",
        delay_s: float = 0.0,
        repeat_last: bool = False,
        cost_per_token: float = 0.0,
    ) -> None:
        self.model = model
        self._fn = responses if callable(responses) else None
        self._queue = list(responses) if not callable(responses) else []
        self.delay_s = delay_s
        self.repeat_last = repeat_last
        self.cost_per_token = cost_per_token
        self.calls: list[list[Message]] = []

    async def acomplete(
        self, messages: list[Message], *, max_tokens: int | None = None, **kwargs: Any
    ) -> Completion:
        self.calls.append(messages)
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        if self._fn is not None:
            text = self._fn(messages)
        elif self._queue:
            text = (
                self._queue[0]
                if (self.repeat_last and len(self._queue) == 1)
                else self._queue.pop(0)
            )
        else:
            raise AssertionError("ScriptedLM ran out of responses")
        p = sum(len(m["content"].split()) for m in messages)
        c = len(text.split())
        usage = Usage(p, c, (p + c) * self.cost_per_token, 1)
        return Completion(text=text, model=self.model, usage=usage, latency_s=self.delay_s)


class HashEmbedder:
    """Deterministic bag-of-words embedder (hashing trick), L2-normalised. For unit tests only."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"hash-{dim}"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for t in texts:
            v = [0.0] * self.dim
            for w in re.findall(r"\w+", t.lower()):
                h = int(hashlib.md5(w.encode()).hexdigest(), 16)
                v[h % self.dim] += 1.0 if (h >> 8) & 1 else -1.0
            n = math.sqrt(sum(x * x for x in v)) or 1.0
            out.append([x / n for x in v])
        return out
