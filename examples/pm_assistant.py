"""A project-manager assistant over three months of project history — offline by default.

    .venv/bin/python examples/pm_assistant.py

1. takes the bundled history of project "Atlas" (examples/data/atlas: dated standups, decision
   records, a reorg note, a GitHub issues export; regenerate it with --regenerate), or
   generates it (deterministic, seeded) when it is missing;
2. ingests it into memory (bank "atlas") through the real ingestion pipeline, offline;
3. asks what a manager asks, printing memory's answers with their sources and times;
4. with an LLM endpoint configured, lets the agent answer the same questions in prose.

Re-running is cheap: ingestion is resumable and skips what is already in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from _common import (
    ROOT,
    evidence_line,
    fmt_time,
    has_endpoint,
    ingest,
    open_engram,
    print_hits,
    skip_llm,
)
from project_history import ALIASES, write_history

from memory.models import TimeRange

BUNDLED = ROOT / "examples" / "data" / "atlas"

QUESTIONS = [
    "Who finishes tasks early?",
    "Why did we choose PostgreSQL over MySQL?",
    "What blocked the last deployment?",
    "How did our confidence that the batch API is the right next feature change?",
    "What happened before the reorg?",
]


def data_dir(args: argparse.Namespace, home: Path) -> Path:
    if args.regenerate:
        shutil.rmtree(BUNDLED, ignore_errors=True)
        return write_history(BUNDLED, args.seed)
    if BUNDLED.exists():
        return BUNDLED
    return write_history(home / "examples" / "atlas", args.seed)


_HEADER = re.compile(r"^\S+ (?:commented on|opened) issue #\d+")


def _latest(hits: list[Any]) -> list[Any]:
    undated = datetime.min.replace(tzinfo=UTC)  # observations carry no time
    return sorted(hits, key=lambda h: h.when or h.mentioned_at or undated, reverse=True)


async def who_finishes_early(memory: Any, bank: str) -> None:
    hits = await memory.arecall("who finished tasks early, ahead of schedule", bank=bank, k=10)
    early = [h for h in hits if re.search(r"\bearly\b|ahead of", h.text, re.I)]
    tally = {p: sum(any(v in h.text for v in ALIASES[p]) for h in early) for p in ALIASES}
    top = max(tally, key=lambda p: tally[p])
    if tally[top]:
        print(f"   {ALIASES[top][0]}: finished early {tally[top]} time(s) in what memory recalls")
    print_hits(early or hits, n=4)


async def why_postgres(memory: Any, bank: str) -> None:
    hits = await memory.arecall("why did we choose PostgreSQL over MySQL", bank=bank, k=5)
    print_hits(hits, n=3)


async def last_blocker(memory: Any, bank: str) -> None:
    hits = await memory.arecall("deployment was blocked by", bank=bank, k=10)
    blocked = [h for h in hits if re.search(r"blocked by|blocking", h.text, re.I)]
    print("   (the most recent deployment blocker memory recalls first)")
    print_hits(_latest(blocked or hits), n=2)


async def confidence_history(memory: Any, bank: str) -> None:
    beliefs = await memory.abeliefs(topic="batch API", bank=bank)
    if not beliefs:
        print("   (no belief about the batch API in memory)")
    for b in beliefs[:2]:
        d = b.to_dict() if hasattr(b, "to_dict") else dict(b)
        print(f"   belief: {d['statement']!r} — now {d['confidence']:.2f}")
        for step in d.get("history", []):
            print(f"     {evidence_line(step)}")


async def before_reorg(memory: Any, bank: str) -> None:
    anchor = await memory.arecall("reorg: the team splits", bank=bank, k=3)
    dated = [h for h in anchor if "reorg" in h.text.lower() and (h.when or h.mentioned_at)]
    if not dated:
        print("   (memory has no reorg)")
        return
    at = dated[0].when or dated[0].mentioned_at
    print(f"   the reorg: {fmt_time(at)} ({dated[0].source}); the weeks before it:")
    window = TimeRange(start=None, end=at)
    hits = await memory.arecall("decision blocked deployed", bank=bank, k=16, time_range=window)
    said = [h for h in hits if not _HEADER.match(h.text)]  # what was said, not who posted it
    print_hits(_latest(said or hits), n=5)


async def memory_answers(memory: Any, bank: str) -> None:
    steps = [who_finishes_early, why_postgres, last_blocker, None, before_reorg]
    for q, step in zip(QUESTIONS, steps, strict=True):
        print(f"\nQ: {q}")
        if step is None:
            await confidence_history(memory, bank)
        else:
            await step(memory, bank)
    entity = await memory.aentity("Alice C.", bank=bank)
    if entity is not None:
        d = entity.to_dict() if hasattr(entity, "to_dict") else dict(entity)
        print(f"\nQ: Who is 'Alice C.'?\n   {d['name']} (also: {', '.join(d['aliases'][:6])}), "
              f"{len(d.get('facts', []))} facts in memory")  # fmt: skip


async def agent_answers(engram: Any) -> None:
    from agent.graph import Agent

    async with Agent.open(engram.deps, engram.settings.checkpoint_path) as agent:
        for q in QUESTIONS:
            turn = await agent.aask(q, thread_id="pm-assistant-example")
            print(f"\nQ: {q}\nA ({turn.route}): {turn.answer}")
            for s in turn.sources[:3]:
                where = s.get("source") or s.get("layer") or "-"
                print(f"   [{fmt_time(s.get('when') or s.get('mentioned_at'))}] {where}")


def main() -> int:
    ap = argparse.ArgumentParser(description="Project-manager assistant over project history.")
    ap.add_argument("--bank", default="atlas")
    ap.add_argument("--seed", type=int, default=7, help="seed of the generated history")
    ap.add_argument("--regenerate", action="store_true", help="rewrite the bundled history")
    args = ap.parse_args()
    os.environ["ENGRAM_BANK"] = args.bank  # the agent reads and writes the same bank
    engram = open_engram()
    try:
        data = data_dir(args, engram.settings.home)
        print(f"== ingesting {data} into bank {args.bank!r} (offline extractor)")
        ingest(engram, data / "notes", args.bank)
        ingest(engram, data / "issues.json", args.bank)
        print("\n== what memory answers (offline: recalled facts, with times and sources)")
        asyncio.run(memory_answers(engram.memory, args.bank))
        if has_endpoint(engram):
            print("\n== what the agent answers (LLM endpoint configured)")
            asyncio.run(agent_answers(engram))
        else:
            skip_llm("agent answers")
    finally:
        engram.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
