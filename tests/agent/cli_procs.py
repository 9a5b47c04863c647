"""Running the real `engram` command in subprocesses on a private ENGRAM_HOME (for the tests of
what a user meets: expected failures, faults, shared deployments)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

__all__ = ["ROOT", "ENGRAM", "engram_env", "engram", "start_engram", "episode_texts"]

ROOT = Path(__file__).resolve().parents[2]
ENGRAM = [sys.executable, "-c", "from agent.cli import main; raise SystemExit(main())"]


def engram_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a user with only `home` (and `extra`) configured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "ENGRAM_"))}
    env.update(ENGRAM_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               PYTHONPATH=str(ROOT), **extra)  # fmt: skip
    return env


def engram(
    home: Path, *args: str, stdin: str | None = None, timeout: float = 300, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ENGRAM, *args], env=engram_env(home, **env), cwd=ROOT, input=stdin,
                          capture_output=True, text=True, timeout=timeout)  # fmt: skip


def start_engram(home: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*ENGRAM, *args], env=engram_env(home, **env), cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def episode_texts(home: Path, bank: str = "default") -> list[str]:
    """The episodes an embedded memory holds, read straight from its SQLite file."""
    with sqlite3.connect(home / "engram.db") as db:
        rows = db.execute("SELECT text FROM episodes WHERE bank = ?", (bank,)).fetchall()
    return sorted(r[0] for r in rows)
