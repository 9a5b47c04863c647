"""Hand-overs, departures with a successor, offices named by a passive verb, counts written
out, dates moved by "adjourn"/"pull forward", a result clause with "it", and a verbal "'s"
(issue 11, set6's shapes in other words). At least as many must-keep-both pairs. Real stack:
spaCy, SQLite, the embedded store."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow


mem = real_memory_fixture("handovers")

CHANGES = [
    ("The choir's conductor is Wendy.", "Wendy handed the choir over to Patrick."),
    ("The lab's safety officer is Kemal.", "Kemal handed over as safety officer to Dana."),
    ("The guild's treasurer is Bea.", "Bea resigned as treasurer, and Omar took over."),
    ("The podcast is hosted by Lina.", "The podcast is now hosted by Ravi."),
    ("The squad has nineteen players.", "The squad has grown to twenty-three players."),
    ("The inquest is on 2 June.", "The inquest has been adjourned to 16 June."),
    ("The bakery opens at 7 am.", "The bakery doesn't open at 7 am anymore; it opens at 6 am."),
    ("The night porter is Stan.", "Stan retired, and the night porter's now Gita."),
]

KEEPS = [
    ("The choir's conductor is Wendy.", "Wendy handed the sheet music to Patrick."),
    ("The guild's treasurer is Bea.", "Bea resigned from the book club."),
    ("The podcast is hosted by Lina.", "The podcast was reviewed by Ravi."),
    ("The squad has nineteen players.", "The other squad has twenty-three players."),
    ("The inquest is on 2 June.", "The hearing was adjourned to 16 June."),
    ("The bakery opens at 7 am.", "If demand grows, the bakery will open at 6 am."),
    ("The night porter is Stan.", "Stan's brother is a night porter in Leeds."),
    ("The squad has nineteen players.", "The squad won nineteen games."),
]


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_change_supersedes(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, why = retain_pair(mem, f"c-{abs(hash((old, new)))}", old, new)
    assert old_ids and set(retired) == set(old_ids), (old, new)
    assert why and why[0].get("rule") and why[0].get("slot"), why


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_statements_keep_the_old_value(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, _ = retain_pair(mem, f"k-{abs(hash((old, new)))}", old, new)
    assert old_ids and retired == [], (old, new)
