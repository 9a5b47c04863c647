"""The operations `engram serve` and `engram mcp` offer, as JSON in and JSON out, over the
`Memory` facade and the agent built by `agent.wiring` (`LocalOps`). `agent.client.EngramClient`
offers the same methods over HTTP, so the MCP tools run unchanged in front of either.

Nothing here decides what memory means: each method validates what the wire adds (k bounds,
dates as text), calls one facade method (or the bounded reads of `memory.browse` and
`memory.explore`, the agent, the RLM, the trace store) and returns what it returned, as the
CLI's ``--json`` prints it. Listings that can grow with the bank take `offset` and `limit`.

One process may serve many clients at once; the facade is written for one caller at a time
(the entity graph and caches are plain objects), so `SerialMemory` lets one memory call run at
a time. Long runs (ask, rlm) hold it only while they call memory.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from agent.repl_memory import jsonable
from agent.server.errors import BadRequest, NotFoundError
from agent.server.runs import RunLimits, run_ask, run_rlm
from agent.server.traces import MAX_TRACES, list_traces, load_trace
from agent.wiring import trace_store

__all__ = ["EngramOps", "LocalOps", "SerialMemory", "MAX_K", "MAX_PAGE", "LAYERS"]

MAX_K = 100
MAX_PAGE = 500  # items of one listing page
LAYERS = ("fact", "observation", "mental_model")


class EngramOps(Protocol):
    """What a client of engram can ask for; every answer is a JSON-able dict."""

    async def banks(self, only: str | None = None) -> dict[str, Any]: ...

    async def remember(self, bank: str, text: str, at: str | None = None,
                       source: str | None = None, metadata: dict[str, Any] | None = None
                       ) -> dict[str, Any]: ...  # fmt: skip

    async def remember_many(self, bank: str, items: list[dict[str, Any]]) -> dict[str, Any]: ...

    async def recall(self, bank: str, query: str, k: int = 10, as_of: str | None = None,
                     start: str | None = None, end: str | None = None,
                     layers: Sequence[str] | None = None, explain: bool = False,
                     now: str | None = None) -> dict[str, Any]: ...  # fmt: skip

    async def entities(self, bank: str, prefix: str | None = None, offset: int = 0,
                       limit: int = 50) -> dict[str, Any]: ...  # fmt: skip

    async def entity(self, bank: str, name: str, offset: int = 0,
                     limit: int | None = None) -> dict[str, Any]: ...  # fmt: skip

    async def merges(self, bank: str, entity: str) -> dict[str, Any]: ...

    async def supersessions(self, bank: str, entity: str, limit: int = 50) -> dict[str, Any]: ...

    async def neighbourhood(self, bank: str, entity: str, limit: int = 12) -> dict[str, Any]: ...

    async def beliefs(self, bank: str, topic: str | None = None, offset: int = 0,
                      limit: int | None = None, points: int | None = None
                      ) -> dict[str, Any]: ...  # fmt: skip

    async def timeline(self, bank: str, entity: str | None = None,
                       topic: str | None = None) -> dict[str, Any]: ...  # fmt: skip

    async def forget(self, bank: str, source: str | None = None, fact: str | None = None,
                     entity: str | None = None) -> dict[str, Any]: ...  # fmt: skip

    async def forget_episodes(self, bank: str, ids: Sequence[str]) -> dict[str, Any]: ...

    async def ingest_versions(self, bank: str, units: Sequence[str]) -> dict[str, Any]: ...

    async def ingest_record(self, bank: str, unit: str, content_hash: str,
                            sources: Sequence[str], episode_ids: Sequence[str],
                            replaces: Sequence[str] = ()) -> dict[str, Any]: ...  # fmt: skip

    async def merge(self, bank: str, keep: str, merge: str) -> dict[str, Any]: ...

    async def split(self, bank: str, name: str) -> dict[str, Any]: ...

    async def ask(self, bank: str, question: str, thread: str = "default",
                  attachments: Sequence[str] = (), now: str | None = None
                  ) -> dict[str, Any]: ...  # fmt: skip

    async def rlm(self, bank: str, query: str, path: str, budget: dict[str, Any] | None = None,
                  consolidate: bool = True) -> dict[str, Any]: ...  # fmt: skip

    async def traces(self, bank: str | None = None, offset: int = 0,
                     limit: int = 50) -> dict[str, Any]: ...  # fmt: skip

    async def trace(self, trace_id: str, bank: str | None = None,
                    events: bool = True) -> dict[str, Any]: ...  # fmt: skip


class SerialMemory:
    """The facade with its async methods taken one at a time (`lock`); the rest passes through."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.lock = asyncio.Lock()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.inner, name)
        if not (name.startswith("a") and callable(value) and asyncio.iscoroutinefunction(value)):
            return value

        async def serial(*args: Any, **kwargs: Any) -> Any:
            async with self.lock:
                return await value(*args, **kwargs)

        return serial


def _when(value: str | None, what: str, ref: datetime | None = None) -> datetime | None:
    """`value` (ISO date or phrase) as an aware datetime; a phrase reads against `ref`
    (default: the server's clock)."""
    from memory.errors import InvalidDate
    from memory.retain import to_utc

    if value is None or value == "":
        return None
    try:
        return to_utc(value, ref or datetime.now(UTC))
    except InvalidDate:
        raise BadRequest(f"invalid {what}: cannot read {value!r} as a date; try 2025-10-14 "
                         "or '2 weeks ago'; nothing was stored") from None  # fmt: skip


def _k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise BadRequest(f"invalid k: must be a whole number from 1 to {MAX_K}")
    return k


def _page(offset: int, limit: int, most: int) -> tuple[int, int]:
    ok = all(isinstance(v, int) and not isinstance(v, bool) for v in (offset, limit))
    if not ok or offset < 0 or not 1 <= limit <= most:
        raise BadRequest(f"invalid page: offset must be >= 0 and limit from 1 to {most}")
    return offset, limit


class LocalOps:
    """EngramOps over an `agent.wiring.Engram` (its memory wrapped in SerialMemory)."""

    def __init__(self, engram: Any, limits: RunLimits | None = None) -> None:
        self.engram = engram
        self.memory = SerialMemory(engram.memory)
        self.limits = limits or RunLimits()
        self.trace_store = trace_store(Path(engram.settings.home))
        self._state: Any = None  # storage.ingest_state.IngestState, opened on first use

    async def banks(self, only: str | None = None) -> dict[str, Any]:
        from memory.browse import list_banks

        async with self.memory.lock:
            found = list_banks(self.memory.inner)
        return {"banks": [b for b in found if only is None or b["bank"] == only]}

    async def remember(self, bank: str, text: str, at: str | None = None,
                       source: str | None = None, metadata: dict[str, Any] | None = None
                       ) -> dict[str, Any]:  # fmt: skip
        when = _when(at, "at") or datetime.now(UTC)
        res = await self.memory.aretain(text, mentioned_at=when, source=source, bank=bank,
                                        metadata=metadata)  # fmt: skip
        return {"bank": bank, **jsonable(res)}

    async def remember_many(self, bank: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        """Items of {text, at, source, metadata}, all validated before any is stored."""
        now = datetime.now(UTC)
        batch = [
            {"text": i.get("text"), "mentioned_at": _when(i.get("at"), "at") or now,
             "source": i.get("source"), "metadata": i.get("metadata"), "bank": bank}
            for i in items
        ]  # fmt: skip
        results = await self.memory.aretain_many(batch)
        return {"bank": bank, "results": [jsonable(r) for r in results]}

    async def recall(self, bank: str, query: str, k: int = 10, as_of: str | None = None,
                     start: str | None = None, end: str | None = None,
                     layers: Sequence[str] | None = None, explain: bool = False,
                     now: str | None = None) -> dict[str, Any]:  # fmt: skip
        """Hits for `query`; `now` is the moment the question is asked at (default: the
        server's clock): time words in the query and relative `as_of`/`start`/`end` read
        against it."""
        from memory.models import TimeRange

        ref = _when(now, "now")
        since, until = _when(start, "start", ref), _when(end, "end", ref)
        wanted = tuple(layers or LAYERS)
        if not wanted or any(x not in LAYERS for x in wanted):
            raise BadRequest(f"invalid layers: choose from {', '.join(LAYERS)}")
        hits = await self.memory.arecall(
            query, bank=bank, k=_k(k), as_of=_when(as_of, "as_of", ref), layers=wanted,
            time_range=TimeRange(since, until) if since or until else None, explain=explain,
            now=ref,
        )  # fmt: skip
        return {"hits": [h.to_dict() for h in hits]}

    async def entities(self, bank: str, prefix: str | None = None, offset: int = 0,
                       limit: int = 50) -> dict[str, Any]:  # fmt: skip
        from memory.explore import entity_list

        async with self.memory.lock:
            return await entity_list(self.memory.inner, bank=bank, prefix=prefix or None,
                                     offset=offset, limit=limit)  # fmt: skip

    async def entity(self, bank: str, name: str, offset: int = 0,
                     limit: int | None = None) -> dict[str, Any]:  # fmt: skip
        """The entity with all its facts, or (`limit` given) one page of them and the total."""
        from memory.explore import entity_page

        if limit is None:
            found = await self.memory.aentity(name, bank=bank)
        else:
            async with self.memory.lock:
                found = await entity_page(self.memory.inner, name, bank=bank, offset=offset,
                                          limit=limit)  # fmt: skip
        if found is None:
            raise NotFoundError(f"no entity called {name!r} in bank {bank!r}")
        return dict(jsonable(found))

    async def merges(self, bank: str, entity: str) -> dict[str, Any]:
        from memory.explore import merge_log

        async with self.memory.lock:
            return await merge_log(self.memory.inner, entity, bank=bank)

    async def supersessions(self, bank: str, entity: str, limit: int = 50) -> dict[str, Any]:
        from memory.explore import supersessions

        async with self.memory.lock:
            return await supersessions(self.memory.inner, entity, bank=bank, limit=limit)

    async def neighbourhood(self, bank: str, entity: str, limit: int = 12) -> dict[str, Any]:
        from memory.explore import neighbourhood

        async with self.memory.lock:
            return await neighbourhood(self.memory.inner, entity, bank=bank, limit=limit)

    async def beliefs(self, bank: str, topic: str | None = None, offset: int = 0,
                      limit: int | None = None, points: int | None = None
                      ) -> dict[str, Any]:  # fmt: skip
        """Beliefs (about `topic`) with their history, all or (`limit` given) one page of them,
        each with its newest `points` history entries (default and most:
        `memory.explore.MAX_POINTS`), and the total."""
        from memory.explore import MAX_POINTS, belief_page

        if limit is None:
            return {"beliefs": jsonable(list(await self.memory.abeliefs(topic or None, bank=bank)))}
        if points is not None and (isinstance(points, bool) or not 1 <= points <= MAX_POINTS):
            raise BadRequest(f"invalid points: a whole number from 1 to {MAX_POINTS}")
        async with self.memory.lock:
            return await belief_page(self.memory.inner, bank=bank, topic=topic or None,
                                     offset=offset, limit=limit, points=points or MAX_POINTS)  # fmt: skip

    async def timeline(self, bank: str, entity: str | None = None,
                       topic: str | None = None) -> dict[str, Any]:  # fmt: skip
        from memory.browse import timeline

        async with self.memory.lock:
            view = await timeline(self.memory.inner, entity=entity or None, topic=topic or None,
                                  bank=bank)  # fmt: skip
        return view.to_dict()

    async def forget(self, bank: str, source: str | None = None, fact: str | None = None,
                     entity: str | None = None) -> dict[str, Any]:  # fmt: skip
        rep = await self.memory.aforget(fact, source=source, entity=entity, bank=bank)
        return {"bank": bank, **jsonable(rep)}

    async def forget_episodes(self, bank: str, ids: Sequence[str]) -> dict[str, Any]:
        """Episodes by id and all derived from them (ingest replacing an edited document)."""
        rep = await self.memory.aforget_episodes([str(i) for i in ids], bank=bank)
        return {"bank": bank, **jsonable(rep)}

    async def ingest_versions(self, bank: str, units: Sequence[str]) -> dict[str, Any]:
        """The recorded versions of these ingest units (storage.ingest_state)."""
        async with self.memory.lock:
            rows = await asyncio.to_thread(self._ingest_state().versions, bank, list(units))
        return {"bank": bank, "versions": [jsonable(r.model_dump()) for r in rows]}

    async def ingest_record(self, bank: str, unit: str, content_hash: str,
                            sources: Sequence[str], episode_ids: Sequence[str],
                            replaces: Sequence[str] = ()) -> dict[str, Any]:  # fmt: skip
        """Record a unit's version as ingested (after its episodes were retained)."""
        record = functools.partial(self._ingest_state().record, bank, unit, content_hash,
                                   sources=list(sources), episode_ids=list(episode_ids),
                                   replaces=list(replaces))  # fmt: skip
        async with self.memory.lock:
            await asyncio.to_thread(record)
        return {"bank": bank, "unit": unit, "content_hash": content_hash, "recorded": True}

    def _ingest_state(self) -> Any:
        if self._state is None:
            self._state = self.engram.ingest_state()
        return self._state

    async def merge(self, bank: str, keep: str, merge: str) -> dict[str, Any]:
        return dict(jsonable(await self.memory.amerge(keep, merge, bank=bank)))

    async def split(self, bank: str, name: str) -> dict[str, Any]:
        return dict(jsonable(await self.memory.asplit(name, bank=bank)))

    async def ask(self, bank: str, question: str, thread: str = "default",
                  attachments: Sequence[str] = (), now: str | None = None
                  ) -> dict[str, Any]:  # fmt: skip
        return await run_ask(self.engram, self.memory, self.limits, bank, question, thread,
                             attachments, self.trace_store, _when(now, "now"))  # fmt: skip

    async def rlm(self, bank: str, query: str, path: str, budget: dict[str, Any] | None = None,
                  consolidate: bool = True) -> dict[str, Any]:  # fmt: skip
        return await run_rlm(self.engram, self.memory, self.limits, self.trace_store, bank,
                             query, path, budget or {}, consolidate)  # fmt: skip

    async def traces(self, bank: str | None = None, offset: int = 0,
                     limit: int = 50) -> dict[str, Any]:  # fmt: skip
        """RLM runs `bank` may see (None: every run), newest first, one page."""
        offset, limit = _page(offset, limit, MAX_TRACES)
        return await asyncio.to_thread(list_traces, self.trace_store, bank, offset, limit)

    async def trace(self, trace_id: str, bank: str | None = None,
                    events: bool = True) -> dict[str, Any]:  # fmt: skip
        """One run: summary, tree (tokens, cost, time per node and subtree) and its events."""
        return await asyncio.to_thread(load_trace, self.trace_store, trace_id, bank, events)
