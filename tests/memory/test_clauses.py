"""Slots, change events and stance read from the real spaCy parse (several wordings each)."""

from __future__ import annotations

import pytest

from memory.extract.clauses import needs_parse, read_clause
from memory.extract.nlp import is_person_label, parse
from memory.extract.stance import read_stance


def _clause(text: str):  # type: ignore[no-untyped-def]
    return read_clause(next(iter(parse(text).sents)))


@pytest.mark.parametrize(
    "text,subject,attribute,value",
    [
        ("Alice Chen leads the platform team.", "platform team", "lead", "Alice Chen"),
        ("The platform team is led by Alice Chen.", "platform team", "lead", "Alice Chen"),
        ("The Atlas launch is due on March 3.", "Atlas launch", "due", "March 3"),
        ("Priya works at Acme.", "Priya", "employer", "Acme"),
        ("The support team has 12 engineers.", "support team", "count of engineer", "12"),
        ("Our main database is MySQL.", "we", "main database", "MySQL"),
        # words written with hyphens stay whole, as subject or as value
        ("Check-out is at 11 am.", "Check-out", "when", "11 am"),
        ("Drop-off is at 8 am.", "Drop-off", "when", "8 am"),
        ("The default region is us-east-1.", "we", "default region", "us-east-1"),
        ("The build image is node-18-alpine.", "we", "build image", "node-18-alpine"),
    ],
)
def test_functional_slots(text: str, subject: str, attribute: str, value: str) -> None:
    c = _clause(text)
    assert c is not None and c.functional
    assert (c.subject, c.attribute, c.value) == (subject, attribute, value)


@pytest.mark.parametrize(
    "text",
    ["We use Redis for caching.", "Alice likes Rust.", "Bob works on the search service.",
     "Priya reviewed the Borealis design.", "Lena joined the book club."],
)  # fmt: skip
def test_multi_valued_relations_are_not_functional(text: str) -> None:
    c = _clause(text)
    assert c is None or not c.functional


@pytest.mark.parametrize(
    "text,old,new",
    [
        ("We moved the main database from MySQL to PostgreSQL.", "MySQL", "PostgreSQL"),
        ("We switched from Jenkins to Buildkite.", "Jenkins", "Buildkite"),
        ("The frontend uses React instead of Angular.", "Angular", "React"),
        ("Mei replaced Kenji as tech lead for Payments.", "Kenji", "Mei"),
    ],
)
def test_change_events_name_old_and_new(text: str, old: str, new: str) -> None:
    c = _clause(text)
    assert c is not None and c.change is not None
    assert (c.change.old, c.value) == (old, new) and c.change.cues


@pytest.mark.parametrize(
    "text,stance",
    [
        ("Usage data confirms that the batch API is the right next feature.", "support"),
        ("Three customers asked for it, which strongly supports building it next.", "support"),
        ("Usage data does not support building the batch API next.", "contradict"),
        ("The pilot failed twice; it is unlikely to be the right platform.", "contradict"),
        ("Session recordings cast doubt on that idea.", "contradict"),
        ("The batch API docs have two typos.", None),
    ],
)
def test_stance_with_negation(text: str, stance: str | None) -> None:
    got = read_stance(parse(text))
    assert (got.stance if got else None) == stance


@pytest.mark.parametrize(
    "label,body,person",
    [("Priya", "I think so.", True), ("Alice Chen", "ok", True), ("Dr. Nair", "We agree.", True),
     ("Tanvi", "I will do it.", True), ("Risks", "the vendor may slip.", False),
     ("Owner", "Alice Chen", False), ("Next steps", "Tom books it.", False),
     ("Root cause", "an expired cert.", False), ("Agenda", "roadmap", False)],
)  # fmt: skip
def test_person_labels(label: str, body: str, person: bool) -> None:
    assert is_person_label(label, body) is person


def test_the_gate_skips_plain_sentences() -> None:
    assert needs_parse("We moved the standup.") and not needs_parse("Sarah fixed 3 bugs today.")


@pytest.mark.parametrize(
    "text,new",
    [
        ("We switched to CockroachDB for billing.", "CockroachDB"),  # parsed as punctuation
        ("We switched to Cassandra for billing.", "Cassandra"),
        ("The team moved to ClickHouse last week.", "ClickHouse"),
    ],
)
def test_a_change_to_an_unknown_name_the_parser_leaves_unattached(text: str, new: str) -> None:
    from datetime import UTC, datetime

    from memory.extract.offline import extract_offline

    fact = extract_offline(text, datetime.now(UTC)).facts[0]
    assert fact.change is not None and fact.change.new == new
