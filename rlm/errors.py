"""Errors raised by the RLM engine.

Hierarchy::

    RLMError
    ├── LMError                 an LLM endpoint failed after retries, or answered nonsense
    │   └── LMTimeout
    ├── SandboxError            the REPL worker could not start or died
    │   └── CellTimeout         one cell ran past its wall-clock limit (worker was restarted)
    ├── BudgetExceeded          a host-enforced limit was hit (carries the partial answer)
    └── SchemaError             a typed FINAL did not validate
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "RLMError",
    "LMError",
    "LMTimeout",
    "SandboxError",
    "CellTimeout",
    "BudgetExceeded",
    "SchemaError",
]


class RLMError(Exception):
    """Base class of every error the RLM engine raises on purpose."""


class LMError(RLMError):
    """An LLM call failed for good. `status` is the HTTP status when there was one."""

    def __init__(self, message: str, *, model: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.model = model
        self.status = status


class LMTimeout(LMError):
    """The endpoint did not answer within the configured timeout (after retries)."""


class SandboxError(RLMError):
    """The REPL worker process could not be started, or died and could not be recovered."""


class CellTimeout(SandboxError):
    """A cell ran longer than its wall-clock limit; the worker was killed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"cell exceeded its {seconds:g}s wall-clock limit and was killed")
        self.seconds = seconds


class BudgetExceeded(RLMError):
    """A limit of the run's budget was hit. `limit` names it (e.g. "max_cost")."""

    def __init__(self, limit: str, spent: Any, allowed: Any, partial_answer: str | None = None):
        super().__init__(f"budget limit {limit!r} reached: spent {spent}, allowed {allowed}")
        self.limit = limit
        self.spent = spent
        self.allowed = allowed
        self.partial_answer = partial_answer


class SchemaError(RLMError):
    """The final answer did not match the requested schema."""
