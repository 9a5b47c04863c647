"""A canonical dump of a bank's memory: the same contents give the same dump, whatever ids.

Row ids are random (uuid4), so every id is replaced by a key made of content: an episode by its
source and hash, a fact by its episode and span and text, an entity by its name and kind (and,
when names repeat, by the facts it holds), a belief by its statement. Wall-clock stamps
(recorded_at, created_at, updated_at) are left out; every other column is kept as stored,
floats as their repr. Used by tests/memory/test_ingest_golden.py (the ingest path's
optimisations must leave the bank as it was) and `bench.ingest_speed --dump`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlmodel import Session, select

from storage.schema import (
    Alias,
    Belief,
    BeliefEvidence,
    Entity,
    Episode,
    Fact,
    FactEntity,
    Observation,
    ObservationFact,
)

__all__ = ["bank_dump"]


def _iso(t: Any) -> str | None:
    return t.isoformat() if t is not None else None


def _rekey(value: Any, key: Callable[[str], str | None]) -> Any:
    """`value` with every string that is a known id replaced by its key (JSON columns)."""
    if isinstance(value, dict):
        return {k: _rekey(v, key) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_rekey(v, key) for v in value]
    if isinstance(value, str):
        return key(value) or value
    if isinstance(value, float):
        return repr(value)
    return value


def bank_dump(s: Session, bank: str) -> dict[str, Any]:
    """Everything retain writes for `bank`, keyed by content, sorted."""
    eps = list(s.exec(select(Episode).where(Episode.bank == bank)).all())
    facts = list(s.exec(select(Fact).where(Fact.bank == bank)).all())
    ents = list(s.exec(select(Entity).where(Entity.bank == bank)).all())
    aliases = list(s.exec(select(Alias).where(Alias.bank == bank)).all())
    links = list(s.exec(select(FactEntity).where(FactEntity.bank == bank)).all())
    beliefs = list(s.exec(select(Belief).where(Belief.bank == bank)).all())
    evidence = list(s.exec(select(BeliefEvidence).where(BeliefEvidence.bank == bank)).all())
    obs = list(s.exec(select(Observation).where(Observation.bank == bank)).all())
    obs_facts = list(s.exec(select(ObservationFact).where(ObservationFact.bank == bank)).all())

    keys: dict[str, str] = {}
    for e in eps:
        keys[e.id] = f"ep[{e.source}|{e.content_hash[:16]}]"
    for f in facts:
        keys[f.id] = f"fact[{keys[f.episode_id]}@{f.span_start}-{f.span_end}|{f.text}]"
    held: dict[str, list[str]] = {}
    for ln in links:
        held.setdefault(ln.entity_id, []).append(f"{ln.role}:{keys[ln.fact_id]}")
    for f in facts:
        if f.subject_entity_id:
            held.setdefault(f.subject_entity_id, []).append(f"subject:{keys[f.id]}")
    by_name: dict[tuple[str, str], list[Entity]] = {}
    for ent in ents:
        by_name.setdefault((ent.name, ent.kind), []).append(ent)
    for (name, kind), group in by_name.items():
        group.sort(key=lambda x: sorted(held.get(x.id, [])))
        for n, ent in enumerate(group):
            keys[ent.id] = f"ent[{name}|{kind}]" + (f"#{n}" if len(group) > 1 else "")
    for b in beliefs:
        keys[b.id] = f"belief[{b.statement}|{b.holder}]"
    for o in obs:
        keys[o.id] = f"obs[{o.key}]"
    key = keys.get

    def row(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
        out = {}
        for k, v in sorted(obj.model_dump().items()):
            if k in ("recorded_at", "created_at", "updated_at", *skip):
                continue
            if hasattr(v, "isoformat"):
                v = _iso(v)
            out[k] = _rekey(v, key)
        return out

    dump: dict[str, Any] = {
        "episodes": [row(e) for e in eps],
        "facts": [row(f) for f in facts],
        "entities": [row(e) | {"holds": sorted(held.get(e.id, []))} for e in ents],
        "aliases": [row(a, ("id",)) for a in aliases],  # referenced by nothing retain writes
        "fact_entities": [row(ln) for ln in links],
        "beliefs": [row(b) for b in beliefs],
        "belief_evidence": [row(r, ("id",)) for r in evidence],
        "observations": [row(o) for o in obs],
        "observation_facts": [row(of) for of in obs_facts],
    }
    return {k: sorted(v, key=lambda r: json.dumps(r, sort_keys=True)) for k, v in dump.items()}
