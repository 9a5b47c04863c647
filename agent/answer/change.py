"""What changed in / about X: the change memory recorded, with the old and the new value and
when each held.

A question asks for a change when its predicate is a word of change (change, evolve, shift,
differ, different). A change is either a supersession memory recorded (an old statement
retired by a newer one, with the old and new value of their slot) or a statement that states
a change from one value to another ("we moved crash reporting from Sentry to Bugsnag"), with
the earlier statements that name its old value. The change must be about the question's topic
(its content words less the change word, deciding words and time words), else this strategy
gives way to the plain events answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.answer.cite import Answer, Citations, day
from agent.answer.context import AnswerContext
from agent.answer.decisions import DECIDING
from agent.answer.evidence import LEXICAL_WEIGHT, Evidence, covers, lemmas_of
from agent.answer.nlp import parse
from memory.lookup import fact_records, superseded_ids

__all__ = ["answer_change", "asks_change", "CHANGE_WORDS", "CHANGE_FLOOR"]

CHANGE_WORDS = frozenset({"change", "evolve", "shift", "differ", "different"})
CHANGE_FLOOR = 0.4  # a change must be this close to the topic (similarity + shared words)
_NOT_TOPIC_POS = frozenset({"PRON", "DET", "ADP", "AUX", "PUNCT", "PART", "CCONJ", "SCONJ"})


def asks_change(question: str) -> bool:
    return any(
        t.lemma_.lower() in CHANGE_WORDS and (t.dep_ == "ROOT" or t.head.dep_ == "ROOT")
        for t in parse(question)
    )


def change_topic(question: str) -> list[str]:
    out = []
    for t in parse(question):
        lemma = t.lemma_.lower()
        if t.pos_ in _NOT_TOPIC_POS or t.is_stop or t.ent_type_ in ("DATE", "TIME"):
            continue
        if lemma in CHANGE_WORDS | DECIDING or t.tag_ in ("WP", "WRB", "WDT", "WP$"):
            continue
        out.append(lemma)
    return list(dict.fromkeys(out))


@dataclass
class Change:
    new: Evidence
    old: list[Evidence] = field(default_factory=list)  # the statements it retired or followed
    old_value: str | None = None
    new_value: str | None = None
    subject: str | None = None
    score: float = 0.0
    also: list[Evidence] = field(default_factory=list)  # other statements of the same change

    @property
    def values(self) -> str:
        return f"{self.subject or ''} {self.old_value} {self.new_value}".strip()

    @property
    def text(self) -> str:
        return " ".join([*(o.text for o in self.old), self.new.text])


def _values(new: Evidence, old: list[Evidence]) -> tuple[str | None, str | None, str | None]:
    for o in old:
        s = o.supersession or {}
        if s.get("old_value") and s.get("new_value"):
            subject = str(s.get("slot") or "").split("|")[0] or None
            return s["old_value"], s["new_value"], subject
    c = new.change or {}
    return c.get("old"), c.get("new"), None


def _states_change(e: Evidence) -> bool:
    c = e.change or {}
    return bool(c.get("old") and c.get("new"))


async def _changes(ctx: AnswerContext, pool: list[Evidence]) -> list[Change]:
    facts = [e for e in pool if e.layer == "fact" and e.fact_id]
    news: dict[str, Evidence] = {e.fact_id: e for e in facts if e.fact_id and _states_change(e)}
    by_id = {e.fact_id: e for e in facts if e.fact_id}
    retirers = {e.superseded_by for e in facts if e.superseded_by} - set(news)
    for i in retirers:  # a retired statement brings the one that retired it
        if i in by_id:
            news[i] = by_id[i]
    fetched = fact_records(ctx.memory, [i for i in retirers if i not in news], bank=ctx.bank)
    news.update({i: Evidence.of_record(r) for i, r in fetched.items()})
    retired = superseded_ids(ctx.memory, list(news), bank=ctx.bank)
    old_records = fact_records(ctx.memory, [o for ids in retired.values() for o in ids],
                               bank=ctx.bank)  # fmt: skip
    out = []
    for i, new in news.items():
        old = [Evidence.of_record(old_records[o]) for o in retired.get(i, []) if o in old_records]
        old_value, new_value, subject = _values(new, old)
        if old_value and new_value:
            out.append(Change(new, old, old_value, new_value, subject))
    return out


def _earlier_naming(value: str, new: Evidence, pool: list[Evidence]) -> list[Evidence]:
    """Statements before the change that name its old value (what held until then)."""
    words = [w for w in lemmas_of(value) if w.isalnum()]
    return [
        e
        for e in pool
        if e is not new and e.layer == "fact" and e.date is not None and new.date is not None
        and e.date <= new.date and words and covers(words, e.lemmas) == 1.0
        and not _states_change(e)
    ][:1]  # fmt: skip


def _score(ctx: AnswerContext, topic: list[str], changes: list[Change]) -> None:
    """How close each change is to the topic: what changed (its subject and values, "events
    store: MySQL -> PostgreSQL") compared with the topic, plus the topic words its
    statements hold."""
    phrase = " ".join(topic)
    sims = ctx.similarity(phrase, [c.values for c in changes])
    for c, sim in zip(changes, sims, strict=True):
        c.score = round(sim + LEXICAL_WEIGHT * covers(topic, lemmas_of(c.text)), 4)


def _merged(changes: list[Change]) -> list[Change]:
    """One change per (old value, new value), best first: the statement that retired the old
    ones stands for it ("we switch ... from MySQL to PostgreSQL"), else the earliest; the
    others that state it too become `also`."""
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in changes:
        groups.setdefault(((c.old_value or "").lower(), (c.new_value or "").lower()), []).append(c)
    out = []
    for group in groups.values():
        group.sort(key=lambda c: (not c.old, c.new.date.isoformat() if c.new.date else ""))
        head = group[0]
        head.score = max(c.score for c in group)
        head.also = [c.new for c in group[1:]]
        out.append(head)
    return sorted(out, key=lambda c: -c.score)


def _was(e: Evidence, cites: Citations) -> str:
    return f"{e.text} {cites.cite(e)} ({day(e.date)})"


async def answer_change(ctx: AnswerContext, pool: list[Evidence]) -> Answer | None:
    q = ctx.question
    topic = change_topic(q.text)
    if not topic or not asks_change(q.text):
        return None
    changes = await _changes(ctx, pool)
    if not changes:
        return None
    _score(ctx, topic, changes)
    changes = _merged(changes)
    best = changes[0]
    if best.score < CHANGE_FLOOR:
        return None
    old = best.old or _earlier_naming(best.old_value or "", best.new, pool)
    cites = Citations()
    what = f"{best.subject}: " if best.subject else ""
    lead = f"{what}{best.old_value} -> {best.new_value}, changed on {day(best.new.date)}"
    if old:
        lead += f". Before: {_was(old[0], cites)}"
    lead += f"; then: {_was(best.new, cites)}"
    lines = [f"also before: {_was(o, cites)}" for o in old[1:3]]
    lines += [f"also: {_was(e, cites)}" for e in best.also[:2]]
    lines += [f"other change: {c.old_value} -> {c.new_value}: {_was(c.new, cites)}"
              for c in changes[1:3] if c.score >= CHANGE_FLOOR]  # fmt: skip
    return Answer("events", lead, lines, cites.sources)
