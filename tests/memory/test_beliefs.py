from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from memory.beliefs import (
    BeliefParams,
    BeliefState,
    Evidence,
    confidence,
    history,
    match_belief,
    update,
)
from tests.fakes import HashEmbedder

T0 = datetime(2025, 10, 1, tzinfo=UTC)
NO_DECAY = BeliefParams(half_life_days=None)

evidence = st.builds(
    Evidence,
    stance=st.sampled_from(["support", "contradict"]),
    at=st.integers(0, 400).map(lambda d: T0 + timedelta(days=d)),
    strength=st.floats(0.0, 1.0),
    reliability=st.floats(0.0, 1.0),
)


def _state(evs: list[Evidence], params: BeliefParams = NO_DECAY) -> BeliefState:
    s = BeliefState(params=params)
    for e in evs:
        s = update(s, e)
    return s


def test_support_raises_contradict_lowers_and_history() -> None:
    s = BeliefState()
    assert confidence(s) == 0.5
    s = update(s, Evidence("support", T0, strength=0.8, source="standup"))
    c1 = confidence(s, T0)
    s = update(s, Evidence("contradict", T0 + timedelta(days=30), strength=0.6))
    c2 = confidence(s, T0 + timedelta(days=30))
    assert c1 > 0.5 > c2 or c2 < c1
    assert [round(c, 6) for _, c, _ in history(s)] == [round(c1, 6), round(c2, 6)]


def test_recency_decays_old_evidence() -> None:
    s = _state([Evidence("support", T0, 1.0)], BeliefParams(half_life_days=30))
    assert confidence(s, T0) > confidence(s, T0 + timedelta(days=300)) > 0.5
    assert confidence(s, T0 - timedelta(days=1)) == 0.5  # evidence from the future is ignored


@settings(max_examples=200, deadline=None)
@given(st.lists(evidence, max_size=12), evidence, st.booleans())
def test_bounded_and_monotonic(evs: list[Evidence], extra: Evidence, decay: bool) -> None:
    params = BeliefParams(half_life_days=90.0 if decay else None)
    s = _state(evs, params)
    now = T0 + timedelta(days=500)
    before = confidence(s, now)
    after = confidence(update(s, extra), now)
    assert 0.0 < before < 1.0 and 0.0 < after < 1.0
    eps = 1e-12  # float sums in another order: monotonic up to rounding
    if extra.stance == "support":
        assert after >= before - eps
    else:
        assert after <= before + eps


@settings(max_examples=200, deadline=None)
@given(st.lists(evidence, max_size=12), st.randoms())
def test_order_independent_without_recency(evs: list[Evidence], rnd) -> None:
    shuffled = list(evs)
    rnd.shuffle(shuffled)
    assert abs(confidence(_state(evs)) - confidence(_state(shuffled))) < 1e-9


def test_match_belief() -> None:
    beliefs = ["the batch API is the right next feature", "Sarah finishes tasks early"]
    assert match_belief("I think the batch API is not the right next feature", beliefs) == 0
    assert match_belief("Sarah finished the task early", beliefs) == 1
    assert match_belief("we should hire a designer", beliefs) is None
    emb = HashEmbedder(64).embed
    assert match_belief("batch API right next feature", beliefs, embed_fn=emb) == 0
    assert match_belief("anything", []) is None
