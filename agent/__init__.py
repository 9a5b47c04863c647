"""The engram agent: a LangGraph graph routing each turn to the RLM, memory recall, remember or
chat, with session consolidation into memory and `memory` inside the RLM's REPL.

Exports load lazily (langgraph costs ~1 s to import; the CLI should not pay it for `recall`).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Agent",
    "TurnResult",
    "build_graph",
    "AgentDeps",
    "AgentSettings",
    "consolidate_run",
    "ConsolidationReport",
    "memory_handlers",
    "from_env",
]

_WHERE = {
    "Agent": "agent.graph",
    "TurnResult": "agent.graph",
    "build_graph": "agent.graph",
    "AgentDeps": "agent.state",
    "AgentSettings": "agent.state",
    "consolidate_run": "agent.session",
    "ConsolidationReport": "agent.session",
    "memory_handlers": "agent.repl_memory",
    "from_env": "agent.wiring",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'agent' has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
