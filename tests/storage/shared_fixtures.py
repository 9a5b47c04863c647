"""Fixtures for shared deployments: a fresh PostgreSQL database and a local Chroma server, each
started once per test session however many modules import them (import the fixture names).

PostgreSQL tests skip with the reason when no server answers on 127.0.0.1:5432 (CI runs one).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text

from storage.chroma_server import ChromaServer

__all__ = [
    "pg_database_url",
    "fresh_pg_url",
    "chroma_server_url",
    "postgres_reason",
    "PG_ADMIN_URL",
]

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
_shared: dict[str, object] = {}
_users: dict[str, int] = {}


def postgres_reason() -> str | None:
    """None when PostgreSQL answers on 127.0.0.1:5432, else why not."""
    if shutil.which("pg_isready") is None:
        return "pg_isready not installed (no PostgreSQL client tools)"
    r = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True,
                       text=True, timeout=10)  # fmt: skip
    return None if r.returncode == 0 else f"PostgreSQL not reachable on 127.0.0.1:5432: {r.stdout}"


def _create_database() -> tuple[str, str]:
    name = "engram_test_" + uuid4().hex[:10]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return name, f"postgresql://postgres@127.0.0.1:5432/{name}"


def _drop_database(name: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """`postgresql://…/engram_test_<random>`: created for this session, dropped after it."""
    why = postgres_reason()
    if why:
        pytest.skip(reason=why)
    if "pg" not in _shared:
        _shared["pg"] = _create_database()
    _users["pg"] = _users.get("pg", 0) + 1
    name, url = _shared["pg"]  # type: ignore[misc]
    try:
        yield url
    finally:
        _users["pg"] -= 1
        if _users["pg"] == 0:
            _drop_database(name)
            del _shared["pg"]


@pytest.fixture(scope="session")
def chroma_server_url() -> Iterator[str]:
    """http://127.0.0.1:PORT of a `chroma run` started for this session in a temp folder."""
    if "chroma" not in _shared:
        folder = Path(tempfile.mkdtemp(prefix="engram-chroma-"))
        _shared["chroma"] = (ChromaServer(folder / "data").start(), folder)
    _users["chroma"] = _users.get("chroma", 0) + 1
    server, folder = _shared["chroma"]  # type: ignore[misc]
    try:
        yield server.url
    finally:
        _users["chroma"] -= 1
        if _users["chroma"] == 0:
            server.stop()
            shutil.rmtree(folder, ignore_errors=True)
            del _shared["chroma"]


@pytest.fixture
def fresh_pg_url() -> Iterator[str]:
    """A database of its own for one test (for tests that need an empty target)."""
    why = postgres_reason()
    if why:
        pytest.skip(reason=why)
    name, url = _create_database()
    try:
        yield url
    finally:
        _drop_database(name)
