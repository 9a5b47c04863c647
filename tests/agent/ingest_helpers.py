"""Shared helpers for the ingestion tests: a recording memory and a small git repository."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

from storage.db import Database, sqlite_url
from storage.ingest_state import IngestState

__all__ = ["RecordingMemory", "Retained", "make_git_repo", "state_in"]


def state_in(folder: Path) -> IngestState:
    """A real ingest state in a SQLite database of its own under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return IngestState(Database(sqlite_url(folder / "engram.db")))


@dataclass
class Retained:
    episode_id: str
    noop: bool = False


class RecordingMemory:
    """A Retainer that records every episode it holds and, like Memory, keeps one episode per
    (bank, source, text) (a repeat is a no-op returning the same id) and forgets by episode id.
    `fail_on` makes retaining a text containing it fail; `fail_forget` makes forgetting fail."""

    def __init__(self, fail_on: str | None = None, fail_forget: bool = False) -> None:
        self.calls: list[dict[str, Any]] = []  # the episodes held, in the order first retained
        self.ids: dict[tuple[str, str | None, str], str] = {}
        self.forgotten: list[str] = []
        self.fail_on = fail_on
        self.fail_forget = fail_forget

    async def aretain_many(self, batch: Any) -> list[Retained]:
        items = list(batch)
        if self.fail_on and any(self.fail_on in it["text"] for it in items):
            raise RuntimeError("extractor exploded")
        out = []
        for it in items:
            key = (it.get("bank", "default"), it.get("source"), it["text"])
            if key in self.ids:
                out.append(Retained(self.ids[key], noop=True))
                continue
            self.ids[key] = eid = uuid4().hex
            self.calls.append({**it, "episode_id": eid})
            out.append(Retained(eid))
        return out

    async def aforget_episodes(self, episode_ids: Any, *, bank: str = "default") -> int:
        if self.fail_forget:
            raise RuntimeError("forget failed: database is locked")
        gone = set(episode_ids)
        self.forgotten += sorted(gone)
        before = len(self.calls)
        self.calls = [c for c in self.calls if c["episode_id"] not in gone]
        self.ids = {k: v for k, v in self.ids.items() if v not in gone}
        return before - len(self.calls)

    def sources(self) -> list[str]:
        return [c["source"] for c in self.calls]

    def texts(self) -> list[str]:
        return [c["text"] for c in self.calls]


def make_git_repo(root: Path) -> Path:
    """Three commits by two authors (one under two name variants), on fixed dates."""
    root.mkdir(parents=True, exist_ok=True)

    def git(*args: str, env: dict[str, str] | None = None) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                       env={**os.environ, **(env or {})})  # fmt: skip

    git("init", "-q", "-b", "main")
    commits = [
        ("Alice Chen", "alice@example.com", "2025-10-01T10:00:00+00:00", "README.md",
         "# Demo\n\nA demo project.\n", "Start the project"),
        ("Bob Stone", "bob@example.com", "2025-10-14T09:30:00+00:00", "docs/db.md",
         "# Database\n\nWe switched from MySQL to PostgreSQL.\n", "Switch to PostgreSQL\n\nMySQL lacked features."),
        ("Alice", "alice@example.com", "2025-10-20T16:00:00+00:00", "notes.txt",
         "Deployment went fine.\n", "Add deployment notes"),
    ]  # fmt: skip
    for name, email, date, path, content, msg in commits:
        f = root / path
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(content)
        git("add", path)
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_AUTHOR_DATE": date,
               "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": date}  # fmt: skip
        git("commit", "-q", "-m", msg, env=env)
    (root / "blob.md").write_bytes(b"\x89PNG\x00\x00binary")
    git("add", "blob.md")
    return root
