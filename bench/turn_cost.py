"""Tokens and cost of a chat turn's requests: every tool with the old schemas, against today.

    .venv/bin/python -m bench.turn_cost [--quiet]       (also part of ``make bench``)

A typical first request is the system prompt, the ``tools`` array and the user's question
("Who owes me money?"). Before: all 39 tools with the schemas as ``openai.pydantic_function_tool``
makes them (titles, docstrings, ``anyOf`` for nullable fields), the way the agent sent them
until the tools were chosen per request; that method is kept here only to measure it. After:
what the agent sends now, captured from a real turn, at the default ``COPILOT_MODEL_CONTEXT``
(4,096 tokens) and at a large context (128,000: the tool budget's 10,000-character ceiling).

Tokens are the app's estimate (``agent.tokens``); the cost is the prompt of one request at the
default model's list price (``agent.pricing``), and a turn is counted as two requests (a
lookup, then the answer), the tool result left out of both figures. Prints a table, then one
JSON line (``{"bench": "turn_cost", ...}``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import openai

from agent.audit import Outcome
from agent.budget import DEFAULT_CONTEXT
from agent.conversation import Conversation
from agent.loop import Agent
from agent.model import ModelEvent, TextDelta, Usage
from agent.pricing import estimate_cost
from agent.prompts import system_prompt
from agent.tokens import estimate_tokens
from agent.tool import ToolContext
from agent.tools import build_registry
from fbclient.identity import Business
from settings import DEFAULT_MODEL, DEFAULT_MODEL_CONTEXT

__all__ = ["measure", "old_schemas"]

QUESTION = "Who owes me money?"
CURRENCIES = ["USD", "CAD", "EUR", "GBP"]  # the demo business's
REQUESTS_PER_TURN = 2


class _Capture:
    """A chat model that records its first request and answers at once."""

    name = DEFAULT_MODEL
    local = True

    def __init__(self) -> None:
        self.request: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None

    def stream(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> Iterator[ModelEvent]:
        if self.request is None:
            self.request = (messages, tools)
        yield TextDelta("ok")


class _NoAudit:
    """The turn measured writes nothing; an audit log is still required."""

    def record(
        self,
        action: str,
        arguments: Mapping[str, Any],
        record_ids: Mapping[str, Any],
        outcome: Outcome,
        message: str,
    ) -> int:
        return 0


def _context() -> ToolContext:
    business = Business(
        business_id=1, account_id="acc", name="Harbor & Pine Studio", role="owner",
        timezone="America/Toronto",
    )  # fmt: skip
    now = datetime(2026, 1, 15, 10, 0, tzinfo=ZoneInfo("America/Toronto"))
    return ToolContext(books=None, business=business, now=now)  # type: ignore[arg-type]  # the prompt reads no books


def old_schemas() -> list[dict[str, Any]]:
    """Every tool's schema as the agent sent them before (uncompacted, all 39)."""
    return [
        dict(openai.pydantic_function_tool(t.args, name=t.name, description=t.description))
        for t in build_registry()
    ]


def _figures(messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> dict[str, Any]:
    tokens = estimate_tokens(messages) + estimate_tokens(tools)
    cost = estimate_cost(DEFAULT_MODEL, Usage(tokens, 0))
    assert cost is not None, DEFAULT_MODEL
    return {
        "tools": len(tools),
        "tool_chars": len(json.dumps(tools)),
        "prompt_chars": len(json.dumps(messages)) + len(json.dumps(tools)),
        "prompt_tokens": tokens,
        "cost_per_request_usd": cost,
        "cost_per_turn_usd": cost * REQUESTS_PER_TURN,
    }


def _after(context_tokens: int) -> dict[str, Any]:
    model = _Capture()
    agent = Agent(
        model, build_registry(), audit=_NoAudit(), currencies=CURRENCIES,
        context_tokens=context_tokens,
    )  # fmt: skip
    list(agent.send(Conversation(), _context(), QUESTION))
    assert model.request is not None
    return _figures(*model.request)


def measure() -> dict[str, Any]:
    """Before and after, in characters, estimated tokens and USD."""
    ctx = _context()
    system = {"role": "system", "content": system_prompt(ctx, currencies=CURRENCIES)}
    before = _figures([system, {"role": "user", "content": QUESTION}], old_schemas())
    return {
        "question": QUESTION,
        "model": DEFAULT_MODEL,
        "before": before,
        "after_default_context": _after(DEFAULT_MODEL_CONTEXT),
        "after_large_context": _after(DEFAULT_CONTEXT),
    }


def render(results: dict[str, Any]) -> str:
    """The figures as a small table."""
    out = [
        f"first request of a turn ({results['question']!r}), {results['model']} list price",
        f"   {'':28} {'tools':>5} {'tool chars':>10} {'prompt chars':>12} {'~tokens':>8} "
        f"{'USD/request':>12} {'USD/turn':>10}",
    ]
    for label, key in (
        ("before (39 tools, old)", "before"),
        (f"after, {DEFAULT_MODEL_CONTEXT:,}-token context", "after_default_context"),
        (f"after, {DEFAULT_CONTEXT:,}-token context", "after_large_context"),
    ):
        row = results[key]
        out.append(
            f"   {label:28} {row['tools']:>5} {row['tool_chars']:>10,} {row['prompt_chars']:>12,} "
            f"{row['prompt_tokens']:>8,} {Decimal(row['cost_per_request_usd']):>12.5f} "
            f"{Decimal(row['cost_per_turn_usd']):>10.5f}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Print the table and one JSON line; returns the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quiet", action="store_true", help="print only the JSON line")
    args = parser.parse_args(argv)
    results = measure()
    if not args.quiet:
        print(render(results), flush=True)
    print(json.dumps({"bench": "turn_cost", **results}, default=str), flush=True)
    return results


if __name__ == "__main__":
    main()
