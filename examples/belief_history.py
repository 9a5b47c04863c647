"""Belief and entity history: how confidence moved with evidence, and what was true when.

    .venv/bin/python examples/belief_history.py

Statements made over three months are remembered with the dates they were said. Memory keeps
a belief ("the batch API is the right next feature") whose confidence rises with support and
falls with contradiction, with its full history; and facts that were superseded (Alice's role)
stay queryable "as of" an earlier date. With an LLM endpoint configured, the agent is asked the
question in prose as well.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Any

from _common import evidence_line, fmt_time, has_endpoint, open_engram, print_hits, skip_llm

STATEMENTS = [
    ("2025-09-15", "Priya", "I think the batch API might be the right next feature."),
    ("2025-10-06", "Priya", "After the customer interviews I am fairly sure the batch API is the right next feature."),
    ("2025-10-20", "Alice", "Three customers asked for bulk import. I believe the batch API is the right next feature."),
    ("2025-11-10", "Priya", "Usage data shows only 2% would use it. I do not think the batch API is the right next feature."),
    ("2025-09-01", "Priya", "Alice Chen's title is backend lead."),
    ("2025-11-03", "Priya", "Alice Chen's title is now tech lead of the Data team."),
]  # fmt: skip


async def remember(memory: Any, bank: str) -> None:
    for i, (day, who, text) in enumerate(STATEMENTS):
        at = datetime.fromisoformat(day).replace(tzinfo=UTC)
        await memory.aretain(f"{who}: {text}", mentioned_at=at, source=f"notes:belief-demo:{i}",
                             bank=bank, metadata={"speaker": who})  # fmt: skip


def show_beliefs(memory: Any, bank: str) -> None:
    print("\nQ: How did our confidence that the batch API is the right next feature change?")
    beliefs = memory.beliefs(topic="batch API", bank=bank)
    if not beliefs:
        print("   (no belief found)")
    for b in beliefs[:2]:
        d = b.to_dict() if hasattr(b, "to_dict") else dict(b)
        print(f"   {d['statement']!r}: confidence now {d['confidence']:.2f}")
        for step in d.get("history", []):
            print(f"     {evidence_line(step)}")


async def show_role_history(memory: Any, bank: str) -> None:
    q = "What is Alice Chen's role?"
    print(f"\nQ: {q} (now)")
    print_hits(await memory.arecall(q, bank=bank, k=3), n=1)
    entity = await memory.aentity("Alice", bank=bank)
    if entity is None:
        return
    print(f"\nQ: What has memory recorded about {entity.name!r} over time?")
    print(f"   aliases: {', '.join(entity.aliases) or '-'}; facts in time order:")
    for h in entity.facts[:8]:
        gone = f"  [superseded {fmt_time(h.invalidated_at)}]" if h.invalidated_at else ""
        print(f"   {fmt_time(h.when or h.mentioned_at)}  {h.text[:90]}{gone}")
        why = h.metadata.get("supersession")
        if why:  # the reason recorded when it was retired, and the history in one line
            print(f"      why: {why['rule']} ({', '.join(why['cues'])}; slot {why['slot']}); "
                  f"{h.metadata['history']}")  # fmt: skip
    alias = await memory.aentity("A. Chen", bank=bank)
    if alias is not None:
        print(f"\nQ: Who is 'A. Chen'?\n   {alias.name} (found by rule: {alias.resolved_by})")


async def ask_agent(engram: Any) -> None:
    from agent.graph import Agent

    async with Agent.open(engram.deps, engram.settings.checkpoint_path) as agent:
        q = "How did our confidence in the batch API as the next feature change since September?"
        turn = await agent.aask(q, thread_id="belief-history-example")
        print(f"\nQ: {q}\nA ({turn.route}): {turn.answer}")


def main() -> int:
    os.environ.setdefault("ENGRAM_BANK", "belief-example")
    engram = open_engram()
    try:
        bank = engram.settings.bank
        asyncio.run(remember(engram.memory, bank))
        print(f"== remembered {len(STATEMENTS)} dated statements (bank {bank!r})")
        show_beliefs(engram.memory, bank)
        asyncio.run(show_role_history(engram.memory, bank))
        if has_endpoint(engram):
            asyncio.run(ask_agent(engram))
        else:
            skip_llm("agent answer")
    finally:
        engram.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
