"""Person-aware recall: a person the query names lifts that person's own turns (not a filter),
and the query vector is blended with the query without the names."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from memory.memory import Memory
from memory.recall.fusion import boost_speakers
from memory.recall.pipeline import RecallConfig, _query_vector, _Row, _speaker_of
from memory.recall.query import without_names
from tests.memory.conftest import day


def test_boost_speakers_lifts_only_the_named_speakers_facts() -> None:
    scores = {"a": 1.0, "b": 0.5, "c": 0.2}
    speaker_of = {"a": "gina", "b": "jon", "c": None}
    assert boost_speakers(scores, speaker_of, {"jon"}, 1.0) == {"a": 1.0, "b": 1.5, "c": 0.2}
    assert boost_speakers(scores, speaker_of, set(), 1.0) == scores
    assert boost_speakers(scores, speaker_of, {"jon"}, 0.0) == scores


def _row(window: str, span_start: int) -> _Row:
    return _Row(SimpleNamespace(window=window, span_start=span_start), "")


def test_speaker_of_reads_the_line_holding_the_fact() -> None:
    text = "Jon: I painted a sunset.\nGina: Nice! I went dancing."
    assert _speaker_of(_row(text, text.index("I went"))) == "Gina"
    assert _speaker_of(_row(text, 5)) == "Jon"
    # the label's shape only: whether "Note" is a person is decided at retain (no entity)
    assert _speaker_of(_row("Note: the build is green.", 6)) == "Note"
    # a window cut mid-line (fact deep in a long paragraph) names nobody
    assert _speaker_of(_row("x" * 400, 500)) is None


def test_named_speakers_turn_outranks_a_turn_about_them(mem: Memory) -> None:
    when = day("2025-05-08")
    mem.retain("Gina: Jon painted a lake. Jon painted it at dawn.", source="c:1", mentioned_at=when)
    mem.retain("Jon: I painted a sunset for my mum.", source="c:2", mentioned_at=when)
    mem.retain("Gina: Jon and I talked about lakes.", source="c:3", mentioned_at=when)
    # the boost alone: the whole-turn channel (off here) also counts c:1's two matching
    # sentences, and the first-person lift (off here) c:2's "I painted"
    only = RecallConfig(turn_weight=0, personal_boost=0)
    boosted = mem.recall("What has Jon painted?", k=3, layers=("fact",), config=only)
    assert boosted[0].source == "c:2"
    plain = mem.recall(
        "What has Jon painted?",
        k=3,
        layers=("fact",),
        config=RecallConfig(speaker_boost=0, turn_weight=0, personal_boost=0),
    )
    assert [h.source for h in plain][:2] == ["c:1", "c:2"]  # without it, more words win
    assert "c:1" in {h.source for h in boosted}  # a boost, not a filter


def test_without_names_drops_names_and_possessives_only() -> None:
    q = "What books has Melanie read? Melanie's kids like Jon Smith's dog."
    assert without_names(q, ["melanie", "jon smith"]) == "What books has read? kids like dog."
    assert without_names("Melanies plan", ["melanie"]) == "Melanies plan"  # whole words only
    assert without_names("What did we ship?", []) == "What did we ship?"


class _Embedder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(texts)
        return [[1.0, 0.0] if "Jon" in t else [0.0, 1.0] for t in texts]


def test_query_vector_blends_the_name_free_query_in_one_batch() -> None:
    store = SimpleNamespace(embedder=_Embedder())
    vec = _query_vector(store, "What has Jon painted?", ["jon"], 0.5)
    assert store.embedder.calls == [["What has Jon painted?", "What has painted?"]]
    assert vec == pytest.approx([2**-0.5, 2**-0.5])  # the mean, at unit length
    assert _query_vector(store, "What has Jon painted?", [], 0.5) == [1.0, 0.0]
    assert _query_vector(store, "What has Jon painted?", ["jon"], 0.0) == [1.0, 0.0]
