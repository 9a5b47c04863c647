"""Eight processes opening one memory at the same moment: on a brand-new PostgreSQL database,
on one an older engram made (migrations still to apply), and on a new SQLite file. Every
process starts and none loses its write (before the schema lock covered every DDL, one of
them died with `UniqueViolation ... pg_type_typname_nsp_index (keyword_docs)`, and on SQLite
with `UNIQUE constraint failed: engram_migrations.name`)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text

from storage.db import MIGRATIONS, Database, sqlite_url
from storage.schema import IngestedUnit, PendingConsolidation
from tests.storage.shared_fixtures import fresh_pg_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8
NEW = {"0009_ingest_units": IngestedUnit, "0010_consolidation_outbox": PendingConsolidation}

pytestmark = pytest.mark.slow


def _start_together(db_url: str, chroma_url: str, bank: str, tmp: Path) -> list[dict[str, object]]:
    go = tmp / f"go-{uuid4().hex[:6]}"
    cmd = [sys.executable, "-m", "tests.storage.first_start_worker", db_url, chroma_url, bank]
    procs = [
        subprocess.Popen(
            [*cmd, str(w), str(go)],
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for w in range(PROCESSES)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp.glob(f"{go.name}.ready-*"))) < PROCESSES and time.monotonic() < deadline:
        time.sleep(0.05)  # every interpreter has imported everything: release them at once
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=180)
        assert p.returncode == 0, stderr[-3000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def _check(db_url: str, bank: str, reports: list[dict[str, object]]) -> None:
    assert sorted(int(str(r["worker"])) for r in reports) == list(range(PROCESSES))
    db = Database(db_url)
    with db.engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM episodes WHERE bank = :b"), {"b": bank}).scalar()
        k = c.execute(text("SELECT count(*) FROM keyword_docs")).scalar()
    assert n == PROCESSES and k == PROCESSES  # every write kept, every fact indexed
    assert db.applied_migrations() == sorted(name for name, _ in MIGRATIONS)
    db.dispose()


@pytest.mark.postgres
def test_eight_processes_start_together_on_a_new_database(
    fresh_pg_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    bank = "first-" + uuid4().hex[:6]
    _check(fresh_pg_url, bank, _start_together(fresh_pg_url, "-", bank, tmp_path))


def _make_old(db_url: str) -> None:
    """The database as the engram before migrations 0009-0010 left it."""
    db = Database(db_url)
    engine = create_engine(db.url)
    with engine.begin() as c:
        for name, table in NEW.items():
            c.execute(text(f"DROP TABLE {table.__tablename__}"))
            c.execute(text("DELETE FROM engram_migrations WHERE name = :n"), {"n": name})
    engine.dispose()
    db.dispose()


@pytest.mark.postgres
def test_eight_processes_start_together_on_an_old_database(
    fresh_pg_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    _make_old(fresh_pg_url)
    bank = "old-" + uuid4().hex[:6]
    _check(fresh_pg_url, bank, _start_together(fresh_pg_url, "-", bank, tmp_path))


def test_eight_processes_start_together_on_a_new_sqlite_file(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "shared.db")
    _check(url, "lite", _start_together(url, "-", "lite", tmp_path))
