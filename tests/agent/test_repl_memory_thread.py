"""Memory calls from the REPL run on the memory's own thread: a slow recall never stalls the
event loop (sub-calls keep going), and a memory given by an opener is opened on first use only."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from agent.repl_memory import MemoryThread, memory_handlers
from rlm.engine import RLM
from tests.agent.fakes_agent import FakeMemory
from tests.fakes import ScriptedLM


class SlowMemory(FakeMemory):
    """A recall that blocks its thread (0.4 s by default), as an embedding + SQLite read can."""

    def __init__(self, block_s: float = 0.4) -> None:
        super().__init__()
        self.block_s = block_s
        self.threads: list[str] = []
        self.ended = 0.0

    async def arecall(self, query, bank="default", k=10, **kw):
        self.threads.append(threading.current_thread().name)
        time.sleep(self.block_s)  # blocking on purpose: the host's loop must not be this thread
        self.ended = time.perf_counter()
        return await super().arecall(query, bank=bank, k=k, **kw)


async def test_a_blocking_recall_leaves_the_event_loop_free():
    memory = SlowMemory()
    await memory.aretain("Deploys freeze on Fridays.", source="doc:ops")
    recall = memory_handlers(memory)["memory.recall"]
    ticks: list[float] = []

    async def ticker() -> None:
        for _ in range(8):
            ticks.append(time.perf_counter())
            await asyncio.sleep(0.025)

    started = time.perf_counter()
    hits, _ = await asyncio.gather(recall("deploys", k=1), ticker())
    assert hits[0]["text"] == "Deploys freeze on Fridays."
    assert memory.threads == ["engram-memory_0"]  # not the loop's thread
    # the ticker kept ticking while the recall blocked its own thread for 0.4 s
    gaps = [b - a for a, b in zip([started, *ticks], ticks, strict=False)]
    assert max(gaps) < 0.3, [round(g, 3) for g in gaps]


async def test_sub_calls_run_while_the_repl_waits_on_memory():
    """A REPL thread recalls (blocking 1 s on the host) and, 0.1 s later, the REPL fans out 8
    sub-calls: they are sent while the recall is still running, not after it."""
    memory = SlowMemory(block_s=1.0)
    await memory.aretain("Deploys freeze on Fridays.", source="doc:ops")
    code = (
        "```repl\nimport threading, time\nout = {}\n"
        "t = threading.Thread(target=lambda: out.update(m=memory.recall('deploys', k=1)))\n"
        "t.start()\ntime.sleep(0.1)\nanswers = llm_query_batched([f'q{i}' for i in range(8)])\n"
        "t.join()\nFINAL(out['m'][0].text + ' / ' + str(len(answers)))\n```"
    )
    sent: list[float] = []

    def answer(messages):
        sent.append(time.perf_counter())
        return "ok"

    sub = ScriptedLM(answer, model="sub", delay_s=0.05)
    rlm = RLM(ScriptedLM([code]), sub, handlers=memory_handlers(memory))
    result = await rlm.arun("q", "ctx")
    assert result.answer == "Deploys freeze on Fridays. / 8", result
    assert len(sent) == 8 and max(sent) < memory.ended - 0.3, (max(sent), memory.ended)


def test_an_opener_runs_once_on_first_use_on_the_memory_thread():
    opened: list[str] = []

    def opener() -> FakeMemory:
        opened.append(threading.current_thread().name)
        return FakeMemory()

    mt = MemoryThread(opener=opener)
    assert not mt.opened and opened == []
    assert mt.run(lambda m: type(m).__name__) == "FakeMemory"
    assert mt.run(lambda m: 1) == 1 and opened == ["engram-memory_0"] and mt.opened
    mt.close()
    MemoryThread(opener=opener).close()  # never used: never opened
    assert len(opened) == 1


async def test_a_memory_that_cannot_open_is_an_error_the_repl_sees():
    def opener():
        raise RuntimeError("memory unavailable: folder busy")

    handlers = memory_handlers(MemoryThread(opener=opener))
    with pytest.raises(RuntimeError, match="folder busy"):
        await handlers["memory.recall"]("x")
    code = (
        "```repl\ntry:\n    memory.recall('x')\nexcept RuntimeError as e:\n"
        "    FINAL('seen: ' + str(e))\n```"
    )
    result = await RLM(ScriptedLM([code]), handlers=handlers).arun("q", "ctx")
    assert result.answer.startswith("seen: memory.recall: RuntimeError: memory unavailable")
