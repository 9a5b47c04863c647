"""What blocked / happened / changed / was decided: the matching statements with their dates.

With a period in the question ("in October") only statements of that period count; the period
is read against the newest evidence, so "October" is the October the notes talk about. With
"last / latest / most recent" the newest matching statement leads; otherwise the most relevant
ones (those within `LEAD_MARGIN` of the best), oldest first, so a change reads in its order.
"""

from __future__ import annotations

import re

from agent.answer.change import answer_change
from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.decisions import answer_decisions
from agent.answer.evidence import Evidence, covers, keep_relevant
from agent.answer.question import object_terms
from memory.models import TimeRange
from memory.timeparse import query_time_range

__all__ = ["answer_events", "period_of", "LEAD_MARGIN", "MAX_LINES"]

LEAD_MARGIN = 0.05  # statements this close to the best share the lead
PERIOD_FLOOR = 0.25  # inside the period asked about, the best statement must reach this
MAX_LINES = 5


def _key(e: Evidence) -> str:
    return e.date.isoformat() if e.date else ""


async def period_of(ctx: AnswerContext, pool: list[Evidence]) -> TimeRange | None:
    """The period the question's time words name, read against the moment the turn is asked
    (`agent.state.AskedAt`) when known, else against the newest evidence."""
    from agent.state import AskedAt

    dates = [e.date for e in pool if e.date is not None]
    if not dates:
        return None
    ref = ctx.memory.now if isinstance(ctx.memory, AskedAt) else max(dates)
    return query_time_range(_months_capitalised(ctx.question.text), ref)


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]  # fmt: skip
_MONTH_AFTER_PREP = re.compile(
    r"\b(in|during|since|until|till|by|before|after|of|from|through)\s+("
    + "|".join(_MONTHS)
    + r")\b",
    re.IGNORECASE,
)


def _months_capitalised(text: str) -> str:
    """ "in march" -> "in March": a month name after a preposition is the month, though
    "march" and "may" written in lower case read as a verb."""
    return _MONTH_AFTER_PREP.sub(lambda m: f"{m.group(1)} {m.group(2).capitalize()}", text)


def names_it(terms: list[tuple[str, set[str]]], e: Evidence) -> bool:
    """Does the statement hold every word saying which one is asked about ("mobile" of "the
    mobile release")? A statement about another release, or a deployment, is not about it."""
    forms = [*e.lemmas, *e.words]
    return all(covers(sorted(mods), forms) == 1.0 for _, mods in terms)


def _in(period: TimeRange, e: Evidence) -> bool:
    return e.date is not None and period.contains(e.date)


def _lead(items: list[Evidence], newest: bool) -> list[Evidence]:
    if newest:
        return [max(items, key=_key)]
    best = items[0].relevance
    return sorted([e for e in items if e.relevance >= best - LEAD_MARGIN][:2], key=_key)


async def answer_events(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    period = await period_of(ctx, pool)
    if period is None:
        changed = await answer_change(ctx, pool)
        if changed is not None:
            return changed
    decided = await answer_decisions(ctx, pool, period)
    if decided is not None:
        return decided
    if period is not None:  # the period narrows the candidates: rank inside it
        pool = [e for e in await ctx.evidence(time_range=period) if _in(period, e)]
        items = (
            [
                e
                for e in pool
                if e.relevance >= max(PERIOD_FLOOR, pool[0].relevance - LEAD_MARGIN * 3)
            ]
            if pool
            else []
        )
    else:
        items = keep_relevant(pool)
    terms = object_terms(ctx.question.text)
    items = [e for e in items if names_it(terms, e)]
    if not items:
        return None
    cites = Citations()
    lead_items = _lead(items, ctx.question.newest)
    lead = "; then ".join(f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in lead_items)
    rest = sorted((e for e in items if e not in lead_items), key=_key, reverse=True)
    lines = [f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in rest[:MAX_LINES]]
    return Answer("events", lead, lines, cites.sources)
