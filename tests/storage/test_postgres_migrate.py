"""`engram migrate --to URL`: the embedded memory moves to PostgreSQL + a Chroma server with its
ids, counts are verified, a re-run is a no-op, and a foreign target is refused without --merge."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from agent.cli import main
from memory.memory import Memory
from storage.errors import MigrationError
from storage.migrate import migrate_store
from storage.store import Store
from tests.fakes import HashEmbedder
from tests.storage.shared_fixtures import chroma_server_url, fresh_pg_url  # noqa: F401

pytestmark = pytest.mark.postgres
AT = datetime(2025, 10, 14, tzinfo=UTC)
EMB = HashEmbedder(64)


def _embedded(home: Path) -> dict[str, str]:
    """An embedded memory with two banks; returns each bank's top recall text."""
    store = Store.open(home, embedder=EMB)
    mem = Memory(store, clock=lambda: AT)
    for i in range(12):
        mem.retain(f"Alice Chen reviewed ticket {i} of Project Atlas.", mentioned_at=AT,
                   source=f"t{i}", bank="team")  # fmt: skip
    mem.retain("We picked PostgreSQL over MySQL for JSON support.", mentioned_at=AT, bank="team")
    mem.retain("Bob likes green tea.", mentioned_at=AT, bank="bob")
    mem.register_mental_model("What is Alice working on?", bank="team")
    top = {b: mem.recall(q, bank=b, k=1)[0].text for b, q in
           [("team", "why postgresql"), ("bob", "tea")]}  # fmt: skip
    store.close()
    return top


def _target(home: Path, url: str, chroma: str) -> Store:
    return Store.open(home, url, EMB, chroma_url=chroma, reconcile=False)


def test_migrate_copies_everything_and_is_idempotent(
    tmp_path: Path,
    fresh_pg_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
) -> None:
    top = _embedded(tmp_path / "home")
    source = Store.open(tmp_path / "home", embedder=EMB)
    target = _target(tmp_path / "home", fresh_pg_url, chroma_server_url)
    report = migrate_store(source, target)
    assert not report.already_done and report.vectors_copied > 0 and report.vectors_embedded == 0
    for name, c in report.tables.items():
        assert c["source"] == c["target"] == c["copied"], name
    assert report.tables["facts"]["source"] >= 14
    assert {b for b in report.indexes} == {"team", "bob"}
    assert all(c["sql"] == c["keyword"] == c["vector"] > 0 for c in report.indexes.values())
    mem = Memory(target, clock=lambda: AT)
    assert mem.recall("why postgresql", bank="team", k=1)[0].text == top["team"]
    assert mem.recall("tea", bank="bob", k=1)[0].text == top["bob"]
    assert mem.entity("Alice Chen", bank="team") is not None

    again = migrate_store(source, target)
    assert again.already_done and all(c["copied"] == 0 for c in again.tables.values())
    source.close()
    target.close()


def test_foreign_target_needs_merge(
    tmp_path: Path,
    fresh_pg_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
) -> None:
    _embedded(tmp_path / "home")
    other = _target(tmp_path / "other", fresh_pg_url, chroma_server_url)
    Memory(other, clock=lambda: AT).retain("Carol runs the batch job.", mentioned_at=AT, bank="ops")
    source = Store.open(tmp_path / "home", embedder=EMB)
    with pytest.raises(MigrationError, match="--merge"):
        migrate_store(source, other)
    report = migrate_store(source, other, mode="merge")
    assert set(report.indexes) == {"team", "bob", "ops"}
    with other.db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM episodes WHERE bank='ops'")).scalar_one() == 1
    source.close()
    other.close()


def test_cli_migrate_json(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh_pg_url: str,  # noqa: F811
    chroma_server_url: str,  # noqa: F811
) -> None:
    home = tmp_path / "home"
    _embedded(home)
    real_open = Store.open
    monkeypatch.setattr(Store, "open", classmethod(
        lambda cls, h, url=None, embedder=None, **kw: real_open(h, url, EMB, **kw)))  # fmt: skip
    monkeypatch.setenv("ENGRAM_HOME", str(home))
    args = ["migrate", "--to", fresh_pg_url, "--chroma-url", chroma_server_url, "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tables"]["episodes"]["copied"] == out["tables"]["episodes"]["source"] == 14
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["already_done"] is True
    assert main(["migrate", "--to", fresh_pg_url, "--home", str(tmp_path / "none")]) == 2
