"""Bring the derived indexes back in step with SQL (run on open).

A process killed between the SQL commit and the index writes leaves facts that SQL has but the
vector/keyword indexes lack; a kill during forget leaves index entries whose rows are gone.
`reconcile` indexes the first and drops the second, then brings the turn vectors in step
(storage.turns.repair_turns: backfilled for banks made before them). The graph is rebuilt from
SQL on open, so it needs no repair here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from storage.schema import Fact, FactEntity, MentalModel, Observation
from storage.store import IndexDoc, Store
from storage.turns import repair_turns

__all__ = ["reconcile", "ReconcileReport", "expected_docs"]


@dataclass
class ReconcileReport:
    indexed: int = 0
    dropped: int = 0
    turns: int = 0  # turn vectors backfilled (storage.turns)


def expected_docs(store: Store) -> dict[str, IndexDoc]:
    """Every doc SQL says should be indexed, by id."""
    docs: dict[str, IndexDoc] = {}
    with store.db.session() as s:
        for fid, bank, text, kind in s.exec(select(Fact.id, Fact.bank, Fact.text, Fact.kind)):
            docs[fid] = IndexDoc(fid, bank, text, "fact", kind)
        for oid, bank, text in s.exec(select(Observation.id, Observation.bank, Observation.text)):
            docs[oid] = IndexDoc(oid, bank, text, "observation", "observation")
        for mid, bank, summary in s.exec(
            select(MentalModel.id, MentalModel.bank, MentalModel.summary)
        ):
            if summary:
                docs[mid] = IndexDoc(mid, bank, summary, "mental_model", "mental_model")
    return docs


def _links(store: Store, fact_ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {f: [] for f in fact_ids}
    with store.db.session() as s:
        for i in range(0, len(fact_ids), 500):
            chunk = fact_ids[i : i + 500]
            q = select(FactEntity.fact_id, FactEntity.entity_id).where(
                FactEntity.fact_id.in_(chunk)  # type: ignore[attr-defined]
            )
            for fid, eid in s.exec(q):
                out[fid].append(eid)
    return out


def reconcile(store: Store, batch: int = 256) -> ReconcileReport:
    # Indexes first, SQL second: a writer commits SQL before indexing, so an id seen in an index
    # is already in SQL and live writers' fresh entries are never taken for orphans.
    have_v = store.vectors.ids()
    have_k = store.keywords.ids()
    want = expected_docs(store)
    missing = [d for i, d in want.items() if i not in have_v or i not in have_k]
    orphans = sorted((have_v | have_k) - set(want))
    if orphans:
        store.unindex(orphans)
    links = _links(store, [d.id for d in missing if d.layer == "fact"])
    for d in missing:
        d.entity_ids = links.get(d.id, [])
    for i in range(0, len(missing), batch):
        store.index(missing[i : i + batch])
    turns = repair_turns(store.db, store.vectors)
    return ReconcileReport(indexed=len(missing), dropped=len(orphans), turns=turns)
