"""Regressions found by running the engine against a real weak model (SmolLM2-135M, llama.cpp).

Each test replays the exact text the model produced (see bench/RESULTS.md, "Real weak model")
through the scripted LM, so no model is needed here.
"""

from __future__ import annotations

from rlm import RLM, Budget
from tests.fakes import ScriptedLM
from tests.rlm.fake_sandbox import FakeSandbox

# The model's extraction-turn reply, word for word: it echoes the engine's own instruction.
ECHOED_EXTRACTION = (
    "The run has reached its limit (max_iterations).\n"
    'You are requested to provide the answer for the "FINAL(answer)" as FINAL.'
)


def repl(code: str) -> str:
    return f"```python\n{code}\n```"


def make(replies: list[str], max_iterations: int = 30) -> RLM:
    return RLM(ScriptedLM(replies), ScriptedLM(lambda m: "sub", model="sub"),
               budget=Budget(max_iterations=max_iterations), sandbox_factory=FakeSandbox)  # fmt: skip


async def test_echoed_placeholder_final_answer_is_not_an_answer():
    r = await make(["I will look.", ECHOED_EXTRACTION], max_iterations=1).arun("key?", "log")
    assert r.stopped_by == "max_iterations"
    assert r.answer != "answer"


async def test_placeholder_final_in_prose_does_not_end_the_run():
    root = ScriptedLM(["When you know it, call FINAL(...) in a repl block.", "FINAL(42)"])
    r = await RLM(root, sandbox_factory=FakeSandbox).arun("q", "c")
    assert r.answer == "42" and r.usage["iterations"] == 2
    rlm = make(["Give FINAL(answer) now.", "FINAL(OTTER-7731)"])
    r = await rlm.arun("q", "c")
    assert r.answer == "OTTER-7731" and r.usage["iterations"] == 2
    told = rlm.root.calls[1][-1]["content"]
    assert "no REPL variable named `answer`" in told and "no ```repl code block" in told


async def test_text_final_naming_a_repl_variable_returns_its_value():
    r = await make([repl("answer = 'OTTER-7731'"), "Done: FINAL(answer)"]).arun("q", "c")
    assert r.answer == "OTTER-7731" and r.stopped_by is None


async def test_text_final_with_a_bare_word_is_still_the_answer():
    r = await make(["FINAL(yes)"]).arun("is it there?", "c")
    assert r.answer == "yes" and r.stopped_by is None


# The model's cell from iteration 5 of niah-8k-s0, verbatim (mixed indentation).
BAD_INDENT = """import os
from re import pattern
def find_missing():
    filename = 'niah-8k-s1.txt'  # assume niah-9 can be found in your path here
  output = None
"""


async def test_syntax_error_shows_the_cell_not_the_workers_parser_frame():
    root = ScriptedLM([repl(BAD_INDENT), "FINAL(done)"])
    r = await RLM(root).arun("q", "c")  # the real ProcessSandbox
    assert r.answer == "done"
    shown = root.calls[1][-1]["content"]
    assert "IndentationError" in shown and '"<cell 1>", line 5' in shown
    assert "ast.py" not in shown and "compile(source" not in shown
