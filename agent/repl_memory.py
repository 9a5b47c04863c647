"""Host handlers that expose a Memory's read side to the RLM's REPL as `memory`.

The worker never opens the database: `memory.recall(...)` in the REPL travels over the
sandbox's RPC channel to these handlers, which run in the host and return JSON-able values.

    rlm = RLM(root, sub, handlers=memory_handlers(memory, bank="default"))
    # in the REPL: memory.recall("deploy blockers", k=5)[0].text

Read-only by default; `read_only=False` adds "memory.retain" (text, when=None, source=None).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

from agent.nodes.recall_node import hit_to_source
from agent.state import AgentMemory
from rlm.sandbox.base import HostHandlers

__all__ = ["memory_handlers", "jsonable", "ToDict", "REPLMemory"]

MAX_K = 50


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
    full = jsonable(hit) if not isinstance(hit, dict) else dict(hit)
    return {**full, **hit_to_source(hit)}


class REPLMemory(AgentMemory, Protocol):
    """What `memory` in the REPL reads (memory.memory.Memory fits)."""

    async def aentity(self, name: str, bank: str = "default") -> Any: ...

    async def abeliefs(self, topic: str | None = None, bank: str = "default") -> Any: ...


def memory_handlers(
    memory: REPLMemory, bank: str = "default", read_only: bool = True
) -> HostHandlers:
    """Handlers named "memory.<method>" for `RLM(handlers=...)`."""

    async def recall(query: str, k: int = 5, as_of: str | None = None) -> list[dict[str, Any]]:
        """Past knowledge: hits with .text .when .mentioned_at .source .score (best first)."""
        k = max(1, min(int(k), MAX_K))
        options = {"as_of": as_of} if as_of else {}
        hits = await memory.arecall(str(query), bank=bank, k=k, **options)
        return [_hit_dict(h) for h in hits[:k]]

    async def entity(name: str) -> dict[str, Any] | None:
        """An entity by any alias: .name, .aliases, .facts in time order (None if unknown)."""
        found = await memory.aentity(str(name), bank=bank)
        return None if found is None else jsonable(found)

    async def beliefs(topic: str | None = None) -> list[dict[str, Any]]:
        """Beliefs with .statement, .confidence and .history of (at, confidence, evidence)."""
        found = await memory.abeliefs(topic, bank=bank)
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
            result = await memory.aretain(
                str(text), mentioned_at=_parse_when(when), source=source or "repl", bank=bank
            )
            return jsonable(result)

        handlers["memory.retain"] = retain
    return handlers


def _parse_when(when: str | None) -> datetime | None:
    return datetime.fromisoformat(when) if when else None
