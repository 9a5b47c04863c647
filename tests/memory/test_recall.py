"""recall() over a real Store (SQLite, FTS5, in-memory vectors, hash embedder)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from memory.models import TimeRange
from memory.recall import recall
from tests.memory.recall_helpers import add_entity, add_fact, open_store

D = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731


@pytest.fixture
def store(tmp_path):  # type: ignore[no-untyped-def]
    st = open_store(tmp_path)
    sarah = add_entity(st, "work", "Sarah")
    tom = add_entity(st, "work", "Tom")
    add_fact(
        st,
        "work",
        "We picked PostgreSQL over MySQL for the billing service.",
        mentioned=D(2025, 10, 14),
        source="standup:1",
    )
    add_fact(
        st,
        "work",
        "Sarah finished the auth migration two days early.",
        mentioned=D(2025, 10, 2),
        source="standup:2",
        entities=(sarah,),
    )
    add_fact(
        st,
        "work",
        "Tom is blocked on the deployment by the flaky CI runner.",
        mentioned=D(2025, 11, 3),
        source="standup:3",
        entities=(tom,),
    )
    add_fact(
        st,
        "work",
        "We used MySQL for billing.",
        mentioned=D(2025, 3, 1),
        source="old:1",
        invalidated=D(2025, 10, 14),
        recorded=D(2025, 3, 1),
    )
    add_fact(
        st,
        "work",
        "The launch party happened in the office.",
        mentioned=D(2025, 6, 20),
        occurred=D(2025, 6, 18),
        source="party:1",
    )
    add_fact(st, "other", "PostgreSQL secret from another bank.", mentioned=D(2025, 10, 1))
    yield st
    st.close()


async def test_hits_carry_provenance_and_channels(store) -> None:  # type: ignore[no-untyped-def]
    hits = await recall(store, "why PostgreSQL over MySQL", bank="work", k=3)
    top = hits[0]
    assert "PostgreSQL" in top.text
    assert top.source == "standup:1" and top.episode_id and top.fact_id
    assert top.span == (0, len(top.text))
    assert {"vector", "keyword"} <= set(top.channels)
    assert top.mentioned_at == D(2025, 10, 14)


async def test_bank_scoped(store) -> None:  # type: ignore[no-untyped-def]
    hits = await recall(store, "PostgreSQL secret", bank="work", k=10)
    texts = [h.text for h in hits]
    assert "We picked PostgreSQL over MySQL for the billing service." in texts
    assert not any("another bank" in t for t in texts)
    other = await recall(store, "PostgreSQL secret", bank="other", k=10)
    assert [h.text for h in other] == ["PostgreSQL secret from another bank."]  # it is findable
    assert await recall(store, "PostgreSQL", bank="nobody", k=5) == []


async def test_superseded_excluded_by_default_but_reachable(store) -> None:  # type: ignore[no-untyped-def]
    hits = await recall(store, "MySQL billing", bank="work", k=10)
    texts = [h.text for h in hits]
    assert "We picked PostgreSQL over MySQL for the billing service." in texts
    assert "We used MySQL for billing." not in texts
    assert not any(h.invalidated_at is not None for h in hits)
    hist = await recall(store, "what did we use before for billing, MySQL?", bank="work", k=10)
    old = [h for h in hist if h.invalidated_at is not None]
    assert [h.text for h in old] == ["We used MySQL for billing."]
    assert old[0].invalidated_at == D(2025, 10, 14)


async def test_as_of_shows_what_was_believed_then(store) -> None:  # type: ignore[no-untyped-def]
    # in May only the MySQL fact had been said; in November PostgreSQL had superseded it
    hits = await recall(store, "billing database", bank="work", k=10, as_of=D(2025, 5, 1))
    assert [h.text for h in hits] == ["We used MySQL for billing."]
    hits = await recall(store, "billing database", bank="work", k=10, as_of=D(2025, 11, 1))
    texts = [h.text for h in hits]
    assert "We picked PostgreSQL over MySQL for the billing service." in texts
    assert "We used MySQL for billing." not in texts


async def test_as_of_counts_facts_from_when_they_were_said(store) -> None:  # type: ignore[no-untyped-def]
    # an October standup ingested today (recorded "now") was known in October already
    hits = await recall(store, "auth migration", bank="work", k=3, as_of=D(2025, 10, 5))
    assert hits and "auth migration" in hits[0].text
    early = await recall(store, "auth migration", bank="work", k=3, as_of=D(2025, 9, 1))
    assert not any("auth migration" in h.text for h in early)  # said on 2 October


async def test_graph_channel_from_query_entities(store) -> None:  # type: ignore[no-untyped-def]
    hits = await recall(store, "what about Sarah?", bank="work", k=3, explain=True)
    assert "Sarah" in hits[0].text
    assert "graph" in hits[0].channels
    assert "sarah" in hits[0].metadata["explain"]["query_entities"]


async def test_temporal_channel_and_hard_time_filter(store) -> None:  # type: ignore[no-untyped-def]
    hits = await recall(store, "what happened in June 2025", bank="work", k=3, now=D(2025, 12, 1))
    assert "launch party" in hits[0].text and "temporal" in hits[0].channels
    tr = TimeRange(D(2025, 11, 1), D(2025, 12, 1))
    hits = await recall(store, "anything", bank="work", k=10, time_range=tr)
    assert [h.source for h in hits] == ["standup:3"]


async def test_explain_and_empty_query(store) -> None:  # type: ignore[no-untyped-def]
    assert await recall(store, "   ", bank="work") == []
    hits = await recall(store, "deployment blocked", bank="work", k=1, explain=True)
    assert hits[0].metadata["explain"]["reasons"]
    assert hits[0].to_dict()["mentioned_at"].startswith("2025-11-03")
