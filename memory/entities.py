"""Entity reads and hand-made resolution: `entity_view`, `merge_entities`, `split_entity`.

A merge moves the merged entity's aliases, subject facts, fact links and observations onto the
kept entity and records exactly what moved in `merge_log`; `split` replays that record
backwards. A name that resolution attached as an alias (no merge on record) can be split off
into an entity of its own, taking the facts whose text mentions it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from memory.errors import MergeError
from memory.models import Hit
from memory.resolve import normalise_name
from memory.resolve_store import EntityResolver
from storage.schema import (
    Alias,
    Entity,
    Episode,
    Fact,
    FactEntity,
    MergeLog,
    Observation,
    utcnow,
)

__all__ = [
    "EntityView",
    "find_entity",
    "entity_view",
    "entity_facts",
    "merge_entities",
    "split_entity",
    "Moves",
]

Moves = list[tuple[str, str, str]]  # (fact id, from entity, to entity) for the graph


@dataclass
class EntityView:
    """An entity with its aliases and facts; or, for a name that fits several entities equally
    ("S. Kim" with Sarah Kim and Sam Kim), `status` "ambiguous" and the `candidates`."""

    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    facts: list[Hit] = field(default_factory=list)  # in time order (occurred, else mentioned)
    status: str = "resolved"  # resolved | ambiguous
    candidates: list[str] = field(default_factory=list)
    resolved_by: str = "alias"  # how the name was found: alias, or the resolver's rule

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "facts": [h.to_dict() for h in self.facts],
            "status": self.status,
            "candidates": list(self.candidates),
            "resolved_by": self.resolved_by,
        }


def find_entity(s: Session, bank: str, name: str) -> Entity | None:
    """The entity whose canonical name or alias normalises like `name` (an id works too)."""
    norm = normalise_name(name)
    q = select(Alias.entity_id).where(Alias.bank == bank, Alias.normalised == norm)
    ids = sorted(set(s.exec(q).all()))
    if not ids:
        by_id = s.get(Entity, name)
        return by_id if by_id is not None and by_id.bank == bank else None
    ents = [e for e in (s.get(Entity, i) for i in ids) if e is not None]
    exact = [e for e in ents if normalise_name(e.name) == norm]
    return (exact or ents)[0] if ents else None


def _hit(f: Fact, ep: Episode, names: list[str]) -> Hit:
    meta: dict[str, Any] = {}
    if f.supersession:
        meta["supersession"] = f.supersession
        until = f.invalidated_at.date().isoformat() if f.invalidated_at else "?"
        meta["history"] = (
            f"{f.supersession.get('old_value') or f.object or f.text} until {until}, "
            f"then {f.supersession.get('new_value') or f.supersession.get('by_text', '')}"
        )
    return Hit(
        metadata=meta,
        text=f.text,
        score=1.0,
        when=f.occurred_start,
        when_end=f.occurred_end,
        mentioned_at=f.mentioned_at,
        source=ep.source or None,
        fact_id=f.id,
        episode_id=f.episode_id,
        span=(f.span_start, f.span_end) if f.span_start >= 0 else None,
        kind=f.kind,
        entities=names,
        invalidated_at=f.invalidated_at,
    )


def _lookup_kind(name: str) -> str:
    """The kind the spotter gives `name` alone ("Kim": a person, so the surname of one Sarah
    Kim finds her; "Ford": a thing), "thing" when it reads as no single mention."""
    from memory.extract.entities import spot_entities

    found = spot_entities(name, 0, len(name))
    return found[0].kind if len(found) == 1 and found[0].name == name.strip() else "thing"


def entity_view(
    s: Session,
    bank: str,
    name: str,
    *,
    include_history: bool = True,
    resolver: EntityResolver | None = None,
) -> EntityView | None:
    """The entity `name` (an alias or canonical name; with `resolver`, also any spelling the
    resolution rules accept: "S. Kim" finds Sarah Kim when she is the only candidate)."""
    ent = find_entity(s, bank, name)
    how = "alias"
    if ent is None and resolver is not None:
        decision = resolver.decide(s, bank, name, _lookup_kind(name))
        if decision.kind == "ambiguous" and decision.alternatives:
            ids = [decision.entity_id, *decision.alternatives]
            names = sorted(e.name for e in (s.get(Entity, i) for i in ids if i) if e is not None)
            return EntityView("", name, "", status="ambiguous", candidates=names,
                              resolved_by=decision.reason)  # fmt: skip
        if decision.kind == "same" and decision.entity_id:
            ent, how = s.get(Entity, decision.entity_id), decision.reason
    if ent is None:
        return None
    aliases = sorted({a.alias for a in s.exec(select(Alias).where(Alias.entity_id == ent.id))})
    q = (
        select(Fact, Episode)
        .join(FactEntity, FactEntity.fact_id == Fact.id)  # type: ignore[arg-type]
        .join(Episode, Episode.id == Fact.episode_id)  # type: ignore[arg-type]
        .where(FactEntity.bank == bank, FactEntity.entity_id == ent.id)
    )
    rows = [(f, ep) for f, ep in s.exec(q).all() if include_history or f.invalidated_at is None]
    rows.sort(key=lambda r: (r[0].occurred_start or r[0].mentioned_at, r[0].mentioned_at, r[0].id))
    facts = [_hit(f, ep, [ent.name]) for f, ep in rows]
    others = [a for a in aliases if a != ent.name]
    return EntityView(ent.id, ent.name, ent.kind, others, facts, resolved_by=how)


def merge_entities(
    s: Session, bank: str, keep_name: str, merge_name: str
) -> tuple[MergeLog, Moves]:
    keep, gone = find_entity(s, bank, keep_name), find_entity(s, bank, merge_name)
    if keep is None or gone is None:
        missing = keep_name if keep is None else merge_name
        raise MergeError(f"no entity {missing!r} in bank {bank!r}", bank=bank)
    if keep.id == gone.id:
        raise MergeError(f"{keep_name!r} and {merge_name!r} are already one entity", bank=bank)
    moved: dict[str, list[str]] = {"aliases": [], "subject_facts": [], "links": [], "dropped": [],
                                   "observations": []}  # fmt: skip
    moves: Moves = []
    for a in s.exec(select(Alias).where(Alias.entity_id == gone.id)).all():
        a.entity_id = keep.id
        s.add(a)
        moved["aliases"].append(a.id)
    for f in s.exec(select(Fact).where(Fact.subject_entity_id == gone.id)).all():
        f.subject_entity_id = keep.id
        s.add(f)
        moved["subject_facts"].append(f.id)
    kept_links = set(s.exec(select(FactEntity.fact_id).where(FactEntity.entity_id == keep.id)))
    for link in s.exec(select(FactEntity).where(FactEntity.entity_id == gone.id)).all():
        role, fid = link.role, link.fact_id
        s.delete(link)
        s.flush()
        if fid in kept_links:
            moved["dropped"].append(f"{fid}:{role}")
        else:
            s.add(FactEntity(fact_id=fid, entity_id=keep.id, bank=bank, role=role))
            moved["links"].append(f"{fid}:{role}")
        moves.append((fid, gone.id, keep.id))
    for o in s.exec(select(Observation).where(Observation.entity_id == gone.id)).all():
        o.entity_id, o.stale = keep.id, True
        s.add(o)
        moved["observations"].append(o.id)
    log = MergeLog(bank=bank, kept_id=keep.id, merged_id=gone.id, merged_name=gone.name,
                   merged_kind=gone.kind, moved=moved)  # fmt: skip
    s.add(log)
    s.flush()
    s.delete(gone)
    return log, moves


def split_entity(s: Session, bank: str, name: str) -> tuple[Entity, Moves]:
    """Undo the latest merge that brought `name` in, else split the alias `name` off."""
    norm = normalise_name(name)
    logs = s.exec(
        select(MergeLog)
        .where(MergeLog.bank == bank, col(MergeLog.undone_at).is_(None))
        .order_by(col(MergeLog.at).desc())
    ).all()
    for log in logs:
        alias_norms = {
            a.normalised for a in (s.get(Alias, i) for i in log.moved.get("aliases", [])) if a
        }
        if norm == normalise_name(log.merged_name) or norm in alias_norms:
            return _undo(s, log)
    return _split_alias(s, bank, name, norm)


def _undo(s: Session, log: MergeLog) -> tuple[Entity, Moves]:
    ent = Entity(id=log.merged_id, bank=log.bank, name=log.merged_name, kind=log.merged_kind)
    s.add(ent)
    s.flush()
    moves: Moves = []
    for aid in log.moved.get("aliases", []):
        if (a := s.get(Alias, aid)) is not None:
            a.entity_id = ent.id
            s.add(a)
    for fid in log.moved.get("subject_facts", []):
        if (f := s.get(Fact, fid)) is not None:
            f.subject_entity_id = ent.id
            s.add(f)
    for item in log.moved.get("links", []) + log.moved.get("dropped", []):
        fid, _, role = item.partition(":")
        if (
            item in log.moved.get("links", [])
            and (link := s.get(FactEntity, (fid, log.kept_id))) is not None
        ):
            s.delete(link)
            s.flush()
        if s.get(Fact, fid) is not None:
            s.add(FactEntity(fact_id=fid, entity_id=ent.id, bank=log.bank, role=role))
            moves.append((fid, log.kept_id, ent.id))
    for oid in log.moved.get("observations", []):
        if (o := s.get(Observation, oid)) is not None:
            o.entity_id, o.stale = ent.id, True
            s.add(o)
    log.undone_at = utcnow()
    s.add(log)
    return ent, moves


def _split_alias(s: Session, bank: str, name: str, norm: str) -> tuple[Entity, Moves]:
    owner = find_entity(s, bank, name)
    if owner is None:
        raise MergeError(f"no entity or alias {name!r} in bank {bank!r}", bank=bank)
    if normalise_name(owner.name) == norm:
        raise MergeError(
            f"{name!r} is the canonical name of its entity and no merge brought it in; "
            "split an alias instead (see `engram entity NAME`)",
            bank=bank,
        )
    aliases = s.exec(
        select(Alias).where(Alias.entity_id == owner.id, Alias.normalised == norm)
    ).all()
    ent = Entity(bank=bank, name=aliases[0].alias if aliases else name, kind=owner.kind)
    s.add(ent)
    s.flush()
    for a in aliases:
        a.entity_id = ent.id
        s.add(a)
    moves: Moves = []
    q = select(FactEntity, Fact).join(Fact, Fact.id == FactEntity.fact_id)  # type: ignore[arg-type]
    for link, fact in s.exec(q.where(FactEntity.entity_id == owner.id)).all():
        if f" {norm} " not in f" {normalise_name(fact.text)} ":
            continue
        role = link.role
        s.delete(link)
        s.flush()
        s.add(FactEntity(fact_id=fact.id, entity_id=ent.id, bank=bank, role=role))
        if fact.subject_entity_id == owner.id:
            fact.subject_entity_id = ent.id
            s.add(fact)
        moves.append((fact.id, owner.id, ent.id))
    return ent, moves


def entity_facts(
    s: Session, bank: str, ent: Entity, offset: int, limit: int
) -> tuple[list[Hit], int]:
    """One page of `ent`'s facts in `entity_view`'s time order (occurred, else mentioned), and
    how many it has in all; the sort and the page are the database's, so the cost follows the
    entity's facts, never the bank's."""
    from sqlalchemy import func

    link = (FactEntity.entity_id == ent.id,)  # `ent` is of `bank`: its links are too
    q = (
        select(Fact, Episode)
        .join(FactEntity, FactEntity.fact_id == Fact.id)  # type: ignore[arg-type]
        .join(Episode, Episode.id == Fact.episode_id)  # type: ignore[arg-type]
        .where(*link)
        .order_by(
            func.coalesce(Fact.occurred_start, Fact.mentioned_at),
            col(Fact.mentioned_at),
            col(Fact.id),
        )  # fmt: skip
        .offset(offset)
        .limit(limit)
    )
    total = s.exec(select(func.count()).select_from(FactEntity).where(*link)).one()
    return [_hit(f, ep, [ent.name]) for f, ep in s.exec(q).all()], int(total)
