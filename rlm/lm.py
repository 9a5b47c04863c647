"""The LM seam: one Protocol every chat model implements, plus the records it returns.

The async method is the core; `complete_sync` is the thin sync wrapper. Concrete clients live in
`rlm.openai_lm` (OpenAI-compatible endpoints); tests use `tests.fakes.ScriptedLM`.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = ["Message", "Usage", "Completion", "LM", "Warmable", "complete_sync"]

Message = dict[str, str]  # {"role": "system"|"user"|"assistant", "content": "..."}


@dataclass
class Usage:
    """Tokens and cost of one or more calls. Adding two Usages sums them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cost + other.cost,
            self.calls + other.calls,
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["total_tokens"] = self.total_tokens
        return d


@dataclass
class Completion:
    """One answer from a model."""

    text: str
    model: str
    usage: Usage = field(default_factory=Usage)
    latency_s: float = 0.0


@runtime_checkable
class LM(Protocol):
    """A chat model. `model` names it (for prices, cache keys and traces)."""

    model: str

    async def acomplete(
        self, messages: list[Message], *, max_tokens: int | None = None, **kwargs: Any
    ) -> Completion: ...


@runtime_checkable
class Warmable(Protocol):
    """An LM that can get ready (imports, connections) before its first call."""

    async def warm(self, connections: int = 0) -> None:
        """Get ready; `connections`: how many calls may soon run at once (a hint)."""
        ...


def complete_sync(lm: LM, messages: list[Message], **kwargs: Any) -> Completion:
    """Run `lm.acomplete` from synchronous code (not from inside a running event loop)."""
    return asyncio.run(lm.acomplete(messages, **kwargs))
