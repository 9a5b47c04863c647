"""A consolidation that fails never loses the RLM answer: the turn answers, the run waits in the
outbox, `engram status` lists it, and the next process that opens the memory consolidates it.

The memory is real (SQLite, FTS5, hash embedder); only its writes are made to fail, by a fake
that refuses `aretain` while `down` is set (what a database or vector server outage does).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from agent import wiring
from agent.cli import main
from agent.graph import Agent
from agent.repl_memory import memory_handlers
from agent.state import AgentDeps
from memory.memory import Memory
from rlm.engine import RLM
from storage.errors import ChromaUnavailable
from storage.outbox import Outbox
from tests.fakes import HashEmbedder, ScriptedLM

CODE = (
    "```repl\nnote_finding('Deploy 42 was blocked by migration 0031 timing out')\n"
    "FINAL('deploy 42 blocked: migration 0031 timed out')\n```"
)


class WritesDown:
    """A Memory whose writes fail while `down` (reads go to the real memory)."""

    def __init__(self, memory: Memory) -> None:
        self.memory, self.down = memory, True

    async def aretain(self, text: str, *args: Any, **kwargs: Any) -> Any:
        if self.down:
            raise ChromaUnavailable("http://vectors:8000", "ConnectError: connection refused")
        return await self.memory.aretain(text, *args, **kwargs)

    async def arecall(self, query: str, **kwargs: Any) -> list[Any]:
        return await self.memory.arecall(query, **kwargs)


@pytest.fixture
def engram(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[wiring.Engram]:
    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(wiring, "build_embedder", lambda settings: HashEmbedder(64))
    with wiring.memory_from_env() as e:
        yield e


async def _failed_turn(engram: wiring.Engram, tmp_path: Path) -> Any:
    log = tmp_path / "deploy.log"
    log.write_text("deploy 41 ok\ndeploy 42 blocked: migration 0031 timed out\n")
    flaky = WritesDown(engram.memory)
    rlm = RLM(ScriptedLM([CODE]), handlers=memory_handlers(engram.memory))
    deps = AgentDeps(flaky, rlm=rlm, outbox=engram.outbox)
    turn = await Agent(deps, InMemorySaver()).aask("what blocked deploy 42?", attachments=[log])
    return turn


async def test_the_answer_survives_a_failed_consolidation(
    engram: wiring.Engram, tmp_path: Path
) -> None:
    turn = await _failed_turn(engram, tmp_path)
    assert turn.route == "rlm" and turn.answer == "deploy 42 blocked: migration 0031 timed out"
    assert turn.consolidation is not None and turn.consolidation["pending"] is True
    assert "ChromaUnavailable" in turn.consolidation["error"]
    assert "kept in the outbox" in turn.consolidation["error"]
    (row,) = engram.outbox.pending()
    assert row.query == "what blocked deploy 42?" and row.attempts == 1
    assert row.run["answer"] == turn.answer and row.run["findings"]
    assert await engram.memory.arecall("migration 0031", k=5) == []  # nothing stored yet


async def test_status_lists_it_and_the_next_process_consolidates_it(
    engram: wiring.Engram, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    turn = await _failed_turn(engram, tmp_path)
    engram.close()  # the process that failed ends
    assert main(["status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    (pending,) = status["pending_consolidations"]
    assert pending["query"] == "what blocked deploy 42?" and pending["attempts"] == 1
    assert "ChromaUnavailable" in pending["last_error"] and pending["run_id"]
    assert main(["status"]) == 0
    assert "pending consolidations: 1 (retried when the memory is next opened)" in (
        capsys.readouterr().out
    )
    # the next process to open the memory for work consolidates it
    with wiring.memory_from_env() as later:
        assert later.outbox.pending() == []
        hits = await later.memory.arecall("what blocked deploy 42 migration 0031", k=5)
        sources = {h.source for h in hits}
        assert f"rlm:{pending['run_id']}" in sources
        assert any("migration 0031" in h.text for h in hits)
    assert turn.answer.startswith("deploy 42 blocked")


async def test_a_retry_that_fails_again_stays_pending_with_its_error(
    engram: wiring.Engram, tmp_path: Path
) -> None:
    from agent.session import retry_pending

    await _failed_turn(engram, tmp_path)
    still_down = WritesDown(engram.memory)
    report = await retry_pending(still_down, engram.outbox)
    assert (report.done, report.failed) == (0, 1)
    (row,) = engram.outbox.pending()
    assert row.attempts == 2 and "ChromaUnavailable" in row.last_error
    still_down.down = False
    report = await retry_pending(still_down, engram.outbox)
    assert (report.done, report.failed) == (1, 0) and engram.outbox.pending() == []


async def test_without_an_outbox_the_answer_still_reaches_the_user(tmp_path: Path) -> None:
    from tests.memory.conftest import open_memory

    memory = open_memory(tmp_path / "h")
    try:
        log = tmp_path / "a.log"
        log.write_text("boom\n")
        rlm = RLM(ScriptedLM([CODE]), handlers=memory_handlers(memory))
        agent = Agent(AgentDeps(WritesDown(memory), rlm=rlm), InMemorySaver())
        turn = await agent.aask("what happened?", attachments=[log])
        assert turn.answer == "deploy 42 blocked: migration 0031 timed out"
        assert "not kept for a retry" in turn.consolidation["error"]  # type: ignore[index]
    finally:
        memory.store.close()


def test_outbox_rows_survive_the_process(tmp_path: Path) -> None:
    from storage.db import Database, sqlite_url

    db = Database(sqlite_url(tmp_path / "x.db"))
    rid = Outbox(db).add("b", "q?", {"run_id": "r1", "answer": "A"}, "boom" * 500)
    db.dispose()
    again = Outbox(Database(sqlite_url(tmp_path / "x.db")))
    (row,) = again.pending("b")
    assert row.id == rid and row.run == {"run_id": "r1", "answer": "A"}
    assert len(row.last_error) == 1000 and again.pending("other") == []
    again.done(rid)
    assert again.pending() == []
