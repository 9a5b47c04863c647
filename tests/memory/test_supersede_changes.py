"""Changes of a single value told in many shapes, read from the parse: a schedule ("now
closes at 10 pm"), a handover of an office ("stepped down and X became captain", "handed
stewardship of the archive to Lena", "was succeeded as president by"), a time phrase that
starts the new value ("From next month, ..."), values of one kind from/to ("from firmware 3.1
to firmware 3.4"), a rename, "in favour of", "X replaced Y", amounts of money, counts by
agent ("staffed by 5 porters"), and an attribute whose owner is written in one note only
("The hotel's night manager is Victor." / "the night manager is now Elif").

At least as many must-keep-both pairs: another subject, another attribute, another thing
counted, a one-off past event, a qualified schedule, unlike from/to values, multi-valued
relations (use, like, work on, review, meet) with or without a time cue. Real stack: spaCy,
SQLite, the embedded store."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import day, real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow


AT = ("2025-05-01", "2025-06-01")  # the old note, then the new one


def _pair(mem: Memory, bank: str, old: str, new: str) -> tuple[list[str], list[str], list]:
    return retain_pair(mem, bank, old, new, AT)


mem = real_memory_fixture("changes")


CHANGES = [
    # schedules: a present-tense verb at a clock time or on a weekday
    ("The pharmacy closes at 9 pm.", "The pharmacy now closes at 10 pm."),
    ("The gym opens at 5 am.", "The gym opens at 6 am these days."),
    ("The farmers market runs on Saturdays.", "The farmers market now runs on Sundays."),
    ("The night ferry departs at 11:30.", "From next month, the night ferry departs at 11:45."),
    ("The shuttle to the stadium departs at 6:10.",
     "Starting Monday, the shuttle to the stadium departs at 6:25."),
    # a handover of an office
    ("The choir director is Hannah.", "Hannah retired and Omar became choir director."),
    ("The team captain is Sofia.", "Sofia stepped aside, and Dana became team captain."),
    ("The archive's steward is Bruno.", "Bruno handed stewardship of the archive to Lena."),
    ("The maintainer of the CLI is Arjun.", "Arjun passed maintenance of the CLI to Keiko."),
    ("The club's president is Ada Moss.", "Ada Moss was succeeded as president by Tom Reyes."),
    # time cues on a single-valued attribute
    ("Kwame works at Globex.", "Kwame is working for Initech nowadays."),
    ("The on-call lead is Farah.", "Going forward, the on-call lead is Jonas."),
    # values of one kind, from/to; a rename of an attribute's value
    ("The printers run firmware 3.1.", "We rolled the printers from firmware 3.1 to firmware 3.4."),
    ("The kiosks run release 4.2.", "We took the kiosks from release 4.2 to release 4.5."),
    ("Our support channel is #help.", "The support channel was renamed from #help to #helpdesk."),
    # an attribute whose owner is written once
    ("The hotel's night manager is Victor.", "Victor left, and the night manager is now Elif."),
    ("The museum's curator is Iris.", "Iris retired; the curator is now Pablo."),
    ("The school's annual budget is 3 million dollars.",
     "We reduced the annual budget to 2.4 million dollars."),
    # "changed to", "in favour of", "X replaced Y"
    ("The wedding venue is the Grand Hotel.", "The wedding venue changed to the Lakeside Inn."),
    ("The design team uses Sketch.", "We abandoned Sketch in favour of Figma for design."),
    ("Our CI runs on Jenkins.", "Jenkins was retired in favor of Buildkite."),
    ("Our default model is Llama 2.", "Llama 3 replaced Llama 2."),
    ("The production API is v2.", "API v3 replaced v2 in production."),
    ("Mei Tanaka is our designer.", "Kenji Sato replaced Mei Tanaka."),
    # amounts of money; counts by agent
    ("The seed round target is 1 million pounds.",
     "The seed round target was raised to 1.5 million pounds."),
    ("The night desk is staffed by 3 porters.", "The night desk is now staffed by 5 porters."),
    ("The intro course is taught by 2 instructors.",
     "The intro course is taught by 4 instructors this term."),
]  # fmt: skip

KEEPS = [
    # schedules: another subject, another verb, a one-off past event, a qualified time, a
    # future one-off
    ("The pharmacy closes at 9 pm.", "The bakery closes at 8 pm."),
    ("The pharmacy opens at 8 am.", "The pharmacy closes at 9 pm."),
    ("The server crashed at 3:15.", "The server crashed at 4:20."),
    ("The gym opens at 5 am.", "The gym opens at 8 am on Sundays."),
    ("The night ferry departs at 11:30.", "The night ferry will depart at 12:15 on Friday."),
    ("The farmers market runs on Saturdays.", "The farmers market sold out on Saturday."),
    ("The shuttle to the stadium departs at 6:10.", "The shuttle to the airport departs at 6:25."),
    ("The shop in the mall opens at 9 am.", "The shop on Main Street opens at 10 am."),
    # offices: no new holder, one of many, another office, another owner
    ("The choir director is Hannah.", "Hannah stepped down from the budget committee."),
    ("The team captain is Sofia.", "Dana became a member of the team."),
    ("The maintainer of the CLI is Arjun.", "Arjun handed the slides to Keiko."),
    ("The maintainer of the CLI is Arjun.", "Arjun handed maintenance of the docs site to Keiko."),
    ("The club's president is Ada Moss.", "Tom Reyes was elected president of the chess club."),
    ("The hotel's night manager is Victor.", "The bar's night manager is now Elif."),
    ("The museum's curator is Iris.", "The gallery curator is now Pablo."),
    # a written "our" is an owner: another team's attribute stays theirs
    ("The billing team's main database is MySQL.", "Our main database is now PostgreSQL."),
    ("The billing team's main database is MySQL.",
     "We moved our main database from Oracle to PostgreSQL."),
    ("Priya lives in Lisbon.", "We moved to Porto last spring."),
    # from/to: unlike values, another thing moved
    ("We live in Berlin.", "We drove the van from Berlin to Paris."),
    ("The printers run firmware 3.1.", "We moved the boxes from room 3 to room 4."),
    ("Our support channel is #help.", "The random channel was renamed from #fun to #social."),
    # changed to / in favour of / replaced: another attribute, another old value, elsewhere
    ("The wedding venue is the Grand Hotel.", "The rehearsal dinner venue changed to the Lakeside Inn."),
    ("The design team uses Sketch.", "The marketing team dropped Canva in favour of Figma."),
    ("We use PostgreSQL.", "We dropped the nightly cron job in favour of a queue."),
    ("The production API is v2.", "API v3 replaced v2 in staging."),
    ("We replaced the office chairs.", "We replaced the kitchen kettle."),
    ("We keep spare batteries in the drawer.", "Priya replaced the batteries."),
    # amounts and counts: another attribute, no "to", another thing counted
    ("The school's annual budget is 3 million dollars.",
     "The marketing budget was cut to 1 million dollars."),
    ("The seed round target is 1 million pounds.", "We raised 2 million pounds in donations."),
    ("The night desk is staffed by 3 porters.", "The night desk is staffed by 2 security guards."),
    ("The intro course is taught by 2 instructors.", "The intro course was praised by 30 students."),
    # multi-valued relations, with or without a time cue
    ("We use PostgreSQL.", "We use Redis for caching."),
    ("Lena reviews the backend pull requests.", "Lena reviews the frontend pull requests."),
    ("Omar works on the billing service.", "Omar works on the mobile app nowadays."),
    ("Kai likes green tea.", "Kai likes espresso these days."),
    ("Tom met the mayor at 9 am.", "Tom met the dean at 10 am."),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_change_of_one_value_supersedes(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, why = _pair(mem, f"c-{abs(hash((old, new)))}", old, new)
    assert old_ids and set(retired) == set(old_ids), (old, new)
    assert why and why[0].get("rule") and why[0].get("cues") is not None, why


@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_statements_keep_the_old_value(mem: Memory, old: str, new: str) -> None:
    old_ids, retired, _ = _pair(mem, f"k-{abs(hash((old, new)))}", old, new)
    assert old_ids and retired == [], (old, new)


def test_an_unwritten_owner_with_two_candidates_keeps_both(mem: Memory) -> None:
    bank = "two-owners"
    a = mem.retain(
        "The hotel's night manager is Victor.", mentioned_at=day("2025-05-01"), bank=bank
    )
    b = mem.retain(
        "The hostel's night manager is Greta.", mentioned_at=day("2025-05-02"), bank=bank
    )
    c = mem.retain("The night manager is now Elif.", mentioned_at=day("2025-06-01"), bank=bank)
    assert a.fact_ids and b.fact_ids and c.superseded == []


def test_the_reason_names_the_unwritten_owner(mem: Memory) -> None:
    bank = "why-owner"
    a = mem.retain("The clinic's head nurse is Rosa.", mentioned_at=day("2025-05-01"), bank=bank)
    b = mem.retain("The head nurse is now Amal.", mentioned_at=day("2025-06-01"), bank=bank)
    assert set(b.superseded) == set(a.fact_ids)
    assert "owner is not written" in b.supersessions[0].get("reason", "")
