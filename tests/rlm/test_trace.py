import json

from rlm.trace import (
    BudgetStop,
    ChildRunStart,
    Event,
    Iteration,
    RunStart,
    SubCall,
    TraceWriter,
    event_from_dict,
    read_trace,
)


def test_round_trip_every_event_type():
    events = [
        RunStart(run_id="r", query="q", budget={"max_iterations": 3}),
        Iteration(run_id="r", n=1, response="x", remaining={"iterations": 2}),
        SubCall(run_id="r", model="m", cached=True, latency_s=0.5, cost=0.01),
        ChildRunStart(run_id="r", child_id="c", depth=1),
        BudgetStop(run_id="c", parent_id="r", limit="max_cost", spent=1.2, allowed=1.0),
    ]
    for e in events:
        d = e.to_dict()
        assert d["type"] == e.type
        assert Event.from_dict(json.loads(json.dumps(d))) == e


def test_writer_writes_jsonl_as_it_goes(tmp_path):
    path = tmp_path / "sub" / "t.jsonl"
    seen = []
    w = TraceWriter(path, listeners=[seen.append])
    w.emit(RunStart(run_id="r", query="q"))
    assert len(path.read_text().splitlines()) == 1  # flushed before close
    w.emit(SubCall(run_id="r", model="m"))
    w.close()
    got = read_trace(path)
    assert [e.type for e in got] == ["run_start", "sub_call"] and len(seen) == 2
    assert got[1].t >= got[0].t


def test_unknown_type_is_an_error():
    import pytest

    with pytest.raises(ValueError):
        event_from_dict({"type": "nope"})


async def test_trace_view_renders_child_runs_and_totals(tmp_path):
    from rich.console import Console

    from rlm import RLM
    from rlm.trace_view import render_trace
    from tests.fakes import ScriptedLM
    from tests.rlm.fake_sandbox import FakeSandbox

    def sub(messages):
        if messages[0]["role"] == "system":
            return "```repl\nx = llm_query_batched(['a', 'a', 'b'])\nFINAL('child done')\n```"
        return "leaf"

    root = ScriptedLM(["```repl\nprint(rlm_query('task', 'ctx'))\n```", "FINAL(ok)"])
    path = tmp_path / "t.jsonl"
    await RLM(root, ScriptedLM(sub), sandbox_factory=FakeSandbox).arun("q", "c", trace_path=path)
    console = Console(record=True, width=120)
    render_trace(read_trace(path), console)
    text = console.export_text()
    assert text.count("run ") >= 2 and "depth 1" in text
    assert "sub-calls: 2 (0 cached" in text and "child done" in text
    assert "finished: ok" in text and "totals: 2 iterations" in text
