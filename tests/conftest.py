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
