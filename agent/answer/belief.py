"""Belief questions: the belief the question is about, its confidence now, and how it moved.

The belief is the stored one whose statement is closest to the question's proposition
(similarity + shared content words, the same relevance as for facts, with its own floor);
each step of its history is cited through the fact it came from.
"""

from __future__ import annotations

from typing import Any

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.evidence import LEXICAL_WEIGHT, Evidence, covers, lemmas_of
from agent.answer.nlp import parse
from agent.answer.question import content_words
from memory.lookup import fact_records

__all__ = ["answer_belief", "BELIEF_FLOOR"]

BELIEF_FLOOR = 0.6  # a belief must be this close to what the question asks about


def _pick(ctx: AnswerContext, beliefs: list[Any]) -> Any | None:
    prop = ctx.question.proposition or ctx.question.focus
    words = content_words(parse(prop)) or ctx.question.content
    sims = ctx.similarity(prop, [b.statement for b in beliefs])
    scored = [
        (sim + LEXICAL_WEIGHT * covers(words, lemmas_of(b.statement)), b)
        for sim, b in zip(sims, beliefs, strict=True)
    ]
    best = max(scored, key=lambda sb: sb[0], default=None)
    return best[1] if best is not None and best[0] >= BELIEF_FLOOR else None


def _step(step: dict[str, Any], ev: Evidence | None, cites: Citations) -> str:
    e = step.get("evidence") or {}
    ref = f" {cites.cite(ev)}" if ev is not None else ""
    text = " ".join(str(e.get("text") or "").split())
    return f"{day(step.get('at'))}: {e.get('stance', '?')} -> {step['confidence']:.2f}: {text}{ref}"


def _trend(history: list[dict[str, Any]]) -> str:
    if len(history) < 2:
        return "one statement so far"
    first, peak = history[0], max(history, key=lambda s: s["confidence"])
    out = f"from {first['confidence']:.2f} on {day(first['at'])}"
    if peak is not history[-1] and peak is not first:
        out += f", up to {peak['confidence']:.2f} on {day(peak['at'])}"
    last = history[-1]
    return out + f", last moved on {day(last['at'])} ({last['evidence'].get('stance', '?')})"


async def answer_belief(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    beliefs = await ctx.memory.abeliefs(bank=ctx.bank)
    b = _pick(ctx, list(beliefs)) if beliefs else None
    if b is None:
        return None
    ids = [s["evidence"].get("fact_id") for s in b.history if s.get("evidence")]
    records = fact_records(ctx.memory, [i for i in ids if i], bank=ctx.bank)
    cites = Citations()
    steps, refs = [], []
    for s in b.history:
        rec = records.get((s.get("evidence") or {}).get("fact_id") or "")
        ev = Evidence.of_record(rec) if rec else None
        steps.append(_step(s, ev, cites))
        refs.append(cites.cite(ev) if ev is not None else "")
    holder = f" (held by {b.holder})" if b.holder else ""
    shown = " ".join(r for r in dict.fromkeys([refs[0], refs[-1]]) if r) if refs else ""
    lead = (
        f'Belief "{b.statement}"{holder}: confidence now {b.confidence:.2f}, '
        f"{_trend(b.history)}; {len(b.history)} piece(s) of evidence {shown}".rstrip()
    )
    return Answer("belief", lead, steps, cites.sources)
