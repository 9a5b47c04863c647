"""Fusion and context expansion: pure functions."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from memory.recall.fusion import expand_context, fuse_scores, weighted_rrf
from memory.recall.query import analyse_query


def test_rrf_rewards_agreement() -> None:
    s = weighted_rrf({"a": [("x", 1), ("y", 0.5)], "b": [("x", 3), ("z", 1)]}, {"a": 1, "b": 1})
    assert max(s, key=s.get) == "x"  # type: ignore[arg-type]


def test_fuse_scores_boost_channels_never_bury() -> None:
    ranking = {"vector": [("a", 0.9), ("b", 0.5), ("c", 0.1)]}
    base = fuse_scores(ranking, {"vector": 1.0})
    boosted = fuse_scores({**ranking, "graph": [("c", 1.0)]}, {"vector": 1.0, "graph": 0.25})
    assert boosted["a"] == base["a"] and boosted["c"] > base["c"]


def test_missing_ranking_channel_gets_floor() -> None:
    s = fuse_scores(
        {"vector": [("a", 0.9), ("b", 0.1)], "keyword": [("b", 5.0), ("c", 1.0)]},
        {"vector": 1.0, "keyword": 1.0},
    )
    assert set(s) == {"a", "b", "c"} and s["b"] > s["c"]


def test_expand_context_lifts_neighbours_of_strong_facts() -> None:
    scores = {"f1": 3.0, "f2": 0.0, "f3": 0.1}
    ep = {"f1": "e1", "f2": "e2", "f3": "e3"}
    out = expand_context(scores, ep, {"e2": ["e1"], "e3": []}, alpha=0.2)
    assert out["f2"] > out["f3"] - 0.1 and out["f2"] > scores["f2"]


@given(st.dictionaries(st.text(min_size=1, max_size=3), st.floats(-5, 5), min_size=1, max_size=20))
def test_expand_context_never_lowers(scores: dict[str, float]) -> None:
    ep = {f: f"e{i}" for i, f in enumerate(scores)}
    nb = {f"e{i}": [f"e{i - 1}", f"e{i + 1}"] for i in range(len(scores))}
    out = expand_context(scores, ep, nb, 0.3)
    assert all(out[f] >= scores[f] - 1e-9 for f in scores)


@given(st.lists(st.tuples(st.text(max_size=3), st.floats(-10, 10)), max_size=30))
def test_fusion_total(ranked: list[tuple[str, float]]) -> None:
    out = fuse_scores({"vector": ranked, "keyword": ranked[::-1]}, {"vector": 1, "keyword": 0.5})
    assert set(out) == {d for d, _ in ranked}


def test_query_analysis_is_derived_from_the_query() -> None:
    now = datetime(2025, 12, 1, tzinfo=UTC)
    a = analyse_query("When did we switch to PostgreSQL last October?", now=now)
    assert a.wh == "when" and a.wants_history and a.time_range is not None
    assert a.weights.temporal > 0
    b = analyse_query("postgres", now=now)
    assert b.weights.keyword > a.weights.keyword and b.time_range is None


def test_distinct_passages_keeps_one_id_per_run_of_equal_scores() -> None:
    from memory.recall.fusion import distinct_passages

    ranked = [("a1", 9.0), ("a2", 9.0), ("b1", 7.0), ("c1", 5.0), ("c2", 5.0), ("d1", 4.0)]
    assert distinct_passages(ranked, 3) == [("a1", 9.0), ("b1", 7.0), ("c1", 5.0)]
    assert distinct_passages(ranked, 10) == [("a1", 9.0), ("b1", 7.0), ("c1", 5.0), ("d1", 4.0)]
    assert distinct_passages([], 3) == []


def test_spread_to_passage_gives_siblings_their_passage_score() -> None:
    from memory.recall.fusion import spread_to_passage

    group = {"a1": "A", "a2": "A", "b1": "B", "x": "X"}.__getitem__
    got = spread_to_passage([("a1", 9.0), ("b1", 7.0)], ["a1", "a2", "b1", "x"], group)
    assert got == [("a1", 9.0), ("a2", 9.0), ("b1", 7.0)]
