"""Build LM clients from the environment. Called by entry points only (CLI, benchmarks).

Variables (see DESIGN.md):

- ``OPENAI_API_KEY``: the key (optional when ``OPENAI_BASE_URL`` points at a local server);
- ``OPENAI_BASE_URL``: any OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp, LM Studio);
- ``ENGRAM_ROOT_MODEL``: the root (and agent) model; ``ENGRAM_SUB_MODEL``: the model for
  sub-calls, defaulting to the root model;
- ``ENGRAM_LM_TIMEOUT``: seconds per HTTP attempt (default 120);
- ``ENGRAM_LM_MAX_RETRIES``: retries after the first attempt (default 4);
- ``ENGRAM_LM_MAX_TOKENS``: completion-token cap for calls that set none (default 4096; 0 = none);
- ``ENGRAM_LM_TRANSPORT``: ``lean`` (default: `rlm.http11` under the client) or ``httpcore``
  (httpx's own stack, e.g. for an endpoint the lean one cannot talk to);
- ``ENGRAM_PRICES``: a JSON file of prices (USD per 1M tokens) overriding the built-in table.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal

from rlm.errors import LMError
from rlm.openai_lm import OpenAILM
from rlm.prices import PriceTable

__all__ = ["from_env", "lms_from_env", "model_from_env", "prices_from_env", "Role"]

Role = Literal["root", "sub"]


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise LMError(f"{name}={value!r} is not a number of seconds") from None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise LMError(f"{name}={value!r} is not a whole number") from None


def model_from_env(role: Role, env: Mapping[str, str]) -> str:
    """The model name for `role`; the sub model defaults to the root model."""
    if role not in ("root", "sub"):
        raise ValueError(f"role must be 'root' or 'sub', not {role!r}")
    root = env.get("ENGRAM_ROOT_MODEL", "").strip()
    model = (env.get("ENGRAM_SUB_MODEL", "").strip() or root) if role == "sub" else root
    if not model:
        raise LMError(
            "no model configured: set ENGRAM_ROOT_MODEL (e.g. gpt-4o-mini, or the name your "
            "local server uses) and optionally ENGRAM_SUB_MODEL for sub-calls"
        )
    return model


def prices_from_env(env: Mapping[str, str]) -> PriceTable:
    """Built-in prices, overridden by the JSON file named in ENGRAM_PRICES if set."""
    path = env.get("ENGRAM_PRICES", "").strip()
    if not path:
        return PriceTable.default()
    try:
        return PriceTable.from_file(path)
    except ValueError as e:
        raise LMError(f"ENGRAM_PRICES: {e}") from None


def from_env(role: Role = "root", env: Mapping[str, str] | None = None) -> OpenAILM:
    """An `OpenAILM` for the root or sub role, configured from `env` (default `os.environ`)."""
    env = os.environ if env is None else env
    model = model_from_env(role, env)
    base_url = env.get("OPENAI_BASE_URL", "").strip() or None
    api_key = env.get("OPENAI_API_KEY", "").strip() or None
    if api_key is None and base_url is None:
        raise LMError(
            "OPENAI_API_KEY is not set: export it, or set OPENAI_BASE_URL to a local "
            "OpenAI-compatible server that needs no key",
            model=model,
        )
    return OpenAILM(
        model,
        base_url=base_url,
        api_key=api_key,
        timeout_s=_float(env, "ENGRAM_LM_TIMEOUT", 120.0),
        max_retries=_int(env, "ENGRAM_LM_MAX_RETRIES", 4),
        prices=prices_from_env(env),
        default_max_tokens=_int(env, "ENGRAM_LM_MAX_TOKENS", 4096) or None,
        http_transport=env.get("ENGRAM_LM_TRANSPORT", "").strip().lower() or "lean",
    )


def lms_from_env(env: Mapping[str, str] | None = None) -> tuple[OpenAILM, OpenAILM]:
    """(root, sub) clients; `sub` is a separate client even when the model is the same."""
    return from_env("root", env), from_env("sub", env)
