"""Retain re-clusters only the slot groups its new facts landed in; the result must be what a
full recompute of every entity gives (nothing left for it to change)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from memory.hierarchy import refresh_observations
from memory.memory import Memory
from storage.schema import Entity, Fact, Observation, ObservationFact
from tests.memory.conftest import day

EPISODES = [
    "Sarah finished the task early.",
    "Tom finished the migration early.",
    "Sarah finished the task early again.",
    "Our ledger database is PostgreSQL.",
    "Sarah likes tea.",
    "Tom finished the migration early again.",
    "Our ledger database is MySQL.",  # supersedes the PostgreSQL fact (same slot, functional)
    "Sarah likes tea a lot.",
    "Sarah Chen finished the task early once more.",  # may rename "Sarah" to the fuller name
    "Sarah finished the review late.",
    "Our ledger database is MySQL again.",
    "Tom finished the migration early, as usual.",
    "Sarah finished the task early yet again.",
]


def _snapshot(s: Session) -> dict[str, tuple[str, int, list[str]]]:
    links: dict[str, list[str]] = {}
    for oid, fid in s.exec(select(ObservationFact.observation_id, ObservationFact.fact_id)):
        links.setdefault(oid, []).append(fid)
    return {
        o.key: (o.text, o.proof_count, sorted(links.get(o.id, [])))
        for o in s.exec(select(Observation)).all()
    }


def _retain_in_batches(mem: Memory, episodes: list[str], size: int) -> None:
    items: list[Any] = [
        {"text": t, "mentioned_at": day("2025-10-01") + timedelta(days=i), "source": f"s{i}"}
        for i, t in enumerate(episodes)
    ]
    for i in range(0, len(items), size):
        mem.retain_many(items[i : i + size])


def _full_recompute_changes_nothing(mem: Memory) -> dict[str, tuple[str, int, list[str]]]:
    with mem.store.db.session() as s:
        before = _snapshot(s)
        ids = list(s.exec(select(Entity.id).where(Entity.bank == "default")))
        delta = refresh_observations(s, "default", ids)
        s.flush()
        assert _snapshot(s) == before
        assert delta.docs == [] and delta.removed == []
    return before


def test_group_refresh_matches_a_full_recompute(mem: Memory) -> None:
    _retain_in_batches(mem, EPISODES, 2)
    got = _full_recompute_changes_nothing(mem)
    assert any(p >= 3 for _, p, _ in got.values())  # the example does build observations


def test_batching_does_not_change_the_observations(mem: Memory, tmp_path: Any) -> None:
    from tests.memory.conftest import open_memory

    _retain_in_batches(mem, EPISODES, 1)
    other = open_memory(tmp_path / "other")
    try:
        _retain_in_batches(other, EPISODES, len(EPISODES))
        with mem.store.db.session() as a, other.store.db.session() as b:
            sa, sb = _snapshot(a), _snapshot(b)
            texts = {k: v[:2] for k, v in sa.items()}
            assert texts == {k: v[:2] for k, v in sb.items()}
    finally:
        other.store.close()


def test_a_superseded_fact_leaves_its_observation(mem: Memory) -> None:
    _retain_in_batches(mem, EPISODES[:12], 3)
    with mem.store.db.session() as s:
        retired = set(s.exec(select(Fact.id).where(Fact.invalidated_at.is_not(None))))  # type: ignore[union-attr]
        linked = set(s.exec(select(ObservationFact.fact_id)))
    assert retired and not retired & linked
    _full_recompute_changes_nothing(mem)


def test_windows_kept_in_memory_match_sql_when_the_window_slides(mem: Memory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import memory.hierarchy as hierarchy

    monkeypatch.setattr(hierarchy, "MAX_FACTS_PER_GROUP", 3)  # groups outgrow their window
    _retain_in_batches(mem, EPISODES, 2)
    assert mem._retainer.windows._windows  # the windows were kept and reused
    _full_recompute_changes_nothing(mem)


def test_windows_are_dropped_when_something_else_changes_the_bank(mem: Memory) -> None:
    _retain_in_batches(mem, EPISODES[:6], 2)
    mem.forget(source="s0")  # Sarah's first "finished the task early"
    assert not mem._retainer.windows._windows
    _retain_in_batches(mem, EPISODES[6:], 2)
    with mem.store.db.session() as s:
        s0 = set(s.exec(select(Fact.id).where(Fact.text.contains("task early."))))  # type: ignore[attr-defined]
    assert not s0  # forgotten, so no observation may count it
    _full_recompute_changes_nothing(mem)


def _reference_clusters(facts: list[Any], min_overlap: float) -> list[list[Any]]:
    """The plain greedy clustering `memory.consolidate` implements with pruning."""
    from memory.consolidate import _object_tokens

    clusters: list[tuple[frozenset[str], list[Any]]] = []
    for f in sorted(facts, key=lambda f: (f.when, f.id)):
        toks = _object_tokens(f.object)
        for ctoks, members in clusters:
            union = toks | ctoks
            if not union or len(toks & ctoks) / len(union) >= min_overlap:
                members.append(f)
                break
        else:
            clusters.append((toks, [f]))
    return [m for _, m in clusters]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sets(st.sampled_from("abcdefgh"), max_size=6), max_size=12),
    st.sampled_from([0.0, 0.3, 0.5, 0.6, 1.0]),
)
def test_pruned_clustering_matches_the_plain_one(objects: list[set[str]], t: float) -> None:
    from datetime import UTC, datetime

    from memory.consolidate import FactView, _clusters

    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    facts = [
        FactView(f"f{i:02d}", "", "S", "p", " ".join(sorted(o)), t0 + timedelta(days=i))
        for i, o in enumerate(objects)
    ]
    ids = [[f.id for f in c] for c in _clusters(facts, t)]
    assert ids == [[f.id for f in c] for c in _reference_clusters(facts, t)]


def test_only_touched_groups_load_unless_the_entity_needs_a_whole_recompute(mem: Memory) -> None:
    """`_observations` reads a touched group's rows by key prefix. LIKE wildcards in a name
    must not widen the prefix, and an observation under another name, or a stale one, makes
    the whole entity recompute."""
    from memory.hierarchy import _observations

    with mem.store.db.session() as s:
        ent = Entity(bank="default", name="Ab_C%")
        s.add(ent)

        def obs(key: str, stale: bool = False) -> Observation:
            o = Observation(bank="default", key=key, text=key, entity_id=ent.id, stale=stale)
            s.add(o)
            s.flush()
            return o

        use, _ = obs("ab_c%|use|x"), obs("ab_c%|like|y")
        obs("ab_c%|used|z")  # a group whose name starts like a touched one
        got, whole = _observations(s, "default", ent.id, ent.name, {"use"})
        assert [o.key for o in got] == [use.key] and not whole
        assert _observations(s, "default", ent.id, ent.name, set()) == ([], False)
        assert _observations(s, "default", ent.id, ent.name, None)[1]
        assert _observations(s, "default", ent.id, None, {"use"})[1]  # the entity is gone

        renamed = obs("abxcy|use|w")  # `_` and `%` matched as wildcards would hide it
        got, whole = _observations(s, "default", ent.id, ent.name, {"use"})
        assert whole and len(got) == 4
        s.delete(renamed)
        s.flush()
        obs("ab_c%|like|q", stale=True)
        assert _observations(s, "default", ent.id, ent.name, {"use"})[1]
