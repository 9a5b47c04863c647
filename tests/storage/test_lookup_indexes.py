"""Migration 0003: recall's "these ids in this bank" lookups probe a (bank, key) index instead of
walking every row of the bank."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import Database, sqlite_url


def _plan(db: Database, sql: str) -> str:
    with db.engine.connect() as c:
        return " | ".join(r[3] for r in c.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_id_lookups_within_a_bank_use_the_bank_key_indexes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = Database(sqlite_url(tmp_path / "e.db"))
    assert "0003_recall_lookup_indexes" in db.applied_migrations()
    facts = _plan(db, "SELECT * FROM facts WHERE bank = 'b' AND id IN ('x', 'y')")
    assert "ix_facts_bank_id" in facts
    eps = _plan(db, "SELECT mentioned_at FROM episodes WHERE bank = 'b' AND id IN ('x', 'y')")
    assert "ix_episodes_bank_id" in eps
    links = _plan(db, "SELECT * FROM observation_facts WHERE bank = 'b' AND fact_id IN ('x')")
    assert "ix_observation_facts_bank_fact" in links

    recent = _plan(
        db,
        "SELECT id FROM facts WHERE bank = 'b' AND subject_entity_id = 'e' "
        "AND invalidated_at IS NULL ORDER BY mentioned_at DESC LIMIT 300",
    )
    assert "ix_facts_subject_recent" in recent and "TEMP B-TREE" not in recent

    holders = _plan(
        db,
        "SELECT * FROM facts WHERE bank = 'b' AND predicate = 'producer' "
        "AND invalidated_at IS NULL AND subject_entity_id IS NOT NULL AND id != 'x'",
    )
    assert "ix_facts_bank_predicate" in holders


def test_migration_is_idempotent_on_reopen(tmp_path) -> None:  # type: ignore[no-untyped-def]
    Database(sqlite_url(tmp_path / "e.db")).dispose()
    assert Database(sqlite_url(tmp_path / "e.db")).migrate() == []
