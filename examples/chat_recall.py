"""Chat sessions that recall past decisions, weeks later.

    .venv/bin/python examples/chat_recall.py

Three earlier chat sessions (September to October) are remembered turn by turn, each with its
speaker and the date it was said; a later session asks "why did we pick PostgreSQL over MySQL
in October?" and gets the answer from memory, with the session and turn it came from. With an
LLM endpoint configured the agent answers in a chat thread as well (the chat-with-recall path).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Any

from _common import fmt_time, has_endpoint, open_engram, print_hits, skip_llm

SESSIONS = [
    ("2025-09-10T10:00:00", [
        ("Priya", "Let's keep MySQL for the events store, the team knows it well."),
        ("Alice", "Agreed, MySQL for now. We can revisit if reporting gets slow."),
    ]),
    ("2025-10-14T15:00:00", [
        ("Alice", "The nightly reports take 40 seconds on MySQL and replication lag keeps blocking them."),
        ("Bob", "In my benchmark PostgreSQL ran the slowest report in 3 seconds, thanks to window functions."),
        ("Priya", "Then we pick PostgreSQL over MySQL. Alice, please write the decision record."),
    ]),
    ("2025-10-28T09:00:00", [
        ("Bob", "The PostgreSQL migration is done; v0.2 shipped yesterday."),
        ("Sarah", "The dashboard is noticeably faster since the switch."),
    ]),
]  # fmt: skip

QUESTIONS = [
    "Why did we pick PostgreSQL over MySQL in October?",
    "What did we decide about the events store in September?",
]


async def remember_sessions(memory: Any, bank: str) -> int:
    new = 0
    for i, (at, turns) in enumerate(SESSIONS, 1):
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
        for j, (speaker, text) in enumerate(turns, 1):
            res = await memory.aretain(
                f"{speaker}: {text}",
                mentioned_at=when,
                source=f"chat:session-{i}:turn-{j}",
                bank=bank,
                metadata={"speaker": speaker, "session": i},
            )
            new += 0 if getattr(res, "noop", False) else 1
    return new


async def recall_answers(memory: Any, bank: str) -> None:
    for q in QUESTIONS:
        print(f"\nQ: {q}")
        print_hits(await memory.arecall(q, bank=bank, k=5), n=3)


async def agent_chat(engram: Any) -> None:
    from agent.graph import Agent

    async with Agent.open(engram.deps, engram.settings.checkpoint_path) as agent:
        for q in QUESTIONS:
            turn = await agent.aask(q, thread_id="chat-recall-example")
            print(f"\nyou> {q}\nagent ({turn.route})> {turn.answer}")
            for s in turn.sources[:3]:
                where = s.get("source") or s.get("layer") or "-"
                print(f"   [{fmt_time(s.get('mentioned_at'))}] {where}")


def main() -> int:
    os.environ.setdefault("ENGRAM_BANK", "chat-example")
    engram = open_engram()
    try:
        bank = engram.settings.bank
        new = asyncio.run(remember_sessions(engram.memory, bank))
        print(f"== remembered {new} new chat turn(s) from {len(SESSIONS)} sessions (bank {bank!r})")
        print("\n== a later session asks; memory answers with session, turn and date")
        asyncio.run(recall_answers(engram.memory, bank))
        if has_endpoint(engram):
            print("\n== the agent answers in a chat thread")
            asyncio.run(agent_chat(engram))
        else:
            skip_llm("agent chat")
    finally:
        engram.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
