"""chat_with_recall: a few memory hits as background, recent history, then the LM answers."""

from __future__ import annotations

from typing import Any

from agent.nodes.recall_node import UNREACHABLE_NOTE, format_hits, offline_answer, recall_sources
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
    if deps.lm is None:  # no model to chat with: answer from memory's structure
        answer, sources = await offline_answer(deps, text)
        generated = False
    else:
        sources = await recall_sources(deps, text, deps.settings.chat_recall_k) if text else []
        history = (state.get("history") or [])[-deps.settings.history_turns :]
        try:
            reply = await deps.lm.acomplete(chat_prompt(text, sources, history))
            answer, generated = reply.text.strip(), True
        except (LMError, OSError, TimeoutError) as exc:
            note = UNREACHABLE_NOTE.format(error=type(exc).__name__)
            answer, sources = await offline_answer(deps, text, note=note)
            generated = False
    event = {"node": "chat_with_recall", "hits": len(sources), "generated": generated}
    return {"answer": answer, "sources": sources, "trace": [*state.get("trace", []), event]}
