"""Regressions found by running `engram ingest` / the agent against a real weak model
(SmolLM2-135M via llama.cpp; see bench/RESULTS.md, "Real weak model"). No model needed here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from memory.extract.llm import extract_llm
from rlm.lm import Completion, Message, Usage


class RamblingLM:
    """Like SmolLM2 on the extraction prompt: prose instead of JSON, and without `max_tokens`
    it goes on until the server's context window is full (minutes per call at ~15 tokens/s)."""

    model = "rambling"

    def __init__(self) -> None:
        self.max_tokens: list[int | None] = []

    async def acomplete(self, messages: list[Message], **kwargs: Any) -> Completion:
        limit = kwargs.get("max_tokens")
        self.max_tokens.append(limit)
        words = ["Here", "are", "the", "facts", "you", "asked", "for"] * 2000
        text = " ".join(words[: limit or 8000])
        return Completion(text=text, model=self.model, usage=Usage(100, len(text.split())))


async def test_llm_extraction_bounds_every_reply_and_falls_back_offline():
    lm = RamblingLM()
    when = datetime(2026, 5, 20, tzinfo=UTC)
    out = await extract_llm("Dev Patel replaced Sam Okafor as the release manager.", when, lm)
    assert out.extractor == "llm-fallback-offline" and out.facts
    assert len(lm.max_tokens) == 3
    assert all(n is not None and n <= 4096 for n in lm.max_tokens)
