"""Domain records of memory that cross module seams. Pure data: no I/O.

Persistent tables live in `storage.schema`; these are what extractors produce and what recall
returns. Every datetime is timezone-aware (UTC).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal

__all__ = [
    "FactKind",
    "Stance",
    "EntityMention",
    "OpinionCue",
    "ExtractedFact",
    "ChangeEvent",
    "StanceCue",
    "Extraction",
    "TimeRange",
    "Hit",
]

FactKind = Literal["world", "experience", "opinion", "event"]
Stance = Literal["support", "contradict"]


@dataclass
class TimeRange:
    """A half-open interval [start, end) in UTC; either side may be open (None)."""

    start: datetime | None = None
    end: datetime | None = None

    def contains(self, t: datetime) -> bool:
        return (self.start is None or t >= self.start) and (self.end is None or t < self.end)

    def overlaps(self, start: datetime | None, end: datetime | None) -> bool:
        s = start or end
        e = end or start
        if s is None or e is None:
            return False
        return (self.start is None or e >= self.start) and (self.end is None or s < self.end)


@dataclass
class EntityMention:
    """A name as it appears in text. `kind`: person, org, place, product, thing, event..."""

    name: str
    kind: str = "thing"
    start: int = -1  # character offsets into the episode text; -1 when unknown
    end: int = -1


@dataclass
class OpinionCue:
    """A belief-bearing statement: "I think the batch API is the right next feature"."""

    statement: str  # the proposition, without the hedge ("the batch API is the right next feature")
    stance: Stance = "support"  # "support" for an assertion, "contradict" for a negation/doubt
    strength: float = 0.6  # how strongly it was put, 0..1 ("fairly sure" > "maybe")
    holder: str | None = None  # who holds it (speaker), if known


@dataclass(frozen=True)
class ChangeEvent:
    """A change the sentence states: the old value (when named), the new one, the cue words
    ("moved ... from MySQL to PostgreSQL": old "MySQL", new "PostgreSQL", cues move, from ... to)."""

    old: str | None
    new: str | None
    cues: tuple[str, ...] = ()
    # where the change holds when the sentence says ("v6 replaced v5 in production"): it
    # concerns only the old facts that name the place
    where: str | None = None


@dataclass(frozen=True)
class StanceCue:
    """How a sentence bears on a claim ("which strongly supports building it next": support,
    cue "support"; "does not support": contradict, cues "support", "not")."""

    stance: Stance
    cues: tuple[str, ...] = ()


@dataclass
class ExtractedFact:
    """One fact pulled from an episode, before entity resolution.

    `subject`/`predicate` define the supersession slot: a new fact supersedes an old one only if
    both resolve to the same subject entity and the same normalised predicate.
    """

    text: str
    kind: FactKind = "world"
    start: int = -1  # span in the episode text
    end: int = -1
    entities: list[EntityMention] = field(default_factory=list)
    subject: str | None = None
    predicate: str | None = None
    object: str | None = None
    occurred_start: datetime | None = None
    occurred_end: datetime | None = None
    opinion: OpinionCue | None = None
    # the slot, as the parse read it: single-valued by nature, the stated change, and the
    # subjects an explicit change may concern besides `subject` ("moved [the billing service]")
    functional: bool = False
    change: ChangeEvent | None = None
    targets: list[str] = field(default_factory=list)
    cues: list[str] = field(default_factory=list)  # words that made the slot functional
    owner_implicit: bool = False  # the subject is "we" only because no owner was written
    stance: StanceCue | None = None  # bearing on a claim (evidence for or against a belief)
    speaker: str | None = None  # the person who said it, when the text names one


@dataclass
class Extraction:
    facts: list[ExtractedFact] = field(default_factory=list)
    extractor: str = "offline"  # "offline" | "llm" | "llm-fallback-offline"
    warnings: list[str] = field(default_factory=list)


@dataclass
class Hit:
    """One recall result, with provenance down to the source span."""

    text: str
    score: float
    when: datetime | None = None  # occurred start (or None)
    when_end: datetime | None = None
    mentioned_at: datetime | None = None
    source: str | None = None
    fact_id: str | None = None
    episode_id: str | None = None
    span: tuple[int, int] | None = None
    layer: str = "fact"  # fact | observation | mental_model | episode
    kind: str = "world"
    entities: list[str] = field(default_factory=list)
    channels: dict[str, float] = field(default_factory=dict)  # channel -> rank/score that led here
    metadata: dict[str, Any] = field(default_factory=dict)
    invalidated_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("when", "when_end", "mentioned_at", "invalidated_at"):
            v = d[k]
            d[k] = v.isoformat() if v else None
        return d
