"""agent.server.traces over a real trace store: a run's bank is the label on its trace; a file
named otherwise (a copy, or a server trace from before runs were named by their id) is found
by the run id inside it; unlabelled runs are seen only without auth; ids cannot walk out."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.server.errors import NotFoundError
from agent.server.traces import list_traces, load_trace
from rlm.trace import Iteration, RunEnd, RunStart, TraceWriter
from rlm.trace_store import TraceStore


def _write(path: Path, run_id: str, labels: dict[str, str]) -> None:
    w = TraceWriter(path)
    w.emit(RunStart(run_id=run_id, query=f"query of {run_id}", labels=labels))
    w.emit(Iteration(run_id=run_id, n=1, tokens=10, cost=0.5, latency_s=0.1))
    w.emit(RunEnd(run_id=run_id, answer="42", usage={"iterations": 1, "total_tokens": 10,
                                                       "cost": 0.5}))  # fmt: skip
    w.close()


@pytest.fixture
def store(tmp_path: Path) -> TraceStore:
    s = TraceStore(tmp_path / "traces")
    _write(s.new_path("aaa111"), "aaa111", {"bank": "team"})
    _write(s.folder / "srv-0123456789abcdef.jsonl", "bbb222", {})  # an earlier server's name
    _write(s.folder / "team-thread-0.jsonl", "ccc333", {"bank": "team"})  # an agent's copy
    return s


def test_visibility_follows_the_bank_label(store: TraceStore) -> None:
    mine = list_traces(store, "team")
    assert sorted(t["run_id"] for t in mine["traces"]) == ["aaa111", "ccc333"]
    assert mine["total"] == 2 and {t["bank"] for t in mine["traces"]} == {"team"}
    assert list_traces(store, "other")["traces"] == []
    everything = list_traces(store, None, offset=0, limit=2)
    assert everything["total"] == 3 and len(everything["traces"]) == 2


def test_a_run_is_found_by_its_id_whatever_its_file_is_called(store: TraceStore) -> None:
    for run_id in ("aaa111", "ccc333"):
        doc = load_trace(store, run_id, "team", events=False)
        assert doc["tree"]["id"] == run_id and doc["tree"]["totals"]["cost"] == 0.5
        assert "trace" not in doc and doc["answer"] == "42"
    legacy = load_trace(store, "bbb222", None)
    assert legacy["bank"] is None and [e["type"] for e in legacy["trace"]][0] == "run_start"
    for run_id, bank in (("bbb222", "team"), ("aaa111", "other"), ("../traces", None),
                         ("nope", None)):  # fmt: skip
        with pytest.raises(NotFoundError):
            load_trace(store, run_id, bank)
