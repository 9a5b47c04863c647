"""Sub-calls served to the REPL: `llm_query` and `llm_query_batched` with budget, cache, fan-out.

`RunTree` is what one run tree shares (budget tracker, cache, trace writer, findings, kept
sub-results, concurrency semaphore). `SubCaller` turns REPL requests into sub-LM calls:

- every request is checked against the tree's budget first; a batch reserves its sub-calls up
  front, so the tree overshoots token/cost limits by at most the batch in flight;
- identical prompts in a batch are sent once; answers are cached on (model, prompt);
- a batch of more than `fanout_max_prompts` prompts is packed (see `rlm.fanout`) or refused
  with a message the model sees when it would not fit the sub-call budget;
- a failed item comes back as "Error: ..." and never sinks the batch.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rlm.budget import BudgetTracker
from rlm.cache import SubCallCache, dedup
from rlm.errors import BudgetExceeded
from rlm.fanout import pack_prompt, parse_pack_answer, plan_packs
from rlm.lm import LM, Completion
from rlm.trace import SubCall, TraceWriter

__all__ = ["RunTree", "SubCaller", "SubCallSettings", "BatchRefused"]


class BatchRefused(ValueError):
    """A batch would not fit the remaining sub-call budget; the message tells the model why."""


@dataclass
class SubCallSettings:
    concurrency: int = 16
    fanout_max_prompts: int = 256
    fanout_pack_chars: int = 8000
    max_tokens: int | None = None  # per sub-call completion
    keep_sub_results: int = 200  # {"prompt","response"} pairs kept for consolidation
    kept_chars: int = 2000  # each kept prompt/response is cut to this many characters


@dataclass
class RunTree:
    """State shared by every run of one recursion tree."""

    tracker: BudgetTracker
    trace: TraceWriter
    cache: SubCallCache
    settings: SubCallSettings
    findings: list[str] = field(default_factory=list)
    sub_results: list[dict[str, str]] = field(default_factory=list)
    iterations: dict[str, int] = field(default_factory=dict)  # run_id -> its current iteration
    labels: dict[str, str] = field(default_factory=dict)  # written on the root run's run_start
    semaphore: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.semaphore = asyncio.Semaphore(max(1, self.settings.concurrency))

    def keep_result(self, prompt: str, response: str) -> None:
        s = self.settings
        if len(self.sub_results) < s.keep_sub_results:
            self.sub_results.append(
                {"prompt": prompt[: s.kept_chars], "response": response[: s.kept_chars]}
            )

    def check_spend(self) -> None:
        """Raise BudgetExceeded (and mark the tree exhausted) if a tree-wide limit is used up."""
        limit = self.tracker.tree_limit_hit()
        if limit:
            self.tracker.exhausted = self.tracker.exhausted or limit
            raise BudgetExceeded(limit, self.tracker.spent(limit), self.tracker.allowed(limit))


class SubCaller:
    """The host side of `llm_query` / `llm_query_batched` for one run."""

    def __init__(self, sub: LM, tree: RunTree, *, run_id: str, parent_id: str | None) -> None:
        self.sub = sub
        self.tree = tree
        self.run_id = run_id
        self.parent_id = parent_id

    # -- REPL entry points ----------------------------------------------------------------
    async def llm_query(self, prompt: Any, model: str | None = None) -> str:
        """One sub-call. Raises (the REPL sees the error) when the budget is used up.

        `model` is accepted for compatibility with the paper's signature; every sub-call goes to
        the run's configured sub model.
        """
        prompt = str(prompt)
        self.tree.check_spend()
        cached = self._cached(prompt)
        if cached is not None:
            return cached
        self._reserve(1)
        completion = await self._call(prompt)
        self.tree.cache.put(self.sub.model, prompt, completion.text)
        self.tree.keep_result(prompt, completion.text)
        return completion.text

    async def llm_query_batched(
        self, prompts: Sequence[Any], model: str | None = None
    ) -> list[str]:
        """Many sub-calls, concurrently (bounded), answers in order; failures become "Error: ..."."""
        if isinstance(prompts, str):
            raise TypeError("llm_query_batched takes a list of prompts, not one string")
        prompts = [str(p) for p in prompts]
        self.tree.check_spend()
        unique, where = dedup(prompts)
        self.tree.tracker.dedup_hits += len(prompts) - len(unique)
        answers: list[str | None] = [self._cached(p) for p in unique]
        missing = [i for i, a in enumerate(answers) if a is None]
        groups = self._plan(unique, missing)
        self._reserve_batch(len(groups), len(missing))
        results = await asyncio.gather(*(self._run_group(unique, g) for g in groups))
        for group, texts in zip(groups, results, strict=True):
            for i, text in zip(group, texts, strict=True):
                answers[i] = text
        return [answers[w] or "" for w in where]

    # -- planning and budget --------------------------------------------------------------
    def _plan(self, unique: list[str], missing: list[int]) -> list[list[int]]:
        s = self.tree.settings
        if len(missing) <= s.fanout_max_prompts:
            return [[i] for i in missing]
        packs = plan_packs([unique[i] for i in missing], s.fanout_pack_chars)
        return [[missing[j] for j in pack] for pack in packs]

    def _reserve(self, n: int) -> None:
        tracker = self.tree.tracker
        if tracker.sub_calls_left() < n:
            tracker.exhausted = "max_sub_calls"
            raise BudgetExceeded("max_sub_calls", tracker.sub_calls, tracker.budget.max_sub_calls)
        tracker.reserve_sub_calls(n)

    def _reserve_batch(self, calls: int, prompts: int) -> None:
        tracker = self.tree.tracker
        left = tracker.sub_calls_left()
        if calls <= left:
            tracker.reserve_sub_calls(calls)
            return
        if left == 0:
            tracker.exhausted = "max_sub_calls"
            raise BudgetExceeded("max_sub_calls", tracker.sub_calls, tracker.budget.max_sub_calls)
        raise BatchRefused(
            f"llm_query_batched refused: {prompts} new prompts need {calls} sub-calls "
            f"(after packing small prompts) but only {left} remain in the budget. Send fewer, "
            f"larger prompts (bigger chunks, or several items per prompt)."
        )

    def _cached(self, prompt: str) -> str | None:
        hit = self.tree.cache.get(self.sub.model, prompt)
        if hit is not None:
            self.tree.tracker.cache_hits += 1
            self._emit(prompt, hit, None, cached=True)
        return hit

    # -- sending --------------------------------------------------------------------------
    async def _run_group(self, unique: list[str], group: list[int]) -> list[str]:
        if len(group) == 1:
            return [await self._safe_call(unique[group[0]])]
        items = [unique[i] for i in group]
        try:
            completion = await self._call(pack_prompt(items), packed=len(items))
            parsed = parse_pack_answer(completion.text, len(items))
        except Exception as exc:  # the packed call failed: answer the items one by one
            parsed = [None] * len(items)
            self._emit("", "", f"{type(exc).__name__}: {exc}", packed=len(items))
        out: list[str] = []
        for prompt, answer in zip(items, parsed, strict=True):
            if answer is None:
                answer = await self._fallback_item(prompt)
            else:
                self.tree.tracker.packed_prompts += 1
                self.tree.cache.put(self.sub.model, prompt, answer)
                self.tree.keep_result(prompt, answer)
            out.append(answer)
        return out

    async def _fallback_item(self, prompt: str) -> str:
        try:
            self._reserve(1)
        except BudgetExceeded as exc:
            return f"Error: {exc}"
        return await self._safe_call(prompt)

    async def _safe_call(self, prompt: str) -> str:
        try:
            completion = await self._call(prompt)
        except Exception as exc:  # one failed item must not sink the batch
            return f"Error: {type(exc).__name__}: {exc}"
        self.tree.cache.put(self.sub.model, prompt, completion.text)
        self.tree.keep_result(prompt, completion.text)
        return completion.text

    async def _call(self, prompt: str, packed: int = 0) -> Completion:
        """One request to the sub model, within the concurrency bound and the wall-time budget."""
        tracker = self.tree.tracker
        async with self.tree.semaphore:
            t0 = time.perf_counter()
            call = self.sub.acomplete(
                [{"role": "user", "content": prompt}], max_tokens=self.tree.settings.max_tokens
            )
            wall = tracker.wall_left()
            try:
                async with asyncio.timeout(wall):  # no task per call, unlike wait_for
                    completion = await call
            except TimeoutError:
                tracker.exhausted = tracker.exhausted or "max_wall_s"
                self._emit(prompt, "", "wall-time budget used up", packed=packed)
                raise BudgetExceeded(
                    "max_wall_s", tracker.spent("max_wall_s"), tracker.budget.max_wall_s
                ) from None
            except Exception as exc:
                self._emit(prompt, "", f"{type(exc).__name__}: {exc}", packed=packed)
                raise
        tracker.charge_sub(completion.usage)
        latency = completion.latency_s or (time.perf_counter() - t0)
        self._emit(
            prompt, completion.text, None, completion=completion, latency=latency, packed=packed
        )
        return completion

    def _emit(
        self,
        prompt: str,
        response: str,
        error: str | None,
        *,
        cached: bool = False,
        completion: Completion | None = None,
        latency: float = 0.0,
        packed: int = 0,
    ) -> None:
        usage = completion.usage if completion else None
        self.tree.trace.emit(SubCall(
            run_id=self.run_id, parent_id=self.parent_id, call_id=uuid.uuid4().hex[:12],
            iteration=self.tree.iterations.get(self.run_id, 0),
            model=completion.model if completion else self.sub.model,
            prompt_chars=len(prompt), response_chars=len(response),
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            latency_s=round(latency, 6), cost=usage.cost if usage else 0.0,
            cached=cached, packed=packed, error=error,
        ))  # fmt: skip
