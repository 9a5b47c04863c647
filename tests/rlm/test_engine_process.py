"""Engine + the real ProcessSandbox (worker processes): context files, limits, concurrency."""

from __future__ import annotations

import asyncio
import json

import pytest

from rlm import RLM, Budget, RLMConfig
from tests.fakes import ScriptedLM
from tests.procs import no_sandbox_workers


def repl(code: str) -> str:
    return f"```repl\n{code}\n```"


async def _no_children(timeout: float = 5.0) -> bool:
    return await no_sandbox_workers(timeout)


async def test_file_context_loaded_by_worker_with_helpers_and_sub_calls(tmp_path):
    path = tmp_path / "app.log"
    path.write_text("".join(f"line {i} {'ERROR' if i % 7 == 0 else 'ok'}\n" for i in range(1000)))
    root = ScriptedLM([
        repl("hits = grep('ERROR', context, max_hits=10_000)\nprint(len(hits))\nparts = chunk(context, 5000)\nprint(len(parts))"),
        repl("counts = llm_query_batched([p[:50] for p in parts])\nn = len(hits)"),
        "FINAL_VAR(n)",
    ])  # fmt: skip
    sub = ScriptedLM(lambda m: "seen", model="sub")
    r = await RLM(root, sub).arun("how many errors?", path)
    assert r.stopped_by is None, r.error
    assert r.answer == "143"
    assert "143" in root.calls[1][-1]["content"]
    assert "byte file 'app.log'" in root.calls[0][1]["content"]
    assert await _no_children()


async def test_wall_time_kills_a_runaway_cell():
    root = ScriptedLM([repl("while True:\n    pass")])
    r = await RLM(root, budget=Budget(max_wall_s=1.5)).arun("q", "c")
    assert r.stopped_by == "max_wall_s" and r.usage["elapsed_s"] < 4
    assert await _no_children()


async def test_cell_timeout_restarts_worker_and_run_goes_on():
    root = ScriptedLM([repl("x = 1\nwhile True:\n    pass"), repl("print('x' in globals())"),
                       "FINAL(recovered)"])  # fmt: skip
    r = await RLM(root, config=RLMConfig(cell_timeout_s=1.0)).arun("q", "c")
    assert r.answer == "recovered" and r.stopped_by is None
    assert "restarted" in root.calls[1][-1]["content"]
    assert "False" in root.calls[2][-1]["content"]
    assert await _no_children()


@pytest.mark.slow
async def test_fifty_concurrent_runs_no_cross_talk_no_leaks():
    def root_script(messages):
        turn = sum(1 for m in messages if m["role"] == "assistant")
        if turn == 0:
            return repl("tag = context.split(':')[0]\nprint('I am', tag)\n"
                        "a = llm_query(tag)")  # fmt: skip
        if turn == 1:
            return repl("import json\nFINAL(json.dumps([tag, a]))")
        raise AssertionError("too many turns")

    sub = ScriptedLM(lambda m: "sub-" + m[-1]["content"], model="sub", delay_s=0.01)
    rlm = RLM(ScriptedLM(root_script), sub)
    results = await asyncio.gather(*(rlm.arun("q", f"run{i}:" + "x" * 1000) for i in range(50)))
    for i, r in enumerate(results):
        assert r.stopped_by is None, r.error
        assert json.loads(r.answer) == [f"run{i}", f"sub-run{i}"]
    assert await _no_children(10)
