"""Per-model prices that turn token counts into US dollars.

Prices are USD per 1M tokens (input, output). A model name matches its own entry, or the longest
entry it extends at a boundary (``gpt-4o-mini-2024-07-18`` -> ``gpt-4o-mini``; ``gpt-4.5`` does
*not* match ``gpt-4``). A provider prefix such as ``openai/`` is ignored. Unknown models cost 0
and are reported through `lookup(...).known` so callers can flag the cost as incomplete.

The built-in table is a convenience snapshot of OpenAI's public list prices (2025); prices
change, so users override them with a dict or a JSON file::

    {"my-model": {"input": 0.2, "output": 0.8}, "gpt-4o": [2.5, 10.0]}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ModelPrice", "PriceLookup", "PriceTable", "DEFAULT_PRICES"]

_BOUNDARY = ("-", ":", "@", "_")


@dataclass(frozen=True)
class ModelPrice:
    """USD per 1M input (prompt) tokens and per 1M output (completion) tokens."""

    input: float
    output: float


@dataclass(frozen=True)
class PriceLookup:
    """The price found for a model; `known` is False when no entry matched (price is 0/0)."""

    model: str
    matched: str | None
    price: ModelPrice

    @property
    def known(self) -> bool:
        return self.matched is not None


# USD per 1M tokens (input, output), OpenAI list prices as of 2025. Check before relying on them.
DEFAULT_PRICES: dict[str, ModelPrice] = {
    "gpt-5": ModelPrice(1.25, 10.00),
    "gpt-5-mini": ModelPrice(0.25, 2.00),
    "gpt-5-nano": ModelPrice(0.05, 0.40),
    "gpt-4.1": ModelPrice(2.00, 8.00),
    "gpt-4.1-mini": ModelPrice(0.40, 1.60),
    "gpt-4.1-nano": ModelPrice(0.10, 0.40),
    "gpt-4o": ModelPrice(2.50, 10.00),
    "gpt-4o-mini": ModelPrice(0.15, 0.60),
    "gpt-4-turbo": ModelPrice(10.00, 30.00),
    "gpt-4": ModelPrice(30.00, 60.00),
    "gpt-3.5-turbo": ModelPrice(0.50, 1.50),
    "o1": ModelPrice(15.00, 60.00),
    "o1-mini": ModelPrice(1.10, 4.40),
    "o1-pro": ModelPrice(150.00, 600.00),
    "o3": ModelPrice(2.00, 8.00),
    "o3-mini": ModelPrice(1.10, 4.40),
    "o3-pro": ModelPrice(20.00, 80.00),
    "o4-mini": ModelPrice(1.10, 4.40),
}


def _parse_price(name: str, value: Any) -> ModelPrice:
    if isinstance(value, ModelPrice):
        return value
    if isinstance(value, Mapping) and {"input", "output"} <= set(value):
        return ModelPrice(float(value["input"]), float(value["output"]))
    if isinstance(value, list | tuple) and len(value) == 2:
        return ModelPrice(float(value[0]), float(value[1]))
    raise ValueError(
        f"price for {name!r} must be {{'input': USD, 'output': USD}} per 1M tokens "
        f"or [input, output]; got {value!r}"
    )


class PriceTable:
    """Model name -> `ModelPrice`, with boundary-aware longest-prefix matching."""

    def __init__(self, prices: Mapping[str, Any] | None = None) -> None:
        source = DEFAULT_PRICES if prices is None else prices
        self._prices = {k.lower(): _parse_price(k, v) for k, v in source.items()}

    @classmethod
    def default(cls) -> PriceTable:
        return cls()

    @classmethod
    def empty(cls) -> PriceTable:
        return cls({})

    def with_overrides(self, overrides: Mapping[str, Any]) -> PriceTable:
        """A new table: these entries added to (or replacing) the current ones."""
        merged: dict[str, Any] = dict(self._prices)
        merged.update({k.lower(): _parse_price(k, v) for k, v in overrides.items()})
        return PriceTable(merged)

    @classmethod
    def from_file(cls, path: str | Path, *, base: PriceTable | None = None) -> PriceTable:
        """Defaults (or `base`) overridden by a JSON file of prices (see the module docstring)."""
        try:
            data = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as e:
            raise ValueError(f"cannot read price file {path}: {e}") from e
        if not isinstance(data, dict):
            raise ValueError(f"price file {path} must hold a JSON object of model -> price")
        return (base or cls()).with_overrides(data)

    def lookup(self, model: str) -> PriceLookup:
        name = model.lower().rsplit("/", 1)[-1]
        matches = [
            key
            for key in self._prices
            if name == key or (name.startswith(key) and name[len(key)] in _BOUNDARY)
        ]
        best = max(matches, key=len) if matches else None
        price = self._prices[best] if best is not None else ModelPrice(0.0, 0.0)
        return PriceLookup(model=model, matched=best, price=price)

    def is_known(self, model: str) -> bool:
        return self.lookup(model).known

    def cost(self, model: str, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for one call; 0.0 for a model with no price (check `is_known`)."""
        p = self.lookup(model).price
        return (prompt_tokens * p.input + completion_tokens * p.output) / 1_000_000

    def __contains__(self, model: object) -> bool:
        return isinstance(model, str) and self.is_known(model)

    def to_dict(self) -> dict[str, dict[str, float]]:
        return {k: {"input": v.input, "output": v.output} for k, v in self._prices.items()}
