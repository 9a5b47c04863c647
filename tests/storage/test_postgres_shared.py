"""The Memory facade on both deployments — embedded (SQLite + Chroma folder) and shared
(PostgreSQL + Chroma server) — behaves the same; env vars pick the shared one."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest

from memory.memory import Memory
from storage.db import Database, normalise_url
from storage.errors import FolderBusy
from storage.keyword import PostgresKeywordIndex
from storage.reconcile import expected_docs, reconcile
from storage.store import Store
from storage.sync import FolderLock
from storage.vectors import ChromaVectorIndex
from tests.fakes import HashEmbedder
from tests.storage.shared_fixtures import (  # noqa: F401
    chroma_server_url,
    fresh_pg_url,
    pg_database_url,
)

AT = datetime(2025, 10, 14, tzinfo=UTC)
NOTES = [
    "We picked PostgreSQL over MySQL in October because of JSON support.",
    "Sarah Lee finishes her tasks early.",
    "Alice Chen moved the Atlas release to Friday.",
    "The deploy was blocked by flaky integration tests.",
]


@pytest.fixture(params=["embedded", pytest.param("shared", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "embedded":
        s = Store.open(tmp_path / "home", embedder=HashEmbedder(64))
    else:
        s = Store.open(tmp_path / "home", request.getfixturevalue("pg_database_url"),
                       HashEmbedder(64), chroma_url=request.getfixturevalue("chroma_server_url"))  # fmt: skip
    yield s
    s.close()


def _consistent(store: Store, bank: str) -> bool:
    want = {i for i, d in expected_docs(store).items() if d.bank == bank}
    return store.keywords.ids(bank) == want == store.vectors.ids(bank)


def test_retain_recall_entity_forget(store: Store) -> None:
    mem, bank = Memory(store, clock=lambda: AT), "b-" + uuid4().hex[:8]
    for i, note in enumerate(NOTES):
        mem.retain(note, mentioned_at=AT, source=f"doc{i}", bank=bank)
    assert mem.retain(NOTES[0], mentioned_at=AT, source="doc0", bank=bank).noop
    hits = mem.recall("why postgresql over mysql", bank=bank, k=3)
    assert "PostgreSQL" in hits[0].text
    assert "keyword" in hits[0].channels  # PostgreSQL full-text search / SQLite FTS5
    assert mem.entity("Alice Chen", bank=bank).name == "Alice Chen"  # type: ignore[union-attr]
    assert _consistent(store, bank)
    assert any("Sarah" in h.text for h in mem.recall("Sarah tasks", bank=bank, k=5))
    mem.forget(source="doc1", bank=bank)
    assert not any("Sarah" in h.text for h in mem.recall("Sarah tasks", bank=bank, k=5))
    assert _consistent(store, bank)


def test_reconcile_repairs_lost_index_entries(store: Store) -> None:
    mem, bank = Memory(store, clock=lambda: AT), "b-" + uuid4().hex[:8]
    res = mem.retain(NOTES[2], mentioned_at=AT, bank=bank)
    store.vectors.delete(res.fact_ids)
    store.keywords.delete(res.fact_ids[:1])
    assert not _consistent(store, bank)
    assert reconcile(store).indexed >= len(res.fact_ids)
    assert _consistent(store, bank)


@pytest.mark.postgres
def test_env_vars_select_postgres_and_chroma_server(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    pg_database_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
) -> None:
    assert pg_database_url.startswith("postgresql://")  # plain URL, rewritten for psycopg 3
    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path))
    monkeypatch.setenv("ENGRAM_DATABASE_URL", pg_database_url)
    monkeypatch.setenv("ENGRAM_CHROMA_URL", chroma_server_url)
    from agent import wiring

    monkeypatch.setattr(wiring, "build_embedder", lambda settings: HashEmbedder(64))
    store = wiring.open_store(wiring.settings_from_env())
    try:
        assert store.db.dialect == "postgresql" and store.db.url.startswith("postgresql+psycopg")
        assert isinstance(store.keywords, PostgresKeywordIndex)
        assert isinstance(store.vectors, ChromaVectorIndex) and store.vectors.path is None
        assert not (tmp_path / "chroma").exists() and not (tmp_path / "engram.db").exists()
    finally:
        store.close()


def test_plain_postgres_urls_mean_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.postgres
def test_postgres_keyword_index_uses_tsvector_gin(pg_database_url: str) -> None:  # noqa: F811
    db = Database(pg_database_url)
    PostgresKeywordIndex(db)
    from sqlalchemy import text

    with db.engine.connect() as c:
        idx = c.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename='keyword_docs'"))
        assert any("gin" in r[0].lower() and "tsv" in r[0] for r in idx)
    db.dispose()


@pytest.mark.postgres
def test_postgres_keyword_pool_keeps_the_best_matches(pg_database_url: str) -> None:  # noqa: F811
    """ts_rank picks a pool of POOL x k matches and ts_rank_cd orders it: with far more matches
    than the pool holds, the documents matching most query terms still come first."""
    kw, bank = PostgresKeywordIndex(Database(pg_database_url)), "kw-" + uuid4().hex[:8]
    filler = [(f"{bank}-f{i}", bank, f"the migration note number {i}") for i in range(60)]
    best = [(f"{bank}-best", bank, "Apollo migration finished early, the Apollo team says")]
    good = [(f"{bank}-good", bank, "the Apollo migration")]
    kw.upsert(filler + best + good)
    got = [d for d, _ in kw.query("Who finished the Apollo migration early?", 3, bank)]
    assert got[:2] == [f"{bank}-best", f"{bank}-good"]
    assert len(got) == 3
    kw.db.dispose()


@pytest.mark.postgres
def test_dead_pooled_connection_is_replaced_after_idling(
    pg_database_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No pre-ping on every checkout; a connection that sat idle is pinged and, when the server
    dropped it (restart, idle timeout), replaced instead of failing the caller's query."""
    from sqlalchemy import text

    import storage.db

    db = Database(pg_database_url)
    db.engine.dispose()  # the pool holds one connection: the one killed below
    with db.engine.connect() as c:
        pid = c.execute(text("SELECT pg_backend_pid()")).scalar_one()
    admin = Database(pg_database_url)
    with admin.engine.connect() as c:
        assert c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar_one()
    admin.dispose()
    monkeypatch.setattr(storage.db, "PING_AFTER_IDLE_S", 0.0)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
    db.dispose()


@pytest.mark.postgres
def test_stock_random_page_cost_is_priced_for_ssd_but_a_dba_choice_is_kept(
    fresh_pg_url: str,  # noqa: F811
) -> None:
    from sqlalchemy import text

    from storage.db import RANDOM_PAGE_COST

    def cost() -> str:
        db = Database(fresh_pg_url)
        with db.engine.connect() as c:
            value = str(c.execute(text("SHOW random_page_cost")).scalar_one())
        db.dispose()
        return value

    with Database(fresh_pg_url).engine.connect() as c:
        stock = c.execute(text("SELECT boot_val FROM pg_settings WHERE name = 'random_page_cost'"))
        server = c.execute(
            text("SELECT reset_val FROM pg_settings WHERE name = 'random_page_cost'")
        )
        if (stock.scalar_one(), server.scalar_one()) != ("4", "4"):
            pytest.skip(reason="this server does not keep the stock random_page_cost")
    assert cost() == RANDOM_PAGE_COST
    name = fresh_pg_url.rsplit("/", 1)[1]
    with Database(fresh_pg_url).engine.connect() as c:
        c.execute(text(f"ALTER DATABASE {name} SET random_page_cost = 2"))
        c.commit()
    assert cost() == "2"


HOLD = "import sys, time; from storage.sync import FolderLock; FolderLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)"


def test_embedded_folder_has_one_owner_process(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "chroma")], cwd=root,
                         stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "held"
        with pytest.raises(FolderBusy, match="ENGRAM_CHROMA_URL"):
            FolderLock(tmp_path / "chroma", wait=0.3).acquire()
    finally:
        p.kill()
        p.wait()
    lock = FolderLock(tmp_path / "chroma", wait=5).acquire()  # free again once it exits
    again = FolderLock(tmp_path / "chroma").acquire()  # the same process may reopen
    again.release()
    lock.release()


@pytest.mark.postgres
def test_agent_wiring_opens_the_shared_stores(
    tmp_path: Path,
    pg_database_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
) -> None:
    """`engram ask/chat/ingest` build memory through agent.wiring: it must use the server
    too, or a second agent process would find the embedded folder busy."""
    from agent.wiring import open_memory, settings_from_env

    settings = settings_from_env({
        "ENGRAM_HOME": str(tmp_path),
        "ENGRAM_DATABASE_URL": pg_database_url,
        "ENGRAM_CHROMA_URL": chroma_server_url,
    })  # fmt: skip
    mem = open_memory(settings)
    try:
        assert mem.store.db.dialect == "postgresql"
        assert isinstance(mem.store.vectors, ChromaVectorIndex) and mem.store.vectors.path is None
        assert not (tmp_path / "chroma").exists()
    finally:
        mem.store.close()
