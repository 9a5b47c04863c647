"""The ambiguous band of supersession, asked of an LLM: does a new statement replace an old one?

Only where the rules cannot tell (`memory.slots.ambiguous_change`: the same slot of a
multi-valued relation, a change cue, no old value named, several values or another purpose,
e.g. "We use PostgreSQL." then "We now use Redis."). The prompt is a function next to the schema
its answer must parse into; an answer that is not usable keeps both facts.
"""

from __future__ import annotations

from pydantic import BaseModel

from memory.extract.prompts import AnswerError, parse_json_answer, repair_prompt
from memory.ports import ChatModel

__all__ = ["ReplaceAnswer", "replace_prompt", "ask_replaces"]


class ReplaceAnswer(BaseModel):
    replaces: bool
    reason: str = ""


def replace_prompt(old: str, new: str) -> list[dict[str, str]]:
    system = (
        "You keep a memory of facts. Decide whether a NEW statement makes an OLD one no longer "
        'true. Answer with ONE JSON object {"replaces": true|false, "reason": "..."}. Answer '
        "true only when the new statement clearly says the old value stopped holding (a "
        "switch, a move, a replacement of the same thing for the same purpose). Statements "
        "that add another value (another tool, another project) do not replace anything."
    )
    user = f"OLD: {old}\nNEW: {new}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


async def ask_replaces(lm: ChatModel, old: str, new: str, retries: int = 1) -> tuple[bool, str]:
    """(replaces, reason); an unusable answer is (False, why): both facts are kept."""
    messages = replace_prompt(old, new)
    for _ in range(retries + 1):
        try:
            reply = await lm.acomplete(messages, max_tokens=200)
        except Exception as exc:  # an endpoint failure keeps both facts
            return False, f"llm unavailable ({type(exc).__name__}); kept both"
        answer = str(getattr(reply, "text", reply))
        try:
            parsed = parse_json_answer(answer, ReplaceAnswer)
        except AnswerError as e:
            messages = [
                *messages,
                {"role": "assistant", "content": answer},
                repair_prompt(e.detail),
            ]
            continue
        return parsed.replaces, parsed.reason
    return False, "llm answer unusable; kept both"
