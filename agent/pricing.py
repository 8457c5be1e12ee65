"""Estimated cost of model calls, from token counts and a small table of OpenAI list prices.

Prices are USD per 1M tokens (input, output) as published by OpenAI; cached-input discounts are
ignored, so the estimate errs high. Unknown models and local servers have no price: ``None``,
shown as "unknown".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .model import Usage

__all__ = ["DEFAULT_PRICES", "ModelPrice", "estimate_cost", "format_cost", "price_for"]

MILLION = Decimal(1_000_000)
_SNAPSHOT_SUFFIX = re.compile(r"-\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ModelPrice:
    """USD per 1M prompt (input) and completion (output) tokens."""

    input_per_m: Decimal
    output_per_m: Decimal


def _p(inp: str, out: str) -> ModelPrice:
    return ModelPrice(Decimal(inp), Decimal(out))


DEFAULT_PRICES: Mapping[str, ModelPrice] = {
    "gpt-5": _p("1.25", "10.00"),
    "gpt-5-mini": _p("0.25", "2.00"),
    "gpt-5-nano": _p("0.05", "0.40"),
    "gpt-4.1": _p("2.00", "8.00"),
    "gpt-4.1-mini": _p("0.40", "1.60"),
    "gpt-4.1-nano": _p("0.10", "0.40"),
    "gpt-4o": _p("2.50", "10.00"),
    "gpt-4o-mini": _p("0.15", "0.60"),
    "o3": _p("2.00", "8.00"),
    "o3-mini": _p("1.10", "4.40"),
    "o4-mini": _p("1.10", "4.40"),
}


def price_for(model: str, prices: Mapping[str, ModelPrice] = DEFAULT_PRICES) -> ModelPrice | None:
    """The price of ``model``, also for dated snapshots (``gpt-4.1-mini-2025-04-14``)."""
    name = model.strip().lower().removeprefix("openai/")
    if name in prices:
        return prices[name]
    return prices.get(_SNAPSHOT_SUFFIX.sub("", name))


def estimate_cost(
    model: str, usage: Usage, prices: Mapping[str, ModelPrice] = DEFAULT_PRICES
) -> Decimal | None:
    """Estimated USD cost of ``usage`` on ``model``; None when the model has no known price."""
    price = price_for(model, prices)
    if price is None:
        return None
    return (
        Decimal(usage.prompt_tokens) * price.input_per_m
        + Decimal(usage.completion_tokens) * price.output_per_m
    ) / MILLION


def format_cost(cost: Decimal | None) -> str:
    """``$0.0012`` style (four decimals below a cent), or "unknown"."""
    if cost is None:
        return "unknown"
    if cost < Decimal("0.01"):
        return f"${cost.quantize(Decimal('0.0001'))}"
    return f"${cost.quantize(Decimal('0.01'))}"
