"""Honest fakes for the agent's seams: an in-memory Memory and a scripted RLM.

`FakeMemory` keeps episodes in a list, treats a repeated (source, text) as a no-op like the real
retain, and recalls by word overlap returning real `memory.models.Hit` records. `FakeRLM` returns
a `FakeRunResult` shaped like `rlm.engine.RunResult` from a function of (query, context).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from memory.models import Hit

__all__ = ["FakeMemory", "FakeRetainResult", "FakeRLM", "FakeRunResult"]


@dataclass
class FakeRetainResult:
    episode_id: str
    fact_ids: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    noop: bool = False


@dataclass
class _Episode:
    id: str
    text: str
    source: str | None
    bank: str
    mentioned_at: datetime
    metadata: dict[str, Any]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 2}


class FakeMemory:
    def __init__(self) -> None:
        self.episodes: list[_Episode] = []
        self.recall_calls: list[tuple[str, str, int]] = []

    async def aretain(
        self,
        text: str,
        mentioned_at: datetime | None = None,
        source: str | None = None,
        bank: str = "default",
        metadata: dict[str, Any] | None = None,
    ) -> FakeRetainResult:
        for ep in self.episodes:
            if (ep.source, ep.text, ep.bank) == (source, text, bank):
                return FakeRetainResult(ep.id, noop=True)
        ep = _Episode(
            uuid.uuid4().hex,
            text,
            source,
            bank,
            mentioned_at or datetime.now(UTC),
            dict(metadata or {}),
        )
        self.episodes.append(ep)
        names = re.findall(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)?\b", text)
        return FakeRetainResult(ep.id, fact_ids=[ep.id], entities=names)

    async def arecall(self, query: str, bank: str = "default", k: int = 10, **_: Any) -> list[Hit]:
        self.recall_calls.append((query, bank, k))
        q = _words(query)
        scored = []
        for ep in self.episodes:
            overlap = len(q & _words(ep.text)) if ep.bank == bank else 0
            if overlap:
                scored.append((overlap / (len(q) or 1), ep))
        scored.sort(key=lambda s: -s[0])
        return [
            Hit(
                text=ep.text,
                score=s,
                mentioned_at=ep.mentioned_at,
                source=ep.source,
                fact_id=ep.id,
                episode_id=ep.id,
                channels={"keyword": s},
            )
            for s, ep in scored[:k]
        ]

    async def aentity(self, name: str, bank: str = "default") -> dict[str, Any] | None:
        facts = [e for e in self.episodes if name.lower() in e.text.lower() and e.bank == bank]
        if not facts:
            return None
        facts.sort(key=lambda e: e.mentioned_at)
        return {
            "name": name,
            "aliases": [],
            "facts": [
                {"text": e.text, "when": None, "mentioned_at": e.mentioned_at, "source": e.source}
                for e in facts
            ],
        }

    async def abeliefs(
        self, topic: str | None = None, bank: str = "default"
    ) -> list[dict[str, Any]]:
        return []


@dataclass
class FakeRunResult:
    answer: Any
    stopped_by: str | None = None
    usage: dict[str, Any] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    sub_results: list[dict[str, Any]] = field(default_factory=list)
    trace_path: str | None = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    error: str | None = None


class FakeRLM:
    def __init__(self, script: Callable[[str, Any], FakeRunResult]) -> None:
        self.script = script
        self.calls: list[tuple[str, Any]] = []

    async def arun(self, query: str, context: Any, **kwargs: Any) -> FakeRunResult:
        self.calls.append((query, context))
        return self.script(query, context)
