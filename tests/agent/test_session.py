"""Session consolidation: what is kept, with which provenance, and idempotence."""

from __future__ import annotations

from agent.session import MAX_SUB_RESULTS, RunRecord, consolidate_run, select_items
from rlm.engine import RunResult
from tests.agent.fakes_agent import FakeMemory


def _run(**kw: object) -> RunResult:
    base: dict[str, object] = {
        "answer": "The outage was caused by a full disk on db-2.",
        "stopped_by": None,
        "usage": {},
        "findings": ["db-2 disk filled at 03:12 UTC", "alerts were muted that night"],
        "sub_results": [],
        "run_id": "abc123",
    }
    base.update(kw)
    return RunResult(**base)  # type: ignore[arg-type]


def test_selects_answer_findings_and_good_sub_results_deduped_and_bounded() -> None:
    subs = [
        {"prompt": "p", "response": f"chunk {i}: nothing unusual in this part of the log"}
        for i in range(MAX_SUB_RESULTS + 10)
    ]
    subs += [{"prompt": "p", "response": "ok"}, {"prompt": "p", "response": "Error: rate limited"}]
    subs.append({"prompt": "p", "response": "DB-2 disk filled at 03:12 UTC"})  # dup of a finding
    items, skipped = select_items(_run(sub_results=subs), "what caused the outage?")
    kinds = [k for k, _ in items]
    assert kinds[:3] == ["answer", "finding", "finding"]
    assert kinds.count("sub_result") == MAX_SUB_RESULTS
    assert skipped == len(subs) - MAX_SUB_RESULTS
    assert items[0][1].startswith('Answer to "what caused the outage?":')


def test_partial_runs_keep_findings_not_the_answer() -> None:
    items, _ = select_items(_run(stopped_by="max_iterations"), "q")
    assert [k for k, _ in items] == ["finding", "finding"]


async def test_consolidation_is_idempotent_with_provenance() -> None:
    memory = FakeMemory()
    first = await consolidate_run(memory, _run(), "what caused the outage?", "default", "s1")
    assert (first.retained, first.noop, first.source) == (3, 0, "rlm:abc123")
    assert all(e.source == "rlm:abc123" for e in memory.episodes)
    assert memory.episodes[1].metadata == {
        "query": "what caused the outage?",
        "kind": "finding",
        "session": "s1",
    }
    second = await consolidate_run(memory, _run(), "what caused the outage?", "default", "s1")
    assert (second.retained, second.noop) == (0, 3)
    assert len(memory.episodes) == 3


def test_run_record_round_trips() -> None:
    rec = RunRecord.from_result(_run())
    assert RunRecord.from_dict(rec.to_dict()) == rec


async def test_idempotent_against_the_real_memory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from memory.memory import Memory
    from storage.store import Store
    from tests.fakes import HashEmbedder

    store = Store.open(tmp_path, embedder=HashEmbedder(dim=32))
    try:
        memory = Memory(store)
        first = await consolidate_run(memory, _run(), "what caused the outage?")
        second = await consolidate_run(memory, _run(), "what caused the outage?")
        assert (first.retained, second.retained, second.noop) == (3, 0, 3)
        hits = await memory.arecall("when did the db-2 disk fill", k=3)
        assert hits and hits[0].source == "rlm:abc123"
    finally:
        store.close()
