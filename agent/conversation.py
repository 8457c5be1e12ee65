"""The state of one chat, JSON-serializable: messages, writes awaiting a click, token usage.

A turn that proposes a change stops with the change in :attr:`Conversation.pending`; the state
can then be saved (session state, the store) and the decision applied later, in another run
of the script, by :meth:`agent.loop.Agent.decide`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from agent.tool import ProposedChange

from .model import Usage

__all__ = ["Conversation", "Decision", "PendingWrite", "jsonable"]

Decision = Literal["confirmed", "cancelled"]
FORMAT_VERSION = 1
MAX_DONE = 50  # decided writes kept for undo and for redrawing their cards


def jsonable(value: Any) -> Any:
    """``value`` made of JSON types only (Decimal and dates become text)."""
    return json.loads(json.dumps(value, default=_default))


def _default(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, Decimal):
        return format(value, "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


@dataclass
class PendingWrite:
    """A write the model asked for, shown as a card until the user decides.

    After a Confirm, ``ok``, ``summary``, ``record_ids`` and ``result`` (the handler's answer,
    which ``undo`` needs) describe what happened.
    """

    call_id: str
    tool: str
    arguments: dict[str, Any]
    proposal: ProposedChange
    decision: Decision | None = None
    ok: bool | None = None
    summary: str = ""
    record_ids: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    audit_id: int | None = None
    undone: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "call_id": self.call_id,
            "tool": self.tool,
            "arguments": jsonable(self.arguments),
            "proposal": self.proposal.as_dict(),
            "decision": self.decision,
            "ok": self.ok,
            "summary": self.summary,
            "record_ids": jsonable(self.record_ids),
            "result": jsonable(self.result) if self.result is not None else None,
            "audit_id": self.audit_id,
            "undone": self.undone,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingWrite:
        """Back from :meth:`to_dict`."""
        return cls(
            call_id=str(data["call_id"]),
            tool=str(data["tool"]),
            arguments=dict(data.get("arguments") or {}),
            proposal=ProposedChange.from_dict(data["proposal"]),
            decision=data.get("decision"),
            ok=data.get("ok"),
            summary=str(data.get("summary") or ""),
            record_ids=dict(data.get("record_ids") or {}),
            result=data.get("result"),
            audit_id=data.get("audit_id"),
            undone=bool(data.get("undone", False)),
        )


def _zero_usage() -> dict[str, Any]:
    return {"prompt_tokens": 0, "completion_tokens": 0, "cost_usd": "0"}


@dataclass
class Conversation:
    """One chat.

    ``messages`` are Chat Completions messages without the system prompt. ``pending`` holds the
    writes of the response being decided; once all are decided they move to ``done``.
    ``usage`` totals the session: ``prompt_tokens``, ``completion_tokens`` and ``cost_usd``
    (text, or None once a call had no known price). ``turn_usage`` is the current turn's, kept
    across a pause for approval. ``notes`` wait for a safe point to enter ``messages``.
    ``tools`` are the tool names the chat loaded beyond the core (found with ``find_tools``,
    called, or matched by a message), newest first: their schemas go with the next requests.
    """

    messages: list[dict[str, Any]] = field(default_factory=list)
    pending: list[PendingWrite] = field(default_factory=list)
    usage: dict[str, Any] = field(default_factory=_zero_usage)
    done: list[PendingWrite] = field(default_factory=list)
    turn_usage: dict[str, int] = field(
        default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0}
    )
    notes: list[str] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)

    @property
    def awaiting(self) -> list[PendingWrite]:
        """Writes still waiting for Confirm or Cancel."""
        return [p for p in self.pending if p.decision is None]

    @property
    def session_usage(self) -> Usage:
        """Tokens used since the chat began."""
        return Usage(self.usage["prompt_tokens"], self.usage["completion_tokens"])

    @property
    def session_cost(self) -> Decimal | None:
        """Estimated USD since the chat began, None when unknown."""
        cost = self.usage.get("cost_usd")
        return Decimal(cost) if cost is not None else None

    def find_write(self, call_id: str) -> PendingWrite | None:
        """A pending or decided write by its tool-call id."""
        return next((p for p in (*self.pending, *self.done) if p.call_id == call_id), None)

    def transcript(self) -> list[dict[str, Any]]:
        """What a person reads, in order: user and assistant text, plus the tool-call ids of
        each assistant step (``tool_calls``), so a UI can redraw statuses and cards in place."""
        out: list[dict[str, Any]] = []
        for message in self.messages:
            role = message.get("role")
            if role not in ("user", "assistant"):
                continue
            calls = [c["id"] for c in message.get("tool_calls") or []]
            content = message.get("content") or ""
            if content or calls:
                out.append({"role": role, "content": content, "tool_calls": calls})
        return out

    def settle(self) -> None:
        """Move decided writes out of ``pending`` (only once every one is decided)."""
        if self.pending and not self.awaiting:
            self.done = [*self.done, *self.pending][-MAX_DONE:]
            self.pending = []

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (session state, chat history)."""
        return {
            "version": FORMAT_VERSION,
            "messages": jsonable(self.messages),
            "pending": [p.to_dict() for p in self.pending],
            "done": [p.to_dict() for p in self.done],
            "usage": dict(self.usage),
            "turn_usage": dict(self.turn_usage),
            "notes": list(self.notes),
            "tools": list(self.tools),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Conversation:
        """Back from :meth:`to_dict`."""
        usage = _zero_usage() | dict(data.get("usage") or {})
        turn = {"prompt_tokens": 0, "completion_tokens": 0} | dict(data.get("turn_usage") or {})
        return cls(
            messages=[dict(m) for m in data.get("messages") or []],
            pending=[PendingWrite.from_dict(p) for p in data.get("pending") or []],
            usage=usage,
            done=[PendingWrite.from_dict(p) for p in data.get("done") or []],
            turn_usage=turn,
            notes=[str(n) for n in data.get("notes") or []],
            tools=[str(t) for t in data.get("tools") or []],
        )
