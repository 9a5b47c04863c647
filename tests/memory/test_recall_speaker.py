"""Speaker-aware recall: a person the query names lifts that person's own turns (not a filter)."""

from __future__ import annotations

from types import SimpleNamespace

from memory.memory import Memory
from memory.recall.fusion import boost_speakers
from memory.recall.pipeline import RecallConfig, _Row, _speaker_of
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
    assert _speaker_of(_row("Note: the build is green.", 6)) is None
    # a window cut mid-line (fact deep in a long paragraph) names nobody
    assert _speaker_of(_row("x" * 400, 500)) is None


def test_named_speakers_turn_outranks_a_turn_about_them(mem: Memory) -> None:
    when = day("2025-05-08")
    mem.retain("Gina: Jon painted a lake. Jon painted it at dawn.", source="c:1", mentioned_at=when)
    mem.retain("Jon: I painted a sunset for my mum.", source="c:2", mentioned_at=when)
    mem.retain("Gina: Jon and I talked about lakes.", source="c:3", mentioned_at=when)
    boosted = mem.recall("What has Jon painted?", k=3, layers=("fact",))
    assert boosted[0].source == "c:2"
    plain = mem.recall(
        "What has Jon painted?", k=3, layers=("fact",), config=RecallConfig(speaker_boost=0)
    )
    assert [h.source for h in plain][:2] == ["c:1", "c:2"]  # without it, more words win
    assert "c:1" in {h.source for h in boosted}  # a boost, not a filter
