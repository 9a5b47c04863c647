"""Supersession on everyday note shapes the small parser reads badly or the time order got
wrong (issue 11): a value given for a period that is still running ("this season", "this
year": it is the news, not something that happened before the old note); two clauses joined
by a semicolon, a colon or a dash (each read as its own clause); an identifier with hyphens as
the value ("us-east-1" is one value, not "us").

As many pairs that must keep both: a period that is over ("last season"), the old value
restated in the second clause, another attribute in the second clause, another region named
for another role. Real stack: spaCy, SQLite, the embedded store."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from tests.memory.conftest import real_memory_fixture, retain_pair

pytestmark = pytest.mark.slow


mem = real_memory_fixture("shapes")

# the notes are a month apart, 2025-03-01 and 2025-04-01 (`retain_pair`)
CHANGES = [
    # a running period
    ("The team captain is Ana.", "Leo is the team captain this season."),
    (
        "The quartermaster of the troop is Dev.",
        "This year the quartermaster of the troop is Kemal.",
    ),
    ("Our stand-up host is Wren.", "Our stand-up host this month is Tariq."),
    # two clauses: ';', ':', a dash
    (
        "The lead animator at the studio is Priya.",
        "Priya moved on; the lead animator at the studio is Omar now.",
    ),
    ("The head groundskeeper is Dev.", "Big change: the head groundskeeper is Noor from today."),
    ("The head librarian is Marta.", "Marta retired — the head librarian is Joel these days."),
    # hyphenated identifiers
    ("The default region is us-east-1.", "The default region is now eu-west-2."),
    ("The build image is node-18-alpine.", "The build image is node-20-alpine as of today."),
    ("Our release branch is release-4.2.", "Our release branch is now release-4.3."),
]

KEEP = [
    # a period that is over: history, not the news
    ("The team captain is Ana.", "Leo was the team captain last season."),
    ("The quartermaster of the troop is Dev.", "In 2019 the quartermaster of the troop was Kemal."),
    ("Our stand-up host is Wren.", "Last month our stand-up host was Tariq."),
    # the second clause restates the old value or is about something else
    (
        "The lead animator at the studio is Priya.",
        "Omar joined the studio; the lead animator is still Priya.",
    ),
    ("The head groundskeeper is Dev.", "Big change: the mower is electric from today."),
    ("The head librarian is Marta.", "Joel started — Marta is still the head librarian."),
    # another attribute with an identifier
    ("The default region is us-east-1.", "The backup region is eu-west-2."),
    ("The build image is node-18-alpine.", "The test image is node-20-alpine."),
    ("Our release branch is release-4.2.", "The default region is release-4.3."),
]


@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_change_in_these_shapes_retires_the_old_value(mem: Memory, old: str, new: str) -> None:
    old_ids, superseded, reasons = retain_pair(mem, f"c-{CHANGES.index((old, new))}", old, new)
    assert set(superseded) & set(old_ids), (old, new)
    assert reasons and reasons[0]["slot"] and reasons[0]["rule"]


@pytest.mark.parametrize(("old", "new"), KEEP)
def test_these_shapes_keep_both_when_nothing_changed(mem: Memory, old: str, new: str) -> None:
    old_ids, superseded, _ = retain_pair(mem, f"k-{KEEP.index((old, new))}", old, new)
    assert not set(superseded) & set(old_ids), (old, new)
