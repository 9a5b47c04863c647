"""The agent's graph state and the dependencies its nodes receive.

`AgentState` is what the checkpointer keeps per thread. Per-turn keys (input, route, answer,
sources, trace, ...) are reset by `turn_input`; `history` accumulates across turns and `turn`
counts them. `AgentDeps` holds the instances the nodes use (built by `agent.wiring`).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol, TypedDict, runtime_checkable

from rlm.lm import LM

if TYPE_CHECKING:
    from pathlib import Path

    from pydantic import BaseModel

    from storage.outbox import Outbox

__all__ = [
    "Route",
    "ROUTES",
    "AgentState",
    "AgentDeps",
    "AgentSettings",
    "AgentMemory",
    "Retained",
    "RLMRunner",
    "turn_input",
    "AskedAt",
    "deps_at",
]

Route = Literal["rlm", "recall", "remember", "chat"]
ROUTES: tuple[str, ...] = ("rlm", "recall", "remember", "chat")


class AgentState(TypedDict, total=False):
    thread_id: str
    turn: int  # 1-based number of the current turn in this thread
    input: str  # the user's message (command prefix removed by the router)
    attachments: list[str]  # file paths handed to the RLM as its context
    context: str | None  # inline context handed to the RLM
    route: str
    route_reason: str
    route_by: str  # "rule" | "llm" | "default"
    answer: str
    sources: list[dict[str, Any]]
    rlm: dict[str, Any] | None  # summary of the RLM run (see agent.session.RunRecord.to_dict)
    consolidation: dict[str, Any] | None
    lm_error: str | None  # the model failed this turn (after its retries): no more calls to it
    trace: list[dict[str, Any]]  # events of this turn, in order
    now: str | None  # ISO moment the turn is asked at (time words read against it); None: clock
    history: Annotated[list[dict[str, str]], operator.add]  # {"role", "content"} across turns


def turn_input(
    text: str,
    *,
    thread_id: str,
    attachments: Sequence[str] = (),
    context: str | None = None,
    now: datetime | None = None,
) -> AgentState:
    """The state update that starts a turn: resets every per-turn key."""
    return AgentState(
        now=now.isoformat() if now is not None else None,
        thread_id=thread_id,
        input=text,
        attachments=list(attachments),
        context=context,
        route="",
        route_reason="",
        route_by="",
        answer="",
        sources=[],
        rlm=None,
        consolidation=None,
        lm_error=None,
        trace=[],
    )


class Retained(Protocol):
    """What retaining returns (memory.retain.RetainResult fits)."""

    @property
    def episode_id(self) -> str: ...
    @property
    def fact_ids(self) -> list[str]: ...
    @property
    def entities(self) -> list[str]: ...  # canonical names touched
    @property
    def noop(self) -> bool: ...


@runtime_checkable
class AgentMemory(Protocol):
    """The part of `memory.memory.Memory` the agent uses."""

    async def aretain(
        self,
        text: str,
        mentioned_at: datetime | str | None = None,
        source: str | None = None,
        bank: str = "default",
        metadata: dict[str, Any] | None = None,
    ) -> Retained: ...

    async def arecall(self, query: str, **kwargs: Any) -> list[Any]: ...


@runtime_checkable
class RLMRunner(Protocol):
    """The part of `rlm.engine.RLM` the agent uses."""

    async def arun(
        self,
        query: str,
        context: Any,
        *,
        schema: type[BaseModel] | None = None,
        trace_path: str | Path | None = None,
    ) -> Any: ...


@dataclass
class AgentSettings:
    rlm_threshold_chars: int = 20_000  # inputs/attachments larger than this go to the RLM
    recall_k: int = 8  # hits shown to the LM on the recall path
    chat_recall_k: int = 3  # hits given as background on the chat path
    history_turns: int = 6  # previous messages given to the LM on the chat path
    consolidate: bool = True  # consolidate RLM runs into memory
    trace_dir: str | None = None  # where RLM traces go (one JSONL per run), if set


@dataclass
class AgentDeps:
    """What the nodes work with. `lm` and `rlm` are None when no endpoint is configured;
    `outbox` keeps RLM runs whose consolidation failed (None: such a failure propagates)."""

    memory: AgentMemory
    lm: LM | None = None
    rlm: RLMRunner | None = None
    bank: str = "default"
    settings: AgentSettings = field(default_factory=AgentSettings)
    outbox: Outbox | None = None


class AskedAt:
    """A memory seen from one moment: `arecall` reads the query's time words ("last week") and
    a relative `as_of` against `now` unless the call gives its own; everything else is the
    wrapped memory's own. A turn asked at a date (`Agent.aask(now=...)`) recalls through it."""

    def __init__(self, memory: Any, now: datetime) -> None:
        self.memory = memory
        self.now = now

    async def arecall(self, query: str, **kwargs: Any) -> list[Any]:
        kwargs.setdefault("now", self.now)
        return list(await self.memory.arecall(query, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.memory, name)


def deps_at(deps: AgentDeps, now: str | datetime | None) -> AgentDeps:
    """`deps` for a turn asked at `now` (its memory wrapped in `AskedAt`); unchanged for None."""
    from dataclasses import replace

    if now is None:
        return deps
    when = datetime.fromisoformat(now) if isinstance(now, str) else now
    return replace(deps, memory=AskedAt(deps.memory, when))
