"""recall_answer: compose an answer from memory's structure (agent.answer), lead with it.

Without an LM the composed answer is the answer: short, deterministic, every statement citing
its sources [n] (`sources[n-1]`). With an LM, the same evidence and citations go to the model,
which writes the answer; if the model is unreachable (it failed after its retries, now or earlier
in the turn: `lm_error` in the state, so a turn pays for the retries once), the composed answer
is given with a note saying so.
A memory that is not a full `Memory` (no entities/beliefs to read) gets the recalled hits
listed, labelled as retrieved.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from agent.state import AgentDeps, AgentState

__all__ = [
    "hit_to_source",
    "format_hits",
    "listed_answer",
    "offline_answer",
    "answer_with_lm",
    "recall_sources",
    "recall_node",
    "unreachable_note",
]

RETRIEVED_LABEL = "Retrieved from memory (no LLM configured; listed, not generated):"


def unreachable_note(error: str) -> str:
    return f"the model could not be reached ({error}); answered from memory alone"


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


def listed_answer(question: str, sources: list[dict[str, Any]]) -> str:
    if not sources:
        return f"Nothing in memory matches {question!r}."
    return f"{RETRIEVED_LABEL}\n{format_hits(sources)}"


async def _composed(deps: AgentDeps, question: str) -> Any:
    from agent.answer import AnswerMemory, compose_answer

    if not isinstance(deps.memory, AnswerMemory):
        return None
    return await compose_answer(deps.memory, question, bank=deps.bank)


async def _listed(deps: AgentDeps, question: str) -> Any:
    from agent.answer import NOTHING_PREFIX, Answer

    sources = await recall_sources(deps, question, deps.settings.recall_k)
    numbered = [{"n": i, **s} for i, s in enumerate(sources, 1)]
    lead = listed_answer(question, sources) if sources else f"{NOTHING_PREFIX} {question!r}."
    return Answer("listed", lead, [], numbered)


async def offline_answer(
    deps: AgentDeps, question: str, *, note: str | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """(answer, sources) from memory alone; `note` (e.g. why the LM was not used) is appended."""
    composed = await _composed(deps, question)
    if composed is None:
        sources = await recall_sources(deps, question, deps.settings.recall_k)
        text = listed_answer(question, sources)
    else:
        text, sources = composed.text, composed.sources
    return (f"{text}\n({note})" if note else text), sources


async def answer_with_lm(
    deps: AgentDeps, question: str, lm_error: str | None = None
) -> tuple[str, list[dict[str, Any]], bool, str | None]:
    """(answer, sources, generated, lm_error): the model writes the answer from the composed
    evidence; with no model, or one that failed this turn or fails now, the offline answer
    (with a note saying the model could not be reached)."""
    from agent.answer import evidence_prompt
    from rlm.errors import LMError

    if deps.lm is None or lm_error is not None:
        note = unreachable_note(lm_error) if lm_error else None
        text, sources = await offline_answer(deps, question, note=note)
        return text, sources, False, lm_error
    composed = await _composed(deps, question)
    if composed is None:  # a memory without structure to read: the model gets the hits
        composed = await _listed(deps, question)
    if not composed.found:
        return composed.text, composed.sources, False, None
    try:
        reply = await deps.lm.acomplete(evidence_prompt(question, composed))
    except (LMError, OSError, TimeoutError) as exc:
        error = str(exc) or type(exc).__name__
        return f"{composed.text}\n({unreachable_note(error)})", composed.sources, False, error
    return reply.text.strip(), composed.sources, True, None


async def recall_sources(deps: AgentDeps, query: str, k: int) -> list[dict[str, Any]]:
    hits = await deps.memory.arecall(query, bank=deps.bank, k=k)
    return [hit_to_source(h) for h in hits[:k]]


async def recall_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    question = state.get("input", "")
    answer, sources, generated, error = await answer_with_lm(deps, question, state.get("lm_error"))
    event = {"node": "recall_answer", "hits": len(sources), "generated": generated}
    out = {"answer": answer, "sources": sources, "trace": [*state.get("trace", []), event]}
    return out | ({"lm_error": error} if error else {})
