"""`engram rlm` (run an RLM over a file) and `engram trace list | view | tree`.

Every run keeps its trace under ENGRAM_HOME/traces (`--trace FILE` writes a copy as well).
Only what a command uses is imported, and the answer is printed before the run is
consolidated into memory (which opens the memory only if there is something to keep).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from rlm.sandbox.base import HostHandlers

__all__ = ["register", "extra_handlers_for", "cmd_rlm", "cmd_trace_view"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("rlm", help="answer a query over a large context with an RLM")
    p.add_argument("--query", "-q", required=True, help="the question to answer")
    p.add_argument("--context", "-c", required=True, help="file holding the context")
    p.add_argument("--trace", help="write the run's JSONL trace to this file")
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.add_argument("--max-iterations", type=int, default=30)
    p.add_argument("--max-cost", type=float, default=None, help="USD for the whole run tree")
    p.add_argument("--max-depth", type=int, default=2, help="rlm_query nesting limit")
    p.add_argument("--timeout", type=float, default=None, help="wall-clock seconds for the run")
    p.add_argument("--max-tokens", type=int, default=None, help="root + sub tokens")
    p.add_argument("--max-sub-calls", type=int, default=5000)
    p.add_argument("--no-memory", action="store_true", help="do not expose `memory` in the REPL")
    p.add_argument("--no-consolidate", action="store_true", help="do not store the session")
    p.add_argument("--require-isolation", action="store_true",
                   help="refuse to run unless the REPL's files and network are confined by the "
                        "kernel (Landlock, namespaces/seccomp)")  # fmt: skip
    p.set_defaults(func=cmd_rlm)

    t = subparsers.add_parser("trace", help="inspect RLM traces (kept under ENGRAM_HOME/traces)")
    tsub = t.add_subparsers(dest="trace_command", metavar="ACTION")
    v = tsub.add_parser("view", help="render a trace as a tree")
    v.add_argument("file", help="a JSONL trace file, or the run id of a kept trace")
    v.add_argument("--max-chars", type=int, default=1500, help="output shown per cell")
    v.set_defaults(func=cmd_trace_view)
    ls = tsub.add_parser("list", help="the kept traces, newest first")
    ls.add_argument("--limit", type=int, default=20)
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_trace_list)
    tr = tsub.add_parser("tree", help="one trace as a JSON tree with totals rolled up")
    tr.add_argument("file", help="a JSONL trace file, or the run id of a kept trace")
    tr.set_defaults(func=cmd_trace_tree)


def extra_handlers_for(args: argparse.Namespace) -> HostHandlers:
    """Host functions added to the REPL besides the engine's own: `memory.*` from ENGRAM_HOME
    unless --no-memory (see agent.wiring.open_rlm_session; it also consolidates afterwards)."""
    from agent.wiring import open_rlm_session

    args.memory_session = open_rlm_session(args.no_memory, args.no_consolidate)
    return args.memory_session.handlers


def _err(message: str) -> int:
    print(f"engram rlm: {message}", file=sys.stderr)
    return 2


def cmd_rlm(args: argparse.Namespace) -> int:
    from rlm.budget import Budget
    from rlm.config import lms_from_env
    from rlm.engine import RLM, RLMConfig
    from rlm.errors import RLMError

    context = Path(args.context)
    if not context.is_file():
        return _err(f"context file not found: {context}")
    try:
        root, sub = lms_from_env()
    except RLMError as exc:
        return _err(str(exc))
    from rlm.openai_lm import freeze_imports_from_gc

    freeze_imports_from_gc()  # a one-shot process: the GC need not rescan the client's classes
    # pydantic scans every installed distribution's entry points for plugins on its first
    # model (~15 ms of the client's import); a one-shot run has none to load. A value the user
    # set (even empty) is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    budget = Budget(
        max_iterations=args.max_iterations, max_sub_calls=args.max_sub_calls,
        max_tokens=args.max_tokens, max_cost=args.max_cost, max_wall_s=args.timeout,
        max_depth=args.max_depth,
    )  # fmt: skip
    handlers = extra_handlers_for(args)
    from agent.cli import resume_gc

    resume_gc()  # start-up imports are done (the client's own import pauses it again)
    config = RLMConfig(require_isolation=getattr(args, "require_isolation", False))
    with _Progress(enabled=sys.stderr.isatty()) as progress:
        rlm = RLM(root, sub, budget=budget, config=config, handlers=handlers,
                  on_event=progress.on_event, trace_store=args.memory_session.traces,
                  labels={"bank": args.memory_session.bank})  # fmt: skip
        try:
            result = asyncio.run(_arun(rlm, args.query, context, args.trace, (root, sub)))
        except Exception as exc:  # a bug, not a limit: say so on stderr, exit non-zero
            args.memory_session.finish(args.query, None)
            print(f"engram rlm: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    code = _report(args, result)
    sys.stdout.flush()  # the answer is out before consolidation starts
    args.memory_session.finish(args.query, result)  # consolidation, --no-consolidate
    _exit_now_if_command(code)
    return code


def _exit_now_if_command(code: int) -> None:
    """In the `engram` process itself, end it here: everything is written and closed, and the
    interpreter's teardown of the loaded modules (openai, pydantic: ~0.13 s) serves no one."""
    if Path(sys.argv[0]).name != "engram":
        return  # called in-process (tests, another program): return normally
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


async def _arun(rlm: Any, query: str, context: Path, trace: str | None, lms: tuple) -> Any:
    try:
        return await rlm.arun(query, context, trace_path=trace)
    finally:
        for lm in lms:  # close the clients (and their connection pools) on their own loop
            await lm.aclose()


def _report(args: argparse.Namespace, result: Any) -> int:
    answer = result.to_dict()["answer"]
    if args.json:
        doc = {"answer": answer, "stopped_by": result.stopped_by, "usage": result.usage,
               "trace": result.trace_path, "trace_stored": result.stored_trace,
               "findings": result.findings, "run_id": result.run_id, "error": result.error,
               "isolation": result.isolation}  # fmt: skip
        print(json.dumps(doc, ensure_ascii=False, default=str))
    else:
        print(answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False))
        u = result.usage
        level = result.isolation.get("level", "unknown")
        print(f"[{result.stopped_by or 'finished'}] {u['iterations']} iterations, "
              f"{u['sub_calls']} sub-calls, {u['total_tokens']:,} tokens, ${u['cost']:.4f}, "
              f"isolation: {level}"
              + (f", trace: {result.trace_path}" if result.trace_path else ""),
              file=sys.stderr)  # fmt: skip
        if result.isolation and level != "confined":
            print(f"engram rlm: warning: the REPL ran with isolation level {level!r} "
                  f"({', '.join(result.isolation.get('layers', [])) or 'no kernel layers'}); "
                  "model code could read more of this machine than its context",
                  file=sys.stderr)  # fmt: skip
    if result.stopped_by == "error":
        print(f"engram rlm: run failed: {result.error}", file=sys.stderr)
        return 1
    return 0


class _Progress:
    """A live status line on stderr while the run goes (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._status: Any = None
        self.iterations = self.sub_calls = 0

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console

            self._status = Console(stderr=True).status("starting the REPL worker ...")
            self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    def on_event(self, event: Any) -> None:
        if self._status is None:
            return
        if event.type == "iteration":
            self.iterations += 1 if event.parent_id is None else 0
        elif event.type == "sub_call":
            self.sub_calls += 1
        elif event.type not in ("code", "output"):
            return
        doing = "running code" if event.type == "code" else "waiting for the model"
        self._status.update(f"iteration {self.iterations} · {self.sub_calls} sub-calls · {doing}")


def _trace_path(arg: str) -> Path:
    """A trace file given by path, or by the run id of a trace kept under ENGRAM_HOME."""
    path = Path(arg)
    if path.is_file():
        return path

    from agent.wiring import trace_store

    found = trace_store().find(arg)
    if found is None:
        raise FileNotFoundError(f"no trace file or kept run {arg!r} (see `engram trace list`)")
    return Path(found)


def cmd_trace_view(args: argparse.Namespace) -> int:
    from rich.console import Console

    from rlm.trace import read_trace
    from rlm.trace_view import render_trace

    events = _read("view", args.file, read_trace)
    if events is None:
        return 2
    render_trace(events, Console(), max_chars=args.max_chars)
    return 0


def _read(command: str, arg: str, load: Any) -> Any:
    """`load(path)` of the trace `arg` names, or None after saying why not on stderr."""
    try:
        return load(_trace_path(arg))
    except (OSError, ValueError) as exc:
        print(f"engram trace {command}: cannot read {arg}: {exc}", file=sys.stderr)
        return None


def cmd_trace_list(args: argparse.Namespace) -> int:
    from agent.wiring import trace_store

    store = trace_store()
    summaries = store.list(limit=args.limit)
    if args.json:
        print(json.dumps({"folder": str(store.folder),
                          "traces": [s.to_dict() for s in summaries]}))  # fmt: skip
        return 0
    if not summaries:
        print(f"no traces under {store.folder}", file=sys.stderr)
    for s in summaries:
        status = s.stopped_by or ("finished" if s.finished else "unfinished")
        print(f"{s.run_id}  {s.started_at[:19]}  {status:<14} {s.tokens:>8,} tok  "
              f"${s.cost:.4f}  {s.time_s:7.2f}s  {s.query[:60]}")  # fmt: skip
    return 0


def cmd_trace_tree(args: argparse.Namespace) -> int:
    from rlm.trace_tree import load_tree

    tree = _read("tree", args.file, load_tree)
    if tree is None:
        return 2
    print(json.dumps(tree.to_dict(), default=str))
    return 0
