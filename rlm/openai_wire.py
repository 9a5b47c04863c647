"""The HTTP transport under `OpenAILM`: what the `openai` client's own retry should know.

The client retries 408/409/429/5xx, timeouts and connection errors itself, with exponential
backoff and jitter, honouring ``Retry-After`` / ``retry-after-ms``. This transport adds two rules
on the wire, so that there is one retry loop (the client's) for everything:

- a 200 reply that is not a chat completion (not JSON, no choices, no message content) becomes a
  502 with ``x-should-retry: true``: retried like a server error, reported with what was wrong;
- a ``Retry-After`` longer than `retry_after_cap_s` is shortened to it (the client would give up
  at once past its own 2-minute maximum, and an hour-long wait is never what a run wants).
"""

from __future__ import annotations

import email.utils
import functools
import json
import ssl
import time
from collections.abc import Mapping
from typing import Any

__all__ = [
    "parse_retry_after",
    "malformed_reason",
    "make_transport",
    "shared_ssl_context",
    "MALFORMED_HEADER",
]

MALFORMED_HEADER = "x-engram-malformed"  # carries the reason a 200 reply was refused
_RETRYABLE = {408, 409, 429}


def parse_retry_after(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """Seconds to wait from ``retry-after-ms``, or ``Retry-After`` as seconds or an HTTP date."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        if "retry-after-ms" in lower:
            return max(0.0, float(lower["retry-after-ms"]) / 1000)
    except ValueError:
        pass
    value = lower.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def malformed_reason(content: bytes) -> str | None:
    """Why a 200 body is not a usable chat completion, or None when it is one."""
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        snippet = content[:200].decode(errors="replace")
        return f"the endpoint returned a non-JSON body: {snippet!r}"
    choices = data.get("choices") if isinstance(data, dict) else None
    if not choices or not isinstance(choices, list):
        return "the endpoint returned a reply with no choices"
    message = choices[0].get("message") if isinstance(choices[0], dict) else None
    if not isinstance(message, dict) or not isinstance(message.get("content"), str):
        refusal = message.get("refusal") if isinstance(message, dict) else None
        why = f" (refusal: {refusal})" if refusal else ""
        return f"the endpoint returned a reply with no message content{why}"
    return None


@functools.lru_cache(maxsize=1)
def shared_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every client of the process (loading the system's CA
    certificates takes ~30 ms; each new transport would otherwise load them again)."""
    return ssl.create_default_context()


def make_transport(max_connections: int, retry_after_cap_s: float, *, lean: bool = True) -> Any:
    """An httpx transport (of the HTTP library the installed `openai` is built on) with the two
    rules above, over `rlm.http11.LeanTransport` (`lean`) or httpx's own httpcore transport."""
    try:
        import httpx2 as hx  # openai >= 3 ships on httpx2
    except ImportError:  # pragma: no cover - older openai versions use httpx
        import httpx as hx  # type: ignore[no-redef]

    limits = hx.Limits(
        max_connections=max_connections, max_keepalive_connections=max(1, max_connections // 2)
    )

    class _Transport(hx.AsyncBaseTransport):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            if lean:
                from rlm.http11 import make_lean_transport

                self.inner = make_lean_transport(
                    hx, ssl_context=shared_ssl_context, max_connections=max_connections,
                    max_keepalive=max(1, max_connections // 2),
                )  # fmt: skip
            else:
                self.inner = hx.AsyncHTTPTransport(verify=shared_ssl_context(), limits=limits)

        async def preconnect(self, url: str, connections: int) -> int:
            """Open idle connections ahead of a burst of calls (lean transport only)."""
            ahead = getattr(self.inner, "preconnect", None)
            return 0 if ahead is None else int(await ahead(url, connections))

        async def handle_async_request(self, request: Any) -> Any:
            response = await self.inner.handle_async_request(request)
            if response.status_code == 200 and request.url.path.endswith("/chat/completions"):
                content = await response.aread()
                reason = malformed_reason(content)
                if reason is not None:
                    headers = {"x-should-retry": "true", MALFORMED_HEADER: reason[:300]}
                    return hx.Response(502, headers=headers, content=content, request=request)
                return response  # its body is read and kept
            if response.status_code in _RETRYABLE or response.status_code >= 500:
                wait = parse_retry_after(response.headers)
                if wait is not None and wait > retry_after_cap_s:
                    response.headers["retry-after"] = f"{retry_after_cap_s:g}"
                    response.headers.pop("retry-after-ms", None)
            return response

        async def aclose(self) -> None:
            await self.inner.aclose()

    return _Transport()
