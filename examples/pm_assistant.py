"""A project-manager assistant over three months of project history — offline by default.

    .venv/bin/python examples/pm_assistant.py

1. takes the bundled history of project "Atlas" (examples/data/atlas: dated standups, decision
   records, a reorg note, a GitHub issues export; regenerate it with --regenerate), or
   generates it (deterministic, seeded) when it is missing;
2. ingests it into memory (bank "atlas") through the real ingestion pipeline, with a progress bar;
3. asks the agent a manager's questions as a person would type them (`Agent.aask`, the same
   turn `engram ask` runs) and prints its answers and sources. Offline, the agent composes
   each answer from memory's structure; with an LLM endpoint configured, the model writes it
   from the same evidence and citations.

Nothing here knows the answers: no ground-truth tables, no reworded queries, no filtering.
Re-running is cheap: ingestion is resumable and skips what is already in memory.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
from pathlib import Path
from typing import Any

from _common import ROOT, open_engram
from project_history import write_history

BUNDLED = ROOT / "examples" / "data" / "atlas"

QUESTIONS = [
    "Who finishes tasks early?",
    "Why did we choose PostgreSQL over MySQL?",
    "What blocked the last deployment?",
    "How did our confidence that the batch API is the right next feature change?",
    "What happened before the reorg?",
    "Who is Alice C.?",
    "What changed in the database decision?",
    "What did the team decide in October?",
]


def data_dir(args: argparse.Namespace, home: Path) -> Path:
    if args.regenerate:
        shutil.rmtree(BUNDLED, ignore_errors=True)
        return write_history(BUNDLED, args.seed)
    if BUNDLED.exists():
        return BUNDLED
    return write_history(home / "examples" / "atlas", args.seed)


def ingest(engram: Any, path: Path, bank: str) -> None:
    """Ingest `path` with a progress bar (the one `engram ingest` shows)."""
    from agent.cli.ingest_cmd import RichProgress, format_report
    from agent.ingest import Ingestor

    ingestor = Ingestor(engram.memory, engram.ingest_state(), progress=RichProgress())
    print(format_report(ingestor.ingest(path, bank=bank), limit=5))


async def ask_all(engram: Any, questions: list[str]) -> None:
    from agent.cli.agent_cmd import format_turn
    from agent.graph import Agent

    async with Agent.open(engram.deps, engram.settings.checkpoint_path) as agent:
        for q in questions:
            turn = await agent.aask(q, thread_id="pm-assistant-example")
            print(f"\nQ: {q}\n{format_turn(turn)}")


def main() -> int:
    ap = argparse.ArgumentParser(description="Project-manager assistant over project history.")
    ap.add_argument("--bank", default="atlas")
    ap.add_argument("--seed", type=int, default=7, help="seed of the generated history")
    ap.add_argument("--regenerate", action="store_true", help="rewrite the bundled history")
    ap.add_argument("question", nargs="*", help="ask these instead of the manager's questions")
    args = ap.parse_args()
    os.environ["ENGRAM_BANK"] = args.bank  # the agent reads and writes the same bank
    engram = open_engram()
    try:
        data = data_dir(args, engram.settings.home)
        print(f"== ingesting {data} into bank {args.bank!r}")
        ingest(engram, data / "notes", args.bank)
        ingest(engram, data / "issues.json", args.bank)
        mode = "the model writes" if engram.lm is not None else "offline: composed from memory"
        print(f"\n== the agent's answers ({mode}), with their sources")
        asyncio.run(ask_all(engram, args.question or QUESTIONS))
    finally:
        engram.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
