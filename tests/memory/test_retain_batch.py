"""A batch is written without a flush per episode or per fact: lookups inside it (supersession
slots, the preceding turn) see the batch's own unflushed rows, so one `retain_many` gives the
same facts as retaining the episodes one by one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from memory.memory import Memory
from storage.schema import Fact
from tests.memory.conftest import day, open_memory

EPISODES = [
    "Our ledger database is PostgreSQL.",
    "Sarah finished the task early.",
    "Our ledger database is MySQL.",
    "Our ledger database is Redis.",
    "Sarah finished the task early again.",
    "Our ledger database is Redis again.",
]


def _facts(mem: Memory) -> list[tuple[str, bool, str | None]]:
    with mem.store.db.session() as s:
        facts = s.exec(select(Fact)).all()
        by_id = {f.id: f.text for f in facts}
        return sorted(
            (f.text, f.invalidated_at is not None, by_id.get(f.superseded_by or "")) for f in facts
        )


def _items(same_time: bool) -> list[dict[str, Any]]:
    return [
        {
            "text": t,
            "mentioned_at": day("2025-10-01") + timedelta(days=0 if same_time else i),
            "source": f"s{i}",
            # one conversation (or one notes file): turns of one thread follow each other
            "metadata": {"thread": "standup"} if same_time else {},
        }
        for i, t in enumerate(EPISODES)
    ]


def test_one_batch_supersedes_like_one_by_one(tmp_path: Path) -> None:
    batch, single = open_memory(tmp_path / "a"), open_memory(tmp_path / "b")
    try:
        batch.retain_many(_items(False))
        for it in _items(False):
            single.retain_many([it])
        got = _facts(batch)
        assert got == _facts(single)
        retired = {text: by for text, gone, by in got if gone}
        assert retired["Our ledger database is PostgreSQL."] == "Our ledger database is MySQL."
        assert retired["Our ledger database is MySQL."] == "Our ledger database is Redis."
        assert "Our ledger database is Redis." not in retired
    finally:
        batch.store.close()
        single.store.close()


def _keyword_texts(mem: Memory) -> dict[str, str]:
    """{fact text: the keyword text its fact was indexed with}, recorded at upsert."""
    seen: dict[str, str] = {}
    inner = mem.store.keywords.upsert

    def upsert(docs: Any) -> None:
        seen.update({i: text for i, _, text in docs})
        inner(docs)

    mem.store.keywords.upsert = upsert  # type: ignore[method-assign]
    return seen


def test_one_batch_finds_the_preceding_turn_like_one_by_one(tmp_path: Path) -> None:
    batch, single = open_memory(tmp_path / "a"), open_memory(tmp_path / "b")
    try:
        seen_a, seen_b = _keyword_texts(batch), _keyword_texts(single)
        batch.retain_many(_items(True))  # one conversation: every turn follows the one before
        for it in _items(True):
            single.retain_many([it])
        out = []
        for mem, seen in ((batch, seen_a), (single, seen_b)):
            with mem.store.db.session() as s:
                texts = dict(s.exec(select(Fact.id, Fact.text)).all())
            out.append({texts[i]: kw for i, kw in seen.items() if i in texts})
        assert out[0] == out[1] and len(out[0]) == len(EPISODES)
        assert "PostgreSQL" in out[0]["Sarah finished the task early."]  # the turn before
    finally:
        batch.store.close()
        single.store.close()
