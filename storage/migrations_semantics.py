"""Migrations 0013-0015: the columns and indexes of memory semantics (issue 11).

Each adds columns only where they are missing: a database created after the models gained them
already has them (migration 0001 creates the tables from the current models).
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

__all__ = ["fact_slot_reasons", "belief_topics", "episode_threads"]


def _add_columns(conn: Connection, table: str, columns: dict[str, str]) -> None:
    have = {c["name"] for c in inspect(conn).get_columns(table)}
    for name, ddl in columns.items():
        if name not in have:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {name} {ddl}"))


def fact_slot_reasons(conn: Connection) -> None:
    """How extraction read a fact's slot (single-valued, the change it states) and why a fact
    was retired (rule, cue words, slot): `engram remember --json`, `recall --explain` and the
    entity history show it."""
    _add_columns(conn, "facts", {"slot": "JSON", "supersession": "JSON"})


def belief_topics(conn: Connection) -> None:
    """A belief's topic phrase, indexed with its bank: evidence finds its candidate beliefs by
    topic (one index probe) instead of loading every belief of the bank; the cue words of
    each piece of evidence."""
    _add_columns(conn, "beliefs", {"topic": "VARCHAR NOT NULL DEFAULT ''"})
    _add_columns(conn, "belief_evidence", {"cue": "VARCHAR NOT NULL DEFAULT ''"})
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_beliefs_bank_topic ON beliefs (bank, topic)"))


def episode_threads(conn: Connection) -> None:
    """The thread (conversation or document) of an episode: the preceding-turn context and
    recall's neighbour lift stay inside one thread, so two documents of the same date never
    lend each other context. Rows from before keep "" (one thread per mention time, as
    before)."""
    _add_columns(conn, "episodes", {"thread": "VARCHAR NOT NULL DEFAULT ''"})
    conn.execute(
        text(
            "CREATE INDEX IF NOT EXISTS ix_episodes_bank_thread_mentioned "
            "ON episodes (bank, thread, mentioned_at, recorded_at)"
        )
    )
