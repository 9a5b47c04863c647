"""Spreading activation stays bounded: hubs do not spread past the seeds, and a budget caps the
edges one query walks."""

from __future__ import annotations

from storage.graph import EntityGraph


def _graph() -> EntityGraph:
    g = EntityGraph()
    g.add_fact("f1", "b", ["seed", "hub"])
    g.add_fact("f2", "b", ["seed", "friend"])
    for i in range(50):  # the hub is in 51 facts
        g.add_fact(f"h{i}", "b", ["hub"])
    g.add_fact("f3", "b", ["friend", "other"])
    return g


def test_degree_counts_facts() -> None:
    g = _graph()
    assert g.degree("hub", "b") == 51 and g.degree("seed", "b") == 2
    assert g.degree("nobody", "b") == 0 and g.degree("hub", "other-bank") == 0


def test_hubs_reached_on_the_way_do_not_spread() -> None:
    g = _graph()
    free = dict(g.activate(["seed"], "b", limit=100))
    capped = dict(g.activate(["seed"], "b", limit=100, max_degree=10))
    assert "h0" in free and "h0" not in capped  # only the hub led there
    assert {"f1", "f2", "f3"} <= set(capped)  # a specific neighbour still spreads


def test_budget_caps_walked_edges() -> None:
    g = _graph()
    got = g.activate(["hub"], "b", limit=100, budget=5)
    assert len(got) == 5
    assert g.activate(["hub"], "b", limit=100, budget=0) == []
