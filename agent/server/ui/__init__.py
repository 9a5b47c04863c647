"""The web UI of `engram serve --local`: server-rendered pages (Jinja2 templates in
`templates/`) with a small script (`static/engram.js`) and vendored libraries (`static/vendor/`:
cytoscape for the entity graph, uPlot for belief charts), all served by the server itself.

    app = create_app(ops, tokens=None, ui=ui_router(ops))      # engram serve --local

Every page is a view of `EngramOps` calls (agent.server.ops), the operations REST and MCP
offer too. The UI goes through the server's guard like any route: with `--local` it answers
only loopback names and pages. A server with tokens shows `notice_router()` at / instead.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

__all__ = ["ui_router", "notice_router"]


def ui_router(ops: Any) -> APIRouter:
    """The pages, fragments, actions and static files of the UI over `ops`."""
    from agent.server.ui.actions import Actions
    from agent.server.ui.pages import Pages
    from agent.server.ui.render import STATIC_PREFIX, Renderer

    renderer = Renderer()
    pages = Pages(ops, renderer, csrf=secrets.token_urlsafe(32))
    actions = Actions(pages)
    r = APIRouter(include_in_schema=False)
    get: dict[str, Callable[..., Any]] = {"/": pages.search, "/ui/fragments/hits": pages.hits_fragment,
           "/entities": pages.entities, "/entities/{name:path}": pages.entity,
           "/ui/fragments/facts": pages.facts_fragment, "/beliefs": pages.beliefs,
           "/traces": pages.traces, "/traces/{run_id}": pages.trace,
           "/ui/fragments/nodes": pages.nodes_fragment, "/ui/confirm": actions.confirm}  # fmt: skip
    for path, handler in get.items():
        r.add_api_route(path, handler, methods=["GET"], response_class=HTMLResponse)

    @r.post("/ui/actions/{action}", response_class=HTMLResponse)
    async def act(action: str, request: Request) -> Response:
        return await actions.act(request, action)

    @r.get(STATIC_PREFIX + "{path:path}")
    async def static(path: str) -> Response:
        return renderer.asset(STATIC_PREFIX + path)

    return r


def notice_router() -> APIRouter:
    """/ of a server with tokens: the UI needs `--local` (browsers send no bearer token)."""
    r = APIRouter(include_in_schema=False)

    @r.get("/", response_class=HTMLResponse)
    async def index() -> str:
        return ("<!doctype html><html lang=en><meta charset=utf-8><title>engram</title>"
                "<p>This engram server uses bank tokens; its web UI runs with "
                "<code>engram serve --local</code> (loopback only). REST is under "
                "<code>/v1</code>, MCP at <code>/mcp</code>.</p>")  # fmt: skip

    return r
