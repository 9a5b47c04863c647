"""Slot matching by meaning (issue 11): a stated change of a single-valued attribute written in
other words than the old fact ("opens at" / "opening time", "ticket price" / "ticket cost",
"parish priest" / "parish pastor") retires the old value, with the rule, the similarity and the
slot recorded; the old value stays visible before the change.

As many pairs that must keep both, each with a change cue so the rule is asked: opposite
times ("opens" / "closes"), another office of one subject ("head chef" / "sous chef", "mayor"
/ "deputy mayor"), a count of another noun, values of another kind, two current attributes
equally close. Real stack: spaCy, SQLite, the embedded store, MiniLM."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from memory.slot_meaning import SAME_ATTRIBUTE_SIMILARITY, attribute_phrase, value_kind
from tests.memory.conftest import day, real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow

mem = real_memory_fixture("meaning")

CHANGES = [
    ("The pool opens at 6 am.", "The pool opening time has moved to 7 am."),
    ("The ski lift closes at 4 pm.", "The ski lift closing time was pushed back to 5 pm."),
    ("The ticket price is 12 dollars.", "The ticket cost rose to 15 dollars."),
    ("The parish priest is Father Doyle.", "The parish pastor is now Father Kim."),
    ("The skating rink opens at 9 am.", "The skating rink opening time was moved to 10 am."),
    ("The museum ticket price is 14 euros.", "The museum ticket cost went up to 16 euros."),
]

KEEP = [
    # the opposite time of the subject
    ("The pool opens at 6 am.", "The pool closing time has moved to 10 pm."),
    ("The ferry departs at 9:15 am.", "The ferry arrival time was moved to 11:40 am."),
    # another office of the same subject
    ("The restaurant's head chef is Pierre.", "The restaurant's sous chef is now Aiko."),
    ("The deputy mayor of Dunmore is Mr. Walsh.", "Dunmore's mayor is now Ms. Byrne."),
    ("The vice president is Ana.", "The president is now Carl."),
    ("The head coach is Dana.", "The assistant coach is now Pablo."),
    ("The parish priest is Father Doyle.", "The parish organist is now Mr. Kim."),
    # another priced thing; another kind of value
    ("The ticket price is 12 dollars.", "The parking fee rose to 15 dollars."),
    ("The pool opens at 6 am.", "The pool opening day has moved to June 3."),
    # another period of one kind of thing
    ("The weekly pass costs 20 dollars.", "The daily pass price rose to 6 dollars."),
    ("The yearly membership fee is 90 euros.", "The monthly membership fee went up to 9 euros."),
    # counts of another noun
    ("The observatory has 4 staff astronomers.", "The observatory now hosts 3 students."),
]


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_one_attribute_in_other_words_retires_the_old_value(
    mem: Memory, old: str, new: str
) -> None:
    old_ids, superseded, reasons = retain_pair(mem, f"c-{CHANGES.index((old, new))}", old, new)
    assert set(superseded) & set(old_ids), (old, new)
    why = reasons[0]
    assert why["rule"] in ("same-attribute-by-meaning", "functional", "time-moved"), why
    if why["rule"] == "same-attribute-by-meaning":
        assert why["similarity"] >= SAME_ATTRIBUTE_SIMILARITY
        assert why["slot"] and why["new_attribute"]


@pytest.mark.parametrize(("old", "new"), KEEP)
def test_another_attribute_keeps_both(mem: Memory, old: str, new: str) -> None:
    old_ids, superseded, _ = retain_pair(mem, f"k-{KEEP.index((old, new))}", old, new)
    assert not set(superseded) & set(old_ids), (old, new)


def test_the_reason_and_the_history_are_kept(mem: Memory) -> None:
    bank = "history"
    old_ids, superseded, reasons = retain_pair(
        mem, bank, "The ice rink opens at 8 am.", "The ice rink opening time has moved to 9 am."
    )
    assert set(superseded) == set(old_ids)
    why = reasons[0]
    assert why["rule"] == "same-attribute-by-meaning"
    assert why["old_value"] == "8 am" and why["new_value"] == "9 am"
    assert "by_text" in why and why["similarity"] >= SAME_ATTRIBUTE_SIMILARITY
    before = mem.recall("When does the ice rink open?", bank=bank, as_of=day("2025-03-15"))
    assert any(h.fact_id in old_ids for h in before)
    after = mem.recall("When does the ice rink open?", bank=bank, as_of=day("2025-04-15"))
    assert not any(h.fact_id in old_ids for h in after)


def test_two_close_current_attributes_keep_both(mem: Memory) -> None:
    """Both "shop manager" and "store manager" are current: a change to "store head" could
    be either; keep all."""
    bank = "two-close"
    a = mem.retain("The shop manager is Gail.", mentioned_at=day("2025-03-01"), bank=bank)
    b = mem.retain("The store manager is Ravi.", mentioned_at=day("2025-03-02"), bank=bank)
    c = mem.retain("The shop boss is now Tess.", mentioned_at=day("2025-04-01"), bank=bank)
    assert not set(c.superseded) & set(a.fact_ids + b.fact_ids)


def test_attribute_phrases_and_value_kinds() -> None:
    assert attribute_phrase("when open") == "open time"
    assert attribute_phrase("due", "pool opening time", "pool") == "open time"
    assert attribute_phrase("count of astronomer") == "number of astronomer"
    assert value_kind("4:30 pm")[0] == "clock"
    assert value_kind("June 3")[0] == "date"
    assert value_kind("4 staff astronomers") == ("count", "astronomer")
    assert value_kind("Father Kim")[0] == "thing"
