"""What has been ingested: one `IngestedUnit` row per (bank, unit key, content hash), in the
memory's own database, so every machine of a shared deployment sees the same state.

A unit is one document, one commit or one issue. Its row is written only after every episode
of that version was retained and the older versions' episodes were forgotten; replacing the
older rows and writing the new one is one transaction. A process killed in between leaves the
old row, and the next run retains (a no-op for what is already there), forgets and records
again.

Memories made before the state moved here kept it in `ingest_state.sqlite` under ENGRAM_HOME;
`import_legacy_file` copies those rows in once (their keys are the old, relative ones: the
ingest pipeline migrates them when it meets the unit again).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select

from storage.db import Database
from storage.schema import Episode, IngestedUnit, utcnow

__all__ = ["IngestState", "LEGACY_STATE_FILE"]

LEGACY_STATE_FILE = "ingest_state.sqlite"
CHUNK = 500


class IngestState:
    """The ingest state of one database (SQLite or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def is_done(self, bank: str, unit: str, content_hash: str) -> bool:
        with self.db.session() as s:
            row = s.get(IngestedUnit, (bank, unit, content_hash))
        return row is not None

    def versions(self, bank: str, units: Sequence[str]) -> list[IngestedUnit]:
        """Every recorded version of the units named (a unit's key and its old-scheme keys)."""
        if not units:
            return []
        with self.db.session() as s:
            q = select(IngestedUnit).where(
                IngestedUnit.bank == bank, col(IngestedUnit.unit).in_(list(units))
            )
            return list(s.exec(q))

    def record(
        self,
        bank: str,
        unit: str,
        content_hash: str,
        *,
        sources: Sequence[str],
        episode_ids: Sequence[str],
        replaces: Sequence[str] = (),
    ) -> None:
        """Record this version as done and drop every other version of `unit` and every row
        of the keys in `replaces` (old-scheme keys of the same unit), in one transaction."""
        row = {
            "bank": bank,
            "unit": unit,
            "content_hash": content_hash,
            "episodes": len(episode_ids),
            "sources": list(sources),
            "episode_ids": list(episode_ids),
            "done_at": utcnow(),
        }
        with self.db.session() as s:
            s.execute(
                delete(IngestedUnit).where(
                    col(IngestedUnit.bank) == bank,
                    col(IngestedUnit.unit) == unit,
                    col(IngestedUnit.content_hash) != content_hash,
                )
            )
            old = [k for k in replaces if k != unit]
            if old:
                s.execute(
                    delete(IngestedUnit).where(
                        col(IngestedUnit.bank) == bank, col(IngestedUnit.unit).in_(old)
                    )
                )
            s.execute(self._upsert([row]))

    def _upsert(self, rows: list[dict[str, Any]], *, replace: bool = True) -> Any:
        mod = postgresql if self.db.dialect == "postgresql" else sqlite
        stmt = mod.insert(IngestedUnit.__table__).values(rows)  # type: ignore[attr-defined]
        if not replace:
            return stmt.on_conflict_do_nothing()
        keep = {"episodes", "sources", "episode_ids", "done_at"}
        return stmt.on_conflict_do_update(
            index_elements=["bank", "unit", "content_hash"],
            set_={c: stmt.excluded[c] for c in keep},
        )

    def count(self, bank: str | None = None) -> int:
        with self.db.session() as s:
            q = select(func.count()).select_from(IngestedUnit)
            if bank is not None:
                q = q.where(col(IngestedUnit.bank) == bank)
            return int(s.exec(q).one())

    def import_legacy_file(self, path: Path) -> int:
        """Copy the rows of an old `ingest_state.sqlite` in (existing rows win), then rename
        the file to `<name>.imported`. Returns the rows read; 0 when there is no such file."""
        if not path.is_file():
            return 0
        with sqlite3.connect(str(path)) as conn:
            raw = conn.execute(
                "SELECT bank, unit, content_hash, sources, done_at FROM ingested"
            ).fetchall()
        rows = [self._legacy_row(*r) for r in raw]
        for i in range(0, len(rows), CHUNK):
            with self.db.session() as s:
                s.execute(self._upsert(rows[i : i + CHUNK], replace=False))
        with contextlib.suppress(FileNotFoundError):  # another process renamed it meanwhile
            path.rename(path.with_name(path.name + ".imported"))
        return len(rows)

    def _legacy_row(
        self, bank: str, unit: str, content_hash: str, sources_json: str, done_at: str
    ) -> dict[str, Any]:
        sources = [str(x) for x in json.loads(sources_json or "[]")]
        ids: list[str] = []
        with self.db.session() as s:
            for i in range(0, len(sources), CHUNK):
                q = select(Episode.id).where(
                    Episode.bank == bank, col(Episode.source).in_(sources[i : i + CHUNK])
                )
                ids += s.exec(q)
        try:
            at = datetime.fromisoformat(done_at)
        except (TypeError, ValueError):
            at = utcnow()
        return {
            "bank": bank,
            "unit": unit,
            "content_hash": content_hash,
            "episodes": len(ids),
            "sources": sources,
            "episode_ids": sorted(ids),
            "done_at": at if at.tzinfo else at.replace(tzinfo=UTC),
        }
