"""Session consolidation: what an RLM run found becomes memory, with provenance to the run.

`consolidate_run` keeps the answer (when the run reached FINAL), every finding the model marked
with `note_finding`, and a bounded, deduplicated selection of sub-call results. Each is retained
with source ``rlm:<run_id>`` and metadata (query, kind, session). Running it twice adds nothing:
retain treats a repeated (source, text) as a no-op.

A consolidation that fails never loses the run: `consolidate_or_keep` stores the run in the
outbox (storage.outbox) and `retry_pending` (run by every process that opens the memory, see
agent.wiring.open_memory) consolidates what is waiting there.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import BaseModel

from agent.state import AgentMemory
from storage.outbox import Outbox

__all__ = [
    "RunOutcome",
    "RunRecord",
    "ConsolidationReport",
    "RetryReport",
    "select_items",
    "consolidate_run",
    "consolidate_or_keep",
    "retry_pending",
]

MAX_SUB_RESULTS = 20
MIN_SUB_CHARS = 40
MAX_ITEM_CHARS = 2000
_ERRORISH = re.compile(r"^\s*(?:error|exception|traceback|i (?:can(?:no|')t|am unable))", re.I)


class RunOutcome(Protocol):
    """What consolidation reads from an `rlm.engine.RunResult`."""

    answer: Any
    stopped_by: str | None
    findings: list[str]
    sub_results: list[dict[str, Any]]
    run_id: str
    usage: dict[str, Any]
    trace_path: str | None


@dataclass
class RunRecord:
    """A JSON-able copy of the parts of a RunResult the agent keeps in its state."""

    run_id: str
    answer: Any = None
    stopped_by: str | None = None
    findings: list[str] = field(default_factory=list)
    sub_results: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=dict)
    trace_path: str | None = None

    @classmethod
    def from_result(cls, result: RunOutcome) -> RunRecord:
        answer = result.answer
        if isinstance(answer, BaseModel):  # a typed FINAL: kept as its JSON
            answer = answer.model_dump_json()
        return cls(
            run_id=str(result.run_id),
            answer=answer,
            stopped_by=result.stopped_by,
            findings=[str(f) for f in result.findings or []],
            sub_results=[dict(s) for s in (result.sub_results or [])],
            usage=dict(result.usage or {}),
            trace_path=result.trace_path,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunRecord:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class ConsolidationReport:
    source: str
    retained: int = 0  # items that added something new
    noop: int = 0  # items memory already had (idempotence)
    skipped: int = 0  # sub-call results not worth keeping
    fact_ids: list[str] = field(default_factory=list)
    items: list[dict[str, str]] = field(default_factory=list)  # {"kind", "text"} retained or noop

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _answer_text(run: RunOutcome, query: str) -> str | None:
    if run.stopped_by is not None or run.answer is None:
        return None
    answer = str(run.answer).strip()
    return f'Answer to "{query.strip()}": {answer}'[:MAX_ITEM_CHARS] if answer else None


def _worth_keeping(response: str) -> bool:
    return len(response) >= MIN_SUB_CHARS and not _ERRORISH.match(response)


def select_items(run: RunOutcome, query: str) -> tuple[list[tuple[str, str]], int]:
    """(kind, text) pairs to retain, deduplicated, in order: answer, findings, sub-results."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(kind: str, text: str) -> bool:
        key = _norm(text)
        if not key or key in seen:
            return False
        seen.add(key)
        items.append((kind, text[:MAX_ITEM_CHARS].strip()))
        return True

    answer = _answer_text(run, query)
    if answer:
        add("answer", answer)
    for finding in run.findings or []:
        add("finding", str(finding))
    kept = skipped = 0
    for sub in run.sub_results or []:
        response = str(sub.get("response") or "").strip()
        if kept < MAX_SUB_RESULTS and _worth_keeping(response) and add("sub_result", response):
            kept += 1
        else:
            skipped += 1
    return items, skipped


async def consolidate_run(
    memory: AgentMemory,
    run_result: RunOutcome,
    query: str,
    bank: str = "default",
    session_id: str | None = None,
    *,
    mentioned_at: datetime | None = None,
) -> ConsolidationReport:
    """Retain the run's answer, findings and worthwhile sub-results; idempotent."""
    source = f"rlm:{run_result.run_id}"
    items, skipped = select_items(run_result, query)
    report = ConsolidationReport(source=source, skipped=skipped)
    when = mentioned_at or datetime.now(UTC)
    for kind, text in items:
        metadata = {"query": query, "kind": kind, "session": session_id or run_result.run_id}
        result = await memory.aretain(
            text, mentioned_at=when, source=source, bank=bank, metadata=metadata
        )
        if result.noop:
            report.noop += 1
        else:
            report.retained += 1
            report.fact_ids.extend(str(f) for f in result.fact_ids)
        report.items.append({"kind": kind, "text": text})
    return report


@dataclass
class RetryReport:
    done: int = 0  # consolidated now (and removed from the outbox)
    failed: int = 0  # still failing (kept, with the new error)
    errors: list[str] = field(default_factory=list)


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


async def consolidate_or_keep(
    memory: AgentMemory,
    outbox: Outbox | None,
    run: RunRecord,
    query: str,
    bank: str = "default",
    session_id: str | None = None,
) -> tuple[ConsolidationReport | None, str | None]:
    """Consolidate `run`; if that fails, keep it in the outbox for a later retry.

    Returns (report, None) on success, or (None, why) after a failure. The run is then pending
    in the outbox; `why` says so, or says that it could not be kept (no outbox, or the outbox
    write failed too: the answer itself still reaches the user and the thread's history)."""
    try:
        return await consolidate_run(memory, run, query, bank, session_id), None
    except Exception as exc:  # any failure: the paid-for run is kept, not lost
        why = _why(exc)
    if outbox is None:
        return None, f"{why}; not kept for a retry (this memory has no outbox)"
    try:
        outbox.add(bank, query, run.to_dict(), why, session=session_id or "")
    except Exception as exc:  # the database is down as well: say so, keep the answer
        return None, f"{why}; not kept for a retry either ({_why(exc)})"
    return None, f"{why}; kept in the outbox, retried when the memory is next opened"


async def retry_pending(
    memory: AgentMemory, outbox: Outbox, bank: str | None = None
) -> RetryReport:
    """Consolidate every run waiting in the outbox (oldest first); a run that fails again stays
    there with its new error and attempt count."""
    report = RetryReport()
    for row in outbox.pending(bank):
        run = RunRecord.from_dict(dict(row.run))
        try:
            await consolidate_run(memory, run, row.query, row.bank, row.session or None,
                                  mentioned_at=row.created_at)  # fmt: skip
        except Exception as exc:  # kept for the next process; `engram status` shows why
            outbox.failed_again(row.id, _why(exc))
            report.failed += 1
            report.errors.append(_why(exc))
            continue
        outbox.done(row.id)
        report.done += 1
    return report
