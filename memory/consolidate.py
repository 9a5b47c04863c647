"""Observations from repeated facts: "Sarah finished the task early" x3 ->
"Sarah consistently finishes the task early" (proof count 3, with the fact ids).

Deterministic: facts are grouped by subject + normalised predicate, then by object similarity;
groups with at least `min_support` facts become observation drafts, deduplicated against
existing observations by key. The pattern text is built from the parts, never by an LLM.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from memory.slots import normalise_predicate
from memory.text import tokens, word_set

__all__ = ["FactView", "ObservationDraft", "consolidate", "is_stale", "observation_text"]


@dataclass(frozen=True)
class FactView:
    id: str
    text: str
    subject: str | None
    predicate: str | None
    object: str | None
    mentioned_at: datetime
    occurred_start: datetime | None = None

    @property
    def when(self) -> datetime:
        return self.occurred_start or self.mentioned_at


@dataclass
class ObservationDraft:
    key: str  # subject|predicate|object pattern: stable across rewrites, used for dedup
    subject: str
    predicate: str
    text: str
    fact_ids: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    replaces: str | None = None  # key of the existing observation this rewrites

    @property
    def proof_count(self) -> int:
        return len(self.fact_ids)


_DROP = word_set("the a an my our his her their its this that some very really")


@lru_cache(maxsize=65_536)  # pure; a refresh re-clusters the same objects over and over
def _object_tokens(obj: str | None) -> frozenset[str]:
    toks = [t for t in tokens(obj or "") if t not in _DROP]
    return frozenset(t[:-1] if t.endswith("s") and len(t) > 3 else t for t in toks)


# a first- or second-person subject ("User: I go to the gym ..." gives the subject "I") takes
# the verb's plain form, not the third person: "I consistently go", never "I consistently goes"
_NON_THIRD = {"i": "am", "we": "are", "you": "are", "they": "are"}


def _agree(subject: str, verb: str) -> str:
    be = _NON_THIRD.get(subject.strip().casefold())
    if be is None:
        return _third_person(verb)
    return be if verb == "be" else verb


def _third_person(verb: str) -> str:
    if verb == "be":
        return "is"
    if verb == "have":
        return "has"
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def observation_text(subject: str, predicate: str, obj: str) -> str:
    """ "Sarah" + "finish" + "the task early" -> "Sarah consistently finishes the task early"."""
    words = predicate.replace("_", " ").split() or ["be"]
    verb = " ".join([_agree(subject, words[0]), *words[1:]])
    return f"{subject} consistently {verb} {obj}".strip()


def _clusters(facts: list[FactView], min_overlap: float) -> list[list[FactView]]:
    """Each fact (in time order) joins the first cluster whose first member's object tokens
    overlap its own by `min_overlap` (Jaccard), else starts a cluster."""
    clusters: list[tuple[frozenset[str], int, list[FactView]]] = []
    # facts of one moment (one session, one note) are ordered by their object, not their id:
    # ids are random, and which fact seeds a cluster decides the clusters
    for f in sorted(facts, key=lambda f: (f.when, f.object or "", f.id)):
        toks = _object_tokens(f.object)
        n = len(toks)
        # |A & B| / |A | B| <= min / max of the sizes: skip seeds too small or too large (the
        # margin keeps float rounding from skipping a seed the exact check would accept)
        lo = n * min_overlap * (1 - 1e-9)
        hi = n / min_overlap * (1 + 1e-9) if min_overlap > 0 else float("inf")
        for ctoks, m, members in clusters:
            if not lo <= m <= hi:
                continue
            inter = len(toks & ctoks)
            union = n + m - inter
            if not union or inter / union >= min_overlap:
                members.append(f)
                break
        else:
            clusters.append((toks, n, [f]))
    return [m for _, _, m in clusters]


def _draft(subject: str, predicate: str, members: list[FactView]) -> ObservationDraft:
    # the most frequent wording; a tie goes to the one said first, then to the text itself, so
    # the same notes give the same observation in every run (ids are random)
    counts = Counter(f.object or "" for f in members)
    first: dict[str, datetime] = {}
    for f in members:
        o = f.object or ""
        first[o] = min(first.get(o, f.when), f.when)
    obj = min(counts, key=lambda o: (-counts[o], first[o], o))
    key = f"{subject.casefold()}|{predicate}|{' '.join(sorted(_object_tokens(obj)))}"
    times = [f.when for f in members]
    return ObservationDraft(
        key=key,
        subject=subject,
        predicate=predicate,
        text=observation_text(subject, predicate, obj),
        fact_ids=sorted(f.id for f in members),
        first_seen=min(times),
        last_seen=max(times),
    )


def consolidate(
    facts: Sequence[FactView],
    existing: Sequence[ObservationDraft] = (),
    min_support: int = 2,
    min_overlap: float = 0.5,
) -> list[ObservationDraft]:
    """New or changed observation drafts from `facts`; unchanged existing ones are omitted."""
    groups: dict[tuple[str, str], list[FactView]] = defaultdict(list)
    for f in facts:
        if f.subject and f.predicate:
            groups[(f.subject, normalise_predicate(f.predicate))].append(f)
    by_key = {o.key: o for o in existing}
    out: list[ObservationDraft] = []
    for (subject, predicate), fs in sorted(groups.items()):
        for members in _clusters(fs, min_overlap):
            if len(members) < min_support:
                continue
            d = _draft(subject, predicate, members)
            old = by_key.get(d.key)
            if old is not None:
                if set(d.fact_ids) <= set(old.fact_ids):
                    continue
                d.fact_ids = sorted(set(d.fact_ids) | set(old.fact_ids))
                d.replaces = old.key
            out.append(d)
    return out


def is_stale(observation: ObservationDraft, new_fact_times: Iterable[datetime]) -> bool:
    """True when facts about the observation's slot arrived after it was last consolidated."""
    last = observation.last_seen
    return last is not None and any(t > last for t in new_fact_times)
