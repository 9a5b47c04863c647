"""The SQL database: engine, sessions and ordered, named migrations.

`Database(url)` opens SQLite (WAL, foreign keys, busy timeout) or PostgreSQL and applies every
migration not yet recorded in `engram_migrations`. Migrations are append-only: never edit one
that has shipped, add the next.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, insert, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlmodel import Session, SQLModel

from storage import migrations_semantics as semantics
from storage.schema import (
    ALL_TABLES,
    ApiToken,
    IngestedUnit,
    PendingConsolidation,
    TurnVector,
    utcnow,
)

__all__ = ["Database", "MIGRATIONS", "sqlite_url", "normalise_url", "insert_rows"]

Migration = tuple[str, Callable[[Connection], None]]


def _initial(conn: Connection) -> None:
    SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in ALL_TABLES])  # type: ignore[attr-defined]


def _bank_clock(conn: Connection) -> None:
    """Per-bank write versions (storage.sync): tells a process that another one wrote."""
    conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS engram_bank_clock "
            "(bank VARCHAR(512) PRIMARY KEY, version BIGINT NOT NULL)"
        )
    )


_LOOKUP_INDEXES = [
    ("ix_facts_bank_id", "facts", "bank, id"),
    ("ix_facts_bank_occurred", "facts", "bank, occurred_start"),
    ("ix_episodes_bank_id", "episodes", "bank, id"),
    ("ix_episodes_bank_mentioned", "episodes", "bank, mentioned_at"),
    ("ix_observation_facts_bank_fact", "observation_facts", "bank, fact_id"),
]


def _recall_lookup_indexes(conn: Connection) -> None:
    """(bank, key) indexes for recall's "these ids in this bank" lookups. With only a `bank`
    index, SQLite walked every row of the bank for `bank = ? AND id IN (...)` (15 ms at 13k
    facts, linear in the bank); with (bank, id) it does one probe per id."""
    for name, table, cols in _LOOKUP_INDEXES:
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({cols})"))


def _subject_recency_index(conn: Connection) -> None:
    """A subject's newest facts (observation refresh on every retain) read in index order:
    SQLite otherwise walked the whole bank by mention time (7 ms at 13k facts, linear)."""
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_facts_subject_recent "
            "ON facts (bank, subject_entity_id, mentioned_at)"
        )
    )


def _episode_order_index(conn: Connection) -> None:
    """The episode recorded just before/after another with the same mention time (a fact's
    preceding-turn keyword context, storage.passages) is one index probe, not a sort of the
    bank's episodes that share that mention time."""
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_episodes_bank_mentioned_recorded "
            "ON episodes (bank, mentioned_at, recorded_at)"
        )
    )


def _observation_entity_index(conn: Connection) -> None:
    """An entity's observations (refreshed whenever a retain touches the entity) read by one
    range of a (bank, entity, key) index: with the single-column indexes SQLite chose `bank`
    and walked every observation of the bank for each touched entity (a fifth of the commit
    at 100k facts)."""
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_observations_bank_entity_key "
            "ON observations (bank, entity_id, key)"
        )
    )


def _bank_id_indexes(conn: Connection) -> None:
    """(bank, id) for observations and entities, as 0003 did for facts and episodes: recall's
    `bank = ? AND id IN (...)` lookups walked every observation (entity) of the bank."""
    for table in ("observations", "entities"):
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{table}_bank_id ON {table} (bank, id)"))


def _rewrite_clock(conn: Connection) -> None:
    """Per-bank count of writes that removed or relinked facts (forget, merge, split): a process
    whose entity graph fell behind catches up by the facts recorded since it last looked while
    this count stands still, and reloads the bank's graph when it moved. The (bank,
    recorded_at) index serves both the catch-up and the bank's latest recording time."""
    conn.execute(
        text(
            "CREATE TABLE IF NOT EXISTS engram_bank_rewrites "
            "(bank VARCHAR(512) PRIMARY KEY, version BIGINT NOT NULL)"
        )
    )
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_facts_bank_recorded ON facts (bank, recorded_at)")
    )


def _predicate_index(conn: Connection) -> None:
    """A bank's current holders of one attribute under any owner (memory.named_holder: "Noor
    Haddad is no longer our producer" looks for the one producer fact naming her) read by one
    range of a (bank, predicate) index: with the others SQLite walked the whole bank (120 ms
    per such change at 130k facts, under the writer lock)."""
    conn.execute(
        text("CREATE INDEX IF NOT EXISTS ix_facts_bank_predicate ON facts (bank, predicate)")
    )


def _create_tables(*tables: Any) -> Callable[[Connection], None]:
    """A migration that adds whole tables (a database made by 0001 after they were added to
    ALL_TABLES has them already; create_all skips existing tables)."""

    def create(conn: Connection) -> None:
        SQLModel.metadata.create_all(conn, tables=[t.__table__ for t in tables])

    return create


MIGRATIONS: list[Migration] = [
    ("0001_initial", _initial),
    ("0002_bank_clock", _bank_clock),
    ("0003_recall_lookup_indexes", _recall_lookup_indexes),
    ("0004_subject_recency_index", _subject_recency_index),
    ("0005_episode_order_index", _episode_order_index),
    ("0006_observation_entity_index", _observation_entity_index),
    ("0007_bank_id_indexes", _bank_id_indexes),
    ("0008_rewrite_clock", _rewrite_clock),
    # ingest state in the shared database (it was a SQLite file of its own under ENGRAM_HOME)
    ("0009_ingest_units", _create_tables(IngestedUnit)),
    ("0010_consolidation_outbox", _create_tables(PendingConsolidation)),
    # supersession reasons, belief topics and evidence cues, episode threads (memory semantics)
    ("0013_fact_slot_reasons", semantics.fact_slot_reasons),
    ("0014_belief_topics", semantics.belief_topics),
    ("0015_episode_threads", semantics.episode_threads),
    # bearer tokens of `engram serve` (hashed; one bank each, optionally read-only)
    ("0019_api_tokens", _create_tables(ApiToken)),
    # one vector per turn for recall's whole-turn channel (storage.turns; reconcile backfills)
    ("0020_turn_vectors", _create_tables(TurnVector)),
    # a bank's facts of one attribute under any owner (memory.named_holder)
    ("0021_facts_bank_predicate", _predicate_index),
]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3 (`postgresql+psycopg://`)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


SCHEMA_LOCK_KEY = 7204916352110  # pg_advisory_lock key held while the schema changes
PING_AFTER_IDLE_S = 10.0
RANDOM_PAGE_COST = "1.1"


def _ssd_page_cost(dbapi_conn: Any, _record: Any) -> None:
    """Price random reads as on SSD/RAM (1.1) when the server keeps the stock 4 (spinning
    disks). With 4, `bank = ? AND id IN (300 ids)` planned a scan of the whole bank (8.5 ms at
    19k facts) over 300 index probes (1.4 ms), and recall does several such lookups. A value
    the DBA chose (anything but 4, server-wide or per database) is left alone."""
    with dbapi_conn.cursor() as cur:
        cur.execute("SHOW random_page_cost")
        row = cur.fetchone()
        if row is not None and row[0] == "4":
            cur.execute(f"SET random_page_cost = {RANDOM_PAGE_COST}")
    dbapi_conn.commit()


def _mark_idle(_dbapi_conn: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_if_idle(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
    """Pre-ping a pooled PostgreSQL connection only when it sat idle for PING_AFTER_IDLE_S.

    `pool_pre_ping` costs a round trip on every checkout, and recall checks out ~9 connections
    per query (~6 ms of a 90 ms recall at 3k facts on a loaded 2-core machine). A connection
    used seconds ago is alive; one that sat idle (a server restart, an idle timeout) is pinged,
    and a dead one is replaced (DisconnectionError makes the pool retry with a new one)."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_S:
        return
    try:
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        try:
            dbapi_conn.execute("SELECT 1")
        finally:
            dbapi_conn.autocommit = autocommit
    except Exception as exc:  # psycopg raises OperationalError and friends for a dead link
        raise DisconnectionError(f"pooled connection is dead: {exc}") from exc


def insert_rows(s: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows into `table` (a SQLModel table class) in one executemany statement,
    after flushing the session's pending objects, which the rows may point at. For link tables
    written in bulk and never read back as objects: SQLModel builds each object through
    pydantic, which cost more than the insert."""
    if rows:
        s.flush()
        s.execute(insert(table.__table__), rows)


_PINNED: ContextVar[tuple[Database, Session] | None] = ContextVar("engram_db_session", default=None)


class Database:
    """One SQL database. `session()` yields a SQLModel session that commits on success."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url = normalise_url(url)
        self.engine: Engine = self._make_engine(url, echo)
        self.migrate()

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(url)

    @staticmethod
    def _make_engine(url: str, echo: bool) -> Engine:
        if url.startswith("sqlite"):
            engine = create_engine(
                url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
            )
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        engine = create_engine(url, echo=echo, pool_recycle=1800)
        event.listen(engine, "connect", _ssd_page_cost)
        event.listen(engine, "checkin", _mark_idle)
        event.listen(engine, "checkout", _ping_if_idle)
        return engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> list[str]:
        """Apply pending migrations in order; returns the names applied now."""
        with self.schema_lock():
            return self._migrate()

    def _migrate(self) -> list[str]:
        applied: list[str] = []
        with self.engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS engram_migrations "
                    "(name VARCHAR(200) PRIMARY KEY, applied_at VARCHAR(64) NOT NULL)"
                )
            )
            done = {r[0] for r in conn.execute(text("SELECT name FROM engram_migrations"))}
        for name, fn in MIGRATIONS:
            if name in done:
                continue
            with self.engine.begin() as conn:
                fn(conn)
                conn.execute(
                    text("INSERT INTO engram_migrations (name, applied_at) VALUES (:n, :a)"),
                    {"n": name, "a": utcnow().isoformat()},
                )
            applied.append(name)
        return applied

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """One process changes the schema at a time: migrations and any other DDL run inside
        this block. Many processes may start at once on a new database: on PostgreSQL two
        concurrent `CREATE TABLE IF NOT EXISTS` of one name fail with a UniqueViolation on
        pg_type, on SQLite both run migration 0001 and one fails recording it. PostgreSQL takes
        an advisory lock, a SQLite file an flock on `<file>.schema.lock`."""
        if self.dialect == "sqlite":
            with self._sqlite_schema_lock():
                yield
            return
        if self.dialect != "postgresql":
            yield
            return
        with self.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": SCHEMA_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEMA_LOCK_KEY})
                conn.commit()

    @contextmanager
    def _sqlite_schema_lock(self) -> Iterator[None]:
        path = make_url(self.url).database
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.schema.lock", "ab") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def applied_migrations(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT name FROM engram_migrations ORDER BY name"))
            return [r[0] for r in rows]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends without error and rolls back otherwise.
        Inside `one_session()` it is that block's session, which commits when that block ends."""
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] is self:
            yield pinned[1]
            return
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
                s.commit()
            except BaseException:
                s.rollback()
                raise

    @contextmanager
    def one_session(self) -> Iterator[Session]:
        """Make every `session()` in this block (this thread or task) the same session: a read
        path such as recall issues a dozen small queries, and each session of its own costs a
        connection checkout and a BEGIN/COMMIT round trip (~16 round trips a recall on
        PostgreSQL)."""
        if (p := _PINNED.get()) is not None and p[0] is self:
            yield p[1]
            return
        with self.session() as s:
            token = _PINNED.set((self, s))
            try:
                yield s
            finally:
                _PINNED.reset(token)

    def dispose(self) -> None:
        self.engine.dispose()
