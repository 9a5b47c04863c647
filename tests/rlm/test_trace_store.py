"""Traces kept per run (TraceStore: listing, finding, pruning) and the tree loader (totals)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from rlm.budget import Budget
from rlm.engine import RLM
from rlm.trace_store import TraceStore
from rlm.trace_tree import load_tree
from tests.fakes import ScriptedLM
from tests.rlm.fake_sandbox import FakeSandbox


def _root_script(messages):
    turn = sum(1 for m in messages if m["role"] == "assistant")
    if turn == 0:
        return (
            "```repl\na = llm_query_batched(['one', 'two', 'three'])\n"
            "b = rlm_query('child question', 'child context')\nprint(a, b)\n```"
        )
    return "```repl\nFINAL('done: ' + b)\n```"


def _sub_script(messages):
    if messages[0]["role"] == "system":  # a root turn of the child run (rlm_query)
        return "```repl\nx = llm_query('inner')\nFINAL('child says ' + x)\n```"
    return f"answer to {messages[-1]['content'][:10]}"  # a sub-call


async def _run(tmp_path: Path, rlm_labels=None, **kw):
    store = TraceStore(tmp_path / "traces")
    root = ScriptedLM(_root_script, model="root-m", cost_per_token=0.001)
    sub = ScriptedLM(_sub_script, model="sub-m", cost_per_token=0.0001)
    rlm = RLM(root, sub, budget=Budget(max_depth=2), sandbox_factory=FakeSandbox,
              trace_store=store, labels=rlm_labels)  # fmt: skip
    return store, await rlm.arun("the question", "ctx", **kw)


async def test_a_run_is_labelled_and_its_summary_says_what_it_did(tmp_path):
    """Labels (the RLM's, the run's own on top) are written on the root's run_start only; the
    listing shows them with the answer, iterations and sub-calls (read from the file's ends)."""
    store, result = await _run(tmp_path, rlm_labels={"bank": "team", "who": "cli"},
                               labels={"who": "agent"})  # fmt: skip
    (summary,) = store.list()
    assert summary.labels == {"bank": "team", "who": "agent"}
    assert summary.answer == result.answer and summary.iterations == 2
    assert summary.sub_calls == result.usage["sub_calls"] >= 4
    starts = [json.loads(line) for line in Path(result.stored_trace).read_text().splitlines()]
    labelled = [e["labels"] for e in starts if e["type"] == "run_start"]
    assert labelled == [{"bank": "team", "who": "agent"}, {}]  # the root, then its child


async def test_every_run_is_kept_and_a_copy_written_where_asked(tmp_path):
    copy = tmp_path / "elsewhere" / "run.jsonl"
    store, result = await _run(tmp_path, trace_path=copy)
    assert result.answer == "done: child says answer to inner", result
    kept = Path(result.stored_trace or "")
    assert kept.parent == store.folder and kept.name.endswith(f"-{result.run_id}.jsonl")
    assert copy.read_bytes() == kept.read_bytes() and result.trace_path == str(copy)
    (summary,) = store.list()
    assert (summary.run_id, summary.query, summary.finished) == (
        result.run_id,
        "the question",
        True,
    )
    assert summary.tokens == result.usage["total_tokens"] and summary.started_at
    assert summary.cost == pytest.approx(result.usage["cost"])
    assert store.find(result.run_id) == kept and store.find("nope") is None


async def test_tree_links_runs_iterations_and_calls_and_rolls_totals_up(tmp_path):
    _, result = await _run(tmp_path)
    tree = load_tree(result.stored_trace)
    assert (tree.kind, tree.id, tree.parent) == ("run", result.run_id, None)
    first, second = tree.children
    assert [c.kind for c in (first, second)] == ["iteration", "iteration"]
    (cell,) = first.children  # the reply's one code block, with what it printed
    assert cell.kind == "cell" and "rlm_query" in cell.detail["code"]
    assert "child says" in cell.detail["output"] and cell.detail["error"] is None
    subs = [c for c in cell.children if c.kind == "sub_call"]
    (child,) = [c for c in cell.children if c.kind == "run"]
    assert len(subs) == 3 and all(s.parent == cell.id for s in subs)
    assert child.parent == cell.id and child.detail["parent_run"] == result.run_id
    inner = [n for it in child.children for c in it.children for n in c.children
             if n.kind == "sub_call"]  # fmt: skip
    assert len(inner) == 1 and child.detail["depth"] == 1
    assert first.start_t <= cell.start_t <= cell.end_t <= first.end_t
    # totals: every model call of the tree, once
    usage = result.usage
    assert tree.totals["tokens"] == usage["total_tokens"]
    assert tree.totals["cost"] == pytest.approx(usage["cost"])
    assert tree.totals["calls"] == usage["root"]["calls"] + usage["sub"]["calls"]
    assert (
        first.totals["tokens"]
        == first.tokens + sum(s.tokens for s in subs) + child.totals["tokens"]
        == first.tokens + cell.totals["tokens"]
    )
    assert tree.time_s >= first.time_s >= 0 and child.time_s <= first.time_s + 1e-6
    doc = json.loads(json.dumps(tree.to_dict()))
    assert doc["children"][0]["children"][0]["parent"] == doc["children"][0]["id"]


def test_prune_by_age_then_size(tmp_path):
    store = TraceStore(tmp_path, max_age_s=3600, max_bytes=2500)
    now = time.time()
    paths = []
    for i, age in enumerate([7200, 60, 50, 40, 30]):  # the first is too old
        p = tmp_path / f"2026-{i}.jsonl"
        p.write_text("x" * 1000)
        os.utime(p, (now - age, now - age))
        paths.append(p)
    assert store.prune(now=now) == 3  # too old, then the two oldest beyond 2,500 bytes
    assert [p.exists() for p in paths] == [False, False, False, True, True]
    new = store.new_path("abc123")
    assert new.parent == tmp_path and new.name.endswith("-abc123.jsonl")


async def test_a_copy_in_the_same_folder_is_listed_once(tmp_path):
    store, result = await _run(tmp_path, trace_path=tmp_path / "traces" / "thread-1.jsonl")
    (summary,) = store.list()
    assert summary.run_id == result.run_id and summary.path == result.stored_trace


def test_listing_skips_files_that_are_not_run_traces(tmp_path):
    (tmp_path / "junk.jsonl").write_text("not json\n")
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "other.jsonl").write_text(json.dumps({"type": "sub_call"}) + "\n")
    (tmp_path / "unfinished.jsonl").write_text(
        json.dumps({"type": "run_start", "run_id": "r1", "query": "q", "t": 0}) + "\n"
    )
    (summary,) = TraceStore(tmp_path).list()
    assert summary.run_id == "r1" and not summary.finished and summary.stopped_by is None
    assert TraceStore(tmp_path / "missing").list() == []


def test_a_trace_without_a_run_is_refused(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text("")
    with pytest.raises(ValueError, match="no run_start"):
        load_tree(path)


async def test_a_store_that_cannot_be_written_does_not_stop_the_run(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    events = []
    rlm = RLM(ScriptedLM(["```repl\nFINAL('ok')\n```"]), sandbox_factory=FakeSandbox,
              trace_store=TraceStore(blocker / "traces"), on_event=events.append)  # fmt: skip
    result = await rlm.arun("q", "ctx")
    assert result.answer == "ok" and result.stored_trace is None
    assert any("trace store unavailable" in getattr(e, "message", "") for e in events)
