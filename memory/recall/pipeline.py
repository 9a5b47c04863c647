"""Hybrid recall: channels -> cap -> load valid rows -> fuse -> context expansion -> hits.

Channels: vector (sentence-level), keyword (passage-level), graph, temporal, and a whole-turn
channel scored after the rows load (the mean of each candidate turn's stored fact vectors
against the query vector; `RecallConfig.turn_weight`).

There is no reranker stage: a bi-encoder reranker only re-scores with the same kind of signal
the vector channel already fused in (it lost recall in our measurements, at 16x the latency;
bench/RESULTS.md), and no cross-encoder runs offline.

`recall(store, query, bank=...)` needs a store with `db` (storage.db.Database), `vectors`
(VectorIndex over fact ids), `keywords` (KeywordIndex over fact ids) and `embedder`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlmodel import col, select

from memory.models import Hit, TimeRange
from memory.recall.anchors import Anchor, find_anchor
from memory.recall.channels import (
    ChannelHits,
    graph_channel,
    keyword_channel,
    known_entities_in,
    temporal_channel,
    vector_channel,
)
from memory.recall.fusion import (
    boost_speakers,
    distinct_passages,
    expand_context,
    fuse_scores,
    one_per_group,
    spread_to_passage,
)
from memory.recall.layers import layer_hits
from memory.recall.query import QueryAnalysis, analyse_query, without_names
from memory.recall.rows import SPEAKER_WINDOW, load_rows, supersession_notes
from storage.index_text import passage_key, speaker_at
from storage.store import Store
from storage.turns import compute_turns, read_turns
from storage.vectors import StoredVectors

__all__ = ["recall", "RecallConfig"]


@dataclass
class RecallConfig:
    """Caps and knobs. Defaults are general-purpose, not fitted to any benchmark."""

    vector_cap: int = 200  # sentence-level hits: an answer sentence alone often ranks low, and a
    # pool wider than the passages it fuses with lets the other channels lift it
    keyword_cap: int = 200  # passages when keyword_per_passage, else facts. Fusion gives a
    # candidate the keyword channel did not return that channel's floor (its worst z-score),
    # so an answer turn that shares only one or two query words with the question, beyond the
    # cap, is pushed below every turn that matched: the case of a question whose answer is
    # spread over turns each holding a different part of it. 100 -> 200 on the same kept
    # stores: LoCoMo dev R@10 0.756 -> 0.770, multi-hop 0.479 -> 0.500; LongMemEval turn
    # R@10 not lower on the banks measured (bench/RESULTS.md). 300 gained little more at +18%
    # recall time
    keyword_per_passage: bool = True  # one keyword hit per passage; siblings share its score
    keyword_overfetch: int = 3  # ids fetched per passage slot (a passage holds ~3 facts)
    graph_cap: int = 100
    temporal_cap: int = 100
    context_alpha: float = 0.2  # neighbour-episode lift (see fusion.expand_context)
    context_pool: int = 60  # how many fused candidates take part in context expansion
    history_penalty: float = 0.3  # superseded facts, when a history question lets them in
    one_per_passage: bool = True  # the best fact of a turn/paragraph stands for its siblings
    speaker_boost: float = 1.0  # z-score units: facts said by a person the query names
    name_free_weight: float = 0.5  # share of the name-free query in the query vector (0: off)
    turn_weight: float = 1.5  # whole-turn channel: query vs the mean of a turn's fact vectors;
    # a long turn's topic is spread over sentences no one of which matches (LongMemEval all@5
    # 0.917 -> 0.983, LoCoMo R@10 0.748 -> 0.749; bench/RESULTS.md). 0 turns it off
    turn_pool: int = 300  # candidate turns it scores: the rest get its floor, so keep it wide
    # (60: LoCoMo R@10 -0.023)
    personal_boost: float = 1.0  # z-score units onto first-person facts (kind "experience"):
    # what the people of a memory did, decided and have is what it is asked about, and a
    # remark addressed to the other speaker rarely is (LoCoMo dev R@10 +0.010, multi-hop
    # +0.024 with question_penalty; LongMemEval unchanged; bench/RESULTS.md). 0 turns it off
    question_penalty: float = 1.0  # z-score units off a fact that is a question: it asks for
    # what the memory should hold, its answer is another turn's


@dataclass
class _Row:
    fact: Any
    source: str


async def recall(
    store: Store,
    query: str,
    *,
    bank: str,
    k: int = 10,
    time_range: TimeRange | None = None,
    as_of: datetime | None = None,
    now: datetime | None = None,
    layers: Sequence[str] = ("fact", "observation", "mental_model"),
    explain: bool = False,
    config: RecallConfig | None = None,
) -> list[Hit]:
    """Top-k hits for `query` in `bank` (see the module doc and DESIGN.md).

    The vector index is filtered on the bank only (a compound Chroma filter is several times
    slower); observation/mental-model ids it returns are dropped when rows load from SQL."""
    cfg = config or RecallConfig()
    if not query.strip() or k <= 0:
        return []
    now = now or as_of or datetime.now(UTC)
    a = analyse_query(query, now=now)
    with store.db.one_session():  # one connection and transaction for the dozen reads below
        anchor = find_anchor(store, bank, query)
        if anchor is not None:  # undated layers are before or after nothing
            layers = tuple(x for x in layers if x == "fact")
        chans, entities, qvec = _run_channels(store, a, bank, time_range, cfg)
        rows = _load_rows(store, bank, {d for r in chans.values() for d, _ in r})
        history = a.wants_history or as_of is not None
        rows = _valid(rows, as_of, time_range, include_superseded=history)
        if anchor is not None:
            rows = {f: r for f, r in rows.items() if _anchored(r, anchor)}
        chans = {n: [(d, s) for d, s in r if d in rows] for n, r in chans.items()}
        if cfg.keyword_per_passage:
            chans["keyword"] = spread_to_passage(
                chans["keyword"], rows, lambda f: _passage_of(rows[f])
            )
        weights = a.weights.as_dict()
        if cfg.turn_weight and isinstance(store.vectors, StoredVectors):
            chans["turn"] = _turn_channel(
                store, store.vectors, bank, qvec, chans, rows, cfg.turn_pool
            )
            weights["turn"] = cfg.turn_weight
        scores = fuse_scores(chans, weights)
        scores = _by_statement(scores, rows, cfg.personal_boost, cfg.question_penalty)
        scores = _penalise_superseded(scores, rows, as_of, cfg.history_penalty)
        scores = _expand(store, bank, scores, rows, cfg)
        scores = _boost_speakers(store, bank, scores, rows, entities, cfg.speaker_boost)
    order = sorted(scores, key=lambda f: -scores[f])
    lookup = {n: {d: (i, s) for i, (d, s) in enumerate(r, 1)} for n, r in chans.items()}
    if cfg.one_per_passage:
        order = one_per_group(order, lambda f: _passage_of(rows[f]))
    top = order[:k] if "fact" in layers else []
    retired = [f for f in top if rows[f].fact.retired] if explain else []
    notes = supersession_notes(store, bank, retired)
    hits = [_hit(rows[f], scores[f], lookup, entities, explain, a, notes) for f in top]
    extra = layer_hits(store, bank, layers, scores, explain) if set(layers) - {"fact"} else []
    return sorted(hits + extra, key=lambda h: -h.score)[:k]


def _run_channels(
    store: Store, a: QueryAnalysis, bank: str, time_range: TimeRange | None, cfg: RecallConfig
) -> tuple[dict[str, ChannelHits], dict[str, str], list[float]]:
    entities = known_entities_in(store, a.text, bank)
    people = _people(store, entities) if cfg.name_free_weight else []
    qvec = _query_vector(store, a.text, people, cfg.name_free_weight)
    chans: dict[str, ChannelHits] = {
        "vector": vector_channel(store, qvec, bank, cfg.vector_cap),
        "keyword": _keyword(store, a.text, bank, cfg),
    }
    if entities:
        pool = list({d for r in chans.values() for d, _ in r})
        chans["graph"] = graph_channel(store, list(entities), bank, cfg.graph_cap, pool)
    tr = time_range or a.time_range
    if tr is not None:
        chans["temporal"] = temporal_channel(store, tr, bank, cfg.temporal_cap)
    return chans, entities, qvec


def _turn_channel(
    store: Store,
    index: StoredVectors,
    bank: str,
    qvec: Sequence[float],
    chans: dict[str, ChannelHits],
    rows: dict[str, _Row],
    pool: int,
) -> ChannelHits:
    """Each candidate fact scored by its whole turn: the cosine between the query vector and
    the mean of the turn's fact vectors (a long turn's topic, which no one sentence of it may
    carry; storage.turns keeps it per turn). The turns are those of the best `pool` candidates
    of the text channels."""
    order: dict[str, None] = {}  # the turns in first-seen order (a list's `in` was quadratic)
    for name in ("vector", "keyword"):
        for f, _ in chans.get(name, []):
            order.setdefault(rows[f].fact.episode_id)
    episodes = list(order)[:pool]
    if not episodes:
        return []
    with store.db.session() as s:
        turns = read_turns(s, bank, episodes, len(qvec))
        missing = [ep for ep in episodes if ep not in turns]
        if missing:  # turns without a stored vector (being repaired): from their fact vectors
            turns |= compute_turns(s, index, bank, missing)
    if not turns:
        return []
    eps = list(turns)
    cos = np.stack([turns[ep] for ep in eps]).astype(np.float64) @ np.asarray(qvec, np.float64)
    ep_score = {ep: float(cos[k]) for k, ep in enumerate(eps)}
    scored = [
        (f, ep_score[r.fact.episode_id]) for f, r in rows.items() if r.fact.episode_id in ep_score
    ]
    return sorted(scored, key=lambda kv: -kv[1])


def _people(store: Store, entities: dict[str, str]) -> list[str]:
    """The spotted names that belong to people. Only those leave the name-free query: a
    person's name swamps what is asked about them, while "PostgreSQL" or "the batch API"
    are what is asked about."""
    from storage.schema import Entity

    if not entities:
        return []
    with store.db.session() as s:
        ids = s.exec(
            select(Entity.id).where(col(Entity.id).in_(list(entities)), Entity.kind == "person")
        ).all()
    return [entities[eid] for eid in ids]


def _query_vector(store: Store, query: str, names: Iterable[str], weight: float) -> list[float]:
    """The query's embedding blended with that of the query without the entity names it
    spots (see query.without_names): one batch of two texts, unit length."""
    bare = without_names(query, names) if weight else query
    if not bare or bare == query:
        return list(store.embedder.embed([query])[0])
    full, free = np.asarray(store.embedder.embed([query, bare]), dtype=np.float64)
    mixed = (1 - weight) * full + weight * free
    return [float(v) for v in mixed / (float(np.linalg.norm(mixed)) or 1.0)]


def _keyword(store: Store, query: str, bank: str, cfg: RecallConfig) -> ChannelHits:
    """Keyword hits; with `keyword_per_passage` the cap counts passages (see
    fusion.distinct_passages), over-fetching `keyword_overfetch` x cap ids."""
    if not cfg.keyword_per_passage:
        return keyword_channel(store, query, bank, cfg.keyword_cap)
    over = keyword_channel(store, query, bank, cfg.keyword_cap * cfg.keyword_overfetch)
    episode_of = _episodes_of(store, bank, [d for d, _ in over])
    return distinct_passages(over, cfg.keyword_cap, lambda d: episode_of.get(d, d))


def _episodes_of(store: Store, bank: str, fact_ids: list[str]) -> dict[str, str]:
    """fact id -> episode id, one indexed lookup (bank, id)."""
    from storage.schema import Fact

    if not fact_ids:
        return {}
    with store.db.session() as s:
        rows = s.exec(
            select(Fact.id, Fact.episode_id).where(Fact.bank == bank, col(Fact.id).in_(fact_ids))
        ).all()
    return {fid: eid for fid, eid in rows}


def _load_rows(store: Store, bank: str, ids: set[str]) -> dict[str, _Row]:
    return {f: _Row(r, r.episode_source or "") for f, r in load_rows(store, bank, ids).items()}


def _speaker_of(row: _Row) -> str | None:
    """Who said the fact: the "Name: " opening its line in the episode, when the window
    loaded with the row reaches that line's start."""
    f = row.fact
    window = getattr(f, "window", None) or ""
    lo = max(f.span_start - SPEAKER_WINDOW, 0)
    pos = max(f.span_start, 0) - lo
    if lo > 0 and "\n" not in window[:pos]:
        return None
    return speaker_at(window, pos)


def _passage_of(row: _Row) -> tuple[str, int]:
    """Facts of one passage (a short episode, else a window of a long one) share a key."""
    f = row.fact
    return f.episode_id, passage_key(f.episode_len or 0, f.span_start)


def _valid(
    rows: dict[str, _Row],
    as_of: datetime | None,
    time_range: TimeRange | None,
    *,
    include_superseded: bool,
) -> dict[str, _Row]:
    def ok(f: Any) -> bool:
        if as_of is not None:
            # known since it was said (an ingested October standup was known in October),
            # or since it was recorded if that came first
            known_at = min(f.recorded_at, f.mentioned_at) if f.mentioned_at else f.recorded_at
            if known_at > as_of:
                return False
            if f.invalidated_at is not None and f.invalidated_at <= as_of:
                return False
        elif f.invalidated_at is not None and not include_superseded:
            return False
        if time_range is not None:
            start = f.occurred_start or f.mentioned_at
            end = f.occurred_end or f.occurred_start or f.mentioned_at
            return time_range.overlaps(start, end)
        return True

    return {fid: r for fid, r in rows.items() if ok(r.fact)}


def _anchored(row: _Row, anchor: Anchor) -> bool:
    f = row.fact
    return f.id not in anchor.event_ids and anchor.admits(f.occurred_start or f.mentioned_at)


def _by_statement(
    scores: dict[str, float], rows: dict[str, _Row], personal: float, question: float
) -> dict[str, float]:
    """+`personal` for a first-person fact (kind "experience"), -`question` for a question (a
    fact ending in "?"); a first-person question gets both. See RecallConfig.personal_boost and
    question_penalty."""
    if not personal and not question:
        return scores
    out = {}
    for f, s in scores.items():
        fact = rows[f].fact
        if fact.kind == "experience":
            s += personal
        if fact.text.rstrip().endswith("?"):
            s -= question
        out[f] = s
    return out


def _penalise_superseded(
    scores: dict[str, float], rows: dict[str, _Row], as_of: datetime | None, penalty: float
) -> dict[str, float]:
    if as_of is not None:
        return scores
    return {f: s - (penalty if rows[f].fact.invalidated_at else 0.0) for f, s in scores.items()}


def _boost_speakers(
    store: Store,
    bank: str,
    scores: dict[str, float],
    rows: dict[str, _Row],
    entities: dict[str, str],
    beta: float,
) -> dict[str, float]:
    """Lift the turns of people the query names (see fusion.boost_speakers)."""
    if beta == 0 or not entities:
        return scores
    from memory.resolve import normalise_name

    names = set(entities.values()) | {
        normalise_name(n) for n in _entity_names(store, bank, entities)
    }
    speaker_of = {f: _speaker_of(rows[f]) for f in scores}
    speaker_of = {f: normalise_name(s) if s else None for f, s in speaker_of.items()}
    return boost_speakers(scores, speaker_of, names, beta)


def _entity_names(store: Store, bank: str, entities: dict[str, str]) -> list[str]:
    from storage.schema import Entity

    with store.db.session() as s:
        stmt = select(Entity.name).where(Entity.bank == bank, col(Entity.id).in_(list(entities)))
        return list(s.execute(stmt).scalars())


def _expand(
    store: Store, bank: str, scores: dict[str, float], rows: dict[str, _Row], cfg: RecallConfig
) -> dict[str, float]:
    if cfg.context_alpha == 0 or not scores:
        return scores
    pool = sorted(scores, key=lambda f: -scores[f])[: cfg.context_pool]
    pooled = {f: scores[f] for f in pool}
    episode_of = {f: rows[f].fact.episode_id for f in pool}
    neighbours = episode_neighbours(store, bank, set(episode_of.values()))
    lifted = expand_context(pooled, episode_of, neighbours, cfg.context_alpha)
    return {**scores, **lifted}


def episode_neighbours(store: Store, bank: str, episode_ids: set[str]) -> dict[str, list[str]]:
    """Each episode's previous and next episode among those retained with the same mention time
    in the same thread (one conversation session or one document), in recording order: two
    documents of the same date are no neighbours."""
    from storage.schema import Episode

    with store.db.session() as s:
        mentioned = (
            s.execute(
                select(Episode.mentioned_at).where(
                    Episode.bank == bank, col(Episode.id).in_(list(episode_ids))
                )
            )
            .scalars()
            .all()
        )
        rows = s.exec(
            select(Episode.id, Episode.mentioned_at, Episode.thread)
            .where(Episode.bank == bank, col(Episode.mentioned_at).in_(list(set(mentioned))))
            .order_by(col(Episode.mentioned_at), col(Episode.recorded_at), col(Episode.id))
            .limit(5000)
        ).all()
    out: dict[str, list[str]] = {}
    for i, (eid, when, thread) in enumerate(rows):
        if eid not in episode_ids:
            continue
        out[eid] = [
            rows[j][0]
            for j in (i - 1, i + 1)
            if 0 <= j < len(rows) and rows[j][1] == when and rows[j][2] == thread
        ]
    return out


def _hit(
    row: _Row,
    score: float,
    lookup: dict[str, dict[str, tuple[int, float]]],
    entities: dict[str, str],
    explain: bool,
    a: QueryAnalysis,
    notes: dict[str, dict[str, Any]],
) -> Hit:
    f = row.fact
    per = {n: round(m[f.id][1], 6) for n, m in lookup.items() if f.id in m}
    hit = Hit(
        text=f.text,
        score=round(score, 6),
        when=f.occurred_start,
        when_end=f.occurred_end,
        mentioned_at=f.mentioned_at,
        source=row.source or None,
        fact_id=f.id,
        episode_id=f.episode_id,
        span=(f.span_start, f.span_end) if f.span_start >= 0 else None,
        layer="fact",
        kind=f.kind,
        channels=per,
        invalidated_at=f.invalidated_at,
    )
    if explain:
        ranks = {n: m[f.id][0] for n, m in lookup.items() if f.id in m}
        hit.metadata["explain"] = _explain(per, ranks, entities, a)
        why = notes.get(f.id)
        if why:  # a superseded fact says what replaced it and by which rule
            hit.metadata["explain"]["superseded"] = why
    return hit


def _explain(
    per: dict[str, float], ranks: dict[str, int], entities: dict[str, str], a: QueryAnalysis
) -> dict[str, Any]:
    why = [f"{n} rank {ranks[n]} (score {per[n]:.3f})" for n in ranks]
    if not why:
        why = ["lifted by a neighbouring turn (context expansion)"]
    return {
        "reasons": why,
        "ranks": ranks,
        "query_entities": sorted(entities.values()),
        "query_type": a.wh,
        "weights": a.weights.as_dict(),
        "time_range": [str(a.time_range.start), str(a.time_range.end)] if a.time_range else None,
    }
