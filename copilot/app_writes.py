"""A write one of the app's own pages asks for (a card's Confirm, a sidebar click): the same
tool the chat uses, its confirm card, and one audited carry-out as the app's."""

from __future__ import annotations

from typing import Any

from agent.audit import StoreAudit
from agent.tool import ProposedChange, Tool
from agent.tools import build_registry
from agent.writes import WriteOutcome, carry_out

from .books import expire_books
from .chat import tool_context
from .context import AppContext
from .runtime import Runtime

__all__ = ["carry_out_for_app", "propose_for_app", "tool_named"]


def tool_named(name: str) -> Tool[Any]:
    """The registry's tool ``name`` (a page names only tools that exist)."""
    tool = build_registry().get(name)
    assert tool is not None, name
    return tool


def propose_for_app(
    runtime: Runtime, ctx: AppContext, name: str, arguments: dict[str, Any]
) -> ProposedChange:
    """The confirm card of ``name`` with ``arguments``; raises ValueError (bad arguments,
    a business rule) or a FreshBooks error, each with its sentence."""
    tool = tool_named(name)
    assert tool.propose is not None  # every write has its card
    return tool.propose(tool_context(runtime, ctx), tool.parse(arguments))


def carry_out_for_app(
    runtime: Runtime,
    ctx: AppContext,
    name: str,
    arguments: dict[str, Any],
    title: str,
    *,
    changes_books: bool = True,
) -> WriteOutcome:
    """Run the confirmed write once, audited as the app's; when it may have changed the
    books (``changes_books``), the dashboards read them again."""
    outcome = carry_out(
        tool_named(name),
        tool_context(runtime, ctx),
        arguments,
        title=title,
        audit=StoreAudit(runtime.sessions, ctx.owner, ctx.account_key),
    )
    if changes_books and (outcome.ok or outcome.unconfirmed):
        expire_books(runtime, ctx)
    return outcome
