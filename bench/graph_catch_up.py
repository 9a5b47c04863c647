"""What a process pays to bring a bank's entity graph up to date after other writers wrote.

    python -m bench.graph_catch_up --home /tmp/ms/final [--rounds 3] [--episodes 200]

`--home` is a memory grown by `bench.memory_scale --keep DIR` (it is copied, never changed); each
round retains `--episodes` more synthetic episodes into the copy, then times a full reload of
the bank's graph (`Store.reload_bank`: what a process did before, and still does after another
process's forget, merge or split) against a catch-up on the facts recorded since the graph last
looked (`Store.catch_up_bank`). Without `--home` a bank of `--grow` episodes is built first.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


async def _retain(memory: Any, start: int, n: int) -> None:
    from bench.memory_scale import sentences
    from memory.retain import RetainItem

    items = [
        RetainItem(text, when, f"catch-up:{start + i}", "scale")
        for i, (text, when) in enumerate(sentences(n, start=start))
    ]
    for s in range(0, len(items), 500):
        await memory.aretain_many(items[s : s + 500])


def run(home: Path | None, rounds: int, episodes: int, grow: int) -> dict[str, Any]:
    from bench.locomo import _open_memory

    with tempfile.TemporaryDirectory(prefix="engram-catch-up-") as tmp:
        work = Path(tmp) / "home"
        if home is not None:
            shutil.copytree(home, work)
        memory = _open_memory(work)
        try:
            if home is None:
                asyncio.run(_retain(memory, 0, grow))
            store = memory.store
            facts = len(store.graph.fact_ids("scale"))
            out = []
            for r in range(rounds):
                t0 = time.perf_counter()
                store.reload_bank("scale")
                reload_ms = (time.perf_counter() - t0) * 1000
                asyncio.run(_retain(memory, 10_000_000 + r * episodes, episodes))
                t0 = time.perf_counter()
                store.catch_up_bank("scale")
                out.append({"reload_ms": round(reload_ms, 1),
                            "catch_up_ms": round((time.perf_counter() - t0) * 1000, 1)})  # fmt: skip
        finally:
            memory.store.close()
    return {"facts": facts, "episodes_per_round": episodes, "rounds": out}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m bench.graph_catch_up", description=__doc__.split("\n")[0]
    )
    p.add_argument("--home", type=Path, help="a memory kept by bench.memory_scale --keep")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--episodes", type=int, default=200, help="retained before each catch-up")
    p.add_argument("--grow", type=int, default=5000, help="episodes to grow when no --home")
    args = p.parse_args(argv)
    if args.home is not None and not (args.home / "engram.db").is_file():
        print(f"--home {args.home} holds no engram.db (grow one with memory_scale --keep)",
              file=sys.stderr)  # fmt: skip
        return 2
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    print(json.dumps(run(args.home, args.rounds, args.episodes, args.grow)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
