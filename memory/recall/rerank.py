"""Optional rerankers of the fused top-N.

`Reranker` is the seam: `rerank(query, candidates) -> scores` (same order, higher is better).
- `EmbeddingReranker`: the embedding model as a bi-encoder over each candidate *with its context*
  (neighbouring text supplied by recall), blended with the fused score;
- `LLMReranker`: asks a configured chat model to grade relevance 0-10 per candidate; falls back
  to the fused scores when the reply does not parse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from memory.ports import ChatModel, Embedder

__all__ = ["Candidate", "Reranker", "EmbeddingReranker", "LLMReranker", "rerank_prompt"]


@dataclass
class Candidate:
    fact_id: str
    text: str
    fused: float
    context: str = ""  # neighbouring text (same/adjacent episodes), may be empty


@runtime_checkable
class Reranker(Protocol):
    async def rerank(self, query: str, candidates: Sequence[Candidate]) -> list[float]: ...


class EmbeddingReranker:
    """Cosine(query, candidate text + context) blended with the z-scored fused score."""

    def __init__(self, embedder: Embedder, *, weight: float = 0.5) -> None:
        self.embedder = embedder
        self.weight = weight

    async def rerank(self, query: str, candidates: Sequence[Candidate]) -> list[float]:
        if not candidates:
            return []
        texts = [f"{c.text} {c.context}".strip() for c in candidates]
        vecs = self.embedder.embed([query, *texts])
        q = vecs[0]
        sims = [sum(a * b for a, b in zip(q, v, strict=True)) for v in vecs[1:]]
        return [
            f + self.weight * s
            for f, s in zip(_z([c.fused for c in candidates]), _z(sims), strict=True)
        ]


def _z(xs: Sequence[float]) -> list[float]:
    mean = sum(xs) / len(xs)
    var = sum((x - mean) ** 2 for x in xs) / len(xs)
    std = var**0.5 or 1.0
    return [(x - mean) / std for x in xs]


def rerank_prompt(query: str, candidates: Sequence[Candidate]) -> list[dict[str, str]]:
    """Messages asking for a JSON list of integer grades, one per numbered passage."""
    lines = "\n".join(f"[{i}] {c.text}" for i, c in enumerate(candidates))
    return [
        {
            "role": "system",
            "content": "Grade how useful each passage is for answering the question, 0 (useless) "
            'to 10 (answers it). Reply with JSON only: {"grades": [int, ...]} in passage order.',
        },
        {"role": "user", "content": f"Question: {query}\n\nPassages:\n{lines}"},
    ]


def parse_grades(text: str, n: int) -> list[float] | None:
    m = re.search(r"\{.*\}", text, re.S)
    try:
        grades = json.loads(m.group(0))["grades"] if m else None
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(grades, list) or len(grades) != n:
        return None
    try:
        return [float(g) for g in grades]
    except (TypeError, ValueError):
        return None


class LLMReranker:
    """Grades with a chat model; the grade decides, the fused score breaks ties."""

    def __init__(self, lm: ChatModel, *, max_candidates: int = 20) -> None:
        self.lm = lm
        self.max_candidates = max_candidates

    async def rerank(self, query: str, candidates: Sequence[Candidate]) -> list[float]:
        head = list(candidates[: self.max_candidates])
        reply: Any = await self.lm.acomplete(rerank_prompt(query, head))
        grades = parse_grades(getattr(reply, "text", str(reply)), len(head))
        fused = _z([c.fused for c in candidates])
        if grades is None:
            return fused
        return [
            (grades[i] * 10 if i < len(head) else -1e6) + fused[i] for i in range(len(candidates))
        ]
