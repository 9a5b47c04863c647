"""chat_with_recall: a few memory hits as background, recent history, then the LM answers."""

from __future__ import annotations

from typing import Any

from agent.nodes.recall_node import format_hits, offline_answer, recall_sources, unreachable_note
from agent.state import AgentDeps, AgentState
from rlm.errors import LMError
from rlm.lm import Message

__all__ = ["chat_prompt", "chat_node"]


def chat_prompt(
    text: str, sources: list[dict[str, Any]], history: list[dict[str, str]]
) -> list[Message]:
    system = "You are a helpful assistant with a long-term memory of past conversations."
    if sources:
        system += "\nPossibly relevant memory (cite as [n] if you use it):\n" + format_hits(sources)
    past = [{"role": m["role"], "content": m["content"]} for m in history]
    return [{"role": "system", "content": system}, *past, {"role": "user", "content": text}]


async def chat_node(state: AgentState, deps: AgentDeps) -> dict[str, Any]:
    text = state.get("input", "")
    error = state.get("lm_error")
    if deps.lm is None or error is not None:  # no model to chat with: memory's structure
        note = unreachable_note(error) if error else None
        answer, sources = await offline_answer(deps, text, note=note)
        generated = False
    else:
        sources = await recall_sources(deps, text, deps.settings.chat_recall_k) if text else []
        history = (state.get("history") or [])[-deps.settings.history_turns :]
        try:
            reply = await deps.lm.acomplete(chat_prompt(text, sources, history))
            answer, generated = reply.text.strip(), True
        except (LMError, OSError, TimeoutError) as exc:
            error = str(exc) or type(exc).__name__
            answer, sources = await offline_answer(deps, text, note=unreachable_note(error))
            generated = False
    event = {"node": "chat_with_recall", "hits": len(sources), "generated": generated}
    out = {"answer": answer, "sources": sources, "trace": [*state.get("trace", []), event]}
    return out | ({"lm_error": error} if error else {})
