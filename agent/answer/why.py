"""Why-questions: the decision and the reason given for it.

A statement gives a reason when its parse holds a causal connective (because, since as a
subordinator, due to, so that) or a reason noun / "why" label ("Why: the team already knows
MySQL"). The lead is the most relevant such statement, with the decision it explains when that
is a separate statement.
"""

from __future__ import annotations

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.evidence import Evidence, keep_relevant
from agent.answer.nlp import parse

__all__ = ["answer_why", "gives_reason"]

_CAUSAL_MARKS = frozenset({"because", "since", "as", "so"})
_CAUSAL_WORDS = frozenset({"because", "why", "reason", "due", "rationale", "cause", "thanks"})


def gives_reason(text: str) -> bool:
    for t in parse(text):
        low = t.lower_
        if low in _CAUSAL_WORDS and not (low == "cause" and t.pos_ == "VERB"):
            return True
        if low in _CAUSAL_MARKS and t.dep_ == "mark":
            return True
    return False


def _decision(items: list[Evidence], reason: Evidence) -> Evidence | None:
    """The most relevant other statement that shares a name/term with the reason's subject."""
    others = [e for e in items if e is not reason and not gives_reason(e.text)]
    return others[0] if others else None


def _reasons(items: list[Evidence], pool: list[Evidence]) -> list[Evidence]:
    """Reasons among the relevant statements, else those written beside the most relevant
    one (the same source passage: "We picked X. The reason is that ...")."""
    found = [e for e in items if gives_reason(e.text)]
    if found or not items:
        return found
    top = items[0]
    return [e for e in pool if e.source == top.source and e is not top and gives_reason(e.text)]


async def answer_why(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    items = keep_relevant(pool)
    reasons = _reasons(items, pool)
    if not reasons:
        return None
    cites = Citations()
    reason = reasons[0]
    decision = _decision(items, reason)
    lead = f"{reason.text} {cites.cite(reason)} ({day(reason.date)})"
    lines = []
    if decision is not None:
        lead += f" — for: {decision.text} {cites.cite(decision)}"
    lines += [f"also: {e.text} {cites.cite(e)} ({day(e.date)})" for e in reasons[1:3]]
    return Answer("why", lead, lines, cites.sources)
