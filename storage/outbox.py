"""The consolidation outbox: RLM runs whose consolidation into memory failed, kept until a later
process consolidates them (`agent.session.retry_pending`), listed by `engram status`.

Rows are written in their own transaction, apart from the memory write that failed, so a run
is kept even when that write rolled back. Retrying twice is harmless: consolidation is
idempotent (a repeated (source, text) is a no-op in memory).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select

from storage.db import Database
from storage.schema import PendingConsolidation, utcnow

__all__ = ["Outbox"]

MAX_ERROR_CHARS = 1000


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self, bank: str, query: str, run: Mapping[str, Any], error: str, session: str = ""
    ) -> str:
        """Keep a run whose consolidation failed; returns the row's id."""
        row = PendingConsolidation(
            bank=bank, query=query, session=session, run=dict(run),
            last_error=error[:MAX_ERROR_CHARS],
        )  # fmt: skip
        with self.db.session() as s:
            s.add(row)
        return row.id

    def pending(self, bank: str | None = None) -> list[PendingConsolidation]:
        """Runs waiting for consolidation, oldest first."""
        with self.db.session() as s:
            q = select(PendingConsolidation).order_by(col(PendingConsolidation.created_at))
            if bank is not None:
                q = q.where(PendingConsolidation.bank == bank)
            return list(s.exec(q))

    def done(self, row_id: str) -> None:
        with self.db.session() as s:
            s.execute(delete(PendingConsolidation).where(col(PendingConsolidation.id) == row_id))

    def failed_again(self, row_id: str, error: str) -> None:
        with self.db.session() as s:
            row = s.get(PendingConsolidation, row_id)
            if row is not None:
                row.attempts += 1
                row.last_error = error[:MAX_ERROR_CHARS]
                row.last_attempt_at = utcnow()
                s.add(row)
