"""Eight processes opening one shared memory at the same moment, on a brand-new PostgreSQL
database and on one created by an older engram: every process starts, none loses its write."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text

from storage.db import MIGRATIONS, Database
from tests.storage.shared_fixtures import chroma_server_url, fresh_pg_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 8

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


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


def _episodes(db_url: str, bank: str) -> int:
    engine = create_engine(Database(db_url).url)
    with engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM episodes WHERE bank = :b"), {"b": bank}).scalar()
    engine.dispose()
    return int(n or 0)


def test_eight_processes_start_together_on_a_new_database(
    fresh_pg_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    bank = "first-" + uuid4().hex[:6]
    reports = _start_together(fresh_pg_url, chroma_server_url, bank, tmp_path)
    assert sorted(int(r["worker"]) for r in reports) == list(range(PROCESSES))  # type: ignore[call-overload]
    assert _episodes(fresh_pg_url, bank) == PROCESSES
    assert Database(fresh_pg_url).applied_migrations() == sorted(n for n, _ in MIGRATIONS)
