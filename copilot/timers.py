"""Timers for the pages: the owner's timers with their time so far, and each
click (start, pause, resume, stop) carried out through the same audited write as the chat.

A click in the sidebar is the person's own decision, so it needs no card; it still runs the
tool's checks (its ``propose``) first, so a bad request gets the same sentence as in the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from agent.writes import WriteOutcome
from fbclient import FreshBooksError

from .app_writes import carry_out_for_app, propose_for_app, tool_named
from .chat import tool_context
from .context import AppContext
from .runtime import Runtime

__all__ = ["Choice", "act", "stop_at_text", "timer_rows"]


@dataclass(frozen=True)
class Choice:
    """What a sidebar click asks for: a timer tool and its arguments."""

    tool: str
    arguments: dict[str, Any]


def timer_rows(runtime: Runtime, ctx: AppContext) -> list[dict[str, Any]]:
    """The owner's timers in this business (see the ``running_timers`` tool)."""
    tool = tool_named("running_timers")
    result = tool.handler(tool_context(runtime, ctx), tool.parse({}))
    rows: list[dict[str, Any]] = result["timers"]
    return rows


def act(runtime: Runtime, ctx: AppContext, choice: Choice) -> WriteOutcome | str:
    """Carry out a click once, audited; a sentence instead when the request cannot be done."""
    tool = tool_named(choice.tool)
    arguments = dict.fromkeys(tool.args.model_fields) | choice.arguments
    try:
        card = propose_for_app(runtime, ctx, choice.tool, arguments)
    except (FreshBooksError, ValueError) as exc:
        return getattr(exc, "user_message", None) or str(exc)
    # Only stopping logs time in the books; the others change the timer alone.
    return carry_out_for_app(
        runtime, ctx, choice.tool, arguments, card.title, changes_books=choice.tool == "stop_timer"
    )


def stop_at_text(day: date, clock: time) -> str:
    """A stop time picked on the page (day and time of day) as ``stop_timer`` takes it."""
    return f"{day.isoformat()}T{clock.strftime('%H:%M')}"
