"""memory.browse: timelines in time order with supersession links, and the list of banks."""

from __future__ import annotations

import pytest

from memory.browse import list_banks, timeline
from memory.errors import InvalidInput, NotFound
from memory.memory import Memory
from tests.memory.conftest import day


async def test_a_chain_of_supersessions_in_time_order(mem: Memory) -> None:
    a = await mem.aretain("We use MySQL for billing.", mentioned_at=day("2025-03-01"))
    b = await mem.aretain("We switched to PostgreSQL for billing.", mentioned_at=day("2025-06-01"))
    c = await mem.aretain("We switched to CockroachDB for billing.", mentioned_at=day("2025-09-01"))
    await mem.aretain("Bob Stone works in Rome.", mentioned_at=day("2025-04-01"))
    assert c.superseded == b.fact_ids and b.superseded == a.fact_ids
    view = await timeline(mem, topic="billing database")
    chain = [e for e in view.events if e.fact_id in a.fact_ids + b.fact_ids + c.fact_ids]
    assert [e.fact_id for e in chain] == [*a.fact_ids, *b.fact_ids, *c.fact_ids]
    first, middle, last = chain
    assert first.superseded_by == middle.fact_id and middle.supersedes == [first.fact_id]
    assert middle.superseded_by == last.fact_id and last.superseded_by is None
    doc = [e.to_dict() for e in chain]
    assert [e["current"] for e in doc] == [False, False, True]
    assert doc[0]["invalidated_at"].startswith("2025-06-01")


async def test_an_entity_timeline_brings_the_facts_that_replaced_its_own(mem: Memory) -> None:
    old = await mem.aretain("We use MySQL for billing.", mentioned_at=day("2025-09-01"))
    new = await mem.aretain("We switched to PostgreSQL for billing.",
                            mentioned_at=day("2025-10-14"))  # fmt: skip
    view = await timeline(mem, entity="MySQL")
    assert view.entity == "MySQL"
    assert [e.fact_id for e in view.events] == [*old.fact_ids, *new.fact_ids]
    assert view.events[1].supersedes == old.fact_ids


async def test_topic_timeline_follows_the_chain_past_what_recall_returned(mem: Memory) -> None:
    old = await mem.aretain("We use MySQL for billing.", mentioned_at=day("2025-09-01"))
    new = await mem.aretain("We switched to PostgreSQL for billing.",
                            mentioned_at=day("2025-10-14"))  # fmt: skip
    view = await timeline(mem, topic="PostgreSQL")
    by_id = {e.fact_id: e for e in view.events}
    assert by_id[old.fact_ids[0]].superseded_by == new.fact_ids[0]
    assert [e.fact_id for e in view.events].index(old.fact_ids[0]) < [
        e.fact_id for e in view.events].index(new.fact_ids[0])  # fmt: skip


async def test_timeline_refuses_bad_requests(mem: Memory) -> None:
    with pytest.raises(InvalidInput):
        await timeline(mem)
    with pytest.raises(InvalidInput):
        await timeline(mem, entity="a", topic="b")
    with pytest.raises(NotFound):
        await timeline(mem, entity="Nobody")
    assert (await timeline(mem, topic="nothing at all")).events == []


async def test_list_banks_counts_per_bank(mem: Memory) -> None:
    assert list_banks(mem) == []
    await mem.aretain("Alice Chen works in Berlin.", bank="hr")
    await mem.aretain("The build is green.", bank="ci")
    await mem.aretain("The build is red.", bank="ci")
    banks = {b["bank"]: b for b in list_banks(mem)}
    assert list(banks) == ["ci", "hr"] and banks["ci"]["episodes"] == 2
