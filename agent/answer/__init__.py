"""Answers composed from memory's structure: who / why / what happened / beliefs / entity cards /
before-after, every statement citing its sources, deterministic and offline.

    answer = await compose_answer(memory, "Who finishes tasks early?", bank="atlas")
    print(answer.text)        # the lead first, then the supporting lines with [n] citations
    answer.sources            # [n-1] -> {"text", "source", "span", "when", "mentioned_at", ...}
"""

from agent.answer.cite import NOTHING_PREFIX, Answer, source_line
from agent.answer.compose import compose_answer
from agent.answer.context import AnswerMemory
from agent.answer.prompt import evidence_prompt

__all__ = [
    "Answer",
    "AnswerMemory",
    "NOTHING_PREFIX",
    "compose_answer",
    "evidence_prompt",
    "source_line",
]
