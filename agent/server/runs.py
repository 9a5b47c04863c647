"""The long operations of `engram serve`: one agent turn (`ask`) and one RLM run (`rlm`), each
bounded in time, each reading files only under the roots the server was told it may read.

`run_rlm` runs the engine as `engram rlm` does: `agent.wiring.build_rlm` (the REPL gets the
bank's `memory`; the trace is labelled with the bank), a `Budget`, the trace kept in the trace
store under ENGRAM_HOME/traces/ (its id is the run id), then the run consolidated into the bank
(`agent.session.consolidate_run`) unless asked not to.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from agent.server.errors import BadRequest, Forbidden, Timeout, Unavailable

__all__ = ["RunLimits", "run_ask", "run_rlm", "allowed_path", "BUDGET_KEYS"]

BUDGET_KEYS = {"max_iterations": int, "max_sub_calls": int, "max_tokens": int,
               "max_cost": float, "max_depth": int, "timeout": float}  # fmt: skip


@dataclass
class RunLimits:
    ask_timeout: float = 120.0  # seconds for one agent turn
    rlm_timeout: float = 600.0  # seconds for one RLM run (its wall-time budget, at most)
    allowed_roots: list[Path] = field(default_factory=list)  # files under these may be read


def allowed_path(limits: RunLimits, path: str) -> Path:
    """`path` resolved, if it is a file under an allowed root; else a clear refusal."""
    if not isinstance(path, str) or not path.strip() or "\x00" in path:
        raise BadRequest("invalid path: give the path of a file the server can read")
    if not limits.allowed_roots:
        raise Forbidden("this server reads no files: start it with --allow-path DIR to let "
                        "rlm and ask read files under DIR")  # fmt: skip
    target = Path(path).expanduser()
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        real = None
    roots = [r.expanduser().resolve() for r in limits.allowed_roots]
    if real is None or not any(real.is_relative_to(r) for r in roots):
        shown = ", ".join(str(r) for r in roots)
        raise Forbidden(f"path {path!r} is not a file under the allowed roots ({shown})")
    if not real.is_file():
        raise BadRequest(f"path {path!r} is not a regular file")
    return real


async def _bounded(coro: Any, seconds: float, what: str) -> Any:
    try:
        return await asyncio.wait_for(coro, timeout=seconds)
    except TimeoutError:
        raise Timeout(f"{what} did not finish within {seconds:g} s; nothing more was "
                      "done (a longer limit: engram serve --ask-timeout/--rlm-timeout)") from None  # fmt: skip


async def run_ask(engram: Any, memory: Any, limits: RunLimits, bank: str, question: str,
                  thread: str, attachments: Sequence[str], traces: Any = None,
                  now: datetime | None = None) -> dict[str, Any]:  # fmt: skip
    """One turn of the agent on `bank`; threads are kept per bank ("<bank>/<thread>"). An RLM
    turn keeps its trace in `traces` (the trace store), labelled with the bank."""
    from agent.graph import Agent
    from agent.state import AgentDeps
    from agent.wiring import build_rlm

    if not isinstance(question, str) or not question.strip() or "\x00" in question:
        raise BadRequest("invalid question: must be non-empty text without NUL bytes")
    if not isinstance(thread, str) or not thread.strip() or "\x00" in thread:
        raise BadRequest("invalid thread: must be a non-empty name")
    paths = [str(allowed_path(limits, p)) for p in attachments]
    rlm = (build_rlm(engram.lm, engram.sub, memory, bank, trace_store=traces)
           if engram.lm is not None else None)  # fmt: skip
    deps = AgentDeps(memory, engram.lm, rlm, bank, engram.settings.agent)

    async def turn() -> Any:
        async with Agent.open(deps, engram.settings.checkpoint_path) as agent:
            return await agent.aask(question, thread_id=f"{bank}/{thread}", attachments=paths,
                                    now=now)  # fmt: skip

    doc = (await _bounded(turn(), limits.ask_timeout, "ask")).to_dict()
    doc.pop("thread_id", None)
    return {"bank": bank, "thread": thread, **doc}


def _budget(raw: dict[str, Any], limits: RunLimits) -> Any:
    from rlm.budget import Budget

    if not isinstance(raw, dict) or set(raw) - set(BUDGET_KEYS):
        raise BadRequest(f"invalid budget: known keys are {', '.join(sorted(BUDGET_KEYS))}")
    vals: dict[str, Any] = {}
    for key, value in raw.items():
        kind = BUDGET_KEYS[key]
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
        if value is not None and (not ok or (kind is int and value != int(value))):
            raise BadRequest(f"invalid budget.{key}: must be a positive {kind.__name__}")
        vals[key] = None if value is None else kind(value)
    wall = min(vals.pop("timeout", None) or limits.rlm_timeout, limits.rlm_timeout)
    return Budget(**{k: v for k, v in vals.items() if v is not None}, max_wall_s=wall)


async def run_rlm(engram: Any, memory: Any, limits: RunLimits, traces: Any, bank: str,
                  query: str, path: str, budget: dict[str, Any], consolidate: bool
                  ) -> dict[str, Any]:  # fmt: skip
    """An RLM run over the file at `path` with `memory` of `bank` in its REPL."""
    from agent.session import consolidate_run
    from agent.wiring import build_rlm

    if engram.lm is None:
        raise Unavailable("rlm needs an LLM endpoint: start engram serve with OPENAI_BASE_URL "
                          "(and OPENAI_API_KEY, ENGRAM_ROOT_MODEL) set")  # fmt: skip
    if not isinstance(query, str) or not query.strip() or "\x00" in query:
        raise BadRequest("invalid query: must be non-empty text without NUL bytes")
    context, b = allowed_path(limits, path), _budget(budget, limits)
    rlm = build_rlm(engram.lm, engram.sub, memory, bank, budget=b, trace_store=traces)
    result = await _bounded(rlm.arun(query, context), b.max_wall_s + 30.0, "rlm")
    report = None
    if consolidate and result.stopped_by != "error":
        report = await consolidate_run(memory, result, query, bank)
    d = result.to_dict()
    return {"answer": d["answer"], "stopped_by": result.stopped_by, "usage": result.usage,
            "cost": result.usage.get("cost"), "run_id": result.run_id, "trace": result.run_id,
            "findings": result.findings, "error": result.error, "bank": bank,
            "consolidated": None if report is None else _report(report)}  # fmt: skip


def _report(report: Any) -> dict[str, Any]:
    from agent.repl_memory import jsonable

    return dict(jsonable(report))
