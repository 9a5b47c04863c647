"""One process of the first-start test: opens a shared memory the moment START_FILE appears,
retains one text of its own, and prints one JSON line.

`python -m tests.storage.first_start_worker DB_URL CHROMA_URL BANK WORKER START_FILE`
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from memory.memory import Memory
from storage.store import Store
from tests.fakes import HashEmbedder


def run(db_url: str, chroma_url: str, bank: str, worker: int, start: Path) -> dict[str, object]:
    start.with_name(f"{start.name}.ready-{worker}").touch()
    while not start.exists():
        time.sleep(0.002)
    store = Store.open(Path(f"/tmp/engram-first-start-{worker}"), db_url, HashEmbedder(64),
                       chroma_url=chroma_url)  # fmt: skip
    try:
        mem = Memory(store)
        res = mem.retain(f"Worker {worker} started the Atlas service.", source=f"w{worker}",
                         bank=bank)  # fmt: skip
    finally:
        store.close()
    return {"worker": worker, "episode": res.episode_id}


if __name__ == "__main__":
    db, chroma, bank, worker, start = sys.argv[1:6]
    print(json.dumps(run(db, chroma, bank, int(worker), Path(start))))
