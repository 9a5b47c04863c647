"""The structured LLM extractor: prompt -> JSON -> pydantic -> Extraction, with offline fallback.

Invalid JSON or schema errors are retried with the error fed back; after `retries` the offline
extractor answers instead (extractor="llm-fallback-offline", with a warning).
"""

from __future__ import annotations

from datetime import datetime

from memory.extract.offline import extract_offline
from memory.extract.prompts import (
    AnswerError,
    LLMExtraction,
    LLMFact,
    extraction_prompt,
    parse_json_answer,
    repair_prompt,
)
from memory.models import (
    ChangeEvent,
    EntityMention,
    ExtractedFact,
    Extraction,
    OpinionCue,
    StanceCue,
)
from memory.ports import ChatModel
from memory.timeparse import parse_time_expression

__all__ = ["extract_llm"]


async def extract_llm(
    text: str,
    mentioned_at: datetime,
    lm: ChatModel,
    speaker: str | None = None,
    retries: int = 2,
    max_tokens: int = 2048,
) -> Extraction:
    """Facts from `text` by `lm`; falls back to `extract_offline` when answers stay invalid.

    `max_tokens` bounds each reply: a model that rambles instead of answering JSON would
    otherwise generate until its context window is full, on every retry.
    """
    messages = extraction_prompt(text, mentioned_at, speaker)
    errors: list[str] = []
    for _ in range(retries + 1):
        reply = await lm.acomplete(messages, max_tokens=max_tokens)
        answer = getattr(reply, "text", reply)
        try:
            parsed = parse_json_answer(str(answer), LLMExtraction)
        except AnswerError as e:
            errors.append(e.detail)
            messages = [
                *messages,
                {"role": "assistant", "content": str(answer)},
                repair_prompt(e.detail),
            ]
            continue
        return Extraction(
            facts=[_convert(f, text, mentioned_at, speaker) for f in parsed.facts], extractor="llm"
        )
    fallback = extract_offline(text, mentioned_at, speaker)
    fallback.extractor = "llm-fallback-offline"
    fallback.warnings.append(
        f"LLM extraction failed after {retries + 1} attempts ({errors[-1]}); used the offline extractor"
    )
    return fallback


def _convert(f: LLMFact, text: str, mentioned_at: datetime, speaker: str | None) -> ExtractedFact:
    start = text.find(f.text)
    fact = ExtractedFact(
        text=f.text,
        kind=f.kind,
        start=start,
        end=start + len(f.text) if start >= 0 else -1,
        subject=f.subject,
        predicate=f.predicate,
        object=f.object,
        functional=f.functional,
        targets=list(f.targets),
        cues=list(f.cues),
        owner_implicit=f.owner_implicit,
        speaker=f.speaker or speaker,
    )
    if f.change is not None:
        fact.change = ChangeEvent(
            f.change.old, f.change.new, tuple(f.change.cues), f.change.where or None
        )
    if f.stance is not None:
        fact.stance = StanceCue(f.stance.stance, tuple(f.stance.cues))
    for e in f.entities:
        pos = text.find(e.name)
        fact.entities.append(
            EntityMention(e.name, e.kind, pos, pos + len(e.name) if pos >= 0 else -1)
        )
    if f.when:
        r = parse_time_expression(f.when, mentioned_at)
        if r is not None:
            fact.occurred_start, fact.occurred_end = r.start, r.end
    if f.when_end:
        r = parse_time_expression(f.when_end, mentioned_at)
        if r is not None:
            fact.occurred_end = r.end
    if f.opinion is not None:
        o = f.opinion
        fact.opinion = OpinionCue(o.statement, o.stance, o.strength, f.speaker or speaker)
    return fact
