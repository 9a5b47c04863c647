"""Successions and moved times read from the parse (issue 11): a departure followed by "the
new <office>", a passive "was replaced/succeeded as <office> by", "X's successor as <office>",
a time moved by a change verb that names no attribute ("was moved to 9 pm" retires the one
current time of the subject), "brought forward" to an earlier date, "open until" as a closing
time, a present passive schedule ("is served until").

At least as many must-keep-both pairs: a negated change, a change under "may/might/could",
an added value ("also"), another office, another subject, two current times of one subject,
a time of another kind, a past or future one-off, the same value restated. Real stack: spaCy,
SQLite, the embedded store."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import day, real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow


mem = real_memory_fixture("successions")


CHANGES = [
    # a departure, then the new holder
    ("The principal of Elm High is Mrs. Gray.",
     "Mrs. Gray resigned and Mr. Tan is the new principal of Elm High."),
    ("The warden of the prison is Mark Fell.",
     "Mark Fell quit; the new warden of the prison is Sara Holm."),
    # passive "as <office> by"
    ("The treasurer of the guild is Oona.", "Oona was replaced as treasurer of the guild by Femi."),
    ("The museum's director is Lars.", "Lars was succeeded by Greta as the museum's director."),
    ("The coach of the Hawks is Pete.",
     "Pete was fired and replaced by Ruth as coach of the Hawks."),
    # a successor noun
    ("The band's manager is Kurt.", "Kurt's successor as the band's manager is Mona."),
    # a time moved with no attribute named
    ("The ferry leaves at 7:20 am.", "The ferry was moved to 7:50 am."),
    ("The gala is on April 4.", "The gala was rescheduled to April 18."),
    ("The hearing is on June 12.", "The hearing was brought forward to June 3."),
    ("The exam date is May 20.", "The exam date slipped to May 27."),
    # closing times and present passive schedules
    ("The pool closes at 8 pm.", "The pool is open until 9 pm now."),
    ("Dinner is served until 9 pm.", "Dinner is served until 10 pm these days."),
]  # fmt: skip

KEEPS = [
    # a negated change, a possible one, an added value
    ("Ivo lives in Graz.", "Ivo never moved to Vienna."),
    ("Ivo lives in Graz.", "Ivo might relocate to Vienna."),
    ("The clinic is located in Bern.", "The clinic could move to Basel."),
    ("The hearing is on June 12.", "The hearing was not moved to June 3."),
    ("The jazz club opens on Thursdays.", "The jazz club also opens on Saturdays."),
    # another office, another subject, one of many
    ("The principal of Elm High is Mrs. Gray.",
     "Mrs. Gray resigned and Mr. Tan is the new principal of Oak High."),
    ("The treasurer of the guild is Oona.", "Oona was replaced as secretary of the guild by Femi."),
    ("The museum's director is Lars.", "Lars was succeeded by Greta as the library's director."),
    ("The band's manager is Kurt.", "Kurt's successor as the label's manager is Mona."),
    ("The coach of the Hawks is Pete.", "Pete was replaced by Ruth in the charity match."),
    # two current times of one subject, a time of another kind, another subject
    ("The gala is on April 4.", "The opera gala was rescheduled to April 18."),
    ("The ferry leaves at 7:20 am.", "The ferry was moved to Pier 4."),
    ("The exam date is May 20.", "The results were moved to May 27."),
    # past and future one-offs, the same value restated
    ("The pool closes at 8 pm.", "The pool was open until 9 pm last Saturday."),
    ("The pool closes at 8 pm.", "The pool will be open until 9 pm on the holiday."),
    ("Dinner is served until 9 pm.", "Dinner is served in the courtyard."),
    ("Dinner is served until 9 pm.", "Dinner is served until 9 pm, as before."),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_succession_or_a_moved_time_supersedes(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, why = retain_pair(mem, f"c-{abs(hash((old, new)))}", old, new)
    assert old_ids and set(retired) == set(old_ids), (old, new)
    assert why and why[0].get("rule"), why


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_statements_keep_the_old_value(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, _ = retain_pair(mem, f"k-{abs(hash((old, new)))}", old, new)
    assert old_ids and retired == [], (old, new)


def test_a_moved_time_with_two_current_times_keeps_both(mem: Memory) -> None:
    bank = "two-times"
    a = mem.retain("The night bus departs at 11:40 pm.", mentioned_at=day("2025-03-01"), bank=bank)
    b = mem.retain("The night bus arrives at 12:30 am.", mentioned_at=day("2025-03-02"), bank=bank)
    c = mem.retain(
        "The night bus was moved to 11:55 pm.", mentioned_at=day("2025-04-01"), bank=bank
    )
    assert a.fact_ids and b.fact_ids and c.superseded == []


def test_the_reason_of_a_moved_time(mem: Memory) -> None:
    bank = "why-moved"
    a = mem.retain("The recital is on May 9.", mentioned_at=day("2025-03-01"), bank=bank)
    b = mem.retain(
        "The recital was postponed to May 23.", mentioned_at=day("2025-04-01"), bank=bank
    )
    assert set(b.superseded) == set(a.fact_ids)
    assert b.supersessions[0]["rule"] in ("time-moved", "functional", "explicit-change")
