"""The ASGI app of `engram serve`: /health, REST under /v1, MCP (streamable HTTP) at /mcp, and
room for the web UI at / (a router passed as `ui`), behind one `Guard` (auth, body size,
per-token concurrency).

    app = create_app(LocalOps(engram), tokens=TokenStore(db), config=ServerConfig())
    uvicorn.run(app, host="127.0.0.1", port=8765)

`tokens=None` serves without auth (`engram serve --local`, loopback only).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent.server.auth import TokenStore
from agent.server.errors import BadRequest, Forbidden, NotFoundError, ServerError, error_for
from agent.server.limits import Guard, is_loopback
from agent.server.mcp_tools import build_mcp
from agent.server.rest import rest_router

__all__ = ["ServerConfig", "create_app", "is_loopback", "DISCOVERY_FILE", "read_discovery"]

DISCOVERY_FILE = "server.json"  # under ENGRAM_HOME while `engram serve` runs
log = logging.getLogger("engram.server")


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    max_body: int = 4 * 1024 * 1024  # bytes of one request body
    max_in_flight: int = 16  # requests one token may have running at once
    home: Path | None = None  # where the discovery file goes (ENGRAM_HOME)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def _json_error(err: ServerError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="engram"'} if err.status == 401 else None
    return JSONResponse(err.to_wire(), status_code=err.status, headers=headers)


def _validation_message(exc: RequestValidationError) -> ServerError:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return BadRequest("the request body is not valid JSON; nothing was stored")
    parts = [f"{'.'.join(str(x) for x in e.get('loc', ()) if x != 'body') or 'body'}: "
             f"{e.get('msg')}" for e in errors[:5]]  # fmt: skip
    return BadRequest(f"invalid request ({'; '.join(parts)}); nothing was stored")


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _json_error(_validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: NotFoundError, 403: Forbidden}.get(exc.status_code, BadRequest)
        err = kind(str(exc.detail))
        err.status = exc.status_code
        return _json_error(err)

    @app.exception_handler(Exception)
    async def any_error(_: Request, exc: Exception) -> JSONResponse:
        known = error_for(exc)
        if known is None:
            log.exception("unexpected error")
            known = ServerError(f"unexpected {type(exc).__name__}: {exc} (see the server log)")
        return _json_error(known)


def _discovery(config: ServerConfig, auth: bool) -> contextlib.AbstractContextManager[None]:
    """Write ENGRAM_HOME/server.json while serving, so `engram mcp` can find this server."""

    @contextlib.contextmanager
    def written() -> Any:
        if config.home is None:
            yield
            return
        path = config.home / DISCOVERY_FILE
        path.write_text(json.dumps({"url": config.url, "pid": os.getpid(), "auth": auth}))
        try:
            yield
        finally:
            if (read_discovery(config.home) or {}).get("pid") == os.getpid():
                path.unlink(missing_ok=True)

    return written()


def read_discovery(home: Path) -> dict[str, Any] | None:
    """{"url", "pid", "auth"} of the `engram serve` running on `home`, if one said so."""
    try:
        doc = json.loads((Path(home) / DISCOVERY_FILE).read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("url"), str) else None


def create_app(
    ops: Any,
    *,
    tokens: TokenStore | None,
    config: ServerConfig | None = None,
    ui: Any = None,
    public_paths: Sequence[str] = (),
    on_shutdown: Callable[[], None] | None = None,
) -> Any:
    """The guarded ASGI app. `ui` (an APIRouter) is mounted last, at /; `public_paths` are
    served without a token besides /health (for the UI's static files)."""
    config = config or ServerConfig()
    mcp = build_mcp(ops)
    mcp_app = mcp.streamable_http_app(streamable_http_path="/mcp", host=config.host)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        with _discovery(config, tokens is not None):
            async with mcp.session_manager.run():
                try:
                    yield
                finally:
                    if on_shutdown is not None:
                        on_shutdown()

    app = FastAPI(title="engram", version="0.1.0", lifespan=lifespan,
                  description="Persistent, time-aware agent memory + an RLM engine.")  # fmt: skip
    _install_errors(app)

    @app.get("/health")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "auth": tokens is not None}

    app.include_router(rest_router(ops))
    app.router.routes.extend(mcp_app.routes)  # POST/GET/DELETE /mcp (the SDK's endpoint)
    if ui is not None:
        app.include_router(ui)
    return Guard(app, tokens=tokens, max_body=config.max_body, max_in_flight=config.max_in_flight,
                 public=("/health", *public_paths))  # fmt: skip
