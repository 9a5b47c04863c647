"""SQL tables of engram's memory (SQLModel). Portable SQL only: the same tables run on SQLite
and PostgreSQL.

Conventions:
- ids are `uuid4().hex` strings (`new_id()`); every row carries `bank`, and every query filters
  on it (each `bank` column is indexed);
- datetimes are timezone-aware and stored as UTC (`UTCDateTime`); reads give aware UTC values;
- an `Episode` is the raw text as received (never lost); `Fact`s are derived from it and carry
  their span in the episode text; `FactEntity` links facts to the entities they mention.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, LargeBinary, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

__all__ = [
    "UTCDateTime",
    "new_id",
    "utcnow",
    "Episode",
    "Fact",
    "Entity",
    "Alias",
    "FactEntity",
    "MergeLog",
    "Belief",
    "BeliefEvidence",
    "Observation",
    "ObservationFact",
    "MentalModel",
    "ApiToken",
    "IngestedUnit",
    "PendingConsolidation",
    "TurnVector",
    "ALL_TABLES",
]


def new_id() -> str:
    return uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; naive values are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass a timezone-aware value")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _fk(target: str) -> ForeignKey:
    """Foreign keys are checked at commit (both SQLite and PostgreSQL support this), so a
    transaction may insert rows in any order and the ORM can batch inserts per table."""
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


def _dt(index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, index=index)


class Episode(SQLModel, table=True):
    """Raw text as retained. Re-retaining the same (bank, source, content) is a no-op."""

    __tablename__ = "episodes"
    __table_args__ = (
        UniqueConstraint("bank", "source", "content_hash", name="uq_episode_content"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    source: str = Field(default="", index=True)  # "" when none was given
    text: str
    content_hash: str
    mentioned_at: datetime = Field(sa_type=UTCDateTime, index=True)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column("metadata", JSON))
    # which conversation or document the episode belongs to: only an episode of the same
    # thread (and mention time) lends it context (storage.passages); "" for rows from before
    thread: str = ""


class Fact(SQLModel, table=True):
    """One bi-temporal fact. Superseded facts keep their row with `invalidated_at` set."""

    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_slot", "bank", "subject_entity_id", "predicate"),
        Index("ix_facts_bank_mentioned", "bank", "mentioned_at"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    episode_id: str = Field(sa_column_args=[_fk("episodes.id")], index=True)
    text: str
    kind: str = "world"  # world | experience | opinion | event
    span_start: int = -1
    span_end: int = -1
    subject_entity_id: str | None = Field(
        default=None, sa_column_args=[_fk("entities.id")], index=True
    )
    predicate: str | None = None
    object: str | None = None
    occurred_start: datetime | None = _dt(index=True)
    occurred_end: datetime | None = _dt()
    mentioned_at: datetime = Field(sa_type=UTCDateTime)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    invalidated_at: datetime | None = _dt()
    superseded_by: str | None = Field(default=None, index=True)
    confidence: float = 1.0
    # how extraction read the slot: {"functional", "cues", "change": {"old", "new"}, "targets"}
    slot: dict[str, Any] | None = Field(default=None, sa_column=Column("slot", JSON))
    # why this fact was retired: {"rule", "cues", "slot", "old_value", "new_value", "by"}
    supersession: dict[str, Any] | None = Field(
        default=None, sa_column=Column("supersession", JSON)
    )


class Entity(SQLModel, table=True):
    __tablename__ = "entities"
    __table_args__ = (Index("ix_entities_bank_name", "bank", "name"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    name: str  # canonical name
    kind: str = "thing"
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Alias(SQLModel, table=True):
    """A surface form of an entity; `normalised` is what resolution matches on."""

    __tablename__ = "aliases"
    __table_args__ = (
        UniqueConstraint("bank", "normalised", "entity_id", name="uq_alias"),
        Index("ix_aliases_bank_norm", "bank", "normalised"),
    )

    id: str = Field(default_factory=new_id, primary_key=True)
    entity_id: str = Field(sa_column_args=[_fk("entities.id")], index=True)
    bank: str = Field(index=True)
    alias: str
    normalised: str


class FactEntity(SQLModel, table=True):
    __tablename__ = "fact_entities"

    fact_id: str = Field(sa_column_args=[_fk("facts.id")], primary_key=True)
    entity_id: str = Field(sa_column_args=[_fk("entities.id")], primary_key=True, index=True)
    bank: str = Field(index=True)
    role: str = "mention"  # subject | mention


class MergeLog(SQLModel, table=True):
    """A merge of `merged_id` into `kept_id`; `moved` records what moved so `split` can undo it:
    {"aliases": [alias ids], "subject_facts": [fact ids], "links": [fact ids]}."""

    __tablename__ = "merge_log"

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    kept_id: str = Field(index=True)
    merged_id: str
    merged_name: str
    merged_kind: str = "thing"
    moved: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    reason: str = "manual"
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    undone_at: datetime | None = _dt()


class Belief(SQLModel, table=True):
    __tablename__ = "beliefs"
    __table_args__ = (Index("ix_beliefs_bank_key", "bank", "key"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    statement: str
    key: str  # normalised statement: evidence about the same proposition lands on one belief
    topic: str = ""  # normalised topic phrase ("batch api"): candidates are looked up by it
    holder: str | None = None
    confidence: float = 0.5
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class BeliefEvidence(SQLModel, table=True):
    __tablename__ = "belief_evidence"

    id: str = Field(default_factory=new_id, primary_key=True)
    belief_id: str = Field(sa_column_args=[_fk("beliefs.id")], index=True)
    bank: str = Field(index=True)
    stance: str  # support | contradict
    weight: float = 0.6
    source: str = ""
    fact_id: str | None = Field(default=None, index=True)
    episode_id: str | None = Field(default=None, index=True)
    text: str = ""
    confidence_after: float = 0.5
    at: datetime = Field(sa_type=UTCDateTime)
    cue: str = ""  # the words that gave the stance ("confirms", "does not support", "I think")


class Observation(SQLModel, table=True):
    """A pattern consolidated from several facts; `key` deduplicates it."""

    __tablename__ = "observations"
    __table_args__ = (Index("ix_observations_bank_key", "bank", "key"),)

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    key: str
    text: str
    entity_id: str | None = Field(default=None, index=True)
    proof_count: int = 0
    stale: bool = False
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ObservationFact(SQLModel, table=True):
    __tablename__ = "observation_facts"

    observation_id: str = Field(sa_column_args=[_fk("observations.id")], primary_key=True)
    fact_id: str = Field(sa_column_args=[_fk("facts.id")], primary_key=True, index=True)
    bank: str = Field(index=True)


class MentalModel(SQLModel, table=True):
    """A standing question with a summary refreshed as facts arrive."""

    __tablename__ = "mental_models"

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    question: str
    summary: str = ""
    fact_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    stale: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    refreshed_at: datetime | None = _dt()


class ApiToken(SQLModel, table=True):
    """A bearer token of `engram serve`, scoped to one bank (read-only or read-write). Only the
    SHA-256 of the secret is kept; `id` is the public handle that `engram token list` shows and
    `revoke` takes. Deployment data, not memory: kept out of ALL_TABLES (forget and migrate leave
    it alone)."""

    __tablename__ = "engram_tokens"

    id: str = Field(primary_key=True)
    token_hash: str = Field(unique=True)
    bank: str = Field(index=True)
    read_only: bool = False
    label: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = _dt()


class IngestedUnit(SQLModel, table=True):
    """One version of an ingested unit (a document, a commit, an issue) whose episodes were all
    retained. `unit` is the unit's stable key (agent.ingest.keys); `content_hash` its version.
    `episode_ids` are the episodes this version left in memory (what replacing it forgets)."""

    __tablename__ = "ingest_units"

    bank: str = Field(primary_key=True)
    unit: str = Field(primary_key=True)
    content_hash: str = Field(primary_key=True)
    episodes: int = 0
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    episode_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    done_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class PendingConsolidation(SQLModel, table=True):
    """An RLM run whose consolidation into memory failed: kept here (an outbox) until a later
    process retries it. `run` is the run's JSON record (agent.session.RunRecord)."""

    __tablename__ = "consolidation_outbox"

    id: str = Field(default_factory=new_id, primary_key=True)
    bank: str = Field(index=True)
    query: str
    session: str = ""
    run: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    attempts: int = 1
    last_error: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TurnVector(SQLModel, table=True):
    """One turn's (episode's) vector: the normalised mean of its facts' vectors, float32 bytes
    (storage.turns). Derived like the vector index, so kept out of ALL_TABLES: forget drops
    rows itself, and a migrated store rebuilds them while it indexes its facts."""

    __tablename__ = "turn_vectors"

    episode_id: str = Field(primary_key=True)
    bank: str = Field(index=True)
    dim: int
    facts: int  # how many fact vectors the mean is of
    vector: bytes = Field(sa_column=Column("vector", LargeBinary, nullable=False))


ALL_TABLES = [
    Episode,
    Entity,
    Fact,
    Alias,
    FactEntity,
    MergeLog,
    Belief,
    BeliefEvidence,
    Observation,
    ObservationFact,
    MentalModel,
    IngestedUnit,
    PendingConsolidation,
]
