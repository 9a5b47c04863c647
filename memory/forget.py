"""Hard deletes that cascade to everything derived.

`forget` removes facts (by id, by source, by entity, or a whole bank) and then: their entity
links, observation links (observations are recomputed or dropped), belief evidence (beliefs are
recomputed or dropped), supersession marks they caused (the older fact is current again),
mental-model summaries that quoted them (cleared and marked stale), episode text (redacted, or
the episode deleted when no fact is left), their turns' vectors (written again for the facts
kept), and finally their vector, keyword and graph entries.
SQL is changed in one transaction; indexes follow (reconcile repairs a crash in between).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete as sa_delete
from sqlmodel import Session, col, select

from memory.belief_store import recompute_beliefs
from memory.hierarchy import refresh_observations
from storage.passages import following_episodes
from storage.schema import (
    ALL_TABLES,
    Alias,
    BeliefEvidence,
    Entity,
    Episode,
    Fact,
    FactEntity,
    MentalModel,
    MergeLog,
    Observation,
    ObservationFact,
    TurnVector,
)
from storage.store import Store
from storage.turns import drop_turns

__all__ = [
    "ForgetReport",
    "forget_facts",
    "forget_bank",
    "facts_of_source",
    "facts_of_episodes",
    "facts_of_entity",
]

CHUNK = 500


@dataclass
class ForgetReport:
    facts: list[str] = field(default_factory=list)
    episodes: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    beliefs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) for k, v in self.__dict__.items()} | {"forgotten": len(self.facts)}


def _chunks(ids: Sequence[str]) -> list[list[str]]:
    return [list(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]


def facts_of_source(s: Session, bank: str, source: str) -> tuple[list[str], list[str]]:
    eps = list(s.exec(select(Episode.id).where(Episode.bank == bank, Episode.source == source)))
    facts: list[str] = []
    for ch in _chunks(eps):
        facts += s.exec(select(Fact.id).where(Fact.bank == bank, col(Fact.episode_id).in_(ch)))
    return facts, eps


def facts_of_episodes(
    s: Session, bank: str, episode_ids: Sequence[str]
) -> tuple[list[str], list[str]]:
    """(facts, episodes) of the given episode ids that `bank` still holds."""
    eps: list[str] = []
    for ch in _chunks(sorted(set(episode_ids))):
        eps += s.exec(select(Episode.id).where(Episode.bank == bank, col(Episode.id).in_(ch)))
    return _facts_of_episodes(s, bank, set(eps), set()), eps


def facts_of_entity(s: Session, bank: str, entity_id: str) -> list[str]:
    linked = s.exec(
        select(FactEntity.fact_id).where(FactEntity.bank == bank, FactEntity.entity_id == entity_id)
    )
    subj = s.exec(select(Fact.id).where(Fact.bank == bank, Fact.subject_entity_id == entity_id))
    return sorted(set(linked) | set(subj))


def forget_facts(
    store: Store,
    bank: str,
    fact_ids: Sequence[str],
    *,
    episodes: Sequence[str] = (),
    entity_ids: Sequence[str] = (),
) -> ForgetReport:
    """Delete facts (and whole episodes / entities when given) with the full cascade."""
    rep = ForgetReport(facts=list(fact_ids), episodes=list(episodes), entities=list(entity_ids))
    with store.db.session() as s:
        touched = _entities_linked(s, bank, fact_ids) - set(entity_ids)
        rep.beliefs = _drop_evidence(s, bank, fact_ids)
        _restore_superseded(s, bank, fact_ids)
        stale_models = _clear_models(s, bank, fact_ids)
        _unlink(s, bank, fact_ids)
        changed = _episodes_of(s, bank, fact_ids) | set(episodes)
        followers = following_episodes(s, bank, sorted(changed))
        drop_turns(s, changed)  # re-indexing the kept facts below writes them again
        rep.episodes = sorted(_redact_episodes(s, bank, fact_ids, set(episodes)))
        kept = _kept_siblings(s, bank, fact_ids, set(rep.episodes))
        kept += _facts_of_episodes(s, bank, followers - set(rep.episodes), set(fact_ids))
        for ch in _chunks(list(fact_ids)):
            s.execute(sa_delete(Fact).where(col(Fact.bank) == bank, col(Fact.id).in_(ch)))
        for ch in _chunks(rep.episodes):
            s.execute(sa_delete(Episode).where(col(Episode.bank) == bank, col(Episode.id).in_(ch)))
        s.flush()
        orphans = _orphaned(s, bank, touched)
        rep.entities += orphans
        rep.observations = _drop_entities(s, bank, [*entity_ids, *orphans])
        touched -= set(orphans)
        s.flush()
        recompute_beliefs(s, bank, rep.beliefs)
        delta = refresh_observations(s, bank, touched)
    rep.observations += delta.removed
    store.unindex(list(fact_ids) + rep.observations + stale_models)
    store.graph.remove_entities(rep.entities)
    store.index(delta.docs)
    store.reindex_facts(kept)  # their index context (episode or preceding turn) held the text
    return rep


def _kept_siblings(
    s: Session, bank: str, fact_ids: Sequence[str], dropped_episodes: set[str]
) -> list[str]:
    """Facts that stay in an episode that loses some of its facts (to re-index)."""
    gone = set(fact_ids)
    eps: set[str] = set()
    for ch in _chunks(list(fact_ids)):
        eps.update(s.exec(select(Fact.episode_id).where(Fact.bank == bank, col(Fact.id).in_(ch))))
    kept: list[str] = []
    for ch in _chunks(sorted(eps - dropped_episodes)):
        q = select(Fact.id).where(Fact.bank == bank, col(Fact.episode_id).in_(ch))
        kept += [f for f in s.exec(q) if f not in gone]
    return kept


def _episodes_of(s: Session, bank: str, fact_ids: Sequence[str]) -> set[str]:
    eps: set[str] = set()
    for ch in _chunks(list(fact_ids)):
        eps.update(s.exec(select(Fact.episode_id).where(Fact.bank == bank, col(Fact.id).in_(ch))))
    return eps


def _facts_of_episodes(s: Session, bank: str, episode_ids: set[str], gone: set[str]) -> list[str]:
    out: list[str] = []
    for ch in _chunks(sorted(episode_ids)):
        q = select(Fact.id).where(Fact.bank == bank, col(Fact.episode_id).in_(ch))
        out += [f for f in s.exec(q) if f not in gone]
    return out


def _entities_linked(s: Session, bank: str, fact_ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for ch in _chunks(list(fact_ids)):
        out.update(
            s.exec(
                select(FactEntity.entity_id).where(
                    col(FactEntity.bank) == bank, col(FactEntity.fact_id).in_(ch)
                )
            )
        )
    return out


def _orphaned(s: Session, bank: str, entity_ids: set[str]) -> list[str]:
    """Entities left without any fact: derived from what was forgotten, so they go too."""
    out = []
    for eid in sorted(entity_ids):
        linked = s.exec(select(FactEntity.fact_id).where(FactEntity.entity_id == eid)).first()
        subj = s.exec(select(Fact.id).where(Fact.subject_entity_id == eid)).first()
        if linked is None and subj is None:
            out.append(eid)
    return out


def _drop_evidence(s: Session, bank: str, fact_ids: Sequence[str]) -> list[str]:
    beliefs: set[str] = set()
    for ch in _chunks(list(fact_ids)):
        q = select(BeliefEvidence).where(
            BeliefEvidence.bank == bank, col(BeliefEvidence.fact_id).in_(ch)
        )
        for ev in s.exec(q).all():
            beliefs.add(ev.belief_id)
            s.delete(ev)
    return sorted(beliefs)


def _restore_superseded(s: Session, bank: str, fact_ids: Sequence[str]) -> None:
    gone = set(fact_ids)
    for ch in _chunks(list(fact_ids)):
        q = select(Fact).where(Fact.bank == bank, col(Fact.superseded_by).in_(ch))
        for f in s.exec(q).all():
            if f.id not in gone:
                f.invalidated_at, f.superseded_by, f.supersession = None, None, None
                s.add(f)


def _clear_models(s: Session, bank: str, fact_ids: Sequence[str]) -> list[str]:
    gone, cleared = set(fact_ids), []
    for m in s.exec(select(MentalModel).where(MentalModel.bank == bank)).all():
        if gone & set(m.fact_ids or []):
            m.summary, m.stale = "", True
            m.fact_ids = [f for f in m.fact_ids if f not in gone]
            s.add(m)
            cleared.append(m.id)
    return cleared


def _unlink(s: Session, bank: str, fact_ids: Sequence[str]) -> None:
    for ch in _chunks(list(fact_ids)):
        s.execute(
            sa_delete(FactEntity).where(
                col(FactEntity.bank) == bank, col(FactEntity.fact_id).in_(ch)
            )
        )
        s.execute(
            sa_delete(ObservationFact).where(
                col(ObservationFact.bank) == bank, col(ObservationFact.fact_id).in_(ch)
            )
        )


def _redact_episodes(
    s: Session, bank: str, fact_ids: Sequence[str], dropping: set[str]
) -> set[str]:
    """Blank forgotten spans in episodes that keep other facts; returns the episodes to delete
    (those given plus those left without facts)."""
    from memory.retain import content_hash

    gone = set(fact_ids)
    by_ep: dict[str, list[Fact]] = {}
    for ch in _chunks(list(fact_ids)):
        for f in s.exec(select(Fact).where(Fact.bank == bank, col(Fact.id).in_(ch))).all():
            by_ep.setdefault(f.episode_id, []).append(f)
    for ep_id, facts in by_ep.items():
        if ep_id in dropping:
            continue
        rest = s.exec(select(Fact.id).where(Fact.episode_id == ep_id)).all()
        ep = s.get(Episode, ep_id)
        if ep is None:
            continue
        if not set(rest) - gone:
            dropping.add(ep_id)
            continue
        ep.text = _blank(ep.text, facts)
        ep.content_hash = content_hash(ep.text)
        s.add(ep)
    return dropping


def _blank(text: str, facts: list[Fact]) -> str:
    for f in facts:
        if 0 <= f.span_start < f.span_end <= len(text):
            text = text[: f.span_start] + " " * (f.span_end - f.span_start) + text[f.span_end :]
        elif f.text and f.text in text:
            text = text.replace(f.text, " " * len(f.text))
    return text


def _drop_entities(s: Session, bank: str, entity_ids: Sequence[str]) -> list[str]:
    obs: list[str] = []
    for ch in _chunks(list(entity_ids)):
        obs += s.exec(
            select(Observation.id).where(
                Observation.bank == bank, col(Observation.entity_id).in_(ch)
            )
        )
        for o in _chunks(obs):
            s.execute(sa_delete(ObservationFact).where(col(ObservationFact.observation_id).in_(o)))
            s.execute(sa_delete(Observation).where(col(Observation.id).in_(o)))
        s.execute(sa_delete(Alias).where(col(Alias.bank) == bank, col(Alias.entity_id).in_(ch)))
        s.execute(
            sa_delete(MergeLog).where(col(MergeLog.bank) == bank, col(MergeLog.kept_id).in_(ch))
        )
        s.execute(sa_delete(Entity).where(col(Entity.bank) == bank, col(Entity.id).in_(ch)))
    return obs


def forget_bank(store: Store, bank: str) -> int:
    """Delete every row of `bank` in every table and its index entries; other banks untouched."""
    with store.db.session() as s:
        n = len(s.exec(select(Fact.id).where(Fact.bank == bank)).all())
        for table in reversed(ALL_TABLES):  # children first
            s.execute(sa_delete(table).where(table.bank == bank))  # type: ignore[attr-defined]
        s.execute(sa_delete(TurnVector).where(col(TurnVector.bank) == bank))
    ids = sorted(store.vectors.ids(bank) | store.keywords.ids(bank))
    store.vectors.delete(ids)
    store.keywords.delete(ids)
    store.graph.drop_bank(bank)
    return n
