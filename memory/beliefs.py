"""Belief confidence from evidence: a Beta(alpha, beta) update, deterministic.

Each piece of evidence adds weight `scale * strength * reliability * decay` to alpha (support)
or beta (contradict); decay halves the weight every `half_life_days` of age (off when None).
Confidence = alpha / (alpha + beta), always inside (0, 1). An LLM may label stance elsewhere;
the number is only ever computed here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from memory.models import Stance
from memory.text import tokens, word_set

__all__ = [
    "Evidence",
    "BeliefParams",
    "BeliefState",
    "update",
    "confidence",
    "history",
    "match_belief",
]


@dataclass(frozen=True)
class Evidence:
    stance: Stance
    at: datetime
    strength: float = 0.6  # how strongly it was put, 0..1
    reliability: float = 1.0  # how much we trust the source, 0..1
    source: str | None = None


@dataclass(frozen=True)
class BeliefParams:
    half_life_days: float | None = 180.0
    scale: float = 2.0  # weight of one fully strong, fully reliable piece of evidence
    prior_alpha: float = 1.0
    prior_beta: float = 1.0


@dataclass(frozen=True)
class BeliefState:
    evidence: tuple[Evidence, ...] = ()
    params: BeliefParams = BeliefParams()


def update(state: BeliefState, evidence: Evidence) -> BeliefState:
    """A new state with `evidence` added (kept in time order; the input is unchanged)."""
    ev = sorted(
        (*state.evidence, evidence), key=lambda e: (e.at, e.stance, e.strength, e.source or "")
    )
    return replace(state, evidence=tuple(ev))


def _weight(e: Evidence, now: datetime | None, p: BeliefParams) -> float:
    w = p.scale * min(max(e.strength, 0.0), 1.0) * min(max(e.reliability, 0.0), 1.0)
    if now is not None and p.half_life_days:
        age_days = max((now - e.at).total_seconds() / 86400.0, 0.0)
        w *= 0.5 ** (age_days / p.half_life_days)
    return w


def confidence(state: BeliefState, now: datetime | None = None) -> float:
    """P(statement is true) given the evidence up to `now` (all evidence when None)."""
    p = state.params
    pro, con = [p.prior_alpha], [p.prior_beta]
    for e in state.evidence:
        if now is not None and e.at > now:
            continue
        (pro if e.stance == "support" else con).append(_weight(e, now, p))
    # exactly rounded sums: a plain running sum depends on the order, and one more piece of
    # support could then come out a rounding error lower than before
    alpha, beta = math.fsum(pro), math.fsum(con)
    return alpha / (alpha + beta)


def history(state: BeliefState) -> list[tuple[datetime, float, Evidence]]:
    """Confidence right after each piece of evidence arrived: [(at, confidence, evidence)]."""
    return [(e.at, confidence(state, e.at), e) for e in state.evidence]


_STOP = word_set(
    "a an the is are was were be been to of in on at for and or but it this that we i you they "
    "our my your their will would should can could do does did not no never don't doesn't isn't "
    "really very just think believe sure probably maybe"
)


def _content(text: str) -> set[str]:
    return {t.rstrip("s") if len(t) > 3 else t for t in tokens(text) if t not in _STOP}


def match_belief(
    statement: str,
    existing: Sequence[str],
    embed_fn: Callable[[list[str]], list[list[float]]] | None = None,
    threshold: float = 0.5,
) -> int | None:
    """Index of the existing belief `statement` is about, or None. Negations are ignored, so
    "the batch API is not the right next feature" matches its positive form."""
    if not existing:
        return None
    new = _content(statement)
    scores = [len(new & (c := _content(s))) / (len(new | c) or 1) for s in existing]
    if embed_fn is not None:
        vecs = embed_fn([statement, *existing])
        scores = [0.5 * s + 0.5 * _cos(vecs[0], v) for s, v in zip(scores, vecs[1:], strict=True)]
    best = max(range(len(existing)), key=lambda i: (scores[i], -i))
    return best if scores[best] >= threshold else None


def _cos(a: Sequence[float], b: Sequence[float]) -> float:
    va, vb = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    n = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return float(va @ vb) / n if n else 0.0
