"""The REPL worker starts while the first root call is in flight, and never outlives its run."""

from __future__ import annotations

import asyncio
import contextlib

from rlm.engine import RLM
from rlm.trace import Iteration, SandboxReady
from tests.fakes import ScriptedLM
from tests.procs import no_sandbox_workers


async def test_the_worker_is_ready_before_a_slow_first_root_answer():
    events = []
    root = ScriptedLM(["```repl\nFINAL(len(context))\n```"], delay_s=2.0)
    result = await RLM(root, on_event=events.append).arun("q", "x" * 1000)
    assert result.answer == "1000", result
    kinds = [type(e) for e in events if isinstance(e, SandboxReady | Iteration)]
    assert kinds == [SandboxReady, Iteration]  # started during the root call, not after it


async def test_a_run_cancelled_while_the_worker_starts_leaves_no_worker():
    for delay in (0.0, 0.01, 0.05, 0.2):
        root = ScriptedLM(["```repl\nFINAL(1)\n```"], delay_s=5.0)
        task = asyncio.create_task(RLM(root).arun("q", "ctx"))
        await asyncio.sleep(delay)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert await no_sandbox_workers(timeout=10.0)


async def test_a_root_model_that_fails_at_once_leaves_no_worker():
    class Down:
        model = "down"

        async def acomplete(self, messages, **kw):
            raise ConnectionError("endpoint down")

    result = await RLM(Down()).arun("q", "ctx")  # type: ignore[arg-type]
    assert result.stopped_by == "error" and "endpoint down" in (result.error or "")
    assert await no_sandbox_workers()


class _Warming(ScriptedLM):
    """A scripted model that records how it was warmed (or fails to warm)."""

    def __init__(self, *a, fail: bool = False, **kw) -> None:
        super().__init__(*a, **kw)
        self.warmed: list[int] = []
        self.fail = fail

    async def warm(self, connections: int = 0) -> None:
        self.warmed.append(connections)
        if self.fail:
            raise OSError("no route to the endpoint")


async def test_the_sub_model_opens_a_batch_worth_of_connections_while_the_root_thinks():
    from rlm.engine import RLMConfig

    root = _Warming(["```repl\nFINAL(1)\n```"])
    sub = _Warming(["unused"])
    result = await RLM(root, sub, config=RLMConfig(sub_concurrency=7)).arun("q", "ctx")
    assert str(result.answer) == "1", result
    assert root.warmed == [0] and sub.warmed == [7]  # the root's own call opens its connection


async def test_a_model_that_cannot_warm_up_is_traced_and_the_run_goes_on():
    from rlm.trace import ErrorEvent

    events = []
    root = _Warming(["```repl\nFINAL(2)\n```"], fail=True)
    result = await RLM(root, on_event=events.append).arun("q", "ctx")
    assert str(result.answer) == "2" and result.stopped_by is None, result
    errors = [e.message for e in events if isinstance(e, ErrorEvent)]
    assert any("warming" in m and "no route" in m for m in errors), errors
