"""The Sandbox seam: where the model's code runs.

A sandbox is one persistent REPL (a worker process) for one RLM run. The host talks to it
through one RPC channel: the host sends cells to execute; code in the worker calls host
functions (`llm_query`, `llm_query_batched`, `rlm_query`, `memory.*`, ...) which travel back
over the same channel and are served by the `HostHandlers` the sandbox was started with.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "CONFINED",
    "ContextSpec",
    "ExecResult",
    "HostHandler",
    "HostHandlers",
    "Sandbox",
    "SandboxLimits",
    "isolation_level",
]

CONFINED = "confined"  # files confined by the kernel, and no network
_KERNEL_LAYERS = {"pid", "net", "mount", "readonly-fs", "landlock-fs", "landlock-net", "seccomp"}


def isolation_level(layers: list[str]) -> str:
    """ "confined" (the kernel confines files and blocks the network), "partial" (some kernel
    layers), or "none" (only rlimits, dropped capabilities and the audit hook)."""
    found = set(layers)
    no_network = "net" in found or {"landlock-net", "seccomp"} <= found
    if "landlock-fs" in found and no_network:
        return CONFINED
    return "partial" if found & _KERNEL_LAYERS else "none"


# A host function callable from inside the REPL: receives the JSON-able args the worker sent,
# returns a JSON-able value (or raises; the worker then sees an exception with the message).
HostHandler = Callable[..., Awaitable[Any]]
HostHandlers = dict[str, HostHandler]


@dataclass
class ContextSpec:
    """What `context` is inside the REPL.

    Exactly one of `value` (a str/list/dict sent once, JSON-encoded) or `path` (a file the worker
    opens and reads itself; never pickled through the pipe) is set. `kind` for a path is
    "text" (str), "lines" (list[str]), "json" (parsed), or "auto" (by extension: .json → json,
    .jsonl → list of parsed lines, else text).
    """

    value: Any = None
    path: str | None = None
    kind: str = "auto"


@dataclass
class SandboxLimits:
    cell_timeout_s: float = 60.0  # wall clock per cell; the worker is killed and restarted past it
    memory_bytes: int | None = None  # address-space cap; None = auto (2 GiB + 3x context file)
    max_output_chars: int = 100_000  # captured stdout/stderr kept per cell (true length reported)


@dataclass
class ExecResult:
    """Outcome of one cell."""

    stdout: str = ""
    stderr: str = ""
    error: str | None = None  # formatted exception (traceback tail) if the cell raised
    output_chars: int = 0  # true length of stdout+stderr before truncation
    final: Any = None  # set when the cell called FINAL(...) or FINAL_VAR(...)
    has_final: bool = False
    duration_s: float = 0.0
    timed_out: bool = False
    worker_restarted: bool = False  # the worker died (OOM, kill, timeout) and was restarted
    variables: dict[str, str] = field(default_factory=dict)  # name -> short type/len description


@runtime_checkable
class Sandbox(Protocol):
    async def start(self, context: ContextSpec, handlers: HostHandlers) -> None: ...

    async def execute(self, code: str) -> ExecResult: ...

    async def close(self) -> None: ...
