"""What has been ingested already: one SQLite table keyed by (bank, unit key, content hash).

A unit is one document, one commit or one issue. Its row is written (and committed) only after
every episode of the unit was retained, so a killed run loses nothing already recorded; the
unit that was in flight is retained again on the next run, and memory's own idempotence
(re-retaining the same source and text is a no-op) keeps that from duplicating anything.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["IngestState", "STATE_FILE"]

STATE_FILE = "ingest_state.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ingested (
    bank TEXT NOT NULL,
    unit TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    episodes INTEGER NOT NULL,
    sources TEXT NOT NULL,
    done_at TEXT NOT NULL,
    PRIMARY KEY (bank, unit, content_hash)
)
"""


class IngestState:
    """Durable record of finished units. Safe against SIGKILL (WAL, commit per unit)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    @classmethod
    def in_home(cls, home: Path) -> IngestState:
        return cls(Path(home) / STATE_FILE)

    def is_done(self, bank: str, unit: str, content_hash: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM ingested WHERE bank=? AND unit=? AND content_hash=?",
                (bank, unit, content_hash),
            ).fetchone()
        return row is not None

    def previous_sources(self, bank: str, unit: str, content_hash: str) -> list[str]:
        """Sources written for other (older) versions of this unit, e.g. an edited file."""
        with self._lock:
            rows = self._db.execute(
                "SELECT sources FROM ingested WHERE bank=? AND unit=? AND content_hash<>?",
                (bank, unit, content_hash),
            ).fetchall()
        return [s for (raw,) in rows for s in json.loads(raw)]

    def mark_done(
        self, bank: str, unit: str, content_hash: str, episodes: int, sources: list[str]
    ) -> None:
        now = datetime.now(UTC).isoformat()
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO ingested VALUES (?, ?, ?, ?, ?, ?)",
                (bank, unit, content_hash, episodes, json.dumps(sources), now),
            )

    def forget_older(self, bank: str, unit: str, content_hash: str) -> None:
        with self._lock:
            self._db.execute(
                "DELETE FROM ingested WHERE bank=? AND unit=? AND content_hash<>?",
                (bank, unit, content_hash),
            )

    def count(self, bank: str | None = None) -> int:
        sql, args = "SELECT COUNT(*) FROM ingested", ()  # type: tuple[str, tuple[str, ...]]
        if bank is not None:
            sql, args = sql + " WHERE bank=?", (bank,)
        with self._lock:
            return int(self._db.execute(sql, args).fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
