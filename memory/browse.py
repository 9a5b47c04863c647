"""Read-only views across a bank, built on the `Memory` facade: the banks a store holds, and a
timeline (an entity's or a topic's facts in time order with what superseded what).

    await timeline(memory, entity="Alice Chen", bank="default")
    await timeline(memory, topic="database", bank="default")
    list_banks(memory)

Used alike by `engram timeline` / `engram banks`, the REST API and the MCP tools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, text
from sqlmodel import col, select

from memory.errors import InvalidInput, NotFound
from memory.models import Hit
from memory.retain import clean_bank
from storage.schema import Episode, Fact

__all__ = ["TimelineEntry", "TimelineView", "timeline", "list_banks", "TOPIC_FACTS"]

TOPIC_FACTS = 30  # facts recall brings for a topic before the supersession chains are added
MAX_CHAIN = 200  # facts a timeline follows through supersessions, at most


@dataclass
class TimelineEntry:
    fact_id: str
    text: str
    when: datetime | None
    mentioned_at: datetime
    source: str | None
    invalidated_at: datetime | None = None
    superseded_by: str | None = None
    supersedes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        for k in ("when", "mentioned_at", "invalidated_at"):
            d[k] = d[k].isoformat() if d[k] else None
        d["current"] = self.invalidated_at is None
        return d


@dataclass
class TimelineView:
    bank: str
    entity: str | None
    topic: str | None
    events: list[TimelineEntry]

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "entity": self.entity,
            "topic": self.topic,
            "events": [e.to_dict() for e in self.events],
        }


async def timeline(
    memory: Any, *, entity: str | None = None, topic: str | None = None, bank: str = "default"
) -> TimelineView:
    """Facts of `entity` (any alias) or about `topic`, oldest first, each with the fact that
    superseded it and those it superseded; facts on either end of a supersession are added."""
    bank = clean_bank(bank)
    if (entity is None) == (topic is None):
        raise InvalidInput("timeline", "give exactly one of entity or topic")
    name = None
    if entity is not None:
        view = await memory.aentity(entity, bank=bank)
        if view is None:
            raise NotFound("entity", entity, bank)
        name, hits = view.name, list(view.facts)
    else:
        hits = await memory.arecall(topic, bank=bank, k=TOPIC_FACTS, layers=("fact",))
    seeds = [h.fact_id for h in hits if isinstance(h, Hit) and h.fact_id]
    return TimelineView(bank, name, topic, _entries(memory.store, bank, seeds))


def _entries(store: Any, bank: str, seeds: list[str]) -> list[TimelineEntry]:
    with store.db.session() as s:
        facts: dict[str, Fact] = {}
        queried: set[str] = set()
        frontier = list(seeds)
        while frontier and len(facts) < MAX_CHAIN:
            ids = [i for i in dict.fromkeys(frontier) if i not in queried]
            queried.update(ids)
            if not ids:
                break
            near = or_(col(Fact.id).in_(ids), col(Fact.superseded_by).in_(ids))
            frontier = []
            for f in s.exec(select(Fact).where(Fact.bank == bank, near)).all():
                facts.setdefault(f.id, f)
                frontier += [x for x in (f.id, f.superseded_by) if x and x not in queried]
        eps = {f.episode_id for f in facts.values()}
        sources = dict(
            s.exec(select(Episode.id, Episode.source).where(col(Episode.id).in_(eps))).all()
        )
    out = [
        TimelineEntry(f.id, f.text, f.occurred_start, f.mentioned_at,
                      sources.get(f.episode_id) or None, f.invalidated_at, f.superseded_by)
        for f in facts.values()
    ]  # fmt: skip
    by_id = {e.fact_id: e for e in out}
    for e in out:
        if e.superseded_by is not None and e.superseded_by in by_id:
            by_id[e.superseded_by].supersedes.append(e.fact_id)
    out.sort(key=lambda e: (e.when or e.mentioned_at, e.mentioned_at, e.fact_id))
    return out


def list_banks(memory: Any) -> list[dict[str, Any]]:
    """Every bank holding episodes, with its episode and fact counts, by name."""
    with memory.store.db.engine.connect() as c:
        episodes = dict(c.execute(text("SELECT bank, COUNT(*) FROM episodes GROUP BY bank")).all())
        facts = dict(c.execute(text("SELECT bank, COUNT(*) FROM facts GROUP BY bank")).all())
    return [
        {"bank": b, "episodes": int(n), "facts": int(facts.get(b, 0))}
        for b, n in sorted(episodes.items())
    ]
