"""Bounded reads for browsing a large bank, built on the `Memory` facade's store: a page of
entities, an entity's card with one page of its facts, its merge log, its supersessions, and
its neighbourhood in the entity graph. Each query is bounded by the page or cap asked for (and
the one entity's links), never by the size of the bank.

    await entity_list(memory, bank="team", prefix="ali", offset=0, limit=50)
    await entity_page(memory, "Alice Chen", bank="team", offset=0, limit=50)
    await neighbourhood(memory, "Alice Chen", bank="team", limit=12)

Used alike by the REST API, the MCP tools and the web UI (agent.server.ops).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from memory.entities import EntityView, entity_facts, find_entity
from memory.errors import InvalidInput, NotFound
from memory.resolve import normalise_name
from memory.retain import clean_bank
from memory.text import normalise_text
from storage.schema import (
    Alias,
    Belief,
    BeliefEvidence,
    Entity,
    Episode,
    Fact,
    FactEntity,
    MergeLog,
)

__all__ = [
    "entity_list",
    "entity_page",
    "merge_log",
    "supersessions",
    "neighbourhood",
    "belief_page",
    "NEIGHBOUR_SAMPLE",
    "MAX_POINTS",
]

NEIGHBOUR_SAMPLE = 5000  # links of one entity a neighbourhood counts, at most
MAX_POINTS = 500  # history points of one belief in a page (the newest)
MAX_PAGE = 500


def _page(offset: int, limit: int) -> tuple[int, int]:
    ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (offset, limit))
    if not ok or offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("page", f"offset must be >= 0 and limit from 1 to {MAX_PAGE}")
    return offset, limit


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _fact_counts(s: Session, bank: str, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    q = (
        select(FactEntity.entity_id, func.count())
        .where(col(FactEntity.entity_id).in_(ids))  # entity ids are unique: no bank filter,
        # so the count is a scan of the entity_id index alone
        .group_by(col(FactEntity.entity_id))
    )
    return {eid: int(n) for eid, n in s.exec(q).all()}


def _entity_docs(s: Session, bank: str, ids: list[str]) -> list[dict[str, Any]]:
    """{"id", "name", "kind", "facts"} of the entities `ids`, in that order."""
    rows = {e.id: e for e in s.exec(select(Entity).where(col(Entity.id).in_(ids))).all()}
    counts = _fact_counts(s, bank, ids)
    return [{"id": i, "name": rows[i].name, "kind": rows[i].kind, "facts": counts.get(i, 0)}
            for i in ids if i in rows]  # fmt: skip


async def entity_list(memory: Any, *, bank: str = "default", prefix: str | None = None,
                      offset: int = 0, limit: int = 50) -> dict[str, Any]:  # fmt: skip
    """Entities by name (or those with a name or alias starting with `prefix`), one page, with
    each one's fact count and the total."""
    bank, (offset, limit) = clean_bank(bank), _page(offset, limit)
    norm = normalise_name(prefix or "")
    with memory.store.db.session() as s:
        if norm:
            where = (Alias.bank == bank, col(Alias.normalised) >= norm,
                     col(Alias.normalised) < norm + "\uffff")  # fmt: skip
            q = (select(Alias.entity_id, func.min(Alias.normalised).label("n")).where(*where)
                 .group_by(col(Alias.entity_id)).order_by("n", col(Alias.entity_id)))  # fmt: skip
            total_q = select(func.count(func.distinct(Alias.entity_id))).where(*where)
            ids = [eid for eid, _ in s.exec(q.offset(offset).limit(limit)).all()]
        else:
            q2 = (
                select(Entity.id)
                .where(Entity.bank == bank)
                .order_by(col(Entity.name), col(Entity.id))
            )
            total_q = select(func.count()).select_from(Entity).where(Entity.bank == bank)
            ids = list(s.exec(q2.offset(offset).limit(limit)).all())
        total = int(s.exec(total_q).one())
        docs = _entity_docs(s, bank, ids)
    return {"bank": bank, "prefix": prefix or None, "entities": docs, "total": total,
            "offset": offset, "limit": limit}  # fmt: skip


async def _resolve(memory: Any, s: Session, bank: str, name: str) -> Entity | EntityView | None:
    """The entity `name` names: by alias, else as the facade resolves it (which may answer with
    an ambiguous view listing candidates)."""
    ent = find_entity(s, bank, name)
    if ent is not None:
        return ent
    view = await memory.aentity(name, bank=bank)
    if view is None or getattr(view, "status", "resolved") != "resolved":
        return view
    return s.get(Entity, view.id)


async def entity_page(memory: Any, name: str, *, bank: str = "default", offset: int = 0,
                      limit: int = 50) -> dict[str, Any] | None:  # fmt: skip
    """The facade's entity view (`Memory.aentity`'s shape) with one page of its facts in time
    order, plus `facts_total`, `offset` and `limit`; None when no entity has that name."""
    bank, (offset, limit) = clean_bank(bank), _page(offset, limit)
    with memory.store.db.session() as s:
        ent = await _resolve(memory, s, bank, name)
        if ent is None:
            return None
        if isinstance(ent, EntityView):  # ambiguous: the candidates, no facts
            return {**ent.to_dict(), "facts_total": 0, "offset": offset, "limit": limit}
        aliases = sorted({a for a in s.exec(select(Alias.alias).where(Alias.entity_id == ent.id))})
        facts, total = entity_facts(s, bank, ent, offset, limit)
        view = EntityView(ent.id, ent.name, ent.kind, [a for a in aliases if a != ent.name], facts)
    return {**view.to_dict(), "facts_total": total, "offset": offset, "limit": limit}


async def _entity(memory: Any, s: Session, bank: str, name: str) -> Entity:
    ent = await _resolve(memory, s, bank, name)
    if not isinstance(ent, Entity):
        raise NotFound("entity", name, bank)
    return ent


async def merge_log(memory: Any, name: str, *, bank: str = "default",
                    limit: int = 50) -> dict[str, Any]:  # fmt: skip
    """The merges into (or out of) entity `name`, newest first: who was merged, when, how much
    moved, and whether a split undid it."""
    bank, (_, limit) = clean_bank(bank), _page(0, limit)
    with memory.store.db.session() as s:
        ent = await _entity(memory, s, bank, name)
        q = (select(MergeLog).where(MergeLog.bank == bank,
                                    or_(col(MergeLog.kept_id) == ent.id, col(MergeLog.merged_id) == ent.id))
             .order_by(col(MergeLog.at).desc()).limit(limit))  # fmt: skip
        logs = s.exec(q).all()
        kept = {e.id: e.name for e in s.exec(select(Entity).where(
            col(Entity.id).in_({g.kept_id for g in logs}))).all()}  # fmt: skip
    merges = [
        {"id": g.id, "kept_id": g.kept_id, "kept": kept.get(g.kept_id), "merged_id": g.merged_id,
         "merged_name": g.merged_name, "merged_kind": g.merged_kind, "reason": g.reason,
         "at": _iso(g.at), "undone_at": _iso(g.undone_at),
         "moved": {k: len(v) for k, v in (g.moved or {}).items() if isinstance(v, list)}}
        for g in logs
    ]  # fmt: skip
    return {"bank": bank, "entity": ent.name, "merges": merges}


def _fact_doc(f: Fact, source: str | None) -> dict[str, Any]:
    doc = {"fact_id": f.id, "text": f.text, "when": _iso(f.occurred_start),
           "mentioned_at": _iso(f.mentioned_at), "invalidated_at": _iso(f.invalidated_at),
           "source": source or None}  # fmt: skip
    why = getattr(f, "supersession", None)  # why it was retired, where the store records it
    if why:
        doc["supersession"] = why
    return doc


async def supersessions(memory: Any, name: str, *, bank: str = "default",
                        limit: int = 50) -> dict[str, Any]:  # fmt: skip
    """Supersessions that touch entity `name` (one of its facts was replaced, or replaced
    another), newest first: `{"old", "new", "at"}` ("old until `at`, then new")."""
    bank, (_, limit) = clean_bank(bank), _page(0, limit)
    with memory.store.db.session() as s:
        ent = await _entity(memory, s, bank, name)
        newest = (col(Fact.invalidated_at).desc(), col(Fact.id))
        mine = (select(Fact).join(FactEntity, FactEntity.fact_id == Fact.id)  # type: ignore[arg-type]
                .where(FactEntity.entity_id == ent.id, col(Fact.superseded_by).is_not(None)))  # fmt: skip
        by_mine = (select(Fact).join(FactEntity, FactEntity.fact_id == Fact.superseded_by)  # type: ignore[arg-type]
                   .where(FactEntity.entity_id == ent.id))  # fmt: skip
        old = {f.id: f for q in (mine, by_mine) for f in s.exec(q.order_by(*newest).limit(limit))}
        retired = sorted(old.values(), key=lambda f: (f.invalidated_at, f.id), reverse=True)[:limit]
        docs = _fact_docs(s, [f.id for f in retired] + [str(f.superseded_by) for f in retired])
    pairs = [{"old": docs[f.id], "new": docs.get(str(f.superseded_by)), "at": _iso(f.invalidated_at)}
             for f in retired]  # fmt: skip
    return {"bank": bank, "entity": ent.name, "supersessions": pairs}


def _fact_docs(s: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    q = (select(Fact, Episode.source).join(Episode, Episode.id == Fact.episode_id)  # type: ignore[arg-type]
         .where(col(Fact.id).in_(set(ids))))  # fmt: skip
    return {f.id: _fact_doc(f, src) for f, src in s.exec(q).all()}


async def neighbourhood(memory: Any, name: str, *, bank: str = "default",
                        limit: int = 12) -> dict[str, Any]:  # fmt: skip
    """Entity `name` and the `limit` entities it shares the most facts with (counted over at
    most NEIGHBOUR_SAMPLE of its fact links; `sampled` says when it has more), as graph nodes
    and edges. Never more than `limit` + 1 nodes, however large the bank."""
    bank, (_, limit) = clean_bank(bank), _page(0, limit)
    with memory.store.db.session() as s:
        ent = await _entity(memory, s, bank, name)
        mine = (select(FactEntity.fact_id).where(FactEntity.entity_id == ent.id)
                .limit(NEIGHBOUR_SAMPLE).subquery())  # fmt: skip
        other = aliased(FactEntity)
        shared = func.count().label("shared")
        q = (select(other.entity_id, shared).join(mine, mine.c.fact_id == other.fact_id)
             .where(other.entity_id != ent.id).group_by(other.entity_id)
             .order_by(shared.desc(), other.entity_id).limit(limit))  # fmt: skip
        near = [(eid, int(n)) for eid, n in s.exec(q).all()]
        centre = _entity_docs(s, bank, [ent.id])[0]
        docs = {d["id"]: d for d in _entity_docs(s, bank, [eid for eid, _ in near])}
    nodes = [{**docs[eid], "shared": n} for eid, n in near if eid in docs]
    edges = [{"source": ent.id, "target": d["id"], "weight": d["shared"]} for d in nodes]
    return {"bank": bank, "entity": centre, "nodes": nodes, "edges": edges, "limit": limit,
            "sampled": centre["facts"] > NEIGHBOUR_SAMPLE}  # fmt: skip


_NOT_EVIDENCE = {"id", "belief_id", "bank", "confidence_after", "at"}
_NOT_BELIEF = {"bank", "key", "created_at", "updated_at"}


def _history(rows: list[BeliefEvidence]) -> list[dict[str, Any]]:
    """`Memory.abeliefs`' history entries; every other column of the row goes in `evidence`."""
    return [{"at": _iso(r.at), "confidence": r.confidence_after,
             "evidence": {k: v for k, v in r.model_dump().items() if k not in _NOT_EVIDENCE}}
            for r in rows]  # fmt: skip


async def belief_page(memory: Any, *, bank: str = "default", topic: str | None = None,
                      offset: int = 0, limit: int = 20,
                      points: int = MAX_POINTS) -> dict[str, Any]:  # fmt: skip
    """One page of `Memory.abeliefs(topic)`: the same beliefs in the same order (most evidence
    first, then by statement), each with its newest `points` history entries in time order and
    `evidence_total`. Reads the page's evidence only (plus one count per belief of the bank)."""
    bank, (offset, limit) = clean_bank(bank), _page(offset, limit)
    terms = set(normalise_text(topic).split()) if topic else set()
    with memory.store.db.session() as s:
        rows = s.exec(select(Belief.id, Belief.key, Belief.statement).where(Belief.bank == bank))
        wanted = {i: st for i, key, st in rows.all() if not terms or terms & set(key.split())}
        counts = dict(s.exec(select(BeliefEvidence.belief_id, func.count())
                             .where(BeliefEvidence.bank == bank)
                             .group_by(col(BeliefEvidence.belief_id))).all())  # fmt: skip
        order = sorted(wanted, key=lambda i: (-counts.get(i, 0), wanted[i]))
        page = []
        for bid in order[offset : offset + limit]:
            b = s.get(Belief, bid)
            q = (select(BeliefEvidence).where(BeliefEvidence.belief_id == bid)
                 .order_by(col(BeliefEvidence.at).desc(), col(BeliefEvidence.id).desc())
                 .limit(points))  # fmt: skip
            newest = list(s.exec(q).all())[::-1]
            extra = {k: v for k, v in b.model_dump().items() if k not in _NOT_BELIEF} if b else {}
            page.append({**extra, "history": _history(newest),
                         "evidence_total": int(counts.get(bid, 0))})  # fmt: skip
    return {"bank": bank, "topic": topic or None, "beliefs": page, "total": len(order),
            "offset": offset, "limit": limit}  # fmt: skip
