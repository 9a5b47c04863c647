"""`Agent.aask(now=...)`: a turn asked at a date reads its time words against that date."""

from __future__ import annotations

from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from agent.graph import Agent
from agent.state import AgentDeps
from tests.memory.conftest import day, open_memory

QUERY = "who did I go to the climbing gym with last week?"


async def test_last_week_depends_on_when_the_turn_is_asked(tmp_path: Path) -> None:
    memory = open_memory(tmp_path / "home")
    try:
        await memory.aretain("I went to the climbing gym with Tom.", day("2025-03-05"), "march")
        await memory.aretain("I went to the climbing gym with Ann.", day("2025-06-11"), "june")
        agent = Agent(AgentDeps(memory=memory), InMemorySaver())
        march = await agent.aask(QUERY, thread_id="t", now=day("2025-03-12"))
        june = await agent.aask(QUERY, thread_id="t", now="2025-06-18")
        assert march.answer.startswith("Tom") and march.sources[0]["source"] == "march"
        assert june.answer.startswith("Ann") and june.sources[0]["source"] == "june"
    finally:
        memory.store.close()
