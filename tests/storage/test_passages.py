"""Preceding-turn lookups (storage.passages): order, scope and the word-snapped tail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage.db import Database, sqlite_url
from storage.passages import (
    following_episodes,
    latest_tails,
    preceding_text,
    preceding_texts,
    tail,
)
from storage.schema import Episode

T0 = datetime(2025, 10, 1, 9, tzinfo=UTC)


def _db(tmp_path: Path) -> Database:
    db = Database(sqlite_url(tmp_path / "p.db"))
    db.migrate()
    return db


def _ep(text: str, i: int, bank: str = "b", when: datetime = T0) -> Episode:
    return Episode(
        bank=bank,
        text=text,
        content_hash=text,
        mentioned_at=when,
        recorded_at=T0 + timedelta(seconds=i),
    )


def test_tail_is_bounded_and_snapped_to_a_word() -> None:
    assert tail("short turn") == "short turn"
    long = "alpha " * 100
    got = tail(long, 40)
    assert len(got) <= 40 and got.startswith("alpha")


def test_preceding_and_following_stay_in_bank_and_session(tmp_path: Path) -> None:
    db = _db(tmp_path)
    a, b, c = _ep("A: first", 1), _ep("B: second", 2), _ep("C: third", 3)
    other_bank = _ep("X: elsewhere", 0, bank="o")
    other_session = _ep("D: next day", 4, when=T0 + timedelta(days=1))
    with db.session() as s:
        s.add_all([a, b, c, other_bank, other_session])
        s.commit()
        assert preceding_text(s, "b", T0, b.recorded_at) == "A: first"
        assert preceding_text(s, "b", T0, a.recorded_at) == ""
        assert preceding_texts(s, [a.id, b.id, c.id, other_session.id]) == {
            b.id: "A: first",
            c.id: "B: second",
        }
        assert following_episodes(s, "b", [a.id, c.id, other_session.id]) == {b.id}


def test_two_documents_of_one_date_lend_each_other_nothing(tmp_path: Path) -> None:
    db = _db(tmp_path)
    a, b = _ep("Plan A: ship the beta.", 1), _ep("Plan B: hire two people.", 2)
    a.thread, b.thread = "doc:/notes/a.md", "doc:/notes/b.md"
    with db.session() as s:
        s.add_all([a, b])
        s.commit()
        assert preceding_text(s, "b", T0, b.recorded_at, b.thread) == ""
        assert preceding_texts(s, [a.id, b.id]) == {}
        assert following_episodes(s, "b", [a.id]) == set()


def _latest_tails_agree_with_the_probe(db: Database) -> None:
    later = T0 + timedelta(hours=2)
    eps = [
        _ep("A: first", 1),
        _ep("B: second", 2),
        _ep("X: elsewhere", 3, bank="o"),
        _ep("C: other session", 4, when=later),
        _ep("D: " + "word " * 200, 5, when=later),
    ]
    with db.session() as s:
        s.add_all(eps)
        s.commit()
        now = T0 + timedelta(days=9)
        keys = [("b", "", T0), ("o", "", T0), ("b", "", later), ("b", "", T0 + timedelta(days=3)),
                ("z", "", T0), ("b", "doc:x.md", T0)]  # fmt: skip
        # more keys than one statement takes: the batching must not lose or shift any
        got = latest_tails(s, keys, per_query=2)
        want = {k: preceding_text(s, k[0], k[2], now, k[1]) for k in keys}
        assert got == {k: v for k, v in want.items() if v}
        assert got[("b", "", T0)] == "B: second" and got[("o", "", T0)] == "X: elsewhere"
        assert len(got[("b", "", later)]) <= 300 and ("b", "", T0 + timedelta(days=3)) not in got
        assert ("b", "doc:x.md", T0) not in got  # another thread lends nothing
        assert latest_tails(s, []) == {}


def test_latest_tails_answer_like_one_probe_per_key(tmp_path: Path) -> None:
    _latest_tails_agree_with_the_probe(_db(tmp_path))


def test_latest_tails_on_postgresql(pg_url: str) -> None:
    db = Database(pg_url)
    db.migrate()
    try:
        _latest_tails_agree_with_the_probe(db)
    finally:
        db.dispose()
