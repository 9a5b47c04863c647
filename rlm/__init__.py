"""engram's Recursive Language Model engine.

    from rlm import RLM, Budget
    result = await RLM(root_lm, sub_lm, budget=Budget(max_cost=1.0)).arun(query, Path("big.log"))

The root model never sees the context: it writes code against it in a sandboxed REPL.
"""

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
