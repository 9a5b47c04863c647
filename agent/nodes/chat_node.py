"""chat_with_recall: a few memory hits as background, recent history, then the LM answers."""

from __future__ import annotations

from typing import Any

from agent.nodes.recall_node import format_hits, generate_or_degrade, recall_sources
from agent.state import AgentDeps, AgentState
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
    sources = await recall_sources(deps, text, deps.settings.chat_recall_k) if text else []
    history = (state.get("history") or [])[-deps.settings.history_turns :]
    answer, generated, error = await generate_or_degrade(
        state, deps.lm, chat_prompt(text, sources, history), text, sources
    )
    event = {"node": "chat_with_recall", "hits": len(sources), "generated": generated}
    out = {"answer": answer, "sources": sources, "trace": [*state.get("trace", []), event]}
    return out | ({"lm_error": error} if error else {})
