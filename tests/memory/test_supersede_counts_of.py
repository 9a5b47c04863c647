"""A count of "N units of X" counts X, and a negation on an auxiliary states no change.

"The reserve counts 140 breeding pairs of terns." is no longer retired by "... 30 breeding
pairs of avocets." (both were "count of pair"), and "The camp did not get extended to four
weeks." (the "not" hangs on "get", not on the verb) no longer retires "runs for three weeks".
The same counts of the same X, and real changes past such an auxiliary, still retire the old
value. Real stack: spaCy, SQLite, the embedded store, MiniLM."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow

mem = real_memory_fixture("counts_of")

KEEP = [
    ("The reserve counts 140 breeding pairs of terns.", "The reserve counts 30 breeding pairs of avocets."),
    ("The depot holds 200 crates of apples.", "The depot holds 80 crates of pears."),
    ("The shop stocks 40 bottles of red wine.", "The shop stocks 25 bottles of olive oil."),
    ("The camp runs for three weeks.", "The camp did not get extended to four weeks."),
    ("The course lasts ten weeks.", "The course didn't get shortened to eight weeks."),
    ("A day ticket costs £12.", "A day ticket did not get raised to £15."),
]  # fmt: skip

CHANGE = [
    ("The reserve counts 140 breeding pairs of terns.", "This year the reserve counts 162 breeding pairs of terns."),
    ("The depot holds 200 crates of apples.", "The depot now holds 260 crates of apples."),
    ("The camp runs for three weeks.", "The camp got extended to four weeks."),
    ("The course lasts ten weeks.", "The course has been shortened to eight weeks."),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), KEEP)
def test_another_counted_thing_or_a_negated_change_keeps_the_old_value(
    mem: Memory, old: str, new: str
) -> None:
    old_ids, superseded, _ = retain_pair(mem, f"keep-{KEEP.index((old, new))}", old, new)
    assert not set(superseded) & set(old_ids), (old, new)


@pytest.mark.parametrize(("old", "new"), CHANGE)
def test_the_same_count_or_a_stated_change_retires_the_old_value(
    mem: Memory, old: str, new: str
) -> None:
    old_ids, superseded, _ = retain_pair(mem, f"change-{CHANGE.index((old, new))}", old, new)
    assert set(superseded) & set(old_ids), (old, new)
