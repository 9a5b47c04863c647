"""engram's Recursive Language Model engine.

    from rlm import RLM, Budget
    result = await RLM(root_lm, sub_lm, budget=Budget(max_cost=1.0)).arun(query, Path("big.log"))

The root model never sees the context: it writes code against it in a sandboxed REPL.

Names are imported on first use (PEP 562): `import rlm.sandbox.base` or `from rlm import Budget`
loads only what it needs, so a command line that uses a little of the engine starts fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "RLM",
    "RLMConfig",
    "RunResult",
    "Budget",
    "BudgetTracker",
    "ContextSpec",
    "to_context_spec",
    "LM",
    "Completion",
    "Message",
    "Usage",
    "Event",
    "TraceWriter",
    "read_trace",
    "RLMError",
    "LMError",
    "LMTimeout",
    "SandboxError",
    "CellTimeout",
    "BudgetExceeded",
    "SchemaError",
]

_WHERE = {
    "RLM": "rlm.engine",
    "RLMConfig": "rlm.engine",
    "RunResult": "rlm.engine",
    "to_context_spec": "rlm.engine",
    "Budget": "rlm.budget",
    "BudgetTracker": "rlm.budget",
    "ContextSpec": "rlm.sandbox.base",
    "LM": "rlm.lm",
    "Completion": "rlm.lm",
    "Message": "rlm.lm",
    "Usage": "rlm.lm",
    "Event": "rlm.trace",
    "TraceWriter": "rlm.trace",
    "read_trace": "rlm.trace",
    **dict.fromkeys(
        ("RLMError", "LMError", "LMTimeout", "SandboxError", "CellTimeout", "BudgetExceeded",
         "SchemaError"),
        "rlm.errors",
    ),
}  # fmt: skip

if TYPE_CHECKING:
    from rlm.budget import Budget, BudgetTracker
    from rlm.engine import RLM, RLMConfig, RunResult, to_context_spec
    from rlm.errors import (
        BudgetExceeded,
        CellTimeout,
        LMError,
        LMTimeout,
        RLMError,
        SandboxError,
        SchemaError,
    )
    from rlm.lm import LM, Completion, Message, Usage
    from rlm.sandbox.base import ContextSpec
    from rlm.trace import Event, TraceWriter, read_trace


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'rlm' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
