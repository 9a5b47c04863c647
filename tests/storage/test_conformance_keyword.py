"""One conformance suite for every KeywordIndex backend (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.db import Database, sqlite_url
from storage.keyword import KeywordIndex, PostgresKeywordIndex, SQLiteKeywordIndex, query_terms


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def index(request: pytest.FixtureRequest, tmp_path) -> Iterator[KeywordIndex]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        db = Database(sqlite_url(tmp_path / "k.db"))
        yield SQLiteKeywordIndex(db)
    else:
        db = Database(request.getfixturevalue("pg_url"))
        idx = PostgresKeywordIndex(db)
        idx.delete(sorted(idx.ids()))
        yield idx
    db.dispose()


DOCS = [
    ("1", "b1", "We picked PostgreSQL over MySQL in October because of JSON support"),
    ("2", "b1", "Sarah finishes her tasks early"),
    ("3", "b1", "The deployment was blocked by the flaky integration tests"),
    ("4", "b2", "PostgreSQL is the database of bank two"),
]


def test_is_a_keyword_index(index: KeywordIndex) -> None:
    assert isinstance(index, KeywordIndex)


def test_ranking_and_bank_scope(index: KeywordIndex) -> None:
    index.upsert(DOCS)
    hits = index.query("why postgresql?", 10, "b1")
    assert [h[0] for h in hits] == ["1"]
    assert [h[0] for h in index.query("postgresql", 10, "b2")] == ["4"]
    assert index.query("postgresql", 10, "b3") == []
    top = index.query("deployment blocked tests", 10, "b1")
    assert top[0][0] == "3" and all(a[1] >= b[1] for a, b in zip(top, top[1:], strict=False))


def test_stemming_matches_word_forms(index: KeywordIndex) -> None:
    index.upsert(DOCS)
    assert index.query("finishing task", 5, "b1")[0][0] == "2"


def test_incremental_upsert_and_delete(index: KeywordIndex) -> None:
    index.upsert(DOCS)
    index.upsert([("2", "b1", "Sarah now finishes late")])
    assert index.count("b1") == 3 and index.count() == 4
    assert index.query("early", 5, "b1") == []
    index.delete(["2", "nope"])
    assert index.query("sarah", 5, "b1") == []
    assert index.ids("b1") == {"1", "3"}


@pytest.mark.parametrize(
    "q", ['"', "AND OR NOT", "NEAR(", "col:val", "*", "^x", "()", "", "   ", "\x00", "a-b-c"]
)
def test_hostile_queries_never_raise(index: KeywordIndex, q: str) -> None:
    index.upsert(DOCS)
    assert isinstance(index.query(q, 5, "b1"), list)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_fuzzed_queries_never_raise(index: KeywordIndex, q: str) -> None:
    index.upsert(DOCS[:1])
    assert isinstance(index.query(q, 3, "b1"), list)


def test_query_terms_drop_stopwords_unless_nothing_left() -> None:
    assert query_terms("What did we pick?") == ["pick"]
    assert query_terms("who is it") == ["who", "is", "it"]


def test_batch_upsert_with_a_repeated_id_keeps_the_last_text(index: KeywordIndex) -> None:
    index.upsert([("a", "b1", "alice likes tea"), ("b", "b1", "bob rides bikes")])
    index.upsert([("a", "b1", "carol sings"), ("c", "b1", "dave"), ("a", "b1", "erin paints")])
    assert index.count("b1") == 3
    assert [h[0] for h in index.query("erin paints", 5, "b1")] == ["a"]
    assert index.query("carol", 5, "b1") == [] and index.query("alice", 5, "b1") == []


def test_a_document_moved_to_another_bank_leaves_the_first(index: KeywordIndex) -> None:
    index.upsert(DOCS)
    index.upsert([("2", "b2", "Sarah finishes her tasks early")])
    assert index.query("sarah", 5, "b1") == []
    assert [h[0] for h in index.query("sarah", 5, "b2")] == ["2"]
    assert index.ids("b1") == {"1", "3"}


def test_sqlite_memory_with_the_old_shared_table_is_moved_per_bank(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    db = Database(sqlite_url(tmp_path / "old.db"))
    with db.engine.begin() as c:  # the layout before per-bank tables
        c.execute(text("CREATE TABLE keyword_docs (rid INTEGER PRIMARY KEY, "
                       "doc_id TEXT UNIQUE NOT NULL, bank TEXT NOT NULL)"))  # fmt: skip
        c.execute(text("CREATE VIRTUAL TABLE keyword_fts USING fts5(body, banktok, "
                       "tokenize='porter unicode61 remove_diacritics 2')"))  # fmt: skip
        for rid, (doc, bank, body) in enumerate(DOCS, 1):
            c.execute(text("INSERT INTO keyword_docs VALUES (:r, :d, :b)"),
                      {"r": rid, "d": doc, "b": bank})  # fmt: skip
            c.execute(text("INSERT INTO keyword_fts (rowid, body, banktok) VALUES (:r, :t, 'x')"),
                      {"r": rid, "t": body})  # fmt: skip
    index = SQLiteKeywordIndex(db)
    assert [h[0] for h in index.query("postgresql", 5, "b1")] == ["1"]
    assert [h[0] for h in index.query("postgresql", 5, "b2")] == ["4"]
    with db.engine.connect() as c:
        names = {r[0] for r in c.execute(text("SELECT name FROM sqlite_master"))}
    assert "keyword_fts" not in names
    assert SQLiteKeywordIndex(db).count() == 4  # reopening moves nothing twice
    db.dispose()


def test_sqlite_large_bank_drops_common_terms_only_beside_rarer_ones(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import storage.keyword as kw

    monkeypatch.setattr(kw, "COMMON_MIN_DOCS", 100)
    index = SQLiteKeywordIndex(Database(sqlite_url(tmp_path / "k.db")))
    docs = [(f"d{i}", "big", f"team standup number {i}") for i in range(200)]
    docs += [("r1", "big", "team chose Kafka"), ("r2", "big", "Kafka lag alert")]
    docs += [(f"s{i}", "small", f"team note {i}") for i in range(20)] + [("s-k", "small", "Kafka")]
    index.upsert(docs)
    assert {h[0] for h in index.query("team kafka", 50, "big")} == {"r1", "r2"}
    assert len(index.query("team", 50, "big")) == 50  # alone, a common term still matches
    assert len(index.query("team kafka", 50, "small")) == 21  # a small bank is exact
    assert [h[0] for h in index.query("team nothinglikethis", 5, "big")][:1] != []
