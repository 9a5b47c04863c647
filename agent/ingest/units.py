"""The records ingestion passes around: episodes to retain, grouped in resumable units.

Pure data. A *unit* (one document, one commit, one issue) is what the ingest state records as
done; its *episodes* (chunks, comments, the commit message) are what memory retains.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = ["Episode", "Unit", "Problem", "content_hash"]


@dataclass
class Episode:
    """One text to retain, with its provenance and its mention time."""

    text: str
    source: str
    mentioned_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Unit:
    """A resumable piece of work. `key` is stable across runs; `digest` changes with content."""

    key: str
    kind: str  # "document" | "commit" | "issue" | "author"
    episodes: list[Episode]
    digest: str
    label: str = ""
    body: str | None = None  # the whole text, for the RLM path on large inputs
    mentioned_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """Something skipped or failed, with the reason (reported, never fatal)."""

    item: str
    reason: str
    status: str = "skipped"  # "skipped" | "failed" | "warning"

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "reason": self.reason, "status": self.status}


def content_hash(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()[:32]
