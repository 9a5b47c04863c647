"""A change told later but dated earlier (issue 11): note 1 (June 10) "Ana lives in Bergen.",
note 2 (August 1) "Ana moved to Oslo in the spring." The change is dated before note 1, but it
is a stated change told after it, and note 1 is dated only by when it was said: Ana lives in
Oslo now. The reason says so ("order": "learned later"), and `as_of` before note 2 was told
still shows Bergen. Without a change cue the later-occurring fact wins; an old fact with an
occurred time of its own, or an old change, keeps the order of the occurred times. Real stack: spaCy, SQLite, the
embedded store."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import day, real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow


mem = real_memory_fixture("learned-later")

AT = ("2025-06-10", "2025-08-01")

TOLD_LATER = [
    ("Ana lives in Bergen.", "Ana moved to Oslo in the spring."),
    ("Ana lives in Bergen.", "Ana relocated from Bergen to Oslo in April."),
    ("Ana lives in Bergen.", "Back in March, Ana moved from Bergen to Oslo."),
]

KEEPS = [
    # no change cue: a functional attribute given another value, occurring earlier
    ("Ana lives in Bergen.", "Ana lived in Oslo in the spring."),
    # the old fact has an occurred time of its own, after the change told later
    ("Ana moved to Bergen in May.", "Ana moved to Oslo in March."),
    # the old fact is itself a change, which happened when it was told
    ("Ana has moved from Oslo to Bergen.", "Ana moved to Trondheim in the spring."),
]


@pytest.mark.parametrize(("old", "new"), TOLD_LATER)
def test_a_change_told_later_supersedes_with_its_reason(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, why = retain_pair(mem, f"t-{abs(hash(new))}", old, new, at=AT)
    assert old_ids and set(retired) == set(old_ids), (old, new)
    assert why[0]["order"] == "learned later", why
    assert why[0]["rule"] and why[0]["cues"] and why[0]["slot"] == "Ana|location", why


@pytest.mark.parametrize(("old", "new"), TOLD_LATER)
def test_as_of_before_the_change_was_told_shows_the_old_value(
    mem: Memory, old: str, new: str
) -> None:
    bank = f"h-{abs(hash(new))}"
    retain_pair(mem, bank, old, new, at=AT)
    before = [
        h.text for h in mem.recall("Where does Ana live?", bank=bank, as_of=day("2025-06-20"))
    ]
    after = [h.text for h in mem.recall("Where does Ana live?", bank=bank, as_of=day("2025-08-05"))]
    assert before and before[0] == old, before
    assert after and after[0] == new and old not in after, after


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_without_a_change_cue_or_with_a_dated_old_fact_the_later_occurrence_wins(
    mem: Memory, old: str, new: str
) -> None:
    old_ids, retired, _ = retain_pair(mem, f"k-{abs(hash((old, new)))}", old, new, at=AT)
    assert old_ids and retired == [], (old, new)
