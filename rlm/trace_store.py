"""Where every run's trace is kept: one JSONL file per run tree in a folder, pruned by age and size.

    store = TraceStore(home / "traces")
    RLM(root, sub, trace_store=store)           # each arun() writes store/<stamp>-<run_id>.jsonl
    for s in store.list(): print(s.run_id, s.query, s.tokens, s.cost, s.time_s)
    tree = load_tree(store.find(run_id))        # rlm.trace_tree

Pruning runs when a new trace is started: files older than `max_age_s` go, then the oldest
until the folder holds at most `max_bytes`. A trace written elsewhere as a copy (``--trace``)
is never touched. Listing reads the first and last event of each file, not the whole file.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["TraceStore", "TraceSummary"]

_SUFFIX = ".jsonl"
_TAIL_BYTES = 64 << 10


@dataclass
class TraceSummary:
    run_id: str
    path: str
    started_at: str  # ISO time the run started (from the file's first event)
    query: str
    stopped_by: str | None
    finished: bool  # a run_end event was written (else the run died or is still going)
    tokens: int
    cost: float
    time_s: float
    size_bytes: int
    labels: dict[str, str] = field(default_factory=dict)  # the run's tags (RLM(labels=...))
    answer: str = ""  # the root run's answer, cut to 200 characters
    iterations: int = 0
    sub_calls: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class TraceStore:
    """A folder of run traces (one file per run tree), kept for `max_age_s` and `max_bytes`."""

    def __init__(
        self, folder: str | Path, *, max_age_s: float = 30 * 86400, max_bytes: int = 256 << 20
    ) -> None:
        self.folder = Path(folder)
        self.max_age_s = max_age_s
        self.max_bytes = max_bytes

    def new_path(self, run_id: str) -> Path:
        """The file for a new run (the folder is created and pruned first)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.prune()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        return self.folder / f"{stamp}-{run_id}{_SUFFIX}"

    def files(self) -> list[Path]:
        """Trace files, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for entry in os.scandir(self.folder):
            if entry.name.endswith(_SUFFIX) and entry.is_file():
                found.append((entry.stat().st_mtime, Path(entry.path)))
        return [p for _, p in sorted(found, reverse=True)]

    def prune(self, now: float | None = None) -> int:
        """Delete traces past the age limit, then the oldest past the size limit; returns count."""
        now = time.time() if now is None else now
        removed, total = 0, 0
        for path in self.files():  # newest first: what is kept is counted before what goes
            try:
                st = path.stat()
            except OSError:
                continue
            total += st.st_size
            if now - st.st_mtime > self.max_age_s or total > self.max_bytes:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def find(self, run_id: str) -> Path | None:
        """The trace of run `run_id` (a root run's id, or a file name)."""
        for path in self.files():
            if path.stem.endswith(f"-{run_id}") or path.name == run_id:
                return path
        return None

    def list(self, limit: int | None = None) -> list[TraceSummary]:
        """One summary per run, newest first (a copy written into this folder, as the agent's
        per-turn trace file is, is not listed twice)."""
        by_run: dict[str, TraceSummary] = {}
        for path in self.files():
            summary = summarise(path)
            if summary is None:
                continue
            kept = by_run.get(summary.run_id)
            if kept is None or path.stem.endswith(f"-{summary.run_id}"):
                by_run[summary.run_id] = summary
        return list(by_run.values())[:limit]


def summarise(path: Path) -> TraceSummary | None:
    """What a listing shows of one trace file (None if it holds no run)."""
    try:
        with path.open("rb") as fh:
            first = json.loads(fh.readline() or b"null")
            size = os.fstat(fh.fileno()).st_size
            fh.seek(max(0, size - _TAIL_BYTES))
            tail = fh.read().splitlines()
    except (OSError, ValueError):
        return None
    if not isinstance(first, dict) or first.get("type") != "run_start":
        return None
    root = first.get("run_id", "")
    end: dict[str, Any] = _last_root_end(tail, root) or {}
    usage: dict[str, Any] = end["usage"] if isinstance(end.get("usage"), dict) else {}
    labels = first.get("labels")
    return TraceSummary(
        run_id=str(root), path=str(path), started_at=str(first.get("at") or ""),
        query=str(first.get("query") or "")[:200],
        stopped_by=end.get("stopped_by"), finished=bool(end),
        tokens=int(_num(usage.get("total_tokens"))), cost=_num(usage.get("cost")),
        time_s=_num(end.get("t")), size_bytes=size,
        labels={str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {},
        answer="" if end.get("answer") is None else str(end["answer"])[:200],
        iterations=int(_num(usage.get("iterations"))), sub_calls=int(_num(usage.get("sub_calls"))),
    )  # fmt: skip


def _num(value: Any) -> float:
    """A number read from a trace, 0 for anything else (a foreign or damaged file)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _last_root_end(lines: list[bytes], root: str) -> dict[str, Any] | None:
    for line in reversed(lines):
        try:
            event = json.loads(line)
        except ValueError:
            continue  # the first line of the tail may be cut
        if (
            isinstance(event, dict)
            and event.get("type") == "run_end"
            and event.get("run_id") == root
        ):
            return event
    return None
