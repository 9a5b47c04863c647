"""What did we decide (in <period> / about <topic>): the statements that record a decision.

A question asks for decisions when a word of the closed class of deciding (decide, decision,
choose, pick, agree, approve, adopt, select, opt, settle) is its predicate or the noun it asks
about ("What did the team decide in October?", "which decisions were made in April"). A
statement records a decision when its parse holds a deciding word that is not negated
("Decision: ...", "We picked React Native", "Grace agreed"), or when it states a change of
what we use from one value to another with "we" as its subject ("we moved crash reporting from
Sentry to Bugsnag"). Decisions of a period are the ones made then, superseded since or not
(they are marked); with a topic left over once the decider, the deciding word and the time
words are set aside ("about hiring"), only decisions close to that topic count. No decision
found means memory has nothing about it: the question is never answered with other events.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.evidence import Evidence, covers
from agent.answer.nlp import parse
from memory.models import TimeRange

__all__ = ["answer_decisions", "asks_decisions", "records_decision", "DECIDING"]

DECIDING = frozenset(
    ["decide", "decision", "choose", "choice", "pick", "agree", "approve", "adopt", "select",
     "opt", "settle", "decided"]
)  # fmt: skip
_SUPPORT_VERBS = frozenset({"make", "take", "reach", "have", "be", "do"})  # "took a decision"
_NOT_TOPIC_POS = frozenset({"PRON", "DET", "ADP", "AUX", "PUNCT", "PART", "CCONJ", "SCONJ"})
_TIME_ENTS = frozenset({"DATE", "TIME"})
TOPIC_FLOOR = 0.35  # a decision this close to the topic (similarity + shared words) is about it
LEAD_ITEMS = 3
MAX_ITEMS = 8


def _deciding(t: Any) -> bool:
    return bool(t.lemma_.lower() in DECIDING or t.lower_ in DECIDING)


def asks_decisions(question: str) -> bool:
    """Is the question's predicate, or the noun it asks about, a deciding word?"""
    for t in parse(question):
        if _deciding(t) and (t.dep_ in ("ROOT", "nsubj", "nsubjpass", "dobj", "attr")
                             or t.head.dep_ == "ROOT"):  # fmt: skip
            return True
    return False


def decision_topic(question: str) -> list[str]:
    """The content lemmas of what the decisions asked for are about: the question without its
    wh-word, the decider (the deciding verb's subject), the deciding word, its support verb
    ("made", "took") and its time words."""
    doc = parse(question)
    drop: set[int] = set()
    for t in doc:
        if _deciding(t):
            drop.add(t.i)
            if t.pos_ == "VERB":
                drop |= {w.i for c in t.children if c.dep_ in ("nsubj", "nsubjpass")
                         for w in c.subtree}  # fmt: skip
            elif t.head.lemma_.lower() in _SUPPORT_VERBS:
                drop.add(t.head.i)
                drop |= {w.i for c in t.head.children if c.dep_ == "nsubj" for w in c.subtree}
    out = []
    for t in doc:
        if t.i in drop or t.pos_ in _NOT_TOPIC_POS or t.is_stop or t.ent_type_ in _TIME_ENTS:
            continue
        if t.tag_ in ("WP", "WRB", "WDT", "WP$") or t.lemma_.lower() in _SUPPORT_VERBS:
            continue
        out.append(t.lemma_.lower())
    return list(dict.fromkeys(out))


def records_decision(e: Evidence) -> bool:
    doc = parse(e.text)
    for t in doc:
        if _deciding(t) and not any(c.dep_ == "neg" for c in t.children):
            return True
    change = e.change or {}
    if change.get("old") and change.get("new"):
        return any(t.lower_ == "we" and t.dep_ in ("nsubj", "nsubjpass") for t in doc)
    return False


def _key(e: Evidence) -> tuple[str, str, int]:
    """Time order; statements of one day in the order their source gives them."""
    return (e.date.isoformat()[:10] if e.date else "", e.source or "", e.span[0] if e.span else 0)


async def _candidates(ctx: AnswerContext, period: TimeRange | None) -> list[Evidence]:
    """Recalled for the question and for the deciding words, within `period` as it stood
    then (decisions superseded since included)."""
    as_of = period.end if period is not None and period.end is not None else None
    pools = [await ctx.evidence(time_range=period, as_of=as_of),
             await ctx.evidence(query=" ".join(sorted(DECIDING)), time_range=period,
                                as_of=as_of)]  # fmt: skip
    seen: dict[str, Evidence] = {}
    for e in (x for pool in pools for x in pool):
        key = e.fact_id or e.text
        if key not in seen or seen[key].relevance < e.relevance:
            seen[key] = e
    out = [e for e in seen.values() if e.layer == "fact" and records_decision(e)]
    if period is not None:
        out = [e for e in out if e.date is not None and period.contains(e.date)]
    return out


def _about(ctx: AnswerContext, topic: list[str], items: list[Evidence]) -> list[Evidence]:
    if not topic or not items:
        return items
    phrase = " ".join(topic)
    sims = ctx.similarity(phrase, [e.text for e in items])
    scored = [(sim + 0.3 * covers(topic, e.lemmas), e) for sim, e in zip(sims, items, strict=True)]
    return [e for s, e in sorted(scored, key=lambda se: -se[0]) if s >= TOPIC_FLOOR]


def _line(e: Evidence, cites: Citations) -> str:
    gone = f" (superseded {day(e.invalidated_at)})" if e.invalidated_at is not None else ""
    return f"{day(e.date)}: {e.text} {cites.cite(e)}{gone}"


def _span(period: TimeRange | None) -> str:
    if period is None:
        return ""
    start, end = period.start, period.end
    if start is not None and end is not None:
        last = end - timedelta(microseconds=1)
        if start.day == 1 and (last + timedelta(microseconds=1)).day == 1 and (
            start.year, start.month) == (last.year, last.month):  # fmt: skip
            return f" in {start:%B %Y}"
        return f" from {day(start)} to {day(last)}"
    return f" from {day(start)} on" if start is not None else f" before {day(end)}"


async def answer_decisions(
    ctx: AnswerContext, pool: list[Evidence], period: TimeRange | None
) -> Answer | None:
    """Decisions of `period` (None: any time) about the question's topic, oldest first;
    None when the question does not ask for decisions."""
    q = ctx.question
    if not asks_decisions(q.text):
        return None
    topic = decision_topic(q.text)
    found = _about(ctx, topic, await _candidates(ctx, period))
    if not found:
        from agent.answer.compose import nothing_answer

        return nothing_answer(q)
    shown = sorted(found[:MAX_ITEMS] if topic else found, key=_key)[:MAX_ITEMS]
    cites = Citations()
    n = len(shown)
    head = f"{n} decision{'s' if n != 1 else ''}{_span(period)}: "
    lead = head + "; ".join(_line(e, cites) for e in shown[:LEAD_ITEMS])
    lines = [_line(e, cites) for e in shown[LEAD_ITEMS:]]
    return Answer("events", lead, lines, cites.sources)
