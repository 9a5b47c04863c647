"""Storage fixtures: backends for the conformance suites, PostgreSQL in a throwaway schema."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, text

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_ready() -> tuple[bool, str]:
    if shutil.which("pg_isready") is None:
        return False, "pg_isready not installed"
    r = subprocess.run(
        ["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True, text=True, timeout=10
    )
    return r.returncode == 0, (r.stdout or r.stderr).strip()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    ok, why = postgres_ready()
    if not ok:
        pytest.skip(reason=f"PostgreSQL not reachable on 127.0.0.1:5432 ({why})")
    schema = "engram_t_" + uuid4().hex[:10]
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
