"""`OpenAILM`: the `LM` Protocol on any OpenAI-compatible chat-completions endpoint.

Built on the official `openai` package (`AsyncOpenAI`), retries included: the client's own retry
(`max_retries`; exponential backoff with jitter; ``Retry-After`` / ``retry-after-ms`` honoured)
covers 408/409/429/5xx, connection errors and timeouts, and — through the transport of
`rlm.openai_wire` — replies that are not a chat completion and over-long Retry-After waits.
Other 4xx errors are raised at once as `LMError` with a message that says what to check.

One `AsyncOpenAI` client per instance and event loop (a client's connection pool belongs to the
loop it was first used on), sized for ~32 concurrent calls; `aclose()` closes it. The `openai`
package (~0.6 s to import) is imported on the first call, in a thread, so that a caller can
start other work (the REPL worker) meanwhile. Configuration from the environment lives in
`rlm.config.from_env`, never here.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import importlib
import json
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rlm.errors import LMError, LMTimeout
from rlm.lazy_reexports import lazy_reexports
from rlm.lm import Completion, Message, Usage
from rlm.openai_wire import (
    MALFORMED_HEADER,
    make_transport,
    parse_retry_after,
    shared_ssl_context,
)
from rlm.prices import PriceTable

if TYPE_CHECKING:
    import openai

__all__ = [
    "OpenAILM",
    "OpenAICompletion",
    "parse_retry_after",
    "import_openai",
    "freeze_imports_from_gc",
]

_RETRY_STATUSES = frozenset({408, 409, 429})
_HINTS = {
    400: "the endpoint rejected the request; check that model {model!r} supports the "
    "parameters sent (max_tokens, temperature, extra_body) and that the prompt fits its context",
    401: "authentication failed; check OPENAI_API_KEY for {base_url}",
    403: "permission denied; check that the API key may use model {model!r} "
    "(project/organisation access)",
    404: "not found; check the model name {model!r} (ENGRAM_ROOT_MODEL / ENGRAM_SUB_MODEL) and "
    "that OPENAI_BASE_URL ({base_url}) points at an OpenAI-compatible API ending in /v1",
}


@dataclass
class OpenAICompletion(Completion):
    """A `Completion` with what the wire told us: attempts, finish reason, estimate flags."""

    attempts: int = 1
    finish_reason: str | None = None
    usage_estimated: bool = False
    price_known: bool = True


def _estimate_tokens(text: str) -> int:
    return (len(text) + 3) // 4


# openai imports its optional aiohttp transport whenever aiohttp is installed (~0.1 s); we
# never use it, so that import is answered "not installed" (openai then skips the transport)
_UNUSED = "openai._vendor.httpx_aiohttp"


# its generated re-export packages (~1,400 types, half the import's time) load name by name
_LAZY_TYPES = "openai.types"

_IMPORT_LOCK = threading.Lock()
_IMPORTED: list[Any] = []  # the module, once it and what its first call needs are loaded
# what the first chat call would otherwise import lazily (~0.1 s), on the critical path
# (alternatives in a tuple: the first that imports). httpcore and anyio's asyncio backend are
# not among them: the lean transport uses neither (with http_transport="httpcore" they load on
# the first call; anyio's backend also on a retry's first back-off)
_FIRST_CALL: tuple[str | tuple[str, ...], ...] = ("openai.resources.chat.chat",)
# set by `freeze_imports_from_gc()`: a one-shot process keeps what the import made for its whole
# life, so the cyclic GC need never scan it again
_FREEZE: list[bool] = [False]


def freeze_imports_from_gc() -> None:
    """Move what the `openai` import creates (~1,000 classes, ~300k objects) out of the cyclic
    GC's reach once it is done (`gc.freeze`). For one-shot processes (`engram rlm`): the first
    collections after the import scan all of it (measured: a 19 ms gen-1 pause in the middle of
    a batch of sub-calls). A long-running server does not call this (it would also freeze
    whatever else happened to be alive at that moment)."""
    _FREEZE[0] = True
    if _IMPORTED:
        gc.freeze()


def _import_openai() -> Any:
    """Import `openai` and what its first chat call needs, with the cyclic GC paused: the
    import creates ~1,000 classes, and the collections it would trigger cost ~15 % of its time
    (measured: 0.43 -> 0.37 s); the types packages load name by name (`rlm.lazy_reexports`:
    0.28 -> 0.15 s). Callers wait for an import in progress (never a module that is still half
    initialised)."""
    with _IMPORT_LOCK:
        if _IMPORTED:
            return _IMPORTED[0]
        if "openai" not in sys.modules:
            sys.modules.setdefault(_UNUSED, None)  # type: ignore[arg-type]
        collecting = gc.isenabled()
        gc.disable()
        try:
            with lazy_reexports(_LAZY_TYPES):
                module = importlib.import_module("openai")
                for names in _FIRST_CALL:  # another HTTP stack or version: it loads on first use
                    for name in (names,) if isinstance(names, str) else names:
                        with contextlib.suppress(ImportError):
                            importlib.import_module(name)
                            break
            if _FREEZE[0]:
                gc.freeze()
        finally:
            if collecting:
                gc.enable()
        _IMPORTED.append(module)
        return module


@functools.cache
def _raw_options() -> Any:  # openai.RequestOptions
    """Request options for `client.post` that return the raw response, with the SDK's auth.

    We post the chat body ourselves instead of `chat.completions.create`: the SDK would walk
    its ~40-key TypedDict schema over every request to transform a body that is plain JSON
    already (25 % of the client's CPU per call, measured with cProfile; at 16 concurrent
    sub-calls that CPU sits between one wave of answers and the next requests). Retries,
    timeouts, headers and errors stay the SDK's."""
    oa = _IMPORTED[0]
    from openai._constants import RAW_RESPONSE_HEADER

    options: dict[str, Any] = {"headers": {RAW_RESPONSE_HEADER: "true"}}
    if "security" in getattr(oa._types.RequestOptions, "__annotations__", {}):
        options["security"] = {"bearer_auth": True}  # newer SDKs add auth only when asked
    return options


async def import_openai() -> Any:
    """The `openai` module; its first import runs in a thread (the event loop keeps going)."""
    if _IMPORTED:
        return _IMPORTED[0]
    return await asyncio.to_thread(_import_openai)


class OpenAILM:
    """A chat model behind an OpenAI-compatible endpoint. Safe for many concurrent calls."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        timeout_s: float = 120.0,
        max_retries: int = 4,
        retry_after_cap_s: float = 60.0,
        prices: PriceTable | None = None,
        temperature: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
        max_tokens_field: str = "max_tokens",
        max_connections: int = 64,
        default_max_tokens: int | None = 4096,
        http_transport: str = "lean",
    ) -> None:
        if not model:
            raise LMError("no model name given to OpenAILM", model=model)
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.retry_after_cap_s = retry_after_cap_s
        self.prices = prices if prices is not None else PriceTable.default()
        self.temperature = temperature
        self.extra_body = dict(extra_body or {})
        self.max_tokens_field = max_tokens_field
        self.max_connections = max_connections
        # bounds every reply whose caller set no limit: a rambling model otherwise generates
        # until its context window is full (seen with a small local model)
        self.default_max_tokens = default_max_tokens
        if http_transport not in ("lean", "httpcore"):
            raise LMError(f"http_transport must be 'lean' or 'httpcore', not {http_transport!r}")
        # "lean": rlm.http11 under the client (~1 ms less CPU per call); "httpcore": httpx's own
        self.http_transport = http_transport
        self._clients: dict[int, tuple[asyncio.AbstractEventLoop, openai.AsyncOpenAI]] = {}
        self._transports: dict[int, Any] = {}  # per loop, beside its client (for preconnect)

    @classmethod
    def from_env(cls, role: str = "root", env: Mapping[str, str] | None = None) -> OpenAILM:
        """See `rlm.config.from_env`."""
        from rlm.config import from_env

        return from_env(role, env)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"OpenAILM(model={self.model!r}, base_url={self.base_url!r})"

    # -- client per event loop ----------------------------------------------------------------
    async def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        entry = self._clients.get(id(loop))
        if entry is not None and entry[0] is loop:
            return entry[1]
        if self._where().startswith("https:") or self.http_transport != "lean":
            # the CA certificates load in a thread of their own (it releases the GIL) meanwhile;
            # the lean transport over plain http never needs them
            oa, _ = await asyncio.gather(import_openai(), asyncio.to_thread(shared_ssl_context))
        else:
            oa = await import_openai()
        entry = self._clients.get(id(loop))  # another call may have made it meanwhile
        if entry is not None and entry[0] is loop:
            return entry[1]
        self._clients = {k: v for k, v in self._clients.items() if not v[0].is_closed()}
        self._transports = {k: v for k, v in self._transports.items() if k in self._clients}
        transport = make_transport(
            self.max_connections, self.retry_after_cap_s, lean=self.http_transport == "lean"
        )
        client = oa.AsyncOpenAI(
            api_key=self.api_key or "EMPTY",
            base_url=self._where(),  # explicit: the client would otherwise read OPENAI_BASE_URL
            timeout=self.timeout_s,
            max_retries=self.max_retries,
            http_client=oa.DefaultAsyncHttpxClient(transport=transport, timeout=self.timeout_s),
        )
        self._clients[id(loop)] = (loop, client)
        self._transports[id(loop)] = transport
        return client

    async def warm(self, connections: int = 0) -> None:
        """Import `openai` and make this loop's client now (the first call then starts at once);
        with `connections`, also open that many keep-alive connections to the endpoint, so a
        burst of concurrent calls (a batch of sub-calls) does not open them one by one."""
        await self._client()
        if connections > 0:
            transport = self._transports.get(id(asyncio.get_running_loop()))
            if transport is not None:
                await transport.preconnect(self._where(), connections)

    async def aclose(self) -> None:
        """Close the client of the running loop (others are dropped with their loops)."""
        entry = self._clients.pop(id(asyncio.get_running_loop()), None)
        self._transports.pop(id(asyncio.get_running_loop()), None)
        if entry is not None:
            await entry[1].close()

    async def __aenter__(self) -> OpenAILM:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the call -----------------------------------------------------------------------------
    async def acomplete(
        self, messages: list[Message], *, max_tokens: int | None = None, **kwargs: Any
    ) -> OpenAICompletion:
        params = self._params(messages, max_tokens, kwargs)
        client = await self._client()
        oa = _IMPORTED[0]
        started = time.perf_counter()
        try:
            raw: Any = await client.post(  # the raw-response header: a LegacyAPIResponse
                "/chat/completions", cast_to=object, body=params, options=_raw_options()
            )
        except oa.APITimeoutError as e:
            raise self._give_up(f"no answer within {self.timeout_s:g}s", None, timeout=True) from e
        except oa.APIConnectionError as e:
            raise self._give_up(f"cannot connect to {self._where()}: {e}", None) from e
        except oa.APIStatusError as e:
            raise self._status_error(e) from e
        data = json.loads(raw.http_response.content)
        return self._completion(messages, data, raw.retries_taken + 1, started)

    def _params(
        self, messages: list[Message], max_tokens: int | None, kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        params: dict[str, Any] = {"model": self.model, "messages": messages}
        if self.temperature is not None:
            params["temperature"] = self.temperature
        if max_tokens is None:
            max_tokens = self.default_max_tokens
        if max_tokens is not None:
            params[self.max_tokens_field] = max_tokens
        extra = {**self.extra_body, **kwargs.pop("extra_body", {})}
        params.update(kwargs)
        params.update(extra)  # what `extra_body` does in the SDK: merged into the JSON body
        return params

    def _status_error(self, e: openai.APIStatusError) -> LMError:
        status = e.status_code
        malformed = e.response.headers.get(MALFORMED_HEADER)
        if malformed:
            return self._give_up(malformed, None)
        detail = _server_message(e)
        if status in _RETRY_STATUSES or status >= 500:
            return self._give_up(f"HTTP {status}: {detail}", status)
        hint = _HINTS.get(status, "the endpoint refused the request")
        hint = hint.format(model=self.model, base_url=self._where())
        return LMError(
            f"{self.model}: HTTP {status}: {hint} ({detail})", model=self.model, status=status
        )

    def _completion(
        self, messages: list[Message], data: dict[str, Any], attempts: int, started: float
    ) -> OpenAICompletion:
        choice = data["choices"][0]
        text: str = choice["message"]["content"]
        usage_raw = data.get("usage") if isinstance(data.get("usage"), dict) else None
        estimated = usage_raw is None or usage_raw.get("prompt_tokens") is None
        if estimated:
            prompt = sum(_estimate_tokens(str(m.get("content") or "")) for m in messages)
            completion = _estimate_tokens(text)
        else:
            assert usage_raw is not None
            prompt = int(usage_raw.get("prompt_tokens") or 0)
            completion = int(usage_raw.get("completion_tokens") or 0)
        lookup = self.prices.lookup(self.model)
        cost = self.prices.cost(self.model, prompt, completion)
        return OpenAICompletion(
            text=text,
            model=self.model,
            usage=Usage(prompt, completion, cost, 1),
            latency_s=time.perf_counter() - started,
            attempts=attempts,
            finish_reason=choice.get("finish_reason"),
            usage_estimated=estimated,
            price_known=lookup.known,
        )

    def _give_up(self, what: str, status: int | None, *, timeout: bool = False) -> LMError:
        """The error after the client's retries were used up (`max_retries` + 1 attempts)."""
        tries = self.max_retries + 1
        msg = f"{self.model} at {self._where()}: {what} (gave up after {tries} attempts)"
        if timeout:
            msg += "; raise ENGRAM_LM_TIMEOUT or check that the endpoint is up"
            return LMTimeout(msg, model=self.model, status=None)
        return LMError(msg, model=self.model, status=status)

    def _where(self) -> str:
        return self.base_url or "https://api.openai.com/v1"


def _server_message(e: openai.APIStatusError) -> str:
    body = e.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:500]
    return str(e.message)[:500]
