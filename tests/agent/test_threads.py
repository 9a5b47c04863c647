"""Threads persist across processes through the SQLite checkpointer under ENGRAM_HOME."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, json, sys
from agent.graph import Agent
from agent.state import AgentDeps
from tests.agent.fakes_agent import FakeMemory

async def main(path, text):
    async with Agent.open(AgentDeps(FakeMemory()), path) as agent:
        turn = await agent.aask(text, thread_id="t1")
        other = await agent.ahistory("t2")
        print(json.dumps({"turn": turn.turn, "route": turn.route,
                          "history": await agent.ahistory("t1"), "other": other}))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def _turn(db: Path, text: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), text],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_thread_survives_a_new_process(tmp_path: Path) -> None:
    db = tmp_path / "agent" / "threads.sqlite"
    first = _turn(db, "FYI the demo is on Friday")
    assert (first["turn"], first["route"], len(first["history"])) == (1, "remember", 2)
    second = _turn(db, "what did we decide about the demo?")
    assert (second["turn"], second["route"]) == (2, "recall")
    assert [m["content"] for m in second["history"]][0] == "the demo is on Friday"
    assert len(second["history"]) == 4 and second["other"] == []
