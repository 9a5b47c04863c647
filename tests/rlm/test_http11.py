"""The lean HTTP/1.1 transport under `OpenAILM`: the real `openai` client over real sockets.

Most tests use a raw socket server that answers with exactly the bytes a test scripts (framings,
closes, garbage), so every branch of the reply parser meets a real peer; the others go through
`ScriptedEndpoint` like the rest of the wire tests.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.scripted_endpoint import Reply, ScriptedEndpoint
from rlm.errors import LMError, LMTimeout
from rlm.openai_lm import OpenAILM

MSG = [{"role": "user", "content": "hi"}]


def _completion(text: str) -> bytes:
    return json.dumps({
        "id": "c1", "object": "chat.completion", "created": 0, "model": "m",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }).encode()  # fmt: skip


def _plain(body: bytes, *extra: str) -> bytes:
    head = ["HTTP/1.1 200 OK", "Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join([*head, *extra]) + "\r\n\r\n").encode() + body


def _chunked(body: bytes, sizes: tuple[int, ...] = (7, 1, 30)) -> bytes:
    out, i, k = [], 0, 0
    while i < len(body):
        n = sizes[k % len(sizes)]
        part = body[i : i + n]
        out.append(f"{len(part):x};ext=1\r\n".encode() + part + b"\r\n")
        i, k = i + n, k + 1
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    return head + b"".join(out) + b"0\r\nX-Trailer: yes\r\n\r\n"


class Close(bytes):
    """Bytes the raw server sends and then closes the connection."""


# what the raw server does with request number `n` (0-based, over all connections) on the
# connection's request number `k`: bytes to send (`Close(...)`: then close), or None to close
# the connection at once without answering
Script = Callable[[int, int], bytes | None]


class RawServer:
    """A threaded socket server on 127.0.0.1 that reads each HTTP request whole, then sends
    what `script` says. Counts connections and requests."""

    def __init__(self, script: Script, tls: ssl.SSLContext | None = None) -> None:
        self.script = script
        self.tls = tls
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.requests = 0
        self._lock = threading.Lock()
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}/v1"

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            buf, k = b"", 0
            while True:
                while b"\r\n\r\n" not in buf:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buf += data
                head, _, rest = buf.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n")[1:]:
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                while len(rest) < length:
                    rest += conn.recv(65536)
                buf = rest[length:]
                with self._lock:
                    n = self.requests
                    self.requests += 1
                answer = self.script(n, k)
                k += 1
                if answer is None:
                    return
                conn.sendall(answer)
                if isinstance(answer, Close):
                    return
        except OSError:
            return
        finally:
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.sock.close()


@pytest.fixture
def raw_server():
    servers: list[RawServer] = []

    def start(script: Script, tls: ssl.SSLContext | None = None) -> RawServer:
        servers.append(RawServer(script, tls))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def _lm(base_url: str, **kw) -> OpenAILM:
    kw.setdefault("timeout_s", 5.0)
    kw.setdefault("max_retries", 0)
    return OpenAILM("m", base_url=base_url, api_key="k", **kw)


async def test_keep_alive_reuses_one_connection(scripted_endpoint: ScriptedEndpoint):
    scripted_endpoint.responder = lambda req: Reply(text="ok")
    lm = _lm(scripted_endpoint.base_url)
    for _ in range(5):
        assert (await lm.acomplete(MSG)).text == "ok"
    transport = next(iter(lm._transports.values())).inner
    assert transport.opened == 1
    await lm.aclose()


async def test_preconnect_opens_the_burst_ahead(scripted_endpoint: ScriptedEndpoint):
    scripted_endpoint.responder = lambda req: Reply(text="ok", delay_s=0.05)
    lm = _lm(scripted_endpoint.base_url)
    await lm.warm(connections=8)
    transport = next(iter(lm._transports.values())).inner
    assert transport.opened == 8
    out = await asyncio.gather(*(lm.acomplete(MSG) for _ in range(8)))
    assert [c.text for c in out] == ["ok"] * 8
    assert transport.opened == 8  # the 8 concurrent calls found their connections open
    await lm.warm(connections=8)  # enough idle ones already: nothing more is opened
    assert transport.opened == 8
    await lm.aclose()


@pytest.mark.parametrize("framing", ["length", "chunked", "until-close"])
async def test_reply_framings(raw_server, framing):
    body = _completion("framed " + framing)
    replies = {
        "length": _plain(body),
        "chunked": _chunked(body),
        "until-close": Close(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n" + body),
    }
    server = raw_server(lambda n, k: replies[framing])
    lm = _lm(server.base_url)
    for _ in range(2):
        assert (await lm.acomplete(MSG)).text == "framed " + framing
    transport = next(iter(lm._transports.values())).inner
    assert transport.opened == (2 if framing == "until-close" else 1)
    await lm.aclose()


async def test_gzip_body_is_decoded(raw_server):
    body = gzip.compress(_completion("unzipped"))
    server = raw_server(lambda n, k: _plain(body, "Content-Encoding: gzip"))
    lm = _lm(server.base_url)
    assert (await lm.acomplete(MSG)).text == "unzipped"
    await lm.aclose()


async def test_connection_close_header_opens_a_new_connection(raw_server):
    server = raw_server(lambda n, k: Close(_plain(_completion(f"r{n}"), "Connection: close")))
    lm = _lm(server.base_url)
    assert [(await lm.acomplete(MSG)).text for _ in range(3)] == ["r0", "r1", "r2"]
    assert server.connections == 3
    await lm.aclose()


async def test_server_closing_an_idle_connection_is_noticed(raw_server):
    # the server answers once per connection and then closes it without saying so
    server = raw_server(lambda n, k: Close(_plain(_completion(f"r{n}"))))
    lm = _lm(server.base_url)
    assert (await lm.acomplete(MSG)).text == "r0"
    await asyncio.sleep(0.05)  # the close reaches us while the connection is idle
    assert (await lm.acomplete(MSG)).text == "r1"
    assert server.connections == 2
    await lm.aclose()


async def test_reused_connection_dying_before_the_reply_is_sent_again(raw_server):
    # the second request on a connection is read, then the connection is dropped unanswered
    # (a keep-alive timeout racing the request): sent once more on a new connection
    server = raw_server(lambda n, k: _plain(_completion(f"r{n}")) if k == 0 else None)
    lm = _lm(server.base_url)
    assert (await lm.acomplete(MSG)).text == "r0"
    # no sleep: the next request goes out on the idle connection before its close is seen
    assert (await lm.acomplete(MSG)).text == "r2"  # r1 was read and dropped
    assert server.connections == 2
    await lm.aclose()


async def test_garbage_reply_is_a_connection_error_with_retries(raw_server):
    garbage = Close(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
    server = raw_server(lambda n, k: garbage if n == 0 else _plain(_completion("ok")))
    lm = _lm(server.base_url, max_retries=1)
    assert (await lm.acomplete(MSG)).text == "ok"  # the client's retry, after the garbage
    assert server.requests == 2
    bad = raw_server(lambda n, k: b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")
    with pytest.raises(LMError):
        await _lm(bad.base_url).acomplete(MSG)
    await lm.aclose()


async def test_truncated_body_is_an_error_not_a_reply(raw_server):
    server = raw_server(lambda n, k: Close(_plain(_completion("cut"))[:-5]))
    with pytest.raises(LMError):
        await _lm(server.base_url).acomplete(MSG)
    assert server.requests == 1  # max_retries=0: one attempt, refused, nothing invented


async def test_retry_after_429_and_500_go_through_the_lean_transport(scripted_endpoint):
    scripted_endpoint.enqueue(
        Reply(status=429, headers={"retry-after-ms": "10"}), Reply(status=500), "third time"
    )
    lm = _lm(scripted_endpoint.base_url, max_retries=2)
    out = await lm.acomplete(MSG)
    assert out.text == "third time" and out.attempts == 3
    await lm.aclose()


async def test_read_timeout_is_an_lm_timeout(scripted_endpoint):
    scripted_endpoint.enqueue(Reply(text="late", delay_s=1.5))
    lm = _lm(scripted_endpoint.base_url, timeout_s=0.3)
    with pytest.raises(LMTimeout):
        await lm.acomplete(MSG)
    await lm.aclose()


async def test_connection_refused_is_a_clear_error():
    sock = socket.create_server(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with pytest.raises(LMError, match="connect"):
        await _lm(f"http://127.0.0.1:{port}/v1").acomplete(MSG)


async def test_httpcore_transport_still_selectable(scripted_endpoint):
    scripted_endpoint.enqueue("via httpcore")
    lm = _lm(scripted_endpoint.base_url, http_transport="httpcore")
    assert (await lm.acomplete(MSG)).text == "via httpcore"
    await lm.aclose()
    with pytest.raises(LMError, match="http_transport"):
        OpenAILM("m", http_transport="curl")


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as e:
        pytest.skip(reason=f"openssl cannot make a test certificate here: {e}")
    return cert, key


async def test_tls_with_a_verifying_context(raw_server, self_signed):
    import httpx2 as hx

    from rlm.http11 import make_lean_transport

    cert, key = self_signed
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    server = raw_server(lambda n, k: _plain(_completion(f"tls {n}")), tls=server_ctx)
    trusting = ssl.create_default_context(cafile=str(cert))
    transport = make_lean_transport(hx, ssl_context=trusting, max_connections=4, max_keepalive=2)
    async with hx.AsyncClient(transport=transport) as client:
        for n in range(2):
            r = await client.post(server.base_url + "/chat/completions", json={"x": 1})
            assert r.json()["choices"][0]["message"]["content"] == f"tls {n}"
    assert transport.opened == 1
    # the system's CA store does not trust the test certificate: refused, not silently accepted
    strict = make_lean_transport(hx, ssl_context=ssl.create_default_context(), max_connections=1,
                                 max_keepalive=1)  # fmt: skip
    async with hx.AsyncClient(transport=strict) as client:
        with pytest.raises(hx.ConnectError):
            await client.post(server.base_url + "/chat/completions", json={"x": 1})


def test_transport_from_the_environment():
    from rlm.config import from_env

    env = {"ENGRAM_ROOT_MODEL": "m", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1"}
    assert from_env("root", env).http_transport == "lean"
    assert from_env("root", {**env, "ENGRAM_LM_TRANSPORT": "httpcore"}).http_transport == "httpcore"
    with pytest.raises(LMError, match="http_transport"):
        from_env("root", {**env, "ENGRAM_LM_TRANSPORT": "curl"})


async def test_a_connection_opened_ahead_that_died_is_replaced(raw_server):
    # the first request, on a connection opened ahead, is read and dropped unanswered
    server = raw_server(lambda n, k: None if n == 0 else _plain(_completion(f"r{n}")))
    lm = _lm(server.base_url)  # max_retries=0: only the transport's own resend can save it
    await lm.warm(connections=1)
    assert (await lm.acomplete(MSG)).text == "r1"
    assert server.connections == 2
    await lm.aclose()


async def test_plain_http_never_loads_the_tls_context(scripted_endpoint):
    import httpx2 as hx

    from rlm.http11 import make_lean_transport

    def no_tls() -> ssl.SSLContext:
        raise AssertionError("a plain-http request asked for the TLS context")

    scripted_endpoint.enqueue("plain")
    transport = make_lean_transport(hx, ssl_context=no_tls, max_connections=2, max_keepalive=1)
    async with hx.AsyncClient(transport=transport) as client:
        r = await client.post(scripted_endpoint.base_url + "/chat/completions", json={"x": 1})
    assert r.json()["choices"][0]["message"]["content"] == "plain"
