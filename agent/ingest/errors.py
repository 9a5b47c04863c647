"""Errors raised by batch ingestion.

Hierarchy::

    IngestError                 base class
    ├── UnknownInputError       the path is neither a git repository, a folder of documents,
    │                           nor an issues export
    └── MalformedExportError    an issues export is not a JSON list of issues at all

Per-item problems (a binary file, a bad issue) are never raised: they are reported in the
`IngestReport` and ingestion goes on.
"""

from __future__ import annotations

from pathlib import Path

from agent.errors import AgentError

__all__ = ["IngestError", "UnknownInputError", "MalformedExportError"]


class IngestError(AgentError):
    """Base class of every error ingestion raises on purpose."""


class UnknownInputError(IngestError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"cannot ingest {path}: {reason}. Give a git repository, a folder of markdown/text "
            "documents, a single document, or a JSON export of GitHub issues."
        )
        self.path = path
        self.reason = reason


class MalformedExportError(IngestError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path} is not a usable issues export: {reason}. Expected a JSON list of issues, "
            'each like {"number", "title", "body", "user": {"login"}, "created_at", '
            '"labels", "comments": [{"user", "body", "created_at"}]}.'
        )
        self.path = path
        self.reason = reason
