"""Render a JSONL trace as a readable tree (rich): runs, iterations, code, outputs, sub-calls."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.console import Console, Group
from rich.syntax import Syntax
from rich.text import Text
from rich.tree import Tree

from rlm.trace import ChildRunStart, Code, Event, Iteration, Output, RunEnd, RunStart, SubCall

__all__ = ["render_trace", "trace_tree"]


def render_trace(events: list[Event], console: Console, *, max_chars: int = 1500) -> None:
    console.print(trace_tree(events, max_chars=max_chars))


def trace_tree(events: list[Event], *, max_chars: int = 1500) -> Tree:
    by_run: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_run[e.run_id].append(e)
    roots = [e.run_id for e in events if isinstance(e, RunStart) and e.parent_id is None]
    top = Tree(Text(f"trace: {len(events)} events, {len(by_run)} runs", style="bold"))
    for run_id in roots:
        _add_run(top, run_id, by_run, max_chars)
    return top


def _add_run(parent: Tree, run_id: str, by_run: dict[str, list[Event]], max_chars: int) -> None:
    events = by_run.get(run_id, [])
    start = next((e for e in events if isinstance(e, RunStart)), None)
    label = Text(f"run {run_id}", style="bold cyan")
    if start:
        label.append(f"  depth {start.depth}  root={start.root_model} sub={start.sub_model}")
        context = start.context.replace("\n", "\n    ")
        label.append(f"\n  query: {_cut(start.query, 300)}\n  context: {context}")
    node = parent.add(label)
    current = node
    subs: list[SubCall] = []
    for e in events:
        if isinstance(e, Iteration):
            _flush_subs(current, subs)
            current = node.add(_iteration_label(e))
        elif isinstance(e, Code):
            current.add(Syntax(e.code.rstrip(), "python", theme="ansi_dark", word_wrap=True))
        elif isinstance(e, Output):
            _flush_subs(current, subs)
            style = "red" if e.error or e.timed_out else "green"
            current.add(Text(_cut(e.text, max_chars), style=style))
        elif isinstance(e, SubCall):
            subs.append(e)
        elif isinstance(e, ChildRunStart):
            _flush_subs(current, subs)
            _add_run(current, e.child_id, by_run, max_chars)
        elif isinstance(e, RunEnd):
            _flush_subs(current, subs)
            node.add(_end_label(e))
        elif e.type in ("final", "budget_stop", "error"):
            node.add(Text(f"{e.type}: {_cut(str(_fields(e)), 500)}", style="magenta"))
    _flush_subs(current, subs)


def _iteration_label(e: Iteration) -> Text:
    kind = "extraction turn" if e.extraction else f"iteration {e.n}"
    return Text(
        f"{kind}  prompt {e.prompt_chars:,} chars, {e.tokens:,} tokens, ${e.cost:.4f}, "
        f"{e.latency_s:.2f}s",
        style="bold",
    )


def _flush_subs(node: Tree, subs: list[SubCall]) -> None:
    if not subs:
        return
    cached = sum(s.cached for s in subs)
    errors = sum(bool(s.error) for s in subs)
    tokens = sum(s.prompt_tokens + s.completion_tokens for s in subs)
    cost = sum(s.cost for s in subs)
    sent = [s for s in subs if not s.cached]
    mean = sum(s.latency_s for s in sent) / len(sent) if sent else 0.0
    packed = sum(s.packed for s in subs)
    text = (
        f"sub-calls: {len(subs)} ({cached} cached, {errors} errors"
        + (f", {packed} prompts packed" if packed else "")
        + f"), {tokens:,} tokens, ${cost:.4f}, mean latency {mean:.2f}s"
    )
    node.add(Text(text, style="yellow"))
    subs.clear()


def _end_label(e: RunEnd) -> Group:
    u = e.usage
    status = "finished" if e.stopped_by is None else f"stopped by {e.stopped_by}"
    head = Text(f"{status}: {_cut(str(e.answer), 500)}", style="bold green")
    totals = Text(
        f"totals: {u.get('iterations', 0)} iterations, {u.get('sub_calls', 0)} sub-calls, "
        f"{u.get('total_tokens', 0):,} tokens, ${u.get('cost', 0.0):.4f}, "
        f"{u.get('elapsed_s', 0.0):.2f}s, cache hits {u.get('cache_hits', 0)}"
    )
    return Group(head, totals)


def _fields(e: Event) -> dict[str, Any]:
    d = e.to_dict()
    for k in ("type", "run_id", "parent_id", "t"):
        d.pop(k, None)
    return d


def _cut(text: str, n: int) -> str:
    return (
        text
        if len(text) <= n
        else f"{text[: n // 2]} ... [{len(text):,} chars] ... {text[-n // 2 :]}"
    )
