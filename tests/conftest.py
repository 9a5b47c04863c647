"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bench.scripted_endpoint import ScriptedEndpoint


@pytest.fixture
def scripted_endpoint() -> Iterator[ScriptedEndpoint]:
    """A started OpenAI-compatible server on 127.0.0.1 that answers from a script."""
    with ScriptedEndpoint() as endpoint:
        yield endpoint


@pytest.fixture(autouse=True)
def _isolated_engram_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    """No test ever reads or writes the user's ~/.engram or a configured endpoint by accident."""
    monkeypatch.setenv("ENGRAM_HOME", str(tmp_path_factory.mktemp("engram_home")))
    for var in (
        "ENGRAM_DATABASE_URL",
        "ENGRAM_CHROMA_URL",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "ENGRAM_ROOT_MODEL",
        "ENGRAM_SUB_MODEL",
        "ENGRAM_MEMORY_LLM",
        "ENGRAM_URL",
        "ENGRAM_TOKEN",
    ):
        monkeypatch.delenv(var, raising=False)
