"""Persistent, incremental keyword indexes (BM25-style) living in the SQL database itself.

- `SQLiteKeywordIndex`: one FTS5 table per bank, ranked with `bm25()`, so a query only touches
  its bank's postings. This module is the one place where SQLite-only SQL is allowed.
- `PostgresKeywordIndex`: a `tsvector` column with a GIN index, ranked with `ts_rank_cd`.

User text never reaches the query syntax: queries are reduced to quoted word tokens, so FTS
syntax errors cannot surface. Scores are "higher is better".
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from sqlalchemy import text

from storage.db import Database

__all__ = [
    "KeywordIndex",
    "SQLiteKeywordIndex",
    "PostgresKeywordIndex",
    "keyword_index_for",
    "query_terms",
]

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "did",
        "do",
        "does",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)
MAX_TERMS = 32
# Common terms (Lucene's CommonTermsQuery cut-off): in a bank of at least COMMON_MIN_DOCS
# documents, a query term found in more than COMMON_SHARE of them is dropped from the match
# when the query has rarer terms. Its IDF is low (ln 5 at 20%, against ~3.3 at 5%), yet every
# document holding it had to be scored: at 130k documents "team" or "reviewed" alone put 26-32k
# rows behind a query. Smaller banks are searched exactly.
COMMON_SHARE = 0.10
COMMON_MIN_DOCS = 5_000
STATS_TTL_S = 60.0  # how long a bank's document count and term counts are reused


@runtime_checkable
class KeywordIndex(Protocol):
    def upsert(self, docs: Sequence[tuple[str, str, str]]) -> None:
        """Index (id, bank, text) triples; an existing id is replaced."""
        ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def query(self, query: str, k: int, bank: str) -> list[tuple[str, float]]:
        """Top-k (id, score) in `bank`; never raises on odd user input."""
        ...

    def count(self, bank: str | None = None) -> int: ...

    def ids(self, bank: str | None = None) -> set[str]: ...


def query_terms(query: str) -> list[str]:
    """Lower-cased alphanumeric tokens, stopwords dropped (unless nothing else is left)."""
    toks = re.findall(r"[^\W_]+", query.lower())
    content = [t for t in toks if t not in STOPWORDS]
    return list(dict.fromkeys(content or toks))[:MAX_TERMS]


def _chunks(seq: Sequence[str], n: int = 500) -> list[list[str]]:
    return [list(seq[i : i + n]) for i in range(0, len(seq), n)]


class SQLiteKeywordIndex:
    """FTS5 + bm25 in the same SQLite file: one FTS5 table per bank, one row per document,
    updated in place. `keyword_docs` maps document ids to FTS rowids and banks.

    A table per bank keeps a query's work to its own bank's postings: with one shared table,
    every query had to intersect with a bank token present in every document of the bank
    (~30% of the query time at 130k documents), and bm25's statistics mixed banks. Memories
    made with the shared table (`keyword_fts`) are moved over on open."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._tables: set[str] = set()  # per-bank tables known to exist
        self._stats: dict[tuple[str, str], tuple[float, int]] = {}  # (table, term|"") -> (t, n)
        self._stats_lock = threading.Lock()
        with db.schema_lock(), db.engine.begin() as c:
            c.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS keyword_docs "
                    "(rid INTEGER PRIMARY KEY, doc_id TEXT UNIQUE NOT NULL, bank TEXT NOT NULL)"
                )
            )
            c.execute(text("CREATE INDEX IF NOT EXISTS ix_keyword_docs_bank ON keyword_docs(bank)"))
            self._move_shared_table(c)

    @staticmethod
    def table_for(bank: str) -> str:
        """The FTS5 table holding `bank`'s documents."""
        return "kwfts_" + hashlib.sha1(bank.encode()).hexdigest()[:20]

    def _ensure(self, c, bank: str) -> str:  # type: ignore[no-untyped-def]
        table = self.table_for(bank)
        if table not in self._tables:
            c.execute(
                text(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                    "body, tokenize='porter unicode61 remove_diacritics 2')"
                )
            )
            self._tables.add(table)
        return table

    def _exists(self, c, table: str) -> bool:  # type: ignore[no-untyped-def]
        if table in self._tables:
            return True
        sql = text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :t")
        if c.execute(sql, {"t": table}).first() is None:
            return False  # not cached: another process may create it later
        self._tables.add(table)
        return True

    def _move_shared_table(self, c) -> None:  # type: ignore[no-untyped-def]
        """Move a memory made with the old shared table (`keyword_fts`, bank token column)
        into per-bank tables, keeping rowids, in the caller's transaction."""
        if not self._exists(c, "keyword_fts"):
            return
        banks = [r[0] for r in c.execute(text("SELECT DISTINCT bank FROM keyword_docs"))]
        for bank in banks:
            table = self._ensure(c, bank)
            c.execute(
                text(
                    f"INSERT INTO {table} (rowid, body) SELECT f.rowid, f.body FROM keyword_fts f "
                    "JOIN keyword_docs d ON d.rid = f.rowid WHERE d.bank = :b"
                ),
                {"b": bank},
            )
        c.execute(text("DROP TABLE keyword_fts"))
        self._tables.discard("keyword_fts")

    def upsert(self, docs: Sequence[tuple[str, str, str]]) -> None:
        if not docs:
            return
        docs = list({d[0]: d for d in docs}.values())  # the last text of a repeated id wins
        with self.db.engine.begin() as c:
            self._delete(c, [d[0] for d in docs])
            # Another process may index the same ids between that read and this write (reconcile
            # on open indexing facts their writer is about to index itself): the row it made is
            # kept and its text replaced below, never a constraint error.
            c.execute(  # executemany: one statement per batch, not per row
                text(
                    "INSERT INTO keyword_docs (doc_id, bank) VALUES (:d, :b) "
                    "ON CONFLICT (doc_id) DO NOTHING"
                ),
                [{"d": d, "b": b} for d, b, _ in docs],
            )
            rids: dict[str, int] = {}
            for chunk in _chunks([d[0] for d in docs]):
                params = {f"p{i}": v for i, v in enumerate(chunk)}
                inl = ", ".join(f":p{i}" for i in range(len(chunk)))
                sql = f"SELECT doc_id, rid FROM keyword_docs WHERE doc_id IN ({inl})"
                rids.update((r[0], r[1]) for r in c.execute(text(sql), params))
            by_bank: dict[str, list[dict[str, object]]] = {}
            for d, b, body in docs:
                by_bank.setdefault(b, []).append({"r": rids[d], "t": body})
            for bank, rows in by_bank.items():
                table = self._ensure(c, bank)
                c.execute(text(f"DELETE FROM {table} WHERE rowid = :r"), rows)
                c.execute(text(f"INSERT INTO {table} (rowid, body) VALUES (:r, :t)"), rows)

    def _delete(self, c, ids: Sequence[str]) -> None:  # type: ignore[no-untyped-def]
        for chunk in _chunks(ids):
            params = {f"p{i}": v for i, v in enumerate(chunk)}
            inl = ", ".join(f":p{i}" for i in range(len(chunk)))
            found = c.execute(
                text(f"SELECT rid, bank FROM keyword_docs WHERE doc_id IN ({inl})"), params
            ).all()
            by_bank: dict[str, list[int]] = {}
            for rid, bank in found:
                by_bank.setdefault(bank, []).append(int(rid))
            for bank, rids in by_bank.items():
                table = self.table_for(bank)
                if self._exists(c, table):
                    c.execute(
                        text(f"DELETE FROM {table} WHERE rowid IN ({', '.join(map(str, rids))})")
                    )
            c.execute(text(f"DELETE FROM keyword_docs WHERE doc_id IN ({inl})"), params)

    def delete(self, ids: Sequence[str]) -> None:
        with self.db.engine.begin() as c:
            self._delete(c, ids)

    def query(self, query: str, k: int, bank: str) -> list[tuple[str, float]]:
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        table = self.table_for(bank)
        with self.db.engine.connect() as c:
            if not self._exists(c, table):
                return []
            match = " OR ".join(f'"{t}"' for t in self._selective(c, table, terms))
            # rowids and scores from the FTS table alone; ids for the top k only
            hits = c.execute(
                text(
                    f"SELECT rowid, bm25({table}) AS s FROM {table} "
                    f"WHERE {table} MATCH :m ORDER BY s LIMIT :k"
                ),
                {"m": match, "k": k},
            ).all()
            if not hits:
                return []
            rids = ", ".join(str(int(r[0])) for r in hits)
            ids: dict[int, str] = dict(
                c.execute(text(f"SELECT rid, doc_id FROM keyword_docs WHERE rid IN ({rids})")).all()
            )
        return [(ids[r[0]], -float(r[1])) for r in hits if r[0] in ids]

    def _selective(self, c, table: str, terms: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
        """`terms` without the common ones (see COMMON_SHARE), when rarer ones remain."""
        if len(terms) < 2:
            return terms
        n = self._stat(c, table, "", f"SELECT count(*) FROM {table}_docsize", {})
        if n < COMMON_MIN_DOCS:
            return terms
        sql = f"SELECT count(*) FROM {table} WHERE {table} MATCH :m"
        df = {t: self._stat(c, table, t, sql, {"m": f'"{t}"'}) for t in terms}
        rare = [t for t in terms if 0 < df[t] <= COMMON_SHARE * n]
        return rare or terms

    def _stat(self, c, table: str, key: str, sql: str, params: dict[str, str]) -> int:  # type: ignore[no-untyped-def]
        """A count for `table` (documents, or documents holding a term), reused for
        STATS_TTL_S: shares move slowly, and a stale one only changes which terms are cut."""
        now = time.monotonic()
        with self._stats_lock:
            hit = self._stats.get((table, key))
        if hit is not None and now - hit[0] < STATS_TTL_S:
            return hit[1]
        value = int(c.execute(text(sql), params).scalar() or 0)
        with self._stats_lock:
            if len(self._stats) > 50_000:
                self._stats.clear()
            self._stats[(table, key)] = (now, value)
        return value

    def count(self, bank: str | None = None) -> int:
        return len(self.ids(bank))

    def ids(self, bank: str | None = None) -> set[str]:
        sql = "SELECT doc_id FROM keyword_docs" + (" WHERE bank = :b" if bank else "")
        with self.db.engine.connect() as c:
            return {r[0] for r in c.execute(text(sql), {"b": bank})}


class PostgresKeywordIndex:
    """tsvector + GIN on PostgreSQL, ranked with ts_rank_cd.

    ts_rank_cd costs ~11 us a row, and an OR of common words matches a tenth of a large bank
    (10k of 100k rows: ~110 ms a query). So `ts_rank` (~1.2 us a row) picks the `POOL` x k
    best matches and ts_rank_cd orders only those: at 100k docs, p50 106 -> 37 ms, p95
    270 -> 59 ms, and the top 30/100/300 are 100%/99.7%/99% the same as ranking every match
    with ts_rank_cd (100 bench.memory_scale queries, k=300).
    """

    POOL = 3
    _QUERY = text(
        "SELECT doc_id, ts_rank_cd(tsv, q) AS s FROM ("
        "SELECT doc_id, tsv, q FROM keyword_docs, to_tsquery(CAST(:cfg AS regconfig), :q) AS q "
        "WHERE bank = :b AND tsv @@ q ORDER BY ts_rank(tsv, q) DESC, doc_id LIMIT :pool"
        ") AS pool ORDER BY s DESC, doc_id LIMIT :k"
    )

    def __init__(self, db: Database, *, config: str = "english") -> None:
        self.db = db
        self.config = config
        with db.schema_lock(), db.engine.begin() as c:
            c.execute(
                text(
                    "CREATE TABLE IF NOT EXISTS keyword_docs (doc_id TEXT PRIMARY KEY, "
                    "bank TEXT NOT NULL, body TEXT NOT NULL, tsv TSVECTOR NOT NULL)"
                )
            )
            c.execute(text("CREATE INDEX IF NOT EXISTS ix_keyword_docs_bank ON keyword_docs(bank)"))
            c.execute(
                text(
                    "CREATE INDEX IF NOT EXISTS ix_keyword_docs_tsv ON keyword_docs USING GIN(tsv)"
                )
            )

    def upsert(self, docs: Sequence[tuple[str, str, str]]) -> None:
        if not docs:
            return
        sql = text(
            "INSERT INTO keyword_docs (doc_id, bank, body, tsv) "
            "VALUES (:d, :b, :t, to_tsvector(CAST(:cfg AS regconfig), :t)) "
            "ON CONFLICT (doc_id) DO UPDATE SET bank = EXCLUDED.bank, body = EXCLUDED.body, "
            "tsv = EXCLUDED.tsv"
        )
        with self.db.engine.begin() as c:
            c.execute(sql, [{"d": d, "b": b, "t": t, "cfg": self.config} for d, b, t in docs])

    def delete(self, ids: Sequence[str]) -> None:
        with self.db.engine.begin() as c:
            for chunk in _chunks(ids):
                params = {f"p{i}": v for i, v in enumerate(chunk)}
                inl = ", ".join(f":p{i}" for i in range(len(chunk)))
                c.execute(text(f"DELETE FROM keyword_docs WHERE doc_id IN ({inl})"), params)

    def query(self, query: str, k: int, bank: str) -> list[tuple[str, float]]:
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        params = {"cfg": self.config, "q": " | ".join(terms), "b": bank, "k": k}
        params["pool"] = k * self.POOL
        with self.db.engine.connect() as c:
            return [(r[0], float(r[1])) for r in c.execute(self._QUERY, params)]

    def count(self, bank: str | None = None) -> int:
        return len(self.ids(bank))

    def ids(self, bank: str | None = None) -> set[str]:
        sql = "SELECT doc_id FROM keyword_docs" + (" WHERE bank = :b" if bank else "")
        with self.db.engine.connect() as c:
            return {r[0] for r in c.execute(text(sql), {"b": bank})}


def keyword_index_for(db: Database) -> KeywordIndex:
    """The keyword backend matching the database's dialect."""
    if db.dialect == "sqlite":
        return SQLiteKeywordIndex(db)
    if db.dialect == "postgresql":
        return PostgresKeywordIndex(db)
    raise ValueError(f"no keyword index for SQL dialect {db.dialect!r}")
