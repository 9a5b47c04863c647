"""A person put into a single-holder office (elected, appointed, succeeded as, took over as)
replaces the previous holder of that office; a member of a group ("named a fellow"), another
office or another organisation replaces nobody. Real stack: spaCy, SQLite, the embedded store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture

pytestmark = pytest.mark.slow


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


mem = real_memory_fixture("offices")


CHANGES = [
    ("Omar is the secretary of the rowing club.",
     "Lena was elected secretary of the rowing club, replacing Omar."),
    ("The museum's curator is Dr. Hale.", "Ms. Ortiz took over as the museum's curator."),
    ("Priya is the editor of the gazette.", "Tom was appointed editor of the gazette."),
    # the office's owner (the county) is written in one note only: the one holder of it
    ("The county's governor is Ana Silva.", "Ana Silva was succeeded as governor by Ben Cole."),
    ("Kofi is the treasurer of the food bank.",
     "Ruth was named treasurer of the food bank, replacing Kofi."),
    ("The team's coach is Marta.", "Ivan took over as the team's coach."),
]  # fmt: skip
KEEPS = [
    ("Omar is the secretary of the rowing club.", "Lena was elected captain of the rowing club."),
    ("The museum's curator is Dr. Hale.", "Ms. Ortiz took over the museum's gift shop."),
    ("Priya is the editor of the gazette.", "Tom was appointed editor of the yearbook."),
    ("The county's governor is Ana Silva.", "Ana Silva was named a fellow of the academy."),
    ("Kofi is the treasurer of the food bank.", "Ruth was elected to the board of the food bank."),
    ("The team's coach is Marta.", "Ivan was appointed a member of the team."),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_new_holder_replaces_the_old_one(mem: Memory, old: str, new: str) -> None:
    bank = f"o-{abs(hash((old, new)))}"
    a = mem.retain(old, mentioned_at=day("2025-05-01"), bank=bank)
    b = mem.retain(new, mentioned_at=day("2025-06-01"), bank=bank)
    assert a.fact_ids and set(b.superseded) == set(a.fact_ids), (old, new)
    assert b.supersessions and b.supersessions[0].get("cues"), b.supersessions


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_appointments_replace_nobody(mem: Memory, old: str, new: str) -> None:
    bank = f"ok-{abs(hash((old, new)))}"
    a = mem.retain(old, mentioned_at=day("2025-05-01"), bank=bank)
    b = mem.retain(new, mentioned_at=day("2025-06-01"), bank=bank)
    assert a.fact_ids and b.superseded == [], (old, new)
