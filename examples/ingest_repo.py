"""Ingest this repository (authors, commit history, documents) and ask about it.

    .venv/bin/python examples/ingest_repo.py [PATH] [--all-files]

Authors become entities, commits become episodes dated by their commit time with source
"git:<repo>:<sha>", and the repository's markdown documents (with --all-files: every text
file) become chunked document episodes. Re-running skips what is done. With an LLM endpoint
configured, the RLM then reads the whole repository as one corpus: decisions, owners, links
and open problems, each citing the files and commits it comes from.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import Any

from _common import ROOT, has_endpoint, open_engram, print_hits, skip_llm

from agent.cli.ingest_cmd import format_report
from agent.ingest import CorpusReader, Ingestor
from agent.ingest.walk import DOCUMENT_SUFFIXES

QUESTIONS = [
    "What does the RLM engine do with a huge context?",
    "How is the memory exposed inside the REPL?",
    "Which commits changed the ingestion?",
]


async def ask(memory: Any, bank: str) -> None:
    for q in QUESTIONS:
        print(f"\nQ: {q}")
        print_hits(await memory.arecall(q, bank=bank, k=5), n=3)


def main() -> int:
    ap = argparse.ArgumentParser(description="Ingest a git repository into memory.")
    ap.add_argument("path", nargs="?", type=Path, default=ROOT)
    ap.add_argument("--all-files", action="store_true", help="every text file, not only docs")
    ap.add_argument("--max-commits", type=int, default=None, help="only the newest N commits")
    args = ap.parse_args()
    os.environ.setdefault("ENGRAM_BANK", "repo-example")
    engram = open_engram()
    state = engram.ingest_state()
    try:
        bank = engram.settings.bank
        corpus = CorpusReader(engram.rlm) if has_endpoint(engram) and engram.rlm else None
        suffixes = None if args.all_files else DOCUMENT_SUFFIXES
        ingestor = Ingestor(engram.memory, state, corpus=corpus, suffixes=suffixes,
                            max_commits=args.max_commits)  # fmt: skip
        print(f"== ingesting {args.path} into bank {bank!r}")
        print(format_report(ingestor.ingest(args.path, bank=bank), limit=5))
        asyncio.run(ask(engram.memory, bank))
        if corpus is None:
            skip_llm("RLM reading of the repository as one corpus")
    finally:
        engram.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
