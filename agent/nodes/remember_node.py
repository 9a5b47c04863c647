"""remember: store the user's statement in memory, with provenance to this thread and turn."""

from __future__ import annotations

from typing import Any

from agent.state import AgentDeps, AgentState, Retained

__all__ = ["remember_source", "remember_node"]


def remember_source(thread_id: str, turn: int) -> str:
    return f"agent:{thread_id}:{turn}"


def _summary(result: Retained) -> dict[str, Any]:
    return {
        "episode_id": result.episode_id,
        "facts": len(result.fact_ids),
        "entities": [str(e) for e in result.entities],
        "noop": bool(result.noop),
    }


async def remember_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    text = state.get("input", "").strip()
    source = remember_source(state.get("thread_id", "default"), int(state.get("turn") or 1))
    info: dict[str, Any] = {"facts": 0}
    if not text:
        answer = "Nothing to remember: the message was empty."
    else:
        result = await deps.memory.aretain(text, source=source, bank=deps.bank)
        info = _summary(result)
        if info["noop"]:
            answer = "Already remembered."
        else:
            who = f" (about {', '.join(info['entities'])})" if info["entities"] else ""
            answer = f"Remembered{who}: {text}"
    sources = [{"text": text, "when": None, "mentioned_at": None, "source": source, "score": 1.0}]
    event = {"node": "remember", "source": source, **info}
    return {
        "answer": answer,
        "sources": sources if text else [],
        "trace": [*state.get("trace", []), event],
    }
