"""One writer process of the concurrency test: retains and recalls on a shared deployment.

`python -m tests.memory.concurrency_worker DB_URL CHROMA_URL BANK WORKER N START_FILE`
waits for START_FILE (so all workers start together), then retains N texts of its own plus the
shared texts every worker retains, recalling between writes. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from memory.memory import Memory
from storage.store import Store
from tests.fakes import HashEmbedder

SHARED = [
    "Alice Chen reviewed the Atlas migration plan with Bob Stone.",
    "Bob Stone moved the Atlas release to Friday.",
    "Alice Chen prefers PostgreSQL for the events store.",
]


def own_text(worker: int, i: int) -> str:
    return f"Alice Chen asked Bob Stone about ticket {worker}-{i} of Project Atlas."


async def run(db_url: str, chroma_url: str, bank: str, worker: int, n: int, start: Path) -> dict:
    store = Store.open(Path(f"/tmp/engram-worker-{worker}"), db_url, HashEmbedder(64),
                       chroma_url=chroma_url)  # fmt: skip
    mem = Memory(store)
    while not start.exists():
        time.sleep(0.01)
    at = datetime(2025, 10, 1, tzinfo=UTC)
    texts = [(own_text(worker, i), f"w{worker}") for i in range(n)]
    for j, t in enumerate(SHARED):  # every worker retains the shared texts, in its own order
        texts.insert((j * 3 + worker) % (len(texts) + 1), (t, "shared"))
    hits = 0
    for text, source in texts:
        await mem.aretain(text, mentioned_at=at, source=source, bank=bank)
        hits += len(await mem.arecall("Alice Chen Atlas", bank=bank, k=5))
    store.close()
    return {"worker": worker, "retained": len(texts), "hits": hits}


if __name__ == "__main__":
    db, chroma, bank, worker, n, start = sys.argv[1:7]
    print(json.dumps(asyncio.run(run(db, chroma, bank, int(worker), int(n), Path(start)))))
