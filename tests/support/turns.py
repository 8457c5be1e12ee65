"""Small helpers to read what a turn yielded."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from agent.loop import ApprovalNeeded, TextDelta


def run(events: Iterable[Any]) -> list[Any]:
    """Drain a turn's generator."""
    return list(events)


def text_of(events: list[Any]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextDelta))


def of_type(events: Iterable[Any], kind: type) -> list[Any]:
    """The events of one kind."""
    return [e for e in events if isinstance(e, kind)]


def pending_of(events: list[Any]) -> list[Any]:
    (approval,) = of_type(events, ApprovalNeeded)
    return approval.pending


def tool_messages(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Tool results by call id, decoded."""
    return {
        m["tool_call_id"]: json.loads(m["content"]) for m in messages if m.get("role") == "tool"
    }


def assert_valid_history(messages: list[dict[str, Any]], waiting: Iterable[str] = ()) -> None:
    """Every assistant tool call is answered by exactly one tool message (or still waits)."""
    calls = [
        c["id"] for m in messages if m.get("role") == "assistant" for c in m.get("tool_calls") or []
    ]
    answered = [m["tool_call_id"] for m in messages if m.get("role") == "tool"]
    assert sorted(answered + list(waiting)) == sorted(calls)
