"""Several processes retaining and recalling at once on one bank of a shared deployment
(PostgreSQL + Chroma server) lose nothing, duplicate nothing and leave the indexes consistent."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import func
from sqlmodel import select

from storage.reconcile import expected_docs
from storage.schema import Alias, Entity, Episode
from storage.store import Store
from tests.fakes import HashEmbedder
from tests.memory.concurrency_worker import SHARED
from tests.storage.shared_fixtures import chroma_server_url, pg_database_url  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
WORKERS, PER_WORKER = 4, 12

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _spawn(db: str, chroma: str, bank: str, start: Path) -> list[subprocess.Popen[str]]:
    cmd = [sys.executable, "-m", "tests.memory.concurrency_worker", db, chroma, bank]
    return [
        subprocess.Popen(
            [*cmd, str(w), str(PER_WORKER), str(start)],
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for w in range(WORKERS)
    ]


def test_four_writer_processes_lose_and_duplicate_nothing(
    pg_database_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    bank = "team-" + uuid4().hex[:8]
    Store.open(
        tmp_path / "parent", pg_database_url, HashEmbedder(64), chroma_url=chroma_server_url
    ).close()  # fmt: skip  (migrations run once first)
    start = tmp_path / "go"
    procs = _spawn(pg_database_url, chroma_server_url, bank, start)
    start.touch()
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["hits"] > 0 for r in reports)

    store = Store.open(tmp_path / "parent", pg_database_url, HashEmbedder(64),
                       chroma_url=chroma_server_url)  # fmt: skip
    try:
        with store.db.session() as s:
            eps = s.exec(select(Episode.source, Episode.text).where(Episode.bank == bank)).all()
            names = s.exec(select(Entity.name).where(Entity.bank == bank)).all()
            alias_rows = s.exec(
                select(Alias.normalised, func.count())
                .where(Alias.bank == bank)
                .group_by(Alias.normalised, Alias.entity_id)  # fmt: skip
            ).all()
        # nothing lost, the shared texts stored once
        assert len(eps) == WORKERS * PER_WORKER + len(SHARED)
        assert sorted(t for src, t in eps if src == "shared") == sorted(SHARED)
        assert len(set(eps)) == len(eps)
        # the same entity named in every process is one entity
        for name in ("Alice Chen", "Bob Stone"):
            assert names.count(name) == 1, sorted(names)
        assert len(names) == len(set(names))
        assert all(n == 1 for _, n in alias_rows)
        # every index holds exactly what SQL holds
        want = {i for i, d in expected_docs(store).items() if d.bank == bank}
        assert store.keywords.ids(bank) == want
        assert store.vectors.ids(bank) == want
        assert len(want) >= WORKERS * PER_WORKER
    finally:
        store.close()
