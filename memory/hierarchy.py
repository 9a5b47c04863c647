"""Observations and mental models as stored records (the clusters come from the pure module
`memory.consolidate`; beliefs are stored by `memory.belief_store`).

- observations: recomputed per entity from its current facts, deduplicated by `key`;
- mental models: standing questions; marked stale when facts arrive, refreshed on demand.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete as sa_delete
from sqlalchemy import or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from storage.db import insert_rows
from storage.schema import (
    Entity,
    Fact,
    MentalModel,
    Observation,
    ObservationFact,
    utcnow,
)
from storage.store import IndexDoc

__all__ = [
    "IndexDelta",
    "refresh_observations",
    "refresh_groups",
    "GroupWindows",
    "mark_models_stale",
]

MAX_FACTS_PER_GROUP = 300  # newest current facts clustered per slot group


@dataclass
class IndexDelta:
    """Index changes that follow an SQL change: docs to (re)index and ids to drop."""

    docs: list[IndexDoc] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rewritten: set[str] = field(default_factory=set)  # ids in `docs` indexed before (new text)

    def extend(self, other: IndexDelta) -> None:
        self.docs += other.docs
        self.removed += other.removed
        self.rewritten |= other.rewritten


# -- observations ----------------------------------------------------------------------------
# An entity's observations are clustered per slot group (subject + normalised predicate: see
# `memory.consolidate`), and groups never share facts. So a retain only re-clusters the groups
# its new facts landed in (supersession retires facts of the same slot, hence the same group),
# and the cost follows the group's size, not the subject's whole history.


def _group_of(key: str) -> str:
    """The normalised predicate in an observation key (`subject|predicate|object tokens`)."""
    parts = key.rsplit("|", 2)
    return parts[1] if len(parts) == 3 else ""


def _subject_of(key: str) -> str:
    return key.rsplit("|", 2)[0]


def _stored_predicates(
    s: Session, bank: str, entity_ids: Sequence[str]
) -> dict[str, dict[str, list[str]]]:
    """{entity id: {normalised predicate: the stored predicate values that normalise to it}}
    for the entities' facts (covering scans of the (bank, subject, predicate) index, one query
    per 500 entities)."""
    from memory.slots import normalise_predicate

    out: dict[str, dict[str, list[str]]] = {}
    ids = sorted(set(entity_ids))
    for i in range(0, len(ids), 500):
        q = (
            select(Fact.subject_entity_id, Fact.predicate)
            .where(Fact.bank == bank, col(Fact.subject_entity_id).in_(ids[i : i + 500]))
            .where(col(Fact.predicate).is_not(None))
            .distinct()
        )
        for eid, p in s.exec(q):
            if p and eid:
                out.setdefault(eid, {}).setdefault(normalise_predicate(p), []).append(p)
    return out


def _names(s: Session, bank: str, entity_ids: Sequence[str]) -> dict[str, str]:
    """{entity id: canonical name} for those of the entities that exist in `bank`. (By primary
    key alone: with `bank = ?` in the query SQLite walked the bank's entities instead.)"""
    out: dict[str, str] = {}
    ids = sorted(set(entity_ids))
    for i in range(0, len(ids), 500):
        q = select(Entity.id, Entity.name, Entity.bank).where(col(Entity.id).in_(ids[i : i + 500]))
        out.update((eid, name) for eid, name, b in s.exec(q).all() if b == bank)
    return out


def _observations(
    s: Session, bank: str, eid: str, name: str | None, preds: set[str] | None
) -> tuple[list[Observation], bool]:
    """The entity's observations to reconsider, and whether the whole entity is recomputed:
    it is when `preds` is None, when the entity is gone, and when any of its observations is
    stale (merge, split) or carries another name (the entity was renamed to a fuller name).

    Otherwise only the touched groups' observations are loaded (keys `name|group|...`): a
    well-known entity has thousands, and loading them all whenever a retain mentioned it was a
    fifth of the commit at 100k facts."""
    mine = select(Observation).where(Observation.bank == bank, Observation.entity_id == eid)
    if preds is None or name is None:
        return list(s.exec(mine).all()), True
    subject = name.casefold()
    key = col(Observation.key)
    # one query: the touched groups' rows plus any row that forces a whole recompute
    touched = [key.startswith(f"{subject}|{g}|", autoescape=True) for g in sorted(preds)]
    odd = col(Observation.stale) | ~key.startswith(f"{subject}|", autoescape=True)
    rows = s.exec(mine.where(or_(odd, *touched))).all()
    if any(o.stale or _subject_of(o.key) != subject for o in rows):
        return list(s.exec(mine).all()), True
    # SQLite's LIKE ignores ASCII case: keep exactly this subject's touched groups
    return [o for o in rows if _group_of(o.key) in preds], False


_Row = tuple[str, str | None, str | None, datetime, datetime | None]  # id pred obj mentioned occ


def _newest_first(r: _Row) -> tuple[float, str]:
    return (-r[3].timestamp(), r[0])  # the SQL order of `_load_group`


def _load_group(s: Session, bank: str, entity_id: str, stored: list[str]) -> list[_Row]:
    """Current facts of one slot group, newest first, capped at MAX_FACTS_PER_GROUP."""
    q = (  # plain columns, not ORM objects: this runs for touched groups on every retain
        sa_select(
            col(Fact.id),
            col(Fact.predicate),
            col(Fact.object),
            col(Fact.mentioned_at),
            col(Fact.occurred_start),
        )
        .where(
            col(Fact.bank) == bank,
            col(Fact.subject_entity_id) == entity_id,
            col(Fact.predicate).in_(sorted(stored)),
            col(Fact.invalidated_at).is_(None),
        )
        .order_by(col(Fact.mentioned_at).desc(), col(Fact.id))
        .limit(MAX_FACTS_PER_GROUP)
    )
    return [tuple(r) for r in s.execute(q).all()]  # type: ignore[misc]


@dataclass
class _Window:
    rows: list[_Row]  # the group's newest current facts, newest first
    complete: bool  # every current fact of the group is in `rows`


class GroupWindows:
    """Each slot group's clustering window (its newest current facts) kept in memory between
    retains, so a refresh re-clusters it without reading the group back from SQL: retain
    `note`s each new fact and the facts it retired, and the window is updated from those.

    Valid only while this process's retains are the bank's only writers: the owner drops the
    bank (`invalidate`) when anything else changed it (another process, merge, split, forget,
    a rolled-back commit). A window that cannot be updated exactly (a retired fact inside a
    window that does not hold the whole group) is read again from SQL."""

    def __init__(self, max_groups: int = 50_000) -> None:
        self.max_groups = max_groups
        self._windows: OrderedDict[tuple[str, str, str], _Window] = OrderedDict()
        self._pending: dict[tuple[str, str, str], tuple[list[Fact], set[str]]] = {}

    def invalidate(self, bank: str | None = None) -> None:
        if bank is None:
            self._windows.clear()
            self._pending.clear()
            return
        for key in [k for k in self._windows if k[0] == bank]:
            del self._windows[key]
        for key in [k for k in self._pending if k[0] == bank]:
            del self._pending[key]

    def note(self, fact: Fact, retired: Iterable[str] = ()) -> None:
        """A new fact of its slot group and the facts it retired, applied at the next refresh."""
        from memory.slots import normalise_predicate

        if not fact.subject_entity_id or not fact.predicate:
            return
        key = (fact.bank, fact.subject_entity_id, normalise_predicate(fact.predicate))
        new, gone = self._pending.setdefault(key, ([], set()))
        new.append(fact)
        gone.update(retired)

    def rows(
        self, s: Session, bank: str, entity_id: str, group: str, stored: list[str]
    ) -> list[_Row]:
        key = (bank, entity_id, group)
        new, gone = self._pending.pop(key, ([], set()))
        w = self._windows.pop(key, None)
        w = _advance(w, new, gone) if w is not None else None
        if w is None:
            rows = _load_group(s, bank, entity_id, stored)
            w = _Window(rows, len(rows) < MAX_FACTS_PER_GROUP)
        self._windows[key] = w
        while len(self._windows) > self.max_groups:
            self._windows.popitem(last=False)
        return w.rows

    def settle(self, bank: str) -> None:
        """Drop what a refresh left unapplied (and the windows it concerned)."""
        for key in [k for k in self._pending if k[0] == bank]:
            del self._pending[key]
            self._windows.pop(key, None)


def _advance(w: _Window, new: list[Fact], gone: set[str]) -> _Window | None:
    gone = gone | {f.id for f in new if f.invalidated_at is not None}
    rows = w.rows
    if any(r[0] in gone for r in rows):
        if not w.complete:
            return None  # the next older fact would move into the window: read it again
        rows = [r for r in rows if r[0] not in gone]
    have = {r[0] for r in rows}
    add: list[_Row] = [
        (f.id, f.predicate, f.object, f.mentioned_at, f.occurred_start)
        for f in new
        if f.id not in gone and f.id not in have
    ]
    if add:
        rows = sorted(rows + add, key=_newest_first)
    complete = w.complete and len(rows) <= MAX_FACTS_PER_GROUP
    return _Window(rows[:MAX_FACTS_PER_GROUP], complete)


def refresh_observations(s: Session, bank: str, entity_ids: Iterable[str]) -> IndexDelta:
    """Recompute all observations of each entity (after forget, merge, split)."""
    return refresh_groups(s, bank, {eid: None for eid in entity_ids})


def refresh_groups(
    s: Session,
    bank: str,
    groups: Mapping[str, Iterable[str] | None],
    windows: GroupWindows | None = None,
) -> IndexDelta:
    """Recompute the observations of the given slot groups: {entity id: normalised predicates
    whose facts changed, or None for all}; upsert by key, drop those no longer supported.

    An entity whose observations were marked stale (merge/split) or carry an old name (the
    entity was renamed to a fuller name) is recomputed whole. `windows` (kept by the caller
    across calls) saves reading each group's facts back from SQL."""
    delta = IndexDelta()
    eids = sorted(groups)
    names = _names(s, bank, eids)
    stored = _stored_predicates(s, bank, list(names))
    links: list[dict[str, str]] = []  # new observation links, inserted once at the end
    for eid in eids:
        touched = groups[eid]
        preds = None if touched is None else set(touched)
        name, predicates = names.get(eid), stored.get(eid, {})
        links += _refresh_entity(s, bank, eid, preds, delta, windows, name, predicates)
    if windows is not None:
        windows.settle(bank)
    insert_rows(s, ObservationFact, links)
    if delta.docs or delta.removed:
        mark_models_stale(s, bank)
    return delta


def _refresh_entity(
    s: Session,
    bank: str,
    eid: str,
    preds: set[str] | None,
    delta: IndexDelta,
    windows: GroupWindows | None,
    name: str | None,
    stored: dict[str, list[str]],
) -> list[dict[str, str]]:
    """`name`: the entity's canonical name (None: it is gone); `stored`: its predicates.
    Returns the observation links to insert (`_relink`)."""
    from memory.consolidate import FactView, consolidate

    mine, whole = _observations(s, bank, eid, name, preds)
    if whole:
        preds = None
    elif preds is not None and not preds:
        return []
    scope = set(stored) if preds is None else preds & set(stored)
    drafts = []
    if name is not None:
        for g in sorted(scope):
            rows = (
                windows.rows(s, bank, eid, g, stored[g])
                if windows is not None
                else _load_group(s, bank, eid, stored[g])
            )
            drafts += consolidate([FactView(r[0], "", name, *r[1:]) for r in rows])
    old = {o.key: o for o in mine if preds is None or _group_of(o.key) in preds}
    links = _links(s, [o.id for o in old.values()])
    added: list[dict[str, str]] = []
    for d in drafts:
        fresh = d.key not in old
        obs = old.pop(d.key, None) or Observation(bank=bank, key=d.key, text=d.text, entity_id=eid)
        # the indexes hold only the text: a new proof count alone is an SQL change
        reindex = fresh or obs.text != d.text or obs.stale
        if reindex or obs.proof_count != len(d.fact_ids) or set(d.fact_ids) != links.get(obs.id):
            obs.text, obs.proof_count, obs.stale = d.text, len(d.fact_ids), False
            obs.updated_at = utcnow()
            s.add(obs)
            added += _relink(s, bank, obs.id, links.get(obs.id, set()), set(d.fact_ids))
        if reindex:
            delta.docs.append(IndexDoc(obs.id, bank, obs.text, "observation", "observation"))
            if not fresh:
                delta.rewritten.add(obs.id)
    for obs in old.values():
        s.execute(sa_delete(ObservationFact).where(col(ObservationFact.observation_id) == obs.id))
        s.delete(obs)
        delta.removed.append(obs.id)
    return added


def _links(s: Session, obs_ids: list[str]) -> dict[str, set[str]]:
    """Each observation's current fact links."""
    out: dict[str, set[str]] = {}
    if obs_ids:
        q = select(ObservationFact.observation_id, ObservationFact.fact_id).where(
            col(ObservationFact.observation_id).in_(obs_ids)
        )
        for oid, fid in s.exec(q):
            out.setdefault(oid, set()).add(fid)
    return out


def _relink(
    s: Session, bank: str, obs_id: str, have: set[str], want: set[str]
) -> list[dict[str, str]]:
    """Make the observation's links exactly `want`, touching only the difference (the links of
    a well-supported observation were all deleted and re-inserted on every retain): deletes
    the links no longer wanted and returns the rows to insert."""
    gone = sorted(have - want)
    for i in range(0, len(gone), 500):
        s.execute(
            sa_delete(ObservationFact).where(
                col(ObservationFact.observation_id) == obs_id,
                col(ObservationFact.fact_id).in_(gone[i : i + 500]),
            )
        )
    return [{"observation_id": obs_id, "fact_id": fid, "bank": bank} for fid in sorted(want - have)]


def mark_models_stale(s: Session, bank: str) -> None:
    for m in s.exec(select(MentalModel).where(MentalModel.bank == bank, ~col(MentalModel.stale))):
        m.stale = True
        s.add(m)
