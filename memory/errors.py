"""Errors raised by engram's memory.

Hierarchy::

    EngramMemoryError
    ├── InvalidInput        text/options rejected before anything was written
    │   └── InvalidDate     a date or time phrase that does not parse
    ├── NotFound            a fact, entity, source or mental model that the bank does not hold
    └── MergeError          a merge or split that cannot be done (same entity, nothing to undo)
"""

from __future__ import annotations

__all__ = ["EngramMemoryError", "InvalidInput", "InvalidDate", "NotFound", "MergeError"]


class EngramMemoryError(Exception):
    """Base class of every error memory raises on purpose (not the builtin MemoryError, which
    means out of RAM)."""


class InvalidInput(EngramMemoryError, ValueError):
    """Input was rejected; nothing was written. `field` names the argument, `reason` says why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid {field}: {reason}; nothing was stored")
        self.field = field
        self.reason = reason


class InvalidDate(InvalidInput):
    def __init__(self, value: str) -> None:
        super().__init__(
            "date", f"could not read {value!r} as a date (try ISO 2025-10-14 or '2 weeks ago')"
        )
        self.value = value


class NotFound(EngramMemoryError, LookupError):
    """`what` (fact, entity, source, mental model) named `key` is not in bank `bank`."""

    def __init__(self, what: str, key: str, bank: str) -> None:
        super().__init__(f"no {what} {key!r} in bank {bank!r}")
        self.what = what
        self.key = key
        self.bank = bank


class MergeError(EngramMemoryError):
    def __init__(self, message: str, *, bank: str = "") -> None:
        super().__init__(message)
        self.bank = bank
