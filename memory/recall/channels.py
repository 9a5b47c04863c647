"""Recall channels. Each returns `[(fact_id, score)]`, best first, capped, scoped to one bank.

- vector: query embedding vs fact embeddings (the store's vector index);
- keyword: BM25 through the store's keyword index;
- graph: entities named in the query -> spreading activation over the entity-fact graph;
- temporal: facts whose occurred (or mentioned) time overlaps the query's time range.

Channels only rank ids; validity filters (`as_of`, superseded) are applied when the rows are
loaded, so every channel over-fetches a little.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func
from sqlmodel import col, select

from memory.models import TimeRange
from storage.store import Store

__all__ = [
    "ChannelHits",
    "vector_channel",
    "keyword_channel",
    "graph_channel",
    "temporal_channel",
    "known_entities_in",
]

ChannelHits = list[tuple[str, float]]
HUB_DEGREE = 300  # entities with more facts than this only score candidates, never spread
GRAPH_BUDGET = 5_000  # edges one query's spreading activation may walk
SPAN_WINDOW = timedelta(days=400)  # longest occurred span the temporal channel looks back for
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def vector_channel(
    store: Store,
    query_vec: Sequence[float],
    bank: str,
    cap: int,
    where: dict[str, str] | None = None,
) -> ChannelHits:
    return list(store.vectors.query(query_vec, cap, bank, where))


def keyword_channel(store: Store, query: str, bank: str, cap: int) -> ChannelHits:
    return list(store.keywords.query(query, cap, bank))


def _ngrams(query: str, n_max: int = 4) -> list[str]:
    """Word n-grams of the query, normalised like alias names (memory.resolve.normalise_name)."""
    from memory.resolve import normalise_name

    words = _WORD.findall(query)
    grams = {
        normalise_name(" ".join(words[i : i + n]))
        for n in range(1, n_max + 1)
        for i in range(len(words) - n + 1)
    }
    return sorted(g for g in grams if g)


def known_entities_in(store: Store, query: str, bank: str) -> dict[str, str]:
    """Known entities whose alias appears in the query: {entity_id: matched alias}. (Finding
    new names in a text is `memory.extract.entities.spot_entities`; this only looks up the
    bank's aliases among the query's word n-grams, so lower-case names are found too.)"""
    from storage.schema import Alias, Entity

    grams = _ngrams(query)
    if not grams:
        return {}
    with store.db.session() as s:
        rows = s.exec(
            select(Alias.entity_id, Alias.normalised).where(
                Alias.bank == bank, col(Alias.normalised).in_(grams)
            )
        ).all()
        if not rows:  # canonical names, in case an entity has no alias row
            rows = s.exec(
                select(Entity.id, func.lower(Entity.name)).where(
                    Entity.bank == bank, func.lower(Entity.name).in_(grams)
                )
            ).all()
    found: dict[str, str] = {}
    for eid, norm in rows:
        if len(norm) > len(found.get(eid, "")):
            found[eid] = norm
    return found


def graph_channel(
    store: Store, entity_ids: Sequence[str], bank: str, cap: int, pool: Sequence[str] = ()
) -> ChannelHits:
    """Entities named in the query, spread over the entity-fact graph.

    Two parts, merged by max: facts reached by spreading activation from the query entities
    (new candidates the text channels missed), and every candidate already in `pool` scored by
    the share of query entities it mentions (a fact about both "Jon" and "Gina" beats one about
    either). Hub entities (a speaker in every turn) do not spread: their facts tie, and walking
    them costs time at scale."""
    if not entity_ids:
        return []
    graph = store.fresh_graph(bank)  # reloaded first if another process wrote
    specific = [e for e in entity_ids if graph.degree(e, bank) <= HUB_DEGREE]
    reached = (
        dict(graph.activate(specific, bank, limit=cap, max_degree=HUB_DEGREE, budget=GRAPH_BUDGET))
        if specific
        else {}
    )
    top = max(reached.values(), default=0.0) or 1.0
    scores = {f: 0.5 * s / top for f, s in reached.items()}
    seeds = set(entity_ids)
    for f in pool:
        share = len(seeds.intersection(graph.entities_of(f))) / len(seeds)
        if share > 0:
            scores[f] = max(scores.get(f, 0.0), share)
    return sorted(scores.items(), key=lambda kv: -kv[1])


def temporal_channel(store: Store, time_range: TimeRange, bank: str, cap: int) -> ChannelHits:
    """Facts whose occurred span (else mention time) overlaps `time_range`, ranked by how close
    their time is to the range's centre (1.0 at the centre, falling off with distance).

    The `cap` nearest are read outward from the centre: for each time column, one index scan
    forward and one backward ((bank, occurred_start) and (bank, mentioned_at)), each stopping
    after `cap` rows, so the cost does not grow with how many facts the range holds. Spans that
    began before the range (up to `SPAN_WINDOW` earlier) and reach into it are read only when
    the range itself holds fewer than `cap`: they are farther from the centre than any of it."""
    from storage.schema import Fact

    centre = _centre(time_range)
    occ, men = col(Fact.occurred_start), col(Fact.mentioned_at)
    rows: list[tuple[str, datetime | None]] = []
    with store.db.session() as s:

        def nearest(column: Any, extra: Any, lo: Any, hi: Any, limit: int) -> None:
            for cond, order in _outward(column, lo, hi, centre):
                stmt = select(Fact.id, column).where(Fact.bank == bank, extra, cond)
                rows.extend(s.exec(stmt.order_by(order).limit(limit)).all())

        nearest(occ, occ.is_not(None), time_range.start, time_range.end, cap)
        nearest(men, occ.is_(None), time_range.start, time_range.end, cap)
        if len(rows) < cap and time_range.start is not None:
            reach = func.coalesce(col(Fact.occurred_end), occ) >= time_range.start
            early = and_(occ >= time_range.start - SPAN_WINDOW, occ < time_range.start, reach)
            stmt = select(Fact.id, occ).where(Fact.bank == bank, early)
            rows.extend(s.exec(stmt.order_by(occ.desc()).limit(cap)).all())
    scored = {fid: _closeness(t, centre) for fid, t in rows}
    return sorted(scored.items(), key=lambda kv: -kv[1])[:cap]


def _outward(
    column: Any, lo: datetime | None, hi: datetime | None, centre: datetime | None
) -> list[tuple[Any, Any]]:
    """(condition, order) of the scans reading `column` outward from `centre` within [lo, hi)."""
    if centre is None:
        return [(_between(column, lo, hi), column)]
    return [
        (_between(column, centre, hi), column.asc()),
        (_between(column, lo, centre), column.desc()),
    ]


def _between(column: Any, lo: datetime | None, hi: datetime | None) -> Any:
    """lo <= column < hi (either bound may be open): an index range scan."""
    conds = [column.is_not(None)]
    if lo is not None:
        conds.append(column >= lo)
    if hi is not None:
        conds.append(column < hi)
    return and_(*conds)


def _centre(r: TimeRange) -> datetime | None:
    if r.start and r.end:
        return r.start + (r.end - r.start) / 2
    return r.start or r.end


def _closeness(t: datetime | None, centre: datetime | None) -> float:
    if t is None or centre is None:
        return 0.5
    days = abs((t - centre).total_seconds()) / 86400.0
    return 1.0 / (1.0 + days / 30.0)
