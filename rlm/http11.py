"""A lean HTTP/1.1 client transport for the `openai` client, on asyncio protocols.

`OpenAILM` keeps the official client (its retries, errors, headers, auth) and swaps only what
moves bytes: the client's default stack (httpx → httpcore → h11 → anyio streams) spends ~2 ms of
CPU per chat call here, and when 16 concurrent sub-calls answer together those milliseconds queue
on one core before the next wave can go out (measured: ~1.1 ms of each call is that stack). This
transport writes each request in one ``send`` and parses the reply straight from the socket's
buffer: status line, headers, then a ``Content-Length``, chunked or until-close body.

What it does and does not do:

- keep-alive pool per origin (scheme, host, port); an idle connection the server closed is
  dropped before reuse, and a request whose reused connection dies before any reply byte is sent
  again once on a new connection (the server never saw it; urllib3 does the same);
- `preconnect(url, n)` opens up to n connections ahead of a burst (a batch of sub-calls);
- TLS through asyncio's ssl with the caller's context; timeouts from the request's
  ``timeout`` extension (connect, write, read between bytes, pool) raise httpx's exceptions, so the
  client maps and retries them as it always does;
- bodies are handed over undecoded: httpx decodes ``Content-Encoding`` when the client reads them;
- no HTTP/2, no proxies (with a proxy in the environment the client routes through its own
  proxy transports), no streaming of the body while it arrives (replies are read whole: chat
  completions here are never streamed).
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import Callable
from typing import Any

__all__ = ["LeanTransport", "make_lean_transport", "MAX_HEADER_BYTES"]

# the TLS context, or a function that makes it on the first https connection (loading the CA
# certificates takes ~30 ms that a plain-http local endpoint never needs)
SSLContextSource = ssl.SSLContext | Callable[[], ssl.SSLContext]
MAX_HEADER_BYTES = 64 * 1024  # a status line + headers longer than this is not a sane reply
_NO_BODY_STATUS = {204, 304}
_CRLF = b"\r\n"


class _StaleConnection(Exception):
    """A reused keep-alive connection died before the first byte of the reply."""


class _Conn(asyncio.Protocol):
    """One connection: buffers what arrives and wakes the request waiting for it."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.eof = False
        self.error: BaseException | None = None
        self.waiter: asyncio.Future[None] | None = None
        self.idled = False  # it waited in the pool (reused or opened ahead): it may be stale

    # -- asyncio.Protocol -------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buf += data
        self._wake()

    def eof_received(self) -> bool | None:
        self.eof = True
        self._wake()
        return None  # close our side too

    def connection_lost(self, exc: Exception | None) -> None:
        self.eof = True
        self.error = exc
        self._wake()

    def _wake(self) -> None:
        waiter = self.waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- used by the transport --------------------------------------------------------------
    @property
    def reusable(self) -> bool:
        t = self.transport
        return not self.eof and not self.buf and t is not None and not t.is_closing()

    async def more(self, timeout: float | None) -> None:
        """Wait until more bytes (or the end) arrive; at most `timeout` seconds between bytes."""
        if self.eof:
            raise _closed(self)
        self.waiter = asyncio.get_running_loop().create_future()
        try:
            await asyncio.wait_for(self.waiter, timeout)
        finally:
            self.waiter = None

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


def _closed(conn: _Conn) -> Exception:
    return ConnectionResetError(
        str(conn.error) if conn.error else "the server closed the connection"
    )


class _Reply:
    """A parsed reply: status, raw headers, body bytes and whether the connection may be reused."""

    __slots__ = ("status", "reason", "headers", "body", "keep_alive", "version")

    def __init__(self) -> None:
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""
        self.keep_alive = True
        self.version = b"HTTP/1.1"


async def _read_reply(conn: _Conn, method: bytes, timeout: float | None) -> _Reply:
    """Read one reply from `conn` (interim 1xx replies are skipped)."""
    while True:
        reply = await _read_head(conn, timeout)
        if not 100 <= reply.status < 200 or reply.status == 101:
            break
    if reply.status == 101:
        raise ValueError("the server switched protocols (101); not supported here")
    lower = {k.lower(): v for k, v in reply.headers}
    if method == b"HEAD" or reply.status in _NO_BODY_STATUS:
        return reply
    encoding = lower.get(b"transfer-encoding", b"").lower()
    if b"chunked" in encoding:
        reply.body = await _read_chunked(conn, timeout)
    elif b"content-length" in lower:
        try:
            length = int(lower[b"content-length"])
        except ValueError:
            raise ValueError(f"bad Content-Length: {lower[b'content-length']!r}") from None
        while len(conn.buf) < length:
            if conn.eof:
                raise ValueError(f"the reply ended after {len(conn.buf)} of {length} bytes")
            await conn.more(timeout)
        reply.body = bytes(conn.buf[:length])
        del conn.buf[:length]
    else:  # no framing: the body runs until the server closes the connection
        while not conn.eof:
            await conn.more(timeout)
        reply.body, reply.keep_alive = bytes(conn.buf), False
        conn.buf.clear()
    return reply


async def _read_head(conn: _Conn, timeout: float | None) -> _Reply:
    while True:
        end = conn.buf.find(b"\r\n\r\n")
        if end >= 0:
            break
        if len(conn.buf) > MAX_HEADER_BYTES:
            raise ValueError(f"the reply's headers are longer than {MAX_HEADER_BYTES} bytes")
        if conn.eof:
            if not conn.buf and conn.idled:
                raise _StaleConnection()
            raise ValueError("the server closed the connection before a complete reply")
        await conn.more(timeout)
    head = bytes(conn.buf[:end])
    del conn.buf[: end + 4]
    lines = head.split(_CRLF)
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise ValueError(f"not an HTTP reply: {lines[0][:80]!r}")
    reply = _Reply()
    reply.version, reply.status = parts[0], int(parts[1])
    reply.reason = parts[2] if len(parts) > 2 else b""
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep:
            raise ValueError(f"malformed header line: {line[:80]!r}")
        reply.headers.append((name.strip(), value.strip()))
    connection = b",".join(v for k, v in reply.headers if k.lower() == b"connection").lower()
    if b"close" in connection or (reply.version == b"HTTP/1.0" and b"keep-alive" not in connection):
        reply.keep_alive = False
    return reply


async def _read_chunked(conn: _Conn, timeout: float | None) -> bytes:
    body = bytearray()
    while True:
        line = await _read_line(conn, timeout)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise ValueError(f"bad chunk size: {size_text[:20]!r}") from None
        if size == 0:
            while await _read_line(conn, timeout):  # trailers, up to the empty line
                pass
            return bytes(body)
        while len(conn.buf) < size + 2:
            if conn.eof:
                raise ValueError("the reply ended inside a chunk")
            await conn.more(timeout)
        body += conn.buf[:size]
        del conn.buf[: size + 2]


async def _read_line(conn: _Conn, timeout: float | None) -> bytes:
    while True:
        end = conn.buf.find(_CRLF)
        if end >= 0:
            line = bytes(conn.buf[:end])
            del conn.buf[: end + 2]
            return line
        if len(conn.buf) > MAX_HEADER_BYTES or conn.eof:
            raise ValueError("the reply's chunked framing is broken")
        await conn.more(timeout)


class LeanTransport:
    """An `httpx.AsyncBaseTransport` (duck-typed: see `make_lean_transport` for the subclass)."""

    def __init__(self, hx: Any, *, ssl_context: SSLContextSource, max_connections: int,
                 max_keepalive: int) -> None:  # fmt: skip
        self.hx = hx
        self._ssl_context = ssl_context  # a context, or a function making one when first needed
        self.max_keepalive = max(1, max_keepalive)
        self._slots = asyncio.Semaphore(max(1, max_connections))
        self._idle: dict[tuple[bytes, bytes, int], deque[_Conn]] = {}
        self._closed = False
        self.opened = 0  # connections opened, for tests and benchmarks

    def ssl_context(self) -> ssl.SSLContext:
        if not isinstance(self._ssl_context, ssl.SSLContext):
            self._ssl_context = self._ssl_context()
        return self._ssl_context

    # -- connections ------------------------------------------------------------------------
    async def _connect(self, origin: tuple[bytes, bytes, int], timeout: float | None,
                       sni: str | None = None) -> _Conn:  # fmt: skip
        scheme, host, port = origin
        loop = asyncio.get_running_loop()
        tls = self.ssl_context() if scheme == b"https" else None
        name = host.decode("ascii")
        try:
            _, conn = await asyncio.wait_for(
                loop.create_connection(
                    _Conn, name.strip("[]"), port, ssl=tls,
                    server_hostname=(sni or name.strip("[]")) if tls else None,
                ),
                timeout,
            )  # fmt: skip
        except TimeoutError as e:
            raise self.hx.ConnectTimeout(f"connecting to {name}:{port} timed out") from e
        except (OSError, ssl.SSLError) as e:
            raise self.hx.ConnectError(f"cannot connect to {name}:{port}: {e}") from e
        self.opened += 1
        return conn

    def _take_idle(self, origin: tuple[bytes, bytes, int]) -> _Conn | None:
        idle = self._idle.get(origin)
        while idle:
            conn = idle.pop()  # the most recently used: the least likely to be timed out
            if conn.reusable:
                return conn
            conn.close()
        return None

    def _give_back(self, origin: tuple[bytes, bytes, int], conn: _Conn) -> None:
        idle = self._idle.setdefault(origin, deque())
        if self._closed or not conn.reusable or len(idle) >= self.max_keepalive:
            conn.close()
            return
        conn.idled = True
        idle.append(conn)

    async def preconnect(self, url: str, connections: int) -> int:
        """Open up to `connections` idle connections to `url`'s origin (fewer if some are
        already open); returns how many were opened. Failures are left for the first call."""
        hx_url = self.hx.URL(url)
        origin = (hx_url.raw_scheme, hx_url.raw_host, _port(hx_url))
        have = sum(1 for c in self._idle.get(origin, ()) if c.reusable)
        want = min(connections, self.max_keepalive) - have
        if want <= 0 or self._closed:
            return 0
        results = await asyncio.gather(
            *(self._connect(origin, 10.0) for _ in range(want)), return_exceptions=True
        )
        opened = 0
        for conn in results:
            if isinstance(conn, _Conn):
                self._give_back(origin, conn)
                opened += 1
        return opened

    # -- the request ------------------------------------------------------------------------
    async def handle_async_request(self, request: Any) -> Any:
        hx = self.hx
        url = request.url
        if url.raw_scheme not in (b"http", b"https"):
            raise hx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}")
        timeouts = request.extensions.get("timeout") or {}
        origin = (url.raw_scheme, url.raw_host, _port(url))
        body = await request.aread()
        head = _request_head(request, body)
        sni = request.extensions.get("sni_hostname")
        try:
            await asyncio.wait_for(self._slots.acquire(), timeouts.get("pool"))
        except TimeoutError as e:
            raise hx.PoolTimeout("no free connection in time") from e
        try:
            try:
                return await self._exchange(request, origin, head + body, timeouts, sni, True)
            except _StaleConnection:  # the server never read it: once more, on a new connection
                return await self._exchange(request, origin, head + body, timeouts, sni, False)
        finally:
            self._slots.release()

    async def _exchange(self, request: Any, origin: tuple[bytes, bytes, int], data: bytes,
                        timeouts: dict[str, float | None], sni: str | None,
                        reuse: bool) -> Any:  # fmt: skip
        hx = self.hx
        conn = self._take_idle(origin) if reuse else None
        if conn is None:
            conn = await self._connect(origin, timeouts.get("connect"), sni)
        ok = False
        try:
            assert conn.transport is not None
            conn.transport.write(data)
            reply = await _read_reply(conn, request.method.encode(), timeouts.get("read"))
            ok = reply.keep_alive
        except _StaleConnection:
            raise
        except TimeoutError as e:
            raise hx.ReadTimeout("the server did not answer in time", request=request) from e
        except (ConnectionError, OSError) as e:
            raise hx.ReadError(f"the connection failed: {e}", request=request) from e
        except ValueError as e:
            raise hx.RemoteProtocolError(str(e), request=request) from e
        finally:
            if ok:
                self._give_back(origin, conn)
            else:
                conn.close()
        return hx.Response(
            reply.status, headers=reply.headers, stream=hx.ByteStream(reply.body),
            extensions={"http_version": reply.version, "reason_phrase": reply.reason},
            request=request,
        )  # fmt: skip

    async def aclose(self) -> None:
        self._closed = True
        for idle in self._idle.values():
            while idle:
                idle.pop().close()
        await asyncio.sleep(0)  # let the transports run their close callbacks


def _port(url: Any) -> int:
    return url.port or (443 if url.raw_scheme == b"https" else 80)


def _request_head(request: Any, body: bytes) -> bytes:
    lines = [request.method.encode() + b" " + request.url.raw_path + b" HTTP/1.1"]
    has_length = False
    for name, value in request.headers.raw:
        low = name.lower()
        if low == b"content-length":
            has_length = True
        elif low == b"transfer-encoding":
            continue  # the body is sent whole, framed by its length
        lines.append(name + b": " + value)
    if not has_length and (body or request.method not in ("GET", "HEAD")):
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return _CRLF.join(lines) + b"\r\n\r\n"


def make_lean_transport(hx: Any, *, ssl_context: SSLContextSource, max_connections: int,
                        max_keepalive: int) -> Any:  # fmt: skip
    """A `LeanTransport` that is also an instance of `hx.AsyncBaseTransport`."""

    class _Lean(LeanTransport, hx.AsyncBaseTransport):  # type: ignore[misc,name-defined]
        pass

    return _Lean(hx, ssl_context=ssl_context, max_connections=max_connections,
                 max_keepalive=max_keepalive)  # fmt: skip
