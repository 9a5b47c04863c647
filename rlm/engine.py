"""The RLM engine: the root model writes code, a persistent REPL runs it, the host keeps score.

`RLM.arun(query, context)` starts a sandbox holding `context`, then loops: ask the root model
(which sees the query, the context's shape and its remaining budget, never the context), run
every code block of its reply in order, feed the truncated output back, stop on FINAL. Host
functions reachable from the REPL: `llm_query`, `llm_query_batched`, `rlm_query`,
`note_finding`, plus the extra `handlers` given to `RLM`. Limits are enforced here, on the host,
across the whole recursion tree (see `rlm.budget`); when one hits, the run returns its best
partial answer and names the limit in `stopped_by`.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rlm.budget import Budget, BudgetTracker
from rlm.cache import SubCallCache
from rlm.errors import LMError, RLMError, SandboxError
from rlm.lm import LM
from rlm.run import RunContext, RunLoop
from rlm.sandbox.base import ContextSpec, HostHandlers, Sandbox
from rlm.subcalls import RunTree, SubCaller, SubCallSettings
from rlm.trace import ChildRunEnd, ChildRunStart, ErrorEvent, Event, TraceWriter
from rlm.trace_store import TraceStore

__all__ = ["RLM", "RLMConfig", "RunResult", "to_context_spec"]


@dataclass
class RLMConfig:
    cell_timeout_s: float = 60.0  # wall clock per cell (the sandbox kills the cell past it)
    cell_grace_s: float = 5.0  # host backstop beyond cell_timeout_s before the worker is killed
    max_output_chars: int = 20_000  # cell output shown to the root (head + tail)
    max_history_chars: int = 120_000  # root conversation budget; older outputs are elided
    keep_recent_turns: int = 3  # turns (reply + feedback) never elided
    sub_concurrency: int = 16
    fanout_max_prompts: int = 256
    fanout_pack_chars: int = 8000
    cache: bool = True
    root_max_tokens: int | None = None  # completion tokens per root turn
    sub_max_tokens: int | None = None  # completion tokens per sub-call
    extraction_turn: bool = True  # ask for a best answer when iterations / sub-calls run out
    keep_sub_results: int = 200
    memory_bytes: int | None = None  # worker address-space cap for the default sandbox
    require_isolation: bool = False  # refuse to run unless the worker is "confined"


@dataclass
class RunResult:
    answer: Any  # str, or the validated pydantic object when a schema was given
    stopped_by: str | None  # None when FINAL was reached, else the limit's name or "error"
    usage: dict[str, Any]
    findings: list[str] = field(default_factory=list)
    sub_results: list[dict[str, str]] = field(default_factory=list)
    trace_path: str | None = None
    run_id: str = ""
    error: str | None = None  # what went wrong when stopped_by == "error"
    isolation: dict[str, Any] = field(default_factory=dict)  # {"level", "layers"} of the REPL
    stored_trace: str | None = None  # the copy kept in the trace store, if any

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if isinstance(self.answer, BaseModel):
            d["answer"] = self.answer.model_dump(mode="json")
        return d


def to_context_spec(context: Any) -> ContextSpec:
    """A Path (or ContextSpec) is loaded by the worker itself; anything else is sent once."""
    if isinstance(context, ContextSpec):
        return context
    if isinstance(context, Path):
        return ContextSpec(path=str(context))
    return ContextSpec(value=context)


def _default_sandbox_factory(config: RLMConfig) -> Callable[[], Sandbox]:
    try:
        from rlm.sandbox import ProcessSandbox  # type: ignore[attr-defined]
        from rlm.sandbox.base import SandboxLimits
    except ImportError as exc:  # pragma: no cover - only before the worker package exists
        raise SandboxError(
            "no sandbox available: rlm.sandbox.ProcessSandbox is missing; pass sandbox_factory="
        ) from exc
    limits = SandboxLimits(cell_timeout_s=config.cell_timeout_s, memory_bytes=config.memory_bytes)
    return lambda: ProcessSandbox(limits=limits)


class RLM:
    """A Recursive Language Model over one root LM and one sub LM (default: the root)."""

    def __init__(
        self,
        root: LM,
        sub: LM | None = None,
        *,
        budget: Budget | None = None,
        config: RLMConfig | None = None,
        sandbox_factory: Callable[[], Sandbox] | None = None,
        handlers: HostHandlers | None = None,
        on_event: Callable[[Event], None] | None = None,
        trace_store: TraceStore | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.root = root
        self.sub = sub or root
        self.budget = budget or Budget()
        self.config = config or RLMConfig()
        self._sandbox_factory = sandbox_factory
        self.handlers = dict(handlers or {})
        self.on_event = on_event
        self.trace_store = trace_store
        self.labels = dict(labels or {})  # tags on every run's trace (e.g. {"bank": "team"})

    @property
    def sandbox_factory(self) -> Callable[[], Sandbox]:
        if self._sandbox_factory is None:
            self._sandbox_factory = _default_sandbox_factory(self.config)
        return self._sandbox_factory

    def run(self, query: str, context: Any, **kw: Any) -> RunResult:
        """Synchronous wrapper of `arun` (not from inside a running event loop)."""
        return asyncio.run(self.arun(query, context, **kw))

    async def arun(
        self,
        query: str,
        context: Any,
        *,
        schema: type[BaseModel] | None = None,
        trace_path: str | Path | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> RunResult:
        """Run `query` over `context`; `labels` tag its trace, on top of the RLM's own."""
        listeners = [self.on_event] if self.on_event else []
        run_id = uuid.uuid4().hex[:12]
        stored, store_error = self._stored_path(run_id)
        copies = [trace_path] if trace_path else []
        trace = TraceWriter(stored, copies=copies, listeners=listeners)
        if store_error:
            trace.emit(ErrorEvent(run_id=run_id, message=store_error))
        tree = RunTree(
            tracker=BudgetTracker(self.budget),
            trace=trace,
            cache=SubCallCache(enabled=self.config.cache),
            settings=SubCallSettings(
                concurrency=self.config.sub_concurrency,
                fanout_max_prompts=self.config.fanout_max_prompts,
                fanout_pack_chars=self.config.fanout_pack_chars,
                max_tokens=self.config.sub_max_tokens,
                keep_sub_results=self.config.keep_sub_results,
            ),
            labels={**self.labels, **(labels or {})},
        )
        try:
            result = await self._run(
                query, context, tree, depth=0, parent_id=None, schema=schema, run_id=run_id
            )
        finally:
            trace.close()
        result.stored_trace = str(stored) if stored else None
        result.trace_path = str(trace_path) if trace_path else result.stored_trace
        return result

    def _stored_path(self, run_id: str) -> tuple[Path | None, str | None]:
        """Where the trace store keeps this run (a store that cannot be written is reported in
        the trace, and the run goes on without it)."""
        if self.trace_store is None:
            return None, None
        try:
            return self.trace_store.new_path(run_id), None
        except OSError as exc:
            return None, f"trace store unavailable, this run is not kept: {exc}"

    async def _run(
        self,
        query: str,
        context: Any,
        tree: RunTree,
        *,
        depth: int,
        parent_id: str | None,
        schema: type[BaseModel] | None = None,
        run_id: str | None = None,
    ) -> RunResult:
        run_id = run_id or uuid.uuid4().hex[:12]
        ctx = RunContext(
            run_id=run_id, parent_id=parent_id, depth=depth, query=query, context=context,
            spec=to_context_spec(context), schema=schema, tree=tree, config=self.config,
            root=self.root if depth == 0 else self.sub, sub_model=self.sub.model, sub=self.sub,
        )  # fmt: skip
        handlers = self._handlers_for(tree, run_id, parent_id, depth)
        loop = RunLoop(ctx, handlers, self.sandbox_factory)
        try:
            outcome = await loop.run()
        except (RLMError, LMError, OSError) as exc:
            outcome = loop.fail(exc)
        return RunResult(
            answer=outcome.answer,
            stopped_by=outcome.stopped_by,
            usage=tree.tracker.usage_dict(outcome.iterations),
            findings=list(tree.findings),
            sub_results=list(tree.sub_results),
            run_id=run_id,
            error=outcome.error,
            isolation=dict(loop.isolation),
        )

    def _handlers_for(
        self, tree: RunTree, run_id: str, parent_id: str | None, depth: int
    ) -> HostHandlers:
        caller = SubCaller(self.sub, tree, run_id=run_id, parent_id=parent_id)

        async def rlm_query(query: Any, context: Any = None) -> str:
            return await self._child(str(query), context, tree, depth=depth + 1, parent_id=run_id)

        async def note_finding(text: Any) -> str:
            tree.findings.append(str(text)[:4000])
            return f"noted ({len(tree.findings)} findings)"

        handlers: HostHandlers = {
            "llm_query": caller.llm_query,
            "llm_query_batched": caller.llm_query_batched,
            "rlm_query": rlm_query,
            "note_finding": note_finding,
        }
        handlers.update(self.handlers)
        return handlers

    async def _child(
        self, query: str, context: Any, tree: RunTree, *, depth: int, parent_id: str
    ) -> str:
        """A child RLM for `rlm_query`: its own sandbox, the shared budget, the sub model."""
        max_depth = tree.tracker.budget.max_depth
        if depth > max_depth:
            return (
                f"Error: rlm_query depth limit reached (max_depth={max_depth}); "
                "use llm_query / llm_query_batched for this sub-task instead."
            )
        tree.check_spend()
        child_id = uuid.uuid4().hex[:12]
        tree.trace.emit(
            ChildRunStart(
                run_id=parent_id,
                child_id=child_id,
                query=query[:500],
                depth=depth,
                iteration=tree.iterations.get(parent_id, 0),
            )  # fmt: skip
        )
        result = await self._run(
            query, context, tree, depth=depth, parent_id=parent_id, run_id=child_id
        )
        answer = result.answer if isinstance(result.answer, str) else _as_text(result.answer)
        tree.trace.emit(
            ChildRunEnd(
                run_id=parent_id, child_id=result.run_id, answer=answer[:2000],
                stopped_by=result.stopped_by,
            )
        )  # fmt: skip
        if result.stopped_by and not answer:
            return f"Error: the child run stopped ({result.stopped_by}) without an answer"
        return answer


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, BaseModel):
        return value.model_dump_json()
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)
