"""One run's loop (root turns, cells, FINAL, limits); `rlm.engine.RLM` builds and starts it."""

from __future__ import annotations

import asyncio
import functools
import json
import keyword
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from rlm.errors import RLMError, SandboxError
from rlm.lm import LM, Completion, Message, Warmable
from rlm.parsing import extract_code_blocks, find_final, strip_code_blocks
from rlm.prompts import (
    budget_line,
    cell_feedback,
    compact_history,
    describe_context,
    describe_functions,
    extraction_prompt,
    first_user_prompt,
    no_code_prompt,
    placeholder_final_prompt,
    schema_error_prompt,
    system_prompt,
)
from rlm.sandbox.base import (
    CONFINED,
    ContextSpec,
    ExecResult,
    HostHandlers,
    Sandbox,
    isolation_level,
)
from rlm.subcalls import RunTree
from rlm.trace import (
    BudgetStop,
    Code,
    ErrorEvent,
    Final,
    Iteration,
    Output,
    RunEnd,
    RunStart,
    SandboxReady,
)

__all__ = ["RunContext", "RunLoop", "Outcome"]

_CORE_FUNCTIONS = {"llm_query", "llm_query_batched", "rlm_query", "note_finding"}
_PLACEHOLDER = "answer"  # the prompts say FINAL(answer): echoed verbatim it is not an answer


@dataclass
class RunContext:
    run_id: str
    parent_id: str | None
    depth: int
    query: str
    context: Any
    spec: ContextSpec
    schema: type[BaseModel] | None
    tree: RunTree
    config: Any  # rlm.engine.RLMConfig (not imported: engine imports this module)
    root: LM
    sub_model: str
    sub: LM | None = None  # the sub-call model (warmed up while the first root call runs)


@dataclass
class Outcome:
    answer: Any = None
    stopped_by: str | None = None
    iterations: int = 0
    error: str | None = None


@dataclass
class Step:
    """What one root reply did: feedback for the root, and a final value if one was given."""

    feedback: str = ""
    has_final: bool = False
    final: Any = None
    source: str = "code"


class _LimitStop(Exception):
    def __init__(self, limit: str) -> None:
        super().__init__(limit)
        self.limit = limit


@dataclass
class RunLoop:
    ctx: RunContext
    handlers: HostHandlers
    sandbox_factory: Callable[[], Sandbox]
    messages: list[Message] = field(default_factory=list)
    iterations: int = 0
    best: Any = None  # last FINAL-ish value that was not accepted (best partial answer)
    sandbox: Sandbox | None = None
    isolation: dict[str, Any] = field(default_factory=dict)  # level and layers in force
    _starting: asyncio.Task[None] | None = None

    # -- top level ------------------------------------------------------------------------
    async def run(self) -> Outcome:
        self._emit_start()
        warming: list[asyncio.Task[None]] = []
        try:
            # the worker starts while the first root call is in flight; code waits for it
            self._starting = asyncio.create_task(self._start_sandbox())
            warming = self._warm_models()
            if self.ctx.config.require_isolation:
                await self._sandbox_ready()
            outcome = await self._loop()
        except _LimitStop as stop:
            outcome = self._stopped(stop.limit, self.best)
        finally:
            await self._close_sandbox()
            for task in warming:
                task.cancel()
        self._emit_end(outcome)
        return outcome

    def _warm_models(self) -> list[asyncio.Task[None]]:
        """The models' clients get ready while the root model thinks: the sub model's pool also
        opens as many connections as sub-calls may run at once (top-level run only), so the
        first wave of a batch does not pay one connection set-up after another."""
        lms: dict[int, tuple[Warmable, int]] = {}
        burst = self.ctx.tree.settings.concurrency if self.ctx.depth == 0 else 0
        for lm, connections in ((self.ctx.root, 0), (self.ctx.sub, burst)):
            if isinstance(lm, Warmable):
                known = lms.get(id(lm), (lm, 0))[1]
                lms[id(lm)] = (lm, max(known, connections))
        return [asyncio.create_task(self._warm(lm, n)) for lm, n in lms.values()]

    async def _warm(self, lm: Warmable, connections: int) -> None:
        """Warm one model; a failure is traced, not raised: the model's first call meets the
        same cause (an unreachable endpoint, a missing package) and fails the run there."""
        try:
            await lm.warm(connections=connections)
        except Exception as exc:  # noqa: BLE001 - reported in the trace; the call re-raises it
            model = getattr(lm, "model", type(lm).__name__)
            self._emit(ErrorEvent(message=f"warming {model} failed: {type(exc).__name__}: {exc}"))

    def fail(self, exc: BaseException) -> Outcome:
        message = f"{type(exc).__name__}: {exc}"
        self._emit(ErrorEvent(message=message))
        outcome = Outcome(_partial(self.best), "error", self.iterations, message)
        self._emit_end(outcome)
        return outcome

    async def _loop(self) -> Outcome:
        tracker = self.ctx.tree.tracker
        while True:
            limit = tracker.tree_limit_hit() or tracker.iteration_limit_hit(self.iterations)
            if limit:
                return await self._on_limit(limit)
            reply = await self._ask_root()
            step = await self._execute_reply(reply)
            if step.has_final:
                accepted, value_or_error = self._validate(step.final)
                if accepted:
                    self._emit(Final(answer=_jsonable(value_or_error), source=step.source))
                    return Outcome(value_or_error, None, self.iterations)
                self.best = step.final
                shown = f"{step.feedback}\n\n" if step.feedback else ""
                step.feedback = shown + schema_error_prompt(value_or_error)
            self._user(f"{step.feedback}\n\n{budget_line(self._remaining())}")

    # -- root model -----------------------------------------------------------------------
    async def _ask_root(self, *, extraction: bool = False) -> str:
        tracker = self.ctx.tree.tracker
        try:
            completion: Completion = await asyncio.wait_for(
                self.ctx.root.acomplete(
                    compact_history(
                        self.messages,
                        self.ctx.config.max_history_chars,
                        self.ctx.config.keep_recent_turns,
                    ),
                    max_tokens=self.ctx.config.root_max_tokens,
                ),
                tracker.wall_left(),
            )
        except TimeoutError:
            raise _LimitStop("max_wall_s") from None
        if self.ctx.depth == 0:
            tracker.charge_root(completion.usage)
        else:
            tracker.charge_sub(completion.usage)
        self.iterations += 0 if extraction else 1
        self.ctx.tree.iterations[self.ctx.run_id] = self.iterations
        self._emit(Iteration(
            n=self.iterations, prompt_chars=sum(len(m["content"]) for m in self.messages),
            response=completion.text, tokens=completion.usage.total_tokens,
            cost=completion.usage.cost, latency_s=completion.latency_s,
            remaining=self._remaining(), extraction=extraction,
        ))  # fmt: skip
        self.messages.append({"role": "assistant", "content": completion.text})
        return completion.text

    # -- executing a reply ----------------------------------------------------------------
    async def _execute_reply(self, reply: str) -> Step:
        blocks = extract_code_blocks(reply)
        parts: list[str] = []
        errored = False
        for index, code in enumerate(blocks, 1):
            self._emit(Code(iteration=self.iterations, index=index, code=code))
            res = await self._exec_cell(code)
            shown = self._show(index, res)
            parts.append(shown)
            self._emit(Output(
                iteration=self.iterations, index=index, text=shown, chars=res.output_chars,
                error=res.error, duration_s=res.duration_s, timed_out=res.timed_out,
            ))  # fmt: skip
            if res.has_final:
                return Step("\n\n".join(parts), True, res.final, "code")
            errored = errored or bool(res.error)
        step = Step("\n\n".join(parts))
        if not errored:
            await self._text_final(reply, step)
        if not blocks and not step.has_final:
            step.feedback = no_code_prompt() + step.feedback  # keep why a FINAL was refused
        return step

    async def _text_final(self, reply: str, step: Step) -> None:
        """The plain-text FINAL(...) / FINAL_VAR(...) fallback."""
        call = find_final(reply)
        if call is None:
            return
        if call.kind == "FINAL" and _is_name(call.raw):  # FINAL(x): a REPL variable if any
            res = await self._exec_cell(f"FINAL_VAR({call.raw!r})")
            if res.has_final:
                step.has_final, step.final, step.source = True, res.final, "text"
                return
            if call.raw == _PLACEHOLDER:
                step.feedback += f"\n\n{placeholder_final_prompt()}"
                return
        if call.kind == "FINAL":
            step.has_final, step.final, step.source = True, call.value, "text"
            return
        res = await self._exec_cell(f"FINAL_VAR({call.value!r})")
        if res.has_final:
            step.has_final, step.final, step.source = True, res.final, "text"
        else:
            step.feedback += f"\n\nFINAL_VAR({call.value!r}) failed:\n{res.error or res.stderr}"

    def _show(self, index: int, res: ExecResult) -> str:
        output = res.stdout + (("\n" + res.stderr) if res.stderr else "")
        true_len = max(res.output_chars, len(output))
        text = cell_feedback(index, output, res.error, max_chars=self.ctx.config.max_output_chars,
                             true_len=true_len)  # fmt: skip
        if res.timed_out or res.worker_restarted:
            text += "\n[the REPL worker was restarted: variables from earlier cells are lost]"
        return text

    async def _exec_cell(self, code: str) -> ExecResult:
        """Run one cell, bounded by the cell timeout (+grace) and the tree's wall-time budget."""
        await self._sandbox_ready()
        assert self.sandbox is not None
        cfg, tracker = self.ctx.config, self.ctx.tree.tracker
        backstop = cfg.cell_timeout_s + cfg.cell_grace_s
        wall = tracker.wall_left()
        timeout = backstop if wall is None else min(backstop, wall)
        try:
            return await asyncio.wait_for(self.sandbox.execute(code), timeout)
        except TimeoutError:
            await self._close_sandbox()  # kills the worker and whatever it was running
            if wall is not None and wall <= backstop:
                raise _LimitStop("max_wall_s") from None
            await self._start_sandbox()
            return ExecResult(error=f"cell killed after {timeout:g}s", timed_out=True,
                              worker_restarted=True)  # fmt: skip

    # -- limits, partial answers ----------------------------------------------------------
    async def _on_limit(self, limit: str) -> Outcome:
        self._emit(BudgetStop(limit=limit, spent=self._spent(limit),
                              allowed=self.ctx.tree.tracker.allowed(limit)))  # fmt: skip
        answer = self.best
        if self._may_extract(limit):
            try:
                answer = await self._extract(limit)
            except (_LimitStop, RLMError) as exc:  # keep the partial answer we already have
                self._emit(ErrorEvent(message=f"extraction turn failed: {exc!r}"))
        return self._stopped(limit, answer)

    def _may_extract(self, limit: str) -> bool:
        tracker = self.ctx.tree.tracker
        return (
            self.ctx.config.extraction_turn
            and limit in ("max_iterations", "max_sub_calls")
            and tracker.spend_limit_hit() is None
            and self.sandbox is not None
        )

    async def _extract(self, limit: str) -> Any:
        """One last root turn asking for the best answer from what the run has found."""
        self._user(extraction_prompt(limit))
        reply = await self._ask_root(extraction=True)
        step = await self._execute_reply(reply)
        if step.has_final:
            accepted, value = self._validate(step.final)
            answer = value if accepted else step.final
            self._emit(Final(answer=_jsonable(answer), source="extraction"))
            return answer
        prose = strip_code_blocks(reply).strip()
        return self.best if self.best is not None else (prose or None)

    def _stopped(self, limit: str, answer: Any) -> Outcome:
        return Outcome(_partial(answer, self.ctx.schema), limit, self.iterations)

    def _spent(self, limit: str) -> Any:
        if limit == "max_iterations":
            return self.iterations
        return self.ctx.tree.tracker.spent(limit)

    def _validate(self, value: Any) -> tuple[bool, Any]:
        schema = self.ctx.schema
        if schema is None:
            return True, value if isinstance(value, str) else _text(value)
        try:
            if isinstance(value, schema):
                return True, value
            if isinstance(value, str | bytes):
                return True, schema.model_validate_json(value)
            return True, schema.model_validate(value)
        except ValidationError as exc:
            return False, str(exc)

    # -- sandbox, messages, trace ---------------------------------------------------------
    async def _start_sandbox(self) -> None:
        self.sandbox = self.sandbox_factory()
        try:
            await self.sandbox.start(self.ctx.spec, self.handlers)
        except BaseException:
            await self._close_sandbox()
            raise
        layers = list(getattr(self.sandbox, "isolation", []) or [])
        self.isolation = {"level": isolation_level(layers), "layers": layers}
        self._emit(SandboxReady(
            level=self.isolation["level"], layers=layers,
            start_s=round(float(getattr(self.sandbox, "start_time_s", 0.0)), 6),
            context_load_s=round(float(getattr(self.sandbox, "context_load_s", 0.0)), 6),
        ))  # fmt: skip

    async def _sandbox_ready(self) -> None:
        """Wait for the worker started in `run` (raises what its start raised)."""
        starting, self._starting = self._starting, None
        if starting is not None:
            await starting
            if self.ctx.config.require_isolation and self.isolation.get("level") != CONFINED:
                raise SandboxError(
                    f"refusing to run: isolation level {self.isolation.get('level')!r} "
                    f"(layers: {', '.join(self.isolation.get('layers', [])) or 'none'}); "
                    "--require-isolation needs Landlock (Linux >= 5.13) and no network "
                    "(a network namespace, or Landlock ABI >= 4 with seccomp)"
                )

    async def _close_sandbox(self) -> None:
        starting, self._starting = self._starting, None
        if starting is not None and not starting.done():  # never leave a worker behind
            try:
                await asyncio.shield(starting)
            except asyncio.CancelledError:  # closed once it has started; the cancel goes on
                sandbox = self.sandbox
                if sandbox is not None:
                    starting.add_done_callback(functools.partial(_close_later, sandbox))
                raise
            except Exception as exc:  # noqa: BLE001 - the run's outcome stands; trace it
                self._emit(ErrorEvent(message=f"sandbox start failed: {exc}"))
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            try:
                await sandbox.close()
            except Exception as exc:  # never mask the run's own outcome
                self._emit(ErrorEvent(message=f"sandbox close failed: {exc}"))

    def _remaining(self) -> dict[str, Any]:
        return self.ctx.tree.tracker.remaining(self.iterations)

    def _user(self, content: str) -> None:
        self.messages.append({"role": "user", "content": content})

    def _emit(self, event: Any) -> None:
        event.run_id, event.parent_id = self.ctx.run_id, self.ctx.parent_id
        self.ctx.tree.trace.emit(event)

    def _emit_start(self) -> None:
        ctx = self.ctx
        description = describe_context(ctx.spec if ctx.spec.path else ctx.context)
        extras = describe_functions(
            {n: fn for n, fn in self.handlers.items() if n not in _CORE_FUNCTIONS}
        )
        schema_json = json.dumps(ctx.schema.model_json_schema()) if ctx.schema else None
        budget = ctx.tree.tracker.budget
        self.messages = [
            {"role": "system", "content": system_prompt(
                depth=ctx.depth, max_depth=budget.max_depth, extra_functions=extras,
                schema_json=schema_json)},
            {"role": "user", "content": first_user_prompt(ctx.query, description,
                                                          self._remaining())},
        ]  # fmt: skip
        self._emit(RunStart(
            at=datetime.now(UTC).isoformat(timespec="milliseconds"), query=ctx.query,
            context=description, depth=ctx.depth, root_model=ctx.root.model,
            sub_model=ctx.sub_model, budget=vars(budget).copy(),
            labels=dict(ctx.tree.labels) if ctx.depth == 0 else {},
        ))  # fmt: skip

    def _emit_end(self, outcome: Outcome) -> None:
        usage = self.ctx.tree.tracker.usage_dict(outcome.iterations)
        self._emit(RunEnd(answer=_jsonable(outcome.answer), stopped_by=outcome.stopped_by,
                          usage=usage))  # fmt: skip


def _close_later(sandbox: Sandbox, _started: object = None) -> None:
    task = asyncio.ensure_future(sandbox.close())
    _CLOSING.add(task)
    task.add_done_callback(_CLOSING.discard)


_CLOSING: set[asyncio.Future[None]] = set()  # keeps late closes alive until they finish


def _is_name(raw: str) -> bool:
    return raw.isidentifier() and not keyword.iskeyword(raw)


def _text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _partial(value: Any, schema: type[BaseModel] | None = None) -> Any:
    """A best partial answer: validated when it fits the schema, else as text (or None)."""
    if value is None or isinstance(value, str | BaseModel):
        return value
    if schema is not None:
        try:
            return schema.model_validate(value)
        except ValidationError:
            pass
    return _text(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value
