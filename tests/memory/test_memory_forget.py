"""forget: a hard delete that leaves no trace in SQL rows, FTS, Chroma or the graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from memory.errors import InvalidInput, NotFound
from memory.memory import Memory
from storage.schema import ALL_TABLES, Fact
from tests.memory.conftest import day, open_memory

SECRET = "Zanzibarquux"


def _dump(mem: Memory) -> str:
    """Every row of every table (ours and the FTS ones) as text."""
    out = []
    with mem.store.db.engine.connect() as c:
        fts = [r[0] for r in c.execute(text("SELECT name FROM sqlite_master WHERE name LIKE "
                                            "'kwfts%' AND sql LIKE 'CREATE VIRTUAL%'"))]  # fmt: skip
        assert fts, "the per-bank FTS tables should exist"
        for t in [*[t.__tablename__ for t in ALL_TABLES], "keyword_docs", *fts]:
            out += [repr(tuple(r)) for r in c.execute(text(f"SELECT * FROM {t}"))]
    return "\n".join(out)


def _traces(mem: Memory, fact_ids: list[str], needle: str) -> list[str]:
    found = []
    dump = _dump(mem)
    if needle.lower() in dump.lower():
        found.append("sql")
    found += [f"sql:{f}" for f in fact_ids if f in dump]
    if set(fact_ids) & mem.store.vectors.ids():
        found.append("vectors")
    if mem.store.keywords.query(needle, 10, "default"):
        found.append("keyword")
    if set(fact_ids) & mem.store.graph.fact_ids():
        found.append("graph")
    col = getattr(mem.store.vectors, "collection", None)
    if col is not None and set(fact_ids) & set(col.get(include=[])["ids"]):
        found.append("chroma")
    return found


@pytest.fixture
def cmem(tmp_path: Path) -> Memory:
    return open_memory(tmp_path / "home", chroma=True)


def test_forget_source_leaves_no_trace_anywhere(cmem: Memory) -> None:
    keep = cmem.retain("Alice uses Vim every day.", source="a", mentioned_at=day("2025-10-01"))
    gone = cmem.retain(
        f"{SECRET} uses Emacs. {SECRET} finished the deploy early. {SECRET} finished the report early.",
        source="secret",
        mentioned_at=day("2025-10-02"),
    )
    assert _traces(cmem, gone.fact_ids, SECRET)  # the test can see it before
    rep = cmem.forget(source="secret")
    assert set(rep.facts) == set(gone.fact_ids) and rep.episodes == [gone.episode_id]
    assert _traces(cmem, gone.fact_ids, SECRET) == []
    assert cmem.recall(SECRET, k=10) == [] or all(SECRET not in h.text for h in cmem.recall(SECRET))
    assert cmem.entity(SECRET) is None  # left without facts, so it went too
    assert cmem.entity("Alice") is not None
    assert [h.fact_id for h in cmem.recall("Alice Vim", k=3)][:1] == keep.fact_ids


def test_forget_episodes_by_id_leaves_no_trace_and_is_idempotent(cmem: Memory) -> None:
    keep = cmem.retain(
        "Alice uses Vim every day.", source="doc#L1-L1", mentioned_at=day("2025-10-01")
    )
    old = cmem.retain(f"{SECRET} uses Emacs.", source="doc#L3-L3", mentioned_at=day("2025-10-02"))
    new = cmem.retain(f"{SECRET} uses Zed now.", source="doc#L3-L3", mentioned_at=day("2025-10-03"))
    rep = cmem.forget_episodes([old.episode_id, "no-such-episode"])
    assert rep.episodes == [old.episode_id] and set(rep.facts) == set(old.fact_ids)
    assert _traces(cmem, old.fact_ids, "Emacs") == []
    again = cmem.forget_episodes([old.episode_id])  # a re-run after a crash: nothing left to do
    assert again.episodes == [] and again.facts == []
    texts = [h.text for h in cmem.recall(f"{SECRET} editor Zed Vim", k=10)]
    assert any("Zed" in t for t in texts) and any("Vim" in t for t in texts)  # same source kept
    assert keep.fact_ids and new.fact_ids


def test_forget_entity_removes_entity_aliases_and_facts(cmem: Memory) -> None:
    cmem.retain(f"{SECRET} joined Acme. Bob likes tea.", source="x")
    cmem.forget(entity=SECRET)
    assert cmem.entity(SECRET) is None
    assert SECRET.lower() not in _dump(cmem).lower()
    assert cmem.entity("Bob") is not None


def test_forget_one_fact_redacts_its_span_and_restores_superseded(mem: Memory) -> None:
    old = mem.retain("We use MySQL for billing.", mentioned_at=day("2025-09-01"))
    new = mem.retain(
        f"We switched to PostgreSQL for billing. {SECRET} approved it.",
        mentioned_at=day("2025-10-01"),
    )
    assert new.superseded == old.fact_ids
    secret_fact = [f for f in new.fact_ids if SECRET in (mem.store.db and _text(mem, f))]
    mem.forget(secret_fact[0])
    assert SECRET not in _dump(mem)
    mem.forget(new.fact_ids[0])
    with mem.store.db.session() as s:
        f = s.get(Fact, old.fact_ids[0])
        assert f is not None and f.invalidated_at is None and f.superseded_by is None
    assert "PostgreSQL" not in _dump(mem)


def _text(mem: Memory, fid: str) -> str:
    with mem.store.db.session() as s:
        f = s.get(Fact, fid)
        return f.text if f else ""


def test_forget_bank_only_touches_that_bank(mem: Memory) -> None:
    mem.retain("Alice uses Vim.", bank="b1")
    mem.retain("Alice uses Emacs.", bank="b2")
    mem.forget(everything=True, bank="b1")
    assert mem.recall("Alice", bank="b1") == [] and mem.entity("Alice", bank="b1") is None
    assert mem.store.vectors.ids("b1") == set() and mem.store.keywords.ids("b1") == set()
    assert [h.text for h in mem.recall("Alice", bank="b2")] == ["Alice uses Emacs."]


def test_forget_needs_exactly_one_target_and_existing_things(mem: Memory) -> None:
    with pytest.raises(InvalidInput):
        mem.forget()
    with pytest.raises(InvalidInput):
        mem.forget("x", source="y")
    with pytest.raises(NotFound):
        mem.forget("nope")
    with pytest.raises(NotFound):
        mem.forget(source="nope")
    with pytest.raises(NotFound):
        mem.forget(entity="Nobody")
    r = mem.retain("Alice uses Vim.", bank="b1")
    with pytest.raises(NotFound):  # a fact id from another bank is not found here
        mem.forget(r.fact_ids[0], bank="b2")


def test_forget_then_retain_again_stores_again(mem: Memory) -> None:
    mem.retain("Carol leads payments.", source="s")
    mem.forget(source="s")
    assert not mem.retain("Carol leads payments.", source="s").noop


def test_forget_a_turn_reindexes_the_reply_that_quoted_it(mem: Memory) -> None:
    """The next turn of a session carries the previous turn in its keyword context."""
    when = day("2025-10-03")
    mem.retain(f"Ann: Did {SECRET} ship the billing fix?", source="t1", mentioned_at=when)
    reply = mem.retain("Bob: Yes, it went out on Friday.", source="t2", mentioned_at=when)
    hits = mem.store.keywords.query(SECRET, 10, "default")
    assert set(reply.fact_ids) & {d for d, _ in hits}  # the reply is findable by the question
    mem.forget(source="t1")
    assert SECRET.lower() not in _dump(mem).lower()
    assert mem.store.keywords.query(SECRET, 10, "default") == []
    assert [h.fact_id for h in mem.recall("Friday", k=3)][:1] == reply.fact_ids[:1]
