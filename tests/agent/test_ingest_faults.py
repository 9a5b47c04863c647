"""Faults in real processes on real files: `engram ingest` of 200 small documents killed with
SIGKILL at random points, then run again; and on the shared deployment, the Chroma server
stopped in the middle of the run, then started again. Afterwards every document is in memory
exactly once, every index holds exactly what SQL holds (no orphans, nothing missing: reconcile
brought the vectors back), and the last run's report counts what happened."""

from __future__ import annotations

import json
import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.chroma_server import ChromaServer
from storage.reconcile import expected_docs
from storage.store import Store
from tests.agent.cli_procs import engram, start_engram
from tests.fakes import HashEmbedder
from tests.storage.shared_fixtures import fresh_pg_url  # noqa: F401

pytestmark = pytest.mark.slow

DOCS = 200
MINILM_DIM = 384


def _docs(root: Path) -> Path:
    root.mkdir(parents=True)
    for i in range(DOCS):  # one date each: no document is another's preceding-turn context
        day = (date(2025, 1, 1) + timedelta(days=i)).isoformat()
        (root / f"{day}-note-{i:03d}.md").write_text(
            f"# Note {i}\n\nPerson{i} Smith reviewed ticket {i}; codename zq{i}x.\n"
        )
    return root


def _sqlite_done(home: Path) -> int:
    try:
        with sqlite3.connect(f"file:{home / 'engram.db'}?mode=ro", uri=True, timeout=1) as db:
            return int(db.execute("SELECT count(*) FROM ingest_units").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet, or busy for a moment
        return 0


def _pg_done(url: str) -> int:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as c:
            return int(c.execute(text("SELECT count(*) FROM ingest_units")).scalar() or 0)
    except Exception:  # noqa: BLE001 - the table may not exist yet
        return 0
    finally:
        engine.dispose()


def _wait_for(done: int, count: object, proc: object, limit: float = 240) -> None:
    deadline = time.monotonic() + limit
    while count() < done and proc.poll() is None and time.monotonic() < deadline:  # type: ignore[operator, attr-defined]
        time.sleep(0.02)


def _check_memory(store: Store, docs: Path) -> None:
    """Each document once, as its one chunk, and every index == SQL."""
    with store.db.engine.connect() as c:
        rows = c.execute(text("SELECT source, text FROM episodes WHERE bank = 'default'")).all()
    by_doc: dict[str, int] = {}
    for source, _ in rows:
        by_doc[source.split("#")[0]] = by_doc.get(source.split("#")[0], 0) + 1
    want = {f"doc:{p.resolve().as_posix()}" for p in docs.iterdir()}
    assert set(by_doc) == want and set(by_doc.values()) == {1}, by_doc
    sql_ids = set(expected_docs(store))
    assert store.keywords.ids("default") == sql_ids
    assert store.vectors.ids("default") == sql_ids
    for i in random.Random(7).sample(range(DOCS), 20):  # each findable by its own code word
        hits = store.keywords.query(f"zq{i}x", 5, "default")
        assert len(hits) >= 1
        with store.db.engine.connect() as c:
            q = text("SELECT e.source FROM facts f JOIN episodes e ON e.id = f.episode_id "
                     "WHERE f.id = :f")  # fmt: skip
            sources = {c.execute(q, {"f": fid}).scalar() for fid, _ in hits}
        assert {s.split("#")[0] for s in sources} == {f"doc:{_doc(docs, i).resolve().as_posix()}"}


def _doc(docs: Path, i: int) -> Path:
    return next(docs.glob(f"*-note-{i:03d}.md"))


def test_kill_9_at_random_points_then_a_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    home, docs = tmp_path / "home", _docs(tmp_path / "docs")
    rng = random.Random(12)
    kills = sorted(rng.sample(range(5, DOCS - 10), 3))
    for target in kills:
        proc = start_engram(home, "ingest", str(docs), "--json")
        _wait_for(target, lambda: _sqlite_done(home), proc)
        time.sleep(rng.uniform(0, 0.15))  # land anywhere: mid-retain, mid-index, mid-record
        assert proc.poll() is None, "the run finished before it was killed"
        proc.kill()
        proc.wait(timeout=30)
    done = _sqlite_done(home)
    assert kills[-1] <= done < DOCS
    out = engram(home, "ingest", str(docs), "--json")
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout)
    assert (report["units"], report["failed"], report["replaced"]) == (DOCS, 0, 0)
    assert (report["already_done"], report["ingested"]) == (done, DOCS - done)
    assert report["episodes"] == DOCS - done
    store = Store.open(home, embedder=HashEmbedder(MINILM_DIM), reconcile=False)
    try:
        _check_memory(store, docs)
    finally:
        store.close()
    again = json.loads(engram(home, "ingest", str(docs), "--json").stdout)
    assert (again["ingested"], again["already_done"]) == (0, DOCS)


@pytest.mark.postgres
def test_chroma_server_stopped_mid_run_then_reconciled(
    fresh_pg_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    docs = _docs(tmp_path / "docs")
    server = ChromaServer(Path(tempfile.mkdtemp(prefix="engram-chroma-fault-")) / "data").start()
    env = {"ENGRAM_DATABASE_URL": fresh_pg_url, "ENGRAM_CHROMA_URL": server.url}
    home = tmp_path / "home"
    try:
        proc = start_engram(home, "ingest", str(docs), "--json", **env)
        _wait_for(60, lambda: _pg_done(fresh_pg_url), proc)
        assert proc.poll() is None, "the run finished before the server was stopped"
        server.stop()
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 5 and "Traceback" not in err, err[-3000:]
        report = json.loads(out)
        assert report["stopped_by"] and "Chroma server" in report["stopped_by"]
        assert report["ingested"] + report["already_done"] + report["not_attempted"] + 1 == DOCS
        assert err.strip().splitlines()[-1].startswith("engram: ingest stopped: Chroma server")
        done = _pg_done(fresh_pg_url)
        server.start()  # same folder, same port: the vectors written so far are back too
        rerun = engram(home, "ingest", str(docs), "--json", **env)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        d = json.loads(rerun.stdout)
        assert (d["already_done"], d["ingested"], d["failed"]) == (done, DOCS - done, 0)
        store = Store.open(home, fresh_pg_url, HashEmbedder(MINILM_DIM), reconcile=False,
                           chroma_url=server.url)  # fmt: skip
        try:
            _check_memory(store, docs)
        finally:
            store.close()
    finally:
        server.stop()
