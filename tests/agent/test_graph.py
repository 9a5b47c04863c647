"""The graph end to end over fakes: each path, its trace and sources, consolidation of RLM runs."""

from __future__ import annotations

from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from agent.graph import Agent
from agent.nodes.recall_node import RETRIEVED_LABEL
from agent.state import AgentDeps, AgentSettings
from tests.agent.fakes_agent import FakeMemory, FakeRLM, FakeRunResult
from tests.fakes import ScriptedLM


def _agent(
    memory: FakeMemory, lm: ScriptedLM | None = None, rlm: FakeRLM | None = None, **settings: object
) -> Agent:
    deps = AgentDeps(memory=memory, lm=lm, rlm=rlm, settings=AgentSettings(**settings))  # type: ignore[arg-type]
    return Agent(deps, InMemorySaver())


async def _seed(memory: FakeMemory) -> None:
    await memory.aretain(
        "We chose PostgreSQL over MySQL for JSONB support.", source="standup-10-14"
    )
    await memory.aretain(
        "The deploy was blocked by the flaky migration test.", source="retro-11-02"
    )


async def test_remember_then_recall_offline() -> None:
    memory = FakeMemory()
    agent = _agent(memory)
    t1 = await agent.aask("FYI, Alice Chen is now tech lead", thread_id="t")
    assert t1.route == "remember" and "Alice Chen" in t1.answer
    assert memory.episodes[0].source == "agent:t:1"
    t2 = await agent.aask("when did Alice Chen become tech lead?", thread_id="t")
    assert t2.route == "recall" and t2.turn == 2
    assert t2.answer.startswith(RETRIEVED_LABEL) and "agent:t:1" in t2.answer
    assert t2.sources[0]["source"] == "agent:t:1"
    assert [e["node"] for e in t2.trace] == ["route", "recall_answer", "respond", "consolidate"]


async def test_recall_with_lm_cites_hits() -> None:
    memory = FakeMemory()
    await _seed(memory)
    lm = ScriptedLM(["For JSONB support [1]."])
    turn = await _agent(memory, lm).aask("Why did we choose PostgreSQL?", thread_id="t")
    assert (turn.route, turn.answer) == ("recall", "For JSONB support [1].")
    prompt = lm.calls[0][1]["content"]
    assert "[1] We chose PostgreSQL" in prompt and "standup-10-14" in prompt
    assert turn.sources[0]["source"] == "standup-10-14"


async def test_chat_with_recall_uses_llm_route_and_history() -> None:
    memory = FakeMemory()
    await _seed(memory)
    lm = ScriptedLM(
        [
            '{"route": "chat", "reason": "smalltalk"}',
            "Hello!",
            '{"route": "chat", "reason": "followup"}',
            "It was the migration test [1].",
        ]
    )
    agent = _agent(memory, lm)
    await agent.aask("hi there", thread_id="c")
    turn = await agent.aask("remind me about the deploy migration", thread_id="c")
    assert turn.route == "chat" and turn.route_by == "llm"
    chat_msgs = lm.calls[3]
    assert any(m["content"] == "Hello!" for m in chat_msgs)  # history from turn 1
    assert "flaky migration" in chat_msgs[0]["content"]  # recalled background
    assert await agent.ahistory("c") == [
        {"role": "user", "content": "hi there"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "remind me about the deploy migration"},
        {"role": "assistant", "content": "It was the migration test [1]."},
    ]


async def test_rlm_route_consolidates_findings_once(tmp_path: Path) -> None:
    log = tmp_path / "app.log"
    log.write_text("ERROR disk full\n" * 10)
    memory = FakeMemory()
    result = FakeRunResult(
        answer="10 disk-full errors", findings=["the disk filled at 03:00"], run_id="run1"
    )
    rlm = FakeRLM(lambda q, c: result)
    agent = _agent(memory, rlm=rlm)
    turn = await agent.aask("count errors", thread_id="r", attachments=[log])
    assert turn.route == "rlm" and turn.answer == "10 disk-full errors"
    assert rlm.calls == [("count errors", log)]
    assert turn.consolidation is not None and turn.consolidation["retained"] == 2
    assert {e.source for e in memory.episodes} == {"rlm:run1"}
    again = await agent.aask("count errors", thread_id="r", attachments=[log])
    assert again.consolidation["retained"] == 0 and again.consolidation["noop"] == 2  # type: ignore[index]
    assert len(memory.episodes) == 2


async def test_rlm_route_without_engine_explains_what_to_set() -> None:
    turn = await _agent(FakeMemory()).aask("/rlm analyse this", thread_id="x")
    assert turn.route == "rlm" and "OPENAI_BASE_URL" in turn.answer
    assert turn.consolidation is None


async def test_large_input_goes_to_rlm_as_context() -> None:
    rlm = FakeRLM(lambda q, c: FakeRunResult(answer="done", run_id="r2"))
    big = "line\n" * 100
    turn = await _agent(FakeMemory(), rlm=rlm, rlm_threshold_chars=50).aask(big, thread_id="b")
    assert turn.route == "rlm" and rlm.calls[0][1] == big.strip()


class _DownLM:
    """A configured model whose endpoint fails every call (after its own retries)."""

    model = "down"

    def __init__(self) -> None:
        self.calls = 0

    async def acomplete(self, messages: object, **kwargs: object) -> object:
        from rlm.errors import LMError

        self.calls += 1
        raise LMError(
            "down at http://127.0.0.1:9/v1: connection refused (gave up after 5 attempts)"
        )


async def test_an_unreachable_model_degrades_every_path_to_memory() -> None:
    memory = FakeMemory()
    await _seed(memory)
    lm = _DownLM()
    agent = _agent(memory, lm)  # type: ignore[arg-type]
    routed = await agent.aask("tell me about the deploy", thread_id="t")  # the LLM would route
    assert routed.route == "recall" and routed.route_by == "default"
    assert "could not be reached" in routed.answer and "flaky migration test" in routed.answer
    assert lm.calls == 1  # the router's failure spares the answer a second wait
    by_rule = await agent.aask("why did we choose PostgreSQL?", thread_id="t")
    assert by_rule.route == "recall" and "could not be reached" in by_rule.answer
    assert "JSONB" in by_rule.answer and by_rule.turn == 2
    chat = await agent.aask("/chat and JSONB?", thread_id="t")
    assert chat.route == "chat" and "could not be reached" in chat.answer and "JSONB" in chat.answer


async def test_a_failed_rlm_run_answers_from_memory() -> None:
    memory = FakeMemory()
    await _seed(memory)
    rlm = FakeRLM(lambda q, c: FakeRunResult(answer=None, stopped_by="error",
                                             error="LMError: root model unreachable"))  # fmt: skip
    turn = await _agent(memory, rlm=rlm).aask("/rlm why was the deploy blocked?", thread_id="t")
    assert turn.route == "rlm" and "the RLM run failed (LMError: root" in turn.answer
    assert "answered from memory alone" in turn.answer.splitlines()[-1]
    assert "flaky migration test" in turn.answer and turn.sources[0]["source"] == "retro-11-02"
