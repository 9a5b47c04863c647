"""Who is / what is X: the entity card (canonical name, aliases, kind, latest facts), or, for a
term memory holds no entity for, the statements that name it."""

from __future__ import annotations

from typing import Any

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.evidence import Evidence, covers, keep_relevant
from agent.answer.nlp import parse
from agent.answer.question import content_words

__all__ = ["answer_card", "LATEST_FACTS"]

LATEST_FACTS = 4


def _candidates(ctx: AnswerContext) -> list[str]:
    q = ctx.question
    names = [q.subject] if q.subject else []
    return [n for n in dict.fromkeys([*names, *q.names]) if n]


def _fact_evidence(hit: Any) -> Evidence:
    return Evidence(
        text=" ".join(hit.text.split()), source=hit.source, span=tuple(hit.span) if hit.span else None,
        when=hit.when, mentioned_at=hit.mentioned_at, fact_id=hit.fact_id,
        invalidated_at=hit.invalidated_at,
    )  # fmt: skip


def _entity_card(ent: Any) -> Answer:
    cites = Citations()
    current = [h for h in ent.facts if h.invalidated_at is None and not h.text.startswith("#")]
    latest = [_fact_evidence(h) for h in current[-LATEST_FACTS:]][::-1]
    aliases = [a for a in ent.aliases if a != ent.name]
    also = f"; also written {', '.join(aliases[:6])}" if aliases else ""
    lead = f"{ent.name} ({ent.kind}{also}) — {len(current)} fact(s) in memory"
    if latest:
        lead += f"; latest: {latest[0].text} {cites.cite(latest[0])}"
    lines = [f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in latest[1:]]
    return Answer("card", lead, lines, cites.sources)


async def answer_card(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    for name in _candidates(ctx):
        ent = await ctx.entity(name)
        if ent is not None:
            return _entity_card(ent)
    term = ctx.question.subject
    if not term:
        return None
    words = content_words(parse(term))
    naming = [e for e in keep_relevant(pool) if words and covers(words, e.lemmas) == 1.0]
    if not naming:
        return None
    cites = Citations()
    first = naming[0]
    lead = f"{term}: {first.text} {cites.cite(first)} ({day(first.date)})"
    lines = [f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in naming[1:LATEST_FACTS]]
    return Answer("card", lead, lines, cites.sources)
