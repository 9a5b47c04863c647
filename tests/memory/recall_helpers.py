"""A small real Store (SQLite + in-memory vectors + hash embedder) filled with facts directly."""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from storage.schema import Alias, Entity, Episode, Fact, FactEntity
from storage.store import IndexDoc, Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder


def open_store(tmp: Path) -> Store:
    emb = HashEmbedder(64)
    return Store.open(tmp, embedder=emb, vectors=InMemoryVectorIndex(emb.dim))


def add_entity(store: Store, bank: str, name: str) -> str:
    with store.db.session() as s:
        e = Entity(bank=bank, name=name, kind="person")
        s.add(e)
        s.flush()
        s.add(Alias(entity_id=e.id, bank=bank, alias=name, normalised=name.lower()))
        return e.id


def add_fact(
    store: Store,
    bank: str,
    text: str,
    *,
    mentioned: datetime,
    source: str = "",
    occurred: datetime | None = None,
    entities: tuple[str, ...] = (),
    invalidated: datetime | None = None,
    recorded: datetime | None = None,
) -> str:
    with store.db.session() as s:
        ep = Episode(
            bank=bank,
            source=source,
            text=text,
            content_hash=hashlib.sha1(f"{source}{text}".encode()).hexdigest(),
            mentioned_at=mentioned,
        )
        s.add(ep)
        s.flush()
        f = Fact(
            bank=bank,
            episode_id=ep.id,
            text=text,
            span_start=0,
            span_end=len(text),
            occurred_start=occurred,
            mentioned_at=mentioned,
            invalidated_at=invalidated,
        )
        if recorded is not None:
            f.recorded_at = recorded
        s.add(f)
        s.flush()
        for eid in entities:
            s.add(FactEntity(fact_id=f.id, entity_id=eid, bank=bank))
        fid = f.id
    store.index([IndexDoc(id=fid, bank=bank, text=text, entity_ids=list(entities))])
    return fid
