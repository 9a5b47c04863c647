"""Prompts as functions next to the pydantic schemas their answers must parse into.

Testable without an LLM. `parse_json_answer` tolerates code fences and prose around the JSON.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

__all__ = [
    "LLMEntity",
    "LLMOpinion",
    "LLMChange",
    "LLMStance",
    "LLMFact",
    "LLMExtraction",
    "extraction_prompt",
    "repair_prompt",
    "parse_json_answer",
    "json_candidates",
    "AnswerError",
]

M = TypeVar("M", bound=BaseModel)


class LLMEntity(BaseModel):
    name: str
    kind: str = "thing"


class LLMOpinion(BaseModel):
    statement: str
    stance: Literal["support", "contradict"] = "support"
    strength: float = Field(0.6, ge=0.0, le=1.0)


class LLMChange(BaseModel):
    """A change the sentence states: old value (when it names one) -> new value."""

    old: str | None = None
    new: str | None = None
    cues: list[str] = []
    where: str | None = None  # the place the change holds in ("v6 replaced v5 in production")


class LLMStance(BaseModel):
    """The sentence's bearing on a claim it is evidence about."""

    stance: Literal["support", "contradict"]
    cues: list[str] = []


class LLMFact(BaseModel):
    text: str = Field(min_length=1)
    kind: Literal["world", "experience", "opinion", "event"] = "world"
    entities: list[LLMEntity] = []
    subject: str | None = None
    predicate: str | None = None  # the attribute: "use", "lead", "due", "main database", ...
    object: str | None = None
    functional: bool = False  # the attribute holds one value at a time (who leads X, ...)
    change: LLMChange | None = None
    targets: list[str] = []  # other subjects an explicit change concerns (its object)
    cues: list[str] = []  # words that make the attribute single-valued
    owner_implicit: bool = False  # the subject is "we" only because no owner is written
    stance: LLMStance | None = None
    speaker: str | None = None
    when: str | None = None  # ISO date/datetime or a phrase ("last October")
    when_end: str | None = None
    opinion: LLMOpinion | None = None


class LLMExtraction(BaseModel):
    facts: list[LLMFact]


class AnswerError(ValueError):
    """The model's answer was not valid JSON for the schema; `detail` is fed back on retry."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def extraction_prompt(
    text: str, mentioned_at: datetime, speaker: str | None
) -> list[dict[str, str]]:
    system = (
        "You extract durable facts from a message for a long-term memory. Answer with ONE JSON "
        'object {"facts": [...]} and nothing else. Each fact: "text" (a self-contained sentence, '
        'resolve "I" to the speaker), "kind" (world|experience|opinion|event), "entities" '
        '([{"name","kind"}] with kind person|org|place|product|thing|event), optional "subject", '
        '"predicate" (a verb lemma such as use, work_at, live_in, be), "object", "when" and '
        '"when_end" (ISO 8601 dates, or the time phrase as written), "opinion" '
        '({"statement","stance":"support|contradict","strength":0..1}) for beliefs or hedged '
        'claims. The slot: "subject" is whose attribute it is ("the platform team" for "Alice '
        'leads the platform team"), "predicate" the attribute ("lead", "due", "main database", '
        '"use"), "object" its value; "functional": true only when the attribute holds one value '
        "at a time by nature (who leads/owns X, when X is due, where X is or works, how many, "
        "the main/primary X, a version in production), false for use/like/work on/review/meet; "
        '"change" ({"old","new","cues","where"}) when the sentence states a change (moved, '
        'switched, replaced, took over, now, no longer, instead of, from A to B), with "old" '
        'only if it names the old value and "where" only if it says where the change holds; '
        '"targets": other subjects such a change concerns; "owner_implicit": true when the '
        'attribute\'s owner is not written and "we" is assumed ("the head chef is now Aiko"); '
        '"stance" '
        '({"stance":"support|contradict","cues"}) when the sentence is evidence for or against '
        'a claim (confirms, supports, does not support, turned out wrong); "speaker" when a '
        "person's name opens the line (not a field label such as Risks: or Owner:). "
        "Do not invent facts that are not in the message."
    )
    who = f"Speaker: {speaker}\n" if speaker else ""
    user = f"Message time: {mentioned_at.isoformat()}\n{who}Message:\n{text}"
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def repair_prompt(error: str) -> dict[str, str]:
    return {
        "role": "user",
        "content": f"Your answer could not be used: {error}\nAnswer again with only the JSON object.",
    }


_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


def json_candidates(text: str) -> list[str]:
    """Where a model's answer may hold its JSON, most likely first: fenced blocks, the outermost
    object in prose, the whole text, the outermost array."""
    out = [m[1] for m in _FENCE.finditer(text)]
    start = text.find("{")
    if start >= 0:
        out.append(text[start : text.rfind("}") + 1])
    out.append(text)
    s, e = text.find("["), text.rfind("]")
    if 0 <= s < e:
        out.append(text[s : e + 1])
    return out


def parse_json_answer(text: str, schema: type[M]) -> M:
    """The first JSON object in `text` (fenced or inside prose) validated against `schema`."""
    errors = []
    for cand in json_candidates(text):
        try:
            return schema.model_validate(json.loads(cand))
        except json.JSONDecodeError as e:
            errors.append(f"invalid JSON ({e.msg} at line {e.lineno} column {e.colno})")
        except ValidationError as e:
            errors.append(f"schema mismatch: {e.errors(include_url=False)[:3]}")
    raise AnswerError(errors[0] if errors else "empty answer")
