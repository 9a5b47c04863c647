"""Before / after <event>: the event's own time, then what memory holds in that range.

The event is the most relevant dated statement that names the anchor's head noun ("reorg" in
"the reorg"); the range excludes the event's day itself, and undated statements are never
before or after anything. Items closest to the event come first.
"""

from __future__ import annotations

from datetime import timedelta

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.evidence import Evidence, covers
from agent.answer.nlp import parse
from agent.answer.question import content_words
from memory.models import TimeRange

__all__ = ["answer_anchor", "find_event", "MAX_ITEMS"]

MAX_ITEMS = 6


async def find_event(ctx: AnswerContext, phrase: str) -> Evidence | None:
    words = content_words(parse(phrase)) or phrase.lower().split()
    pool = await ctx.evidence(query=phrase)
    named = [e for e in pool if e.date is not None and covers(words, e.lemmas) == 1.0]
    return named[0] if named else None


def _range(side: str, e: Evidence) -> TimeRange:
    assert e.date is not None
    start = e.date.replace(hour=0, minute=0, second=0, microsecond=0)
    if side == "before":
        return TimeRange(end=start)
    return TimeRange(start=start + timedelta(days=1))


async def answer_anchor(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    q = ctx.question
    if q.anchor is None:
        return None
    side, phrase = q.anchor
    event = await find_event(ctx, phrase)
    if event is None:
        return None
    window = _range(side, event)
    inside = [e for e in await ctx.evidence(time_range=window)
              if e.date is not None and window.contains(e.date)]  # fmt: skip
    cites = Citations()
    lead = f"The {phrase} was on {day(event.date)} {cites.cite(event)}: {event.text}"
    closest = sorted(inside, key=lambda e: abs((e.date - event.date).total_seconds()))  # type: ignore[operator]
    shown = sorted(closest[:MAX_ITEMS], key=lambda e: e.date, reverse=side == "before")  # type: ignore[arg-type, return-value]
    if not shown:
        return Answer(
            "anchor", lead + f" — memory holds nothing dated {side} it.", [], cites.sources
        )
    lead += f" — {len(shown)} item(s) {side} it, the closest first:"
    lines = [f"{day(e.date)}: {e.text} {cites.cite(e)}" for e in shown]
    return Answer("anchor", lead, lines, cites.sources)
