"""Crash between the SQL commit and the index writes: reopening reconciles, nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.memory.conftest import open_memory

CHILD = textwrap.dedent(
    """
    import json, sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from tests.memory.conftest import open_memory

    def pause(results):
        print(json.dumps([f for r in results for f in r.fact_ids]), flush=True)
        time.sleep(120)  # the parent SIGKILLs us here

    mem = open_memory(Path({home!r}), chroma=True, after_commit=pause)
    mem.retain("Quentin shipped the Zephyr release on Friday.", source="chat")
    """
)


def test_sigkill_between_commit_and_indexes_is_repaired_on_open(tmp_path: Path) -> None:
    home = tmp_path / "home"
    root = str(Path(__file__).resolve().parents[2])
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=root, home=str(home))],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": root},
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        fact_ids = json.loads(line)
        assert fact_ids
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    mem = open_memory(home, chroma=True)  # Store.open reconciles
    assert set(fact_ids) <= mem.store.vectors.ids("default")
    assert set(fact_ids) <= mem.store.keywords.ids("default")
    assert set(fact_ids) <= mem.store.graph.fact_ids("default")
    hits = mem.recall("Zephyr release", k=3)
    assert hits and hits[0].fact_id in fact_ids and hits[0].source == "chat"


def test_reconcile_drops_orphan_index_entries(tmp_path: Path) -> None:
    mem = open_memory(tmp_path / "h", chroma=True)
    mem.retain("Alice uses Vim.")
    emb = mem.store.embedder.embed(["ghost"])[0]
    mem.store.vectors.upsert(["ghost"], [emb], ["default"])
    mem.store.keywords.upsert([("ghost", "default", "ghost text")])
    mem.store.close()
    again = open_memory(tmp_path / "h", chroma=True)
    assert "ghost" not in again.store.vectors.ids() and "ghost" not in again.store.keywords.ids()
    assert again.recall("Alice Vim", k=1)[0].text == "Alice uses Vim."
