"""`OpenAILM`: the `LM` Protocol on any OpenAI-compatible chat-completions endpoint.

Built on the official `openai` package (`AsyncOpenAI`) with the client's own retries switched off:
this class retries 408/409/429/5xx, connection errors, timeouts and malformed replies itself, with
exponential backoff and full jitter, honouring ``Retry-After`` / ``retry-after-ms`` (capped). Other
4xx errors are raised at once as `LMError` with a message that says what to check.

One `AsyncOpenAI` client per instance and event loop (a client's connection pool belongs to the
loop it was first used on), sized for ~32 concurrent calls. Configuration from the environment
lives in `rlm.config.from_env`, never here.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import openai

from rlm.errors import LMError, LMTimeout
from rlm.lm import Completion, Message, Usage
from rlm.prices import PriceTable

__all__ = ["OpenAILM", "OpenAICompletion", "RetryPolicy", "parse_retry_after"]

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


@dataclass(frozen=True)
class RetryPolicy:
    """Retries after the first attempt, and the backoff: full jitter in [0, min(cap, base*2^n)]."""

    max_retries: int = 4
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 20.0
    retry_after_cap_s: float = 60.0

    def backoff(self, retry_index: int, rng: random.Random) -> float:
        return rng.uniform(0.0, min(self.backoff_cap_s, self.backoff_base_s * 2**retry_index))


@dataclass
class OpenAICompletion(Completion):
    """A `Completion` with what the wire told us: attempts, finish reason, estimate flags."""

    attempts: int = 1
    finish_reason: str | None = None
    usage_estimated: bool = False
    price_known: bool = True


class _Retryable(Exception):
    """One attempt failed in a way worth retrying; `wait_s` is the server's Retry-After if any."""

    def __init__(self, message: str, *, status: int | None = None, wait_s: float | None = None):
        super().__init__(message)
        self.status = status
        self.wait_s = wait_s
        self.timeout = False


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


def _estimate_tokens(text: str) -> int:
    return (len(text) + 3) // 4


def _limits_type() -> Any:
    """The `Limits` class of the HTTP library this `openai` version is built on."""
    try:
        import httpx2 as hx  # openai >= 3 ships on httpx2
    except ImportError:  # pragma: no cover - older openai versions use httpx
        import httpx as hx  # type: ignore[no-redef]
    return hx.Limits


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
        backoff_base_s: float = 0.5,
        backoff_cap_s: float = 20.0,
        retry_after_cap_s: float = 60.0,
        prices: PriceTable | None = None,
        temperature: float | None = None,
        extra_body: Mapping[str, Any] | None = None,
        max_tokens_field: str = "max_tokens",
        max_connections: int = 64,
        seed: int | None = None,
        default_max_tokens: int | None = 4096,
    ) -> None:
        if not model:
            raise LMError("no model name given to OpenAILM", model=model)
        self.model = model
        self.base_url = base_url
        self.api_key = api_key
        self.timeout_s = timeout_s
        self.retry = RetryPolicy(max_retries, backoff_base_s, backoff_cap_s, retry_after_cap_s)
        self.prices = prices if prices is not None else PriceTable.default()
        self.temperature = temperature
        self.extra_body = dict(extra_body or {})
        self.max_tokens_field = max_tokens_field
        self.max_connections = max_connections
        # bounds every reply whose caller set no limit: a rambling model otherwise generates
        # until its context window is full (seen with a small local model)
        self.default_max_tokens = default_max_tokens
        self._rng = random.Random(seed)
        self._clients: dict[int, tuple[asyncio.AbstractEventLoop, openai.AsyncOpenAI]] = {}

    @classmethod
    def from_env(cls, role: str = "root", env: Mapping[str, str] | None = None) -> OpenAILM:
        """See `rlm.config.from_env`."""
        from rlm.config import from_env

        return from_env(role, env)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"OpenAILM(model={self.model!r}, base_url={self.base_url!r})"

    # -- client per event loop ----------------------------------------------------------------
    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        entry = self._clients.get(id(loop))
        if entry is not None and entry[0] is loop:
            return entry[1]
        self._clients = {k: v for k, v in self._clients.items() if not v[0].is_closed()}
        limits = _limits_type()(
            max_connections=self.max_connections,
            max_keepalive_connections=max(1, self.max_connections // 2),
        )
        client = openai.AsyncOpenAI(
            api_key=self.api_key or "EMPTY",
            base_url=self._where(),  # explicit: the client would otherwise read OPENAI_BASE_URL
            timeout=self.timeout_s,
            max_retries=0,
            http_client=openai.DefaultAsyncHttpxClient(limits=limits, timeout=self.timeout_s),
        )
        self._clients[id(loop)] = (loop, client)
        return client

    async def aclose(self) -> None:
        """Close the client of the running loop (others are dropped with their loops)."""
        entry = self._clients.pop(id(asyncio.get_running_loop()), None)
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
        started = time.perf_counter()
        last: _Retryable | None = None
        for attempt in range(self.retry.max_retries + 1):
            if last is not None:
                await asyncio.sleep(self._wait_s(last, attempt - 1))
            try:
                data = await self._attempt(params)
                return self._completion(messages, data, attempt + 1, started)
            except _Retryable as e:
                last = e
        assert last is not None
        raise self._give_up(last)

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
        if extra:
            params["extra_body"] = extra
        params.update(kwargs)
        return params

    def _wait_s(self, err: _Retryable, retry_index: int) -> float:
        if err.wait_s is not None:
            return min(err.wait_s, self.retry.retry_after_cap_s)
        return self.retry.backoff(retry_index, self._rng)

    async def _attempt(self, params: dict[str, Any]) -> dict[str, Any]:
        """One HTTP call; returns the decoded JSON body or raises `_Retryable` / `LMError`."""
        try:
            raw = await self._client().chat.completions.with_raw_response.create(**params)
        except openai.APITimeoutError as e:
            err = _Retryable(f"no answer within {self.timeout_s:g}s")
            err.timeout = True
            raise err from e
        except openai.APIConnectionError as e:
            raise _Retryable(f"cannot connect to {self._where()}: {e}") from e
        except openai.APIStatusError as e:
            raise self._status_error(e) from e
        return self._decode(raw.http_response.content)

    def _status_error(self, e: openai.APIStatusError) -> Exception:
        status = e.status_code
        detail = _server_message(e)
        if status in _RETRY_STATUSES or status >= 500:
            wait = parse_retry_after(e.response.headers)
            return _Retryable(f"HTTP {status}: {detail}", status=status, wait_s=wait)
        hint = _HINTS.get(status, "the endpoint refused the request")
        hint = hint.format(model=self.model, base_url=self._where())
        return LMError(
            f"{self.model}: HTTP {status}: {hint} ({detail})", model=self.model, status=status
        )

    def _decode(self, content: bytes) -> dict[str, Any]:
        try:
            data = json.loads(content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            snippet = content[:200].decode(errors="replace")
            raise _Retryable(f"the endpoint returned a non-JSON body: {snippet!r}") from None
        choices = data.get("choices") if isinstance(data, dict) else None
        if not choices or not isinstance(choices, list):
            raise _Retryable("the endpoint returned a reply with no choices")
        message = choices[0].get("message") if isinstance(choices[0], dict) else None
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            refusal = message.get("refusal") if isinstance(message, dict) else None
            why = f" (refusal: {refusal})" if refusal else ""
            raise _Retryable(f"the endpoint returned a reply with no message content{why}")
        return data

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

    def _give_up(self, last: _Retryable) -> LMError:
        tries = self.retry.max_retries + 1
        msg = f"{self.model} at {self._where()}: {last} (gave up after {tries} attempts)"
        if last.timeout:
            msg += "; raise ENGRAM_LM_TIMEOUT or check that the endpoint is up"
            return LMTimeout(msg, model=self.model, status=None)
        return LMError(msg, model=self.model, status=last.status)

    def _where(self) -> str:
        return self.base_url or "https://api.openai.com/v1"


def _server_message(e: openai.APIStatusError) -> str:
    body = e.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])[:500]
    return str(e.message)[:500]
