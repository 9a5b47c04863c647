"""Recall weighs what a fact is: a first-person statement ("I signed up for a pottery class")
records what the people of a memory did, a question ("Have you tried pottery?") asks for it
(RecallConfig.personal_boost, question_penalty). Real stack: SQLite, embedded Chroma, MiniLM.

Labelled cases in several wordings: in the positives the answer is a first-person statement
among questions and remarks on the same topic; in the negatives the answer is a plain
statement that is not first-person, beside first-person turns that only brush the topic, so
the lift must not bury it (a boost, not a filter)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from memory.memory import Memory
from memory.recall.pipeline import RecallConfig, _by_statement, _Row
from tests.memory.conftest import day, real_memory_fixture

mem = real_memory_fixture("statements")

# (query, answer turn, distractor turns)
POSITIVES = [
    (
        "What class did Melanie sign up for?",
        "Melanie: I signed up for a pottery class yesterday, it is so calming.",
        [
            "Caroline: Have you ever thought about signing up for a pottery class?",
            "Caroline: Which class would you sign up for if you had the time?",
            "Caroline: A pottery class sounds like a lovely thing to sign up for, Mel!",
        ],
    ),
    (
        "Where did Jon travel last month?",
        "Jon: I took a short trip to Rome last month to clear my head.",
        [
            "Gina: Did you travel anywhere nice last month?",
            "Gina: Where would you travel if you could go anywhere?",
            "Gina: Travelling last month must have been hard with the studio opening, Jon.",
        ],
    ),
    (
        "What instrument does Priya play?",
        "Priya: I play the cello in a community orchestra on Thursdays.",
        [
            "Sam: What instrument do you play?",
            "Sam: Is the cello a hard instrument to play?",
            "Sam: You must play beautifully, Priya, everyone says so.",
        ],
    ),
    (
        "Which car did Omar buy?",
        "Omar: We bought a used Subaru Outback for the camping trips.",
        [
            "Lena: Which car are you going to buy?",
            "Lena: Did you ever buy that car you were looking at?",
            "Lena: Buying a car is such a headache, Omar.",
        ],
    ),
]

NEGATIVES = [
    (
        "What is the boiling point of water at sea level?",
        "Note: Water boils at 100 degrees Celsius at sea level.",
        [
            "Ana: I drank a lot of water after the run this morning.",
            "Ana: I went to the sea last summer with my sister.",
            "Ana: I boiled some eggs for breakfast.",
        ],
    ),
    (
        "Which database does the billing service use?",
        "Design: The billing service stores invoices in PostgreSQL.",
        [
            "Ben: I paid my phone bill yesterday.",
            "Ben: I am learning about databases in an evening course.",
            "Ben: I think the service at the cafe was slow.",
        ],
    ),
    (
        "When does the library close on Sundays?",
        "Notice: The city library closes at 5 pm on Sundays.",
        [
            "Mia: I read two books on Sunday.",
            "Mia: I love quiet places where I can study.",
            "Mia: I closed my laptop early last night.",
        ],
    ),
    (
        "What is the capital of Australia?",
        "Atlas: Canberra is the capital city of Australia.",
        [
            "Tom: I visited Sydney with my parents in 2019.",
            "Tom: I have always wanted to see a kangaroo.",
            "Tom: I moved to the capital for my new job.",
        ],
    ),
]


def _top_source(mem: Memory, bank: str, case: tuple[str, str, list[str]]) -> str | None:
    query, answer, distractors = case
    for i, text in enumerate([*distractors, answer]):
        mem.retain(text, mentioned_at=day("2025-05-08"), bank=bank, source=f"t:{i}")
    hits = mem.recall(query, bank=bank, k=5, layers=("fact",))
    return hits[0].source if hits else None


# Without the two rules 1 of the 4 positives ranks its answer first, with them 3 (the
# negatives: 4 of 4 either way). The Subaru case still fails: "Which car are you going to
# buy?" shares "which car ... buy" with the query, and a 1-z penalty over four facts is not
# enough; left as a known miss rather than a stronger penalty fitted to it.
_KNOWN_MISS = {3}


@pytest.mark.parametrize(
    "n",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason="known miss, see _KNOWN_MISS", strict=True))
        if n in _KNOWN_MISS
        else n
        for n in range(len(POSITIVES))
    ],
)
def test_a_first_person_statement_outranks_questions_and_remarks(mem: Memory, n: int) -> None:
    case = POSITIVES[n]
    assert _top_source(mem, f"stmt-pos-{n}", case) == f"t:{len(case[2])}"


@pytest.mark.parametrize("n", range(len(NEGATIVES)))
def test_a_matching_plain_statement_is_not_buried_by_first_person_turns(
    mem: Memory, n: int
) -> None:
    case = NEGATIVES[n]
    assert _top_source(mem, f"stmt-neg-{n}", case) == f"t:{len(case[2])}"


def _row(text: str, kind: str) -> _Row:
    return _Row(SimpleNamespace(text=text, kind=kind), "")


def test_by_statement_lifts_first_person_facts_and_lowers_questions() -> None:
    rows = {
        "said": _row("I went hiking.", "experience"),
        "asked": _row("Did you go hiking?", "world"),
        "own": _row("Should I go hiking?", "experience"),
        "plain": _row("The trail is closed.", "world"),
    }
    scores = dict.fromkeys(rows, 0.5)
    got = _by_statement(scores, rows, 1.0, 1.0)
    assert got == {"said": 1.5, "asked": -0.5, "own": 0.5, "plain": 0.5}
    assert _by_statement(scores, rows, 0.0, 0.0) == scores
    assert RecallConfig().personal_boost == 1.0 and RecallConfig().question_penalty == 1.0
