"""RLM traces under ENGRAM_HOME/traces/ for `GET /v1/traces` and `/v1/traces/{id}`.

A trace is `<id>.jsonl` (rlm.trace's JSONL). Runs the server started also have `<id>.meta.json`
naming their bank: a bank's token sees those; a server without auth (`--local`) sees all.
`read_events` is the one place that reads a trace file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from agent.server.errors import NotFoundError

__all__ = ["read_events", "list_traces", "load_trace", "MAX_TRACES"]

MAX_TRACES = 200  # newest first
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def read_events(path: Path) -> list[dict[str, Any]]:
    """The events of one trace file, as dicts (rlm.trace.read_trace does the parsing)."""
    from rlm.trace import read_trace

    return [e.to_dict() for e in read_trace(path)]


def _bank_of(path: Path) -> str | None:
    meta = path.with_name(path.name.removesuffix(".jsonl") + ".meta.json")
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("bank")
    except (OSError, ValueError, AttributeError):
        return None


def _visible(path: Path, bank: str | None) -> bool:
    return bank is None or _bank_of(path) == bank


def _summary(trace_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    start = next((e for e in events if e.get("type") == "run_start"), {})
    end = next((e for e in reversed(events) if e.get("type") == "run_end"
                and e.get("parent_id") is None), None)  # fmt: skip
    return {"id": trace_id, "query": start.get("query"), "run_id": start.get("run_id"),
            "finished": end is not None, "stopped_by": (end or {}).get("stopped_by"),
            "usage": (end or {}).get("usage"), "events": len(events)}  # fmt: skip


def list_traces(folder: Path, bank: str | None = None) -> list[dict[str, Any]]:
    """Summaries of the traces `bank` may see (None: all), newest first."""
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime, reverse=True)
    out = []
    for path in (p for p in files if _visible(p, bank)):
        try:
            events = read_events(path)
        except (OSError, ValueError):
            continue  # a trace being written or a foreign file: skipped, not fatal
        out.append({**_summary(path.stem, events), "bank": _bank_of(path)})
        if len(out) >= MAX_TRACES:
            break
    return out


def load_trace(folder: Path, trace_id: str, bank: str | None = None) -> dict[str, Any]:
    """One trace with all its events; NotFoundError when absent or not visible to `bank`."""
    path = folder / f"{trace_id}.jsonl"
    if not _ID.match(trace_id or "") or not path.is_file() or not _visible(path, bank):
        raise NotFoundError(f"no trace {trace_id!r}")
    try:
        events = read_events(path)
    except (OSError, ValueError) as exc:
        raise NotFoundError(f"trace {trace_id!r} cannot be read: {exc}") from None
    return {**_summary(trace_id, events), "bank": _bank_of(path), "trace": events}
