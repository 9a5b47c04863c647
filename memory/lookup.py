"""Read-only lookups the agent's answers need beyond the facade's recall/entity/beliefs.

- `fact_records(memory, ids, bank=...)`: for fact ids (a hit's, an observation's proof facts, a
  belief's evidence), the fact with its provenance (source, span, times), the entities it names
  (canonical name, kind, role) and the speaker of its line ("Lena: ..." in a transcript);
- `sibling_ids(memory, ids, bank=...)`: the ids of the other facts of the same episodes (recall
  shows one fact per passage; an answer may need the sentence next to it);
- `superseded_ids(memory, ids, bank=...)`: for fact ids, the ids of the facts each one
  superseded (a change's old statements);
- `similarities(memory, query, texts)`: cosine similarity of each text to `query` with the
  memory's own embedder (the model its vectors come from).

Nothing here writes. Functions, not `Memory` methods, so the facade stays as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from storage.index_text import speaker_at
from storage.schema import Entity, Episode, Fact, FactEntity

__all__ = [
    "NamedEntity",
    "FactRecord",
    "fact_records",
    "sibling_ids",
    "similarities",
    "superseded_ids",
]

_SPEAKER_WINDOW = 300  # chars before a fact searched for the "Name: " opening its line


@dataclass(frozen=True)
class NamedEntity:
    name: str  # canonical
    kind: str
    role: str  # "subject" | "mention"


@dataclass
class FactRecord:
    id: str
    text: str
    source: str | None
    span: tuple[int, int] | None
    when: datetime | None  # occurred start
    mentioned_at: datetime
    invalidated_at: datetime | None
    superseded_by: str | None
    kind: str
    entities: list[NamedEntity] = field(default_factory=list)
    speaker: str | None = None
    change: dict[str, Any] | None = None  # the change the fact states: {"old", "new", "cues"}
    supersession: dict[str, Any] | None = (
        None  # why it was retired: {"old_value", "new_value", ...}
    )


def fact_records(
    memory: Any, ids: Sequence[str], *, bank: str = "default"
) -> dict[str, FactRecord]:
    """{fact id: FactRecord} for the ids found in `bank` (unknown ids are left out)."""
    wanted = sorted(set(ids))
    out: dict[str, FactRecord] = {}
    with memory.store.db.session() as s:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            rows = s.exec(
                select(Fact, Episode)
                .join(Episode, col(Episode.id) == col(Fact.episode_id))
                .where(Fact.bank == bank, col(Fact.id).in_(chunk))
            ).all()
            for f, ep in rows:
                out[f.id] = _record(f, ep)
            links = s.exec(
                select(FactEntity.fact_id, FactEntity.role, Entity.name, Entity.kind)
                .join(Entity, col(Entity.id) == col(FactEntity.entity_id))
                .where(FactEntity.bank == bank, col(FactEntity.fact_id).in_(chunk))
            ).all()
            for fid, role, name, kind in links:
                if fid in out:
                    out[fid].entities.append(NamedEntity(name, kind, role))
    return out


def sibling_ids(
    memory: Any, ids: Sequence[str], *, bank: str = "default", per_episode: int = 40
) -> list[str]:
    """Ids of the facts that share an episode with any of `ids` (at most `per_episode` of
    each episode, in text order), the given ids excluded."""
    given = set(ids)
    out: list[str] = []
    with memory.store.db.session() as s:
        eps = sorted(set(s.exec(
            select(Fact.episode_id).where(Fact.bank == bank, col(Fact.id).in_(sorted(given)))
        ).all()))  # fmt: skip
        for i in range(0, len(eps), 200):
            rows = s.exec(
                select(Fact.id, Fact.episode_id)
                .where(Fact.bank == bank, col(Fact.episode_id).in_(eps[i : i + 200]))
                .order_by(col(Fact.episode_id), col(Fact.span_start))
            ).all()
            count: dict[str, int] = {}
            for fid, ep in rows:
                count[ep] = count.get(ep, 0) + 1
                if fid not in given and count[ep] <= per_episode:
                    out.append(fid)
    return out


def superseded_ids(
    memory: Any, ids: Sequence[str], *, bank: str = "default"
) -> dict[str, list[str]]:
    """{fact id: the ids of the facts it superseded} for those of `ids` that superseded any."""
    out: dict[str, list[str]] = {}
    wanted = sorted(set(ids))
    with memory.store.db.session() as s:
        for i in range(0, len(wanted), 500):
            rows = s.exec(
                select(Fact.id, Fact.superseded_by)
                .where(Fact.bank == bank, col(Fact.superseded_by).in_(wanted[i : i + 500]))
                .order_by(col(Fact.mentioned_at))
            ).all()
            for fid, by in rows:
                out.setdefault(str(by), []).append(fid)
    return out


def _record(f: Fact, ep: Episode) -> FactRecord:
    span = (f.span_start, f.span_end) if f.span_start >= 0 else None
    speaker = None
    if span is not None:
        lo = max(0, span[0] - _SPEAKER_WINDOW)
        window = ep.text[lo : span[0] + 1]
        if lo == 0 or "\n" in window[: span[0] - lo]:  # the line's start is in the window
            speaker = speaker_at(window, span[0] - lo)
    return FactRecord(
        id=f.id,
        text=f.text,
        source=ep.source or None,
        span=span,
        when=f.occurred_start,
        mentioned_at=f.mentioned_at,
        invalidated_at=f.invalidated_at,
        superseded_by=f.superseded_by,
        kind=f.kind,
        speaker=speaker,
        change=(f.slot or {}).get("change") or None,
        supersession=f.supersession or None,
    )


def similarities(memory: Any, query: str, texts: Sequence[str]) -> list[float]:
    """Cosine similarity of each of `texts` to `query` (the embedder's vectors are unit length)."""
    if not texts:
        return []
    import numpy as np

    vecs = np.asarray(memory.store.embedder.embed([query, *texts]), dtype=np.float32)
    return [float(x) for x in vecs[1:] @ vecs[0]]
