"""consolidate: after an RLM turn, keep what the run found in memory (see agent.session).

A failed consolidation does not fail the turn: the answer stands, the run waits in the outbox
for the next process that opens the memory, and the turn's consolidation says it is pending.
"""

from __future__ import annotations

from typing import Any

from agent.session import RunRecord, consolidate_or_keep
from agent.state import AgentDeps, AgentState

__all__ = ["consolidate_node"]


async def consolidate_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    trace = list(state.get("trace", []))
    run = dict(state.get("rlm") or {})
    if not run or not deps.settings.consolidate:
        reason = "disabled" if run else "no RLM run this turn"
        trace.append({"node": "consolidate", "skipped": reason})
        return {"consolidation": None, "trace": trace}
    query = str(run.pop("query", state.get("input", "")))
    session = f"agent:{state.get('thread_id', 'default')}:{state.get('turn', 0)}"
    report, why = await consolidate_or_keep(
        deps.memory, deps.outbox, RunRecord.from_dict(run), query, deps.bank, session_id=session
    )
    if report is None:
        trace.append({"node": "consolidate", "pending": True, "error": why})
        return {"consolidation": {"pending": True, "error": why}, "trace": trace}
    trace.append(
        {
            "node": "consolidate",
            "retained": report.retained,
            "noop": report.noop,
            "source": report.source,
        }
    )
    return {"consolidation": report.to_dict(), "trace": trace}
