"""RLM reading of a whole corpus: batches of units → typed findings → episodes in memory.

Runs after the pipeline has retained every unit's raw episodes, so a failing RLM leaves them in
place. What the RLM has read is kept in the ingest state under ``rlm:<unit key>`` with the
unit's digest and the ids of the findings that batch produced: a re-run reads only the units
whose digest changed (with their neighbours as context), forgets the findings their older
version led to and that were not found again, and makes no RLM call for an unchanged corpus.
A batch whose run fails (endpoint down, junk answer) is reported and not recorded, so the next
run reads it again.
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from agent.ingest.corpus_batches import (
    DEFAULT_BATCH_CHARS,
    Batch,
    CorpusBudget,
    plan_batches,
    run_bounded,
)
from agent.ingest.corpus_findings import (
    FINDING_TYPES,
    JunkAnswer,
    finding_episodes,
    parse_answer,
    validate_findings,
)
from agent.ingest.corpus_reader import CorpusUnit, build_context, corpus_units, neighbours
from agent.ingest.units import Episode, Problem, Progress, Unit

__all__ = [
    "CorpusSettings",
    "CorpusReport",
    "CorpusReader",
    "corpus_query",
    "STATE_PREFIX",
]

STATE_PREFIX = "rlm:"


class Runner(Protocol):
    """`rlm.engine.RLM` fits."""

    async def arun(self, query: str, context: Any, **kw: Any) -> Any: ...


class StateLike(Protocol):
    def is_done(self, bank: str, unit: str, content_hash: str) -> bool: ...
    def versions(self, bank: str, units: Sequence[str]) -> list[Any]: ...
    def record(self, bank: str, unit: str, content_hash: str, *, sources: Sequence[str],
               episode_ids: Sequence[str], replaces: Sequence[str] = ()) -> None: ...  # fmt: skip


@dataclass
class CorpusSettings:
    batch_chars: int = DEFAULT_BATCH_CHARS
    concurrency: int = 2
    max_cost: float | None = None  # USD for every batch of one ingest together
    max_tokens: int | None = None


@dataclass
class CorpusReport:
    units: int = 0
    changed: int = 0  # units (re-)read this time
    batches: int = 0
    runs: int = 0
    failed: int = 0  # batches whose run or answer failed (read again next time)
    endpoint_failed: int = 0  # of `failed`: the LLM endpoint did not answer
    skipped: int = 0  # batches not started: the budget was spent
    findings: int = 0
    dropped: int = 0
    forgotten: int = 0
    cost: float = 0.0
    tokens: int = 0
    run_ids: list[str] = field(default_factory=list)
    max_in_flight: int = 0
    duration_s: float = 0.0
    _in_flight: int = 0

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in dataclasses.asdict(self).items() if not k.startswith("_")}
        d["cost"] = round(self.cost, 6)
        d["duration_s"] = round(self.duration_s, 3)
        return d


def corpus_query(batch: Batch, total: int) -> str:
    types = ", ".join(FINDING_TYPES)
    return (
        f"`context` is a dict: context['manifest'] lists {len(batch.read) + len(batch.context)} "
        f"units of a corpus of {total} (id, kind, label, chars, date, role) and "
        "context['units'] maps each id to its full text. Read every unit whose role is 'read' "
        "(role 'context' units are unchanged neighbours, for reference; you may cite them). "
        "Work in code: look at the manifest, read units in pieces, use llm_query / "
        "llm_query_batched on long ones. Find what holds across units: decisions (with their "
        "reason and date), who owns or did what, links between issues, commits and documents "
        "(which issue led to which change), and open problems. Answer with FINAL of a JSON "
        'object {"findings": [{"type": one of ' + types + ', "text": one sentence, '
        '"reason"?, "date"? (YYYY-MM-DD), "who"?, "cites": [{"unit": a manifest id, '
        '"quote": text copied verbatim from that unit, at least a few words}]}]}. '
        "Every finding must cite the units it comes from with exact quotes; a finding whose "
        "quote is not in the unit's text is discarded. Only what the texts say."
    )


class CorpusReader:
    """Reads changed units of a corpus with an RLM and retains the findings it can prove."""

    def __init__(
        self,
        rlm: Runner,
        settings: CorpusSettings | None = None,
        *,
        progress: Progress | None = None,
    ) -> None:
        self.rlm = rlm
        self.settings = settings or CorpusSettings()
        self.progress = progress

    async def aread(
        self, units: Sequence[Unit], memory: Any, state: StateLike, bank: str,
        problems: list[Problem],
    ) -> CorpusReport:  # fmt: skip
        t0 = time.perf_counter()
        rep = await self._aread(units, memory, state, bank, problems)
        rep.duration_s = time.perf_counter() - t0
        return rep

    async def _aread(
        self, units: Sequence[Unit], memory: Any, state: StateLike, bank: str,
        problems: list[Problem],
    ) -> CorpusReport:  # fmt: skip
        corpus = corpus_units(units)
        rep = CorpusReport(units=len(corpus))
        changed = {c.id for c in corpus
                   if not state.is_done(bank, STATE_PREFIX + c.key, c.digest)}  # fmt: skip
        rep.changed = len(changed)
        if not changed:
            return rep
        near = neighbours(corpus, changed)
        batches = plan_batches(corpus, changed, near, self.settings.batch_chars)
        rep.batches = len(batches)
        lookup: dict[str, CorpusUnit] = {c.id: c for c in corpus}
        lookup.update({c.key: c for c in corpus})
        budget = CorpusBudget(self.settings.max_cost, self.settings.max_tokens)
        if self.progress:
            self.progress.start(len(batches), f"RLM reading {len(changed)} unit(s)")

        async def run(b: Batch) -> None:
            rep._in_flight += 1
            rep.max_in_flight = max(rep.max_in_flight, rep._in_flight)
            try:
                await self._batch(b, len(corpus), lookup, memory, state, bank, budget, rep,
                                  problems)  # fmt: skip
            finally:
                rep._in_flight -= 1
            if self.progress:
                self.progress.advance(f"{rep.runs} run(s), {rep.findings} finding(s), "
                                      f"{rep.tokens:,} tokens, ${rep.cost:.4f}")  # fmt: skip

        def skip(b: Batch, limit: str) -> None:
            rep.skipped += 1
            problems.append(Problem(_name(b), f"RLM batch not started: the ingest's {limit} "
                                    "budget is spent; run again to read it", "warning"))  # fmt: skip

        try:
            await run_bounded(batches, run, self.settings.concurrency, budget, skip)
        finally:
            if self.progress:
                self.progress.stop()
        return rep

    def _runner(self, budget: CorpusBudget) -> Runner:
        """The RLM with its per-run budget capped at what the ingest has left."""
        own = getattr(self.rlm, "budget", None)
        if own is None or (budget.max_cost is None and budget.max_tokens is None):
            return self.rlm
        cost, tokens = budget.cost_left(), budget.tokens_left()
        capped = dataclasses.replace(
            own,
            max_cost=_min(own.max_cost, cost),
            max_tokens=_min(own.max_tokens, tokens),
        )
        clone = copy.copy(self.rlm)
        clone.budget = capped  # type: ignore[attr-defined]
        return clone

    async def _batch(
        self, b: Batch, total: int, lookup: Mapping[str, CorpusUnit], memory: Any,
        state: StateLike, bank: str, budget: CorpusBudget, rep: CorpusReport,
        problems: list[Problem],
    ) -> None:  # fmt: skip
        name = _name(b)
        try:
            result = await self._runner(budget).arun(
                corpus_query(b, total), build_context(b.read, b.context),
                labels={"ingest": "corpus", "batch": str(b.index)},
            )  # fmt: skip
        except Exception as e:  # noqa: BLE001 - a runner that raises is a failed batch
            rep.failed += 1
            problems.append(Problem(name, f"RLM run failed: {_reason(e)}", "warning"))
            return
        usage = result.usage or {}
        budget.spend(float(usage.get("cost") or 0.0), int(usage.get("total_tokens") or 0))
        rep.runs += 1
        rep.cost, rep.tokens = budget.cost, budget.tokens
        rep.run_ids.append(str(result.run_id))
        if result.stopped_by == "error":
            rep.failed += 1
            err = result.error or "unknown error"
            rep.endpoint_failed += err.startswith(("LMError", "LMTimeout"))
            problems.append(Problem(name, f"RLM run {result.run_id} failed: {err}; the raw "
                                    "episodes are stored, run again to read it", "warning"))  # fmt: skip
            return
        try:
            raw = parse_answer(result.answer)
        except JunkAnswer as e:
            rep.failed += 1
            why = f" (stopped by {result.stopped_by})" if result.stopped_by else ""
            problems.append(Problem(name, f"RLM run {result.run_id}{why}: {e}", "warning"))
            return
        kept, dropped = validate_findings(raw, lookup)
        rep.dropped += len(dropped)
        problems += [Problem(name, f"RLM run {result.run_id}: {w}", "warning") for w in dropped]
        episodes = finding_episodes(kept, str(result.run_id), b.index)
        try:
            ids = await _retain(memory, episodes, bank)
            rep.forgotten += await self._replace(b, ids, episodes, memory, state, bank)
        except Exception as e:  # noqa: BLE001 - reported; read again next run
            rep.failed += 1
            problems.append(Problem(name, f"storing the findings failed: {_reason(e)}", "warning"))
            return
        rep.findings += len(kept)

    async def _replace(
        self, b: Batch, ids: list[str], episodes: list[Episode], memory: Any, state: StateLike,
        bank: str,
    ) -> int:  # fmt: skip
        """Forget findings the read units' older versions led to (not found again), then
        record each read unit as read with the findings that cite it."""
        keys = [STATE_PREFIX + c.key for c in b.read]
        older = state.versions(bank, keys)
        stale = sorted({e for v in older for e in v.episode_ids} - set(ids))
        if stale:
            await memory.aforget_episodes(stale, bank=bank)
        read = {c.key for c in b.read}
        pairs = list(zip(ids, episodes, strict=True))
        for c in b.read:  # a finding citing only neighbours goes with every unit read
            mine = [(i, e) for i, e in pairs if c.key in e.metadata["derived_from"]
                    or not read & set(e.metadata["derived_from"])]  # fmt: skip
            state.record(bank, STATE_PREFIX + c.key, c.digest,
                         sources=[e.source for _, e in mine],
                         episode_ids=[i for i, _ in mine])  # fmt: skip
        return len(stale)


async def _retain(memory: Any, episodes: list[Episode], bank: str) -> list[str]:
    """One id per episode, in order (a repeat keeps the stored episode's id)."""
    if not episodes:
        return []
    results = await memory.aretain_many([e.retain_item(bank) for e in episodes])
    return [r.episode_id for r in results]


def _min(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _name(b: Batch) -> str:
    ids = [c.id for c in b.read]
    shown = ", ".join(ids[:3]) + (f", +{len(ids) - 3} more" if len(ids) > 3 else "")
    return f"rlm batch {b.index} ({shown})"


def _reason(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}"[:500]
