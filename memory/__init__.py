"""engram's persistent memory: `Memory` over a `storage.Store`.

Imports are lazy so `import memory` stays cheap (the pure pipeline modules import nothing heavy).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from memory.memory import Memory
    from memory.retain import RetainResult

__all__ = ["Memory", "RetainResult"]


def __getattr__(name: str) -> Any:
    if name == "Memory":
        from memory.memory import Memory

        return Memory
    if name == "RetainResult":
        from memory.retain import RetainResult

        return RetainResult
    raise AttributeError(name)
