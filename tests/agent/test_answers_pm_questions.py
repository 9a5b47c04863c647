"""The manager's questions pm_assistant asks beyond the first five, on the real stack: `engram
ingest` then `engram chat` / `engram ask --json` in real subprocesses (SQLite, Chroma, MiniLM,
spaCy), offline. Each question comes in two phrasings and must lead with the fact itself:

- who is X -> the entity card: canonical name, the alias asked with, a latest fact, cited;
- what changed in X -> the superseded decision: old and new value, the date of each, both cited;
- what did we decide in <month> -> the decisions of that month with their dates, and only those.

The same question classes are asked of a second note set in another style (bench/data/heron),
and questions that look alike but that memory cannot answer must say so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.agent.test_answers_real import NOTHING, chat, engram

pytestmark = pytest.mark.slow

WHO_IS = ["Who is Alice C.?", "Tell me about A. Chen"]
CHANGED = ["What changed in the database decision?", "How did the events store decision change?"]
OCTOBER = ["What did the team decide in October?", "which decisions were made in october"]
UNANSWERABLE = ["What changed in the pricing decision?", "What did we decide in march?",
                "What did the team decide about hiring?", "Who is R. Chen?"]  # fmt: skip
HERON_CASES = {
    "Who is L. Fischer?": ["Lena Fischer (person"],
    "How has crash reporting changed?": ["Sentry -> Bugsnag", "2026-01-27"],
    "What did the team decide in January?": ["in January 2026", "React Native"],
}
HERON_NOTHING = ["What did the team decide in July?", "What changed in the hiring plan?"]


@pytest.fixture(scope="module")
def home(answers_home: Path) -> Path:
    return answers_home  # ingested once for every answer test (tests/agent/conftest.py)


@pytest.fixture(scope="module")
def atlas_leads(home: Path) -> dict[str, str]:
    return chat(home, "atlas", [*WHO_IS, *CHANGED, *OCTOBER, *UNANSWERABLE])


def _cites(lead: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", lead)}


@pytest.mark.parametrize("question", WHO_IS)
def test_who_is_leads_with_the_entity_card(atlas_leads: dict[str, str], question: str) -> None:
    lead = atlas_leads[question]
    assert lead.startswith("Alice Chen (person; also written "), lead
    assert "Alice C." in lead and "fact(s) in memory; latest: " in lead
    assert _cites(lead) == {1}, lead  # the latest fact, cited


@pytest.mark.parametrize("question", CHANGED)
def test_what_changed_leads_with_old_and_new_value(
    atlas_leads: dict[str, str], question: str
) -> None:
    lead = atlas_leads[question]
    assert lead.startswith("events store: MySQL -> PostgreSQL, changed on 2025-10-14"), lead
    assert "Before: Decision: we will use MySQL for the events store. [1] (2025-09-10)" in lead
    assert (
        "then: Decision: we switch the events store from MySQL to PostgreSQL. [2] (2025-10-14)"
        in lead
    )


@pytest.mark.parametrize("question", OCTOBER)
def test_decisions_of_a_month_are_those_of_that_month(
    atlas_leads: dict[str, str], question: str
) -> None:
    lead = atlas_leads[question]
    assert lead.startswith("2 decisions in October 2025: 2025-10-14: Decision: we switch"), lead
    assert "PostgreSQL" in lead and _cites(lead) == {1, 2}
    assert set(re.findall(r"\d{4}-\d{2}-\d{2}", lead)) == {"2025-10-14"}, lead


def test_look_alike_questions_memory_cannot_answer_say_so(atlas_leads: dict[str, str]) -> None:
    for q in UNANSWERABLE:
        assert atlas_leads[q].startswith(NOTHING), (q, atlas_leads[q])


def test_the_same_question_classes_on_other_notes(home: Path) -> None:
    leads = chat(home, "heron", [*HERON_CASES, *HERON_NOTHING])
    for q, want in HERON_CASES.items():
        assert all(w in leads[q] for w in want) and _cites(leads[q]), (q, leads[q])
    for q in HERON_NOTHING:
        assert leads[q].startswith(NOTHING), (q, leads[q])


def test_the_change_cites_both_statements_with_their_provenance(home: Path) -> None:
    doc = json.loads(engram(home, "ask", "--json", CHANGED[0], ENGRAM_BANK="atlas"))
    old, new = doc["sources"][0], doc["sources"][1]
    assert "/2025-09-10-decision-database.md#L" in old["source"]
    assert "/2025-10-14-decision-postgresql.md#L" in new["source"]
    assert old["invalidated_at"][:10] == "2025-10-14" and new["invalidated_at"] is None
    for s in (old, new):
        assert s["span"] and s["span"][0] < s["span"][1] and s["mentioned_at"][:4] == "2025"
