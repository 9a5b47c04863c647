"""Errors of the storage package. Each carries its fields and says what to do.

- `StorageError`: base class.
- `ChromaUnavailable(url, reason)`: a Chroma server did not answer.
- `FolderBusy(path, holder)`: another process owns an embedded Chroma folder.
- `MigrationError(reason, details)`: `engram migrate` refused or failed to verify.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["StorageError", "ChromaUnavailable", "FolderBusy", "MigrationError"]


class StorageError(Exception):
    """Base class of storage errors."""


class ChromaUnavailable(StorageError):
    def __init__(self, url: str, reason: str) -> None:
        self.url, self.reason = url, reason
        super().__init__(
            f"Chroma server at {url} is not usable ({reason}). Start one with "
            f"`chroma run --path DIR --host HOST --port PORT` and set ENGRAM_CHROMA_URL=http://HOST:PORT."
        )


class FolderBusy(StorageError):
    """`path` is the embedded Chroma folder; `holder` says which process owns it ("pid 123")."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path, self.holder = path, holder
        super().__init__(
            f"the memory under {path.parent} is in use by another engram process ({holder}); "
            "an embedded memory has one owner process at a time. Wait for that process to "
            "finish (or stop it); if it is `engram serve`, be its client (set "
            "ENGRAM_URL=http://HOST:PORT and ENGRAM_TOKEN; `engram mcp` finds a local one by "
            "itself); or share one memory between processes with a Chroma server "
            "(ENGRAM_CHROMA_URL) and PostgreSQL (ENGRAM_DATABASE_URL): README, Deployment."
        )


class MigrationError(StorageError):
    def __init__(self, reason: str, details: dict[str, Any] | None = None) -> None:
        self.reason, self.details = reason, dict(details or {})
        super().__init__(reason)
