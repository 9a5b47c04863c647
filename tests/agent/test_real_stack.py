"""The agent over the real RLM engine and the real Memory (hash embedder, scripted LM)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent.graph import Agent
from agent.repl_memory import memory_handlers
from agent.state import AgentDeps
from memory.memory import Memory
from rlm.engine import RLM
from storage.store import Store
from tests.fakes import HashEmbedder, ScriptedLM


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[Memory]:
    store = Store.open(tmp_path / "home", embedder=HashEmbedder(dim=32))
    yield Memory(store)
    store.close()


async def test_rlm_turn_is_consolidated_then_recalled(memory: Memory, tmp_path: Path) -> None:
    log = tmp_path / "deploy.log"
    log.write_text("deploy 41 ok\ndeploy 42 blocked: migration 0031 timed out\n")
    code = (
        "```repl\nline = [l for l in context.splitlines() if 'blocked' in l][0]\n"
        "note_finding('Deploy 42 was blocked by migration 0031 timing out')\n"
        "FINAL(line)\n```"
    )
    lm = ScriptedLM([code])
    rlm = RLM(lm, handlers=memory_handlers(memory))
    agent = Agent(AgentDeps(memory, lm=None, rlm=rlm), InMemorySaver())
    turn = await agent.aask("what blocked the last deploy?", thread_id="t", attachments=[log])
    assert turn.route == "rlm" and turn.answer == "deploy 42 blocked: migration 0031 timed out"
    assert turn.consolidation is not None and turn.consolidation["retained"] == 2
    later = await agent.aask("/recall what blocked deploy 42?", thread_id="t")
    assert later.route == "recall"
    assert any("migration 0031" in s["text"] and s["source"] == turn.consolidation["source"]
               for s in later.sources)  # fmt: skip


async def test_repl_handlers_over_real_memory(memory: Memory) -> None:
    await memory.aretain("Alice Chen joined the Atlas team in March.", source="doc:1",
                         mentioned_at="2025-03-02")  # fmt: skip
    await memory.aretain("I think the batch API is the right next feature.", source="doc:2")
    h = memory_handlers(memory)
    hits = await h["memory.recall"]("Alice Chen Atlas", k=2)
    assert (
        hits and hits[0]["source"] == "doc:1" and hits[0]["mentioned_at"].startswith("2025-03-02")
    )
    ent = await h["memory.entity"]("Alice Chen")
    assert ent is not None and ent["name"] and ent["facts"][0]["source"] == "doc:1"
    beliefs = await h["memory.beliefs"]()
    assert len(beliefs) == 1 and "batch API" in beliefs[0]["statement"]
    assert {"statement", "confidence", "history"} <= set(beliefs[0])
    assert 0 < beliefs[0]["confidence"] < 1 and beliefs[0]["history"][0]["evidence"]
    assert await h["memory.entity"]("Nobody Known") is None
