"""bench.longmemeval end to end on 3 real LongMemEval_S questions (haystacks cut to 4 sessions,
the answer sessions among them, so CI stays near a minute on a slow 2-core machine), plus its scoring on a hand-made question."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bench.longmemeval import DEFAULT_DATA, MEASURES, Question, Turn, main, score_question

WHEN = datetime(2023, 5, 1, tzinfo=UTC)


def test_scoring_by_session_and_turn() -> None:
    turns = [
        Turn(s, i, "User: x", "User", WHEN, s == "a" and i == 1) for s in "abc" for i in (0, 1)
    ]
    q = Question("q", "t", "?", WHEN, ["a", "c"], turns)
    got = score_question(q, ["b:0", "a:1", "a:0", "c:1"])
    assert got["all@5"] == got["any@5"] == 1.0 and got["turn_R@10"] == 1.0
    miss = score_question(q, ["b:0", "a:0"])
    assert (miss["all@5"], miss["any@5"], miss["turn_R@10"]) == (0.0, 1.0, 0.0)


@pytest.mark.skipif(
    not DEFAULT_DATA.is_file(), reason=f"LongMemEval data not found: {DEFAULT_DATA}"
)
def test_three_questions_run_and_print_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--limit", "3", "--max-sessions", "4"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    result = json.loads(last)
    assert result["questions"] == 3
    assert set(MEASURES) <= set(result["overall"])
    assert set(result["baselines"]) == {"bm25", "dense"}
    assert result["timings"]["ingest_turns_per_s"] > 0 and result["facts"] > 0
    assert result["overall"]["any@5"] > 0  # 4 sessions: the answer session is near the top
