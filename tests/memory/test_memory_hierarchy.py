"""Beliefs with history, observations from repeated facts, mental models."""

from __future__ import annotations

from sqlmodel import select

from memory.memory import Memory, OfflineExtractor
from storage.schema import Observation, ObservationFact
from tests.fakes import ScriptedLM
from tests.memory.conftest import day, open_memory


def test_beliefs_accumulate_evidence_with_history(mem: Memory) -> None:
    mem.retain("I think the batch API is the right next feature.", mentioned_at=day("2025-10-01"))
    mem.retain(
        "We're fairly sure the batch API is the right next feature.", mentioned_at=day("2025-11-01")
    )
    [b] = mem.beliefs("batch API")
    assert len(b.history) == 2 and 0.5 < b.confidence < 1.0
    assert b.history[0]["at"] < b.history[1]["at"]
    assert b.history[1]["confidence"] >= b.history[0]["confidence"]
    assert b.history[0]["evidence"]["stance"] == "support"
    assert mem.beliefs("kubernetes") == []
    assert mem.beliefs(bank="other") == []


def test_a_negated_statement_is_evidence_against(mem: Memory) -> None:
    mem.retain("I think the batch API is the right next feature.", mentioned_at=day("2025-10-01"))
    [before] = mem.beliefs()
    mem.retain(
        "I'm fairly sure the batch API is not the right next feature.",
        mentioned_at=day("2025-11-01"),
    )
    [b] = mem.beliefs()
    assert b.statement == before.statement and len(b.history) == 2
    assert b.history[1]["evidence"]["stance"] == "contradict"
    assert b.confidence < before.confidence


def test_forgetting_evidence_replays_or_drops_the_belief(mem: Memory) -> None:
    mem.retain("I think the batch API is the right next feature.", source="a")
    mem.retain("I'm sure the batch API is the right next feature.", source="b")
    mem.forget(source="b")
    [b] = mem.beliefs()
    assert len(b.history) == 1
    mem.forget(source="a")
    assert mem.beliefs() == []


def test_observations_from_repeated_facts_and_recomputed_on_forget(mem: Memory) -> None:
    for i, day_ in enumerate(["2025-10-01", "2025-10-08", "2025-10-15"]):
        mem.retain(
            f"Sarah finished the task early again ({i}).", mentioned_at=day(day_), source=f"s{i}"
        )
    with mem.store.db.session() as s:
        obs = s.exec(select(Observation).where(Observation.bank == "default")).all()
        assert len(obs) == 1 and obs[0].proof_count == 3 and "Sarah" in obs[0].text
        oid = obs[0].id
    assert oid in mem.store.vectors.ids("default")
    mem.forget(source="s0")
    with mem.store.db.session() as s:
        assert s.get(Observation, oid).proof_count == 2  # type: ignore[union-attr]
        assert len(s.exec(select(ObservationFact)).all()) == 2
    mem.forget(source="s1")
    with mem.store.db.session() as s:
        assert s.get(Observation, oid) is None
    assert oid not in mem.store.vectors.ids() and oid not in mem.store.keywords.ids()


def test_mental_model_register_refresh_and_stale(mem: Memory) -> None:
    mem.retain("The deployment was blocked by flaky integration tests.")
    mid = mem.register_mental_model("What blocks the deployment?")
    assert mem.register_mental_model("What blocks the deployment?") == mid
    assert mem.refresh() == [mid]
    [m] = mem.mental_models()
    assert not m.stale and "flaky integration tests" in m.summary and m.fact_ids
    assert mid in mem.store.vectors.ids("default")
    mem.retain("The deployment is also blocked by the missing TLS certificate.")
    assert mem.mental_models()[0].stale
    mem.forget(m.fact_ids[0])
    [m2] = mem.mental_models()
    assert m2.summary == "" and m2.stale and mid not in mem.store.vectors.ids()


def test_mental_model_summary_by_lm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lm = ScriptedLM(lambda msgs: "Flaky tests block it.")
    mem = open_memory(tmp_path, lm=lm, extractor=OfflineExtractor())
    mem.retain("The deployment was blocked by flaky integration tests.")
    mem.register_mental_model("What blocks the deployment?")
    mem.refresh()
    assert mem.mental_models()[0].summary == "Flaky tests block it."
