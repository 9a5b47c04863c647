"""Engine unit tests: scripted root/sub LMs, the in-process FakeSandbox."""

from __future__ import annotations

import json

import pytest
from pydantic import BaseModel

from rlm import RLM, Budget, RLMConfig
from rlm.lm import Message
from rlm.trace import read_trace
from tests.fakes import ScriptedLM
from tests.rlm.fake_sandbox import FakeSandbox


def repl(code: str) -> str:
    return f"Let me look.\n```repl\n{code}\n```"


def echo_sub(messages: list[Message]) -> str:
    return "ans:" + messages[-1]["content"]


def make(root, sub=None, *, budget=None, config=None, handlers=None) -> RLM:
    root_lm = root if isinstance(root, ScriptedLM) else ScriptedLM(root)
    sub_lm = sub if isinstance(sub, ScriptedLM) else ScriptedLM(sub or echo_sub, model="sub")
    return RLM(root_lm, sub_lm, budget=budget, config=config, sandbox_factory=FakeSandbox,
               handlers=handlers)  # fmt: skip


async def test_multi_turn_run_finishes_with_final_in_code(tmp_path):
    root = ScriptedLM([repl("n = len(context)\nprint(n)"), repl("FINAL(f'length {n}')")])
    result = await make(root).arun("how long?", "x" * 1234, trace_path=tmp_path / "t.jsonl")
    assert result.answer == "length 1234" and result.stopped_by is None
    assert result.usage["iterations"] == 2 and result.usage["root"]["calls"] == 2
    assert "1234" in root.calls[1][-1]["content"]  # output fed back
    assert "[budget left] iterations 29" in root.calls[1][-1]["content"]
    types = [e.type for e in read_trace(result.trace_path)]
    assert types[0] == "run_start" and types[-2:] == ["final", "run_end"]
    assert types.count("iteration") == 2 and types.count("code") == 2


async def test_final_var_and_text_fallback():
    r = await make([repl("answer = {'k': 1}"), "Done. FINAL_VAR(answer)"]).arun("q", "c")
    assert r.answer == '{"k": 1}' and r.stopped_by is None
    r = await make(["I know it.\nFINAL(the (nested) answer)"]).arun("q", "c")
    assert r.answer == "the (nested) answer"


async def test_text_final_ignored_when_a_cell_failed():
    root = ScriptedLM([repl("1/0") + "\nFINAL(premature)", "FINAL(after fix)"])
    r = await make(root).arun("q", "c")
    assert r.answer == "after fix"
    assert "ZeroDivisionError" in root.calls[1][-1]["content"]


async def test_all_blocks_run_in_order_and_stop_at_final():
    root = ScriptedLM(
        [
            "```repl\na = 1\n```\n```python\nb = a + 1\n```\n```py\nFINAL(b)\n```"
            "\n```repl\nFINAL('never')\n```"
        ]
    )
    r = await make(root).arun("q", "c")
    assert r.answer == "2"


async def test_output_truncated_head_and_tail_with_true_length():
    root = ScriptedLM([repl("print('A' * 5000 + 'B' * 5000)"), "FINAL(ok)"])
    cfg = RLMConfig(max_output_chars=1000)
    await make(root, config=cfg).arun("q", "c")
    shown = root.calls[1][-1]["content"]
    assert "10,001 characters in total" in shown
    assert "A" * 500 in shown and "B" * 499 in shown and "A" * 600 not in shown


async def test_no_code_reply_gets_a_nudge():
    root = ScriptedLM(["hmm, thinking", "FINAL(x)"])
    r = await make(root).arun("q", "c")
    assert r.answer == "x" and "no ```repl code block" in root.calls[1][-1]["content"]


async def test_root_never_sees_the_context():
    small, big = "needle " + "a" * 1000, "needle " + "a" * 1_000_000
    sizes = []
    for ctx in (small, big):
        root = ScriptedLM(["FINAL(x)"])
        await make(root).arun("q", ctx)
        sizes.append(sum(len(m["content"]) for m in root.calls[0]))
    assert abs(sizes[0] - sizes[1]) <= 10 and sizes[1] < 6000


async def test_max_iterations_extraction_turn():
    root = ScriptedLM([repl("x = 1"), repl("x += 1"), "Best guess: FINAL(two-ish)"])
    r = await make(root, budget=Budget(max_iterations=2)).arun("q", "c")
    assert r.stopped_by == "max_iterations" and r.answer == "two-ish"
    assert "reached its limit (max_iterations)" in root.calls[2][-1]["content"]


async def test_max_iterations_without_final_returns_prose():
    root = ScriptedLM([repl("x = 1"), "I could not finish; partial: 41"])
    r = await make(root, budget=Budget(max_iterations=1)).arun("q", "c")
    assert r.stopped_by == "max_iterations" and "partial: 41" in r.answer


async def test_max_cost_stops_with_partial_answer():
    root = ScriptedLM([repl("y = llm_query('p')"), repl("print(2)")], cost_per_token=0.001)
    r = await make(root, budget=Budget(max_cost=0.3)).arun("q", "c")
    assert r.stopped_by == "max_cost" and r.usage["cost"] >= 0.3
    assert len(root.calls) == 1  # no extraction turn once money is gone


async def test_max_tokens_stops():
    root = ScriptedLM([repl("print(1)")], repeat_last=True)
    r = await make(root, budget=Budget(max_tokens=900)).arun("q", "c")
    assert r.stopped_by == "max_tokens" and r.usage["total_tokens"] >= 900


async def test_max_wall_time_bounds_a_cell():
    root = ScriptedLM([repl("import time\ntime.sleep(5)")])
    r = await make(root, budget=Budget(max_wall_s=0.3)).arun("q", "c")
    assert r.stopped_by == "max_wall_s" and r.usage["elapsed_s"] < 3  # cut, not slept out


async def test_max_sub_calls_refuses_a_batch_then_stops_when_exhausted():
    root = ScriptedLM([
        repl("try:\n    llm_query_batched([str(i) for i in range(10)])\n"
             "except Exception as e:\n    print('refused:', e)"),
        repl("a = llm_query_batched(['1', '2', '3'])\nb = llm_query('4')"),
        "FINAL(partial)",
    ])  # fmt: skip
    r = await make(root, budget=Budget(max_sub_calls=3)).arun("q", "c")
    assert (
        "refused: llm_query_batched refused: 10 new prompts need 10 sub-calls"
        in (root.calls[1][-1]["content"])
    )
    assert r.stopped_by == "max_sub_calls" and r.usage["sub_calls"] == 3
    assert r.answer == "partial"  # extraction turn (tokens/cost/time still allow it)


async def test_budget_cannot_be_dodged_by_catching_the_error():
    root = ScriptedLM([
        repl("for i in range(5):\n    try:\n        llm_query(str(i))\n    except Exception:\n"
             "        pass\nprint('went on')"),
        repl("print('should not run')"),
    ])  # fmt: skip
    r = await make(root, config=RLMConfig(extraction_turn=False),
                   budget=Budget(max_sub_calls=2)).arun("q", "c")  # fmt: skip
    assert r.stopped_by == "max_sub_calls" and r.usage["sub_calls"] == 2
    assert len(root.calls) == 1


async def test_batch_keeps_order_and_one_failure_does_not_sink_it():
    def sub(messages):
        if messages[-1]["content"] == "bad":
            raise RuntimeError("boom")
        return "ans:" + messages[-1]["content"]

    root = ScriptedLM([repl("r = llm_query_batched(['a', 'bad', 'c'])\nFINAL(r)")])
    r = await make(root, sub).arun("q", "c")
    assert json.loads(r.answer) == ["ans:a", "Error: RuntimeError: boom", "ans:c"]


async def test_cache_and_in_batch_dedup():
    sub = ScriptedLM(echo_sub, model="sub")
    root = ScriptedLM([repl("r = llm_query_batched(['a', 'b', 'a', 'a'])\ns = llm_query('b')\n"
                            "t = llm_query('c')\nFINAL([r, s, t])")])  # fmt: skip
    r = await make(root, sub).arun("q", "c")
    assert json.loads(r.answer) == [["ans:a", "ans:b", "ans:a", "ans:a"], "ans:b", "ans:c"]
    assert len(sub.calls) == 3
    assert r.usage["dedup_hits"] == 2 and r.usage["cache_hits"] == 1 and r.usage["sub_calls"] == 3


async def test_fanout_packs_tiny_prompts_and_falls_back_for_unparsed_items():
    def sub(messages):
        text = messages[-1]["content"]
        if "### Task" not in text:
            return "single:" + text
        n = text.count("### Task ")
        answers = [f"packed{i}" for i in range(n)]
        answers[0] = None  # the sub model fails one item
        return json.dumps(answers)

    sub_lm = ScriptedLM(sub, model="sub")
    root = ScriptedLM([repl("r = llm_query_batched([f'item {i}' for i in range(300)])\nFINAL(r)")])
    cfg = RLMConfig(fanout_max_prompts=50, fanout_pack_chars=1000)
    r = await make(root, sub_lm, config=cfg).arun("q", "c")
    answers = json.loads(r.answer)
    assert len(answers) == 300
    assert answers[0] == "single:item 0" and answers[1] == "packed1"
    assert r.usage["sub_calls"] == len(sub_lm.calls) < 40
    assert r.usage["packed_prompts"] == 300 - sum(a.startswith("single:") for a in answers)


async def test_fanout_refused_when_even_packed_it_exceeds_the_budget():
    root = ScriptedLM([
        repl("try:\n    llm_query_batched(['x' * 3000 + str(i) for i in range(100)])\n"
             "except Exception as e:\n    print(e)"),
        "FINAL(done)",
    ])  # fmt: skip
    cfg = RLMConfig(fanout_max_prompts=10, fanout_pack_chars=8000)
    r = await make(root, config=cfg, budget=Budget(max_sub_calls=20)).arun("q", "c")
    assert "need 100 sub-calls" in root.calls[1][-1]["content"] and r.usage["sub_calls"] == 0


async def test_rlm_query_child_and_depth_limit(tmp_path):
    def sub(messages):
        if messages[0]["role"] == "system":  # a child run's root turn
            return "```repl\nFINAL('child saw ' + str(len(context)))\n```"
        return "plain"

    root = ScriptedLM([repl("a = rlm_query('sub task', 'abc')\nprint(a)\nFINAL(a)")])
    r = await make(root, sub).arun("q", "c", trace_path=tmp_path / "t.jsonl")
    assert r.answer == "child saw 3"
    events = read_trace(tmp_path / "t.jsonl")
    child_runs = [e for e in events if e.type == "run_start" and e.parent_id]
    assert len(child_runs) == 1 and child_runs[0].depth == 1
    assert any(e.type == "child_run_end" and e.answer == "child saw 3" for e in events)

    root = ScriptedLM([repl("FINAL(rlm_query('deeper', 'abc'))")])
    r = await make(root, sub, budget=Budget(max_depth=0)).arun("q", "c")
    assert r.answer.startswith("Error: rlm_query depth limit reached (max_depth=0)")


async def test_schema_retry_then_valid_object():
    class Answer(BaseModel):
        name: str
        count: int

    root = ScriptedLM([repl("FINAL({'name': 'x'})"), repl('FINAL(\'{"name": "x", "count": 3}\')')])
    r = await make(root).arun("q", "c", schema=Answer)
    assert r.answer == Answer(name="x", count=3) and r.stopped_by is None
    assert "does not match the required schema" in root.calls[1][-1]["content"]
    assert "count" in root.calls[0][0]["content"]  # the schema is in the system prompt


async def test_schema_partial_when_iterations_run_out():
    class Answer(BaseModel):
        count: int

    root = ScriptedLM([repl("FINAL({'count': 'many'})"), "no idea"])
    r = await make(root, budget=Budget(max_iterations=1)).arun("q", "c", schema=Answer)
    assert r.stopped_by == "max_iterations" and r.answer == '{"count": "many"}'


async def test_findings_extra_handlers_and_sub_results():
    calls = []

    async def recall(query, k=5):
        calls.append((query, k))
        return [{"text": "remembered " + query}]

    root = ScriptedLM([repl("note_finding('alpha')\nh = memory.recall('db', k=2)\n"
                            "x = llm_query('p')\nFINAL(h[0]['text'])")])  # fmt: skip
    r = await make(root, handlers={"memory.recall": recall}).arun("q", "c")
    assert r.answer == "remembered db" and calls == [("db", 2)]
    assert r.findings == ["alpha"] and r.sub_results == [{"prompt": "p", "response": "ans:p"}]
    assert "memory" in root.calls[0][0]["content"]


async def test_root_error_is_reported_not_raised():
    def boom(messages):
        raise __import__("rlm").LMError("endpoint down", model="m")

    r = await make(ScriptedLM(boom)).arun("q", "c")
    assert r.stopped_by == "error" and "endpoint down" in r.error
    assert all(s.closed for s in FakeSandbox.instances)


async def test_sandboxes_are_closed():
    FakeSandbox.instances.clear()
    await make([repl("FINAL(1)")]).arun("q", "c")
    await make([repl("x = 1")], budget=Budget(max_iterations=1),
               config=RLMConfig(extraction_turn=False)).arun("q", "c")  # fmt: skip
    assert FakeSandbox.instances and all(s.closed for s in FakeSandbox.instances)


def test_sync_wrapper():
    assert make([repl("FINAL('sync')")]).run("q", "c").answer == "sync"


@pytest.mark.parametrize("context", [["a", "b"], {"k": "v"}])
async def test_list_and_dict_contexts(context):
    root = ScriptedLM([repl("FINAL(type(context).__name__)")])
    r = await make(root).arun("q", context)
    assert r.answer == type(context).__name__
    assert f"type: {type(context).__name__}" in root.calls[0][1]["content"]


def test_compact_history_keeps_the_frame_and_recent_turns_whole():
    from rlm.prompts import compact_history

    msgs = [{"role": "system", "content": "S" * 100}, {"role": "user", "content": "Q" * 100}]
    for i in range(10):
        msgs += [
            {"role": "assistant", "content": f"```repl\nprint({i})\n```"},
            {"role": "user", "content": f"out{i} " + "x" * 5000},
        ]
    assert compact_history(msgs, 10**9) == msgs
    out = compact_history(msgs, 20_000, keep_recent=3)
    assert sum(len(m["content"]) for m in out) <= 20_000
    assert out[:2] == msgs[:2] and out[-6:] == msgs[-6:]
    assert [m["content"] for m in out if m["role"] == "assistant"] == [
        m["content"] for m in msgs if m["role"] == "assistant"
    ]
    assert "older output elided" in out[3]["content"] and out[3]["content"].startswith("out0")
    assert msgs[3]["content"].endswith("x")  # the run's own history is not modified


async def test_long_runs_send_a_bounded_conversation_to_the_root():
    big = repl("print('y' * 15000)")
    root = ScriptedLM([big] * 12 + ["FINAL(done)"])
    cfg = RLMConfig(max_history_chars=40_000)
    r = await make(root, config=cfg).arun("q", "c")
    assert r.answer == "done"
    sizes = [sum(len(m["content"]) for m in call) for call in root.calls]
    assert max(sizes) < 40_000 + 20_000  # at most the protected recent turns over budget
