"""remember: store the user's statement in memory, with provenance to this thread and turn."""

from __future__ import annotations

from typing import Any

from agent.state import AgentDeps, AgentState

__all__ = ["remember_source", "remember_node"]


def remember_source(thread_id: str, turn: int) -> str:
    return f"agent:{thread_id}:{turn}"


def _summary(result: Any) -> dict[str, Any]:
    facts = list(getattr(result, "fact_ids", []) or [])
    entities = [getattr(e, "name", e) for e in getattr(result, "entities", []) or []]
    return {
        "episode_id": getattr(result, "episode_id", None),
        "facts": len(facts),
        "entities": [str(e) for e in entities],
        "noop": bool(getattr(result, "noop", False)),
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
