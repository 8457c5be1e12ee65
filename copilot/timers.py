"""Timers for the pages: the owner's timers with their time so far, and each
click (start, pause, resume, stop) carried out through the same audited write as the chat.

A click in the sidebar is the person's own decision, so it needs no card; it still runs the
tool's checks (its ``propose``) first, so a bad request gets the same sentence as in the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from agent.audit import StoreAudit
from agent.tool import Tool
from agent.tools import build_registry
from agent.writes import WriteOutcome, carry_out
from fbclient import FreshBooksError

from .books import expire_books
from .chat import tool_context
from .context import AppContext
from .runtime import Runtime

__all__ = ["Choice", "act", "stop_at_text", "timer_rows"]


@dataclass(frozen=True)
class Choice:
    """What a sidebar click asks for: a timer tool and its arguments."""

    tool: str
    arguments: dict[str, Any]


def _tool(name: str) -> Tool[Any]:
    tool = build_registry().get(name)
    assert tool is not None, name  # declared in agent.tools.timers
    return tool


def timer_rows(runtime: Runtime, ctx: AppContext) -> list[dict[str, Any]]:
    """The owner's timers in this business (see the ``running_timers`` tool)."""
    tool = _tool("running_timers")
    result = tool.handler(tool_context(runtime, ctx), tool.parse({}))
    rows: list[dict[str, Any]] = result["timers"]
    return rows


def act(runtime: Runtime, ctx: AppContext, choice: Choice) -> WriteOutcome | str:
    """Carry out a click once, audited; a sentence instead when the request cannot be done."""
    tool = _tool(choice.tool)
    tools = tool_context(runtime, ctx)
    arguments = dict.fromkeys(tool.args.model_fields) | choice.arguments
    try:
        assert tool.propose is not None  # every timer write has its card
        card = tool.propose(tools, tool.parse(arguments))
    except (FreshBooksError, ValueError) as exc:
        return getattr(exc, "user_message", None) or str(exc)
    outcome = carry_out(
        tool,
        tools,
        arguments,
        title=card.title,
        audit=StoreAudit(runtime.sessions, ctx.owner, ctx.account_key),
    )
    if choice.tool == "stop_timer" and (outcome.ok or outcome.unconfirmed):
        expire_books(runtime, ctx)  # logged time: the Time page reads it again
    return outcome


def stop_at_text(day: date, clock: time) -> str:
    """A stop time picked on the page (day and time of day) as ``stop_timer`` takes it."""
    return f"{day.isoformat()}T{clock.strftime('%H:%M')}"
