"""Turn vectors: one unit vector per episode (a turn), the normalised mean of its facts'
vectors, for recall's whole-turn channel.

They are derived like the vector index, from vectors already computed: `Store.index` and
`Store.reindex_facts` write the turns of the facts they index (`write_turns`), forget drops the
rows of the turns it changes inside its SQL transaction (`drop_turns`; the re-indexing that
follows writes them again), and `repair_turns` (run by reconcile on open) deletes rows whose
turn has no fact left and backfills missing ones from the stored fact vectors, so a bank made
before this table existed gains them instead of losing the channel. A turn without a row is
scored from its fact vectors at recall, as before.

Stored in SQL (a float32 blob per row), not in a second Chroma collection: reading ~300
candidate turns took 0.9 ms from a SQLite primary key and 7 ms from Chroma `get` (20,000 turns,
384 dimensions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from storage.db import Database
from storage.schema import Fact, TurnVector
from storage.vectors import StoredVectors, VectorIndex

__all__ = ["write_turns", "read_turns", "compute_turns", "drop_turns", "repair_turns", "turn_rows"]

CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def _unit_mean(vectors: Sequence[np.ndarray]) -> np.ndarray | None:
    total = np.sum(np.asarray(vectors, dtype=np.float64), axis=0)
    norm = float(np.linalg.norm(total))
    return (total / norm).astype(np.float32) if norm else None


def _turn_means(
    facts: Iterable[tuple[str, str, str]], vec_of: Mapping[str, np.ndarray]
) -> dict[tuple[str, str], tuple[np.ndarray, int]]:
    """{(episode id, bank): (the normalised mean of its facts' vectors that `vec_of` holds,
    how many)} for the turns of `facts` (fact id, episode id, bank); a turn with none is left
    out."""
    by_ep: dict[tuple[str, str], list[np.ndarray]] = defaultdict(list)
    for fid, ep, bank in facts:
        if fid in vec_of:
            by_ep[(ep, bank)].append(np.asarray(vec_of[fid], dtype=np.float32))
    means = {key: (_unit_mean(vecs), len(vecs)) for key, vecs in by_ep.items()}
    return {key: (m, n) for key, (m, n) in means.items() if m is not None}


def turn_rows(
    facts: Iterable[tuple[str, str, str]], vec_of: Mapping[str, np.ndarray]
) -> list[dict[str, object]]:
    """TurnVector rows for the turns of `facts` (fact id, episode id, bank): each the normalised
    mean of its facts' vectors that `vec_of` holds (a turn with none gets no row)."""
    return [
        {"episode_id": ep, "bank": bank, "dim": mean.shape[0], "facts": n,
         "vector": mean.tobytes()}
        for (ep, bank), (mean, n) in _turn_means(facts, vec_of).items()
    ]  # fmt: skip


def compute_turns(
    s: Session, index: StoredVectors, bank: str, episode_ids: Sequence[str]
) -> dict[str, np.ndarray]:
    """{episode id: unit turn vector} computed from the stored fact vectors, for turns that
    have no row yet (what `read_turns` would give once they are written; ~30 ms for 300 turns,
    one vector read per fact)."""
    facts = [(f, ep, b) for f, ep, b in _facts_of_turns(s, episode_ids) if b == bank]
    vec_of = index.vectors_of([f for f, _, _ in facts], bank)
    return {ep: mean for (ep, _), (mean, _) in _turn_means(facts, vec_of).items()}


def _facts_of_turns_of(s: Session, fact_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """(fact id, episode id, bank) of every fact in the turns of `fact_ids` (one query a
    chunk: the turns by a subquery)."""
    out: set[tuple[str, str, str]] = set()
    for ch in _chunks(fact_ids):
        turns = select(Fact.episode_id).where(col(Fact.id).in_(ch))
        q = select(Fact.id, Fact.episode_id, Fact.bank).where(col(Fact.episode_id).in_(turns))
        out.update(s.exec(q).all())
    return sorted(out)


def _facts_of_turns(s: Session, episode_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for ch in _chunks(episode_ids):
        q = select(Fact.id, Fact.episode_id, Fact.bank).where(col(Fact.episode_id).in_(ch))
        out += s.exec(q).all()
    return out


def _replace(s: Session, rows: list[dict[str, object]], episode_ids: Sequence[str]) -> None:
    for ch in _chunks(episode_ids):
        s.execute(delete(TurnVector).where(col(TurnVector.episode_id).in_(ch)))
    if rows:
        s.execute(insert(TurnVector), rows)


def write_turns(db: Database, index: VectorIndex, vectors: Mapping[str, Sequence[float]]) -> None:
    """(Re)write the turn vectors of the turns of the facts in `vectors` (fact id -> the vector
    just indexed). A turn's other facts are read back from `index`; a new turn's facts are all
    in hand (retain indexes a turn's facts together), so ingest reads no vector."""
    if not vectors:
        return
    vec_of = {f: np.asarray(v, dtype=np.float32) for f, v in vectors.items()}
    with db.session() as s:
        facts = _facts_of_turns_of(s, list(vec_of))
        missing: dict[str, list[str]] = defaultdict(list)
        for fid, _, bank in facts:
            if fid not in vec_of:
                missing[bank].append(fid)
        if missing and isinstance(index, StoredVectors):
            for bank, ids in missing.items():
                vec_of.update(index.vectors_of(ids, bank))
        _replace(s, turn_rows(facts, vec_of), sorted({ep for _, ep, _ in facts}))


def read_turns(
    s: Session, bank: str, episode_ids: Sequence[str], dim: int
) -> dict[str, np.ndarray]:
    """{episode id: unit turn vector} for those of `episode_ids` in `bank` that have one of
    `dim` dimensions (by episode only, bank checked here: one primary-key probe per turn)."""
    out: dict[str, np.ndarray] = {}
    for ch in _chunks(list(episode_ids)):
        q = select(TurnVector.episode_id, TurnVector.bank, TurnVector.dim, TurnVector.vector)
        for ep, b, d, blob in s.exec(q.where(col(TurnVector.episode_id).in_(ch))):
            if b == bank and d == dim:
                out[ep] = np.frombuffer(blob, dtype=np.float32)
    return out


def drop_turns(s: Session, episode_ids: Iterable[str]) -> None:
    """Delete the turn vectors of `episode_ids` (in the caller's transaction)."""
    _replace(s, [], sorted(set(episode_ids)))


def repair_turns(db: Database, index: VectorIndex, batch: int = 2000) -> int:
    """Delete turn vectors whose turn has no fact left; compute the missing ones from the stored
    fact vectors (banks made before turn vectors, a crash before they were written). Returns
    how many turns were written."""
    with db.session() as s:
        have = set(s.exec(select(TurnVector.episode_id)))
        want = set(s.exec(select(Fact.episode_id).distinct()))
        if have - want:
            drop_turns(s, have - want)
    todo = sorted(want - have)
    if not todo or not isinstance(index, StoredVectors):
        return 0
    written = 0
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        with db.session() as s:
            facts = _facts_of_turns(s, part)
            by_bank: dict[str, list[str]] = defaultdict(list)
            for fid, _, bank in facts:
                by_bank[bank].append(fid)
            vec_of: dict[str, np.ndarray] = {}
            for bank, ids in by_bank.items():
                for ch in _chunks(ids):
                    vec_of.update(index.vectors_of(ch, bank))
            # a live writer may have indexed some of these turns meanwhile: its rows stand
            done = {
                ep
                for ch in _chunks(part)
                for ep in s.exec(
                    select(TurnVector.episode_id).where(col(TurnVector.episode_id).in_(ch))
                )
            }
            rows = [r for r in turn_rows(facts, vec_of) if r["episode_id"] not in done]
            _replace(s, rows, [ep for ep in part if ep not in done])
            written += len(rows)
    return written
