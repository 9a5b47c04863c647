"""`engram status [--bank B] [--json]`: where the memory lives, what it holds, what is pending.

Shows the SQL store and vector index in use, per bank the episodes, facts and ingested units,
and every consolidation waiting in the outbox (an RLM run whose answer could not be stored in
memory yet: its query, when, how many attempts, the last error). It only looks: pending
consolidations are retried by the next process that opens the memory for work.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import col, select

__all__ = ["register", "cmd_status", "status_document"]


def register(sub: Any) -> None:
    p = sub.add_parser("status", help="where memory lives, what it holds, pending consolidations")
    p.add_argument("--bank", default=None, help="only this bank")
    p.add_argument("--json", action="store_true", help="one JSON document on stdout")
    p.set_defaults(func=cmd_status)


def _counts(engram: Any, bank: str | None) -> dict[str, dict[str, int]]:
    from storage.schema import Episode, Fact, IngestedUnit

    out: dict[str, dict[str, int]] = {}
    with engram.store.db.session() as s:
        for table, name in ((Episode, "episodes"), (Fact, "facts"), (IngestedUnit, "ingested")):
            q = select(table.bank, func.count()).group_by(table.bank)
            if bank is not None:
                q = q.where(col(table.bank) == bank)
            if table is IngestedUnit:  # what `ingest --rlm` read is kept as "rlm:<unit>" rows
                q = q.where(~col(IngestedUnit.unit).startswith("rlm:"))
            for b, n in s.exec(q):
                out.setdefault(b, {"episodes": 0, "facts": 0, "ingested": 0})[name] = int(n)
    return out


def status_document(engram: Any, bank: str | None = None) -> dict[str, Any]:
    """What `engram status --json` prints."""
    st = engram.settings
    pending = [
        {
            "id": r.id,
            "bank": r.bank,
            "query": r.query,
            "created_at": r.created_at.isoformat(),
            "attempts": r.attempts,
            "last_error": r.last_error,
            "run_id": (r.run or {}).get("run_id"),
        }  # fmt: skip
        for r in engram.outbox.pending(bank)
    ]
    return {
        "home": str(st.home),
        "database": make_url(engram.store.db.url).render_as_string(hide_password=True),
        "vectors": st.chroma_url or str(st.home / "chroma"),
        "banks": _counts(engram, bank),
        "pending_consolidations": pending,
    }


def cmd_status(args: argparse.Namespace) -> int:
    from agent.wiring import memory_from_env

    with memory_from_env(retry_outbox=False) as engram:
        doc = status_document(engram, args.bank)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False))
        return 0
    print(f"memory at {doc['home']}\n  database: {doc['database']}\n  vectors:  {doc['vectors']}")
    for bank, c in sorted(doc["banks"].items()):
        print(f"  bank {bank}: {c['episodes']} episodes, {c['facts']} facts, "
              f"{c['ingested']} ingested units")  # fmt: skip
    pending = doc["pending_consolidations"]
    print(f"pending consolidations: {len(pending)}"
          + (" (retried when the memory is next opened)" if pending else ""))  # fmt: skip
    for p in pending:
        print(f"  {p['created_at'][:19]} bank {p['bank']} attempts {p['attempts']}: "
              f"{p['query'][:60]!r}\n    last error: {p['last_error'][:200]}")  # fmt: skip
    return 0
