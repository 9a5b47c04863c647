from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memory.models import TimeRange
from memory.timeparse import (
    find_time_expressions,
    has_time_word,
    parse_time_expression,
    query_time_range,
)

REF = datetime(2025, 11, 14, 13, 0, tzinfo=UTC)  # a Friday


def d(y: int, m: int, day: int) -> datetime:
    return datetime(y, m, day, tzinfo=UTC)


EVENTS = {
    "launch": TimeRange(d(2025, 9, 1), d(2025, 9, 2)),
    "reorg": TimeRange(d(2025, 6, 10), d(2025, 6, 11)),
}


def lookup(name: str) -> TimeRange | None:
    return EVENTS.get(name.lower())


@pytest.mark.parametrize(
    "phrase,start,end",
    [
        ("last October", d(2025, 10, 1), d(2025, 11, 1)),
        ("October last year", d(2024, 10, 1), d(2024, 11, 1)),
        ("mid-October", d(2025, 10, 11), d(2025, 10, 21)),
        ("early October", d(2025, 10, 1), d(2025, 10, 11)),
        ("late October", d(2025, 10, 21), d(2025, 11, 1)),
        ("early 2025", d(2025, 1, 1), d(2025, 5, 1)),
        ("late 2024", d(2024, 9, 1), d(2025, 1, 1)),
        ("in Q3 2025", d(2025, 7, 1), d(2025, 10, 1)),
        ("the third quarter of 2024", d(2024, 7, 1), d(2024, 10, 1)),
        ("last quarter", d(2025, 7, 1), d(2025, 10, 1)),
        ("last summer", d(2025, 6, 1), d(2025, 9, 1)),
        ("winter 2024", d(2024, 12, 1), d(2025, 3, 1)),
        ("the week of 8 May, 2023", d(2023, 5, 8), d(2023, 5, 15)),
        ("2025-10-14", d(2025, 10, 14), d(2025, 10, 15)),
        ("2025-10", d(2025, 10, 1), d(2025, 11, 1)),
        ("yesterday", d(2025, 11, 13), d(2025, 11, 14)),
        ("the day before yesterday", d(2025, 11, 12), d(2025, 11, 13)),
        ("last week", d(2025, 11, 3), d(2025, 11, 10)),
        ("3 days ago", d(2025, 11, 11), d(2025, 11, 12)),
        ("two weeks ago", d(2025, 10, 27), d(2025, 11, 3)),
        ("in 2019", d(2019, 1, 1), d(2020, 1, 1)),
        ("on 8 May, 2023", d(2023, 5, 8), d(2023, 5, 9)),
        ("May 8, 2023", d(2023, 5, 8), d(2023, 5, 9)),
        ("May 2023", d(2023, 5, 1), d(2023, 6, 1)),
        ("Dec 2024", d(2024, 12, 1), d(2025, 1, 1)),
        ("last month", d(2025, 10, 1), d(2025, 11, 1)),
        ("last Friday", d(2025, 11, 7), d(2025, 11, 8)),
        ("next Tuesday", d(2025, 11, 18), d(2025, 11, 19)),
        ("between March and May", d(2025, 3, 1), d(2025, 6, 1)),
        ("the end of last year", d(2024, 9, 1), d(2025, 1, 1)),
    ],
)
def test_phrases(phrase: str, start: datetime, end: datetime) -> None:
    r = parse_time_expression(phrase, REF)
    assert r is not None, phrase
    assert (r.start, r.end) == (start, end)
    q = query_time_range(f"what happened {phrase}?", REF)
    assert q is not None and (q.start, q.end) == (start, end)


def test_since_and_before() -> None:
    r = query_time_range("what changed since March", REF)
    assert r == TimeRange(d(2025, 3, 1), REF)
    r = query_time_range("what did we decide before 2024", REF)
    assert r == TimeRange(None, d(2024, 1, 1))
    r = query_time_range("anything after October 2024?", REF)
    assert r == TimeRange(d(2024, 11, 1), None)


def test_event_relative() -> None:
    assert query_time_range("what happened before the reorg?", REF, lookup) == TimeRange(
        None, d(2025, 6, 10)
    )
    r = query_time_range("what did we ship two weeks before the launch", REF, lookup)
    assert r is not None and r.start is not None and r.end is not None
    assert r.start <= d(2025, 8, 18) < r.end
    assert query_time_range("after the reorg and before the launch", REF, lookup) == TimeRange(
        d(2025, 6, 11), d(2025, 9, 1)
    )
    assert query_time_range("before the unknown thing", REF, lookup) is None
    assert query_time_range("before the reorg", REF) is None  # no lookup: no guess


@pytest.mark.parametrize(
    "text",
    ["May I ask a question?", "We met them", "March on, soldiers!", "I may go", "we march on",
     "Room 101 is booked", "call 555-1234", "It costs $2024", "Jan said hi", "autumn leaves fall"],
)  # fmt: skip
def test_no_false_positives(text: str) -> None:
    assert find_time_expressions(text, REF) == []
    assert parse_time_expression(text, REF) is None


def test_spans_point_into_text() -> None:
    text = "We moved to PostgreSQL in October last year, and Sarah joined on 8 May, 2023."
    found = find_time_expressions(text, REF)
    assert [text[s:e] for (s, e), _ in found] == ["October last year", "8 May, 2023"]


def test_day_without_year_prefers_past() -> None:
    r = parse_time_expression("December 25", REF)
    assert r is not None and r.start == d(2024, 12, 25)


def test_naive_ref_is_utc_and_dateparser_fallback() -> None:
    r = parse_time_expression("yesterday at 3pm", REF.replace(tzinfo=None))
    assert r is not None and r.start == datetime(2025, 11, 13, 15, tzinfo=UTC)


def test_prefilter() -> None:
    assert has_time_word("last October")
    assert not has_time_word("We like cats")


_REFS = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2080, 1, 1)).map(
    lambda t: t.replace(tzinfo=UTC)
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120), _REFS)
def test_never_crashes_and_ranges_are_sane(text: str, ref: datetime) -> None:
    for (s, e), r in find_time_expressions(text, ref):
        assert 0 <= s < e <= len(text)
        for t in (r.start, r.end):
            assert t is None or t.tzinfo is not None
        if r.start and r.end:
            assert r.start < r.end


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["last October", "in Q2", "3 weeks ago", "early March", "last summer",
                     "yesterday", "last month", "on 8 May", "last week"]),
    _REFS,
)  # fmt: skip
def test_relative_phrases_land_in_the_past(phrase: str, ref: datetime) -> None:
    r = parse_time_expression(phrase, ref)
    assert r is not None and r.start is not None and r.end is not None
    assert r.start <= ref and r.end - r.start <= timedelta(days=366)


NOTE_DAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("The ingestion API is due on April 18.", "April 18", d(2025, 4, 18)),
        ("Deadline: 18 April for the ingestion API.", "18 April", d(2025, 4, 18)),
        ("We will ship the importer on April 18.", "April 18", d(2025, 4, 18)),
        ("The deadline moved to May 9 because of the migration.", "May 9", d(2025, 5, 9)),
        ("Review pushed to May 9.", "May 9", d(2025, 5, 9)),
        ("The beta is scheduled for January 20.", "January 20", d(2026, 1, 20)),
        ("Sign-off is expected in June.", "June", d(2025, 6, 1)),
    ],
)
def test_day_without_year_looks_ahead_for_due_dates_and_plans(
    text: str, phrase: str, expected: datetime
) -> None:
    found = {text[s:e].rstrip(".?"): r for (s, e), r in find_time_expressions(text, NOTE_DAY)}
    assert found[phrase].start == expected


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("The export failed on February 21.", "February 21", d(2025, 2, 21)),
        ("We moved to PostgreSQL on April 2.", "April 2", d(2024, 4, 2)),
        ("Sarah joined the team on 12 May.", "12 May", d(2024, 5, 12)),
        ("What happened on April 18?", "April 18", d(2024, 4, 18)),
        ("The outage in December cost us a day.", "December", d(2024, 12, 1)),
        ("We shipped the beta on January 20.", "January 20", d(2025, 1, 20)),
    ],
)
def test_day_without_year_stays_in_the_past_otherwise(
    text: str, phrase: str, expected: datetime
) -> None:
    found = {text[s:e].rstrip(".?"): r for (s, e), r in find_time_expressions(text, NOTE_DAY)}
    assert found[phrase].start == expected
