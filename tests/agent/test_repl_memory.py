"""`memory` inside the REPL: host handlers, and the real RLM reaching them over its RPC channel."""

from __future__ import annotations

import json

from agent.repl_memory import memory_handlers
from rlm.engine import RLM
from tests.agent.fakes_agent import FakeMemory
from tests.fakes import ScriptedLM


async def _memory() -> FakeMemory:
    m = FakeMemory()
    await m.aretain("The batch API ships in March, decided by Alice Chen.", source="rlm:old")
    await m.aretain("Staging runs PostgreSQL 16.", source="doc:infra")
    return m


async def test_handlers_return_jsonable_hits_entities_beliefs() -> None:
    h = memory_handlers(await _memory(), bank="default")
    assert set(h) == {"memory.recall", "memory.entity", "memory.beliefs"}  # read-only
    hits = await h["memory.recall"]("batch API", k=3)
    assert hits[0]["text"].startswith("The batch API") and hits[0]["source"] == "rlm:old"
    assert {"text", "when", "mentioned_at", "source", "score"} <= set(hits[0])
    json.dumps(hits)
    ent = await h["memory.entity"]("Alice Chen")
    assert ent["name"] == "Alice Chen" and ent["facts"][0]["source"] == "rlm:old"
    json.dumps(ent)
    assert await h["memory.beliefs"]() == []


async def test_write_side_only_when_asked() -> None:
    memory = await _memory()
    h = memory_handlers(memory, read_only=False)
    out = await h["memory.retain"]("Deploys freeze on Fridays.", source="repl:test")
    assert out["noop"] is False and memory.episodes[-1].source == "repl:test"


async def test_real_rlm_reaches_memory_over_rpc() -> None:
    code = (
        "```repl\n"
        "hits = memory.recall('when does the batch API ship', k=2)\n"
        "FINAL(hits[0].text + ' | ' + hits[0].source)\n"
        "```"
    )
    rlm = RLM(ScriptedLM([code]), handlers=memory_handlers(await _memory()))
    result = await rlm.arun("When does the batch API ship?", "irrelevant context")
    assert result.stopped_by is None, result
    assert result.answer == "The batch API ships in March, decided by Alice Chen. | rlm:old"
