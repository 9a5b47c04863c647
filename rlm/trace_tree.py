"""One run tree's trace as a tree of nodes with tokens, cost and time rolled up (for UIs).

    root = load_tree("ENGRAM_HOME/traces/20261204T201500-ab12cd34ef56.jsonl")
    root.to_dict()  # {"id", "kind", "parent", "label", "tokens", "cost", "time_s", "totals", ...}

Kinds: ``run`` (the root run or an `rlm_query` child) → ``iteration`` (one root-model call) →
``cell`` (one code block of its reply: `detail` holds the code and what it printed) →
``sub_call`` (an `llm_query` / batch item) and child ``run`` nodes made while the cell ran (calls
made outside a cell hang from the iteration). Every node names the node above it by id
(`parent`; a child run also names its parent run in `detail["parent_run"]`). A node's own `tokens` / `cost` are its model call's (zero for
runs); `time_s` is its wall-clock span; `totals` adds up the node and everything below it:
tokens, cost, model calls, and `model_s` (the summed latency of those calls, which overlap).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rlm.trace import (
    BudgetStop,
    ChildRunStart,
    Code,
    ErrorEvent,
    Event,
    Iteration,
    Output,
    RunEnd,
    RunStart,
    SandboxReady,
    SubCall,
    read_trace,
)

__all__ = ["TraceNode", "load_tree", "build_tree"]


@dataclass
class TraceNode:
    id: str
    kind: str  # "run" | "iteration" | "cell" | "sub_call"
    parent: str | None
    label: str
    start_t: float = 0.0  # seconds since the tree started
    end_t: float = 0.0
    tokens: int = 0
    cost: float = 0.0
    calls: int = 0  # model calls of this node itself (1 for an iteration or a sent sub-call)
    model_s: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)
    children: list[TraceNode] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)

    @property
    def time_s(self) -> float:
        return round(max(0.0, self.end_t - self.start_t), 6)

    def roll_up(self) -> dict[str, Any]:
        """Fill `totals` here and below; returns them."""
        totals = {"tokens": self.tokens, "cost": self.cost, "calls": self.calls,
                  "model_s": self.model_s}  # fmt: skip
        for child in self.children:
            for key, value in child.roll_up().items():
                totals[key] += value
        totals["cost"], totals["model_s"] = round(totals["cost"], 8), round(totals["model_s"], 6)
        self.totals = totals
        return totals

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "parent": self.parent, "label": self.label,
            "start_t": self.start_t, "end_t": self.end_t, "time_s": self.time_s,
            "tokens": self.tokens, "cost": self.cost, "calls": self.calls, "model_s": self.model_s,
            "totals": self.totals, "detail": self.detail,
            "children": [c.to_dict() for c in self.children],
        }  # fmt: skip


def load_tree(path: str | Path) -> TraceNode:
    """The root run of the trace file at `path`, as a tree (raises ValueError if it has none)."""
    return build_tree(read_trace(path))


def build_tree(events: list[Event]) -> TraceNode:
    runs: dict[str, TraceNode] = {}
    current: dict[str, TraceNode] = {}  # run id -> its latest iteration node, or its open cell
    root: TraceNode | None = None
    for e in events:
        if isinstance(e, RunStart):
            node = TraceNode(e.run_id, "run", e.parent_id, e.query[:200], e.t, e.t,
                             detail={"depth": e.depth, "root_model": e.root_model,
                                     "sub_model": e.sub_model, "at": e.at, "query": e.query,
                                     "context": e.context, "parent_run": e.parent_id,
                                     "labels": dict(e.labels)})  # fmt: skip
            runs[e.run_id] = node
            root = root or node
            _attach(node, e.parent_id, runs, current)
        elif e.run_id in runs:
            _add(e, runs[e.run_id], runs, current)
    if root is None:
        raise ValueError("the trace holds no run_start event")
    root.roll_up()
    return root


def _add(e: Event, run: TraceNode, runs: dict[str, TraceNode],
         current: dict[str, TraceNode]) -> None:  # fmt: skip
    """One event of a known run into the tree."""
    if isinstance(e, Iteration):
        current[e.run_id] = _iteration(e, run)
    elif isinstance(e, Code):
        current[e.run_id] = _cell(e, _iteration_of(current.get(e.run_id), runs))
    elif isinstance(e, SubCall):
        _attach(_sub_call(e), e.run_id, runs, current, iteration=e.iteration)
    elif isinstance(e, Output):
        _output(e, current, runs)
    elif isinstance(e, ChildRunStart):
        _extend(current.get(e.run_id), e.t)
    elif isinstance(e, SandboxReady):
        run.detail["isolation"] = {"level": e.level, "layers": e.layers}
    elif isinstance(e, BudgetStop):
        run.detail["budget_stop"] = {"limit": e.limit, "spent": e.spent, "allowed": e.allowed}
    elif isinstance(e, ErrorEvent):
        run.detail.setdefault("errors", []).append(e.message)
    elif isinstance(e, RunEnd):
        run.end_t = max(run.end_t, e.t)
        run.detail.update(stopped_by=e.stopped_by, answer=str(e.answer)[:500])


def _iteration(e: Iteration, run: TraceNode) -> TraceNode:
    node = TraceNode(f"{e.run_id}:{e.n}" + ("x" if e.extraction else ""), "iteration", e.run_id,
                     "extraction turn" if e.extraction else f"iteration {e.n}",
                     round(e.t - e.latency_s, 6), e.t, e.tokens, e.cost, 1, e.latency_s,
                     {"prompt_chars": e.prompt_chars, "n": e.n, "response": e.response})  # fmt: skip
    run.children.append(node)
    return node


def _iteration_of(node: TraceNode | None, runs: dict[str, TraceNode]) -> TraceNode | None:
    """The iteration a run is in (`node` is its latest iteration or a cell left open)."""
    if node is None or node.kind != "cell":
        return node
    run = runs.get(node.detail.get("run", ""))
    return next((c for c in reversed(run.children) if c.id == node.parent), None) if run else None


def _cell(e: Code, iteration: TraceNode | None) -> TraceNode:
    node = TraceNode(f"{e.run_id}:{e.iteration}.{e.index}", "cell", None, f"cell {e.index}",
                     e.t, e.t, detail={"code": e.code, "index": e.index, "run": e.run_id,
                                       "iteration": e.iteration})  # fmt: skip
    if iteration is not None:
        node.parent = iteration.id
        iteration.children.append(node)
    return node


def _output(e: Output, current: dict[str, TraceNode], runs: dict[str, TraceNode]) -> None:
    """What a cell printed; the cell is closed (later calls of the run hang from its iteration)."""
    cell = current.get(e.run_id)
    if cell is None or cell.kind != "cell" or cell.detail.get("index") != e.index:
        _extend(cell, e.t)
        return
    cell.end_t = max(cell.end_t, e.t)
    cell.detail.update(output=e.text, chars=e.chars, error=e.error, duration_s=e.duration_s,
                       timed_out=e.timed_out)  # fmt: skip
    iteration = _iteration_of(cell, runs)
    _extend(iteration, e.t)
    if iteration is not None:
        current[e.run_id] = iteration


def _sub_call(e: SubCall) -> TraceNode:
    sent = 0 if e.cached else 1
    return TraceNode(e.call_id or f"{e.run_id}:call@{e.t}", "sub_call", e.run_id, e.model,
                     round(e.t - e.latency_s, 6), e.t, e.prompt_tokens + e.completion_tokens,
                     e.cost, sent, e.latency_s,
                     {"cached": e.cached, "packed": e.packed, "error": e.error,
                      "prompt_chars": e.prompt_chars, "response_chars": e.response_chars})  # fmt: skip


def _attach(node: TraceNode, run_id: str | None, runs: dict[str, TraceNode],
            current: dict[str, TraceNode], iteration: int | None = None) -> None:  # fmt: skip
    """Under the parent run's open cell or iteration in force (or the run itself, before any)."""
    if run_id is None or run_id not in runs:
        return
    parent = current.get(run_id)
    number = None if parent is None else parent.detail.get("iteration", parent.detail.get("n"))
    if iteration is not None and parent is not None and number != iteration:
        parent = next((c for c in runs[run_id].children
                       if c.kind == "iteration" and c.detail.get("n") == iteration), parent)  # fmt: skip
    holder = parent or runs[run_id]
    node.parent = holder.id
    holder.children.append(node)
    _extend(holder, node.end_t)
    if holder.kind == "cell":
        _extend(_iteration_of(holder, runs), node.end_t)


def _extend(node: TraceNode | None, t: float) -> None:
    if node is not None and t > node.end_t:
        node.end_t = t
