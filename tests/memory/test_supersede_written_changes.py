"""Changes written compactly (issue 11): the old value beside the new one ("55 lockers, up
from 40", "(was 40)", ", previously 40"), an arrow after a heading ("Lockers: 40 -> 55"), a
count named by a noun ("The locker count rose from 40 to 55"), a length after "runs for", and
present-tense count verbs after a fronted period ("This year the reserve counts 162 nesting
pairs"). A careful note-taker takes the new amount as the current one. The must-nots: the same
number for another noun, "up from" with no old amount, a route or a mapping with an arrow, a
past state told as history, questions, modals and negations.

Real stack through `Memory`, plus the parse-level readings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.extract.clauses import needs_parse, read_clause
from memory.extract.nlp import parse
from memory.memory import Memory
from tests.memory.conftest import assert_keeps, assert_retires, real_memory_fixture

mem = real_memory_fixture("written-changes")


def day(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=UTC)


CHANGES = [
    # the old value beside the new one
    ("The gym has 40 lockers.", "The gym has 55 lockers, up from 40."),
    ("The gym has 40 lockers.", "The gym has 55 lockers (was 40)."),
    ("The gym has 40 lockers.", "The gym now has 55 lockers, previously 40."),
    ("The bakery sells 200 loaves a day.", "The bakery sells 240 loaves a day, up from 200."),
    ("The bakery sells 200 loaves a day.", "The bakery sells 240 loaves a day (was 200)."),
    ("The orchard grows 300 apple trees.", "The orchard grows 340 apple trees, previously 300."),
    ("The orchard grows 300 apple trees.", "The orchard grows 280 apple trees, down from 300."),
    ("The ferry ticket costs £12.", "The ferry ticket costs £14 (previously £12)."),
    ("The commute takes 40 minutes.", "The commute takes 35 minutes (formerly 40)."),
    ("The loan rate is 4.5%.", "The loan rate is 4.9%, up from 4.5%."),
    (
        "The warehouse stores 800 tonnes of grain.",
        "The warehouse stores 950 tonnes of grain, up from 800 tonnes.",
    ),
    # an arrow after a heading that names a count
    ("The gym has 40 lockers.", "Lockers: 40 -> 55."),
    ("The gym has 40 lockers.", "Locker count: 40 → 55."),
    ("The reserve counts 140 nesting pairs.", "Nesting pairs: 140 -> 162."),
    ("The stable has 12 horses.", "Horses: 12 -> 9."),
    # a count named by a noun
    ("The gym has 40 lockers.", "The locker count rose from 40 to 55."),
    ("The gym has 40 lockers.", "The number of lockers rose from 40 to 55."),
    ("The marina has 80 berths.", "The berth count was increased from 80 to 96."),
    # a length after "runs for"
    ("The course runs for three weeks.", "The course has been extended to four weeks."),
    ("The course runs for three weeks.", "The course now runs for four weeks."),
    ("The exhibition runs for six weeks.", "The exhibition was shortened to five weeks."),
    # a temperature, its attribute implied by the unit
    (
        "The pool is heated to 28 degrees.",
        "The pool's temperature was lowered from 28 to 27 degrees.",
    ),
    ("The pool is heated to 28 degrees.", "The pool is now heated to 30 degrees."),
    ("The greenhouse is heated to 22 degrees.", "The greenhouse was cooled to 18 degrees."),
    ("The pool's temperature is 28 degrees.", "The pool's temperature was raised to 29 degrees."),
    # present-tense count verbs, after a fronted period
    ("The reserve counts 140 nesting pairs.", "This year the reserve counts 162 nesting pairs."),
    ("The club fields 3 teams.", "This season the club fields 4 teams."),
    ("The league fields 10 clubs.", "This season the league fields 12 clubs."),
]

KEEPS = [
    # the same number for another noun
    ("The gym has 40 lockers.", "The gym has 55 showers, up from 40."),
    ("The bakery sells 200 loaves a day.", "The bakery sells 240 croissants a day, up from 200."),
    ("The orchard grows 300 apple trees.", "The orchard grows 340 pear trees, previously 300."),
    ("The gym has 40 lockers.", "The shower count rose from 12 to 15."),
    ("The gym has 40 lockers.", "Showers: 40 -> 55."),
    # "up from" with no old amount
    (
        "The bakery sells 200 loaves a day.",
        "Sales are up from last year, and the bakery sells 200 loaves a day.",
    ),
    ("The bakery sells 200 loaves a day.", "Visitors are up from last spring."),
    # a route or a mapping
    ("The train goes to London.", "London -> Paris."),
    ("The gym has 40 lockers.", "Route: London -> Paris."),
    ("The gym has 40 lockers.", "Version: 4 -> 5 of the booking app."),
    # a past state told as history
    ("The gym has 40 lockers.", "The gym had 40 lockers in 2019."),
    # questions, modals, negations
    ("The gym has 40 lockers.", "Does the gym have 55 lockers, up from 40?"),
    ("The gym has 40 lockers.", "The gym could have 55 lockers, up from 40."),
    ("The gym has 40 lockers.", "The gym does not have 55 lockers, up from 40."),
    ("The gym has 40 lockers.", "The gym could have 55 lockers."),
    ("The gym has 40 lockers.", "The gym does not have 55 lockers."),
    ("The reserve counts 140 nesting pairs.", "This year the reserve might count 162 pairs."),
    ("The course runs for three weeks.", "The course might be extended to four weeks."),
    ("The course runs for three weeks.", "The workshop runs for two days."),
    ("The club fields 3 teams.", "This season the club fields 4 coaches."),
    ("The pool is heated to 28 degrees.", "The sauna is heated to 80 degrees."),
    ("The pool is heated to 28 degrees.", "The pool might be heated to 30 degrees."),
    ("The pool is heated to 28 degrees.", "The pool's length was extended to 50 metres."),
    ("The pool is heated to 28 degrees.", "The pool was not heated to 30 degrees."),
    # ranges are not changes
    ("The gym has 40 lockers.", "The gym is open from 9 to 5."),
]


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), CHANGES)
def test_a_written_change_supersedes_the_old_amount(mem: Memory, old: str, new: str) -> None:
    assert_retires(mem, old, new)


@pytest.mark.slow
@pytest.mark.parametrize(("old", "new"), KEEPS)
def test_other_writings_keep_the_old_amount(mem: Memory, old: str, new: str) -> None:
    assert_keeps(mem, old, new)


def _reading(text: str) -> tuple[str, str, str | None, str | None] | None:
    c = next((c for s in parse(text).sents if (c := read_clause(s))), None)
    if c is None:
        return None
    return c.subject, c.attribute, c.value, c.change.old if c.change else None


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("The gym has 55 lockers, up from 40.", ("gym", "count of locker", "55", "40")),
        ("The gym has 55 lockers (was 40).", ("gym", "count of locker", "55", "40")),
        ("The ferry ticket costs £14 (previously £12).", ("ferry ticket", "cost", "£14", "£12")),
        ("The commute takes 35 minutes (formerly 40).",
         ("commute", "length", "35 minutes", "40 minutes")),
        ("The bakery sells 240 loaves a day, up from 200.",
         ("bakery", "sell", "240 loaves a day", "200 loaves a day")),
        ("Lockers: 40 -> 55.", ("we", "count of locker", "55", "40")),
        ("The locker count rose from 40 to 55.", ("we", "count of locker", "55", "40")),
        ("The number of lockers rose from 40 to 55.", ("we", "count of locker", "55", "40")),
        ("The course runs for three weeks.", ("course", "length", "three weeks", None)),
        ("The pool is heated to 28 degrees.", ("pool", "temperature", "28 degrees", None)),
        ("The pool's temperature was lowered from 28 to 27 degrees.",
         ("pool", "temperature", "27 degrees", "28 degrees")),
    ],
)  # fmt: skip
def test_written_readings(text: str, reading: tuple[str, str, str, str | None]) -> None:
    assert needs_parse(text)
    assert _reading(text) == reading


@pytest.mark.parametrize(
    "text",
    [
        "London -> Paris.",
        "Route: London -> Paris.",
        "Lockers: 40 -> 40.",
        "The lockers: 40 -> 55.",  # a determiner: not a heading
        "Visitors are up from last spring.",
    ],
)
def test_no_written_change(text: str) -> None:
    r = _reading(text)
    assert r is None or r[3] is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [("28 degrees", "temperature"), ("27 °C", "temperature"), ("28", None), ("40 lockers", "count:locker")],
)  # fmt: skip
def test_temperature_kind(value: str, kind: str | None) -> None:
    from memory.extract.amounts import amount_kind

    assert amount_kind(value) == kind
