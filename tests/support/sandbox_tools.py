"""The agent's tools over the real client on the in-process sandbox (small business, seed 7).

``sandbox_env()`` opens one sandbox; each test module wraps it in a module-scoped fixture.
``Env.call`` fills every argument the model did not give with null, as a strict-mode model
sends them, then parses through ``Tool.parse`` like the loop does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from agent.tool import ProposedChange, Tool, ToolContext, ToolRegistry
from agent.tools import build_registry
from fbclient import BusinessClient, FreshBooksClient
from fbclient.asgi import InProcessTransport
from fbclient.identity import Business

from .snapshot import fetch_snapshot

MAX_CHARS = 8000


@dataclass
class Env:
    """One sandbox business and the registry of tools over it."""

    business: Business
    books: BusinessClient
    ctx: ToolContext
    registry: ToolRegistry

    def tool(self, name: str, /) -> Tool[Any]:
        found = self.registry.get(name)
        assert found is not None, name
        return found

    def parse(self, name: str, /, **given: Any) -> Any:
        tool = self.tool(name)
        arguments = dict.fromkeys(tool.args.model_fields) | given
        return tool.parse(json.dumps(arguments, default=str))

    def call(self, name: str, /, **given: Any) -> dict[str, Any]:
        """Run a tool's handler (for writes: as if the user confirmed)."""
        result = self.tool(name).handler(self.ctx, self.parse(name, **given))
        assert len(json.dumps(result, default=str)) < MAX_CHARS, name
        return result

    def propose(self, name: str, /, **given: Any) -> ProposedChange:
        tool = self.tool(name)
        assert tool.propose is not None
        return tool.propose(self.ctx, self.parse(name, **given))

    def undo(self, name: str, result: dict[str, Any]) -> dict[str, Any]:
        tool = self.tool(name)
        assert tool.undo is not None
        return tool.undo(self.ctx, result)


@contextmanager
def sandbox_env() -> Iterator[Env]:
    """A fresh sandbox app, a client on it, and a tool context for its first business."""
    from sandbox.app import create_app
    from sandbox.config import SandboxConfig
    from sandbox.demo_token import issue_token

    app = create_app(SandboxConfig(size="small", seed=7))
    transport = InProcessTransport(app)
    token = issue_token(app)
    fb = FreshBooksClient.with_access_token(
        token["access_token"], api_url="http://sandbox.test", transport=transport
    )
    try:
        business = fb.identity().businesses[0]
        books = fb.business(business)
        ctx = ToolContext(
            books=books,
            business=business,
            now=datetime.now(ZoneInfo(business.timezone or "UTC")),
            snapshot=lambda: fetch_snapshot(books, business),
        )
        yield Env(business=business, books=books, ctx=ctx, registry=build_registry())
    finally:
        fb.close()
        transport.shutdown()
        app.state.sandbox.close()


def card_text(card: ProposedChange) -> str:
    """Everything a card shows, as one string to search."""
    parts = [card.title, card.client or "", *card.amounts, *card.warnings]
    parts += [f"{label}: {value}" for label, value in card.fields]
    return "\n".join(parts)
