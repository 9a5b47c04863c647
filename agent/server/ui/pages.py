"""The pages and fragments of the web UI, each a view of `EngramOps` calls (the same operations
REST and MCP offer): nothing here reads memory or traces any other way.

    /                   search (recall) with explain, time range and as-of filters; ?q= runs it
    /entities           entities by name, one page; /entities/{name} the entity card
    /beliefs            beliefs with their confidence over time
    /traces             RLM runs; /traces/{run_id} one run as a tree with costs
    /ui/fragments/...   the parts the page's script swaps in (hits, facts, trace nodes)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from agent.server.auth import LOCAL, Principal, authorize
from agent.server.errors import BadRequest, ServerError, error_for
from agent.server.mcp_tools import PRINCIPAL_SCOPE_KEY
from agent.server.ops import LAYERS, MAX_K
from agent.server.ui import present
from agent.server.ui.render import Renderer
from memory.explore import MAX_POINTS

__all__ = ["Pages", "Ctx", "FACTS_PAGE", "ENTITIES_PAGE", "BELIEFS_PAGE", "TRACES_PAGE"]

log = logging.getLogger("engram.server")
FACTS_PAGE = 50
ENTITIES_PAGE = 50
BELIEFS_PAGE = 5
POINTS = 100  # history points per belief on the page (?points= up to MAX_POINTS)
TRACES_PAGE = 50
NEIGHBOURS = 12
NAV = [("/", "Search"), ("/entities", "Entities"), ("/beliefs", "Beliefs"), ("/traces", "Traces")]

Ctx = dict[str, Any]


def _int(request: Request, key: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(key, "")
    if raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(f"invalid {key}: {raw!r} is not a whole number from {low} to {high}")
    return int(raw)


def _text(request: Request, key: str) -> str | None:
    value = request.query_params.get(key, "").strip()
    return value or None


def who(request: Request) -> Principal:
    return request.scope.get(PRINCIPAL_SCOPE_KEY, LOCAL)


class Pages:
    """The page handlers over `ops`, rendered by `renderer`."""

    def __init__(self, ops: Any, renderer: Renderer, csrf: str) -> None:
        self.ops = ops
        self.r = renderer
        self.csrf = csrf

    # -- common ----------------------------------------------------------------------------
    async def context(self, request: Request, section: str) -> Ctx:
        """What every page shows: the banks the caller reaches and the one chosen."""
        found = (await self.ops.banks(who(request).bank))["banks"]
        names = [b["bank"] for b in found]
        chosen = _text(request, "bank") or ("default" if "default" in names or not names
                                             else names[0])  # fmt: skip
        if chosen not in names:
            found = [*found, {"bank": chosen, "episodes": 0, "facts": 0}]
        authorize(who(request), chosen, write=False)
        return {"bank": chosen, "banks": found, "section": section, "nav": NAV,
                "here": request.url.path, "csrf": self.csrf,
                "notice": _text(request, "notice")}  # fmt: skip

    async def guarded(self, request: Request, section: str, template: str,
                      work: Callable[[Ctx], Awaitable[Ctx | Response]]) -> Response:  # fmt: skip
        """Render `template` with what `work` adds to the page context (or send the response
        it made); an expected failure is the page with its message (and status), never a
        blank page or a traceback."""
        ctx: Ctx = {"bank": _text(request, "bank") or "default", "banks": [], "nav": NAV,
                    "section": section, "here": request.url.path, "csrf": self.csrf}  # fmt: skip
        try:
            ctx = await self.context(request, section)
            out = await work(ctx)
            return out if isinstance(out, Response) else self.r.html(template, **{**ctx, **out})
        except Exception as exc:
            known = error_for(exc)
            if known is None:
                log.exception("unexpected error in a UI page")
                known = ServerError(f"unexpected {type(exc).__name__}: {exc} (see the server log)")
            fragment = request.url.path.startswith("/ui/fragments/")
            return self.r.html("error_fragment.html" if fragment else "error.html",
                               status=known.status, error=known.message, **ctx)  # fmt: skip

    # -- search ----------------------------------------------------------------------------
    def _search_args(self, request: Request) -> Ctx:
        layers = [x for x in request.query_params.getlist("layers") if x]
        return {"q": request.query_params.get("q", ""), "k": _int(request, "k", 10, 1, MAX_K),
                "explain": request.query_params.get("explain") in ("1", "on", "true"),
                "as_of": _text(request, "as_of"), "start": _text(request, "start"),
                "end": _text(request, "end"), "layers": layers, "all_layers": LAYERS}  # fmt: skip

    async def _hits(self, ctx: Ctx, args: Ctx) -> Ctx:
        if not args["q"].strip():
            return {**args, "hits": None}
        doc = await self.ops.recall(ctx["bank"], args["q"], args["k"], args["as_of"],
                                    args["start"], args["end"], args["layers"] or None,
                                    args["explain"])  # fmt: skip
        return {**args, "hits": doc["hits"]}

    async def search(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            return await self._hits(ctx, self._search_args(request))

        return await self.guarded(request, "/", "search.html", work)

    async def hits_fragment(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            return await self._hits(ctx, self._search_args(request))

        return await self.guarded(request, "/", "_hits.html", work)

    # -- entities --------------------------------------------------------------------------
    async def entities(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            prefix = _text(request, "prefix")
            offset = _int(request, "offset", 0, 0, 10**9)
            doc = await self.ops.entities(ctx["bank"], prefix, offset, ENTITIES_PAGE)
            return {"page": doc, "prefix": prefix or ""}

        return await self.guarded(request, "/entities", "entities.html", work)

    async def entity(self, request: Request, name: str) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            bank, offset = ctx["bank"], _int(request, "offset", 0, 0, 10**9)
            card = await self.ops.entity(bank, name, offset, FACTS_PAGE)
            if card.get("status", "resolved") != "resolved":
                return {"card": card, "name": name}
            merges = (await self.ops.merges(bank, card["name"]))["merges"]
            pairs = (await self.ops.supersessions(bank, card["name"]))["supersessions"]
            graph = await self.ops.neighbourhood(bank, card["name"], NEIGHBOURS)
            return {"card": card, "name": name, "merges": merges, "graph": graph,
                    "chains": present.chains(pairs), "offset": offset,
                    "page_size": FACTS_PAGE}  # fmt: skip

        return await self.guarded(request, "/entities", "entity.html", work)

    async def facts_fragment(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            name = _text(request, "name") or ""
            offset = _int(request, "offset", 0, 0, 10**9)
            card = await self.ops.entity(ctx["bank"], name, offset, FACTS_PAGE)
            return {"card": card, "offset": offset, "page_size": FACTS_PAGE}

        return await self.guarded(request, "/entities", "_facts.html", work)

    # -- beliefs ---------------------------------------------------------------------------
    async def beliefs(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            topic = _text(request, "topic")
            offset = _int(request, "offset", 0, 0, 10**9)
            points = _int(request, "points", POINTS, 1, MAX_POINTS)
            doc = await self.ops.beliefs(ctx["bank"], topic, offset, BELIEFS_PAGE, points)
            for n, b in enumerate(doc["beliefs"]):
                b["anchor"] = f"b{offset + n}"
                b["points"] = present.chart_points(b, b["anchor"])
            return {"page": doc, "topic": topic or "", "points": points,
                    "max_points": MAX_POINTS}  # fmt: skip

        return await self.guarded(request, "/beliefs", "beliefs.html", work)

    # -- traces ----------------------------------------------------------------------------
    async def traces(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            offset = _int(request, "offset", 0, 0, 10**9)
            return {"page": await self.ops.traces(who(request).bank, offset, TRACES_PAGE)}

        return await self.guarded(request, "/traces", "traces.html", work)

    async def trace(self, request: Request, run_id: str) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            doc = await self.ops.trace(run_id, who(request).bank, False)
            return {"run": doc, "tree": doc["tree"], "max_children": present.MAX_CHILDREN}

        return await self.guarded(request, "/traces", "trace.html", work)

    async def nodes_fragment(self, request: Request) -> Response:
        async def work(ctx: Ctx) -> Ctx:
            run_id, node_id = _text(request, "run") or "", _text(request, "node") or ""
            offset = _int(request, "offset", 0, 0, 10**9)
            doc = await self.ops.trace(run_id, who(request).bank, False)
            node, depth = present.find_node(doc["tree"], node_id)
            if node is None:
                raise BadRequest(f"run {run_id!r} has no node {node_id!r}")
            kids, left = present.child_slice(node, offset)
            return {"run": doc, "parent": node, "kids": kids, "left": left, "depth": depth,
                    "offset": offset + len(kids), "max_children": present.MAX_CHILDREN}  # fmt: skip

        return await self.guarded(request, "/traces", "_nodes.html", work)
