"""respond: close the turn: record it in the thread's history and the trace."""

from __future__ import annotations

from typing import Any

from agent.state import AgentState

__all__ = ["respond_node"]

HISTORY_CHARS = 4000  # long answers are kept shortened in the history the LM sees later


async def respond_node(state: AgentState) -> dict[str, Any]:
    answer = state.get("answer", "")
    user = state.get("input", "")
    event = {
        "node": "respond",
        "route": state.get("route"),
        "sources": len(state.get("sources") or []),
    }
    return {
        "history": [
            {"role": "user", "content": user[:HISTORY_CHARS]},
            {"role": "assistant", "content": answer[:HISTORY_CHARS]},
        ],
        "trace": [*state.get("trace", []), event],
    }
