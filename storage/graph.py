"""The entity–fact graph (networkx), one bipartite graph per bank.

Nodes are `"e:<entity id>"` and `"f:<fact id>"`; an edge links a fact to each entity it mentions.
Loaded from SQL (`fact_entities`) on open and kept in step incrementally by retain, merge,
split and forget. Banks are separate graphs, so a walk can never leave its bank.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import islice

import networkx as nx
from sqlmodel import select

from storage.db import Database
from storage.schema import FactEntity

__all__ = ["EntityGraph"]


def _e(eid: str) -> str:
    return "e:" + eid


def _f(fid: str) -> str:
    return "f:" + fid


class EntityGraph:
    def __init__(self) -> None:
        self._banks: dict[str, nx.Graph] = defaultdict(nx.Graph)
        self._fact_bank: dict[str, str] = {}
        self._entity_bank: dict[str, str] = {}
        self._lock = threading.RLock()

    @classmethod
    def load(cls, db: Database) -> EntityGraph:
        g = cls()
        with db.session() as s:
            rows = s.exec(select(FactEntity.fact_id, FactEntity.entity_id, FactEntity.bank)).all()
        by_fact: dict[tuple[str, str], list[str]] = defaultdict(list)
        for fid, eid, bank in rows:
            by_fact[(fid, bank)].append(eid)
        for (fid, bank), eids in by_fact.items():
            g.add_fact(fid, bank, eids)
        return g

    # -- writes -----------------------------------------------------------------------------
    def add_fact(self, fact_id: str, bank: str, entity_ids: Iterable[str]) -> None:
        with self._lock:
            g = self._banks[bank]
            g.add_node(_f(fact_id))
            self._fact_bank[fact_id] = bank
            for eid in entity_ids:
                self._entity_bank[eid] = bank
                g.add_edge(_f(fact_id), _e(eid))

    def remove_facts(self, fact_ids: Iterable[str]) -> None:
        with self._lock:
            for fid in fact_ids:
                bank = self._fact_bank.pop(fid, None)
                if bank is not None and self._banks[bank].has_node(_f(fid)):
                    self._banks[bank].remove_node(_f(fid))

    def remove_entities(self, entity_ids: Iterable[str]) -> None:
        with self._lock:
            for eid in entity_ids:
                bank = self._entity_bank.pop(eid, None)
                if bank is not None and self._banks[bank].has_node(_e(eid)):
                    self._banks[bank].remove_node(_e(eid))

    def relink(self, fact_id: str, old_entity: str, new_entity: str) -> None:
        """Move one fact's edge from `old_entity` to `new_entity` (merge/split)."""
        with self._lock:
            bank = self._fact_bank.get(fact_id)
            if bank is None:
                return
            g = self._banks[bank]
            if g.has_edge(_f(fact_id), _e(old_entity)):
                g.remove_edge(_f(fact_id), _e(old_entity))
            g.add_edge(_f(fact_id), _e(new_entity))
            self._entity_bank[new_entity] = bank

    def drop_bank(self, bank: str) -> None:
        with self._lock:
            g = self._banks.pop(bank, None)
            if g is None:
                return
            for node in g.nodes:
                kind, _, nid = node.partition(":")
                (self._fact_bank if kind == "f" else self._entity_bank).pop(nid, None)

    # -- reads ------------------------------------------------------------------------------
    def fact_ids(self, bank: str | None = None) -> set[str]:
        return {f for f, b in self._fact_bank.items() if bank is None or b == bank}

    def entity_ids(self, bank: str | None = None) -> set[str]:
        return {e for e, b in self._entity_bank.items() if bank is None or b == bank}

    def entities_of(self, fact_id: str) -> list[str]:
        bank = self._fact_bank.get(fact_id)
        if bank is None:
            return []
        return [n[2:] for n in self._banks[bank].neighbors(_f(fact_id))]

    def facts_of(self, entity_id: str, bank: str) -> list[str]:
        g = self._banks.get(bank)
        if g is None or not g.has_node(_e(entity_id)):
            return []
        return [n[2:] for n in g.neighbors(_e(entity_id))]

    def degree(self, entity_id: str, bank: str) -> int:
        """How many facts mention the entity (0 if unknown)."""
        g = self._banks.get(bank)
        node = _e(entity_id)
        return g.degree(node) if g is not None and g.has_node(node) else 0

    def activate(
        self,
        seeds: Sequence[str],
        bank: str,
        *,
        hops: int = 2,
        decay: float = 0.5,
        limit: int = 50,
        max_degree: int | None = None,
        budget: int = 20_000,
    ) -> list[tuple[str, float]]:
        """Spreading activation from seed entities: entity → facts → their entities → facts.

        Energy is split across an entity's facts (so hub entities spread thinly) and decays per
        entity hop. Entities with more than `max_degree` facts (hubs: a speaker in every turn,
        "the team") do not spread past the seeds, and at most `budget` edges are walked, so the
        cost is bounded however large the bank grows. Returns facts by activation, highest
        first.
        """
        g = self._banks.get(bank)
        if g is None:
            return []
        with self._lock:
            frontier = {_e(s): 1.0 for s in seeds if g.has_node(_e(s))}
            scores: dict[str, float] = defaultdict(float)
            seen = set(frontier)
            left = budget
            for hop in range(hops):
                nxt: dict[str, float] = defaultdict(float)
                for ent, energy in sorted(frontier.items(), key=lambda kv: -kv[1]):
                    deg = g.degree(ent)
                    if hop > 0 and max_degree is not None and deg > max_degree:
                        continue
                    if left <= 0:
                        break
                    share = energy / (deg**0.5 or 1.0)
                    for f in islice(g.neighbors(ent), left):
                        left -= 1
                        scores[f[2:]] += share * (decay**hop)
                        if hop + 1 < hops:
                            fdeg = max(1, g.degree(f))
                            for e2 in g.neighbors(f):
                                if e2 not in seen:
                                    nxt[e2] += share * decay / fdeg
                seen.update(nxt)
                frontier = nxt
        return sorted(scores.items(), key=lambda kv: -kv[1])[:limit]

    def pagerank(
        self,
        seeds: Sequence[str],
        bank: str,
        *,
        radius: int = 4,
        alpha: float = 0.85,
        limit: int = 50,
    ) -> list[tuple[str, float]]:
        """Personalised PageRank from seed entities over their `radius`-hop neighbourhood."""
        g = self._banks.get(bank)
        if g is None:
            return []
        with self._lock:
            nodes = [_e(s) for s in seeds if g.has_node(_e(s))]
            if not nodes:
                return []
            sub: set[str] = set()
            for n in nodes:
                sub |= set(nx.single_source_shortest_path_length(g, n, cutoff=radius))
            h = g.subgraph(sub)
            pr = nx.pagerank(h, alpha=alpha, personalization={n: 1.0 for n in nodes})
        facts = [(n[2:], s) for n, s in pr.items() if n.startswith("f:")]
        return sorted(facts, key=lambda kv: -kv[1])[:limit]
