"""Fusion of channel rankings, and context expansion over neighbouring episodes.

Two fusers: `weighted_rrf` (rank only) and `fuse_scores` (score-aware; the default). Score-aware
fusion z-normalises each *ranking* channel's scores over what it returned (a candidate it did
not return gets that channel's floor), and adds *boost* channels (graph, temporal) as 0..1
bonuses scaled by their weight, so they can lift a candidate but never bury one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

__all__ = [
    "weighted_rrf",
    "fuse_scores",
    "expand_context",
    "one_per_group",
    "distinct_passages",
    "spread_to_passage",
    "boost_speakers",
    "RANKING_CHANNELS",
]

RANKING_CHANNELS = frozenset({"vector", "keyword", "turn"})
Ranked = Sequence[tuple[str, float]]


def weighted_rrf(
    channels: Mapping[str, Ranked], weights: Mapping[str, float], k: int = 60
) -> dict[str, float]:
    """Σ_channel weight / (k + rank), ranks from 1."""
    out: dict[str, float] = {}
    for name, ranked in channels.items():
        w = weights.get(name, 1.0)
        for rank, (doc, _) in enumerate(ranked, start=1):
            out[doc] = out.get(doc, 0.0) + w / (k + rank)
    return out


def _zscores(ranked: Ranked) -> tuple[dict[str, float], float]:
    vals = [s for _, s in ranked]
    mean = sum(vals) / len(vals)
    std = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals)) or 1.0
    z = {d: (s - mean) / std for d, s in ranked}
    return z, min(z.values())


def fuse_scores(channels: Mapping[str, Ranked], weights: Mapping[str, float]) -> dict[str, float]:
    """Score-aware fusion over the union of candidates (see module doc)."""
    docs = {d for ranked in channels.values() for d, _ in ranked}
    out = dict.fromkeys(docs, 0.0)
    for name, ranked in channels.items():
        w = weights.get(name, 1.0)
        if not ranked or w == 0:
            continue
        if name in RANKING_CHANNELS:
            z, floor = _zscores(ranked)
            for d in docs:
                out[d] += w * z.get(d, floor)
        else:
            top = max(s for _, s in ranked) or 1.0
            for d, s in ranked:
                out[d] += w * max(s, 0.0) / top
    return out


def expand_context(
    fact_scores: Mapping[str, float],
    episode_of: Mapping[str, str],
    neighbours: Mapping[str, Sequence[str]],
    alpha: float,
) -> dict[str, float]:
    """Lift each fact by `alpha` × the sum of the best fact scores of its neighbouring episodes.

    An answer often sits next to the turn that matches the question (a reply, a follow-up), so
    a fact whose neighbour scored well is more likely relevant. Scores are shifted to be >= 0
    first, so a bad neighbour never pushes a fact down.
    """
    if not fact_scores or alpha == 0:
        return dict(fact_scores)
    low = min(fact_scores.values())
    pos = {f: s - low for f, s in fact_scores.items()}
    best_ep: dict[str, float] = {}
    for f, s in pos.items():
        ep = episode_of.get(f)
        if ep is not None and s > best_ep.get(ep, -1.0):
            best_ep[ep] = s
    out = {}
    for f, s in fact_scores.items():
        ep = episode_of.get(f)
        nb = [best_ep.get(n, 0.0) for n in neighbours.get(ep, ())] if ep else []
        out[f] = s + alpha * sum(nb)
    return out


def one_per_group(order: Iterable[str], group_of: Callable[[str], Hashable]) -> list[str]:
    """Keep the first (best) id of each group, order kept. Recall groups facts by passage (a
    turn, a paragraph): five sentences of one turn are one answer, shown once."""
    seen: set[Hashable] = set()
    out: list[str] = []
    for doc in order:
        g = group_of(doc)
        if g not in seen:
            seen.add(g)
            out.append(doc)
    return out


def distinct_passages(
    ranked: Ranked, cap: int, group_of: Callable[[str], Hashable] | None = None
) -> list[tuple[str, float]]:
    """The first hit of each of the top `cap` passages of an over-fetched keyword ranking.

    Sibling facts of one passage are indexed with the same keyword text, so they score exactly
    alike and sit next to each other: a run of equal scores is one passage. Keeping one id per
    run lets the cap count passages (~3x more distinct turns than counting facts), without
    loading the siblings' rows; `spread_to_passage` gives the score back to siblings that other
    channels found. With `group_of` (id -> passage key) the passages are known and ties
    between different passages (common with coarse rankers such as ts_rank_cd) are kept."""
    if group_of is not None:
        seen: set[Hashable] = set()
        kept: list[tuple[str, float]] = []
        for doc, score in ranked:
            g = group_of(doc)
            if g not in seen:
                if len(kept) == cap:
                    break
                seen.add(g)
                kept.append((doc, score))
        return kept
    out: list[tuple[str, float]] = []
    last: float | None = None
    for doc, score in ranked:
        if score != last:
            if len(out) == cap:
                break
            out.append((doc, score))
            last = score
    return out


def spread_to_passage(
    ranked: Ranked, candidates: Iterable[str], group_of: Callable[[str], Hashable]
) -> list[tuple[str, float]]:
    """A passage-level ranking applied to every candidate of a ranked passage (same order): the
    keyword score of a turn belongs to each of its sentences, whichever one the vector channel
    found."""
    best: dict[Hashable, float] = {}
    for doc, score in ranked:
        best.setdefault(group_of(doc), score)
    out = dict(ranked)
    for doc in candidates:
        g = group_of(doc)
        if doc not in out and g in best:
            out[doc] = best[g]
    return sorted(out.items(), key=lambda kv: -kv[1])


def boost_speakers(
    scores: Mapping[str, float],
    speaker_of: Mapping[str, str | None],
    names: Iterable[str],
    beta: float,
) -> dict[str, float]:
    """Add `beta` to facts said by a person the query names ("What has Jon painted?" favours
    Jon's own turns over Gina's turns about Jon). A boost, not a filter; `speaker_of` and
    `names` must be normalised alike."""
    wanted = set(names)
    if beta == 0 or not wanted:
        return dict(scores)
    return {f: s + (beta if speaker_of.get(f) in wanted else 0.0) for f, s in scores.items()}
