"""Shared helpers for the ingestion tests: a recording memory and a small git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

__all__ = ["RecordingMemory", "make_git_repo"]


class RecordingMemory:
    """A Retainer that records every call and, like Memory, ignores a repeated (source, text)."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.seen: set[tuple[str | None, str]] = set()
        self.forgotten: list[str] = []
        self.fail_on = fail_on

    async def aretain(self, text: str, **kw: Any) -> dict[str, Any]:
        if self.fail_on and self.fail_on in text:
            raise RuntimeError("extractor exploded")
        key = (kw.get("source"), text)
        noop = key in self.seen
        self.seen.add(key)
        if not noop:
            self.calls.append({"text": text, **kw})
        return {"noop": noop}

    async def aforget(self, *, source: str | None = None, bank: str = "default") -> int:
        self.forgotten.append(source or "")
        before = len(self.calls)
        self.calls = [c for c in self.calls if c.get("source") != source]
        self.seen = {k for k in self.seen if k[0] != source}
        return before - len(self.calls)

    def sources(self) -> list[str]:
        return [c["source"] for c in self.calls]


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
