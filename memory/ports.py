"""Ports: the small Protocols memory needs from the outside world. The agent wires concrete ones.

memory never imports rlm or agent; anything that quacks like these works.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

__all__ = ["Embedder", "ChatModel", "ChatReply"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of a fixed dimension."""

    dim: int
    name: str

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class ChatReply(Protocol):
    text: str


@runtime_checkable
class ChatModel(Protocol):
    """Structurally the same as `rlm.lm.LM`: an async chat completion."""

    model: str

    async def acomplete(self, messages: list[dict[str, str]], **kwargs: Any) -> Any: ...
