"""ASGI guards in front of every route of `engram serve`: who is calling (bearer token, or the
local user with `--local`), how big a request body may be, and how many requests one token may
have in flight. Each refusal is one JSON error (`{"error": {"code", "message"}}`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import unquote

from agent.server.auth import LOCAL, Principal, TokenStore, authorize, bearer_token
from agent.server.errors import Busy, Forbidden, ServerError, TooLarge
from agent.server.mcp_tools import PRINCIPAL_SCOPE_KEY

__all__ = ["Guard", "send_error", "is_loopback"]

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
_BANK_PATH = re.compile(r"^/v1/banks/([^/]+)(?:/|$)")


async def send_error(send: Any, err: ServerError) -> None:
    body = json.dumps(err.to_wire()).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if err.status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="engram"'))
    if err.status == 429:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": err.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_loopback_name(netloc: str) -> bool:
    host = netloc.rsplit("@", 1)[-1]
    bracketed = host.startswith("[") and "]" in host
    return is_loopback(host[1 : host.index("]")] if bracketed else host.split(":")[0])


def _local_only(scope: dict[str, Any]) -> None:
    """Without tokens, answer only requests addressed to a loopback name and, if a browser sent
    an Origin, from a loopback page: a web page elsewhere (or a DNS name rebound to 127.0.0.1)
    must not reach the memory."""
    headers = dict(scope.get("headers") or [])
    host = headers.get(b"host", b"").decode("latin-1")
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not _is_loopback_name(host):
        raise Forbidden(f"this server runs without tokens (--local) and answers only requests "
                        f"to 127.0.0.1, ::1 or localhost, not {host!r}")  # fmt: skip
    if origin and origin != "null" and not _is_loopback_name(origin.split("://", 1)[-1]):
        raise Forbidden(f"this server runs without tokens (--local); requests from the page "
                        f"{origin!r} are refused")  # fmt: skip


def _check_bank(who: Principal, scope: dict[str, Any]) -> None:
    """Routes under /v1/banks/{bank}/ are checked before their body is read: a GET reads, every
    other method writes (the routes check again, as the MCP tools do)."""
    m = _BANK_PATH.match(scope["path"])
    if m is not None:
        authorize(who, unquote(m[1]), write=scope["method"] not in ("GET", "HEAD"))


class Guard:
    """Authenticates (unless `tokens` is None: no auth), bounds the body, limits concurrency."""

    def __init__(self, app: ASGIApp, *, tokens: TokenStore | None, max_body: int,
                 max_in_flight: int, public: Iterable[str] = ("/health",)) -> None:  # fmt: skip
        self.app = app
        self.tokens = tokens
        self.max_body = max_body
        self.max_in_flight = max_in_flight
        self.public = set(public)
        self.in_flight: Counter[str] = Counter()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] in self.public:
            await self.app(scope, receive, send)
            return
        try:
            scope[PRINCIPAL_SCOPE_KEY] = who = await self._principal(scope)
            _check_bank(who, scope)
            if scope["method"] in _BODY_METHODS:
                receive = await self._buffered(scope, receive)
        except ServerError as err:
            await send_error(send, err)
            return
        if scope["method"] == "GET" and scope["path"].startswith("/mcp"):
            await self.app(scope, receive, send)  # the long-lived event stream is not counted
            return
        await self._counted(who, scope, receive, send)

    async def _principal(self, scope: dict[str, Any]) -> Principal:
        if self.tokens is None:
            _local_only(scope)
            return LOCAL
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"authorization")
        token = bearer_token(raw.decode("latin-1") if raw else None)
        return await asyncio.to_thread(self.tokens.verify, token)

    async def _buffered(self, scope: dict[str, Any], receive: Any) -> Any:
        """Read the whole body (refusing one over the limit) and hand it on in one message."""
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            raise TooLarge(f"request body of {int(declared)} bytes is over the limit of "
                           f"{self.max_body} bytes; nothing was stored")  # fmt: skip
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > self.max_body:
                raise TooLarge(f"request body over the limit of {self.max_body} bytes; "
                               "nothing was stored")  # fmt: skip
            if not message.get("more_body"):
                break
        body, sent = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return dict(await receive())

        return replay

    async def _counted(self, who: Principal, scope: dict[str, Any], receive: Any,
                       send: Any) -> None:  # fmt: skip
        if self.in_flight[who.id] >= self.max_in_flight:
            await send_error(send, Busy(f"this token already has {self.max_in_flight} requests "
                                        "in flight; retry when one has finished"))  # fmt: skip
            return
        self.in_flight[who.id] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight[who.id] -= 1
