"""A client of a running `engram serve` (ENGRAM_URL, ENGRAM_TOKEN).

- `EngramClient(url, token)`: the REST API as async methods returning its JSON, the same
  methods as `agent.server.ops.EngramOps`, so `engram mcp` can put its MCP tools in front of a
  server exactly as in front of a local memory;
- `RemoteMemory(client)`: the part of the `Memory` facade the CLI and ingestion use (`aretain`,
  `aretain_many`, `arecall`, `aentity`, `abeliefs`, `aforget`, `amerge`, `asplit`), over it.

Each call opens its own connection (the CLI runs one event loop per command); errors are
`agent.server.errors.ServerError`s carrying the server's message.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from agent.server.errors import BadRequest, NotFoundError, Unreachable, from_wire

__all__ = [
    "EngramClient",
    "RemoteMemory",
    "RemoteRetained",
    "RemoteIngestState",
    "hit_from_dict",
    "BATCH_ITEMS",
    "BATCH_CHARS",
]

BATCH_ITEMS = 500  # memories per batch request
BATCH_CHARS = 1_000_000  # text per batch request (the server's default body limit is 4 MiB)
MEMORY_TIMEOUT = 300.0  # seconds for a memory call (a batch embeds its texts)
RUN_TIMEOUT = 3600.0  # ask and rlm: the server bounds them itself


def _p(part: str) -> str:
    return quote(str(part), safe="")


def _body(r: httpx.Response) -> dict[str, Any]:
    try:
        body = r.json()
    except ValueError:
        body = r.text
    if r.status_code >= 400:
        raise from_wire(r.status_code, body)
    return body if isinstance(body, dict) else {"result": body}


class EngramClient:
    def __init__(self, url: str, token: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token

    async def _request(self, method: str, path: str, *, json: Any = None,
                       params: Any = None, timeout: float = MEMORY_TIMEOUT) -> dict[str, Any]:  # fmt: skip
        try:
            async with httpx.AsyncClient(**self._options(timeout)) as c:
                r = await c.request(method, path, json=json, params=params)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        return _body(r)

    def request_sync(self, method: str, path: str, *, json: Any = None) -> dict[str, Any]:
        """The same request from synchronous code (the ingest state, read between retains)."""
        try:
            with httpx.Client(**self._options(MEMORY_TIMEOUT)) as c:
                r = c.request(method, path, json=json)
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        return _body(r)

    def _options(self, timeout: float) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {"base_url": self.url, "headers": headers,
                "timeout": httpx.Timeout(timeout, connect=10.0)}  # fmt: skip

    def _unreachable(self, exc: Exception) -> Unreachable:
        return Unreachable(f"cannot reach engram serve at {self.url} ({type(exc).__name__}: "
                           f"{exc}); is it running? (ENGRAM_URL)")  # fmt: skip

    def _bank(self, bank: str) -> str:
        return f"/v1/banks/{_p(bank)}"

    async def health(self) -> dict[str, Any]:
        return await self._request("GET", "/health", timeout=10.0)

    async def whoami(self) -> dict[str, Any]:
        return await self._request("GET", "/v1/whoami", timeout=30.0)

    async def banks(self, only: str | None = None) -> dict[str, Any]:
        return await self._request("GET", "/v1/banks")

    async def remember(self, bank: str, text: str, at: str | None = None,
                       source: str | None = None, metadata: dict[str, Any] | None = None
                       ) -> dict[str, Any]:  # fmt: skip
        body = {"text": text, "at": at, "source": source, "metadata": metadata}
        return await self._request("POST", f"{self._bank(bank)}/memories", json=body)

    async def remember_many(self, bank: str, items: list[dict[str, Any]]) -> dict[str, Any]:
        return await self._request("POST", f"{self._bank(bank)}/memories/batch",
                                   json={"items": items})  # fmt: skip

    async def recall(self, bank: str, query: str, k: int = 10, as_of: str | None = None,
                     start: str | None = None, end: str | None = None,
                     layers: Sequence[str] | None = None, explain: bool = False,
                     now: str | None = None) -> dict[str, Any]:  # fmt: skip
        params: dict[str, Any] = {"q": query, "k": k, "as_of": as_of, "start": start,
                                  "end": end, "layers": list(layers or []) or None,
                                  "now": now}  # fmt: skip
        if explain:
            params["explain"] = "true"
        params = {k: v for k, v in params.items() if v is not None}
        return await self._request("GET", f"{self._bank(bank)}/recall", params=params)

    async def entities(self, bank: str, prefix: str | None = None, offset: int = 0,
                       limit: int = 50) -> dict[str, Any]:  # fmt: skip
        params = _given(prefix=prefix, offset=offset, limit=limit)
        return await self._request("GET", f"{self._bank(bank)}/entities", params=params)

    async def entity(self, bank: str, name: str, offset: int = 0,
                     limit: int | None = None) -> dict[str, Any]:  # fmt: skip
        params = _given(offset=offset if limit is not None else None, limit=limit)
        return await self._request("GET", f"{self._bank(bank)}/entities/{_p(name)}",
                                   params=params)  # fmt: skip

    async def merges(self, bank: str, entity: str) -> dict[str, Any]:
        return await self._request("GET", f"{self._bank(bank)}/merges", params={"entity": entity})

    async def supersessions(self, bank: str, entity: str, limit: int = 50) -> dict[str, Any]:
        return await self._request("GET", f"{self._bank(bank)}/supersessions",
                                   params={"entity": entity, "limit": limit})  # fmt: skip

    async def neighbourhood(self, bank: str, entity: str, limit: int = 12) -> dict[str, Any]:
        return await self._request("GET", f"{self._bank(bank)}/neighbourhood",
                                   params={"entity": entity, "limit": limit})  # fmt: skip

    async def beliefs(self, bank: str, topic: str | None = None, offset: int = 0,
                      limit: int | None = None, points: int | None = None
                      ) -> dict[str, Any]:  # fmt: skip
        params = _given(topic=topic or None, offset=offset if limit is not None else None,
                        limit=limit, points=points)  # fmt: skip
        return await self._request("GET", f"{self._bank(bank)}/beliefs", params=params)

    async def timeline(self, bank: str, entity: str | None = None,
                       topic: str | None = None) -> dict[str, Any]:  # fmt: skip
        params = {k: v for k, v in (("entity", entity), ("topic", topic)) if v}
        return await self._request("GET", f"{self._bank(bank)}/timeline", params=params)

    async def forget(self, bank: str, source: str | None = None, fact: str | None = None,
                     entity: str | None = None) -> dict[str, Any]:  # fmt: skip
        given = [(k, v) for k, v in (("sources", source), ("facts", fact),
                                     ("entities", entity)) if v is not None]  # fmt: skip
        if len(given) != 1:
            raise BadRequest("invalid forget: give exactly one of source, fact, entity")
        kind, value = given[0]
        return await self._request("DELETE", f"{self._bank(bank)}/{kind}/{_p(value)}")

    async def forget_episodes(self, bank: str, ids: Sequence[str]) -> dict[str, Any]:
        return await self._request("POST", f"{self._bank(bank)}/episodes/forget",
                                   json={"ids": list(ids)})  # fmt: skip

    async def merge(self, bank: str, keep: str, merge: str) -> dict[str, Any]:
        body = {"keep": keep, "merge": merge}
        return await self._request("POST", f"{self._bank(bank)}/merge", json=body)

    async def split(self, bank: str, name: str) -> dict[str, Any]:
        return await self._request("POST", f"{self._bank(bank)}/split", json={"name": name})

    async def ask(self, bank: str, question: str, thread: str = "default",
                  attachments: Sequence[str] = (), now: str | None = None
                  ) -> dict[str, Any]:  # fmt: skip
        body: dict[str, Any] = {"question": question, "thread": thread,
                                "attachments": list(attachments)}  # fmt: skip
        if now is not None:
            body["now"] = now
        return await self._request("POST", f"{self._bank(bank)}/ask", json=body,
                                   timeout=RUN_TIMEOUT)  # fmt: skip

    async def rlm(self, bank: str, query: str, path: str, budget: dict[str, Any] | None = None,
                  consolidate: bool = True) -> dict[str, Any]:  # fmt: skip
        body = {"bank": bank, "query": query, "path": path, "budget": budget or {},
                "consolidate": consolidate}  # fmt: skip
        return await self._request("POST", "/v1/rlm", json=body, timeout=RUN_TIMEOUT)

    async def traces(self, bank: str | None = None, offset: int = 0,
                     limit: int = 50) -> dict[str, Any]:  # fmt: skip
        return await self._request("GET", "/v1/traces", params={"offset": offset, "limit": limit})

    async def trace(self, trace_id: str, bank: str | None = None,
                    events: bool = True) -> dict[str, Any]:  # fmt: skip
        return await self._request("GET", f"/v1/traces/{_p(trace_id)}",
                                   params={"events": "true" if events else "false"})  # fmt: skip


def _given(**params: Any) -> dict[str, Any] | None:
    """Query parameters without the ones left out (None)."""
    return {k: v for k, v in params.items() if v is not None} or None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def hit_from_dict(d: dict[str, Any]) -> Any:
    """A `memory.models.Hit` back from its JSON (`Hit.to_dict`)."""
    from memory.models import Hit

    names = {f.name for f in dataclasses.fields(Hit)}
    kw = {k: v for k, v in d.items() if k in names}
    for k in ("when", "when_end", "mentioned_at", "invalidated_at"):
        kw[k] = datetime.fromisoformat(kw[k]) if kw.get(k) else None
    if kw.get("span") is not None:
        kw["span"] = tuple(kw["span"])
    return Hit(**kw)


def _item(b: Any) -> dict[str, Any]:
    if isinstance(b, str):
        d: dict[str, Any] = {"text": b}
    elif dataclasses.is_dataclass(b) and not isinstance(b, type):
        d = dataclasses.asdict(b)
    else:
        d = dict(b)
    return {"text": d.get("text"), "at": _iso(d.get("mentioned_at")), "source": d.get("source"),
            "metadata": d.get("metadata"), "bank": d.get("bank") or "default"}  # fmt: skip


def _chunks(items: list[dict[str, Any]]) -> Iterable[list[dict[str, Any]]]:
    part: list[dict[str, Any]] = []
    size = 0
    for it in items:
        n = len(str(it.get("text") or ""))
        if part and (len(part) >= BATCH_ITEMS or size + n > BATCH_CHARS):
            yield part
            part, size = [], 0
        part.append(it)
        size += n
    if part:
        yield part


class RemoteRetained:
    """One retain result as the server returned it, read like `memory.retain.RetainResult`
    (`.episode_id`, `.fact_ids`, ...) and exported as its JSON (`to_dict`)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = dict(data)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.data)


class RemoteIngestState:
    """`storage.ingest_state.IngestState`'s methods the ingest pipeline calls, kept by the
    server in the memory's own database (so every client of it shares one ingest state)."""

    def __init__(self, client: EngramClient) -> None:
        self.client = client

    def is_done(self, bank: str, unit: str, content_hash: str) -> bool:
        return any(v.content_hash == content_hash for v in self.versions(bank, [unit]))

    def versions(self, bank: str, units: Sequence[str]) -> list[Any]:
        from storage.schema import IngestedUnit

        if not units:
            return []
        doc = self.client.request_sync("POST", f"{self.client._bank(bank)}/ingest/versions",
                                       json={"units": list(units)})  # fmt: skip
        return [IngestedUnit.model_validate(v) for v in doc["versions"]]

    def record(self, bank: str, unit: str, content_hash: str, *, sources: Sequence[str],
               episode_ids: Sequence[str], replaces: Sequence[str] = ()) -> None:  # fmt: skip
        body = {"unit": unit, "content_hash": content_hash, "sources": list(sources),
                "episode_ids": list(episode_ids), "replaces": list(replaces)}  # fmt: skip
        self.client.request_sync("PUT", f"{self.client._bank(bank)}/ingest/units", json=body)


class RemoteMemory:
    """The `Memory` facade's methods the CLI and ingestion call, through `EngramClient`."""

    def __init__(self, client: EngramClient) -> None:
        self.client = client

    async def aretain(self, text: str, mentioned_at: Any = None, source: str | None = None,
                      bank: str = "default", metadata: dict[str, Any] | None = None
                      ) -> dict[str, Any]:  # fmt: skip
        return await self.client.remember(bank, text, _iso(mentioned_at), source, metadata)

    async def aretain_many(self, batch: Iterable[Any], **_: Any) -> list[RemoteRetained]:
        items = [_item(b) for b in batch]
        out: list[dict[str, Any]] = []
        for bank in dict.fromkeys(i["bank"] for i in items):
            mine = [{k: v for k, v in i.items() if k != "bank"} for i in items if i["bank"] == bank]
            for part in _chunks(mine):
                out += (await self.client.remember_many(bank, part))["results"]
        return [RemoteRetained(d) for d in out]

    async def aforget_episodes(self, episode_ids: Sequence[str], *,
                               bank: str = "default") -> dict[str, Any]:  # fmt: skip
        return await self.client.forget_episodes(bank, episode_ids)

    async def arecall(self, query: str, *, bank: str = "default", k: int = 10,
                      time_range: Any = None, as_of: Any = None,
                      layers: Sequence[str] | None = None, explain: bool = False,
                      now: Any = None, **_: Any) -> list[Any]:  # fmt: skip
        start = _iso(getattr(time_range, "start", None))
        end = _iso(getattr(time_range, "end", None))
        doc = await self.client.recall(bank, query, k, _iso(as_of), start, end, layers, explain,
                                       _iso(now))  # fmt: skip
        return [hit_from_dict(h) for h in doc["hits"]]

    async def aentity(self, name: str, bank: str = "default") -> dict[str, Any] | None:
        try:
            return await self.client.entity(bank, name)
        except NotFoundError:
            return None

    async def abeliefs(self, topic: str | None = None, bank: str = "default") -> list[Any]:
        return list((await self.client.beliefs(bank, topic))["beliefs"])

    async def aforget(self, fact: str | None = None, *, source: str | None = None,
                      entity: str | None = None, everything: bool = False,
                      bank: str = "default") -> dict[str, Any]:  # fmt: skip
        if everything:
            raise BadRequest("forgetting a whole bank is not offered through engram serve; "
                             "stop the server and run `engram forget --all` on its machine")  # fmt: skip
        return await self.client.forget(bank, source=source, fact=fact, entity=entity)

    async def amerge(self, keep: str, merge: str, bank: str = "default") -> dict[str, Any]:
        return await self.client.merge(bank, keep, merge)

    async def asplit(self, name: str, bank: str = "default") -> dict[str, Any]:
        return await self.client.split(bank, name)
