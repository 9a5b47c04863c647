"""consolidate: after an RLM turn, keep what the run found in memory (see agent.session)."""

from __future__ import annotations

from typing import Any

from agent.session import RunRecord, consolidate_run
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
    report = await consolidate_run(
        deps.memory, RunRecord.from_dict(run), query, deps.bank, session_id=session
    )
    trace.append(
        {
            "node": "consolidate",
            "retained": report.retained,
            "noop": report.noop,
            "source": report.source,
        }
    )
    return {"consolidation": report.to_dict(), "trace": trace}
