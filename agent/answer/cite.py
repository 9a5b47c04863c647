"""Citations and the composed `Answer`.

Every statement of an answer cites its evidence as [n]; `Answer.sources[n-1]` is that evidence
as a JSON-able dict (text, source, span, when, mentioned_at, fact_id, layer, relevance), so the
CLI, the server and the LLM prompt number sources the same way. An observation is cited
together with its proof facts ("[3] from [4], [5], [6]").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from agent.answer.evidence import Evidence

__all__ = ["Answer", "Citations", "day", "source_line", "NOTHING_PREFIX"]

NOTHING_PREFIX = "Memory has nothing about"


def day(t: datetime | str | None) -> str:
    if t is None:
        return "undated"
    return (t if isinstance(t, str) else t.isoformat())[:10]


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def _as_source(e: Evidence, n: int) -> dict[str, Any]:
    return {
        "n": n,
        "text": e.text,
        "source": e.source,
        "span": list(e.span) if e.span else None,
        "when": _iso(e.when),
        "mentioned_at": _iso(e.mentioned_at if e.layer == "fact" else e.date),
        "fact_id": e.fact_id,
        "layer": e.layer,
        "score": e.relevance,
        "invalidated_at": _iso(e.invalidated_at),
    }


class Citations:
    """Numbers evidence in the order it is first cited (one number per fact)."""

    def __init__(self) -> None:
        self.sources: list[dict[str, Any]] = []
        self._by_key: dict[str, int] = {}

    def cite(self, e: Evidence) -> str:
        """ "[n]" for `e` (an observation: "[n] from [a], [b]")."""
        key = e.fact_id or f"{e.layer}:{e.text}"
        n = self._by_key.get(key)
        if n is None:
            n = len(self.sources) + 1
            self._by_key[key] = n
            self.sources.append(_as_source(e, n))
        if e.layer == "observation" and e.proofs:
            proofs = ", ".join(self.cite(p) for p in e.proofs)
            self.sources[n - 1]["proof"] = proofs
            return f"[{n}] from {proofs}"
        return f"[{n}]"


def source_line(s: dict[str, Any]) -> str:
    """`[n] where, chars a-b, said DATE (happened DATE)`: one source as the CLI shows it."""
    where = s.get("source") or s.get("layer") or "memory"
    span = f", chars {s['span'][0]}-{s['span'][1]}" if s.get("span") else ""
    said = f", said {day(s.get('mentioned_at'))}" if s.get("mentioned_at") else ""
    happened = f", happened {day(s['when'])}" if s.get("when") else ""
    proof = f", proven by {s['proof']}" if s.get("proof") else ""
    return f"[{s.get('n', '?')}] {where}{span}{said}{happened}{proof}"


@dataclass
class Answer:
    """A composed answer: its first line (`lead`) answers; `lines` support it."""

    kind: str
    lead: str
    lines: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None

    @property
    def text(self) -> str:
        body = [self.lead, *(f"  - {line}" for line in self.lines)]
        if self.note:
            body.append(f"({self.note})")
        return "\n".join(body)

    @property
    def found(self) -> bool:
        return not self.lead.startswith(NOTHING_PREFIX)
