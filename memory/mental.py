"""Mental models: standing questions ("what blocks the next deployment?") whose summaries are
refreshed from recall as facts arrive. With an LLM the summary is written by it from the
recalled facts; offline it is the top facts themselves, newest first. Retain marks models
stale; recall falls back to facts while a model is stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from storage.schema import MentalModel, utcnow
from storage.store import IndexDoc

if TYPE_CHECKING:
    from memory.memory import Memory

__all__ = [
    "MentalModelView",
    "register_model",
    "refresh_models",
    "mental_model_views",
    "summary_prompt",
]

SUMMARY_FACTS = 8


@dataclass
class MentalModelView:
    id: str
    question: str
    summary: str
    stale: bool
    refreshed_at: datetime | None
    fact_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def register_model(s: Session, bank: str, question: str) -> str:
    """The id of the model for `question` (registered once per bank)."""
    q = select(MentalModel).where(MentalModel.bank == bank, MentalModel.question == question)
    existing = s.exec(q).first()
    if existing is not None:
        return existing.id
    m = MentalModel(bank=bank, question=question)
    s.add(m)
    return m.id


def mental_model_views(s: Session, bank: str) -> list[MentalModelView]:
    rows = s.exec(
        select(MentalModel).where(MentalModel.bank == bank).order_by(col(MentalModel.created_at))
    )
    return [
        MentalModelView(m.id, m.question, m.summary, m.stale, m.refreshed_at, list(m.fact_ids))
        for m in rows
    ]


def summary_prompt(question: str, facts: list[str]) -> list[dict[str, str]]:
    listing = "\n".join(f"- {f}" for f in facts)
    return [
        {
            "role": "system",
            "content": "Answer the standing question in at most three sentences, using only the "
            "facts given. Say what is unknown rather than guessing.",
        },
        {"role": "user", "content": f"Question: {question}\nFacts:\n{listing}"},
    ]


async def _summarise(memory: Memory, question: str, texts: list[str]) -> str:
    if not texts:
        return ""
    if memory.lm is None:
        return " ".join(texts)
    reply = await memory.lm.acomplete(summary_prompt(question, texts))
    return str(getattr(reply, "text", reply)).strip()


async def refresh_models(memory: Memory, bank: str, *, only_stale: bool = True) -> list[str]:
    """Recompute summaries of (stale) models in `bank` from fact-layer recall."""
    with memory.store.db.session() as s:
        models = [v for v in mental_model_views(s, bank) if v.stale or not only_stale]
    done: list[str] = []
    for m in models:
        hits = await memory.arecall(m.question, bank=bank, k=SUMMARY_FACTS, layers=("fact",))
        hits = [h for h in hits if h.fact_id and h.invalidated_at is None]
        summary = await _summarise(memory, m.question, [h.text for h in hits])
        with memory.store.db.session() as s:
            row = s.get(MentalModel, m.id)
            if row is None:
                continue
            row.summary, row.fact_ids = summary, [h.fact_id for h in hits if h.fact_id]
            row.stale, row.refreshed_at = False, utcnow()
            s.add(row)
        if summary:
            memory.store.index([IndexDoc(m.id, bank, summary, "mental_model", "mental_model")])
        else:
            memory.store.unindex([m.id])
        done.append(m.id)
    return done
