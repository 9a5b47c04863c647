"""recall_answer: recall from memory, then answer from the hits with citations.

With an LM, the answer is generated from the numbered hits and must cite them as [n]. Without
one, the top hits are listed with their times and sources, labelled as retrieved (not generated).
When the model is configured but unreachable (it failed after its retries, now or earlier in
the turn), the same offline answer is given, saying that the model could not be reached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agent.state import AgentDeps, AgentState
from rlm.errors import LMError
from rlm.lm import LM, Message

__all__ = [
    "hit_to_source",
    "format_hits",
    "answer_prompt",
    "offline_answer",
    "unreachable_note",
    "generate_or_degrade",
    "recall_sources",
    "recall_node",
]

RETRIEVED_LABEL = "Retrieved from memory (no LLM configured; listed, not generated):"


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, datetime) else str(value)


def hit_to_source(hit: Any) -> dict[str, Any]:
    """A JSON-able source record from a `memory.models.Hit` (or a dict with the same keys)."""
    get = hit.get if isinstance(hit, dict) else lambda k, d=None: getattr(hit, k, d)
    return {
        "text": get("text", ""),
        "when": _iso(get("when")),
        "mentioned_at": _iso(get("mentioned_at")),
        "source": get("source"),
        "score": round(float(get("score", 0.0) or 0.0), 4),
        "fact_id": get("fact_id"),
    }


def format_hits(sources: list[dict[str, Any]]) -> str:
    """Numbered lines `[n] text (happened: .., said: .., source: ..)` for prompts and listings."""
    lines = []
    for i, s in enumerate(sources, 1):
        times = [f"happened {s['when'][:10]}" if s.get("when") else ""]
        times.append(f"said {s['mentioned_at'][:10]}" if s.get("mentioned_at") else "")
        meta = "; ".join(t for t in [*times, f"source {s.get('source') or '?'}"] if t)
        lines.append(f"[{i}] {s['text']} ({meta})")
    return "\n".join(lines)


def answer_prompt(question: str, sources: list[dict[str, Any]]) -> list[Message]:
    system = (
        "Answer the user's question from the memory excerpts only. Cite the excerpts you use as "
        "[n] and give their dates when time matters. If the excerpts do not answer it, say so."
    )
    user = f"Memory excerpts:\n{format_hits(sources) or '(none)'}\n\nQuestion: {question}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def offline_answer(question: str, sources: list[dict[str, Any]]) -> str:
    if not sources:
        return f"Nothing in memory matches {question!r}."
    return f"{RETRIEVED_LABEL}\n{format_hits(sources)}"


def unreachable_note(error: str) -> str:
    return f"(The model could not be reached: {error}. Answered from memory alone.)"


async def generate_or_degrade(
    state: AgentState,
    lm: LM | None,
    messages: list[Message],
    question: str,
    sources: list[dict[str, Any]],
) -> tuple[str, bool, str | None]:
    """(answer, generated, lm_error): the model's answer, or the offline answer when there is no
    model or it is unreachable (then saying so)."""  # fmt: skip
    error = state.get("lm_error")
    if lm is not None and error is None:
        try:
            return (await lm.acomplete(messages)).text.strip(), True, None
        except LMError as exc:
            error = str(exc)
    answer = offline_answer(question, sources)
    return (f"{unreachable_note(error)}\n{answer}" if error else answer), False, error


async def recall_sources(deps: AgentDeps, query: str, k: int) -> list[dict[str, Any]]:
    hits = await deps.memory.arecall(query, bank=deps.bank, k=k)
    return [hit_to_source(h) for h in hits[:k]]


async def recall_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    question = state.get("input", "")
    sources = await recall_sources(deps, question, deps.settings.recall_k)
    lm = deps.lm if sources else None  # nothing to cite: no generation needed
    answer, generated, error = await generate_or_degrade(
        state, lm, answer_prompt(question, sources), question, sources
    )
    event = {"node": "recall_answer", "hits": len(sources), "generated": generated}
    out = {"answer": answer, "sources": sources, "trace": [*state.get("trace", []), event]}
    return out | ({"lm_error": error} if error else {})
