"""Event anchors whose names hold numbers ("the 3.0 release", "the 2024 offsite") are events;
anchors that are time phrases ("before October 25", "after last week") are dates, left to the
time layer. The event's own fact is never returned, and the event is found by its noun or verb
("release" / "released")."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from memory.recall.anchors import _is_date, find_anchor
from tests.memory.conftest import day

DATES = ["October 25", "25 October", "2024", "Q3", "last week", "March 3rd", "10am",
         "2025-10-14", "next month", "yesterday"]  # fmt: skip
EVENTS = ["3.0 release", "version 3.0", "2024 offsite", "sprint 14 demo", "v2 launch",
          "reorg", "warehouse move", "series b round", "the pharmacy wing opening",
          "build 512 rollout"]  # fmt: skip


@pytest.mark.parametrize("words", DATES)
def test_time_phrases_are_dates(words: str) -> None:
    assert _is_date(words)


@pytest.mark.parametrize("words", EVENTS)
def test_numbered_names_are_events(words: str) -> None:
    assert not _is_date(words)


NOTES = [("2024-11-04", "Users reported a crash in the importer.", "n0"),
         ("2024-11-18", "Version 3.0 was released.", "event"),
         ("2024-12-02", "Users reported a memory leak in the exporter.", "n2")]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "want"),
    [
        ("what did users report after the 3.0 release", "n2"),
        ("user reports since version 3.0 shipped", "n2"),
        ("problems users reported before the 3.0 release", "n0"),
        ("what did users report prior to version 3.0", "n0"),
    ],
)
def test_a_numbered_event_anchors_and_is_excluded(mem: Memory, query: str, want: str) -> None:
    for when, text, source in NOTES:
        mem.retain(text, mentioned_at=day(when), source=source)
    anchor = find_anchor(mem.store, "default", query)
    assert anchor is not None and anchor.start == day("2024-11-18"), anchor
    sources = [h.source for h in mem.recall(query, k=5, layers=("fact",))]
    assert want in sources and "event" not in sources, sources


def test_a_date_is_not_an_event_even_when_a_note_holds_it(mem: Memory) -> None:
    mem.retain("October 25 is the deadline for the survey.", mentioned_at=day("2024-09-01"))
    assert find_anchor(mem.store, "default", "what happened before October 25") is None
    assert find_anchor(mem.store, "default", "what happened after the") is None
