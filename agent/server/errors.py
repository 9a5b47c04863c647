"""Errors of `engram serve` and of its clients. Every one carries an HTTP status and a short
machine code; on the wire it is ``{"error": {"code", "message"}}``.

Hierarchy::

    ServerError (AgentError)       status, code, message
    ├── Unauthorized     401       no token, or one the server does not know (or revoked)
    ├── Forbidden        403       the token's bank is another, or it is read-only
    ├── BadRequest       400       input rejected before anything was stored
    ├── NotFoundError    404       no such entity, fact, source, trace or route
    ├── Conflict         409       a merge or split that cannot be done
    ├── TooLarge         413       a request body over the limit
    ├── Busy             429       the token already has its limit of requests in flight
    ├── Unavailable      503       the server cannot do this (no LLM endpoint configured, ...)
    ├── Timeout          504       ask or rlm ran past its time limit
    └── Unreachable      -         a client could not reach the server at all
"""

from __future__ import annotations

from typing import Any

from agent.errors import AgentError

__all__ = [
    "ServerError",
    "Unauthorized",
    "Forbidden",
    "BadRequest",
    "NotFoundError",
    "Conflict",
    "TooLarge",
    "Busy",
    "Unavailable",
    "Timeout",
    "Unreachable",
    "error_for",
    "from_wire",
]


class ServerError(AgentError):
    status = 500
    code = "internal"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_wire(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


class Unauthorized(ServerError):
    status, code = 401, "unauthorized"


class Forbidden(ServerError):
    status, code = 403, "forbidden"


class BadRequest(ServerError):
    status, code = 400, "invalid_input"


class NotFoundError(ServerError):
    status, code = 404, "not_found"


class Conflict(ServerError):
    status, code = 409, "conflict"


class TooLarge(ServerError):
    status, code = 413, "too_large"


class Busy(ServerError):
    status, code = 429, "busy"


class Unavailable(ServerError):
    status, code = 503, "unavailable"


class Timeout(ServerError):
    status, code = 504, "timeout"


class Unreachable(ServerError):
    status, code = 0, "unreachable"


_BY_STATUS: dict[int, type[ServerError]] = {
    c.status: c
    for c in (
        Unauthorized,
        Forbidden,
        BadRequest,
        NotFoundError,
        Conflict,
        TooLarge,
        Busy,
        Unavailable,
        Timeout,
    )  # fmt: skip
}


def error_for(exc: BaseException) -> ServerError | None:
    """The ServerError an expected failure of the facade or the agent maps to (None: a bug)."""
    from agent.errors import AttachmentError, ConfigError, NoModelError
    from memory.errors import EngramMemoryError, InvalidInput, MergeError, NotFound

    if isinstance(exc, ServerError):
        return exc
    if isinstance(exc, NotFound):
        return NotFoundError(str(exc))
    if isinstance(exc, InvalidInput):
        return BadRequest(str(exc))
    if isinstance(exc, MergeError):
        return Conflict(str(exc))
    if isinstance(exc, NoModelError | ConfigError):
        return Unavailable(str(exc))
    if isinstance(exc, AttachmentError | EngramMemoryError):
        return BadRequest(str(exc))
    return None


def from_wire(status: int, body: Any) -> ServerError:
    """The error a client raises for a non-2xx answer (a body without our shape is shown raw)."""
    err = body.get("error") if isinstance(body, dict) else None
    message = err.get("message") if isinstance(err, dict) else None
    cls = _BY_STATUS.get(status, ServerError)
    out = cls(str(message or f"HTTP {status}: {str(body)[:300]}"))
    if cls is ServerError:
        out.status = status
    return out
