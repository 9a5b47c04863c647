"""Split the units to read into batches one RLM run should take, and run them, bounded.

A batch holds changed units up to `max_chars` of text (a unit larger than that is a batch of
its own: the REPL reads it in pieces), grouped by directory so related files travel together,
plus as many of their unchanged neighbours as still fit (context, not re-read). Batches run
concurrently, at most `concurrency` at a time, under one spending limit for the whole ingest
(`CorpusBudget`): once it is spent no new batch starts, and each batch's run is capped at what
is left (in-flight batches can overshoot it by at most their own spending).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from agent.ingest.corpus_reader import CorpusUnit

__all__ = ["Batch", "CorpusBudget", "plan_batches", "run_bounded", "DEFAULT_BATCH_CHARS"]

DEFAULT_BATCH_CHARS = 120_000
T = TypeVar("T")


@dataclass
class Batch:
    index: int
    read: list[CorpusUnit]
    context: list[CorpusUnit] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return sum(len(c.text) for c in [*self.read, *self.context])


@dataclass
class CorpusBudget:
    """Spending across every batch of one ingest (None: no limit)."""

    max_cost: float | None = None
    max_tokens: int | None = None
    cost: float = 0.0
    tokens: int = 0

    def spend(self, cost: float, tokens: int) -> None:
        self.cost += cost
        self.tokens += tokens

    def exhausted(self) -> str | None:
        if self.max_cost is not None and self.cost >= self.max_cost:
            return "max_cost"
        if self.max_tokens is not None and self.tokens >= self.max_tokens:
            return "max_tokens"
        return None

    def cost_left(self) -> float | None:
        return None if self.max_cost is None else max(0.0, self.max_cost - self.cost)

    def tokens_left(self) -> int | None:
        return None if self.max_tokens is None else max(0, self.max_tokens - self.tokens)


def plan_batches(
    corpus: Sequence[CorpusUnit],
    changed: set[str],
    near: dict[str, list[str]],
    max_chars: int = DEFAULT_BATCH_CHARS,
) -> list[Batch]:
    """Batches over the changed ids (in directory order), each with the neighbours that fit."""
    by_id = {c.id: c for c in corpus}
    order = sorted((c for c in corpus if c.id in changed), key=lambda c: (c.group, c.id))
    groups: list[list[CorpusUnit]] = []
    size = 0
    for c in order:
        if groups and size + len(c.text) <= max_chars:
            groups[-1].append(c)
            size += len(c.text)
        else:
            groups.append([c])
            size = len(c.text)
    batches = []
    for i, read in enumerate(groups):
        b = Batch(i, read)
        room = max_chars - b.chars
        taken = {c.id for c in read}
        for c in read:
            for nid in near.get(c.id, []):
                n = by_id.get(nid)
                if n is None or nid in taken or len(n.text) > room:
                    continue
                b.context.append(n)
                taken.add(nid)
                room -= len(n.text)
        batches.append(b)
    return batches


async def run_bounded(
    items: Sequence[T],
    run: Callable[[T], Awaitable[None]],
    concurrency: int,
    budget: CorpusBudget,
    on_skip: Callable[[T, str], None],
) -> None:
    """`run(item)` for each item, at most `concurrency` at once; an item whose turn comes
    after the budget is spent is passed to `on_skip(item, limit)` instead."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(item: T) -> None:
        async with gate:
            limit = budget.exhausted()
            if limit:
                on_skip(item, limit)
                return
            await run(item)

    await asyncio.gather(*(one(i) for i in items))
