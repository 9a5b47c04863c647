"""The agent's LangGraph: route -> (rlm | recall_answer | remember | chat_with_recall) -> respond
-> consolidate, with threads kept by a checkpointer.

    async with Agent.open(deps, home / "agent" / "threads.sqlite") as agent:
        turn = await agent.aask("why did we pick PostgreSQL?", thread_id="t1")
        print(turn.route, turn.answer, turn.sources)

`build_graph(deps, checkpointer)` returns the compiled graph for callers that manage their own
checkpointer (tests use `InMemorySaver`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph

from agent.nodes import (
    chat_node,
    consolidate_node,
    recall_node,
    remember_node,
    respond_node,
    rlm_node,
    route_node,
)
from agent.state import AgentDeps, AgentState, deps_at, turn_input

__all__ = ["NODE_FOR_ROUTE", "TurnResult", "build_graph", "Agent"]

NODE_FOR_ROUTE = {
    "rlm": "rlm",
    "recall": "recall_answer",
    "remember": "remember",
    "chat": "chat_with_recall",
}

Node = Callable[[AgentState, AgentDeps], Awaitable[dict[str, Any]]]


@dataclass
class TurnResult:
    """One answered turn: what was said, which path answered, from which sources."""

    answer: str
    route: str
    route_reason: str
    route_by: str
    sources: list[dict[str, Any]]
    thread_id: str
    turn: int
    trace: list[dict[str, Any]] = field(default_factory=list)
    consolidation: dict[str, Any] | None = None
    rlm: dict[str, Any] | None = None

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TurnResult:
        return cls(
            answer=state.get("answer", ""),
            route=state.get("route", ""),
            route_reason=state.get("route_reason", ""),
            route_by=state.get("route_by", ""),
            sources=list(state.get("sources") or []),
            thread_id=state.get("thread_id", ""),
            turn=int(state.get("turn") or 0),
            trace=list(state.get("trace") or []),
            consolidation=state.get("consolidation"),
            rlm=state.get("rlm"),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _bind(node: Node, deps: AgentDeps) -> Any:  # a langgraph node (typed loosely for mypy)
    async def run(state: AgentState) -> dict[str, Any]:
        return await node(state, deps_at(deps, state.get("now")))

    run.__name__ = node.__name__
    return run


def _next_node(state: AgentState) -> str:
    return NODE_FOR_ROUTE.get(state.get("route", ""), "chat_with_recall")


def build_graph(deps: AgentDeps, checkpointer: BaseCheckpointSaver | None = None) -> Any:
    """Compile the agent graph over `deps`; `checkpointer` keeps threads (None: no memory)."""
    g = StateGraph(AgentState)
    g.add_node("route", _bind(route_node, deps))
    g.add_node("rlm", _bind(rlm_node, deps))
    g.add_node("recall_answer", _bind(recall_node, deps))
    g.add_node("remember", _bind(remember_node, deps))
    g.add_node("chat_with_recall", _bind(chat_node, deps))
    g.add_node("respond", respond_node)
    g.add_node("consolidate", _bind(consolidate_node, deps))
    g.add_edge(START, "route")
    g.add_conditional_edges("route", _next_node, list(NODE_FOR_ROUTE.values()))
    for name in NODE_FOR_ROUTE.values():
        g.add_edge(name, "respond")
    g.add_edge("respond", "consolidate")
    g.add_edge("consolidate", END)
    return g.compile(checkpointer=checkpointer)


class Agent:
    """The agent over a compiled graph. Use `Agent.open(...)` for a SQLite-kept one."""

    def __init__(self, deps: AgentDeps, checkpointer: BaseCheckpointSaver | None = None) -> None:
        self.deps = deps
        self.graph = build_graph(deps, checkpointer)

    @classmethod
    @asynccontextmanager
    async def open(cls, deps: AgentDeps, checkpoint_path: str | Path) -> AsyncIterator[Agent]:
        """An agent whose threads persist in a SQLite file (shared across processes)."""
        from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

        path = Path(checkpoint_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        async with AsyncSqliteSaver.from_conn_string(str(path)) as saver:
            yield cls(deps, saver)

    async def aask(
        self,
        text: str,
        *,
        thread_id: str = "default",
        attachments: Sequence[str | Path] = (),
        context: str | None = None,
        now: datetime | str | None = None,
    ) -> TurnResult:
        """Run one turn of `thread_id` and return its answer, route and sources. `now` (a
        datetime or ISO string; default the memory's clock) is when the question is asked:
        recall reads its time words ("last week") against it."""
        from memory.retain import to_utc

        when = to_utc(now, datetime.now(UTC)) if now is not None else None
        update = turn_input(
            text, thread_id=thread_id, attachments=[str(a) for a in attachments], context=context,
            now=when,
        )  # fmt: skip
        config = {"configurable": {"thread_id": thread_id}}
        state = await self.graph.ainvoke(update, config)
        return TurnResult.from_state(state)

    async def ahistory(self, thread_id: str) -> list[dict[str, str]]:
        """The thread's messages so far (empty for a new thread)."""
        snapshot = await self.graph.aget_state({"configurable": {"thread_id": thread_id}})
        return list((snapshot.values or {}).get("history") or [])
