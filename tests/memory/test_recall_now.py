"""`now=`: the moment a question is asked is the reference for its time words."""

from __future__ import annotations

from memory.memory import Memory
from tests.memory.conftest import day

QUERY = "what did I do last week"
FACTS = ("fact",)


def _remember(mem: Memory) -> None:
    # the same words said in two different weeks: only the time words can tell them apart
    mem.retain("I went to the climbing gym.", mentioned_at=day("2025-03-05"), source="march")
    mem.retain("I went to the climbing gym.", mentioned_at=day("2025-06-11"), source="june")


def test_last_week_reads_against_the_given_now(mem: Memory) -> None:
    _remember(mem)
    march = mem.recall(QUERY, now=day("2025-03-12"), k=1, layers=FACTS)
    june = mem.recall(QUERY, now="2025-06-18T09:00:00+00:00", k=1, layers=FACTS)
    assert [h.source for h in march] == ["march"]
    assert [h.source for h in june] == ["june"]


def test_the_time_range_is_the_week_before_now(mem: Memory) -> None:
    _remember(mem)
    hit = mem.recall(QUERY, now=day("2025-06-18"), k=1, explain=True, layers=FACTS)[0]
    start, end = hit.metadata["explain"]["time_range"]
    assert start.startswith("2025-06-09") and end.startswith("2025-06-16")
    default = mem.recall(QUERY, k=1, explain=True, layers=FACTS)[
        0
    ]  # the clock's now: 1 December 2025
    assert default.metadata["explain"]["time_range"][0].startswith("2025-11-24")


def test_a_relative_as_of_reads_against_now_too(mem: Memory) -> None:
    _remember(mem)
    hits = mem.recall("climbing gym", now=day("2025-06-20"), as_of="2 months ago", layers=FACTS)
    assert [h.source for h in hits] == ["march"]  # as of 20 April June was not said yet
    assert {h.source for h in mem.recall("climbing gym", now=day("2025-06-20"), layers=FACTS)} == {
        "march",
        "june",
    }
