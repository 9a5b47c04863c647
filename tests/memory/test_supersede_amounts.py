"""A verb that sets an amount, a length or a date "to" a new value changes a single value:
"expanded to 28 beds", "grew to 19 trucks", "was extended to November 15". Without "to" and
an amount (or with a different thing counted, or another subject) nothing is retired. Real
stack: spaCy, SQLite, the embedded store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture

pytestmark = pytest.mark.slow


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


mem = real_memory_fixture("amounts")


CHANGES = [
    ("The library has 40 study rooms.", "The library was expanded to 55 study rooms."),
    ("Our kitchen team has 8 cooks.", "Our kitchen team grew to 11 cooks."),
    ("The night shift has 12 nurses.", "The night shift was cut to 9 nurses."),
    ("The beta cohort has 300 testers.", "The beta cohort increased to 450 testers."),
    ("The submission deadline is March 3.", "The submission deadline was extended to March 17."),
    ("The review deadline is June 9.", "The review deadline was pushed back to June 23."),
    ("The onboarding course has 6 modules.", "The onboarding course was shortened to 4 modules."),
    ("The data center has 200 racks.", "The data center shrank to 150 racks."),
]
KEEPS = [
    # another thing counted, another subject, no amount, a count added rather than set
    ("The library has 40 study rooms.", "The library was expanded to include a cafe."),
    ("Our kitchen team has 8 cooks.", "Our kitchen team grew closer after the trip."),
    ("The night shift has 12 nurses.", "The day shift was cut to 9 nurses."),
    ("The beta cohort has 300 testers.", "The beta cohort increased its activity."),
    ("The submission deadline is March 3.", "The poster session was extended to March 17."),
    ("The onboarding course has 6 modules.", "The onboarding course has 3 quizzes."),
    ("The data center has 200 racks.", "The data center raised its prices."),
    ("The review deadline is June 9.", "We extended the invitation to Maria."),
]


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_setting_an_amount_to_a_new_value_supersedes(mem: Memory, old: str, new: str) -> None:
    bank = f"c-{abs(hash((old, new)))}"
    a = mem.retain(old, mentioned_at=day("2025-05-01"), bank=bank)
    b = mem.retain(new, mentioned_at=day("2025-06-01"), bank=bank)
    assert a.fact_ids and set(b.superseded) == set(a.fact_ids), (old, new)
    why = b.supersessions[0] if getattr(b, "supersessions", None) else None
    assert why is None or why.get("cues"), why


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_changes_keep_the_old_value(mem: Memory, old: str, new: str) -> None:
    bank = f"k-{abs(hash((old, new)))}"
    a = mem.retain(old, mentioned_at=day("2025-05-01"), bank=bank)
    b = mem.retain(new, mentioned_at=day("2025-06-01"), bank=bank)
    assert a.fact_ids and b.superseded == [], (old, new)
