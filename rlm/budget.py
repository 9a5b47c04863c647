"""The budget governor: limits enforced by the host across a whole recursion tree.

`Budget` is what the user allows. `BudgetTracker` is the one shared accounting object of a run
tree: the root run creates it and passes it to every child run, so sub-calls, tokens, cost and
wall time are counted once for the tree. Iterations are counted per run (each run keeps its own
counter and asks `iteration_limit_hit`), depth is checked when a child is about to start.

Sub-calls are *reserved* before a call or a batch is sent, so the tree can overshoot its
token/cost limits by at most the batch that was in flight when the limit was crossed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from rlm.lm import Usage

__all__ = ["Budget", "BudgetTracker", "LIMIT_NAMES"]

LIMIT_NAMES = (
    "max_iterations",
    "max_sub_calls",
    "max_tokens",
    "max_cost",
    "max_wall_s",
    "max_depth",
)


@dataclass
class Budget:
    max_iterations: int = 30  # root iterations (per run; children get their own count)
    max_sub_calls: int = 5000  # sub-LM requests sent across the whole recursion tree
    max_tokens: int | None = None  # root + sub tokens, whole tree
    max_cost: float | None = None  # USD, whole tree
    max_wall_s: float | None = None  # whole tree
    max_depth: int = 2  # rlm_query nesting (root = depth 0)


@dataclass
class BudgetTracker:
    """Shared, mutable accounting for one run tree. Single event loop; no locking needed."""

    budget: Budget
    started: float = field(default_factory=time.monotonic)
    root: Usage = field(default_factory=Usage)  # calls of the depth-0 root model
    sub: Usage = field(default_factory=Usage)  # sub-calls and every child run's calls
    sub_calls: int = 0  # sub-LM requests reserved (sent or in flight)
    cache_hits: int = 0
    dedup_hits: int = 0
    packed_prompts: int = 0  # prompts answered inside a packed fan-out call
    exhausted: str | None = None  # set when a limit was hit inside a handler

    # -- spending -------------------------------------------------------------------------
    def charge_root(self, usage: Usage) -> None:
        self.root = self.root + usage

    def charge_sub(self, usage: Usage) -> None:
        self.sub = self.sub + usage

    def reserve_sub_calls(self, n: int) -> None:
        self.sub_calls += n

    def release_sub_calls(self, n: int) -> None:
        """Give back reservations that were never sent (e.g. the batch was refused)."""
        self.sub_calls = max(0, self.sub_calls - n)

    # -- reading --------------------------------------------------------------------------
    @property
    def total_tokens(self) -> int:
        return self.root.total_tokens + self.sub.total_tokens

    @property
    def cost(self) -> float:
        return self.root.cost + self.sub.cost

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    def sub_calls_left(self) -> int:
        return max(0, self.budget.max_sub_calls - self.sub_calls)

    def wall_left(self) -> float | None:
        if self.budget.max_wall_s is None:
            return None
        return max(0.0, self.budget.max_wall_s - self.elapsed_s)

    def tree_limit_hit(self) -> str | None:
        """The first tree-wide limit already reached (tokens, cost, wall, sub-calls), else None."""
        return self.spend_limit_hit() or self.exhausted

    def spend_limit_hit(self) -> str | None:
        """The first of tokens, cost, wall time already used up, else None."""
        b = self.budget
        if b.max_tokens is not None and self.total_tokens >= b.max_tokens:
            return "max_tokens"
        if b.max_cost is not None and self.cost >= b.max_cost:
            return "max_cost"
        if b.max_wall_s is not None and self.elapsed_s >= b.max_wall_s:
            return "max_wall_s"
        return None

    def iteration_limit_hit(self, iterations_done: int) -> str | None:
        if iterations_done >= self.budget.max_iterations:
            return "max_iterations"
        return None

    def allowed(self, limit: str) -> Any:
        return getattr(self.budget, limit, None)

    def spent(self, limit: str) -> Any:
        return {
            "max_tokens": self.total_tokens,
            "max_cost": round(self.cost, 6),
            "max_wall_s": round(self.elapsed_s, 3),
            "max_sub_calls": self.sub_calls,
        }.get(limit)

    def remaining(self, iterations_done: int) -> dict[str, Any]:
        """What is left, for the root's per-turn budget line and for traces."""
        b = self.budget
        return {
            "iterations": max(0, b.max_iterations - iterations_done),
            "sub_calls": self.sub_calls_left(),
            "tokens": None if b.max_tokens is None else max(0, b.max_tokens - self.total_tokens),
            "cost": None if b.max_cost is None else max(0.0, b.max_cost - self.cost),
            "wall_s": self.wall_left(),
        }

    def usage_dict(self, iterations: int) -> dict[str, Any]:
        return {
            "root": self.root.to_dict(),
            "sub": self.sub.to_dict(),
            "sub_calls": self.sub_calls,
            "iterations": iterations,
            "cost": self.cost,
            "total_tokens": self.total_tokens,
            "cache_hits": self.cache_hits,
            "dedup_hits": self.dedup_hits,
            "packed_prompts": self.packed_prompts,
            "elapsed_s": round(self.elapsed_s, 3),
        }
