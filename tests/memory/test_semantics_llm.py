"""The LLM path carries the same structure through its schema: the real `openai` client against
a scripted local endpoint (extraction answers in the schema; the ambiguous band of supersession
asked and answered; unusable answers keep both facts)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bench.scripted_endpoint import ScriptedEndpoint
from bench.semantics import offline_llm_responder
from memory.memory import Memory
from rlm.openai_lm import OpenAILM
from storage.store import Store
from storage.vectors import InMemoryVectorIndex
from tests.fakes import HashEmbedder


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


def _memory(tmp: Path, responder: Any) -> Iterator[Memory]:
    emb = HashEmbedder(64)
    store = Store.open(tmp, embedder=emb, vectors=InMemoryVectorIndex(emb.dim))
    with ScriptedEndpoint(responder=responder) as ep:
        lm = OpenAILM("scripted", base_url=ep.base_url, api_key="k", max_retries=0)
        yield Memory(store, lm=lm)
    store.close()


@pytest.fixture
def llm_mem(tmp_path: Path) -> Iterator[Memory]:
    yield from _memory(tmp_path / "home", offline_llm_responder)


def test_change_event_through_the_schema(llm_mem: Memory) -> None:
    a = llm_mem.retain("Our main database is MySQL.", mentioned_at=day("2025-09-01"))
    b = llm_mem.retain("We moved the main database from MySQL to PostgreSQL.",
                       mentioned_at=day("2025-10-14"))  # fmt: skip
    assert b.extractor == "llm" and b.superseded == a.fact_ids
    assert b.supersessions[0]["rule"] == "explicit-change"


def test_stance_through_the_schema(llm_mem: Memory) -> None:
    llm_mem.retain(
        "I think the batch API is the right next feature.", mentioned_at=day("2025-10-01")
    )
    llm_mem.retain("Usage data does not support building the batch API next.",
                   mentioned_at=day("2025-10-08"))  # fmt: skip
    (b,) = llm_mem.beliefs("batch API")
    assert [h["evidence"]["stance"] for h in b.history] == ["support", "contradict"]


def _judging(answer: str) -> Any:
    def respond(request: dict[str, Any]) -> str:
        system = str(request["messages"][0]["content"])
        if "no longer true" in system:
            return answer
        return offline_llm_responder(request)

    return respond


@pytest.mark.parametrize(
    "answer,retired",
    [(json.dumps({"replaces": True, "reason": "same role, new tool"}), True),
     (json.dumps({"replaces": False, "reason": "another tool"}), False),
     ("I cannot tell", False)],
)  # fmt: skip
def test_the_ambiguous_band_is_asked(tmp_path: Path, answer: str, retired: bool) -> None:
    for mem in _memory(tmp_path / "home", _judging(answer)):
        a = mem.retain("We use PostgreSQL.", mentioned_at=day("2025-09-01"))
        mem.retain("We use Redis.", mentioned_at=day("2025-09-02"))
        c = mem.retain("We now use MySQL for caching.", mentioned_at=day("2025-10-01"))
        assert bool(set(c.superseded) & set(a.fact_ids)) is retired
        if retired:
            assert c.supersessions[0]["rule"] == "llm" and c.supersessions[0]["reason"]
