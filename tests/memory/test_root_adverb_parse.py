"""A sentence whose parse root is an adverb or a particle ahead of "to / from / for" and a name
("Back to Paris!", "Off to Florence tomorrow.") is read and stored: the place check walked up
from such a root forever (spaCy gives a new Token object for every `.head`, so an identity
test never saw the root as its own head) and the ingest of a whole history hung on one turn.
Run in a child process with a deadline so a regression fails instead of hanging the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "Back to Paris!",
    "Off to Florence tomorrow.",
    "Up from Georgia, finally.",
    "Away to Lisbon with the kids.",
    "Home from Sydney at last.",
]

CHILD = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from memory.memory import Memory
from storage.store import Store
store = Store.open(Path(sys.argv[1]))
mem = Memory(store)
for text in sys.argv[2:]:
    res = mem.retain(text, mentioned_at=datetime(2025, 5, 2, tzinfo=UTC), bank="trip")
    assert res.fact_ids, text
print("stored", len(sys.argv) - 2)
store.close()
"""


def test_sentences_rooted_at_an_adverb_before_a_name_are_stored(tmp_path: Path) -> None:
    env = {"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "home"), *TEXTS],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1] == f"stored {len(TEXTS)}"
