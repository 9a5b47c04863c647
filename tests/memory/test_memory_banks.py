"""Bank isolation, fuzzed: random retains and forgets in several banks; reads in one bank never
return another bank's data."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memory.memory import Memory
from tests.memory.conftest import open_memory

BANKS = ["alpha", "beta", "gamma"]
NAMES = ["Alice", "Bob", "Room 101", "Acme", "Carol"]
VERBS = ["uses", "likes", "leads", "reviewed", "booked"]
OBJECTS = ["Vim", "PostgreSQL", "the budget", "payments", "the demo"]

retain_op = st.tuples(
    st.just("retain"),
    st.sampled_from(BANKS),
    st.sampled_from(NAMES),
    st.sampled_from(VERBS),
    st.sampled_from(OBJECTS),
    st.sampled_from(["s1", "s2", "s3"]),
)
forget_op = st.tuples(
    st.just("forget"), st.sampled_from(BANKS), st.sampled_from(["source", "entity", "bank"]),
    st.sampled_from(["s1", "s2"]), st.sampled_from(NAMES),
)  # fmt: skip
ops = st.lists(st.one_of(retain_op, retain_op, retain_op, forget_op), min_size=1, max_size=14)


def _apply(mem: Memory, op: tuple, owner: dict[str, str]) -> None:  # type: ignore[type-arg]
    if op[0] == "retain":
        _, bank, name, verb, obj, source = op
        text = f"{name} {verb} {obj} ({bank} note)."
        mem.retain(text, source=source, bank=bank)
        owner[text] = bank
        return
    _, bank, what, source, name = op
    try:
        if what == "source":
            mem.forget(source=source, bank=bank)
        elif what == "entity":
            mem.forget(entity=name, bank=bank)
        else:
            mem.forget(everything=True, bank=bank)
    except LookupError:
        pass


def _fact_texts(mem: Memory, fact_ids: list[str]) -> list[str]:
    from storage.schema import Fact

    with mem.store.db.session() as s:
        return [f.text for f in (s.get(Fact, i) for i in fact_ids) if f is not None]


def _check(mem: Memory) -> None:
    for bank in BANKS:
        for q in ["Alice", "Vim payments", "Room 101 booked", "note", "the budget"]:
            for h in mem.recall(q, bank=bank, k=20):
                if h.layer == "fact":
                    assert f"({bank} note)" in h.text, (bank, q, h.text)
                else:  # derived text (an observation): judged by the facts it stands on
                    support = _fact_texts(mem, h.metadata.get("fact_ids", []))
                    assert support and all(f"({bank} note)" in t for t in support), (bank, h)
        for name in NAMES:
            e = mem.entity(name, bank=bank)
            if e is not None:
                assert all(f"({bank} note)" in f.text for f in e.facts)
        for b in mem.beliefs(bank=bank):
            assert all(bank in str(ev["evidence"]["text"]) for ev in b.history)
        assert all(bank == mem.store.graph._fact_bank[f] for f in mem.store.graph.fact_ids(bank))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_reads_in_one_bank_never_see_another(ops_list: list[tuple]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as d:
        mem = open_memory(Path(d))
        owner: dict[str, str] = {}
        for op in ops_list:
            _apply(mem, op, owner)
        _check(mem)
        mem.store.close()
