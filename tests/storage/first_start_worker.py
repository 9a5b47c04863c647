"""One process of the first-start test: opens a memory the moment START_FILE appears, retains
one text of its own, and prints one JSON line.

`python -m tests.storage.first_start_worker DB_URL CHROMA_URL BANK WORKER START_FILE`
(CHROMA_URL "-": vectors in the worker's memory; the test is about the shared SQL store)
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from memory.memory import Memory
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder


def run(db_url: str, chroma_url: str, bank: str, worker: int, start: Path) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix=f"engram-first-start-{worker}-"))
    start.with_name(f"{start.name}.ready-{worker}").touch()
    while not start.exists():
        time.sleep(0.002)
    emb = HashEmbedder(64)
    vectors = InMemoryVectorIndex(emb.dim) if chroma_url == "-" else None
    store = Store.open(home, db_url, emb, vectors=vectors,
                       chroma_url=None if chroma_url == "-" else chroma_url)  # fmt: skip
    try:
        res = Memory(store).retain(f"Worker {worker} started the Atlas service.",
                                   source=f"w{worker}", bank=bank)  # fmt: skip
    finally:
        store.close()
    return {"worker": worker, "episode": res.episode_id}


if __name__ == "__main__":
    db, chroma, bank, worker, start = sys.argv[1:6]
    print(json.dumps(run(db, chroma, bank, int(worker), Path(start))))
