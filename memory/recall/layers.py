"""Observation and mental-model hits, derived from the facts recall already scored.

A fresh observation or mental model is returned when facts supporting it scored well: its score
is the best supporting fact's score plus a small bonus per further supporting fact. A *stale*
one is skipped, and recall falls back to the raw facts (which are already in the ranking).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlmodel import col, select

from memory.models import Hit
from storage.store import Store

__all__ = ["layer_hits"]

SUPPORT_BONUS = 0.05
POOL = 50


def layer_hits(
    store: Store, bank: str, layers: Sequence[str], scores: Mapping[str, float], explain: bool
) -> list[Hit]:
    top = dict(sorted(scores.items(), key=lambda kv: -kv[1])[:POOL])
    if not top:
        return []
    hits: list[Hit] = []
    if "observation" in layers:
        hits += _observations(store, bank, top, explain)
    if "mental_model" in layers:
        hits += _mental_models(store, bank, top, explain)
    return hits


def _score(fact_ids: Sequence[str], top: Mapping[str, float]) -> float | None:
    found = sorted((top[f] for f in fact_ids if f in top), reverse=True)
    if not found:
        return None
    return found[0] + SUPPORT_BONUS * (len(found) - 1)


def _observations(store: Store, bank: str, top: Mapping[str, float], explain: bool) -> list[Hit]:
    from storage.schema import Observation, ObservationFact

    with store.db.session() as s:
        links = s.exec(
            select(ObservationFact.observation_id, ObservationFact.fact_id).where(
                ObservationFact.bank == bank, col(ObservationFact.fact_id).in_(list(top))
            )
        ).all()
        by_obs: dict[str, list[str]] = {}
        for oid, fid in links:
            by_obs.setdefault(oid, []).append(fid)
        obs = s.exec(
            select(Observation).where(
                Observation.bank == bank, col(Observation.id).in_(list(by_obs))
            )
        ).all()
    hits = []
    for o in obs:
        sc = _score(by_obs[o.id], top)
        if o.stale or sc is None:
            continue  # stale: the raw facts stand in for it
        meta = {"proof_count": o.proof_count, "fact_ids": by_obs[o.id]}
        if explain:
            meta["explain"] = {"reasons": [f"consolidated from {len(by_obs[o.id])} matching facts"]}
        hits.append(Hit(text=o.text, score=round(sc, 6), layer="observation", metadata=meta))
    return hits


def _mental_models(store: Store, bank: str, top: Mapping[str, float], explain: bool) -> list[Hit]:
    from storage.schema import MentalModel

    with store.db.session() as s:
        models = s.exec(
            select(MentalModel).where(MentalModel.bank == bank, col(MentalModel.stale).is_(False))
        ).all()
    hits = []
    for m in models:
        sc = _score(m.fact_ids or [], top)
        if sc is None or not m.summary:
            continue
        meta: dict[str, Any] = {"question": m.question, "fact_ids": list(m.fact_ids or [])}
        if explain:
            meta["explain"] = {"reasons": ["its summary rests on facts that matched the query"]}
        hits.append(Hit(text=m.summary, score=round(sc, 6), layer="mental_model", metadata=meta))
    return hits
