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


# A statement recited before the question is context, not the question's time scope; an anchor
# in the question itself (or in a query of one sentence) still scopes it.
RECITED = [
    "You mentioned that wells are tested before drilling starts. Which state requires it?",
    "I read that prices rose after the merger was announced. Can you remind me of the source?",
    "Last time you said to stretch before running. What stretches did you suggest?",
    "We talked about resting after the marathon. Which recovery drinks did you list?",
    "You explained that dough should rest until the gluten relaxes. How long was that again?",
    "My sister told me to book before the holidays. What hotel did you recommend to me?",
]
ASKED = [
    "I have a question. What did users report after the 3.0 release?",
    "Quick check. Which bugs were fixed before the 3.0 release?",
    "what did users report after the 3.0 release",
    "Thanks for the help so far! What changed since version 3.0 shipped?",
    "Sorry to bother you again. Were there crashes since version 3.0 shipped?",
    "Remind me. What did users complain about prior to version 3.0?",
]


@pytest.mark.parametrize("query", RECITED)
def test_a_recited_statement_is_not_the_asked_part(query: str) -> None:
    from memory.recall.anchors import _ANCHOR, asked_part

    assert _ANCHOR.search(query) and not _ANCHOR.search(asked_part(query)), asked_part(query)


@pytest.mark.parametrize("query", ASKED)
def test_an_anchor_in_the_question_is_kept(query: str) -> None:
    from memory.recall.anchors import _ANCHOR, asked_part

    assert _ANCHOR.search(asked_part(query)), asked_part(query)


def test_a_recited_anchor_does_not_filter_recall(mem: Memory) -> None:
    for when, text, source in NOTES:
        mem.retain(text, mentioned_at=day(when), source=source)
    recited = (
        "You said the importer was tested after the 3.0 release. Was there a crash in the importer?"
    )
    assert find_anchor(mem.store, "default", recited) is None
    assert "n0" in [h.source for h in mem.recall(recited, k=5, layers=("fact",))]
    asked = "I have a question. What did users report after the 3.0 release?"
    assert find_anchor(mem.store, "default", asked) is not None
