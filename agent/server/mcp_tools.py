"""engram's MCP server (official `mcp` SDK): the tools and resources over any `EngramOps`.

    server = build_mcp(LocalOps(engram))            # `engram mcp` over stdio, in-memory tests
    server = build_mcp(EngramClient(url, token))    # `engram mcp` in front of `engram serve`
    app = server.streamable_http_app(...)           # `engram serve` mounts it at /mcp

Who calls: over HTTP, the server's auth middleware puts the caller's `Principal` in the ASGI
scope, and `_who` middleware makes it the current principal of the MCP request; over stdio or
in-memory it is `default_principal`. Every tool checks the bank against it. Expected failures
come back as tool errors carrying the clear message (`is_error=True`); the server goes on.
"""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from pydantic import Field

from agent.server.auth import LOCAL, Principal, authorize
from agent.server.errors import Unauthorized, error_for

__all__ = ["build_mcp", "PRINCIPAL_SCOPE_KEY", "TOOL_NAMES"]

PRINCIPAL_SCOPE_KEY = "engram.principal"
TOOL_NAMES = ("remember", "recall", "entities", "entity", "neighbourhood", "beliefs", "timeline",
              "forget", "merge", "split", "ask", "rlm", "traces", "trace")  # fmt: skip
_CURRENT: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "engram_mcp_principal", default=None
)
log = logging.getLogger("engram.server")

Bank = Annotated[str | None, Field(description="memory bank; default: the token's bank, "
                                   "else 'default'")]  # fmt: skip
When = Annotated[str | None, Field(description="ISO date or a phrase such as '2 weeks ago'")]
Now = Annotated[str | None, Field(description="ask as of this moment (ISO date or phrase): time "
                                  "words read against it; default now")]  # fmt: skip
Offset = Annotated[int, Field(description="items to skip", ge=0)]


def _principal_middleware(default: Principal) -> Any:  # an mcp ServerMiddleware
    async def who(ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        request = getattr(ctx, "request", None)
        scope = getattr(request, "scope", None)
        principal = default if scope is None else scope.get(PRINCIPAL_SCOPE_KEY)
        token = _CURRENT.set(principal)
        try:
            return await call_next(ctx)
        finally:
            _CURRENT.reset(token)

    return who


def _current() -> Principal:
    who = _CURRENT.get()
    if who is None:
        raise Unauthorized("no authenticated caller")
    return who


def _bank(bank: str | None, write: bool) -> str:
    who = _current()
    chosen = bank if bank not in (None, "") else (who.bank or "default")
    authorize(who, str(chosen), write=write)
    return str(chosen)


Work = Callable[[], Awaitable[dict[str, Any]]]


async def _guarded(work: Work, error: type[Exception]) -> dict[str, Any]:
    """Run one tool's (resource's) work; failures come back as `error` with their message."""
    try:
        return await work()
    except Exception as exc:
        known = error_for(exc)
        if known is None:
            log.exception("unexpected error in an MCP handler")
            raise error(f"unexpected {type(exc).__name__}: {exc}") from None
        raise error(known.message) from None


async def _call(work: Work) -> dict[str, Any]:
    from mcp.server.mcpserver.exceptions import ToolError

    return await _guarded(work, ToolError)


def build_mcp(ops: Any, default_principal: Principal = LOCAL) -> Any:
    """The MCPServer with engram's tools and resources over `ops`."""
    from mcp.server import MCPServer

    server = MCPServer(
        "engram",
        instructions="engram: persistent, time-aware memory (remember, recall, entities, entity, "
        "neighbourhood, beliefs, timeline, forget, merge, split), the engram agent (ask) and an "
        "RLM for files far larger than a context window (rlm; its runs: traces, trace).",
        log_level="WARNING",
        middleware=[_principal_middleware(default_principal)],
    )
    _memory_tools(server, ops)
    _edit_tools(server, ops)
    _run_tools(server, ops)
    _resources(server, ops)
    return server


def _hints(**kw: Any) -> Any:
    from mcp.types import ToolAnnotations

    return ToolAnnotations(**kw)


def _memory_tools(server: Any, ops: Any) -> None:
    read = _hints(read_only_hint=True, destructive_hint=False, idempotent_hint=True)

    @server.tool(annotations=_hints(read_only_hint=False, destructive_hint=False,
                                    idempotent_hint=True))  # fmt: skip
    async def remember(
        text: Annotated[str, Field(description="what to remember (plain text)")],
        when: When = None,
        source: Annotated[
            str | None,
            Field(description="where it came from; the same source and text again is a no-op"),
        ] = None,  # fmt: skip
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Store text in memory. Returns the episode id, the ids of the facts extracted, the
        ids of facts it superseded and any warnings; `noop` is true when it was known."""
        return await _call(lambda: ops.remember(_bank(bank, True), text, when, source))

    @server.tool(annotations=read)
    async def recall(
        query: Annotated[str, Field(description="what to look for")],
        k: Annotated[int, Field(description="how many hits", ge=1, le=100)] = 10,
        as_of: Annotated[
            str | None, Field(description="what was believed true at this date")
        ] = None,  # fmt: skip
        start: When = None,
        end: When = None,
        layers: Annotated[
            list[str] | None, Field(description="any of fact, observation, mental_model")
        ] = None,  # fmt: skip
        now: Now = None,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Hybrid search (vector, keyword, graph, time) over memory. Each hit has its text,
        when it happened and was said, its source and provenance (fact and episode ids)."""
        return await _call(
            lambda: ops.recall(
                _bank(bank, False), query, k, as_of, start, end, layers, now=now
            )  # fmt: skip
        )

    @server.tool(annotations=read)
    async def entities(
        prefix: Annotated[str | None, Field(description="names or aliases starting so")] = None,
        offset: Offset = 0,
        limit: Annotated[int, Field(description="entities in the page", ge=1, le=500)] = 50,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Entities by name, one page, each with how many facts mention it; `total` counts all."""
        return await _call(lambda: ops.entities(_bank(bank, False), prefix, offset, limit))

    @server.tool(annotations=read)
    async def entity(
        name: Annotated[str, Field(description="a name or alias, e.g. 'Alice' or 'Alice C.'")],
        offset: Offset = 0,
        limit: Annotated[
            int | None, Field(description="facts in the page (default: all)", ge=1, le=500)
        ] = None,  # fmt: skip
        bank: Bank = None,
    ) -> dict[str, Any]:
        """An entity by any alias: its canonical name, aliases and facts in time order."""
        return await _call(lambda: ops.entity(_bank(bank, False), name, offset, limit))

    @server.tool(annotations=read)
    async def neighbourhood(
        entity: Annotated[str, Field(description="a name or alias")],
        limit: Annotated[int, Field(description="neighbours at most", ge=1, le=100)] = 12,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """The entities an entity shares the most facts with, as graph nodes and edges."""
        return await _call(lambda: ops.neighbourhood(_bank(bank, False), entity, limit))

    @server.tool(annotations=read)
    async def beliefs(
        topic: Annotated[str | None, Field(description="only beliefs about this")] = None,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Beliefs with their current confidence and its history of evidence."""
        return await _call(lambda: ops.beliefs(_bank(bank, False), topic))

    @server.tool(annotations=read)
    async def timeline(
        entity: Annotated[str | None, Field(description="an entity's facts")] = None,
        topic: Annotated[str | None, Field(description="facts about a topic")] = None,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Facts of an entity or a topic (give one) in time order, each with the fact that
        superseded it (`superseded_by`) and the facts it superseded (`supersedes`)."""
        return await _call(lambda: ops.timeline(_bank(bank, False), entity, topic))


def _edit_tools(server: Any, ops: Any) -> None:
    destructive = _hints(read_only_hint=False, destructive_hint=True, idempotent_hint=False)

    @server.tool(annotations=destructive)
    async def forget(
        source: Annotated[str | None, Field(description="everything from this source")] = None,
        fact: Annotated[str | None, Field(description="one fact, by id")] = None,
        entity: Annotated[str | None, Field(description="an entity and its facts")] = None,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Hard-delete (give exactly one of source, fact, entity) and everything derived."""
        return await _call(lambda: ops.forget(_bank(bank, True), source, fact, entity))

    @server.tool(annotations=destructive)
    async def merge(
        keep: Annotated[str, Field(description="the entity that stays")],
        merge: Annotated[str, Field(description="the entity merged into it")],
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Merge two entities into one (logged; `split` undoes it)."""
        return await _call(lambda: ops.merge(_bank(bank, True), keep, merge))

    @server.tool(annotations=destructive)
    async def split(
        name: Annotated[str, Field(description="the entity or alias to split off")],
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Undo the last merge into an entity, or split an alias into an entity of its own."""
        return await _call(lambda: ops.split(_bank(bank, True), name))


def _run_tools(server: Any, ops: Any) -> None:
    run = _hints(read_only_hint=False, destructive_hint=False, open_world_hint=True)

    @server.tool(annotations=run)
    async def ask(
        question: Annotated[str, Field(description="a question or statement for the agent")],
        thread: Annotated[str, Field(description="conversation thread id")] = "default",
        now: Now = None,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """One turn of the engram agent: answers from memory (or the RLM, or chat) with the
        route it took and its sources."""
        return await _call(lambda: ops.ask(_bank(bank, True), question, thread, now=now))

    @server.tool(annotations=run)
    async def rlm(
        query: Annotated[str, Field(description="the question about the file")],
        path: Annotated[str, Field(description="a file the server may read")],
        max_cost: Annotated[float | None, Field(description="USD for the whole run", gt=0)] = None,
        max_iterations: Annotated[int | None, Field(description="root iterations", ge=1)] = None,
        timeout: Annotated[float | None, Field(description="wall-clock seconds", gt=0)] = None,
        bank: Bank = None,
    ) -> dict[str, Any]:
        """Answer a query over a file far larger than a context window with a Recursive
        Language Model, within a budget. Returns the answer, its cost, run id and trace id."""
        budget = {k: v for k, v in (("max_cost", max_cost), ("max_iterations", max_iterations),
                                    ("timeout", timeout)) if v is not None}  # fmt: skip
        return await _call(lambda: ops.rlm(_bank(bank, True), query, path, budget))

    read = _hints(read_only_hint=True, destructive_hint=False, idempotent_hint=True)

    @server.tool(annotations=read)
    async def traces(
        offset: Offset = 0,
        limit: Annotated[int, Field(description="runs in the page", ge=1, le=200)] = 50,
    ) -> dict[str, Any]:
        """RLM runs this caller may see, newest first: query, answer, iterations, sub-calls,
        tokens, cost and time of each."""
        return await _call(lambda: ops.traces(_current().bank, offset, limit))

    @server.tool(annotations=read)
    async def trace(
        run_id: Annotated[str, Field(description="a run id from `traces` or `rlm`")],
    ) -> dict[str, Any]:
        """One RLM run as a tree (iterations, code cells and their output, sub-calls, child
        runs), with tokens, cost and time per node and totals per subtree."""
        return await _call(lambda: ops.trace(run_id, _current().bank, False))


def _resources(server: Any, ops: Any) -> None:
    @server.resource("engram://banks", mime_type="application/json",
                     description="the memory banks this caller can reach")  # fmt: skip
    async def banks() -> str:
        return json.dumps(await _read(lambda: ops.banks(_current().bank)))

    @server.resource("engram://{bank}/entities/{name}", mime_type="application/json",
                     description="an entity with its aliases and facts in time order")  # fmt: skip
    async def entity_resource(bank: str, name: str) -> str:
        return json.dumps(await _read(lambda: ops.entity(_bank(bank, False), name)))


async def _read(work: Work) -> dict[str, Any]:
    from mcp.server.mcpserver.exceptions import ResourceError

    return await _guarded(work, ResourceError)
