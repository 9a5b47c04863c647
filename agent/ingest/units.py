"""The records ingestion passes around: episodes to retain, grouped in resumable units.

Pure data. A *unit* (one document, one commit, one issue) is what the ingest state records as
done; its *episodes* (chunks, comments, the commit message) are what memory retains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from memory.retain import content_hash as text_hash

__all__ = ["Episode", "Unit", "Problem", "Progress", "content_hash"]


@dataclass
class Episode:
    """One text to retain, with its provenance and its mention time."""

    text: str
    source: str
    mentioned_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    def retain_item(self, bank: str) -> dict[str, Any]:
        """This episode as one item of `Memory.aretain_many`."""
        return {"text": self.text, "mentioned_at": self.mentioned_at, "source": self.source,
                "bank": bank, "metadata": self.metadata}  # fmt: skip


@dataclass
class Unit:
    """A resumable piece of work. `key` is stable across runs and unique (agent.ingest.keys);
    `digest` changes with content; `legacy_keys` are what older engram versions keyed it by."""

    key: str
    kind: str  # "document" | "commit" | "issue" | "author"
    episodes: list[Episode]
    digest: str
    label: str = ""
    body: str | None = None  # the whole text (what the RLM reads of it with --rlm)
    mentioned_at: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    legacy_keys: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """Something skipped or failed, with the reason (reported, never fatal)."""

    item: str
    reason: str
    status: str = "skipped"  # "skipped" | "failed" | "warning"

    def to_dict(self) -> dict[str, str]:
        return {"item": self.item, "reason": self.reason, "status": self.status}


def content_hash(*parts: str) -> str:
    """A unit's version: memory's content hash over the parts, each closed by a NUL (the
    digests recorded by earlier versions are the same), shortened to 32 hex digits."""
    joined = "".join(f"{p}\x00" for p in parts)
    try:
        return text_hash(joined)[:32]
    except UnicodeEncodeError:  # lone surrogates (from JSON escapes) have no UTF-8 form
        return text_hash(joined.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))[:32]


class Progress(Protocol):
    """Where ingestion reports how far it got (the CLI's rich bar fits)."""

    def start(self, total: int, description: str) -> None: ...
    def advance(self, label: str) -> None: ...
    def stop(self) -> None: ...
