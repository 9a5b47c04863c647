"""The keyword channel's candidate pool (RecallConfig.keyword_cap). Fusion gives a candidate
the keyword channel did not return that channel's floor, so an answer turn that shares only one
query word, ranked past the cap by turns that repeat other query words, is pushed below all of
them; a pool that reaches it gives it its (low but real) keyword score. Real stack: SQLite,
embedded Chroma, MiniLM, spaCy. Own cases in several wordings; the negatives check the pool
invents no keyword match for a turn that shares no query word."""

from __future__ import annotations

import pytest

from memory.memory import Memory
from memory.recall.pipeline import RecallConfig
from tests.memory.conftest import day, real_memory_fixture

mem = real_memory_fixture("kwpool")

# (query, answer turn sharing one common query word, fillers repeating it and others)
CASES = [
    (
        "Which instrument did Omar practise at night?",
        "Priya: Lately I have been learning the cello late at night.",
        [
            "Sam: I practise at night, every night, practise and practise at night.",
            "Lena: Night after night I practise my lines, practise until late at night.",
            "Ben: Practise at night is hard; at night I practise less.",
            "Mia: At night we practise, we practise at night in the hall.",
        ],
    ),
    (
        "What recipe did Nadia cook for the festival weekend?",
        "Kim: My grandmother's lentil soup was the hit of the weekend.",
        [
            "Tom: The festival weekend was loud, the festival weekend was long.",
            "Ana: I cook every weekend, cook for the festival, cook all weekend.",
            "Raj: Festival cooks cook all weekend at the festival.",
            "Eve: This weekend the festival, next weekend another festival.",
        ],
    ),
]
UNRELATED = "Zoe: The bus to the airport leaves from platform nine."


def _fill(mem: Memory, bank: str, answer: str, fillers: list[str]) -> None:
    # the unrelated turn on another day: a turn's keyword text holds the tail of the turn
    # before it in the same conversation, which would share its words
    for i, text in enumerate([*fillers, answer, UNRELATED]):
        when = day("2025-03-03") if text == UNRELATED else day("2025-03-04")
        mem.retain(text, mentioned_at=when, bank=bank, source=f"t:{i}")


def _channels(mem: Memory, bank: str, query: str, cap: int) -> dict[str, dict[str, float]]:
    cfg = RecallConfig(keyword_cap=cap)
    hits = mem.recall(query, bank=bank, k=20, layers=("fact",), config=cfg)
    return {h.source or "": h.channels for h in hits}


@pytest.mark.parametrize("n", range(len(CASES)))
def test_a_pool_past_the_repeating_turns_scores_the_answer_by_keyword(mem: Memory, n: int) -> None:
    query, answer, fillers = CASES[n]
    bank = f"kwpool-{n}"
    _fill(mem, bank, answer, fillers)
    src = f"t:{len(fillers)}"
    narrow = _channels(mem, bank, query, cap=2)  # the fillers fill the pool
    wide = _channels(mem, bank, query, cap=50)
    assert "keyword" not in narrow.get(src, {})
    assert "keyword" in wide[src]


@pytest.mark.parametrize("n", range(len(CASES)))
def test_a_wide_pool_invents_no_keyword_match(mem: Memory, n: int) -> None:
    query, answer, fillers = CASES[n]
    bank = f"kwpool-neg-{n}"
    _fill(mem, bank, answer, fillers)
    wide = _channels(mem, bank, query, cap=50)
    unrelated = f"t:{len(fillers) + 1}"
    assert "keyword" not in wide.get(unrelated, {})


def test_the_default_pool_is_wider_than_a_conversation_topic() -> None:
    # a long conversation repeats its topic's words in well over 100 turns (see the config)
    assert RecallConfig().keyword_cap >= 200
