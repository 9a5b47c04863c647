"""Belief evidence through the public Memory API on the real stack (spaCy, SQLite, Chroma,
MiniLM): a statement that paraphrases or references a belief's claim is linked to it, with the
stance its cue words and negations give ("more proof", "a clear sign that", "no sign that",
"turned out wrong", "does not", "no longer"); a statement on the same topic with another claim,
or on another topic with a stance word, is linked to nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture

pytestmark = pytest.mark.slow

T0 = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
T1 = datetime(2025, 4, 20, 9, 0, tzinfo=UTC)


mem = real_memory_fixture("stance")


def _stance(mem: Memory, belief: str, note: str) -> str | None:
    """The stance `note` was recorded with on the belief `belief` started, or None."""
    bank = f"st-{abs(hash((belief, note)))}"
    r0 = mem.retain(belief, mentioned_at=T0, bank=bank)
    r1 = mem.retain(note, mentioned_at=T1, bank=bank)
    for b in mem.beliefs(bank=bank):
        ev = {h["evidence"]["fact_id"]: h["evidence"] for h in b.history}
        if set(ev) & set(r0.fact_ids):
            hit = [ev[f] for f in r1.fact_ids if f in ev]
            return str(hit[0]["stance"]) if hit else None
    raise AssertionError(f"no belief was started by {belief!r}")


SUPPORT = [
    ("I think the greenhouse heater causes the mould.",
     "Turning the greenhouse heater off cleared the mould, more proof it causes it."),
    ("My hunch is that the longer trail attracts more hikers.",
     "Hiker counts doubled on the longer trail, a clear sign that it attracts more hikers."),
    ("We believe the new glaze survives the kiln.",
     "Every tile with the new glaze came out intact, which confirms it survives the kiln."),
    ("I suspect the ferry timetable confuses tourists.",
     "Half the tourists at the pier misread the ferry timetable, so it does confuse them."),
    ("I think the choir needs a second rehearsal.",
     "The choir stumbled through the finale again, which argues for a second rehearsal."),
    ("I believe the new oven bakes evenly.",
     "I think the test batch supports that the new oven bakes evenly."),
]  # fmt: skip

CONTRADICT = [
    ("I think the greenhouse heater causes the mould.",
     "The mould came back with the greenhouse heater off, so it does not cause the mould."),
    ("My hunch is that the longer trail attracts more hikers.",
     "Counts on the longer trail stayed flat; the idea that it attracts more hikers turned out wrong."),
    ("We believe the new glaze survives the kiln.",
     "The new glaze cracked in the kiln twice, evidence against it."),
    ("I suspect the ferry timetable confuses tourists.",
     "The tourist survey shows no sign that the ferry timetable confuses anyone."),
    ("I think the choir needs a second rehearsal.",
     "I'm no longer convinced the choir needs a second rehearsal."),
    ("I believe the new oven bakes evenly.",
     "I don't think the test batch supports that the new oven bakes evenly."),
    ("Perhaps the hedge trimmer causes the sparks.",
     "Nobody saw sparks while the hedge trimmer ran, which makes that unlikely."),
]  # fmt: skip

UNRELATED = [
    ("I think the greenhouse heater causes the mould.",
     "The greenhouse heater was repainted green."),
    ("My hunch is that the longer trail attracts more hikers.",
     "The longer trail map was printed in three languages."),
    ("We believe the new glaze survives the kiln.",
     "The pottery survey confirms that members want evening classes."),
    ("I suspect the ferry timetable confuses tourists.",
     "The ferry company confirms the summer fares."),
    ("I think the choir needs a second rehearsal.",
     "There is no sign of the missing sheet music."),
    ("We believe the new glaze survives the kiln.",
     "A clear sign that spring is here: the orchard is in bloom."),
    ("Perhaps the hedge trimmer causes the sparks.",
     "The hedge trimmer was sold at the spring fair."),
    ("I believe the new oven bakes evenly.",
     "The new oven was delivered on Tuesday, which supports the kitchen schedule."),
]  # fmt: skip


@pytest.mark.parametrize("belief,note", SUPPORT)
def test_paraphrased_support_is_linked(mem: Memory, belief: str, note: str) -> None:
    assert _stance(mem, belief, note) == "support"


@pytest.mark.parametrize("belief,note", CONTRADICT)
def test_negated_or_refuting_evidence_contradicts(mem: Memory, belief: str, note: str) -> None:
    assert _stance(mem, belief, note) == "contradict"


@pytest.mark.parametrize("belief,note", UNRELATED)
def test_same_words_other_claim_is_unrelated(mem: Memory, belief: str, note: str) -> None:
    assert _stance(mem, belief, note) is None


@pytest.mark.parametrize(
    "text,stance",
    [
        ("The audit found more proof that the pump leaks.", "support"),
        ("The photos are a clear sign that the roof holds.", "support"),
        ("There is no evidence that the pump leaks.", "contradict"),
        ("The survey shows no sign that tenants mind the noise.", "contradict"),
        ("The votes are evidence against the merger.", "contradict"),
        ("We found a sign by the road.", None),
        ("The evidence locker was moved to the basement.", None),
        ("Proof copies of the book arrived.", None),
    ],
)
def test_evidence_nouns_bear_on_a_claim(text: str, stance: str | None) -> None:
    from memory.extract.nlp import parse
    from memory.extract.stance import read_stance

    cue = read_stance(parse(text))
    assert (cue.stance if cue else None) == stance
