"""`compose_answer`: a short, deterministic answer from memory's structure, no LLM.

The question is parsed (agent.answer.question), evidence recalled and scored
(agent.answer.evidence), then the strategy for the question's kind writes the lead; when it
finds nothing, memory says so plainly. A question naming something memory has never seen
(a name or identifier found in no recalled statement and no entity) has no answer either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from agent.answer.anchor import answer_anchor
from agent.answer.belief import answer_belief
from agent.answer.card import answer_card
from agent.answer.cite import NOTHING_PREFIX, Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.events import answer_events
from agent.answer.evidence import Evidence, covers, keep_relevant, words_of
from agent.answer.question import Question, parse_question
from agent.answer.who import answer_who
from agent.answer.why import answer_why
from memory.lookup import similarities

__all__ = ["compose_answer", "nothing_answer", "PERSON_NOUN_FLOOR"]

Strategy = Callable[[AnswerContext, list[Evidence]], Awaitable[Answer | None]]
PERSON_NOUN_FLOOR = 0.45  # "which <noun>" asks for a person when <noun> is this close to "person"


async def answer_general(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    items = keep_relevant(pool)
    if not items:
        return None
    cites = Citations()
    lead = f"{items[0].text} {cites.cite(items[0])} ({day(items[0].date)})"
    lines = [f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in items[1:4]]
    return Answer("general", lead, lines, cites.sources)


STRATEGIES: dict[str, list[Strategy]] = {
    "who": [answer_who],
    "why": [answer_why, answer_general],
    "events": [answer_events],
    "belief": [answer_belief],
    "card": [answer_card],
    "anchor": [answer_anchor],
    "general": [answer_general],
}


def _topic(q: Question, missing: str | None) -> str:
    if missing:
        return missing
    for t in (q.subject, q.anchor[1] if q.anchor else None, q.proposition):
        if t:
            return f'"{t}"'
    return f'"{q.focus.strip(" ?")}"'


def nothing_answer(q: Question, missing: str | None = None) -> Answer:
    return Answer("nothing", f"{NOTHING_PREFIX} {_topic(q, missing)}.")


async def _missing_name(ctx: AnswerContext, pool: list[Evidence]) -> str | None:
    """A name or identifier of the question that memory holds nowhere, if any."""
    texts = [e.lemmas for e in pool] + [p.lemmas for e in pool for p in e.proofs]
    texts += [e.words for e in pool]
    for name in ctx.question.names:
        parts = [w for w in words_of(name) if len(w) > 1] or [name.lower()]
        if any(covers(parts, ws) == 1.0 for ws in texts):
            continue
        if await ctx.canonical(name) is None:
            return name
    return None


def _person_noun(memory: Any) -> Callable[[str], bool]:
    def check(noun: str) -> bool:
        return similarities(memory, "person", [noun])[0] >= PERSON_NOUN_FLOOR

    return check


async def compose_answer(memory: Any, question: str, *, bank: str = "default") -> Answer:
    """The offline answer to `question` from `memory` (bank `bank`)."""
    q = parse_question(question, is_person_noun=_person_noun(memory))
    ctx = AnswerContext(memory, bank, q)
    pool = await ctx.evidence()
    missing = await _missing_name(ctx, pool)
    if missing is not None:
        return nothing_answer(q, missing)
    for strategy in STRATEGIES.get(q.kind, [answer_general]):
        answer = await strategy(ctx, pool)
        if answer is not None:
            return answer
    return nothing_answer(q)
