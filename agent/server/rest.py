"""REST routes of `engram serve` under /v1: JSON in and out, over an `EngramOps`.

Every route checks the caller's bank (and write right) first; the answer is what the matching
CLI command prints with ``--json``. Errors are ``{"error": {"code", "message"}}`` (agent.server.app).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from agent.server.auth import Principal, authorize
from agent.server.mcp_tools import PRINCIPAL_SCOPE_KEY
from agent.server.ops import LAYERS, MAX_K, MAX_PAGE
from agent.server.traces import MAX_TRACES
from memory.explore import MAX_POINTS

__all__ = ["rest_router", "MemoryIn", "BatchIn", "AskIn", "RlmIn", "MergeIn", "SplitIn"]


class MemoryIn(BaseModel):
    text: str = Field(description="what to remember")
    at: str | None = Field(None, description="when it was said (ISO date or phrase); default now")
    source: str | None = Field(None, description="where it came from; same source + text = no-op")
    metadata: dict[str, Any] | None = None


class BatchIn(BaseModel):
    items: list[MemoryIn] = Field(max_length=1000, description="retained in one go, in order")


class AskIn(BaseModel):
    question: str
    thread: str = "default"
    attachments: list[str] = Field(default_factory=list, description="files the server may read")
    now: str | None = Field(None, description="ask as of this moment (ISO date or phrase): time "
                            "words in the question read against it; default now")  # fmt: skip


class RlmIn(BaseModel):
    query: str
    path: str = Field(description="a file under the server's allowed roots")
    bank: str | None = Field(None, description="the bank whose memory the REPL sees")
    budget: dict[str, Any] | None = Field(None, description="max_iterations, max_sub_calls, "
                                          "max_tokens, max_cost, max_depth, timeout")  # fmt: skip
    consolidate: bool = True


class EpisodesIn(BaseModel):
    ids: list[str] = Field(max_length=10_000, description="episode ids to forget")


class UnitsIn(BaseModel):
    units: list[str] = Field(max_length=1000, description="ingest unit keys")


class UnitRecordIn(BaseModel):
    unit: str = Field(description="the unit's stable key (agent.ingest.keys)")
    content_hash: str = Field(description="the version ingested")
    sources: list[str] = Field(default_factory=list, max_length=10_000)
    episode_ids: list[str] = Field(default_factory=list, max_length=10_000)
    replaces: list[str] = Field(default_factory=list, max_length=100,
                                description="old-scheme keys of the same unit")  # fmt: skip


class MergeIn(BaseModel):
    keep: str
    merge: str


class SplitIn(BaseModel):
    name: str


_LAYERS_DOC = f"any of {', '.join(LAYERS)}"
_NOW_DOC = ("ask as of this moment (ISO date or phrase): time words in the query and relative "
            "as_of/start/end read against it; default now")  # fmt: skip
Offset = Annotated[int, Query(ge=0, description="items to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="items in the page")]


def _who(request: Request) -> Principal:
    return request.scope[PRINCIPAL_SCOPE_KEY]


def _may(request: Request, bank: str, write: bool = False) -> str:
    authorize(_who(request), bank, write=write)
    return bank


def rest_router(ops: Any) -> APIRouter:
    r = APIRouter(prefix="/v1")
    _memory_routes(r, ops)
    _edit_routes(r, ops)
    _run_routes(r, ops)
    return r


def _memory_routes(r: APIRouter, ops: Any) -> None:
    @r.get("/whoami")
    async def whoami(request: Request) -> dict[str, Any]:
        """The caller: its token id, its bank (null: every bank) and whether it is read-only."""
        return _who(request).to_dict()

    @r.get("/banks")
    async def banks(request: Request) -> dict[str, Any]:
        return await ops.banks(_who(request).bank)

    @r.post("/banks/{bank}/memories", status_code=201)
    async def remember(bank: str, body: MemoryIn, request: Request) -> dict[str, Any]:
        return await ops.remember(_may(request, bank, True), body.text, body.at, body.source,
                                  body.metadata)  # fmt: skip

    @r.post("/banks/{bank}/memories/batch", status_code=201)
    async def remember_many(bank: str, body: BatchIn, request: Request) -> dict[str, Any]:
        items = [i.model_dump() for i in body.items]
        return await ops.remember_many(_may(request, bank, True), items)

    @r.get("/banks/{bank}/recall")
    async def recall(
        bank: str, request: Request, q: str, k: Annotated[int, Query(ge=1, le=MAX_K)] = 10,
        as_of: str | None = None, start: str | None = None, end: str | None = None,
        layers: Annotated[list[str] | None, Query(description=_LAYERS_DOC)] = None,
        explain: bool = False,
        now: Annotated[str | None, Query(description=_NOW_DOC)] = None,
    ) -> dict[str, Any]:  # fmt: skip
        return await ops.recall(_may(request, bank), q, k, as_of, start, end, layers, explain,
                                now)  # fmt: skip

    @r.get("/banks/{bank}/entities")
    async def entities(bank: str, request: Request, prefix: str | None = None,
                       offset: Offset = 0, limit: Limit = 50) -> dict[str, Any]:  # fmt: skip
        """Entities by name (or by a name or alias starting with `prefix`), one page."""
        return await ops.entities(_may(request, bank), prefix, offset, limit)

    @r.get("/banks/{bank}/entities/{name:path}")
    async def entity(bank: str, name: str, request: Request, offset: Offset = 0,
                     limit: Limit | None = None) -> dict[str, Any]:  # fmt: skip
        """The entity with its facts in time order (with `limit`: one page and `facts_total`)."""
        return await ops.entity(_may(request, bank), name, offset, limit)

    @r.get("/banks/{bank}/merges")
    async def merges(bank: str, request: Request, entity: str) -> dict[str, Any]:
        """The merge log of an entity: merges into it (or out of it), newest first."""
        return await ops.merges(_may(request, bank), entity)

    @r.get("/banks/{bank}/supersessions")
    async def supersessions(bank: str, request: Request, entity: str,
                            limit: Limit = 50) -> dict[str, Any]:  # fmt: skip
        """An entity's superseded facts, newest first, each with the fact that replaced it."""
        return await ops.supersessions(_may(request, bank), entity, limit)

    @r.get("/banks/{bank}/neighbourhood")
    async def neighbourhood(bank: str, request: Request, entity: str,
                            limit: Annotated[int, Query(ge=1, le=100)] = 12) -> dict[str, Any]:  # fmt: skip
        """An entity and the entities it shares the most facts with (graph nodes and edges)."""
        return await ops.neighbourhood(_may(request, bank), entity, limit)

    @r.get("/banks/{bank}/beliefs")
    async def beliefs(bank: str, request: Request, topic: str | None = None,
                      offset: Offset = 0, limit: Limit | None = None,
                      points: Annotated[int | None, Query(ge=1, le=MAX_POINTS)] = None
                      ) -> dict[str, Any]:  # fmt: skip
        """Beliefs with their history (with `limit`: one page, `points` newest entries each)."""
        return await ops.beliefs(_may(request, bank), topic, offset, limit, points)

    @r.get("/banks/{bank}/timeline")
    async def timeline(bank: str, request: Request, entity: str | None = None,
                       topic: str | None = None) -> dict[str, Any]:  # fmt: skip
        return await ops.timeline(_may(request, bank), entity, topic)


def _edit_routes(r: APIRouter, ops: Any) -> None:
    @r.delete("/banks/{bank}/sources/{source:path}")
    async def forget_source(bank: str, source: str, request: Request) -> dict[str, Any]:
        return await ops.forget(_may(request, bank, True), source=source)

    @r.delete("/banks/{bank}/facts/{fact}")
    async def forget_fact(bank: str, fact: str, request: Request) -> dict[str, Any]:
        return await ops.forget(_may(request, bank, True), fact=fact)

    @r.delete("/banks/{bank}/entities/{name:path}")
    async def forget_entity(bank: str, name: str, request: Request) -> dict[str, Any]:
        return await ops.forget(_may(request, bank, True), entity=name)

    @r.post("/banks/{bank}/episodes/forget")
    async def forget_episodes(bank: str, body: EpisodesIn, request: Request) -> dict[str, Any]:
        return await ops.forget_episodes(_may(request, bank, True), body.ids)

    @r.post("/banks/{bank}/ingest/versions")
    async def ingest_versions(bank: str, body: UnitsIn, request: Request) -> dict[str, Any]:
        return await ops.ingest_versions(_may(request, bank), body.units)

    @r.put("/banks/{bank}/ingest/units")
    async def ingest_record(bank: str, body: UnitRecordIn, request: Request) -> dict[str, Any]:
        return await ops.ingest_record(_may(request, bank, True), body.unit, body.content_hash,
                                       body.sources, body.episode_ids, body.replaces)  # fmt: skip

    @r.post("/banks/{bank}/merge")
    async def merge(bank: str, body: MergeIn, request: Request) -> dict[str, Any]:
        return await ops.merge(_may(request, bank, True), body.keep, body.merge)

    @r.post("/banks/{bank}/split")
    async def split(bank: str, body: SplitIn, request: Request) -> dict[str, Any]:
        return await ops.split(_may(request, bank, True), body.name)


def _run_routes(r: APIRouter, ops: Any) -> None:
    @r.post("/banks/{bank}/ask")
    async def ask(bank: str, body: AskIn, request: Request) -> dict[str, Any]:
        return await ops.ask(_may(request, bank, True), body.question, body.thread,
                             body.attachments, body.now)  # fmt: skip

    @r.post("/rlm")
    async def rlm(body: RlmIn, request: Request) -> dict[str, Any]:
        bank = body.bank or _who(request).bank or "default"
        return await ops.rlm(_may(request, bank, True), body.query, body.path, body.budget,
                             body.consolidate)  # fmt: skip

    @r.get("/traces")
    async def traces(request: Request, offset: Offset = 0,
                     limit: Annotated[int, Query(ge=1, le=MAX_TRACES)] = 50) -> dict[str, Any]:  # fmt: skip
        """RLM runs of the token's bank (`--local`: every run), newest first, one page."""
        return await ops.traces(_who(request).bank, offset, limit)

    @r.get("/traces/{trace_id}")
    async def trace(trace_id: str, request: Request, events: bool = True) -> dict[str, Any]:
        """One run: its summary, its tree with totals per subtree and (`events`) its events."""
        return await ops.trace(trace_id, _who(request).bank, events)
