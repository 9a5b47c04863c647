"""A small, real OpenAI-compatible HTTP server that answers from a script.

Used by wire-level tests (the real `openai` client against it) and by benchmarks, so it imports
nothing from pytest. It binds 127.0.0.1 on a free port, serves ``POST /v1/chat/completions`` and
``GET /v1/models``, and records every request::

    with ScriptedEndpoint() as ep:
        ep.enqueue(Reply(status=429, headers={"Retry-After": "1"}), "the answer")
        client = openai.OpenAI(base_url=ep.base_url, api_key="k")
        ...
        assert ep.requests[0].model == "gpt-4o-mini"

Queued replies are used first, in order; then `responder(request_json)` (returning a `Reply` or a
plain string); with neither, the server answers 500 with a message saying nothing was scripted.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["Reply", "RecordedRequest", "ScriptedEndpoint", "Responder"]


@dataclass
class Reply:
    """One scripted answer.

    text: the assistant message content (``None`` sends ``"content": null``).
    status: HTTP status; non-2xx sends an OpenAI-style error body with `text` as its message.
    headers: extra response headers (e.g. ``{"Retry-After": "2"}``).
    delay_s: wait before answering (simulates latency; longer than the client timeout forces one).
    body: raw body sent as-is (str/bytes), or a dict sent as JSON, replacing the generated one.
    usage: token usage to report; ``None`` computes ~chars/4; ``omit_usage`` leaves it out.
    """

    text: str | None = "ok"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    body: str | bytes | dict[str, Any] | None = None
    usage: dict[str, int] | None = None
    omit_usage: bool = False
    finish_reason: str = "stop"


@dataclass
class RecordedRequest:
    """A request the server received (headers with lower-case names)."""

    method: str
    path: str
    headers: dict[str, str]
    json: Any
    received_at: float

    @property
    def model(self) -> str | None:
        return self.json.get("model") if isinstance(self.json, dict) else None

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.json.get("messages", []) if isinstance(self.json, dict) else []


Responder = Callable[[dict[str, Any]], "Reply | str"]


def _estimate_tokens(text: str) -> int:
    return max(1, len(text) // 4) if text else 0


def _completion_body(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "scripted"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": reply.finish_reason,
            }
        ],
    }
    if not reply.omit_usage:
        body["usage"] = reply.usage or _auto_usage(request, reply.text or "")
    return body


def _auto_usage(request: dict[str, Any], text: str) -> dict[str, int]:
    prompt = "".join(str(m.get("content") or "") for m in request.get("messages", []))
    p, c = _estimate_tokens(prompt), _estimate_tokens(text)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _error_body(reply: Reply) -> dict[str, Any]:
    kind = "rate_limit_error" if reply.status == 429 else "scripted_error"
    return {"error": {"message": reply.text or f"status {reply.status}", "type": kind}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr logging
        pass

    def do_GET(self) -> None:
        ep = self.server.endpoint
        ep._record(self, None)
        if self.path.rstrip("/").endswith("/models"):
            data = [{"id": m, "object": "model", "owned_by": "scripted"} for m in ep.models]
            self._send(200, {"object": "list", "data": data}, {})
        else:
            self._send(404, {"error": {"message": f"no route GET {self.path}"}}, {})

    def do_POST(self) -> None:
        ep = self.server.endpoint
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            payload: Any = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            payload = raw.decode(errors="replace")
        ep._record(self, payload)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {"error": {"message": f"no route POST {self.path}"}}, {})
            return
        reply = ep._next_reply(payload if isinstance(payload, dict) else {})
        if reply.delay_s and ep._stopping.wait(reply.delay_s):
            self.close_connection = True  # shutting down: drop the connection, answer nothing
            return
        self._answer(payload if isinstance(payload, dict) else {}, reply)

    def _answer(self, request: dict[str, Any], reply: Reply) -> None:
        if reply.body is not None:
            body = reply.body
        elif 200 <= reply.status < 300:
            body = _completion_body(request, reply)
        else:
            body = _error_body(reply)
        self._send(reply.status, body, reply.headers)

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        if isinstance(body, dict | list):
            data = json.dumps(body).encode()
        else:
            data = body.encode() if isinstance(body, str) else body
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout fired)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # listen backlog: many clients connect at once

    def __init__(self, endpoint: ScriptedEndpoint) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.endpoint = endpoint


class ScriptedEndpoint:
    """An OpenAI-compatible server on 127.0.0.1 that answers from a script (a context manager)."""

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        models: tuple[str, ...] = ("scripted",),
    ) -> None:
        self.responder = responder
        self.models = models
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> ScriptedEndpoint:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> ScriptedEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("ScriptedEndpoint is not started; use it as a context manager")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to pass as the OpenAI client's base_url (ends in /v1)."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ---------------------------------------------------------------------------
    def enqueue(self, *replies: Reply | str) -> None:
        """Queue replies, used in order before the responder; a str is ``Reply(text=s)``."""
        with self._lock:
            self._queue.extend(r if isinstance(r, Reply) else Reply(text=r) for r in replies)

    def reset(self) -> None:
        """Forget queued replies and recorded requests."""
        with self._lock:
            self._queue.clear()
            self.requests.clear()

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    def _next_reply(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None:
            try:
                out = self.responder(request)
            except Exception as e:  # a broken responder should fail loudly, not hang
                return Reply(text=f"ScriptedEndpoint responder raised {e!r}", status=500)
            return out if isinstance(out, Reply) else Reply(text=out)
        return Reply(text="ScriptedEndpoint: no reply scripted (enqueue one)", status=500)

    def _record(self, handler: BaseHTTPRequestHandler, payload: Any) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        rec = RecordedRequest(handler.command, handler.path, headers, payload, time.monotonic())
        with self._lock:
            self.requests.append(rec)
