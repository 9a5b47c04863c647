"""The LLM path: the same evidence and citations as the offline answer, written up by the model."""

from __future__ import annotations

from agent.answer.cite import Answer, source_line
from rlm.lm import Message

__all__ = ["evidence_prompt"]

SYSTEM = (
    "You answer a user's question from the numbered memory evidence only. Lead with the answer "
    "in one sentence, then support it. Cite evidence as [n] after each statement and give the "
    "dates that matter. If the evidence does not answer the question, say that memory has "
    "nothing about it. Never cite a number that is not in the list."
)


def evidence_prompt(question: str, answer: Answer) -> list[Message]:
    """Messages for the model: the evidence (text, source, span, dates) and the offline draft."""
    lines = [f"{source_line(s)}: {s['text']}" for s in answer.sources]
    user = (
        f"Memory evidence:\n{chr(10).join(lines) or '(none)'}\n\n"
        f"Draft composed from memory's structure ({answer.kind}):\n{answer.text}\n\n"
        f"Question: {question}"
    )
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
