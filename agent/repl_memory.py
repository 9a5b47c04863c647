"""Host handlers that expose a Memory's read side to the RLM's REPL as `memory`.

The worker never opens the database: `memory.recall(...)` in the REPL travels over the
sandbox's RPC channel to these handlers, which run in the host and return JSON-able values.

    rlm = RLM(root, sub, handlers=memory_handlers(memory, bank="default"))
    # in the REPL: memory.recall("deploy blockers", k=5)[0].text

Every call runs on one thread of its own (`MemoryThread`), never on the event loop: a recall
that embeds a query and reads SQLite must not stall the sub-calls running beside it. Given an
opener instead of a memory (`MemoryThread(opener)`), the memory is opened there on the first
call, so a run whose code never touches `memory` never pays for opening it.

Read-only by default; `read_only=False` adds "memory.retain" (text, when=None, source=None).
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from agent.state import AgentMemory
from rlm.sandbox.base import HostHandlers

__all__ = ["memory_handlers", "jsonable", "MemoryThread", "ToDict", "REPLMemory"]

MAX_K = 50


class MemoryThread:
    """One memory, opened (lazily, if given an opener) and used on one dedicated thread."""

    def __init__(self, memory: Any = None, *, opener: Callable[[], Any] | None = None) -> None:
        if memory is None and opener is None:
            raise ValueError("MemoryThread needs a memory or an opener")
        self._memory = memory
        self._opener = opener
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    @property
    def opened(self) -> bool:
        return self._memory is not None

    def _get(self) -> Any:
        if self._memory is None:
            assert self._opener is not None
            self._memory = self._opener()
        return self._memory

    def run(self, fn: Callable[[Any], Any]) -> Any:
        """`fn(memory)` on the memory's thread, waiting for it (from synchronous code)."""
        return self._executor().submit(lambda: fn(self._get())).result()

    async def arun(self, fn: Callable[[Any], Any]) -> Any:
        """`fn(memory)` on the memory's thread; the event loop keeps running meanwhile."""
        return await asyncio.wrap_future(self._executor().submit(lambda: fn(self._get())))

    async def acall(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """`await memory.<method>(*args, **kwargs)` run to completion on the memory's thread
        (in an event loop of its own there), while this event loop keeps running."""
        return await self.arun(lambda m: asyncio.run(getattr(m, method)(*args, **kwargs)))

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(1, thread_name_prefix="engram-memory")
            return self._pool

    def close(self) -> None:
        """Close the memory's store (if it was opened) and stop the thread."""
        if self._pool is None:
            return
        if self._memory is not None:
            self.run(_close_store)
        self._pool.shutdown(wait=True)
        self._pool = None


def _close_store(memory: Any) -> None:
    store = getattr(memory, "store", None)
    if store is not None and hasattr(store, "close"):
        store.close()


@runtime_checkable
class ToDict(Protocol):
    """A record that says how it is exported (memory.models.Hit, ForgetReport, ...)."""

    def to_dict(self) -> dict[str, Any]: ...


def jsonable(value: Any) -> Any:
    """A JSON-able copy of a memory record (dataclass, pydantic model, or plain containers)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, ToDict):
        return jsonable(value.to_dict())
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    return value


def _hit_dict(hit: Any) -> dict[str, Any]:
    from agent.nodes.recall_node import hit_to_source

    full = jsonable(hit) if not isinstance(hit, dict) else dict(hit)
    return {**full, **hit_to_source(hit)}


class REPLMemory(AgentMemory, Protocol):
    """What `memory` in the REPL reads (memory.memory.Memory fits)."""

    async def aentity(self, name: str, bank: str = "default") -> Any: ...

    async def abeliefs(self, topic: str | None = None, bank: str = "default") -> Any: ...


def memory_handlers(
    memory: REPLMemory | MemoryThread, bank: str = "default", read_only: bool = True
) -> HostHandlers:
    """Handlers named "memory.<method>" for `RLM(handlers=...)`; `memory` is a Memory or a
    `MemoryThread` (a plain Memory gets a thread of its own)."""
    mt = memory if isinstance(memory, MemoryThread) else MemoryThread(memory)

    async def recall(query: str, k: int = 5, as_of: str | None = None) -> list[dict[str, Any]]:
        """Past knowledge: hits with .text .when .mentioned_at .source .score (best first)."""
        k = max(1, min(int(k), MAX_K))
        options = {"as_of": as_of} if as_of else {}
        hits = await mt.acall("arecall", str(query), bank=bank, k=k, **options)
        return [_hit_dict(h) for h in hits[:k]]

    async def entity(name: str) -> dict[str, Any] | None:
        """An entity by any alias: .name, .aliases, .facts in time order (None if unknown)."""
        found = await mt.acall("aentity", str(name), bank=bank)
        return None if found is None else jsonable(found)

    async def beliefs(topic: str | None = None) -> list[dict[str, Any]]:
        """Beliefs with .statement, .confidence and .history of (at, confidence, evidence)."""
        found = await mt.acall("abeliefs", topic, bank=bank)
        found = found.get("beliefs", found) if isinstance(found, dict) else found
        return jsonable(list(found or []))

    handlers: HostHandlers = {
        "memory.recall": recall,
        "memory.entity": entity,
        "memory.beliefs": beliefs,
    }
    if not read_only:

        async def retain(text: str, when: str | None = None, source: str | None = None) -> dict:
            """Store a new memory (text, optional ISO date it happened, source label)."""
            result = await mt.acall(
                "aretain", str(text), mentioned_at=_parse_when(when), source=source or "repl",
                bank=bank,
            )  # fmt: skip
            return jsonable(result)

        handlers["memory.retain"] = retain
    return handlers


def _parse_when(when: str | None) -> datetime | None:
    return datetime.fromisoformat(when) if when else None
