"""Fixtures shared by the agent's real-stack answer tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def answers_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ENGRAM_HOME with the bundled Atlas history (notes and issues, bank "atlas") and the
    heron notes (bank "heron") ingested by real `engram ingest` subprocesses, once per session:
    the answer tests only read it."""
    from tests.agent.test_answers_real import ATLAS, HERON, engram

    h = tmp_path_factory.mktemp("answers") / "home"
    for path, bank in ((ATLAS / "notes", "atlas"), (ATLAS / "issues.json", "atlas"),
                       (HERON, "heron")):  # fmt: skip
        engram(h, "ingest", str(path), "--bank", bank, "--no-progress")
    return h
