"""The REPL sandbox: where the model's code runs (see base.py for the seam)."""

from rlm.sandbox.base import (
    ContextSpec,
    ExecResult,
    HostHandler,
    HostHandlers,
    Sandbox,
    SandboxLimits,
)
from rlm.sandbox.process import ProcessSandbox

__all__ = [
    "ContextSpec",
    "ExecResult",
    "HostHandler",
    "HostHandlers",
    "ProcessSandbox",
    "Sandbox",
    "SandboxLimits",
]
