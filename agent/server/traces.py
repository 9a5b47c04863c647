"""RLM traces for `GET /v1/traces`, `GET /v1/traces/{id}`, the MCP tools and the web UI, read
one way: the trace store under ENGRAM_HOME/traces (`rlm.trace_store.TraceStore`) lists and
finds them, `rlm.trace_tree` makes a run's tree (tokens, cost and time rolled up per subtree).

Visibility: a run's bank is the `bank` label on its trace (`agent.wiring.build_rlm` sets it for
every run of `engram serve`, the agent and `engram rlm`). A bank's token sees that bank's runs;
a server without auth (`--local`, `bank=None`) sees every run. A run without a bank label is
seen only without auth.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from agent.server.errors import NotFoundError

__all__ = ["list_traces", "load_trace", "MAX_TRACES"]

MAX_TRACES = 200  # runs in one listing page, at most
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def _visible(summary: Any, bank: str | None) -> bool:
    return bank is None or summary.labels.get("bank") == bank


def _listed(summary: Any) -> dict[str, Any]:
    doc = summary.to_dict()
    doc.pop("path", None)  # where the server keeps it is none of the caller's business
    return {"id": summary.run_id, **doc, "bank": summary.labels.get("bank")}


def list_traces(store: Any, bank: str | None = None, offset: int = 0,
                limit: int = 50) -> dict[str, Any]:  # fmt: skip
    """One page of the runs `bank` may see (None: all), newest first, with the total."""
    runs = [s for s in store.list() if _visible(s, bank)]
    return {"traces": [_listed(s) for s in runs[offset : offset + limit]], "total": len(runs),
            "offset": offset, "limit": limit}  # fmt: skip


def _path(store: Any, run_id: str) -> Path | None:
    """The store's file of run `run_id`, else a file of that run under another name (a copy
    written into the folder, or a trace from before runs were named by their id)."""
    found = store.find(run_id)
    if found is None:
        found = next((Path(s.path) for s in store.list() if s.run_id == run_id), None)
    return found


def load_trace(store: Any, trace_id: str, bank: str | None = None,
               events: bool = True) -> dict[str, Any]:  # fmt: skip
    """One run: its summary, its tree (`rlm.trace_tree`) and, if `events`, every event of the
    file; NotFoundError when it is absent or not visible to `bank`."""
    from rlm.trace import read_trace
    from rlm.trace_store import summarise
    from rlm.trace_tree import build_tree

    path = _path(store, trace_id) if _ID.match(trace_id or "") else None
    summary = summarise(path) if path is not None else None
    if summary is None or not _visible(summary, bank):
        raise NotFoundError(f"no trace {trace_id!r}")
    try:
        found = read_trace(path)  # type: ignore[arg-type]
        tree = build_tree(found)
    except (OSError, ValueError) as exc:
        raise NotFoundError(f"trace {trace_id!r} cannot be read: {exc}") from None
    doc = {**_listed(summary), "tree": tree.to_dict()}
    if events:
        doc["trace"] = [e.to_dict() for e in found]
    return doc
