"""Database: migrations, UTC datetimes and constraints, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import select

from storage.db import MIGRATIONS, Database, sqlite_url
from storage.schema import Episode, Fact, utcnow


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        d = Database(sqlite_url(tmp_path / "t.db"))
    else:
        d = Database(request.getfixturevalue("pg_url"))
        with d.session() as s:  # a clean slate inside the throwaway schema
            for f in s.exec(select(Fact)).all():
                s.delete(f)
            s.flush()
            for e in s.exec(select(Episode)).all():
                s.delete(e)
    yield d
    d.dispose()


def _episode(**kw: object) -> Episode:
    base = dict(bank="b", text="hi", content_hash="h", mentioned_at=datetime.now(UTC))
    base.update(kw)
    return Episode(**base)  # type: ignore[arg-type]


def test_migrations_recorded_and_idempotent(db: Database) -> None:
    assert db.applied_migrations() == [m[0] for m in MIGRATIONS]
    assert db.migrate() == []


def test_datetimes_round_trip_as_aware_utc(db: Database) -> None:
    t = datetime(2025, 10, 14, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    with db.session() as s:
        e = _episode(mentioned_at=t)
        s.add(e)
    with db.session() as s:
        got = s.get(Episode, e.id)
        assert got is not None
        assert got.mentioned_at == t and got.mentioned_at.tzinfo is not None
        assert got.mentioned_at.utcoffset() == timedelta(0)
        later = s.exec(select(Episode).where(Episode.mentioned_at > t - timedelta(minutes=1))).all()
        assert [x.id for x in later] == [e.id]


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(StatementError), db.session() as s:
        s.add(_episode(mentioned_at=datetime(2025, 1, 1)))


def test_episode_content_is_unique_per_bank_and_source(db: Database) -> None:
    with db.session() as s:
        s.add(_episode(id="e1"))
        s.add(_episode(id="e2", bank="other"))
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(_episode(id="e3"))


def test_foreign_keys_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.session() as s:
        s.add(Fact(bank="b", episode_id="missing", text="x", mentioned_at=datetime.now(UTC)))


def test_one_session_is_shared_by_nested_sessions_and_commits_once(tmp_path) -> None:  # type: ignore[no-untyped-def]

    db = Database(sqlite_url(tmp_path / "one.db"))
    other = Database(sqlite_url(tmp_path / "other.db"))
    with db.one_session() as outer:
        with db.session() as a, db.session() as b:
            assert a is outer and b is outer
            a.add(Episode(bank="b", text="kept", content_hash="h1", mentioned_at=utcnow()))
        with other.session() as o:  # another database keeps its own sessions
            assert o is not outer
    with db.session() as s:
        assert s is not outer and len(s.exec(select(Episode)).all()) == 1
    with pytest.raises(RuntimeError), db.one_session():
        with db.session() as s:
            s.add(Episode(bank="b", text="lost", content_hash="h2", mentioned_at=utcnow()))
        raise RuntimeError("boom")
    with db.session() as s:
        assert [e.text for e in s.exec(select(Episode)).all()] == ["kept"]


def test_semantics_migrations_add_columns_to_an_old_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A database made before 0013-0015 (no slot, supersession, topic, cue, thread columns)
    gains them, and its rows keep their values."""
    import sqlite3

    from sqlalchemy import inspect

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.executescript(
        "CREATE TABLE facts (id VARCHAR PRIMARY KEY, bank VARCHAR, text VARCHAR);"
        "CREATE TABLE beliefs (id VARCHAR PRIMARY KEY, bank VARCHAR, statement VARCHAR);"
        "CREATE TABLE belief_evidence (id VARCHAR PRIMARY KEY, bank VARCHAR);"
        "CREATE TABLE episodes (id VARCHAR PRIMARY KEY, bank VARCHAR, mentioned_at DATETIME,"
        " recorded_at DATETIME);"
        "INSERT INTO episodes VALUES ('e1', 'b', '2025-01-01', '2025-01-01');"
    )
    con.commit()
    con.close()
    from sqlalchemy import create_engine

    from storage import migrations_semantics as m

    with create_engine(f"sqlite:///{path}").begin() as conn:
        m.fact_slot_reasons(conn)
        m.belief_topics(conn)
        m.episode_threads(conn)
        m.episode_threads(conn)  # idempotent
        cols = {t: {c["name"] for c in inspect(conn).get_columns(t)} for t in
                ("facts", "beliefs", "belief_evidence", "episodes")}  # fmt: skip
        thread = conn.exec_driver_sql("SELECT thread FROM episodes").scalar()
    assert {"slot", "supersession"} <= cols["facts"] and "topic" in cols["beliefs"]
    assert "cue" in cols["belief_evidence"] and "thread" in cols["episodes"] and thread == ""
